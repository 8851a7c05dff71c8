//! The static magic table: byte signatures at fixed offsets (with optional masks), each
//! naming a format or a refine function that looks further (bounded) when the signature
//! alone does not say enough.

use super::containers as c;
use super::small as s;
use super::zip;
use super::{Format, Probe};

/// What a matching signature means.
#[derive(Clone, Copy)]
pub(super) enum Hit {
    /// This format.
    Is(Format),
    /// Ask this refiner; `None` lets the table scan go on.
    Check(fn(&Probe) -> Option<Format>),
}

/// One table row: `bytes` at `offset`, compared under `mask` when given.
pub(super) struct Magic {
    offset: usize,
    bytes: &'static [u8],
    mask: Option<&'static [u8]>,
    hit: Hit,
}

impl Magic {
    /// The signature placed at its offset in an otherwise zeroed buffer (for tests).
    #[cfg(test)]
    pub(super) fn sample(&self) -> Vec<u8> {
        let mut v = vec![0u8; self.offset];
        v.extend_from_slice(self.bytes);
        v
    }
}

const fn m(offset: usize, bytes: &'static [u8], hit: Hit) -> Magic {
    Magic { offset, bytes, mask: None, hit }
}

const fn mm(offset: usize, bytes: &'static [u8], mask: &'static [u8], hit: Hit) -> Magic {
    Magic { offset, bytes, mask: Some(mask), hit }
}

use Format::*;
use Hit::{Check, Is};

