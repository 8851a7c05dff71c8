//! White-balance blocks: ColorBalance (tag 0x00A9 of older bodies; CIFF record 0x10A9)
//! and ColorData (tag 0x4001), whose layout changes with the body and is told apart by
//! its length in 16-bit words.

use super::Out;
use super::conv::swapped_halves;
use crate::meta::exif::makernotes::binary::{Block, Fmt, Prim, f, fc};

/// Four white-balance levels (red, green, green, blue).
const RGGB: Fmt = Fmt::List(Prim::I16, 4);
const TEMP: Fmt = Fmt::I16;

/// ColorBalance.
pub(super) const COLOR_BALANCE: Block = Block {
    unit: 2,
    fields: &[
        f(1, "WB_RGGBLevelsAuto", RGGB),
        f(5, "WB_RGGBLevelsDaylight", RGGB),
        f(9, "WB_RGGBLevelsShade", RGGB),
        f(13, "WB_RGGBLevelsCloudy", RGGB),
        f(17, "WB_RGGBLevelsTungsten", RGGB),
        f(21, "WB_RGGBLevelsFluorescent", RGGB),
        f(25, "WB_RGGBLevelsFlash", RGGB),
        f(29, "WB_RGGBLevelsCustom", RGGB),
        f(33, "WB_RGGBLevelsKelvin", RGGB),
        f(37, "WB_RGGBBlackLevels", RGGB),
    ],
};

/// ColorData of the 20D and 350D (582 words).
const COLOR_DATA1: Block = Block {
    unit: 2,
    fields: &[
        f(25, "WB_RGGBLevelsAsShot", RGGB),
        f(29, "ColorTempAsShot", TEMP),
        f(30, "WB_RGGBLevelsAuto", RGGB),
        f(34, "ColorTempAuto", TEMP),
        f(35, "WB_RGGBLevelsDaylight", RGGB),
        f(39, "ColorTempDaylight", TEMP),
        f(40, "WB_RGGBLevelsShade", RGGB),
        f(44, "ColorTempShade", TEMP),
        f(45, "WB_RGGBLevelsCloudy", RGGB),
        f(49, "ColorTempCloudy", TEMP),
        f(50, "WB_RGGBLevelsTungsten", RGGB),
        f(54, "ColorTempTungsten", TEMP),
        f(55, "WB_RGGBLevelsFluorescent", RGGB),
        f(59, "ColorTempFluorescent", TEMP),
        f(60, "WB_RGGBLevelsFlash", RGGB),
        f(64, "ColorTempFlash", TEMP),
        f(65, "WB_RGGBLevelsCustom1", RGGB),
        f(69, "ColorTempCustom1", TEMP),
        f(70, "WB_RGGBLevelsCustom2", RGGB),
        f(74, "ColorTempCustom2", TEMP),
    ],
};

/// ColorData of the 1D Mark III generation (40D, 450D, 1000D, 50D, 5D Mark II...): a
/// version, the white-balance presets (ColorCoefs, from word 63), the black level and
/// the raw measured levels.
const COLOR_DATA4: Block = Block {
    unit: 2,
    fields: &[
        f(0, "ColorDataVersion", Fmt::I16),
        f(63, "WB_RGGBLevelsAsShot", RGGB),
        f(67, "ColorTempAsShot", TEMP),
        f(68, "WB_RGGBLevelsAuto", RGGB),
        f(72, "ColorTempAuto", TEMP),
        f(73, "WB_RGGBLevelsMeasured", RGGB),
        f(77, "ColorTempMeasured", TEMP),
        f(83, "WB_RGGBLevelsDaylight", RGGB),
        f(87, "ColorTempDaylight", TEMP),
        f(88, "WB_RGGBLevelsShade", RGGB),
        f(92, "ColorTempShade", TEMP),
        f(93, "WB_RGGBLevelsCloudy", RGGB),
        f(97, "ColorTempCloudy", TEMP),
        f(98, "WB_RGGBLevelsTungsten", RGGB),
        f(102, "ColorTempTungsten", TEMP),
        f(103, "WB_RGGBLevelsFluorescent", RGGB),
        f(107, "ColorTempFluorescent", TEMP),
        f(108, "WB_RGGBLevelsKelvin", RGGB),
        f(112, "ColorTempKelvin", TEMP),
        f(113, "WB_RGGBLevelsFlash", RGGB),
        f(117, "ColorTempFlash", TEMP),
        f(231, "AverageBlackLevel", Fmt::List(Prim::U16, 4)),
        fc(640, "RawMeasuredRGGB", Fmt::List(Prim::U32, 4), swapped_halves),
    ],
};

/// ColorData of the first CR3 bodies (the EOS M50's, 1820 words, version 16; kept in
/// the CTMD track): the white-balance presets from word 71, then per-channel black and
/// white levels.
const COLOR_DATA9: Block = Block {
    unit: 2,
    fields: &[
        f(0, "ColorDataVersion", Fmt::I16),
        f(71, "WB_RGGBLevelsAsShot", RGGB),
        f(75, "ColorTempAsShot", TEMP),
        f(76, "WB_RGGBLevelsAuto", RGGB),
        f(80, "ColorTempAuto", TEMP),
        f(81, "WB_RGGBLevelsMeasured", RGGB),
        f(85, "ColorTempMeasured", TEMP),
        f(136, "WB_RGGBLevelsDaylight", RGGB),
        f(140, "ColorTempDaylight", TEMP),
        f(141, "WB_RGGBLevelsShade", RGGB),
        f(145, "ColorTempShade", TEMP),
        f(146, "WB_RGGBLevelsCloudy", RGGB),
        f(150, "ColorTempCloudy", TEMP),
        f(151, "WB_RGGBLevelsTungsten", RGGB),
        f(155, "ColorTempTungsten", TEMP),
        f(156, "WB_RGGBLevelsFluorescent", RGGB),
        f(160, "ColorTempFluorescent", TEMP),
        f(161, "WB_RGGBLevelsKelvin", RGGB),
        f(165, "ColorTempKelvin", TEMP),
        f(166, "WB_RGGBLevelsFlash", RGGB),
        f(170, "ColorTempFlash", TEMP),
        f(329, "PerChannelBlackLevel", Fmt::List(Prim::U16, 4)),
        f(796, "NormalWhiteLevel", Fmt::U16),
        f(797, "SpecularWhiteLevel", Fmt::U16),
        f(798, "LinearityUpperMargin", Fmt::U16),
    ],
};

/// Reads ColorData, by its length in words; layouts not known here are left out.
pub(super) fn color_data(out: &mut Out, data: &[u8], le: bool) {
    let block = match data.len() / 2 {
        582 => &COLOR_DATA1,
        674 | 692 | 702 | 1227 | 1250 | 1251 | 1337 | 1338 | 1346 => &COLOR_DATA4,
        1820 => &COLOR_DATA9,
        _ => return,
    };
    out.block(block, data, le);
}
