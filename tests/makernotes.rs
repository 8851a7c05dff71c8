//! Maker notes against ExifTool's goldens over the shared corpus: the recall of
//! `MakerNotes:*` tags per maker (the goldens grouped by their `Make`), and their
//! precision. Floors only go up; a maker's row is raised when its module improves.
#![allow(clippy::expect_used)]

mod common;

use common::{Score, compare, corpus, goldens, project};
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// Recall and precision floors, in percent, per maker (the first word of `Make`, upper
/// case; `?` when the golden has none) and `ALL`. Precision counts every tag emitted,
/// so tags a note holds that ExifTool does not print (Pentax's AEFlags, say) lower it
/// without being wrong.
const FLOORS: &[(&str, f64, f64)] = &[
    ("ALL", 99.4, 98.5),
    ("?", 98.9, 89.9),
    ("APPLE", 100.0, 92.3),
    ("CANON", 100.0, 100.0),
    ("CASIO", 100.0, 100.0),
    ("EASTMAN", 100.0, 100.0),
    ("FLIR", 100.0, 100.0),
    ("FUJIFILM", 90.8, 98.7),
    ("GENERAL", 100.0, 100.0),
    ("JVC", 100.0, 100.0),
    ("KONICA", 98.6, 98.6),
    ("KYOCERA", 100.0, 100.0),
    ("LEAF", 100.0, 100.0),
    ("MINOLTA", 100.0, 100.0),
    ("MOTOROLA", 100.0, 100.0),
    ("NIKON", 100.0, 98.0),
    ("OLYMPUS", 99.4, 95.3),
    ("PANASONIC", 100.0, 100.0),
    ("PENTAX", 99.3, 98.6),
    ("RICOH", 100.0, 100.0),
    ("SANYO", 100.0, 100.0),
    ("SIGMA", 100.0, 100.0),
];

fn maker_of(golden: &serde_json::Map<String, Json>) -> String {
    let make = ["EXIF:Make", "QuickTime:Make", "MakerNotes:Make", "XMP:Make"]
        .iter()
        .find_map(|k| golden.get(*k).and_then(Json::as_str))
        .unwrap_or("?");
    make.split_whitespace().next().unwrap_or("?").to_ascii_uppercase()
}

#[test]
fn maker_notes_against_exiftool() {
    let Some(root) = corpus() else { return };
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    for (path, golden) in goldens(&root) {
        if !golden.keys().any(|k| k.starts_with("MakerNotes:")) || !path.is_file() {
            continue;
        }
        let Ok(meta) = metasift::extract_path(&path) else { continue };
        let ours = project(&meta.tags, &["MakerNotes"]);
        for scope in [maker_of(&golden), "ALL".to_owned()] {
            let mut one = BTreeMap::new();
            compare(&path, &golden, &ours, &["MakerNotes"], &mut one);
            let s = scores.entry(scope).or_default();
            if let Some(o) = one.get("MakerNotes") {
                s.golden += o.golden;
                s.found += o.found;
                s.emitted += o.emitted;
                s.correct += o.correct;
            }
        }
    }
    let mut failed = Vec::new();
    for (maker, s) in &scores {
        let (r, p) = (100.0 * s.recall(), 100.0 * s.precision());
        eprintln!("makernotes {maker:10} recall {r:5.1}% ({}/{}) precision {p:5.1}%", s.found, s.golden);
        if let Some((_, fr, fp)) = FLOORS.iter().find(|(m, _, _)| m == maker) {
            if r < fr - 0.05 || p < fp - 0.05 {
                failed.push(format!("{maker}: recall {r:.2} (floor {fr}), precision {p:.2} (floor {fp})"));
            }
        }
    }
    assert!(failed.is_empty(), "maker-note floors not met:\n{}", failed.join("\n"));
}

/// A note is read only when asked for.
#[test]
fn maker_notes_can_be_turned_off() {
    let Some(root) = corpus() else { return };
    let path = root.join("real/exiftool/Kodak.jpg");
    let on = metasift::extract_path(&path).expect("Kodak.jpg");
    let off = metasift::extract_path_with(&path, &metasift::Options::default().with_maker_notes(false))
        .expect("Kodak.jpg");
    assert_eq!(on.get("MakerNotes:KodakModel").and_then(|v| v.as_str()), Some("DX4900  "));
    assert!(!off.tags.iter().any(|t| t.group == "MakerNotes"));
    assert_eq!(on.get("EXIF:Make"), off.get("EXIF:Make"));
}
