//! Boxes shared by movies and HEIF images: `ftyp`, codec configurations (`avcC`, `hvcC`,
//! `av1C`), `colr`, `pasp`. TODO(owner: movie helper): implement.

use crate::context::Ctx;

/// `ftyp`: `QuickTime:MajorBrand`, `MinorVersion`, `CompatibleBrands`.
pub(crate) fn parse_ftyp(_cx: &mut Ctx, _body: &[u8]) {}

/// `avcC`: H.264 decoder configuration (profile, level...).
pub(crate) fn parse_avcc(_cx: &mut Ctx, _body: &[u8]) {}

/// `hvcC`: HEVC decoder configuration (`QuickTime:HEVCConfigurationVersion`,
/// `GeneralProfileIDC`, `BitDepthLuma`...).
pub(crate) fn parse_hvcc(_cx: &mut Ctx, _body: &[u8]) {}

/// `av1C`: AV1 codec configuration.
pub(crate) fn parse_av1c(_cx: &mut Ctx, _body: &[u8]) {}

/// `colr`: colour information (nclx primaries/transfer/matrix, or an ICC profile).
pub(crate) fn parse_colr(_cx: &mut Ctx, _body: &[u8]) {}
