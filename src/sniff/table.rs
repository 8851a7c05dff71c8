//! The `Format` enum and its names, MIME types and extensions (data only).
//!
//! Names and MIME types are what ExifTool prints as `File:FileType` / `File:MIMEType`
//! (observed output); the first extension, uppercased, is `File:FileTypeExtension`.

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

            /// Usual file extensions, lowercase, the preferred one first (empty for
            /// formats ExifTool gives no extension, like ELF executables).
            pub fn extensions(self) -> &'static [&'static str] {
                match self { $(Format::$variant => &[$($ext),*],)* }
            }
        }
    };
}

formats! {
    /// Not recognised.
    Unknown => ("Unknown", "application/octet-stream", []),

    // ---- still images -------------------------------------------------------------
    /// JPEG / JFIF / EXIF image.
    Jpeg => ("JPEG", "image/jpeg", ["jpg", "jpeg", "jpe"]),
    /// JPEG stereo image (APP3 `_JPSJPS_`).
    Jps => ("JPS", "image/x-jps", ["jps"]),
    /// TIFF image.
    Tiff => ("TIFF", "image/tiff", ["tif", "tiff"]),
    /// BigTIFF image.
    BigTiff => ("BTF", "image/x-tiff-big", ["btf"]),
    /// PNG image.
    Png => ("PNG", "image/png", ["png"]),
    /// Animated PNG.
    Apng => ("APNG", "image/apng", ["png"]),
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
    /// HEIC image sequence (`hevc` brand).
    HeicSequence => ("HEICS", "image/heic-sequence", ["heics"]),
    /// HEIF image sequence (`msf1` brand).
    HeifSequence => ("HEIFS", "image/heif-sequence", ["heifs"]),
    /// Windows bitmap.
    Bmp => ("BMP", "image/bmp", ["bmp"]),
    /// Windows icon.
    Ico => ("ICO", "image/x-icon", ["ico"]),
    /// Windows cursor.
    Cur => ("CUR", "image/x-cursor", ["cur"]),
    /// ZSoft PCX.
    Pcx => ("PCX", "image/pcx", ["pcx"]),
    /// JPEG 2000 (JP2 container).
    Jp2 => ("JP2", "image/jp2", ["jp2"]),
    /// JPEG 2000 extended (JPX).
    Jpx => ("JPX", "image/jpx", ["jpx"]),
    /// JPEG 2000 compound (JPM).
    Jpm => ("JPM", "image/jpm", ["jpm"]),
    /// JPEG 2000 codestream.
    J2c => ("J2C", "image/x-j2c", ["j2c"]),
    /// JPEG XL (ISO-BMFF container).
    Jxl => ("JXL", "image/jxl", ["jxl"]),
    /// JPEG XL bare codestream.
    JxlCodestream => ("JXL Codestream", "image/jxl", ["jxl"]),
    /// Better Portable Graphics.
    Bpg => ("BPG", "image/bpg", ["bpg"]),
    /// Free Lossless Image Format.
    Flif => ("FLIF", "image/flif", ["flif"]),
    /// OpenEXR.
    Exr => ("EXR", "image/x-exr", ["exr"]),
    /// Radiance HDR.
    Hdr => ("HDR", "image/vnd.radiance", ["hdr"]),
    /// Portable float map.
    Pfm => ("PFM", "image/x-pfm", ["pfm"]),
    /// Portable pixmap.
    Ppm => ("PPM", "image/x-portable-pixmap", ["ppm"]),
    /// Portable graymap.
    Pgm => ("PGM", "image/x-portable-graymap", ["pgm"]),
    /// Portable bitmap.
    Pbm => ("PBM", "image/x-portable-bitmap", ["pbm"]),
    /// Progressive Graphics File.
    Pgf => ("PGF", "image/pgf", ["pgf"]),
    /// Paint Shop Pro image.
    Psp => ("PSP", "image/x-paintshoppro", ["psp"]),
    /// GIMP image.
    Xcf => ("XCF", "image/x-xcf", ["xcf"]),
    /// Digital Picture Exchange.
    Dpx => ("DPX", "image/x-dpx", ["dpx"]),
    /// Flexible Image Transport System.
    Fits => ("FITS", "image/fits", ["fits"]),
    /// ImageMagick image.
    Miff => ("MIFF", "application/x-magick-image", ["miff"]),
    /// Meta Information Encapsulation (holding a JPEG).
    Mie => ("MIE", "image/x-mie-jpeg", ["mie"]),
    /// Medical Research Council image.
    Mrc => ("MRC", "image/x-mrc", ["mrc"]),
    /// Kodak Photo CD.
    Pcd => ("PCD", "image/x-photo-cd", ["pcd"]),
    /// Apple PICT.
    Pict => ("PICT", "image/pict", ["pict"]),
    /// Sony PMP.
    Pmp => ("PMP", "image/x-sony-pmp", ["pmp"]),
    /// Zeiss CZI.
    Czi => ("CZI", "image/x-zeiss-czi", ["czi"]),
    /// FLIR public image format.
    Fpf => ("FPF", "image/x-flir-fpf", ["fpf"]),
    /// Lytro light field picture.
    Lfp => ("LFP", "image/x-lytro-lfp", ["lfp"]),
    /// DjVu single page.
    Djvu => ("DJVU", "image/vnd.djvu", ["djvu"]),
    /// DjVu multi-page.
    DjvuMulti => ("DJVU (multi-page)", "image/vnd.djvu", ["djvu"]),
    /// Scalable Vector Graphics.
    Svg => ("SVG", "image/svg+xml", ["svg"]),
    /// Adobe Photoshop document.
    Psd => ("PSD", "application/vnd.adobe.photoshop", ["psd"]),
    /// Adobe Photoshop large document.
    Psb => ("PSB", "application/vnd.adobe.photoshop", ["psb"]),
    /// Exiv2 metadata sidecar.
    Exv => ("EXV", "image/x-exv", ["exv"]),
    /// XMP sidecar.
    Xmp => ("XMP", "application/rdf+xml", ["xmp"]),
    /// ICC colour profile.
    Icc => ("ICC", "application/vnd.iccprofile", ["icc", "icm"]),

    // ---- camera raw -----------------------------------------------------------------
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
    /// Nikon raw (Coolpix).
    Nrw => ("NRW", "image/x-nikon-nrw", ["nrw"]),
    /// Sony raw.
    Arw => ("ARW", "image/x-sony-arw", ["arw"]),
    /// Sony raw (older).
    Sr2 => ("SR2", "image/x-sony-sr2", ["sr2"]),
    /// Sony raw (oldest).
    Srf => ("SRF", "image/x-sony-srf", ["srf"]),
    /// Olympus raw.
    Orf => ("ORF", "image/x-olympus-orf", ["orf"]),
    /// Panasonic raw.
    Rw2 => ("RW2", "image/x-panasonic-rw2", ["rw2"]),
    /// Panasonic/Leica/Kyocera raw (older).
    Raw => ("RAW", "image/x-raw", ["raw"]),
    /// Leica raw.
    Rwl => ("RWL", "image/x-leica-rwl", ["rwl"]),
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
    /// Epson raw.
    Erf => ("ERF", "image/x-epson-erf", ["erf"]),
    /// Kodak raw.
    Kdc => ("KDC", "image/x-kodak-kdc", ["kdc"]),
    /// Kodak raw.
    Dcr => ("DCR", "image/x-kodak-dcr", ["dcr"]),
    /// Mamiya raw.
    Mef => ("MEF", "image/x-mamiya-mef", ["mef"]),
    /// Leaf raw.
    Mos => ("MOS", "image/x-raw", ["mos"]),
    /// Hasselblad raw.
    ThreeFr => ("3FR", "image/x-hasselblad-3fr", ["3fr"]),
    /// Hasselblad raw (Imacon).
    Fff => ("FFF", "image/x-hasselblad-fff", ["fff"]),
    /// Canon DPP recipe data.
    Vrd => ("VRD", "application/octet-stream", ["vrd"]),
    /// Canon DPP 4 recipe data.
    Dr4 => ("DR4", "application/octet-stream", ["dr4"]),
    /// Capture One enhanced image package.
    Eip => ("EIP", "application/x-captureone", ["eip"]),
    /// RED raw video.
    R3d => ("R3D", "video/x-red-r3d", ["r3d"]),

    // ---- video and movie containers -------------------------------------------------
    /// MPEG-4 video.
    Mp4 => ("MP4", "video/mp4", ["mp4"]),
    /// Apple QuickTime movie.
    Mov => ("MOV", "video/quicktime", ["mov", "qt"]),
    /// MPEG-4 audio.
    M4a => ("M4A", "audio/mp4", ["m4a"]),
    /// MPEG-4 audio book.
    M4b => ("M4B", "audio/mp4", ["m4b"]),
    /// MPEG-4 protected audio.
    M4p => ("M4P", "audio/mp4", ["m4p"]),
    /// MPEG-4 video (iTunes).
    M4v => ("M4V", "video/x-m4v", ["m4v"]),
    /// Adobe Flash MPEG-4 video.
    F4v => ("F4V", "video/mp4", ["f4v"]),
    /// 3GPP video.
    ThreeGp => ("3GP", "video/3gpp", ["3gp"]),
    /// 3GPP2 video.
    ThreeG2 => ("3G2", "video/3gpp2", ["3g2"]),
    /// Matroska video.
    Mkv => ("MKV", "video/x-matroska", ["mkv"]),
    /// Matroska audio.
    Mka => ("MKA", "audio/x-matroska", ["mka"]),
    /// Matroska subtitles (subtitle tracks only).
    Mks => ("MKS", "application/x-matroska", ["mks"]),
    /// WebM.
    WebM => ("WEBM", "video/webm", ["webm"]),
    /// AVI (RIFF).
    Avi => ("AVI", "video/x-msvideo", ["avi"]),
    /// Advanced Systems Format.
    Asf => ("ASF", "video/x-ms-asf", ["asf"]),
    /// Windows Media Video.
    Wmv => ("WMV", "video/x-ms-wmv", ["wmv"]),
    /// Windows Media Audio.
    Wma => ("WMA", "audio/x-ms-wma", ["wma"]),
    /// Windows recorded TV.
    Wtv => ("WTV", "video/x-ms-wtv", ["wtv"]),
    /// Flash video.
    Flv => ("FLV", "video/x-flv", ["flv"]),
    /// Shockwave Flash.
    Swf => ("SWF", "application/x-shockwave-flash", ["swf"]),
    /// MPEG program stream.
    Mpeg => ("MPEG", "video/mpeg", ["mpg", "mpeg"]),
    /// DVD video object (MPEG program stream).
    Vob => ("VOB", "video/mpeg", ["vob"]),
    /// MPEG-2 video elementary stream.
    M2v => ("M2V", "video/mpeg", ["m2v"]),
    /// MPEG-2 transport stream (188-byte packets).
    M2t => ("M2T", "video/mpeg", ["m2t", "ts"]),
    /// BDAV transport stream (192-byte packets).
    M2ts => ("M2TS", "video/m2ts", ["mts", "m2ts"]),
    /// DV video.
    Dv => ("DV", "video/x-dv", ["dv"]),
    /// Material Exchange Format.
    Mxf => ("MXF", "application/mxf", ["mxf"]),
    /// JVC/Panasonic MOI index.
    Moi => ("MOI", "application/octet-stream", ["moi"]),
    /// Ogg Theora video.
    Ogv => ("OGV", "video/ogg", ["ogv"]),
    /// RealMedia.
    Rm => ("RM", "audio/x-pn-realaudio", ["rm"]),

    // ---- audio ----------------------------------------------------------------------
    /// MPEG audio (layer 3, or any MPEG layer after ID3).
    Mp3 => ("MP3", "audio/mpeg", ["mp3"]),
    /// FLAC.
    Flac => ("FLAC", "audio/flac", ["flac"]),
    /// Ogg (Vorbis, FLAC...).
    Ogg => ("OGG", "audio/ogg", ["ogg"]),
    /// Ogg Opus.
    Opus => ("OPUS", "audio/ogg", ["opus"]),
    /// RIFF WAVE.
    Wav => ("WAV", "audio/x-wav", ["wav"]),
    /// AIFF.
    Aiff => ("AIFF", "audio/x-aiff", ["aiff", "aif"]),
    /// A RIFF file of an unknown form.
    Riff => ("RIFF", "application/unknown", ["riff"]),
    /// AIFF-C.
    Aifc => ("AIFC", "audio/x-aiff", ["aifc"]),
    /// ADTS AAC.
    Aac => ("AAC", "audio/aac", ["aac"]),
    /// Dolby AC-3.
    Ac3 => ("AC3", "audio/ac3", ["ac3"]),
    /// WavPack.
    WavPack => ("WV", "audio/x-wavpack", ["wv"]),
    /// Apple Core Audio Format.
    Caf => ("CAF", "audio/x-caf", ["caf"]),
    /// Monkey's Audio.
    Ape => ("APE", "audio/x-monkeys-audio", ["ape"]),
    /// Musepack.
    Mpc => ("MPC", "audio/x-musepack", ["mpc"]),
    /// Olympus digital speech.
    Dss => ("DSS", "audio/x-dss", ["dss"]),
    /// Audible audiobook.
    Aa => ("AA", "audio/audible", ["aa"]),
    /// RealAudio.
    Ra => ("RA", "audio/x-pn-realaudio", ["ra"]),
    /// RealAudio metadata (a text link).
    Ram => ("RAM", "audio/x-pn-realaudio", ["ram"]),

    // ---- documents and archives -----------------------------------------------------
    /// PDF document.
    Pdf => ("PDF", "application/pdf", ["pdf"]),
    /// ZIP archive.
    Zip => ("ZIP", "application/zip", ["zip"]),
    /// Gzip-compressed data.
    Gzip => ("GZIP", "application/x-gzip", ["gz"]),
    /// RAR archive.
    Rar => ("RAR", "application/x-rar-compressed", ["rar"]),
    /// Bzip2-compressed data.
    Bz2 => ("BZ2", "application/bzip2", ["bz2"]),
    /// Tape archive.
    Tar => ("TAR", "application/x-tar", ["tar"]),
    /// 7-Zip archive.
    SevenZ => ("7Z", "application/x-7z-compressed", ["7z"]),
    /// Office Open XML word processing document.
    Docx => ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ["docx"]),
    /// Office Open XML word processing document with macros.
    Docm => ("DOCM", "application/vnd.ms-word.document.macroEnabled.12", ["docm"]),
    /// Office Open XML spreadsheet.
    Xlsx => ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ["xlsx"]),
    /// Office Open XML spreadsheet with macros.
    Xlsm => ("XLSM", "application/vnd.ms-excel.sheet.macroEnabled.12", ["xlsm"]),
    /// Office Open XML presentation.
    Pptx => ("PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ["pptx"]),
    /// Office Open XML presentation with macros.
    Pptm => ("PPTM", "application/vnd.ms-powerpoint.presentation.macroEnabled.12", ["pptm"]),
    /// Office Open XML word processing template.
    Dotx => ("DOTX", "application/vnd.openxmlformats-officedocument.wordprocessingml.template", ["dotx"]),
    /// Office Open XML word processing template with macros.
    Dotm => ("DOTM", "application/vnd.ms-word.template.macroEnabledTemplate", ["dotm"]),
    /// Office Open XML spreadsheet template.
    Xltx => ("XLTX", "application/vnd.openxmlformats-officedocument.spreadsheetml.template", ["xltx"]),
    /// Office Open XML spreadsheet template with macros.
    Xltm => ("XLTM", "application/vnd.ms-excel.template.macroEnabled.12", ["xltm"]),
    /// Office Open XML presentation template.
    Potx => ("POTX", "application/vnd.openxmlformats-officedocument.presentationml.template", ["potx"]),
    /// Office Open XML presentation template with macros.
    Potm => ("POTM", "application/vnd.ms-powerpoint.template.macroEnabled.12", ["potm"]),
    /// Office Open XML slide show.
    Ppsx => ("PPSX", "application/vnd.openxmlformats-officedocument.presentationml.slideshow", ["ppsx"]),
    /// Office Open XML slide show with macros.
    Ppsm => ("PPSM", "application/vnd.ms-powerpoint.slideshow.macroEnabled.12", ["ppsm"]),
    /// OpenDocument text.
    Odt => ("ODT", "application/vnd.oasis.opendocument.text", ["odt"]),
    /// OpenDocument spreadsheet.
    Ods => ("ODS", "application/vnd.oasis.opendocument.spreadsheet", ["ods"]),
    /// OpenDocument presentation.
    Odp => ("ODP", "application/vnd.oasis.opendocument.presentation", ["odp"]),
    /// OpenDocument drawing.
    Odg => ("ODG", "application/vnd.oasis.opendocument.graphics", ["odg"]),
    /// EPUB electronic book.
    Epub => ("EPUB", "application/epub+zip", ["epub"]),
    /// Apple iWork Numbers.
    Numbers => ("NUMBERS", "application/x-iwork-numbers-sffnumbers", ["numbers"]),
    /// Apple iWork Pages.
    Pages => ("PAGES", "application/x-iwork-pages-sffpages", ["pages"]),
    /// Apple iWork Keynote.
    Key => ("KEY", "application/x-iWork-keynote-sffkey", ["key"]),
    /// Microsoft Word 97-2003 (OLE compound file).
    Doc => ("DOC", "application/msword", ["doc"]),
    /// Microsoft Excel 97-2003 (OLE compound file).
    Xls => ("XLS", "application/vnd.ms-excel", ["xls"]),
    /// Microsoft PowerPoint 97-2003 (OLE compound file).
    Ppt => ("PPT", "application/vnd.ms-powerpoint", ["ppt"]),
    /// FlashPix (or another OLE compound file).
    Fpx => ("FPX", "image/vnd.fpx", ["fpx"]),
    /// Rich Text Format.
    Rtf => ("RTF", "text/rtf", ["rtf"]),
    /// Plain text.
    Txt => ("TXT", "text/plain", ["txt"]),
    /// Comma-separated values.
    Csv => ("CSV", "text/csv", ["csv"]),
    /// JSON.
    Json => ("JSON", "application/json", ["json"]),
    /// HTML.
    Html => ("HTML", "text/html", ["html", "htm"]),
    /// Generic XML.
    Xml => ("XML", "application/xml", ["xml"]),
    /// Apple property list (binary).
    Plist => ("PLIST", "application/x-plist", ["plist"]),
    /// Apple property list (XML).
    PlistXml => ("PLIST", "application/xml", ["plist"]),
    /// Apple Photos adjustments (XML property list).
    Aae => ("AAE", "application/vnd.apple.photos", ["aae"]),
    /// vCard.
    VCard => ("VCard", "text/vcard", ["vcf"]),
    /// iCalendar.
    Ics => ("ICS", "text/calendar", ["ics"]),
    /// BitTorrent metainfo.
    Torrent => ("Torrent", "application/x-bittorrent", ["torrent"]),
    /// Mobipocket e-book.
    Mobi => ("MOBI", "application/x-mobipocket-ebook", ["mobi"]),
    /// Encapsulated PostScript.
    Eps => ("EPS", "application/postscript", ["eps"]),
    /// PostScript.
    Ps => ("PS", "application/postscript", ["ps"]),
    /// Adobe InDesign document.
    Indd => ("INDD", "application/x-indesign", ["indd"]),
    /// Adobe InDesign interchange (XML).
    Inx => ("INX", "application/x-indesign-interchange", ["inx"]),
    /// DICOM medical image.
    Dicom => ("DICOM", "application/dicom", ["dcm"]),
    /// ISO 9660 CD-ROM image.
    Iso => ("ISO", "application/x-iso9660-image", ["iso"]),
    /// iTunes cover-flow data.
    Itc => ("ITC", "application/itunes", ["itc"]),
    /// Windows shortcut.
    Lnk => ("LNK", "application/octet-stream", ["lnk"]),
    /// AppleDouble resource/attribute file.
    MacOs => ("MacOS", "application/unknown", ["macos"]),

    // ---- fonts ----------------------------------------------------------------------
    /// TrueType font.
    Ttf => ("TTF", "application/x-font-ttf", ["ttf"]),
    /// OpenType font.
    Otf => ("OTF", "application/x-font-otf", ["otf"]),
    /// TrueType font collection.
    Ttc => ("TTC", "application/x-font-ttf", ["ttc"]),
    /// Mac OS X data-fork font.
    Dfont => ("DFONT", "application/x-dfont", ["dfont"]),
    /// Adobe font metrics.
    Afm => ("AFM", "application/x-font-afm", ["afm"]),
    /// PostScript Type 1 font (ASCII).
    Pfa => ("PFA", "application/x-font-type1", ["pfa"]),
    /// PostScript Type 1 font (binary).
    Pfb => ("PFB", "application/x-font-type1", ["pfb"]),
    /// Printer font metrics.
    PfmFont => ("PFM", "application/x-font-type1", ["pfm"]),

    // ---- executables ----------------------------------------------------------------
    /// Windows 32-bit executable.
    WinExe => ("Win32 EXE", "application/octet-stream", ["exe"]),
    /// Windows 32-bit library.
    WinDll => ("Win32 DLL", "application/octet-stream", ["dll"]),
    /// Windows 64-bit executable.
    Win64Exe => ("Win64 EXE", "application/octet-stream", ["exe"]),
    /// Windows 64-bit library.
    Win64Dll => ("Win64 DLL", "application/octet-stream", ["dll"]),
    /// MS-DOS executable.
    DosExe => ("DOS EXE", "application/octet-stream", ["exe"]),
    /// ELF executable.
    ElfExe => ("ELF executable", "application/octet-stream", []),
    /// ELF shared library.
    ElfLib => ("ELF shared library", "application/octet-stream", ["so"]),
    /// ELF relocatable object.
    ElfObj => ("ELF object file", "application/octet-stream", ["o"]),
    /// Mach-O executable.
    MachOExe => ("Mach-O executable", "application/octet-stream", []),
    /// Mach-O dynamic library.
    MachODylib => ("Mach-O dynamic link library", "application/octet-stream", ["dylib"]),
    /// Mach-O object file.
    MachOObj => ("Mach-O object file", "application/octet-stream", ["o"]),
    /// Mach-O bundle.
    MachOBundle => ("Mach-O dynamic bound bundle", "application/octet-stream", ["dylib"]),
    /// Mach-O universal (fat) binary.
    MachOFat => ("Mach-O fat binary executable", "application/octet-stream", []),
    /// Java class file.
    JavaClass => ("Java bytecode", "application/java-byte-code", ["class"]),
    /// Unix `ar` archive (static library).
    MachOStatic => ("Mach-O static library", "application/octet-stream", ["a"]),
}

impl Format {
    /// ExifTool's `File:FileTypeExtension` (the preferred extension, uppercase; empty
    /// for formats without one).
    pub fn type_extension(self) -> String {
        self.extensions().first().map(|e| e.to_ascii_uppercase()).unwrap_or_default()
    }

    /// The format whose extension list holds `ext` (case-insensitive), preferring the first
    /// such format in table order.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| *f != Format::Unknown && f.extensions().iter().any(|e| e.eq_ignore_ascii_case(ext)))
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A format by its [`name`](Format::name), as it serializes.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Format {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name() == name)
            .ok_or_else(|| serde::de::Error::custom(format_args!("unknown format {name:?}")))
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
