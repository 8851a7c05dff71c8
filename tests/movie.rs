//! QuickTime/ISO-BMFF movies through the public API: the fixtures in `tests/fixtures/movie`
//! (generated files, some with `mdat` emptied), and every MP4/MOV/M4A/3GP golden of the
//! corpus when `METASIFT_CORPUS` is set (QuickTime and Composite tags must match ExifTool).

mod common;

use metasift::{ErrorKind, ExifToolOptions, Metadata, exiftool_json};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/movie").join(name)
}

/// Extracts, or `None` (with a note) while the sniffer does not know the format.
fn extract(path: &Path) -> Result<Option<Metadata>, String> {
    match metasift::extract_path(path) {
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == ErrorKind::Unrecognized => {
            eprintln!("skipped: the sniffer does not recognise {} yet", path.display());
            Ok(None)
        }
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

fn json(meta: &Metadata) -> serde_json::Map<String, Json> {
    exiftool_json(meta, "x", ExifToolOptions::default())
}

#[test]
fn fixtures_give_exiftool_values() -> Result<(), String> {
    let Some(m) = extract(&fixture("hevc_rotate90_nomdat.mp4"))? else { return Ok(()) };
    let j = json(&m);
    assert_eq!(j.get("QuickTime:CompressorID"), Some(&Json::from("hvc1")));
    assert_eq!(j.get("Composite:Rotation"), Some(&Json::from(90)));
    assert_eq!(m.summary.rotation, Some(90));
    assert_eq!((m.summary.display_width, m.summary.display_height), (Some(360), Some(640)));
    assert_eq!(m.summary.video_codec.as_deref(), Some("hevc"));

    let Some(m) = extract(&fixture("apple_keys_nomdat.mov"))? else { return Ok(()) };
    let j = json(&m);
    assert_eq!(j.get("QuickTime:Make"), Some(&Json::from("Apple")));
    assert_eq!(j.get("Composite:GPSPosition"), Some(&Json::from("48.8584 2.2945")));
    let gps = m.summary.gps;
    assert!(gps.is_some_and(|g| (g.latitude - 48.8584).abs() < 1e-9 && g.altitude == Some(35.0)));

    let Some(m) = extract(&fixture("aac_itunes_cover.m4a"))? else { return Ok(()) };
    let j = json(&m);
    assert_eq!(j.get("QuickTime:TrackNumber"), Some(&Json::from("3 of 12")));
    assert_eq!(j.get("Composite:AvgBitrate").and_then(Json::as_f64), Some(128384.0));
    assert_eq!(m.summary.audio_codec.as_deref(), Some("aac"));
    assert_eq!(m.summary.album.as_deref(), Some("Test Album"));
    Ok(())
}

fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), _) | (_, Json::Number(x)) => {
            let x = x.as_f64().unwrap_or(f64::NAN);
            let other = if matches!(a, Json::Number(_)) { b } else { a };
            let y = match other {
                Json::Number(n) => n.as_f64(),
                Json::String(s) => s.trim().parse().ok(),
                _ => None,
            };
            y.is_some_and(|y| (x - y).abs() <= 1e-6 * x.abs().max(1.0))
        }
        (Json::String(x), Json::String(y)) => x.trim() == y.trim(),
        _ => a == b,
    }
}

#[test]
fn corpus_movies_match_exiftool() -> Result<(), String> {
    let Ok(root) = common::corpus_var() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return Ok(());
    };
    let root = PathBuf::from(root);
    let files = [
        "generated/mp4/h264_aac_faststart.mp4",
        "generated/mp4/h264_aac_moov_end.mp4",
        "generated/mp4/hevc_rotate90.mp4",
        "generated/mp4/video_only_nometa.mp4",
        "generated/mp4/phone.3gp",
        "generated/mov/apple_keys.mov",
        "generated/mov/mjpeg_pcm.mov",
        "generated/m4a/aac_itunes_cover.m4a",
        "generated/m4a/alac.m4a",
        "real/exiftool/QuickTime.m4a",
        "real/exiftool/QuickTime.mov",
    ];
    let mut wrong = Vec::new();
    let mut checked = 0;
    for rel in files {
        let golden = root.join("expected").join(format!("{rel}.exiftool.json"));
        let Ok(text) = std::fs::read_to_string(&golden) else { continue };
        let Ok(Json::Array(arr)) = serde_json::from_str::<Json>(&text) else { continue };
        let Some(Json::Object(want)) = arr.into_iter().next() else { continue };
        let Some(m) = extract(&root.join(rel))? else { continue };
        let got = json(&m);
        for (k, v) in &want {
            // Binary placeholders and tags owned by other modules (XMP, maker notes, the
            // camera composites they feed) are checked elsewhere.
            let ours = k.starts_with("QuickTime:")
                || matches!(
                    k.as_str(),
                    "Composite:AvgBitrate"
                        | "Composite:Rotation"
                        | "Composite:ImageSize"
                        | "Composite:GPSLatitude"
                        | "Composite:GPSLongitude"
                        | "Composite:GPSPosition"
                        | "Composite:GPSAltitude"
                );
            if !ours || v.as_str().is_some_and(|s| s.starts_with("(Binary data")) {
                continue;
            }
            checked += 1;
            match got.get(k) {
                Some(g) if same(v, g) => {}
                g => wrong.push(format!("{rel} {k}: exiftool {v}, ours {g:?}")),
            }
        }
    }
    println!("checked {checked} tags");
    assert!(wrong.is_empty(), "{} mismatches:\n{}", wrong.len(), wrong.join("\n"));
    Ok(())
}
