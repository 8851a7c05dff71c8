//! EXIF values over real files: fixtures in the repo, and the whole corpus when
//! METASIFT_CORPUS is set.
#![allow(clippy::expect_used)]

mod common;

use metasift::{Value, extract_path};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/exif/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn num(m: &metasift::Metadata, key: &str) -> f64 {
    m.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

#[test]
fn canon_full_exif_values() {
    let m = extract_path(fixture("canon_full.jpg")).expect("parses");
    assert_eq!(m.get("EXIF:Make"), Some(&Value::Text("Canon".into())));
    assert_eq!(m.get("EXIF:Model"), Some(&Value::Text("Canon EOS 5D Mark IV".into())));
    assert_eq!(m.get("EXIF:DateTimeOriginal"), Some(&Value::Text("2021:06:15 14:30:45".into())));
    assert_eq!(m.get("EXIF:Orientation").and_then(Value::as_i64), Some(6));
    assert_eq!(num(&m, "EXIF:ExposureTime"), 0.004);
    assert_eq!(num(&m, "EXIF:FNumber"), 5.6);
    assert!((num(&m, "EXIF:GPSLatitude") - 48.8583701000278).abs() < 1e-12);
    assert!((num(&m, "Composite:GPSLongitude") - 2.29448130008889).abs() < 1e-12);
    assert_eq!(m.get("EXIF:GPSTimeStamp"), Some(&Value::Text("12:30:45".into())));
    assert_eq!(m.get("EXIF:GPSVersionID"), Some(&Value::Text("2 3 0 0".into())));
    assert_eq!(m.get("EXIF:ExifVersion"), Some(&Value::Text("0232".into())));
    assert_eq!(m.get("EXIF:ComponentsConfiguration"), Some(&Value::Text("1 2 3 0".into())));
    assert_eq!(
        m.get("Composite:SubSecDateTimeOriginal"),
        Some(&Value::Text("2021:06:15 14:30:45.123+02:00".into()))
    );
    assert_eq!(m.get("Composite:GPSDateTime"), Some(&Value::Text("2021:06:15 12:30:45Z".into())));
    assert!((num(&m, "Composite:LightValue") - 10.9366379390026).abs() < 1e-9);
    assert!((num(&m, "Composite:HyperfocalDistance") - 14.8580409703186).abs() < 1e-9);
    assert!(matches!(m.get("EXIF:ThumbnailImage"), Some(Value::Binary(b)) if b.length == 839));
}

#[test]
fn big_endian_exif() {
    let m = extract_path(fixture("bigendian_exif.jpg")).expect("parses");
    assert!(m.get("EXIF:Make").is_some());
    assert!(m.get("File:ExifByteOrder").is_some());
}

/// Every JPEG/TIFF/raw of the corpus parses, and its core EXIF values match ExifTool.
#[test]
fn corpus_core_exif_matches_goldens() {
    let Ok(root) = common::corpus_var() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return;
    };
    let keys = [
        "EXIF:Make",
        "EXIF:Model",
        "EXIF:DateTimeOriginal",
        "EXIF:ISO",
        "EXIF:ExposureTime",
        "EXIF:GPSLatitude",
    ];
    let mut checked = 0;
    for dir in ["generated/jpeg", "generated/tiff", "real/exiftool"] {
        let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("").to_ascii_lowercase();
            if !matches!(ext.as_str(), "jpg" | "tif" | "dng" | "cr2" | "nef" | "rw2" | "raf" | "iiq") {
                continue;
            }
            let rel = path.strip_prefix(&root).map(|p| p.display().to_string()).unwrap_or_default();
            let golden = format!("{root}/expected/{rel}.exiftool.json");
            let Ok(text) = std::fs::read_to_string(&golden) else { continue };
            let Ok(m) = extract_path(&path) else { continue };
            for k in keys {
                let Some(want) = find(&text, k) else { continue };
                let got = m.get(k).map(|v| v.to_text()).unwrap_or_default();
                let ok = match (want.parse::<f64>(), got.parse::<f64>()) {
                    (Ok(a), Ok(b)) => (a - b).abs() <= 1e-6 * a.abs().max(1.0),
                    _ => want == got,
                };
                assert!(ok, "{rel} {k}: golden {want} vs {got}");
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} values checked");
}

/// The raw JSON text of `key` in a golden (numbers and plain strings only).
fn find(json: &str, key: &str) -> Option<String> {
    let i = json.find(&format!("\"{key}\": "))? + key.len() + 4;
    let rest = &json[i..];
    if let Some(s) = rest.strip_prefix('"') {
        let end = s.find('"')?;
        Some(s[..end].to_owned())
    } else {
        let end = rest.find([',', '\n', '}'])?;
        Some(rest[..end].trim().to_owned())
    }
}
