//! The "misc" formats (AVI, ASF/WMV, FLV, MPEG-PS/TS, DV and the image headers) through the public
//! API: small generated fixtures in `tests/fixtures/misc` (A/V files cut after their
//! headers), a truncation sweep over them, and, when `METASIFT_CORPUS` is set, every corpus
//! golden of these families (tags outside MakerNotes/XMP must match ExifTool).

mod common;

use common::{extract, json, num, text};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/misc").join(name)
}

#[test]
fn avi_header() -> Result<(), String> {
    let m = extract(&fixture("mpeg4_mp3_head.avi"))?;
    let j = json(&m);
    assert_eq!(num(&j, "RIFF:FrameRate"), Some(25.0));
    assert_eq!(text(&j, "RIFF:VideoCodec"), Some("FMP4"));
    assert_eq!(text(&j, "RIFF:Title"), Some("AVI title"));
    assert_eq!(num(&j, "File:ImageWidth"), Some(320.0));
    assert_eq!(num(&j, "RIFF:SampleRate"), Some(48000.0));
    assert_eq!(num(&j, "Composite:Duration"), Some(1.04));
    assert_eq!(m.streams.len(), 2);
    assert_eq!(m.streams[0].codec_name.as_deref(), Some("mpeg4"));
    assert_eq!(m.streams[1].codec_name.as_deref(), Some("mp3"));
    assert_eq!(m.streams[1].channels, Some(1));
    Ok(())
}

#[test]
fn wmv_header() -> Result<(), String> {
    let m = extract(&fixture("wmv2_head.wmv"))?;
    let j = json(&m);
    assert_eq!(text(&j, "ASF:Title"), Some("ASF title"));
    assert_eq!(text(&j, "ASF:Author"), Some("ASF author"));
    assert_eq!(num(&j, "ASF:Duration"), Some(4.143));
    assert_eq!(num(&j, "ASF:StreamNumber"), Some(2.0)); // the last stream's, as ExifTool
    assert_eq!(text(&j, "ASF:AudioCodecName"), Some("Windows Media Audio V8"));
    assert_eq!(text(&j, "Composite:ImageSize"), Some("320 240"));
    let names: Vec<_> = m.streams.iter().map(|s| s.codec_name.as_deref()).collect();
    assert_eq!(names, [Some("wmv2"), Some("wmav2")]);
    Ok(())
}

#[test]
fn flv_header() -> Result<(), String> {
    let m = extract(&fixture("flv1_head.flv"))?;
    let j = json(&m);
    assert_eq!(text(&j, "Flash:Title"), Some("FLV title"));
    assert_eq!(num(&j, "Flash:VideoBitrate"), Some(195312.5));
    assert_eq!(text(&j, "Flash:Stereo"), Some("No"));
    assert_eq!(num(&j, "Flash:AudioSampleRate"), Some(44100.0));
    let names: Vec<_> = m.streams.iter().map(|s| s.codec_name.as_deref()).collect();
    assert_eq!(names, [Some("mp3"), Some("flv1")]);
    assert_eq!(m.streams[1].frame_rate, Some(25.0));
    Ok(())
}

#[test]
fn ico_directory() -> Result<(), String> {
    let j = json(&extract(&fixture("icon.ico"))?);
    assert_eq!(num(&j, "File:ImageCount"), Some(1.0));
    assert_eq!(num(&j, "File:ImageWidth"), Some(32.0));
    assert_eq!(num(&j, "File:BitsPerPixel"), Some(32.0));
    Ok(())
}

#[test]
fn truncations_never_fail_hard() {
    for name in ["mpeg4_mp3_head.avi", "wmv2_head.wmv", "flv1_head.flv", "icon.ico"] {
        let data = std::fs::read(fixture(name)).unwrap_or_default();
        for n in (0..data.len()).step_by(7) {
            let _ = metasift::extract_bytes(&data[..n]);
        }
    }
}

/// Golden tags these parsers own.
fn owned(key: &str) -> bool {
    const FS: [&str; 8] = [
        "File:FileName",
        "File:Directory",
        "File:FileModifyDate",
        "File:FileAccessDate",
        "File:FileInodeChangeDate",
        "File:FilePermissions",
        "File:FileSize",
        "File:MIMEType",
    ];
    !FS.contains(&key)
        && [
            "File:",
            "RIFF:",
            "ASF:",
            "Flash:",
            "Composite:ImageSize",
            "Composite:Megapixels",
            "Composite:Duration",
        ]
        .iter()
        .any(|p| key.starts_with(p))
}

fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            (x - y).abs() <= 1e-6 * x.abs().max(1.0)
        }
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        _ => a == b,
    }
}

#[test]
fn corpus_goldens() -> Result<(), String> {
    let Ok(root) = common::corpus_var() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return Ok(());
    };
    let root = PathBuf::from(root);
    let families = [
        "AVI",
        "WMV",
        "ASF",
        "WMA",
        "FLV",
        "BMP",
        "ICO",
        "PCX",
        "PPM",
        "PGM",
        "PBM",
        "JP2",
        "J2C",
        "JXL",
        "JXL Codestream",
        "EXR",
        "HDR",
        "DPX",
        "SVG",
        "BPG",
        "FLIF",
        "MIFF",
        "XCF",
        "PSP",
        "MPEG",
        "M2T",
        "M2TS",
        "DV",
    ];
    let mut goldens = Vec::new();
    for sub in ["generated/other", "real/exiftool"] {
        let Ok(rd) = std::fs::read_dir(root.join("expected").join(sub)) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.to_string_lossy().ends_with(".exiftool.json") {
                goldens.push(p);
            }
        }
    }
    goldens.sort();
    let (mut total, mut hit, mut misses) = (0usize, 0usize, Vec::new());
    for g in goldens {
        let golden: Json = serde_json::from_str(&std::fs::read_to_string(&g).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        let Some(golden) = golden.get(0).and_then(Json::as_object) else { continue };
        let ty = golden.get("File:FileType").and_then(Json::as_str).unwrap_or_default();
        if !families.contains(&ty) {
            continue;
        }
        let rel = golden.get("SourceFile").and_then(Json::as_str).unwrap_or_default();
        let ours = json(&extract(&root.join(rel))?);
        for (k, v) in golden {
            if !owned(k) || v.as_str().is_some_and(|s| s.starts_with("(Binary data")) {
                continue;
            }
            total += 1;
            if ours.get(k).is_some_and(|o| same(o, v)) {
                hit += 1;
            } else {
                misses.push(format!("{rel} {k}: golden {v}, ours {:?}", ours.get(k)));
            }
        }
    }
    let rate = if total == 0 { 1.0 } else { hit as f64 / total as f64 };
    println!("misc formats: {hit}/{total} golden tags ({:.1}%)", rate * 100.0);
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(rate >= 0.97, "misc formats agree on {:.1}% of golden tags", rate * 100.0);
    Ok(())
}
