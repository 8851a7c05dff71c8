//! The MPEG audio frame header (MPEG-1, 2 and 2.5, layers I-III): the four bytes that
//! start every frame, shared by MP3 files and the audio streams of MPEG program streams.

use crate::base::bytes::be32;

/// A decoded MPEG audio frame header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Header {
    /// Raw version bits: 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5.
    pub version: u8,
    /// Raw layer bits: 3 layer I, 2 layer II, 1 layer III.
    pub layer: u8,
    /// Bits per second.
    pub bitrate: u32,
    /// Samples per second.
    pub sample_rate: u32,
    /// Raw sample-rate index.
    pub rate_index: u8,
    /// Raw channel mode: 0 stereo, 1 joint stereo, 2 dual channel, 3 mono.
    pub mode: u8,
    /// Raw mode extension bits.
    pub mode_ext: u8,
    /// Padding slot present.
    pub padding: bool,
    /// Copyright bit.
    pub copyright: bool,
    /// Original bit.
    pub original: bool,
    /// Emphasis bits.
    pub emphasis: u8,
}

impl Header {
    /// Decodes a 4-byte header; `None` if it is not a valid one.
    pub fn parse(b: [u8; 4]) -> Option<Header> {
        let h = be32(&b, 0)?;
        if h >> 21 != 0x7ff {
            return None;
        }
        let version = ((h >> 19) & 3) as u8;
        let layer = ((h >> 17) & 3) as u8;
        let br_index = ((h >> 12) & 15) as usize;
        let rate_index = ((h >> 10) & 3) as u8;
        if version == 1 || layer == 0 || br_index == 0 || br_index == 15 || rate_index == 3 {
            return None;
        }
        const V1: [[u16; 14]; 3] = [
            [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
            [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
            [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
        ];
        const V2: [[u16; 14]; 2] = [
            [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
            [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
        ];
        let kbps = match (version, layer) {
            (3, l) => V1.get(usize::from(l) - 1)?[br_index - 1],
            (_, 3) => V2[1][br_index - 1],
            _ => V2[0][br_index - 1],
        };
        let base = [44100u32, 48000, 32000][usize::from(rate_index)];
        let sample_rate = match version {
            3 => base,
            2 => base / 2,
            _ => base / 4,
        };
        Some(Header {
            version,
            layer,
            bitrate: u32::from(kbps) * 1000,
            sample_rate,
            rate_index,
            mode: ((h >> 6) & 3) as u8,
            mode_ext: ((h >> 4) & 3) as u8,
            padding: (h >> 9) & 1 != 0,
            copyright: (h >> 3) & 1 != 0,
            original: (h >> 2) & 1 != 0,
            emphasis: (h & 3) as u8,
        })
    }

    /// Samples per frame.
    pub fn samples(&self) -> u32 {
        match (self.layer, self.version) {
            (3, _) => 384,
            (2, _) | (1, 3) => 1152,
            _ => 576,
        }
    }

    /// Frame length in bytes.
    pub fn frame_len(&self) -> u32 {
        let pad = u32::from(self.padding);
        if self.layer == 3 {
            (12 * self.bitrate / self.sample_rate.max(1) + pad) * 4
        } else {
            self.samples() / 8 * self.bitrate / self.sample_rate.max(1) + pad
        }
    }

    /// Channels (1 for mono).
    pub fn channels(&self) -> u32 {
        if self.mode == 3 { 1 } else { 2 }
    }

    /// Offset of a Xing/Info header inside the frame (after the side information).
    pub(crate) fn xing_offset(&self) -> usize {
        match (self.version == 3, self.mode == 3) {
            (true, false) => 36,
            (true, true) => 21,
            (false, false) => 21,
            (false, true) => 13,
        }
    }
}
