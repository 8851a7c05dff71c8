//! Which tags answer each summary field, in priority order: where several could answer,
//! the first present wins. These lists are the documented priority (README, "Summary
//! fields"). The fields' keys are numbered in one run (slots), so that the tag index holds
//! the position of the tag found for each.

pub(super) const WIDTH: Field = Field::after(
    None,
    &[
        "File:ImageWidth",
        "PNG:ImageWidth",
        "GIF:ImageWidth",
        "RIFF:ImageWidth",
        "QuickTime:ImageWidth",
        "Matroska:ImageWidth",
        "PSD:ImageWidth",
        "BMP:ImageWidth",
        "EXIF:ExifImageWidth",
        "EXIF:ImageWidth",
    ],
);
pub(super) const HEIGHT: Field = Field::after(
    Some(WIDTH),
    &[
        "File:ImageHeight",
        "PNG:ImageHeight",
        "GIF:ImageHeight",
        "RIFF:ImageHeight",
        "QuickTime:ImageHeight",
        "Matroska:ImageHeight",
        "PSD:ImageHeight",
        "BMP:ImageHeight",
        "EXIF:ExifImageHeight",
        "EXIF:ImageHeight",
    ],
);
pub(super) const CREATED: Field = Field::after(
    Some(HEIGHT),
    &[
        "Composite:SubSecDateTimeOriginal",
        "EXIF:DateTimeOriginal",
        "XMP:DateTimeOriginal",
        "Composite:DateTimeCreated",
        "XMP:DateCreated",
        "QuickTime:CreationDate",
        "Composite:SubSecCreateDate",
        "EXIF:CreateDate",
        "XMP:CreateDate",
        "QuickTime:CreateDate",
        "Matroska:DateTimeOriginal",
        "QuickTime:ContentCreateDate",
        "PDF:CreateDate",
        "XML:CreateDate",
        "ID3:Year",
        "Vorbis:Date",
    ],
);
pub(super) const MODIFIED: Field = Field::after(
    Some(CREATED),
    &[
        "Composite:SubSecModifyDate",
        "EXIF:ModifyDate",
        "XMP:ModifyDate",
        "QuickTime:ModifyDate",
        "PDF:ModifyDate",
        "XML:ModifyDate",
    ],
);
pub(super) const MAKE: Field =
    Field::after(Some(MODIFIED), &["EXIF:Make", "XMP:Make", "QuickTime:Make", "QuickTime:AndroidMake"]);
pub(super) const MODEL: Field =
    Field::after(Some(MAKE), &["EXIF:Model", "XMP:Model", "QuickTime:Model", "QuickTime:AndroidModel"]);
pub(super) const LENS: Field = Field::after(
    Some(MODEL),
    &["EXIF:LensModel", "XMP:LensModel", "XMP:Lens", "MakerNotes:LensModel", "Composite:LensID"],
);
pub(super) const SOFTWARE: Field = Field::after(
    Some(LENS),
    &[
        "EXIF:Software",
        "XMP:CreatorTool",
        "QuickTime:Software",
        "QuickTime:Encoder",
        "Matroska:WritingApp",
        "PDF:Producer",
        "XML:Application",
    ],
);
pub(super) const TITLE: Field = Field::after(
    Some(SOFTWARE),
    &[
        "XMP:Title",
        "IPTC:ObjectName",
        "QuickTime:Title",
        "Matroska:Title",
        "ID3:Title",
        "Vorbis:Title",
        "RIFF:Title",
        "PDF:Title",
        "PNG:Title",
        "EXIF:XPTitle",
    ],
);
pub(super) const DESCRIPTION: Field = Field::after(
    Some(TITLE),
    &[
        "XMP:Description",
        "IPTC:Caption-Abstract",
        "EXIF:ImageDescription",
        "QuickTime:Description",
        "QuickTime:Comment",
        "PNG:Description",
        "PNG:Comment",
        "ID3:Comment",
        "Vorbis:Comment",
        "File:Comment",
        "PDF:Subject",
    ],
);
pub(super) const CREATOR: Field = Field::after(
    Some(DESCRIPTION),
    &[
        "XMP:Creator",
        "IPTC:By-line",
        "EXIF:Artist",
        "QuickTime:Artist",
        "QuickTime:Author",
        "Matroska:Artist",
        "ID3:Artist",
        "Vorbis:Artist",
        "RIFF:Artist",
        "PDF:Author",
        "PNG:Author",
    ],
);
pub(super) const COPYRIGHT: Field = Field::after(
    Some(CREATOR),
    &[
        "XMP:Rights",
        "IPTC:CopyrightNotice",
        "EXIF:Copyright",
        "QuickTime:Copyright",
        "ID3:Copyright",
        "Vorbis:Copyright",
        "PNG:Copyright",
    ],
);
pub(super) const KEYWORDS: Field =
    Field::after(Some(COPYRIGHT), &["XMP:Subject", "IPTC:Keywords", "PDF:Keywords", "XMP:Keywords"]);
pub(super) const DURATION: Field = Field::after(
    Some(KEYWORDS),
    &["QuickTime:Duration", "Matroska:Duration", "Composite:Duration", "ID3:Duration", "FLAC:Duration"],
);

