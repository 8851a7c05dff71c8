//! The EXIF/TIFF/DNG and GPS tag tables, as data: code, ExifTool's tag name, and how the
//! value is converted. Names follow the EXIF 2.32/3.0 (CIPA DC-008), TIFF 6.0, TIFF/EP
//! and DNG specifications, spelled as ExifTool prints them.

/// How a tag's raw value becomes its `-n` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Conv {
    /// Numbers as numbers / lists, ASCII as text, other undefined data as binary.
    Plain,
    /// Undefined bytes that spell a version (`0232`).
    Version,
    /// Undefined bytes printed as a list of numbers (`1 2 3 0`).
    Bytes,
    /// EXIF text with an 8-byte character code prefix (UserComment, GPSProcessingMethod).
    Comment,
    /// APEX shutter speed: 2^-v seconds.
    ApexShutter,
    /// APEX aperture: 2^(v/2).
    ApexAperture,
    /// GPS degrees/minutes/seconds to decimal degrees.
    GpsCoord,
    /// GPS hours/minutes/seconds as `hh:mm:ss`.
    GpsTime,
    /// Windows XP tags: UCS-2 little-endian text.
    Xp,
    /// EXIF CFAPattern: two 16-bit dimensions then the pattern bytes.
    Cfa,
    /// Bytes as an upper-case hex string (RawDataUniqueID).
    Hex,
    /// Canon CR2 CFA pattern code (1..4) as the pattern it stands for.
    Cr2Cfa,
    /// Undefined bytes holding 16-bit integers.
    Shorts,
    /// Always a binary reference.
    Binary,
    /// Not emitted (pointers, payloads handled elsewhere, maker notes).
    Skip,
}

use crate::base::hash::K;
use crate::model::Text;
use Conv::*;
use std::sync::OnceLock;

