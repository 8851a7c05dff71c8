//! Container parsers, one module per container. Each finds its metadata blocks, emits
//! its own tags and hands EXIF/IPTC/XMP payloads to the shared parsers in `crate::meta`.

pub(crate) mod audio;
mod documents;
pub(crate) mod images;
pub(crate) mod isobmff;
mod video;

use documents::{indesign, ooxml, pdf, postscript, type1_font};
use images::{
    bmp, bpg, crw, djvu, dpx, exr, flif, gif, ico, jpeg, jpeg2000, miff, mrc, mrw, pcx, pgf, pict, pmp, png,
    pnm, psd, psp, radiance_hdr, svg, tiff, webp, x3f, xcf, xmp_sidecar,
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
        | Erf | Kdc | Dcr | Mef | Mos | ThreeFr | Fff => tiff::parse(cx),
        Iiq => tiff::parse_iiq(cx),
        Raf => tiff::parse_raf(cx),
        Png | Apng => png::parse(cx),
        Gif => gif::parse(cx),
        WebP | WebPExtended => webp::parse(cx),
        Heic | Heif | Avif | HeicSequence | HeifSequence => isobmff::heif::parse(cx),
        Cr3 => isobmff::cr3::parse(cx),
        Mp4 | Mov | M4a | M4v | ThreeGp | ThreeG2 | F4v => isobmff::movie::parse(cx),
        Mkv | Mka | Mks | WebM => matroska::parse(cx),
        Psd | Psb => psd::parse(cx),
        Xmp => xmp_sidecar::parse(cx),
        Icc => icc_file(cx),
        Mp3 | Flac | Ogg | Opus | Ogv | Wav | Aiff | Aifc | Ape | WavPack | Mpc | Rm => {
            audio::parse(format, cx)
        }
        Pdf => pdf::parse(cx),
        Docx | Docm | Xlsx | Xlsm | Pptx | Pptm | Dotx | Dotm | Xltx | Xltm | Potx | Potm | Ppsx | Ppsm => {
            ooxml::parse(cx)
        }
        Odt | Ods | Odp | Odg => ooxml::parse_odf(cx),
        Zip => ooxml::parse_zip(cx),
        Eip => ooxml::parse_eip(cx),
        Numbers | Pages | Key => ooxml::parse_iwork(cx),
        Avi => riff_avi::parse(cx),
        Mrw => mrw::parse(cx),
        Pmp => pmp::parse(cx),
        Dss => audio::dss::parse(cx),
        Crw => crw::parse(cx),
        X3f => x3f::parse(cx),
        Dv => dv::parse(cx),
        Mpeg => mpeg_ps::parse(cx),
        M2t | M2ts => mpeg_ts::parse(cx),
        Bpg => bpg::parse(cx),
        Flif => flif::parse(cx),
        Miff => miff::parse(cx),
        Xcf => xcf::parse(cx),
        Psp => psp::parse(cx),
        Svg => svg::parse(cx),
        Exr => exr::parse(cx),
        Hdr => radiance_hdr::parse(cx),
        Dpx => dpx::parse(cx),
        Jp2 | Jpx | Jpm | Jxl => jpeg2000::parse(cx),
        J2c => jpeg2000::parse_j2c(cx),
        JxlCodestream => jpeg2000::parse_jxl_codestream(cx),
        Flv => flv::parse(cx),
        Asf | Wmv | Wma => asf::parse(cx),
        Bmp => bmp::parse(cx),
        Ico | Cur => ico::parse(cx),
        Pcx => pcx::parse(cx),
        Ppm | Pgm | Pbm => pnm::parse(cx),
        Pfm => pnm::parse_pfm(cx),
        Pict => pict::parse(cx),
        Mrc => mrc::parse(cx),
        Eps | Ps => postscript::parse(cx),
        Pfa => type1_font::parse_pfa(cx),
        Pfb => type1_font::parse_pfb(cx),
        Afm => type1_font::parse_afm(cx),
        Indd => indesign::parse_indd(cx),
        Inx => indesign::parse_inx(cx),
        Pgf => pgf::parse(cx),
        Djvu | DjvuMulti => djvu::parse(cx),
        _ => Ok(()),
    }
}

/// A standalone ICC profile (`.icc`/`.icm`): the whole file is the profile.
fn icc_file(cx: &mut Ctx) -> Result<()> {
    let data = cx.read(0, cx.len())?;
    crate::meta::icc::parse_profile(cx, &data)
}
