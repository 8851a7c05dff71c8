//! Camera raws against the values ExifTool reports for the corpus files, when
//! `METASIFT_CORPUS` is set: which IFD's tag a Phase One IIQ shows, and what Canon's CR3
//! keeps outside its `CMT` blocks (the timed-metadata track `CTMD`, the `CNCV` and `CMP1`
//! boxes).

mod common;

use common::{corpus, extract, json, num, text};

#[test]
fn iiq_shows_the_later_ifd_of_a_repeated_tag() -> Result<(), String> {
    let Some(root) = corpus() else { return Ok(()) };
    let m = extract(&root.join("real/exiftool/PhaseOne.iiq"))?;
    let j = json(&m);
    // IFD1 (the thumbnail) repeats SubfileType and StripOffsets with other values.
    assert_eq!(num(&j, "EXIF:SubfileType"), Some(1.0));
    assert_eq!(num(&j, "EXIF:StripOffsets"), Some(3356.0));
    assert_eq!(text(&j, "EXIF:Model"), Some("Credo 40"));
    let ifd0 = m.tags.iter().find(|t| t.name == "StripOffsets" && t.subgroup.as_deref() == Some("IFD0"));
    assert_eq!(ifd0.map(|t| t.value.to_text()), Some("3360".to_owned()));
    Ok(())
}

#[test]
fn cr3_timed_metadata_track() -> Result<(), String> {
    let Some(root) = corpus() else { return Ok(()) };
    let m = extract(&root.join("real/exiftool/CanonRaw.cr3"))?;
    let j = json(&m);
    // The CTMD sample's records: time stamp, exposure, and the maker note's ColorData9,
    // CameraInfo and VignettingCorr.
    assert_eq!(text(&j, "MakerNotes:TimeStamp"), Some("2018:02:21 12:08:56.21"));
    assert_eq!(num(&j, "MakerNotes:ISO"), Some(12800.0));
    assert_eq!(num(&j, "MakerNotes:ColorDataVersion"), Some(16.0));
    assert_eq!(text(&j, "MakerNotes:WB_RGGBLevelsAsShot"), Some("1104 1024 1024 1789"));
    assert_eq!(num(&j, "MakerNotes:ColorTempFlash"), Some(6166.0));
    assert_eq!(text(&j, "MakerNotes:PerChannelBlackLevel"), Some("2049 2045 2045 2050"));
    assert_eq!(num(&j, "MakerNotes:LinearityUpperMargin"), Some(10025.0));
    assert_eq!(text(&j, "MakerNotes:FirmwareVersion"), Some("1.0.0"));
    assert_eq!(num(&j, "MakerNotes:VignettingCorrVersion"), Some(32.0));
    assert_eq!(text(&j, "Composite:WB_RGGBLevels"), Some("1104 1024 1024 1789"));
    assert_eq!(num(&j, "QuickTime:SampleDuration"), Some(1.0));
    assert_eq!(text(&j, "QuickTime:MetaFormat"), Some("CTMD"));
    // The track repeats the main note's exposure with other roundings: the main note's
    // value is shown, the track's kept under Track4.
    assert_eq!(num(&j, "MakerNotes:ExposureTime"), Some(0.014328188175073));
    let track = |name: &str| {
        m.tags
            .iter()
            .find(|t| t.name == name && t.subgroup.as_deref() == Some("Track4"))
            .map(|t| t.value.to_text())
    };
    assert_eq!(track("ExposureTime").as_deref(), Some("0.0125"));
    assert_eq!(track("FNumber").as_deref(), Some("3.5"));
    assert_eq!(track("FocalLength").as_deref(), Some("15"));
    // CNCV and the raw tracks' CMP1 boxes; the first track's size is shown.
    assert_eq!(text(&j, "MakerNotes:CompressorVersion"), Some("CanonCR3_001/00.09.00/00.00.00"));
    assert_eq!(num(&j, "MakerNotes:ImageWidth"), Some(1624.0));
    assert_eq!(num(&j, "MakerNotes:ImageHeight"), Some(1080.0));
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    Ok(())
}

#[test]
fn cr3_cut_or_flipped_anywhere_does_not_panic() -> Result<(), String> {
    let Some(root) = corpus() else { return Ok(()) };
    let data = std::fs::read(root.join("real/exiftool/CanonRaw.cr3")).map_err(|e| e.to_string())?;
    for cut in (0..data.len()).step_by(389) {
        let _ = metasift::extract_bytes(&data[..cut]);
    }
    // The CTMD sample sits in `mdat` after the 29-byte JpgFromRaw dummy.
    let ctmd = 0x2cca..(0x2cca + 41036).min(data.len());
    for i in ctmd.step_by(401) {
        let mut d = data.clone();
        d[i] ^= 0xA5;
        let _ = metasift::extract_bytes(&d);
    }
    Ok(())
}