/// IFD0/IFD1/ExifIFD/SubIFD tags, sorted by code.
pub(super) static MAIN: &[(u16, &str, Conv)] = &[
    (0x000B, "ProcessingSoftware", Plain),
    (0x00FE, "SubfileType", Plain),
    (0x00FF, "OldSubfileType", Plain),
    (0x0100, "ImageWidth", Plain),
    (0x0101, "ImageHeight", Plain),
    (0x0102, "BitsPerSample", Plain),
    (0x0103, "Compression", Plain),
    (0x0106, "PhotometricInterpretation", Plain),
    (0x0107, "Thresholding", Plain),
    (0x0108, "CellWidth", Plain),
    (0x0109, "CellLength", Plain),
    (0x010A, "FillOrder", Plain),
    (0x010D, "DocumentName", Plain),
    (0x010E, "ImageDescription", Plain),
    (0x010F, "Make", Plain),
    (0x0110, "Model", Plain),
    (0x0111, "StripOffsets", Plain),
    (0x0112, "Orientation", Plain),
    (0x0115, "SamplesPerPixel", Plain),
    (0x0116, "RowsPerStrip", Plain),
    (0x0117, "StripByteCounts", Plain),
    (0x0118, "MinSampleValue", Plain),
    (0x0119, "MaxSampleValue", Plain),
    (0x011A, "XResolution", Plain),
    (0x011B, "YResolution", Plain),
    (0x011C, "PlanarConfiguration", Plain),
    (0x011D, "PageName", Plain),
    (0x011E, "XPosition", Plain),
    (0x011F, "YPosition", Plain),
    (0x0122, "GrayResponseUnit", Plain),
    (0x0128, "ResolutionUnit", Plain),
    (0x0129, "PageNumber", Plain),
    (0x012D, "TransferFunction", Binary),
    (0x0131, "Software", Plain),
    (0x0132, "ModifyDate", Plain),
    (0x013B, "Artist", Plain),
    (0x013C, "HostComputer", Plain),
    (0x013D, "Predictor", Plain),
    (0x013E, "WhitePoint", Plain),
    (0x013F, "PrimaryChromaticities", Plain),
    (0x0140, "ColorMap", Binary),
    (0x0141, "HalftoneHints", Plain),
    (0x0142, "TileWidth", Plain),
    (0x0143, "TileLength", Plain),
    (0x0144, "TileOffsets", Plain),
    (0x0145, "TileByteCounts", Plain),
    (0x014A, "SubIFDs", Skip),
    (0x014C, "InkSet", Plain),
    (0x0151, "TargetPrinter", Plain),
    (0x0152, "ExtraSamples", Plain),
    (0x0153, "SampleFormat", Plain),
    (0x0201, "ThumbnailOffset", Plain),
    (0x0202, "ThumbnailLength", Plain),
    (0x0211, "YCbCrCoefficients", Plain),
    (0x0212, "YCbCrSubSampling", Plain),
    (0x0213, "YCbCrPositioning", Plain),
    (0x0214, "ReferenceBlackWhite", Plain),
    (0x02BC, "ApplicationNotes", Skip),
    (0x1000, "RelatedImageFileFormat", Plain),
    (0x1001, "RelatedImageWidth", Plain),
    (0x1002, "RelatedImageHeight", Plain),
    (0x4746, "Rating", Plain),
    (0x4749, "RatingPercent", Plain),
    (0x828D, "CFARepeatPatternDim", Plain),
    (0x828E, "CFAPattern2", Plain),
    (0x828F, "BatteryLevel", Plain),
    (0x8298, "Copyright", Plain),
    (0x829A, "ExposureTime", Plain),
    (0x829D, "FNumber", Plain),
    (0x830E, "PixelScale", Plain),
    (0x83BB, "IPTC-NAA", Skip),
    (0x8482, "ModelTiePoint", Plain),
    (0x85D8, "ModelTransform", Plain),
    (0x8649, "PhotoshopSettings", Skip),
    (0x8769, "ExifOffset", Skip),
    (0x8773, "ICC_Profile", Skip),
    (0x87AF, "GeoTiffDirectory", Skip),
    (0x87B0, "GeoTiffDoubleParams", Skip),
    (0x87B1, "GeoTiffAsciiParams", Skip),
    (0x8822, "ExposureProgram", Plain),
    (0x8824, "SpectralSensitivity", Plain),
    (0x8825, "GPSInfo", Skip),
    (0x8827, "ISO", Plain),
    (0x8828, "Opto-ElectricConvFactor", Binary),
    (0x8829, "Interlace", Plain),
    (0x882A, "TimeZoneOffset", Plain),
    (0x882B, "SelfTimerMode", Plain),
    (0x8830, "SensitivityType", Plain),
    (0x8831, "StandardOutputSensitivity", Plain),
    (0x8832, "RecommendedExposureIndex", Plain),
    (0x8833, "ISOSpeed", Plain),
    (0x8834, "ISOSpeedLatitudeyyy", Plain),
    (0x8835, "ISOSpeedLatitudezzz", Plain),
    (0x9000, "ExifVersion", Version),
    (0x9003, "DateTimeOriginal", Plain),
    (0x9004, "CreateDate", Plain),
    (0x9009, "GooglePlusUploadCode", Binary),
    (0x9010, "OffsetTime", Plain),
    (0x9011, "OffsetTimeOriginal", Plain),
    (0x9012, "OffsetTimeDigitized", Plain),
    (0x9101, "ComponentsConfiguration", Bytes),
    (0x9102, "CompressedBitsPerPixel", Plain),
    (0x9201, "ShutterSpeedValue", ApexShutter),
    (0x9202, "ApertureValue", ApexAperture),
    (0x9203, "BrightnessValue", Plain),
    (0x9204, "ExposureCompensation", Plain),
    (0x9205, "MaxApertureValue", ApexAperture),
    (0x9206, "SubjectDistance", Plain),
    (0x9207, "MeteringMode", Plain),
    (0x9208, "LightSource", Plain),
    (0x9209, "Flash", Plain),
    (0x920A, "FocalLength", Plain),
    (0x920B, "FlashEnergy", Plain),
    (0x920D, "Noise", Plain),
    (0x9211, "ImageNumber", Plain),
    (0x9212, "SecurityClassification", Plain),
    (0x9213, "ImageHistory", Plain),
    (0x9214, "SubjectArea", Plain),
    (0x9215, "ExposureIndex", Plain),
    (0x9216, "TIFF-EPStandardID", Plain),
    (0x9217, "SensingMethod", Plain),
    (0x927C, "MakerNote", Skip),
    (0x9286, "UserComment", Comment),
    (0x9290, "SubSecTime", Plain),
    (0x9291, "SubSecTimeOriginal", Plain),
    (0x9292, "SubSecTimeDigitized", Plain),
    (0x9400, "AmbientTemperature", Plain),
    (0x9401, "Humidity", Plain),
    (0x9402, "Pressure", Plain),
    (0x9403, "WaterDepth", Plain),
    (0x9404, "Acceleration", Plain),
    (0x9405, "CameraElevationAngle", Plain),
    (0x9C9B, "XPTitle", Xp),
    (0x9C9C, "XPComment", Xp),
    (0x9C9D, "XPAuthor", Xp),
    (0x9C9E, "XPKeywords", Xp),
    (0x9C9F, "XPSubject", Xp),
    (0xA000, "FlashpixVersion", Version),
    (0xA001, "ColorSpace", Plain),
    (0xA002, "ExifImageWidth", Plain),
    (0xA003, "ExifImageHeight", Plain),
    (0xA004, "RelatedSoundFile", Plain),
    (0xA005, "InteropOffset", Skip),
    (0xA20B, "FlashEnergy", Plain),
    (0xA20C, "SpatialFrequencyResponse", Binary),
    (0xA20E, "FocalPlaneXResolution", Plain),
    (0xA20F, "FocalPlaneYResolution", Plain),
    (0xA210, "FocalPlaneResolutionUnit", Plain),
    (0xA214, "SubjectLocation", Plain),
    (0xA215, "ExposureIndex", Plain),
    (0xA217, "SensingMethod", Plain),
    (0xA300, "FileSource", Plain),
    (0xA301, "SceneType", Plain),
    (0xA302, "CFAPattern", Cfa),
    (0xA401, "CustomRendered", Plain),
    (0xA402, "ExposureMode", Plain),
    (0xA403, "WhiteBalance", Plain),
    (0xA404, "DigitalZoomRatio", Plain),
    (0xA405, "FocalLengthIn35mmFormat", Plain),
    (0xA406, "SceneCaptureType", Plain),
    (0xA407, "GainControl", Plain),
    (0xA408, "Contrast", Plain),
    (0xA409, "Saturation", Plain),
    (0xA40A, "Sharpness", Plain),
    (0xA40B, "DeviceSettingDescription", Binary),
    (0xA40C, "SubjectDistanceRange", Plain),
    (0xA420, "ImageUniqueID", Plain),
    (0xA430, "OwnerName", Plain),
    (0xA431, "SerialNumber", Plain),
    (0xA432, "LensInfo", Plain),
    (0xA433, "LensMake", Plain),
    (0xA434, "LensModel", Plain),
    (0xA435, "LensSerialNumber", Plain),
    (0xA436, "ImageTitle", Plain),
    (0xA437, "Photographer", Plain),
    (0xA438, "ImageEditor", Plain),
    (0xA439, "CameraFirmware", Plain),
    (0xA43A, "RAWDevelopingSoftware", Plain),
    (0xA43B, "ImageEditingSoftware", Plain),
    (0xA43C, "MetadataEditingSoftware", Plain),
    (0xA460, "CompositeImage", Plain),
    (0xA461, "CompositeImageCount", Plain),
    (0xA462, "CompositeImageExposureTimes", Binary),
    (0xA500, "Gamma", Plain),
    (0xC4A5, "PrintIM", Skip),
    (0xC5E0, "CR2CFAPattern", Cr2Cfa),
    (0xC612, "DNGVersion", Plain),
    (0xC613, "DNGBackwardVersion", Plain),
    (0xC614, "UniqueCameraModel", Plain),
    (0xC615, "LocalizedCameraModel", Plain),
    (0xC616, "CFAPlaneColor", Plain),
    (0xC617, "CFALayout", Plain),
    (0xC618, "LinearizationTable", Binary),
    (0xC619, "BlackLevelRepeatDim", Plain),
    (0xC61A, "BlackLevel", Plain),
    (0xC61B, "BlackLevelDeltaH", Binary),
    (0xC61C, "BlackLevelDeltaV", Binary),
    (0xC61D, "WhiteLevel", Plain),
    (0xC61E, "DefaultScale", Plain),
    (0xC61F, "DefaultCropOrigin", Plain),
    (0xC620, "DefaultCropSize", Plain),
    (0xC621, "ColorMatrix1", Plain),
    (0xC622, "ColorMatrix2", Plain),
    (0xC623, "CameraCalibration1", Plain),
    (0xC624, "CameraCalibration2", Plain),
    (0xC625, "ReductionMatrix1", Plain),
    (0xC626, "ReductionMatrix2", Plain),
    (0xC627, "AnalogBalance", Plain),
    (0xC628, "AsShotNeutral", Plain),
    (0xC629, "AsShotWhiteXY", Plain),
    (0xC62A, "BaselineExposure", Plain),
    (0xC62B, "BaselineNoise", Plain),
    (0xC62C, "BaselineSharpness", Plain),
    (0xC62D, "BayerGreenSplit", Plain),
    (0xC62E, "LinearResponseLimit", Plain),
    (0xC62F, "CameraSerialNumber", Plain),
    (0xC630, "DNGLensInfo", Plain),
    (0xC631, "ChromaBlurRadius", Plain),
    (0xC632, "AntiAliasStrength", Plain),
    (0xC633, "ShadowScale", Plain),
    (0xC634, "DNGPrivateData", Skip),
    (0xC635, "MakerNoteSafety", Plain),
    (0xC640, "RawImageSegmentation", Plain),
    (0xC65A, "CalibrationIlluminant1", Plain),
    (0xC65B, "CalibrationIlluminant2", Plain),
    (0xC65C, "BestQualityScale", Plain),
    (0xC65D, "RawDataUniqueID", Hex),
    (0xC68B, "OriginalRawFileName", Plain),
    (0xC68C, "OriginalRawFileData", Binary),
    (0xC68D, "ActiveArea", Plain),
    (0xC68E, "MaskedAreas", Plain),
    (0xC68F, "AsShotICCProfile", Binary),
    (0xC690, "AsShotPreProfileMatrix", Plain),
    (0xC691, "CurrentICCProfile", Binary),
    (0xC692, "CurrentPreProfileMatrix", Plain),
    (0xC6BF, "ColorimetricReference", Plain),
    (0xC6F3, "CameraCalibrationSig", Plain),
    (0xC6F4, "ProfileCalibrationSig", Plain),
    (0xC6F6, "AsShotProfileName", Plain),
    (0xC6F7, "NoiseReductionApplied", Plain),
    (0xC6F8, "ProfileName", Plain),
    (0xC6F9, "ProfileHueSatMapDims", Plain),
    (0xC6FA, "ProfileHueSatMapData1", Binary),
    (0xC6FB, "ProfileHueSatMapData2", Binary),
    (0xC6FC, "ProfileToneCurve", Binary),
    (0xC6FD, "ProfileEmbedPolicy", Plain),
    (0xC6FE, "ProfileCopyright", Plain),
    (0xC714, "ForwardMatrix1", Plain),
    (0xC715, "ForwardMatrix2", Plain),
    (0xC716, "PreviewApplicationName", Plain),
    (0xC717, "PreviewApplicationVersion", Plain),
    (0xC718, "PreviewSettingsName", Plain),
    (0xC719, "PreviewSettingsDigest", Hex),
    (0xC71A, "PreviewColorSpace", Plain),
    (0xC71B, "PreviewDateTime", Plain),
    (0xC71C, "RawImageDigest", Hex),
    (0xC71D, "OriginalRawFileDigest", Hex),
    (0xC725, "ProfileLookTableDims", Plain),
    (0xC726, "ProfileLookTableData", Binary),
    (0xC740, "OpcodeList1", Binary),
    (0xC741, "OpcodeList2", Binary),
    (0xC74E, "OpcodeList3", Binary),
    (0xC761, "NoiseProfile", Plain),
    (0xEA1C, "Padding", Binary),
    (0xEA1D, "OffsetSchema", Plain),
];

