//! Image containers (PNG/APNG, GIF, WebP, HEIC/HEIF/AVIF, CR3) and ICC profiles: small
//! generated fixtures with known values, a truncation sweep, and (with METASIFT_CORPUS set)
//! a comparison of the container groups against ExifTool's goldens.

#![allow(clippy::panic)] // tests report failures by panicking

mod common;

use metasift::{ExifToolOptions, Format, Metadata, Value, exiftool_json};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn extract(name: &str) -> Metadata {
    metasift::extract_bytes(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

#[test]
fn png_header_and_text_chunks() {
    let m = extract("exif_xmp_text.png");
    assert_eq!(m.format, Format::Png);
    assert_eq!(m.get("PNG:ImageWidth"), Some(&Value::Int(640)));
    assert_eq!(m.get("PNG:ImageHeight"), Some(&Value::Int(480)));
    assert_eq!(m.get("PNG:BitDepth"), Some(&Value::Int(16)));
    assert_eq!(m.get("PNG:ColorType"), Some(&Value::Int(6)));
    assert_eq!(m.get("PNG:Author"), Some(&text("Jane Photographer")));
    assert_eq!(m.get("PNG:CreationTime"), Some(&text("2021:06:15 14:30:45")));
    assert_eq!(m.get("PNG:Title"), Some(&text("PNG title")));
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);

    let m = extract("text_only.png");
    assert_eq!(m.get("PNG:Comment"), Some(&text("Ünïcödé comment")));
    assert_eq!(m.get("PNG:Author"), Some(&text("Jane")));
}

#[test]
fn gif_screen_and_animation() {
    let m = extract("animated.gif");
    assert_eq!(m.format, Format::Gif);
    assert_eq!(m.get("GIF:GIFVersion"), Some(&text("89a")));
    assert_eq!(m.get("GIF:ImageWidth"), Some(&Value::Int(64)));
    assert_eq!(m.get("GIF:AnimationIterations"), Some(&Value::Int(0)));
    assert_eq!(m.get("GIF:FrameCount"), Some(&Value::Int(3)));
    assert_eq!(m.get("GIF:Duration"), Some(&Value::Float(0.6)));
    let m = extract("static_xmp.gif");
    assert_eq!(m.get("GIF:BitsPerPixel"), Some(&Value::Int(8)));
    assert_eq!(m.get("GIF:FrameCount"), None);
}

/// Formats whose sniffing lives in another module: checked when they are recognised.
fn extract_if_sniffed(name: &str) -> Option<Metadata> {
    match metasift::extract_bytes(&fixture(name)) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == metasift::ErrorKind::Unrecognized => {
            eprintln!("skipped {name}: format not sniffed in this build");
            None
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
fn webp_and_heif_when_sniffed() {
    if let Some(m) = extract_if_sniffed("lossy_exif_xmp.webp") {
        assert_eq!(m.get("RIFF:WebP_Flags"), Some(&Value::Int(12)));
        assert_eq!(m.get("RIFF:ImageWidth"), Some(&Value::Int(640)));
        assert_eq!(m.get("RIFF:VP8Version"), Some(&Value::Int(0)));
    }
    if let Some(m) = extract_if_sniffed("canon.heic") {
        assert_eq!(m.get("QuickTime:PrimaryItemReference"), Some(&Value::Int(1)));
        assert_eq!(m.get("QuickTime:ImageSpatialExtent"), Some(&text("640 480")));
        assert_eq!(m.get("QuickTime:ImagePixelDepth"), Some(&Value::Int(10)));
        assert_eq!(m.get("File:ImageWidth"), Some(&Value::Int(640)));
        assert_eq!(m.get("QuickTime:MediaDataOffset"), Some(&Value::Int(744)));
    }
    if let Some(m) = extract_if_sniffed("nikon.avif") {
        assert_eq!(m.get("QuickTime:ImagePixelDepth"), Some(&text("8 8 8")));
        assert_eq!(m.get("File:ImageHeight"), Some(&Value::Int(640)));
    }
}

#[test]
fn parsers_survive_truncation_and_run_directly() {
    let cases = [
        ("exif_xmp_text.png", Format::Png),
        ("animated.gif", Format::Gif),
        ("static_xmp.gif", Format::Gif),
        ("lossy_exif_xmp.webp", Format::WebPExtended),
        ("canon.heic", Format::Heic),
        ("nikon.avif", Format::Avif),
    ];
    for (name, format) in cases {
        let data = fixture(name);
        assert!(metasift::fuzzing::parse_as(format, &data) > 3, "{name}");
        let step = (data.len() / 300).max(1);
        for n in (0..data.len()).step_by(step) {
            let _ = metasift::fuzzing::parse_as(format, &data[..n]);
        }
        // Flipped bytes in the header area.
        for i in (0..data.len().min(2048)).step_by(7) {
            let mut d = data.clone();
            d[i] ^= 0xFF;
            let _ = metasift::fuzzing::parse_as(format, &d);
        }
    }
}

/// Groups this module produces (EXIF/XMP come from the shared payload parsers).
fn ours(key: &str) -> bool {
    const ITEM_TAGS: [&str; 9] = [
        "QuickTime:HandlerType",
        "QuickTime:PrimaryItemReference",
        "QuickTime:ImageSpatialExtent",
        "QuickTime:ImagePixelDepth",
        "QuickTime:AuxiliaryImageType",
        "QuickTime:Rotation",
        "QuickTime:MediaDataSize",
        "File:ImageWidth",
        "File:ImageHeight",
    ];
    ["PNG:", "GIF:", "RIFF:", "ICC_Profile:"].iter().any(|g| key.starts_with(g)) || ITEM_TAGS.contains(&key)
}

fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            (x - y).abs() <= 1e-6 * y.abs().max(1.0)
        }
        _ => a == b,
    }
}

