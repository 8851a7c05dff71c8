//! Maker notes of Nikon, Olympus, Pentax, Fujifilm, Panasonic and Apple over real files
//! of the shared corpus (`METASIFT_CORPUS`; skipped without it): chosen values, and
//! every `MakerNotes:` tag of the ExifTool goldens of these makers' files, which must be
//! found with ExifTool's value (a few known gaps aside).
#![allow(clippy::expect_used)]

use metasift::{Value, extract_path};
use serde_json::Value as Json;

fn corpus() -> Option<String> {
    match std::env::var("METASIFT_CORPUS") {
        Ok(root) => Some(root),
        Err(_) => {
            eprintln!("skipped: METASIFT_CORPUS not set");
            None
        }
    }
}

fn open(root: &str, name: &str) -> metasift::Metadata {
    extract_path(format!("{root}/real/exiftool/{name}")).expect("parses")
}

fn text(m: &metasift::Metadata, key: &str) -> String {
    m.get(key).map(Value::to_text).unwrap_or_default().trim().to_owned()
}

fn num(m: &metasift::Metadata, key: &str) -> f64 {
    m.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

#[test]
fn nikon_values() {
    let Some(root) = corpus() else { return };
    let m = open(&root, "NikonD2Hs.jpg");
    // LensData 0201 is enciphered: these come through the serial/shutter-count cipher.
    assert_eq!(text(&m, "MakerNotes:LensDataVersion"), "0201");
    assert_eq!(num(&m, "MakerNotes:LensIDNumber"), 118.0);
    assert!((num(&m, "MakerNotes:FocalLength") - 50.3968419957949).abs() < 1e-9);
    assert_eq!(text(&m, "MakerNotes:WB_RGGBLevels"), "562 256 256 537");
    assert_eq!(num(&m, "MakerNotes:ShutterCount"), 2.0);
    let m = open(&root, "Nikon.nef");
    assert_eq!(text(&m, "MakerNotes:SerialNumber"), "12345678");
    assert_eq!(num(&m, "MakerNotes:ShutterCount"), 3619.0);
    assert_eq!(num(&m, "MakerNotes:CropRight"), 3008.0);
    // The Capture edit outranks the camera's own NoiseReduction string.
    assert_eq!(num(&m, "MakerNotes:NoiseReduction"), 1.0);
    let m = open(&root, "NikonD70.jpg");
    assert!((num(&m, "MakerNotes:ExposureDifference") + 4.91666666666667).abs() < 1e-9);
    assert_eq!(num(&m, "MakerNotes:PreviewImageStart"), 2466.0);
    let m = open(&root, "Nikon.jpg");
    assert_eq!(text(&m, "MakerNotes:MakerNoteVersion"), "0100");
}

#[test]
fn olympus_values() {
    let Some(root) = corpus() else { return };
    let m = open(&root, "OlympusE1.jpg");
    assert_eq!(text(&m, "MakerNotes:SerialNumber"), "143008611");
    assert_eq!(text(&m, "MakerNotes:LensType"), "0 05 00");
    assert!((num(&m, "MakerNotes:MaxAperture") - 2.77908387134151).abs() < 1e-9);
    assert_eq!(num(&m, "MakerNotes:RedBalance"), 1.609375);
    let m = open(&root, "Olympus2.jpg");
    assert_eq!(num(&m, "MakerNotes:FocusDistance"), 385.8);
    assert_eq!(text(&m, "MakerNotes:ColorMatrix"), "348 -54 -42 -56 422 -114 -2 -132 388");
}

#[test]
fn pentax_values() {
    let Some(root) = corpus() else { return };
    let m = open(&root, "Pentax.jpg");
    assert_eq!(num(&m, "MakerNotes:ShutterCount"), 1648.0);
    assert_eq!(text(&m, "MakerNotes:Date"), "2008:03:02");
    assert_eq!(text(&m, "MakerNotes:CPUFirmwareVersion"), "1 30 00 18");
    assert!((num(&m, "MakerNotes:AvApertureSetting") - 12.6992084157456).abs() < 1e-9);
    assert_eq!(num(&m, "MakerNotes:LensFStops"), 8.5);
    let m = open(&root, "Pentax.avi");
    assert_eq!(text(&m, "MakerNotes:SerialNumber"), "3430417");
    assert_eq!(num(&m, "MakerNotes:LevelIndicator"), 90.0);
    let m = open(&root, "QuickTime.mov");
    assert!((num(&m, "MakerNotes:ExposureTime") - 0.0260416666666667).abs() < 1e-12);
}

#[test]
fn fujifilm_panasonic_apple_values() {
    let Some(root) = corpus() else { return };
    let m = open(&root, "FujiFilm.raf");
    assert_eq!(text(&m, "MakerNotes:InternalSerialNumber"), "FPX20582698 592D313134360702198C0020100A84");
    assert_eq!(num(&m, "MakerNotes:MaxFocalLength"), 70.0);
    let m = open(&root, "Panasonic.rw2");
    assert_eq!(text(&m, "MakerNotes:InternalSerialNumber"), "F350807010058^");
    assert_eq!(num(&m, "MakerNotes:TimeSincePowerOn"), 633.08);
    let m = open(&root, "Apple.jpg");
    assert_eq!(num(&m, "MakerNotes:RunTimeValue"), 39_772_089_846_958.0);
    assert_eq!(num(&m, "MakerNotes:RunTimeScale"), 1e9);
}

/// ExifTool-style equality for the golden's JSON values (numbers within 1e-6 relative).
fn same(golden: &Json, ours: &Json) -> bool {
    let trim = |s: &str| s.trim_matches(|c: char| c.is_whitespace() || c == '\0').to_owned();
    let as_num = |j: &Json| match j {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match (as_num(golden), as_num(ours)) {
        (Some(a), Some(b)) if golden.is_number() || ours.is_number() => {
            (a - b).abs() <= 1e-9 || (a - b).abs() <= 1e-6 * a.abs().max(b.abs())
        }
        _ => match (golden, ours) {
            (Json::String(a), Json::String(b)) => trim(a) == trim(b),
            _ => golden == ours,
        },
    }
}

#[test]
fn goldens_of_these_makers_are_matched() {
    let Some(root) = corpus() else { return };
    // (file, tags ExifTool shows that metasift leaves out)
    let files: &[(&str, &[&str])] = &[
        ("Nikon.jpg", &[]),
        ("Nikon.nef", &[]),
        ("NikonD2Hs.jpg", &[]),
        ("NikonD70.jpg", &[]),
        ("Olympus.jpg", &[]),
        ("Olympus2.jpg", &["ImageStabilization"]),
        ("OlympusE1.jpg", &[]),
        ("Pentax.jpg", &["ExternalFlashGuideNumber"]),
        ("Pentax.avi", &["FirmwareVersion"]),
        ("QuickTime.mov", &[]),
        ("FujiFilm.jpg", &[]),
        ("FujiFilm.raf", &[]),
        ("Panasonic.jpg", &[]),
        ("Panasonic.rw2", &[]),
        ("Apple.jpg", &[]),
    ];
    for (name, gaps) in files {
        let golden = std::fs::read_to_string(format!("{root}/expected/real/exiftool/{name}.exiftool.json"))
            .expect("golden");
        let golden: Json = serde_json::from_str(&golden).expect("json");
        let golden = golden.get(0).and_then(Json::as_object).expect("object");
        let m = open(&root, name);
        let ours = metasift::exiftool_json(&m, name, metasift::ExifToolOptions::default());
        for (key, g) in golden {
            let Some(tag) = key.strip_prefix("MakerNotes:") else { continue };
            if gaps.contains(&tag) || g.as_str().is_some_and(|s| s.starts_with("(Binary data")) {
                continue;
            }
            let got = ours.get(key);
            assert!(got.is_some_and(|o| same(g, o)), "{name} {key}: golden {g}, metasift {got:?}");
        }
    }
}

#[test]
fn composites_from_maker_notes() {
    let Some(root) = corpus() else { return };
    let m = open(&root, "NikonD2Hs.jpg");
    // The raw lens record in hex, and the WB levels' ratios (greens averaged).
    assert_eq!(text(&m, "Composite:LensID"), "76 58 50 50 14 14 7A 02");
    assert_eq!(text(&m, "Composite:LensSpec"), "50 50 1.8 1.8 2");
    assert!((num(&m, "Composite:RedBalance") - 2.1953125).abs() < 1e-12);
    let m = open(&root, "Nikon.nef");
    assert_eq!(text(&m, "Composite:LensID"), "7F 40 2D 5C 2C 34 84 06");
    assert!((num(&m, "Composite:BlueBalance") - 1.86037735849057).abs() < 1e-12);
    let m = open(&root, "Olympus2.jpg");
    assert!((num(&m, "Composite:RedBalance") - 2.09375).abs() < 1e-12);
    let m = open(&root, "OlympusE1.jpg");
    assert_eq!(text(&m, "Composite:LensID"), "0 05 00");
    let m = open(&root, "Pentax.jpg");
    assert_eq!(text(&m, "Composite:LensID"), "3 44");
    let m = open(&root, "Apple.jpg");
    assert!((num(&m, "Composite:RunTimeSincePowerUp") - 39772.089846958).abs() < 1e-9);
    // EXIF's lens name where no maker lens code exists.
    assert_eq!(text(&m, "Composite:LensID"), "iPhone 7 back camera 3.99mm f/1.8");
}

#[test]
fn optics_from_maker_focus_distance_and_sensor_diagonal() {
    let Some(root) = corpus() else { return };
    // The field of view narrowed by focusing close, the width it covers, the depth of field.
    let m = open(&root, "NikonD70.jpg");
    assert_eq!(text(&m, "Composite:FOV"), "22.0979099022094 0.246410290491511");
    assert_eq!(text(&m, "Composite:DOF"), "0.619580379951887 0.642759940692229");
    // Olympus's FocalPlaneDiagonal gives the 35 mm scale factor; a far limit past
    // infinity prints as 0.
    let m = open(&root, "Olympus2.jpg");
    assert!((num(&m, "Composite:ScaleFactor35efl") - 5.70799674215935).abs() < 1e-12);
    assert_eq!(text(&m, "Composite:DOF"), "4.46284066816338 0");
}

/// The summary's shutter count is the maker note's `ShutterCount`, whoever the maker.
#[test]
fn shutter_count_in_the_summary() {
    let Some(root) = corpus() else { return };
    for (name, count) in
        [("Nikon.nef", 3619), ("NikonD70.jpg", 526), ("Pentax.jpg", 1648), ("Canon1DmkIII.jpg", 1)]
    {
        assert_eq!(open(&root, name).summary.shutter_count, Some(count), "{name}");
    }
    assert_eq!(open(&root, "Canon.jpg").summary.shutter_count, None);
}