/// InteropIFD tags (codes 1 and 2 clash with GPS, so they live apart).
pub(super) static INTEROP: &[(u16, &str, Conv)] =
    &[(0x0001, "InteropIndex", Plain), (0x0002, "InteropVersion", Version)];

/// GPS IFD tags, sorted by code.
pub(super) static GPS: &[(u16, &str, Conv)] = &[
    (0x00, "GPSVersionID", Plain),
    (0x01, "GPSLatitudeRef", Plain),
    (0x02, "GPSLatitude", GpsCoord),
    (0x03, "GPSLongitudeRef", Plain),
    (0x04, "GPSLongitude", GpsCoord),
    (0x05, "GPSAltitudeRef", Plain),
    (0x06, "GPSAltitude", Plain),
    (0x07, "GPSTimeStamp", GpsTime),
    (0x08, "GPSSatellites", Plain),
    (0x09, "GPSStatus", Plain),
    (0x0A, "GPSMeasureMode", Plain),
    (0x0B, "GPSDOP", Plain),
    (0x0C, "GPSSpeedRef", Plain),
    (0x0D, "GPSSpeed", Plain),
    (0x0E, "GPSTrackRef", Plain),
    (0x0F, "GPSTrack", Plain),
    (0x10, "GPSImgDirectionRef", Plain),
    (0x11, "GPSImgDirection", Plain),
    (0x12, "GPSMapDatum", Plain),
    (0x13, "GPSDestLatitudeRef", Plain),
    (0x14, "GPSDestLatitude", GpsCoord),
    (0x15, "GPSDestLongitudeRef", Plain),
    (0x16, "GPSDestLongitude", GpsCoord),
    (0x17, "GPSDestBearingRef", Plain),
    (0x18, "GPSDestBearing", Plain),
    (0x19, "GPSDestDistanceRef", Plain),
    (0x1A, "GPSDestDistance", Plain),
    (0x1B, "GPSProcessingMethod", Comment),
    (0x1C, "GPSAreaInformation", Comment),
    (0x1D, "GPSDateStamp", Plain),
    (0x1E, "GPSDifferential", Plain),
    (0x1F, "GPSHPositioningError", Plain),
];

