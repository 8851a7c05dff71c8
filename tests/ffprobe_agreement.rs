//! Our streams against ffprobe's, over every corpus file that has an `.ffprobe.json` golden
//! in the ISO-BMFF (MP4, MOV, M4A, 3GP, M4V), Matroska (MKV, MKA, WEBM) and audio (MP3, FLAC,
//! OGG/OGV, OPUS, WAV, AIFF, APE, MPC, WV) families.
//! Compared: the stream count, then per stream: codec name, duration (within 0.1 % or 1 ms), width, height, frame
//! rate (ffprobe's avg_frame_rate, within 0.1 %), sample rate and channels.
//!
//! Needs `METASIFT_CORPUS` (the shared corpus root); prints "skipped" without it.

mod common;

use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Least agreement required per family: 98 % at least for every audio and video family.
const THRESHOLDS: &[(&str, f64)] = &[
    ("MP4", 0.99),
    ("MOV", 0.99),
    ("M4A", 0.99),
    ("3GP", 0.99),
    ("M4V", 0.99),
    ("MKV", 0.98),
    ("MKA", 0.98),
    ("WEBM", 0.98),
    ("MP3", 0.99),
    ("FLAC", 0.99),
    ("OGG", 0.99),
    ("OPUS", 0.99),
    ("WAV", 0.99),
    ("AIFF", 0.99),
    ("APE", 0.99),
    ("MPC", 0.99),
    ("WV", 0.99),
    ("ASF", 0.98), // frame rates measured from packet times where no Extended Stream Properties
    ("AVI", 0.98), // truncated files: ffprobe scales the frame count by the length
    ("FLV", 0.98),
    ("TS", 0.98),   // durations from the first and last PES time stamps
    ("DV", 0.98),   // durations from the size in whole frames
    ("MPEG", 0.98), // durations from the first and last PES time stamps
];

fn family(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "mp4" => "MP4",
        "mov" | "qt" => "MOV",
        "m4a" | "m4b" => "M4A",
        "3gp" | "3g2" => "3GP",
        "m4v" => "M4V",
        "mkv" => "MKV",
        "mka" => "MKA",
        "webm" => "WEBM",
        "mp3" => "MP3",
        "flac" => "FLAC",
        "ogg" | "oga" | "ogv" => "OGG",
        "opus" => "OPUS",
        "wav" => "WAV",
        "aif" | "aiff" | "aifc" => "AIFF",
        "ape" => "APE",
        "mpc" => "MPC",
        "wv" => "WV",
        "avi" => "AVI",
        "flv" => "FLV",
        "dv" => "DV",
        "ts" | "m2t" | "mts" | "m2ts" => "TS",
        "mpg" | "mpeg" => "MPEG",
        "wmv" | "wma" | "asf" => "ASF",
        _ => return None,
    })
}

fn goldens(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            goldens(&p, out);
        } else if p.to_string_lossy().ends_with(".ffprobe.json") {
            out.push(p);
        }
    }
}

#[derive(Default)]
struct Tally {
    files: usize,
    unrecognised: usize,
    fields: usize,
    agree: usize,
}

fn ratio(s: &str) -> Option<f64> {
    let (n, d) = s.split_once('/')?;
    let (n, d): (f64, f64) = (n.parse().ok()?, d.parse().ok()?);
    (n > 0.0 && d > 0.0).then_some(n / d)
}

fn num(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    (a - b).abs() <= (b.abs() * rel).max(abs)
}

