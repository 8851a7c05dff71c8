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