#[test]
fn corpus_container_tags_match_exiftool() {
    let Some(root) = common::corpus_var_os().map(PathBuf::from) else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return;
    };
    let files = [
        "generated/png/exif_xmp_text.png",
        "generated/png/rgba_plain.png",
        "generated/png/text_only.png",
        "generated/png/xmp_only.png",
        "generated/gif/animated.gif",
        "generated/gif/static_xmp.gif",
        "generated/webp/lossless_xmp.webp",
        "generated/webp/lossy_exif_xmp.webp",
        "generated/webp/plain.webp",
        "generated/heif/canon.avif",
        "generated/heif/canon.heic",
        "generated/heif/nikon.avif",
        "generated/heif/plain.heic",
        "real/exiftool/PNG.png",
        "real/exiftool/GIF.gif",
        "real/exiftool/RIFF.webp",
        "real/exiftool/QuickTime.heic",
    ];
    let (mut total, mut hits, mut misses) = (0, 0, Vec::new());
    for rel in files {
        let golden = root.join("expected").join(format!("{rel}.exiftool.json"));
        let Ok(g) = std::fs::read(&golden) else { continue };
        let g: Json = serde_json::from_slice(&g).unwrap_or(Json::Null);
        let Some(g) = g.get(0).and_then(Json::as_object) else { continue };
        let meta = match metasift::extract_path(root.join(rel)) {
            Ok(m) => m,
            Err(e) if e.kind() == metasift::ErrorKind::Unrecognized => {
                eprintln!("skipped {rel}: not sniffed in this build");
                continue;
            }
            Err(e) => panic!("{rel}: {e}"),
        };
        let out = exiftool_json(&meta, rel, ExifToolOptions::default());
        for (k, v) in g.iter().filter(|(k, _)| ours(k)) {
            total += 1;
            match out.get(k) {
                Some(o) if same(o, v) => hits += 1,
                o => misses.push(format!("{rel} {k}: want {v}, got {o:?}")),
            }
        }
    }
    eprintln!("container tags: {hits}/{total}");
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn corpus_icc_profile_matches_exiftool() {
    let Some(root) = common::corpus_var_os().map(PathBuf::from) else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return;
    };
    let rel = "real/exiftool/ICC_Profile.icc";
    let (Ok(data), Ok(golden)) = (
        std::fs::read(root.join(rel)),
        std::fs::read(root.join("expected").join(format!("{rel}.exiftool.json"))),
    ) else {
        eprintln!("skipped: {rel} not in the corpus");
        return;
    };
    let golden: Json = serde_json::from_slice(&golden).unwrap_or(Json::Null);
    let tags = metasift::fuzzing::payload_tags(metasift::fuzzing::Payload::Icc, &data);
    let mut checked = 0;
    for (k, v) in golden.get(0).and_then(Json::as_object).into_iter().flatten() {
        let Some(name) = k.strip_prefix("ICC_Profile:") else { continue };
        let tag = tags.iter().find(|t| t.group == "ICC_Profile" && t.name == name);
        let got = tag.map(|t| match &t.value {
            Value::Binary(b) => {
                Json::String(format!("(Binary data {} bytes, use -b option to extract)", b.length))
            }
            other => serde_json::to_value(other).unwrap_or(Json::Null),
        });
        assert!(got.as_ref().is_some_and(|g| same(g, v)), "{k}: want {v}, got {got:?}");
        checked += 1;
    }
    assert_eq!(checked, 25);
}
