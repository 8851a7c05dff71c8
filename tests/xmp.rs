//! XMP conformance over the corpus (XMP packets found in any file, compared with the
//! ExifTool goldens' `XMP:*` tags), plus fixture tests that run without the corpus.

mod common;

use metasift::Value;
use metasift::fuzzing::{Payload, payload_tags};
use std::collections::BTreeMap;

/// XMP packets in a file: the whole file for sidecars, JPEG APP1 XMP, else every
/// `<x:xmpmeta ...</x:xmpmeta>` run found by byte search (uncompressed packets only).
fn packets(path: &std::path::Path, data: &[u8], sidecar: bool) -> Vec<Vec<u8>> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if ext == "xmp" || sidecar {
        return vec![data.to_vec()];
    }
    let segs = common::jpeg_segments(data);
    if !segs.is_empty() {
        const SIG: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
        return segs
            .iter()
            .filter(|(m, p)| *m == 0xE1 && p.starts_with(SIG))
            .map(|(_, p)| p[SIG.len()..].to_vec())
            .collect();
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(s) = common::find(data, b"<x:xmpmeta", from) {
        let Some(e) = common::find(data, b"</x:xmpmeta>", s) else { break };
        out.push(data[s..e + 12].to_vec());
        from = e + 12;
    }
    out
}

#[test]
fn corpus_xmp_conformance() {
    let Some(root) = common::corpus() else { return };
    let mut scores = BTreeMap::new();
    let mut files = 0;
    for (path, golden) in common::goldens(&root) {
        if !golden.keys().any(|k| k.starts_with("XMP:")) {
            continue;
        }
        let Ok(data) = std::fs::read(&path) else { continue };
        // Sidecars (File:FileType XMP) are whole-file packets and may carry ExifTool's own
        // RDF/XML groups.
        let sidecar = golden.get("File:FileType").and_then(|v| v.as_str()) == Some("XMP");
        let pk = packets(&path, &data, sidecar);
        if pk.is_empty() {
            continue;
        }
        files += 1;
        let tags: Vec<_> = pk.iter().flat_map(|p| payload_tags(Payload::Xmp, p)).collect();
        let ours = common::project(&tags, &["XMP"]);
        common::compare(&path, &golden, &ours, &["XMP"], &mut scores);
        if sidecar {
            let groups = ["XMP", "XML", "EXIF", "MakerNotes", "PrintIM"];
            let ours = common::project(&tags, &groups);
            let mut side = BTreeMap::new();
            common::compare(&path, &golden, &ours, &groups, &mut side);
            for (_, s) in side {
                let e = scores.entry("sidecar files, all groups".to_owned()).or_default();
                e.golden += s.golden;
                e.found += s.found;
                e.emitted += s.emitted;
                e.correct += s.correct;
            }
        }
    }
    for (g, s) in &scores {
        eprintln!(
            "{g}: {files} files, recall {:.4} ({}/{}), precision {:.4} ({}/{})",
            s.recall(),
            s.found,
            s.golden,
            s.precision(),
            s.correct,
            s.emitted
        );
    }
}

#[test]
fn fixture_sidecar() {
    let data = include_bytes!("fixtures/xmp/sample.xmp");
    let tags = payload_tags(Payload::Xmp, data);
    let get = |n: &str| tags.iter().find(|t| t.name == n).map(|t| t.value.clone());
    assert_eq!(get("Rating"), Some(Value::Int(4)));
    assert_eq!(get("CreateDate"), Some(Value::Text("2021:06:15 14:30:45+02:00".into())));
    assert_eq!(get("Title"), Some(Value::Text("Eiffel Tower".into())));
}

/// Rough speed check (run with `cargo test --release --test xmp -- --ignored --nocapture`).
#[test]
#[ignore]
fn speed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xmp");
    for name in ["sample.xmp", "structs.xmp", "schemas.xmp"] {
        let data = std::fs::read(dir.join(name)).unwrap_or_default();
        let n: u32 = std::env::var("SPEED_N").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
        let t = std::time::Instant::now();
        let mut count = 0;
        for _ in 0..n {
            count += payload_tags(Payload::Xmp, std::hint::black_box(&data)).len();
        }
        let per = t.elapsed() / n;
        eprintln!("{name}: {} bytes, {} tags: {per:?} per packet", data.len(), count / n as usize);
    }
}

/// Deterministic byte mutations of the fixture packet: the parsers never panic.
#[test]
fn mutations_do_not_panic() {
    let base = include_bytes!("fixtures/xmp/sample.xmp");
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let mut d = base.to_vec();
        for _ in 0..(next() % 8 + 1) {
            let i = (next() as usize) % d.len();
            match next() % 4 {
                0 => d[i] = next() as u8,
                1 => {
                    d.remove(i);
                }
                2 => d.insert(i, b"<>/=\"&:"[(next() % 7) as usize]),
                _ => d.truncate(i),
            }
            if d.is_empty() {
                break;
            }
        }
        for p in [Payload::Xmp, Payload::Iptc, Payload::Photoshop] {
            let _ = payload_tags(p, &d);
        }
    }
}

/// Our synthesized packets against `exiftool -j -n -G` output for them (structures,
/// schemas, RDF edge cases): every XMP tag equal, nothing extra.
#[test]
fn fixtures_match_exiftool() {
    for name in ["structs", "schemas", "edge"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xmp");
        let data = std::fs::read(dir.join(format!("{name}.xmp"))).unwrap_or_default();
        let golden =
            std::fs::read_to_string(dir.join(format!("{name}.xmp.exiftool.json"))).unwrap_or_default();
        let golden: serde_json::Value = serde_json::from_str(&golden).unwrap_or_default();
        let golden = golden.get(0).and_then(|g| g.as_object()).cloned().unwrap_or_default();
        assert!(!golden.is_empty(), "{name}: bad golden");
        let tags = payload_tags(Payload::Xmp, &data);
        let ours = common::project(&tags, &["XMP"]);
        let mut scores = BTreeMap::new();
        common::compare(std::path::Path::new(name), &golden, &ours, &["XMP"], &mut scores);
        let s = &scores["XMP"];
        assert_eq!((s.found, s.correct), (s.golden, s.emitted), "{name}: {s:?}");
    }
}
