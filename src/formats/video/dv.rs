//! DV (IEC 61834 / SMPTE 314M DIF streams): the first frame's header DIF block (system),
//! VAUX packs (aspect, scan type, recording date and time) and the AAUX source pack
//! (audio format). Only the first frame (at most 144 000 bytes) is read.

use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{Stream, StreamKind};

/// Group of the DV tags.
const G: &str = "DV";
/// A DIF block.
const BLOCK: usize = 80;

/// A two-digit BCD value under `mask`.
fn bcd(b: u8, mask: u8) -> u32 {
    let b = b & mask;
    u32::from(b >> 4) * 10 + u32::from(b & 0x0f)
}

/// `v` with 15 significant digits, as ExifTool prints the duration.
fn sig15(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let decimals = (14 - v.abs().log10().floor() as i32).clamp(0, 30) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_owned() } else { s }
}

/// Reads a DV file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, 144_000)?;
    let h = d.get(..BLOCK).ok_or_else(|| Error::malformed(0u64, "truncated DV header block"))?;
    if h[0] >> 5 != 0 {
        return Err(Error::malformed(0u64, "no DV header block"));
    }
    let pal = h[3] & 0x80 != 0;
    let apt = h[4] & 7;
    let (w, ht, fps, frame) =
        if pal { (720u32, 576u32, 25.0, 144_000u64) } else { (720, 480, 30000.0 / 1001.0, 120_000) };
    let mut date = None;
    let mut time = None;
    let mut aspect = None;
    let mut interlaced = None;
    let mut audio = None;
    for b in d.chunks_exact(BLOCK) {
        match b[0] >> 5 {
            2 => {
                // VAUX: fifteen 5-byte packs after the 3-byte ID.
                for p in b[3..78].chunks_exact(5) {
                    match p[0] {
                        0x61 if aspect.is_none() => {
                            let disp = p[2] & 7;
                            aspect = Some(if disp == 2 || disp == 7 { "16:9" } else { "4:3" });
                            interlaced = Some(p[3] & 0x10 != 0);
                        }
                        0x62 if date.is_none() && p[4] != 0xff => {
                            let y = bcd(p[4], 0xff);
                            let y = if y < 75 { 2000 + y } else { 1900 + y };
                            date = Some(format!("{y:04}:{:02}:{:02}", bcd(p[3], 0x1f), bcd(p[2], 0x3f)));
                        }
                        0x63 if time.is_none() && p[4] != 0xff => {
                            time = Some(format!(
                                "{:02}:{:02}:{:02}",
                                bcd(p[4], 0x3f),
                                bcd(p[3], 0x7f),
                                bcd(p[2], 0x7f)
                            ));
                        }
                        _ => {}
                    }
                }
            }
            3 if audio.is_none() && b[3] == 0x50 => {
                let chn = (b[5] >> 5) & 3;
                let rate = match (b[7] >> 3) & 7 {
                    0 => Some(48000u32),
                    1 => Some(44100),
                    2 => Some(32000),
                    _ => None,
                };
                let bits = match b[7] & 7 {
                    0 => Some(16u32),
                    1 => Some(12),
                    2 => Some(20),
                    _ => None,
                };
                audio = Some((2 * (u32::from(chn) + 1), rate, bits));
            }
            _ => {}
        }
    }
    if let (Some(d), Some(t)) = (&date, &time) {
        cx.add(G, "DateTimeOriginal", format!("{d} {t}"));
    }
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", ht);
    let bitrate = frame as f64 * 8.0 * fps;
    cx.add(G, "Duration", sig15(cx.len() as f64 * 8.0 / bitrate));
    cx.add(G, "TotalBitrate", bitrate.round() as u64);
    if apt == 0 {
        cx.add(G, "VideoFormat", if pal { "IEC 61834 - 625/50 (PAL)" } else { "IEC 61834 - 525/60 (NTSC)" });
    }
    if let Some(i) = interlaced {
        cx.add(G, "VideoScanType", if i { "Interlaced" } else { "Progressive" });
    }
    cx.add(G, "FrameRate", fps);
    if let Some(a) = aspect {
        cx.add(G, "AspectRatio", a);
    }
    if apt == 0 {
        cx.add(G, "Colorimetry", if pal { "4:2:0" } else { "4:1:1" });
    }
    // ffprobe's estimate from the size: whole frames (rounded to the nearest) at the frame rate.
    let frames = (cx.len().saturating_add(frame / 2) / frame) as f64;
    let duration = Some(frames / fps);
    cx.streams.push(Stream {
        index: 0,
        kind: Some(StreamKind::Video),
        duration,
        codec_name: Some("dvvideo".into()),
        width: Some(w),
        height: Some(ht),
        frame_rate: Some(fps),
        ..Stream::default()
    });
    if let Some((ch, rate, bits)) = audio {
        cx.add(G, "AudioChannels", ch);
        if let Some(r) = rate {
            cx.add(G, "AudioSampleRate", r);
        }
        if let Some(b) = bits {
            cx.add(G, "AudioBitsPerSample", b);
        }
        // ffmpeg shows one stereo stream per channel pair.
        for _ in 0..ch / 2 {
            cx.streams.push(Stream {
                index: cx.streams.len() as u32,
                kind: Some(StreamKind::Audio),
                codec_name: Some("pcm_s16le".into()),
                sample_rate: rate,
                channels: Some(2),
                duration,
                ..Stream::default()
            });
        }
    }
    cx.fact(Fact::ImageSize(w.into(), ht.into()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util;

    #[test]
    fn pal_frame() {
        let mut f = vec![0xffu8; 480];
        f[..5].copy_from_slice(&[0x1f, 0x07, 0x00, 0xbf, 0x68]);
        f[80..83].copy_from_slice(&[0x50, 0x07, 0x00]);
        f[83..98].copy_from_slice(&[
            0x61, 0x03, 0x07, 0xfd, 0xff, 0x62, 0xff, 0xd6, 0xe2, 0x10, 0x63, 0xff, 0xa8, 0xb6, 0xe1,
        ]);
        f[160..168].copy_from_slice(&[0x70, 0x07, 0x00, 0x50, 0xd0, 0x30, 0xe0, 0xd1]);
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert_eq!(found.get("DV:DateTimeOriginal"), Some(&Value::Text("2010:02:16 21:36:28".into())));
        assert_eq!(found.get("DV:ImageHeight"), Some(&Value::Int(576)));
        assert_eq!(found.get("DV:AspectRatio"), Some(&Value::Text("16:9".into())));
        assert_eq!(found.get("DV:AudioChannels"), Some(&Value::Int(4)));
        assert_eq!(found.get("DV:AudioSampleRate"), Some(&Value::Int(32000)));
        assert_eq!(sig15(4400.0 * 8.0 / 28_800_000.0), "0.00122222222222222");
        for n in 0..f.len() {
            test_util::parse(&f[..n], parse);
        }
    }
}
