//! The video fixtures (`tests/fixtures/video`: ExifTool's typing rules for ISO-BMFF brands
//! and Matroska tracks, fragmented MP4 and Smooth Streaming (stream durations from the
//! fragments), Nero and QuickTime chapters, MPEG-TS with AC-3 and E-AC-3,
//! MPEG-PS, Ogg Theora + Vorbis, OGM, a truncated AVI, a partial DV frame) against the
//! goldens beside each file: every tag ExifTool 12.57 prints (`exiftool -json -n -G`) must
//! come out with its value and no tag ExifTool lacks may appear; and where ffprobe 5.1's
//! output is committed (`-show_streams`), the streams must agree with it.

use metasift::{ExifToolOptions, exiftool_json};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/video")
}

/// The fixtures that have a golden with `suffix`.
fn with_golden(suffix: &str) -> Vec<(PathBuf, Json)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir()) else { return out };
    for e in rd.flatten() {
        let p = e.path();
        let name = p.to_string_lossy().into_owned();
        let Some(media) = name.strip_suffix(suffix) else { continue };
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Json::Null);
        out.push((PathBuf::from(media), json));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Equal as ExifTool prints them: numbers within a relative 1e-6 (either side may be a
/// number written as text), text without surrounding spaces.
fn same(a: &Json, b: &Json) -> bool {
    let num = |v: &Json| match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match (a, b) {
        (Json::Number(_), _) | (_, Json::Number(_)) => match (num(a), num(b)) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-6 * x.abs().max(1.0),
            _ => false,
        },
        (Json::String(x), Json::String(y)) => x.trim() == y.trim(),
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        _ => a == b,
    }
}

/// Keys that depend on where and when the file was written, not on its content.
fn volatile(key: &str) -> bool {
    key == "SourceFile"
        || key.starts_with("ExifTool:")
        || matches!(
            key,
            "File:FileName"
                | "File:Directory"
                | "File:FileModifyDate"
                | "File:FileAccessDate"
                | "File:FileInodeChangeDate"
                | "File:FilePermissions"
        )
}

/// Tags we read where ExifTool 12.57 does not, on purpose (README, "differences from
/// ExifTool"): ExifTool stops at the first Matroska Cluster, so the Tags element that
/// GStreamer (and mkvmerge) write after the media is never shown; we read it through the
/// SeekHead, below any earlier value of the same name.
const KNOWN_EXTRAS: &[(&str, &str)] = &[
    ("gstreamer_tags.mkv", "Matroska:Title"),
    ("gstreamer_tags.mkv", "Matroska:Artist"),
    ("gstreamer_tags.mkv", "Matroska:TagTrackUID"),
    ("gstreamer_global_tags.mkv", "Matroska:Title"),
    ("gstreamer_global_tags.mkv", "Matroska:Artist"),
    ("gstreamer_global_tags.mkv", "Matroska:Encoder"),
    ("gstreamer_global_tags.mkv", "Matroska:TagTrackUID"),
    ("gstreamer_escaped_tags.mkv", "Matroska:Title"),
    ("gstreamer_escaped_tags.mkv", "Matroska:Artist"),
    ("gstreamer_escaped_tags.mkv", "Matroska:TagTrackUID"),
];

