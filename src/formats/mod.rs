//! Container parsers, one module per container. Each finds its metadata blocks, emits
//! its own tags and hands EXIF/IPTC/XMP payloads to the shared parsers in `crate::meta`.

pub(crate) mod audio;
mod documents;
pub(crate) mod images;
pub(crate) mod isobmff;
mod video;

use documents::{ooxml, pdf};
use images::{
    app_images, bitmap, gif, hdr_images, jpeg, jpeg2000, png, psd, raws, svg, tiff, webp, xmp_sidecar,
};
use video::{asf, dv, flv, matroska, mpeg_ps, mpeg_ts, riff_avi};

use crate::context::Ctx;
use crate::error::Result;
use crate::sniff::Format;

/// Runs the parser for `format`. This match is the whole registry.
pub(crate) fn parse(format: Format, cx: &mut Ctx) -> Result<()> {
    use Format::*;
    match format {
        Jpeg | Jps => jpeg::parse(cx),
        Tiff | BigTiff | Dng | Cr2 | Nef | Nrw | Arw | Sr2 | Srf | Orf | Rw2 | Rwl | Raw | Pef | Srw
        | Iiq | Erf | Kdc | Dcr | Mef | Mos | ThreeFr | Fff => tiff::parse(cx),
        Raf => tiff::parse_raf(cx),
        Png | Apng => png::parse(cx),
        Gif => gif::parse(cx),
        WebP | WebPExtended => webp::parse(cx),
        Heic | Heif | Avif | HeicSequence | HeifSequence => isobmff::heif::parse(cx),
        Cr3 => isobmff::cr3::parse(cx),
        Mp4 | Mov | M4a | M4v | ThreeGp | ThreeG2 => isobmff::movie::parse(cx),
        Mkv | Mka | WebM => matroska::parse(cx),
        Psd | Psb => psd::parse(cx),
        Xmp => xmp_sidecar::parse(cx),
        Icc => icc_file(cx),
        Mp3 | Flac | Ogg | Opus | Ogv | Wav | Aiff | Aifc => audio::parse(format, cx),
        Pdf => pdf::parse(cx),
        Docx | Docm | Xlsx | Xlsm | Pptx | Pptm | Dotx | Dotm | Xltx | Xltm | Potx | Potm | Ppsx | Ppsm => {
            ooxml::parse(cx)
        }
        Odt | Ods | Odp | Odg => ooxml::parse_odf(cx),
        Zip => ooxml::parse_zip(cx),
        Numbers | Pages | Key => ooxml::parse_iwork(cx),
        Avi => riff_avi::parse(cx),
        Mrw => raws::parse_mrw(cx),
        X3f => raws::parse_x3f(cx),
        Dv => dv::parse(cx),
        Mpeg => mpeg_ps::parse(cx),
        M2t | M2ts => mpeg_ts::parse(cx),
        Bpg => app_images::parse_bpg(cx),
        Flif => app_images::parse_flif(cx),
        Miff => app_images::parse_miff(cx),
        Xcf => app_images::parse_xcf(cx),
        Psp => app_images::parse_psp(cx),
        Svg => svg::parse(cx),
        Exr => hdr_images::parse_exr(cx),
        Hdr => hdr_images::parse_hdr(cx),
        Dpx => hdr_images::parse_dpx(cx),
        Jp2 | Jpx | Jpm | Jxl => jpeg2000::parse(cx),
        J2c => jpeg2000::parse_j2c(cx),
        JxlCodestream => jpeg2000::parse_jxl_codestream(cx),
        Flv => flv::parse(cx),
        Asf | Wmv | Wma => asf::parse(cx),
        Bmp => bitmap::parse_bmp(cx),
        Ico | Cur => bitmap::parse_ico(cx),
        Pcx => bitmap::parse_pcx(cx),
        Ppm | Pgm | Pbm => bitmap::parse_pnm(cx),
        _ => Ok(()),
    }
}

/// A standalone ICC profile (`.icc`/`.icm`): the whole file is the profile.
fn icc_file(cx: &mut Ctx) -> Result<()> {
    let data = cx.read(0, cx.len())?;
    crate::meta::icc::parse_profile(cx, &data)
}