#[test]
fn streams_agree_with_ffprobe() {
    let Ok(root) = common::corpus_var() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return;
    };
    let root = PathBuf::from(root);
    let expected = root.join("expected");
    let mut files = Vec::new();
    goldens(&expected, &mut files);
    files.sort();
    let mut tally: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    for golden in files {
        let rel =
            golden.strip_prefix(&expected).unwrap_or(&golden).to_string_lossy().replace(".ffprobe.json", "");
        let media = root.join(&rel);
        let Some(fam) = family(&media) else { continue };
        let Ok(text) = std::fs::read_to_string(&golden) else { continue };
        let Ok(probe) = serde_json::from_str::<Json>(&text) else { continue };
        if probe.get("error").is_some() {
            continue; // ffprobe could not read the file: nothing to compare with
        }
        let t = tally.entry(fam).or_default();
        t.files += 1;
        let ours = match metasift::extract_path(&media) {
            Ok(m) => m.streams,
            Err(e) => {
                if e.kind() == metasift::ErrorKind::Unrecognized {
                    t.unrecognised += 1;
                }
                Vec::new()
            }
        };
        let empty = Vec::new();
        let theirs = probe.get("streams").and_then(Json::as_array).unwrap_or(&empty);
        t.fields += 1;
        if ours.len() == theirs.len() {
            t.agree += 1;
        } else {
            misses.push(format!("{rel}: ffprobe has {} streams, ours {}", theirs.len(), ours.len()));
        }
        for (i, s) in theirs.iter().enumerate() {
            let o = ours.get(i);
            let mut check = |field: &str, ok: bool, want: String, got: String| {
                t.fields += 1;
                if ok {
                    t.agree += 1;
                } else {
                    misses.push(format!("{rel} #{i} {field}: ffprobe {want}, ours {got}"));
                }
            };
            let known = |n: &&str| !matches!(*n, "unknown" | "none");
            if let Some(name) = s.get("codec_name").and_then(Json::as_str).filter(known) {
                let got = o.and_then(|o| o.codec_name.clone());
                check("codec_name", got.as_deref() == Some(name), name.into(), format!("{got:?}"));
            }
            if let Some(d) = s.get("duration").and_then(num) {
                let got = o.and_then(|o| o.duration);
                check(
                    "duration",
                    got.is_some_and(|g| close(g, d, 0.001, 0.001)),
                    d.to_string(),
                    format!("{got:?}"),
                );
            }
            for (field, want) in [("width", s.get("width")), ("height", s.get("height"))] {
                let Some(w) = want.and_then(num).filter(|w| *w > 0.0) else { continue };
                let got = o.and_then(|o| if field == "width" { o.width } else { o.height });
                check(field, got.map(f64::from) == Some(w), w.to_string(), format!("{got:?}"));
            }
            if let Some(r) = s.get("avg_frame_rate").and_then(Json::as_str).and_then(ratio) {
                let got = o.and_then(|o| o.frame_rate);
                check(
                    "frame_rate",
                    got.is_some_and(|g| close(g, r, 0.001, 0.0)),
                    r.to_string(),
                    format!("{got:?}"),
                );
            }
            if let Some(r) = s.get("sample_rate").and_then(num).filter(|r| *r > 0.0) {
                let got = o.and_then(|o| o.sample_rate);
                check("sample_rate", got.map(f64::from) == Some(r), r.to_string(), format!("{got:?}"));
            }
            if let Some(c) = s.get("channels").and_then(num).filter(|c| *c > 0.0) {
                let got = o.and_then(|o| o.channels);
                check("channels", got.map(f64::from) == Some(c), c.to_string(), format!("{got:?}"));
            }
        }
    }
    println!("{:<6} {:>5} {:>7} {:>7} {:>8}", "family", "files", "fields", "agree", "rate");
    let mut failures = Vec::new();
    for (fam, t) in &tally {
        let rate = if t.fields == 0 { 1.0 } else { t.agree as f64 / t.fields as f64 };
        println!("{fam:<6} {:>5} {:>7} {:>7} {:>7.1}%", t.files, t.fields, t.agree, rate * 100.0);
        let min = THRESHOLDS.iter().find(|(f, _)| f == fam).map_or(0.0, |(_, m)| *m);
        if t.unrecognised == t.files {
            println!("       skipped: the sniffer does not recognise {fam} yet");
        } else if rate < min {
            failures.push(format!("{fam}: {:.1}% < {:.1}%", rate * 100.0, min * 100.0));
        }
    }
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(failures.is_empty(), "ffprobe agreement below threshold: {failures:?}");
}
