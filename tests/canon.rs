//! Canon maker notes and the composites derived from them, against ExifTool's goldens of
//! the corpus's Canon files (JPEG, CR2, CR3, CRW and a DNG that keeps a Canon note in
//! DNGPrivateData), when `METASIFT_CORPUS` is set; and a truncation sweep over the CRW.

mod common;

use common::{corpus, extract, json, num, text, values_equal};
use serde_json::Value as Json;

const FILES: [&str; 6] =
    ["Canon.jpg", "Canon1DmkIII.jpg", "CanonRaw.cr2", "CanonRaw.cr3", "CanonRaw.crw", "DNG.dng"];

/// The golden's `MakerNotes:` tags that we read: none with another value, and at least
/// `min` of them (percent) per file.
#[test]
fn canon_maker_notes_match_exiftool() -> Result<(), String> {
    let Some(root) = corpus() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return Ok(());
    };
    let mut wrong = Vec::new();
    for (file, min) in FILES.iter().zip([100.0; 6]) {
        let rel = format!("real/exiftool/{file}");
        let golden = root.join("expected").join(format!("{rel}.exiftool.json"));
        let text = std::fs::read_to_string(&golden).map_err(|e| format!("{golden:?}: {e}"))?;
        let Ok(Json::Array(arr)) = serde_json::from_str::<Json>(&text) else { return Err("golden".into()) };
        let Some(Json::Object(want)) = arr.into_iter().next() else { return Err("golden".into()) };
        let got = json(&extract(&root.join(&rel))?);
        let (mut total, mut found) = (0, 0);
        for (k, v) in &want {
            let binary = v.as_str().is_some_and(|s| s.starts_with("(Binary data"));
            if !k.starts_with("MakerNotes:") || binary {
                continue;
            }
            total += 1;
            match got.get(k) {
                Some(g) if values_equal(g, v) => found += 1,
                Some(g) => wrong.push(format!("{file} {k}: exiftool {v}, ours {g}")),
                None => {}
            }
        }
        let pct = 100.0 * f64::from(found) / f64::from(total.max(1));
        println!("{file}: {found}/{total} MakerNotes tags ({pct:.1}%)");
        assert!(pct >= min, "{file}: {pct:.1}% of MakerNotes tags, below {min}%");
    }
    assert!(wrong.is_empty(), "{} mismatches:\n{}", wrong.len(), wrong.join("\n"));
    Ok(())
}

#[test]
fn canon_blocks_and_composites_hold_their_values() -> Result<(), String> {
    let Some(root) = corpus() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return Ok(());
    };
    let j = json(&extract(&root.join("real/exiftool/Canon1DmkIII.jpg"))?);
    assert_eq!(text(&j, "MakerNotes:LensModel"), Some("EF16-35mm f/2.8L II USM"));
    assert_eq!(num(&j, "MakerNotes:LensType"), Some(246.0)); // from CameraInfo
    assert_eq!(num(&j, "MakerNotes:ShutterCount"), Some(1.0));
    assert_eq!(text(&j, "MakerNotes:TimeStamp1"), Some("2007:02:22 17:02:42"));
    assert_eq!(text(&j, "MakerNotes:RawMeasuredRGGB"), Some("294111 455756 464315 279659"));
    assert_eq!(text(&j, "MakerNotes:ISOSpeedRange"), Some("0 3200 100"));
    assert_eq!(num(&j, "Composite:FileNumber"), Some(1_080_232.0));
    assert_eq!(text(&j, "Composite:WB_RGGBLevels"), Some("2275 1024 1024 1357"));
    assert_eq!(num(&j, "Composite:LensID"), Some(246.0));
    assert_eq!(num(&j, "Composite:DriveMode"), Some(0.0));

    let j = json(&extract(&root.join("real/exiftool/CanonRaw.cr2"))?);
    // The 350D's shuffled file number and its ShotInfo exposure scale.
    assert_eq!(num(&j, "MakerNotes:FileNumber"), Some(1_000_024.0));
    assert_eq!(num(&j, "MakerNotes:ExposureTime"), Some(0.06103515625));
    assert_eq!(num(&j, "MakerNotes:ColorTempAsShot"), Some(3064.0));

    let m = extract(&root.join("real/exiftool/CanonRaw.crw"))?;
    let j = json(&m);
    assert_eq!(text(&j, "MakerNotes:Model"), Some("Canon EOS DIGITAL REBEL"));
    assert_eq!(text(&j, "MakerNotes:DateTimeOriginal"), Some("2003:11:10 17:39:26"));
    assert_eq!(num(&j, "MakerNotes:MeasuredEV"), Some(0.0)); // ShotInfo's, as ExifTool shows
    let fec = num(&j, "MakerNotes:FlashExposureComp").ok_or("no FlashExposureComp")?;
    assert!((fec - 2.0 / 3.0).abs() < 1e-12, "{fec}");
    assert_eq!(text(&j, "Composite:DOF"), Some("1.13122821046196 1.54184857126794"));
    let scale = num(&j, "Composite:ScaleFactor35efl").ok_or("no ScaleFactor35efl")?;
    assert!((scale - 1.55015938943742).abs() < 1e-12, "{scale}");
    assert_eq!(m.summary.serial_number.as_deref(), Some("560018150"));
    assert_eq!(m.summary.firmware.as_deref(), Some("Firmware Version 1.1.1"));
    // Canon.jpg has no lens name, only the type code 65535 ("n/a").
    let m = extract(&root.join("real/exiftool/Canon.jpg"))?;
    assert_eq!(m.summary.lens, None);
    let m = extract(&root.join("real/exiftool/CanonRaw.cr3"))?;
    assert_eq!(m.summary.lens.as_deref(), Some("EF-M15-45mm f/3.5-6.3 IS STM"));
    Ok(())
}

#[test]
fn crw_cut_anywhere_does_not_panic() -> Result<(), String> {
    let Some(root) = corpus() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return Ok(());
    };
    let data = std::fs::read(root.join("real/exiftool/CanonRaw.crw")).map_err(|e| e.to_string())?;
    for cut in (0..data.len()).step_by(7) {
        let _ = metasift::extract_bytes(&data[..cut]);
    }
    for i in (0..data.len()).step_by(13) {
        let mut d = data.clone();
        d[i] ^= 0xA5;
        let _ = metasift::extract_bytes(&d);
    }
    Ok(())
}