#[test]
fn tags_match_exiftool() {
    let goldens = with_golden(".exiftool.json");
    assert!(goldens.len() >= 15, "fixtures missing: {}", goldens.len());
    let mut wrong = Vec::new();
    for (media, golden) in &goldens {
        let name = media.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Some(Json::Object(want)) = golden.get(0) else { panic!("{name}: bad golden") };
        let meta = match metasift::extract_path(media) {
            Ok(m) => m,
            Err(e) => {
                wrong.push(format!("{name}: {e}"));
                continue;
            }
        };
        let got = exiftool_json(&meta, &name, ExifToolOptions::default());
        for (k, v) in want.iter().filter(|(k, _)| !volatile(k)) {
            match got.get(k) {
                Some(g) if same(v, g) => {}
                g => wrong.push(format!("{name} {k}: exiftool {v}, ours {g:?}")),
            }
        }
        for (k, v) in got.iter().filter(|(k, _)| !volatile(k)) {
            if !want.contains_key(k) && !KNOWN_EXTRAS.contains(&(name.as_str(), k.as_str())) {
                wrong.push(format!("{name} {k}: not in ExifTool's output, ours {v}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{} differences:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn streams_match_ffprobe() {
    let goldens = with_golden(".ffprobe.json");
    assert!(goldens.len() >= 10, "fixtures missing: {}", goldens.len());
    let mut wrong = Vec::new();
    let empty = Vec::new();
    for (media, golden) in &goldens {
        let name = media.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let theirs = golden.get("streams").and_then(Json::as_array).unwrap_or(&empty);
        let ours = metasift::extract_path(media).map(|m| m.streams).unwrap_or_default();
        if ours.len() != theirs.len() {
            wrong.push(format!("{name}: ffprobe has {} streams, ours {}", theirs.len(), ours.len()));
            continue;
        }
        for (i, (s, o)) in theirs.iter().zip(&ours).enumerate() {
            let f = |k: &str| {
                s.get(k)
                    .and_then(|v| v.as_str().map(str::to_owned).or_else(|| v.as_u64().map(|n| n.to_string())))
            };
            let num = |k: &str| f(k).and_then(|v| v.parse::<f64>().ok());
            let mut check = |what: &str, ok: bool, want: String, got: String| {
                if !ok {
                    wrong.push(format!("{name} #{i} {what}: ffprobe {want}, ours {got}"));
                }
            };
            if let Some(c) = f("codec_name") {
                check(
                    "codec",
                    o.codec_name.as_deref() == Some(c.as_str()),
                    c.clone(),
                    format!("{:?}", o.codec_name),
                );
            }
            if let Some(d) = num("duration") {
                let ok = o.duration.is_some_and(|g| (g - d).abs() <= (d * 0.001).max(0.001));
                check("duration", ok, d.to_string(), format!("{:?}", o.duration));
            }
            for (k, got) in [
                ("width", o.width),
                ("height", o.height),
                ("sample_rate", o.sample_rate),
                ("channels", o.channels),
            ] {
                if let Some(w) = num(k).filter(|w| *w > 0.0) {
                    check(k, got.map(f64::from) == Some(w), w.to_string(), format!("{got:?}"));
                }
            }
            let rate = f("avg_frame_rate").and_then(|r| {
                let (n, d) = r.split_once('/')?;
                let (n, d): (f64, f64) = (n.parse().ok()?, d.parse().ok()?);
                (n > 0.0 && d > 0.0).then_some(n / d)
            });
            if let Some(r) = rate {
                let ok = o.frame_rate.is_some_and(|g| (g - r).abs() <= r * 0.001);
                check("frame_rate", ok, r.to_string(), format!("{:?}", o.frame_rate));
            }
        }
    }
    assert!(wrong.is_empty(), "{} differences:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn late_matroska_tags_are_kept_below_exiftool_view() {
    let path = dir().join("gstreamer_tags.mkv");
    let golden = std::fs::read_to_string(dir().join("gstreamer_tags.mkv.exiftool.json")).unwrap_or_default();
    assert!(!golden.contains("Matroska:Title"), "ExifTool shows no late Title");
    let meta = metasift::extract_path(&path).expect("gstreamer fixture reads");
    let got = exiftool_json(&meta, "x", ExifToolOptions::default());
    assert_eq!(got.get("Matroska:Title"), Some(&Json::from("GstTitle")));
    assert_eq!(got.get("Matroska:TrackName"), Some(&Json::from("GstTitle")));
    assert_eq!(meta.streams.first().and_then(|s| s.codec_name.as_deref()), Some("mjpeg"));
}

#[test]
fn chapter_lists_come_from_nero_chpl_only() {
    let list = |name: &str| {
        let meta = metasift::extract_path(dir().join(name)).expect("chapter fixture reads");
        let got = exiftool_json(&meta, name, ExifToolOptions::default());
        let data = meta.streams.iter().filter(|s| s.codec_name.as_deref() == Some("bin_data")).count();
        (got.get("QuickTime:ChapterList").cloned(), data)
    };
    // A chapter track alone: its titles are no ChapterList, the track is a data stream.
    assert_eq!(list("chapters_track_only.m4a"), (None, 1));
    // Nero chapters win over the chapter track's (different) titles.
    let (nero, _) = list("chapters_nero_over_track.m4a");
    let first = nero.as_ref().and_then(|l| l.get(0)).and_then(Json::as_str);
    assert_eq!(first, Some("0 Intra"));
    let (only, _) = list("chapters_nero_only.m4b");
    assert_eq!(only.and_then(|l| l.as_array().map(Vec::len)), Some(3));
}

#[test]
fn gstreamer_tag_strings_are_unwrapped() {
    // GStreamer 1.22's matroskamux writes TITLE in GStreamer's serialized form (quoted,
    // backslash and octal escapes) in Tags after the media, which ExifTool never reaches;
    // it writes no Info Title. ExifTool shows the TrackEntry's Name only.
    for (name, title, track) in [
        ("gstreamer_escaped_tags.mkv", "Ünï \"q\", t", "Ünï \"q\", t"),
        ("gstreamer_global_tags.mkv", "Info \"quoted\", title", "Video"),
    ] {
        let golden = std::fs::read_to_string(dir().join(format!("{name}.exiftool.json"))).unwrap_or_default();
        assert!(!golden.contains("Matroska:Title"), "{name}: ExifTool shows no Title");
        let meta = metasift::extract_path(dir().join(name)).expect("gstreamer fixture reads");
        let got = exiftool_json(&meta, "x", ExifToolOptions::default());
        assert_eq!(got.get("Matroska:Title"), Some(&Json::from(title)), "{name}");
        assert_eq!(got.get("Matroska:TrackName"), Some(&Json::from(track)), "{name}");
        assert_eq!(meta.summary.title.as_deref(), Some(title), "{name}");
    }
}