/// Panasonic RW2 IFD0 tags (the `IIU` header), reported in the EXIF group.
pub(super) static PANASONIC: &[(u16, &str, Conv)] = &[
    (0x0001, "PanasonicRawVersion", Version),
    (0x0002, "SensorWidth", Plain),
    (0x0003, "SensorHeight", Plain),
    (0x0004, "SensorTopBorder", Plain),
    (0x0005, "SensorLeftBorder", Plain),
    (0x0006, "SensorBottomBorder", Plain),
    (0x0007, "SensorRightBorder", Plain),
    (0x0008, "SamplesPerPixel", Plain),
    (0x0009, "CFAPattern", Plain),
    (0x000A, "BitsPerSample", Plain),
    (0x000B, "Compression", Plain),
    (0x000E, "LinearityLimitRed", Plain),
    (0x000F, "LinearityLimitGreen", Plain),
    (0x0010, "LinearityLimitBlue", Plain),
    (0x0017, "ISO", Plain),
    (0x0018, "HighISOMultiplierRed", Plain),
    (0x0019, "HighISOMultiplierGreen", Plain),
    (0x001A, "HighISOMultiplierBlue", Plain),
    (0x001B, "NoiseReductionParams", Shorts),
    (0x001C, "BlackLevelRed", Plain),
    (0x001D, "BlackLevelGreen", Plain),
    (0x001E, "BlackLevelBlue", Plain),
    (0x0024, "WBRedLevel", Plain),
    (0x0025, "WBGreenLevel", Plain),
    (0x0026, "WBBlueLevel", Plain),
    (0x002D, "RawFormat", Plain),
    (0x0118, "RawDataOffset", Plain),
];

