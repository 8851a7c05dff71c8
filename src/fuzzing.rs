//! Entry points for fuzz targets and benchmarks: run one parser on raw bytes, skipping
//! format detection. Not part of the stable API.

use crate::context::Ctx;
use crate::options::Options;
use crate::sniff::Format;

pub use crate::meta::nested::Payload;

/// Whether the PNG tail search's fast candidate route agrees with its full pass on `data`
/// taken as a file's tail (a differential check: a fuzz target asserts it).
pub fn png_tail_searches_agree(data: &[u8]) -> bool {
    crate::formats::images::png::tail_searches_agree(data)
}

/// Runs the container parser for `format` on `data`; returns how many tags it found.
pub fn parse_as(format: Format, data: &[u8]) -> usize {
    let opts = Options::default();
    let mut cx = Ctx::new(&data, &opts);
    let _ = crate::formats::parse(format, &mut cx);
    cx.name_facts();
    cx.tags.len()
}

/// Runs one payload parser on `data`; returns how many tags it found.
pub fn parse_payload(payload: Payload, data: &[u8]) -> usize {
    payload_tags(payload, data).len()
}

/// Runs one payload parser on `data` and returns the tags it found (for tests that check
/// payload parsers against ExifTool's output without a container).
pub fn payload_tags(payload: Payload, data: &[u8]) -> Vec<crate::model::Tag> {
    let opts = Options::default();
    let mut cx = Ctx::new(&data, &opts);
    let _ = crate::meta::nested::parse(&mut cx, payload, data, 0);
    cx.tags
}

/// Runs the container parser for `format` on `data` and returns its tags, streams and
/// warnings (for integration tests of a container before the sniffer knows it).
pub fn container_output(
    format: Format,
    data: &[u8],
) -> (Vec<crate::model::Tag>, Vec<crate::model::Stream>, Vec<crate::model::Warning>) {
    let opts = Options::default();
    let mut cx = Ctx::new(&data, &opts);
    if let Err(e) = crate::formats::parse(format, &mut cx) {
        cx.warn_error(&e);
    }
    cx.name_facts();
    (cx.tags, cx.streams, cx.warnings)
}

/// Runs the container parser for `format` on `data` and returns the tags it found (for
/// tests that check a container without format detection).
pub fn format_tags(format: Format, data: &[u8]) -> Vec<crate::model::Tag> {
    container_output(format, data).0
}

/// The small image and raw header parsers that share one fuzz target (`images`).
const IMAGE_HEADER_FORMATS: &[Format] = &[
    Format::Bmp,
    Format::Pfm,
    Format::Pict,
    Format::Ico,
    Format::Cur,
    Format::Pcx,
    Format::Ppm,
    Format::Pbm,
    Format::Jp2,
    Format::J2c,
    Format::JxlCodestream,
    Format::Exr,
    Format::Hdr,
    Format::Dpx,
    Format::Svg,
    Format::Bpg,
    Format::Flif,
    Format::Miff,
    Format::Xcf,
    Format::Psp,
    Format::Mrw,
    Format::X3f,
];

/// Runs one of the image header parsers on `data[1..]`, the first byte choosing which
/// (the `images` fuzz target and its regression replay both go through here).
pub fn parse_image_header(data: &[u8]) -> usize {
    match data.split_first() {
        Some((&sel, rest)) => {
            let format = IMAGE_HEADER_FORMATS.get(usize::from(sel) % IMAGE_HEADER_FORMATS.len());
            format.map_or(0, |f| parse_as(*f, rest))
        }
        None => 0,
    }
}

/// The readers of the less common formats that share one fuzz target (`misc_formats`).
const MISC_FORMATS: &[Format] = &[
    Format::Mrc,
    Format::Pgf,
    Format::Pmp,
    Format::DjvuMulti,
    Format::Crw,
    Format::Eps,
    Format::Pfa,
    Format::Pfb,
    Format::Afm,
    Format::Indd,
    Format::Inx,
    Format::Rm,
    Format::Eip,
];

/// Runs one of the less common formats' readers on `data[1..]`, the first byte choosing
/// which (the `misc_formats` fuzz target and its regression replay both go through here).
pub fn parse_misc_format(data: &[u8]) -> usize {
    match data.split_first() {
        Some((&sel, rest)) => {
            let format = MISC_FORMATS.get(usize::from(sel) % MISC_FORMATS.len());
            format.map_or(0, |f| parse_as(*f, rest))
        }
        None => 0,
    }
}

/// `Make` values that lead the maker-note reader to each maker's module (a note's own
/// header may still pick another).
const MAKER_NOTE_MAKES: &[&str] = &[
    "Canon",
    "NIKON CORPORATION",
    "SONY",
    "FUJIFILM",
    "OLYMPUS IMAGING CORP.",
    "Panasonic",
    "PENTAX Corporation",
    "Apple",
    "SAMSUNG",
    "SANYO Electric Co.,Ltd.",
    "SIGMA",
    "CASIO COMPUTER CO.,LTD.",
    "KONICA MINOLTA",
    "EASTMAN KODAK COMPANY",
    "Acme",
    "DJI",
];

/// Runs the maker-note reader on `data[2..]`: `data[0]` picks the maker (its low six bits
/// the index, bit 6 a camera model, the top bit the byte order) and `data[1]` where the
/// note sits after its TIFF header; one more index runs the CRW container, whose records
/// hold Canon's note blocks. Returns how many tags were found.
pub fn parse_maker_note(data: &[u8]) -> usize {
    let (Some(&sel), Some(&pos), Some(rest)) = (data.first(), data.get(1), data.get(2..)) else {
        return 0;
    };
    let index = usize::from(sel & 0x3F) % (MAKER_NOTE_MAKES.len() + 1);
    let Some(make) = MAKER_NOTE_MAKES.get(index) else {
        return parse_as(Format::Crw, rest);
    };
    let opts = Options::default();
    let mut cx = Ctx::new(&rest, &opts);
    // Bit 6 names a body too, for makers whose fields depend on the model (Sony).
    let model = if sel & 0x40 != 0 { "ILCE-7M3" } else { "" };
    crate::meta::exif::read_maker_note(&mut cx, make, model, rest, sel & 0x80 != 0, u64::from(pos));
    cx.tags.len()
}

/// Runs Canon's reader of a CR3 timed-metadata sample (`CTMD`: records, and the maker
/// note inside them) on `data`, with the `Model` of the body whose CameraInfo it knows.
/// Returns how many tags were found.
pub fn parse_canon_ctmd(data: &[u8]) -> usize {
    let opts = Options::default();
    let mut cx = Ctx::new(&data, &opts);
    cx.push(crate::model::Tag::new("EXIF", "Model", "Canon EOS M50"));
    crate::meta::exif::canon_cr3_ctmd(&mut cx, data, 0, "Track4");
    cx.tags.len()
}