pub(super) const ORIENTATION: Field = Field::after(Some(DURATION), &["EXIF:Orientation", "XMP:Orientation"]);
pub(super) const ROTATION: Field =
    Field::after(Some(ORIENTATION), &["Composite:Rotation", "QuickTime:Rotation"]);
/// EXIF coordinates without their references (no composite then) count as north and
/// east, as ExifTool's `GPSPosition` takes them.
pub(super) const LATITUDE: Field =
    Field::after(Some(ROTATION), &["Composite:GPSLatitude", "XMP:GPSLatitude", "EXIF:GPSLatitude"]);
pub(super) const LONGITUDE: Field =
    Field::after(Some(LATITUDE), &["Composite:GPSLongitude", "XMP:GPSLongitude", "EXIF:GPSLongitude"]);
pub(super) const ALTITUDE: Field =
    Field::after(Some(LONGITUDE), &["Composite:GPSAltitude", "XMP:GPSAltitude"]);
pub(super) const EXPOSURE: Field = Field::after(Some(ALTITUDE), &["EXIF:ExposureTime", "XMP:ExposureTime"]);
pub(super) const F_NUMBER: Field = Field::after(Some(EXPOSURE), &["EXIF:FNumber", "XMP:FNumber"]);
pub(super) const ISO: Field = Field::after(Some(F_NUMBER), &["EXIF:ISO", "XMP:ISO", "XMP:ISOSpeedRatings"]);
pub(super) const FOCAL: Field = Field::after(Some(ISO), &["EXIF:FocalLength", "XMP:FocalLength"]);
pub(super) const FOCAL_35: Field =
    Field::after(Some(FOCAL), &["EXIF:FocalLengthIn35mmFormat", "Composite:FocalLength35efl"]);
pub(super) const ALBUM: Field =
    Field::after(Some(FOCAL_35), &["QuickTime:Album", "ID3:Album", "Vorbis:Album", "Matroska:Album"]);
pub(super) const BIT_RATE: Field =
    Field::after(Some(ALBUM), &["Composite:AvgBitrate", "QuickTime:AvgBitrate", "MPEG:AudioBitrate"]);
pub(super) const PAGES: Field = Field::after(Some(BIT_RATE), &["PDF:PageCount", "XML:Pages"]);
pub(super) const SERIAL_NUMBER: Field =
    Field::after(Some(PAGES), &["EXIF:SerialNumber", "MakerNotes:SerialNumber", "XMP:SerialNumber"]);
pub(super) const FIRMWARE: Field = Field::after(
    Some(SERIAL_NUMBER),
    &[
        "MakerNotes:FirmwareVersion",
        "MakerNotes:CanonFirmwareVersion",
        "MakerNotes:FirmwareName",
        "XMP:Firmware",
    ],
);
// Only tags ExifTool names `ShutterCount` (Canon, Nikon, Pentax, Sony...): the
// `ImageCount`s of other makers count pictures, not actuations, on some bodies.
pub(super) const SHUTTER_COUNT: Field = Field::after(Some(FIRMWARE), &["MakerNotes:ShutterCount"]);

/// One summary field's candidate keys (`Group:Name`), first wins; the fields' keys are
/// numbered in one run, `first..first + keys.len()`, so that the tag index holds each in a slot.
#[derive(Clone, Copy)]
pub(super) struct Field {
    pub(super) keys: &'static [&'static str],
    pub(super) first: usize,
}

impl Field {
    /// The field whose keys are numbered after `prev`'s.
    const fn after(prev: Option<Field>, keys: &'static [&'static str]) -> Field {
        let first = match prev {
            Some(p) => p.end(),
            None => 0,
        };
        Field { keys, first }
    }

    /// One past the last slot of the field.
    pub(super) const fn end(self) -> usize {
        self.first + self.keys.len()
    }
}

/// Every field, in slot order (each one's `first` is the previous one's `end`).
pub(super) const FIELDS: &[Field] = &[
    WIDTH,
    HEIGHT,
    CREATED,
    MODIFIED,
    MAKE,
    MODEL,
    LENS,
    SOFTWARE,
    TITLE,
    DESCRIPTION,
    CREATOR,
    COPYRIGHT,
    KEYWORDS,
    DURATION,
    ORIENTATION,
    ROTATION,
    LATITUDE,
    LONGITUDE,
    ALTITUDE,
    EXPOSURE,
    F_NUMBER,
    ISO,
    FOCAL,
    FOCAL_35,
    ALBUM,
    BIT_RATE,
    PAGES,
    SERIAL_NUMBER,
    FIRMWARE,
    SHUTTER_COUNT,
];

/// How many slots the fields use.
pub(crate) const SLOTS: usize = SHUTTER_COUNT.end();

/// Every field's keys as `(group, name)`, in slot order.
pub(crate) fn slot_keys() -> impl Iterator<Item = (&'static str, &'static str)> {
    FIELDS.iter().flat_map(|f| f.keys).map(|k| k.split_once(':').unwrap_or(("", k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_number_their_keys_in_one_run_each_key_once() {
        let mut end = 0;
        for f in FIELDS {
            assert_eq!(f.first, end);
            end = f.end();
        }
        assert_eq!(end, SLOTS);
        let mut keys: Vec<&str> = FIELDS.iter().flat_map(|f| f.keys.iter().copied()).collect();
        assert!(keys.iter().all(|k| k.contains(':')));
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SLOTS);
    }
}