/// Looks `code` up in a sorted table.
pub(super) fn find(table: &'static [(u16, &'static str, Conv)], code: u16) -> Option<(&'static str, Conv)> {
    table.binary_search_by_key(&code, |e| e.0).ok().and_then(|i| table.get(i)).map(|e| (e.1, e.2))
}

/// An index of a tag table by code, built once per table: open addressing with linear
/// probing, each cell the entry's position + 1 (0 for an empty cell), at most a quarter
/// full, so a look-up is a multiply and a probe or two. It also keeps each entry's name
/// as a ready [`Text`], which a tag takes as a plain copy.
pub(super) struct CodeIndex {
    cells: Box<[u16]>,
    /// The names of the table's entries, in its order.
    names: Box<[Text]>,
    /// `cells.len() - 1` (a power of two less one).
    mask: usize,
    /// `64 - log2(cells.len())`: the hash's top bits pick the cell.
    shift: u32,
}

impl CodeIndex {
    /// The index of `table` (codes distinct; only the first of a repeat is found).
    fn new(table: &[(u16, &'static str, Conv)]) -> Self {
        let size = (table.len() * 4).next_power_of_two().max(16);
        let mut index = CodeIndex {
            cells: vec![0; size].into_boxed_slice(),
            names: table.iter().map(|e| Text::from_static(e.1)).collect(),
            mask: size - 1,
            shift: 64 - size.trailing_zeros(),
        };
        for (pos, e) in table.iter().enumerate() {
            let Ok(cell) = u16::try_from(pos + 1) else { break };
            let mut i = index.start(e.0);
            while let Some(c) = index.cells.get_mut(i) {
                if *c == 0 {
                    *c = cell;
                    break;
                }
                i = (i + 1) & index.mask;
            }
        }
        index
    }

    /// The cell where the search for `code` starts.
    #[inline(always)]
    fn start(&self, code: u16) -> usize {
        (u64::from(code).wrapping_mul(K) >> self.shift) as usize
    }

    /// The entry of `table` (the one indexed) with `code`.
    #[cfg(test)]
    fn find(&self, table: &'static [(u16, &'static str, Conv)], code: u16) -> Option<(&'static str, Conv)> {
        self.position(table, code).and_then(|pos| table.get(pos)).map(|e| (e.1, e.2))
    }