/// The table, most specific first where signatures overlap.
pub(super) static MAGIC: &[Magic] = &[
    m(0, b"\xFF\xD8\xFF", Check(c::jpeg)),
    m(0, b"II*\0", Check(c::tiff)),
    m(0, b"MM\0*", Check(c::tiff)),
    m(0, b"II+\0", Is(BigTiff)),
    m(0, b"MM\0+", Is(BigTiff)),
    m(0, b"IIU\0", Is(Rw2)),
    m(0, b"IIRO", Is(Orf)),
    m(0, b"IIRS", Is(Orf)),
    m(0, b"MMOR", Is(Orf)),
    m(0, b"\x89PNG\r\n\x1a\n", Check(c::png)),
    m(0, b"GIF87a", Is(Gif)),
    m(0, b"GIF89a", Is(Gif)),
    m(0, b"%PDF-", Is(Pdf)),
    m(0, b"RIFF", Check(c::riff)),
    m(0, b"RIFX", Check(c::riff)),
    m(0, b"RF64", Check(c::riff)),
    m(0, b"FORM", Check(c::iff)),
    m(0, b"AT&TFORM", Check(c::djvu)),
    m(0, b"\0\0\0\x0cjP  \r\n\x87\n", Check(c::isobmff)),
    m(0, b"\0\0\0\x0cJXL \r\n\x87\n", Is(Jxl)),
    m(4, b"ftyp", Check(c::isobmff)),
    m(4, b"moov", Check(c::bare_quicktime)),
    m(4, b"mdat", Check(c::bare_quicktime)),
    m(4, b"free", Check(c::bare_quicktime)),
    m(4, b"skip", Check(c::bare_quicktime)),
    m(4, b"wide", Check(c::bare_quicktime)),
    m(4, b"pnot", Check(c::bare_quicktime)),
    m(0, b"\x1A\x45\xDF\xA3", Check(c::ebml)),
    m(0, b"PK\x03\x04", Check(zip::refine)),
    m(0, b"PK\x05\x06", Is(Zip)),
    m(0, b"OggS", Check(c::ogg)),
    m(0, b"fLaC", Is(Flac)),
    m(0, b"ID3", Check(c::id3)),
    m(0, b"8BPS\0\x01", Is(Psd)),
    m(0, b"8BPS\0\x02", Is(Psb)),
    m(0, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Check(c::ole)),
    m(0, b"MZ", Check(c::pe)),
    m(0, b"\x7FELF", Check(c::elf)),
    m(0, b"\xFE\xED\xFA\xCE", Check(c::macho)),
    m(0, b"\xFE\xED\xFA\xCF", Check(c::macho)),
    m(0, b"\xCE\xFA\xED\xFE", Check(c::macho)),
    m(0, b"\xCF\xFA\xED\xFE", Check(c::macho)),
    m(0, b"!<arch>\n", Is(MachOStatic)),
    m(0, b"\x1F\x8B\x08", Is(Gzip)),
    m(0, b"Rar!\x1A\x07", Is(Rar)),
    m(0, b"7z\xBC\xAF\x27\x1C", Is(SevenZ)),
    mm(0, b"BZh1", b"\xFF\xFF\xFF\xF0", Check(s::bzip2)),
    m(257, b"ustar", Is(Tar)),
    m(0, b"\xCA\xFE\xBA\xBE", Check(s::cafebabe)),
    m(0, b"\xFF\x01Exiv2", Is(Exv)),
    // camera raw and camera side files
    m(0, b"FUJIFILMCCD-RAW", Is(Raf)),
    m(0, b"II\x1A\0\0\0HEAPCCDR", Is(Crw)),
    m(0, b"\0MRM", Is(Mrw)),
    m(0, b"FOVb", Is(X3f)),
    m(0, b"IIII\x04\0\x04\0", Is(Dr4)),
    m(0, b"CANON OPTIONAL DATA\0", Is(Vrd)),
    m(25, b"ARECOYK", Is(Raw)),
    m(4, b"RED1", Is(R3d)),
    m(4, b"RED2", Is(R3d)),
    // audio / video
    m(0, b"\x30\x26\xB2\x75\x8E\x66\xCF\x11\xA6\xD9\x00\xAA\x00\x62\xCE\x6C", Is(Asf)),
    m(0, b"\xB7\xD8\x00\x20\x37\x49\xDA\x11\xA6\x4E\x00\x07\xE9\x5E\xAD\x8D", Is(Wtv)),
    m(0, b"FLV\x01", Is(Flv)),
    m(0, b"FWS", Is(Swf)),
    m(0, b"CWS", Is(Swf)),
    m(0, b"ZWS", Is(Swf)),
    m(0, b"\0\0\x01\xBA", Is(Mpeg)),
    m(0, b"\0\0\x01\xB3", Is(Mpeg)),
    m(0, b"\x47", Check(c::m2t)),
    m(4, b"\x47", Check(c::m2ts)),
    mm(0, b"\x1F\x07\x00\x3F", b"\xFF\xFF\xFF\x3F", Is(Dv)),
    m(0, b"\x06\x0E\x2B\x34\x02\x05\x01\x01\x0D\x01\x02", Is(Mxf)),
    m(0, b".RMF", Is(Rm)),
    m(0, b".ra\xFD", Is(Ra)),
    m(0, b"MAC ", Is(Ape)),
    m(0, b"MP+", Is(Mpc)),
    m(0, b"MPCK", Is(Mpc)),
    m(0, b"\x02dss", Is(Dss)),
    m(0, b"\x03ds2", Is(Dss)),
    m(4, b"\x57\x90\x75\x36", Is(Aa)),
    m(4, b"itch", Is(Itc)),
    m(0, b"wvpk", Is(WavPack)),
    m(0, b"caff\0\x01", Is(Caf)),
    mm(0, b"\xFF\xE0", b"\xFF\xE0", Check(c::mpeg_audio)),
    m(0, b"\x0B\x77", Check(c::ac3)),
    // images
    m(0, b"BPG\xFB", Is(Bpg)),
    m(0, b"FLIF", Is(Flif)),
    m(0, b"\x76\x2F\x31\x01", Is(Exr)),
    m(0, b"#?RADIANCE\n", Is(Hdr)),
    m(0, b"#?RGBE\n", Is(Hdr)),
    m(0, b"PF\n", Is(Pfm)),
    m(0, b"Pf\n", Is(Pfm)),
    m(0, b"P", Check(c::netpbm)),
    m(0, b"PGF", Is(Pgf)),
    m(0, b"Paint Shop Pro Image File\n\x1a", Is(Psp)),
    m(0, b"gimp xcf ", Is(Xcf)),
    m(0, b"SDPX", Is(Dpx)),
    m(0, b"XPDS", Is(Dpx)),
    m(0, b"SIMPLE  =", Is(Fits)),
    m(0, b"id=ImageMagick", Is(Miff)),
    mm(0, b"~\x10\x04\x000MIE", b"\xFF\xF0\xFF\x00\xFF\xFF\xFF\xFF", Is(Mie)),
    m(208, b"MAP ", Is(Mrc)),
    m(2048, b"PCD_IPI", Is(Pcd)),
    m(8, b"\0\0\0\x7C", Check(c::pmp)),
    m(0, b"ZISRAWFILE", Is(Czi)),
    m(0, b"FPF Public Image Format\0", Is(Fpf)),
    m(0, b"\x89LFP\r\n\x1a\n", Is(Lfp)),
    m(0, b"\xFF\x4F\xFF\x51", Is(J2c)),
    m(0, b"\xFF\x0A", Is(JxlCodestream)),
    m(36, b"acsp", Is(Icc)),
    m(0, b"\x06\x06\xED\xF5\xD8\x1D\x46\xE5\xBD\x31\xEF\xE7\xFE\x74\xB7\x1D", Is(Indd)),
    m(128, b"DICM", Is(Dicom)),
    m(0, b"BM", Check(c::bmp)),
    m(0, b"\x0A", Check(c::pcx)),
    m(10, b"\x00\x11\x02\xFF\x0C\x00", Is(Pict)),
    m(522, b"\x00\x11\x02\xFF\x0C\x00", Is(Pict)),
    // documents, fonts, misc
    m(0, b"L\0\0\0\x01\x14\x02\0", Is(Lnk)),
    m(0, b"\0\x05\x16\x07", Is(MacOs)),
    m(0, b"\0\x05\x16\x00", Is(MacOs)),
    m(60, b"BOOKMOBI", Is(Mobi)),
    m(0, b"bplist0", Is(Plist)),
    m(0, b"d8:announce", Is(Torrent)),
    m(0, b"{\\rtf", Is(Rtf)),
    m(0, b"%!PS-AdobeFont", Is(Pfa)),
    m(0, b"%!FontType1", Is(Pfa)),
    m(0, b"%!PS", Check(c::postscript)),
    m(0, b"\xC5\xD0\xD3\xC6", Is(Eps)),
    m(0, b"\x80\x01", Check(c::pfb)),
    m(0, b"StartFontMetrics", Is(Afm)),
    m(0, b"\0\x01", Check(c::pfm_font)),
    m(0, b"\0\x01\0\0", Check(c::sfnt)),
    m(0, b"true\0", Is(Ttf)),
    m(0, b"OTTO\0", Is(Otf)),
    m(0, b"ttcf\0", Is(Ttc)),
    m(0, b"BEGIN:VCARD", Is(VCard)),
    m(0, b"BEGIN:VCALENDAR", Is(Ics)),
    m(0, b"rtsp://", Is(Ram)),
    m(0, b"pnm://", Is(Ram)),
    m(0, b"V6", Check(c::moi)),
    m(0, b"\0\0\x01\0", Check(c::dfont)),
    m(0, b"\0\0\x01\0", Check(c::icon)),
    m(0, b"\0\0\x02\0", Check(c::icon)),
];

/// Runs the table over the probe's head; the first row that matches and whose refiner
/// agrees wins.
pub(super) fn lookup(p: &Probe) -> Option<Format> {
    for row in MAGIC {
        let Some(got) = p.at(row.offset, row.bytes.len()) else { continue };
        let matched = match row.mask {
            None => got == row.bytes,
            Some(mask) => got.iter().zip(row.bytes).zip(mask).all(|((g, b), k)| g & k == b & k),
        };
        if !matched {
            continue;
        }
        match row.hit {
            Is(f) => return Some(f),
            Check(refine) => {
                if let Some(f) = refine(p) {
                    return Some(f);
                }
            }
        }
    }
    None
}