    /// The position in `table` (the one indexed) of the entry with `code`.
    #[inline(always)]
    fn position(&self, table: &'static [(u16, &'static str, Conv)], code: u16) -> Option<usize> {
        let mut i = self.start(code);
        loop {
            let pos = usize::from(self.cells.get(i)?.checked_sub(1)?);
            if table.get(pos)?.0 == code {
                return Some(pos);
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// Looks codes up in one tag table (IFD0's and the EXIF IFD's, or the GPS IFD's) through
/// its [`CodeIndex`].
pub(super) struct Finder {
    table: &'static [(u16, &'static str, Conv)],
    index: &'static CodeIndex,
}

impl Finder {
    /// The finder of [`MAIN`].
    pub(super) fn main() -> Self {
        static INDEX: OnceLock<CodeIndex> = OnceLock::new();
        Finder { table: MAIN, index: INDEX.get_or_init(|| CodeIndex::new(MAIN)) }
    }

    /// The finder of [`GPS`].
    pub(super) fn gps() -> Self {
        static INDEX: OnceLock<CodeIndex> = OnceLock::new();
        Finder { table: GPS, index: INDEX.get_or_init(|| CodeIndex::new(GPS)) }
    }

    /// Same answer as [`find`] in the finder's table.
    #[cfg(test)]
    pub(super) fn find(&self, code: u16) -> Option<(&'static str, Conv)> {
        self.index.find(self.table, code)
    }

    /// What [`find`] finds in the finder's table, the name as a [`Text`] (a copy of the
    /// one kept ready).
    #[inline(always)]
    pub(super) fn find_text(&self, code: u16) -> Option<(Text, Conv)> {
        let pos = self.index.position(self.table, code)?;
        Some((self.index.names.get(pos)?.clone(), self.table.get(pos)?.2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_index_matches_find() {
        for t in [MAIN, INTEROP, GPS, PANASONIC] {
            let index = CodeIndex::new(t);
            let codes = t.iter().map(|e| e.0).flat_map(|c| [c, c.wrapping_add(1), c.wrapping_sub(1)]);
            for c in codes.chain([0, 0xFFFF, 0x8769, 0x0100, 0xA005, 0x0001]) {
                assert_eq!(index.find(t, c), find(t, c), "0x{c:04x}");
            }
        }
        assert_eq!(Finder::main().find(0x010F), find(MAIN, 0x010F));
        for (code, name, conv) in MAIN {
            assert_eq!(Finder::main().find_text(*code), Some((Text::from_static(name), *conv)));
        }
        assert_eq!(Finder::gps().find(0x0002), find(GPS, 0x0002));
    }

    #[test]
    fn tables_are_sorted() {
        for t in [MAIN, INTEROP, GPS, PANASONIC] {
            assert!(t.windows(2).all(|w| w[0].0 < w[1].0), "{:?}", t.windows(2).find(|w| w[0].0 >= w[1].0));
        }
    }
}
