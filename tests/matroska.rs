//! Matroska / WebM: fixtures checked against ExifTool's values, and (with
//! `METASIFT_CORPUS` set) every MKV/MKA/WEBM of the corpus checked against ffprobe's
//! streams.

mod common;

use metasift::fuzzing::container_output;
use metasift::{Format, Stream, StreamKind, Tag, Value};
use std::path::{Path, PathBuf};

/// The format from the EBML DocType and the extension (the sniffer's job, done here so
/// the tests run before it knows Matroska).
fn format_of(path: &Path, data: &[u8]) -> Format {
    let head = data.get(..64).unwrap_or(data);
    if head.windows(4).any(|w| w == b"webm") {
        Format::WebM
    } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("mka")) {
        Format::Mka
    } else {
        Format::Mkv
    }
}

/// ExifTool's view: the first tag of the highest priority.
fn get<'a>(tags: &'a [Tag], name: &str) -> Option<&'a Value> {
    let mut best: Option<&Tag> = None;
    for t in tags.iter().filter(|t| t.group == "Matroska" && t.name == name) {
        if best.is_none_or(|b| t.priority > b.priority) {
            best = Some(t);
        }
    }
    best.map(|t| &t.value)
}

fn fixture(name: &str) -> (Vec<Tag>, Vec<Stream>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/matroska").join(name);
    let data = std::fs::read(&path).unwrap_or_default();
    assert!(!data.is_empty(), "missing fixture {name}");
    let (tags, streams, warnings) = container_output(format_of(&path, &data), &data);
    assert!(warnings.is_empty(), "{name}: {warnings:?}");
    (tags, streams)
}

#[test]
fn vp9_opus_webm() {
    let (tags, streams) = fixture("vp9_opus.webm");
    let text = |n| get(&tags, n).map(Value::to_text);
    assert_eq!(text("DocType").as_deref(), Some("webm"));
    assert_eq!(text("Title").as_deref(), Some("WebM VP9 Opus"));
    assert_eq!(text("DateTimeOriginal").as_deref(), Some("2022:01:01 00:00:00Z"));
    assert_eq!(text("CodecID").as_deref(), Some("A_OPUS"));
    assert_eq!(text("Duration").as_deref(), Some("00:00:02.008000000"));
    assert_eq!(get(&tags, "ImageWidth").and_then(Value::as_f64), Some(320.0));
    assert_eq!(get(&tags, "VideoFrameRate").and_then(Value::as_f64), Some(25.0));
    assert_eq!(get(&tags, "AudioSampleRate").and_then(Value::as_f64), Some(48000.0));
    assert_eq!(streams.len(), 2);
    assert_eq!(streams[0].kind, Some(StreamKind::Video));
    assert_eq!(streams[0].codec_name.as_deref(), Some("vp9"));
    assert_eq!((streams[0].width, streams[0].height), (Some(320), Some(240)));
    assert_eq!(streams[1].codec_name.as_deref(), Some("opus"));
    assert_eq!(streams[1].duration, Some(2.008));
}

#[test]
fn vp8_vorbis_webm_frame_rate() {
    let (tags, streams) = fixture("vp8_vorbis.webm");
    let rate = get(&tags, "VideoFrameRate").and_then(Value::as_f64).unwrap_or_default();
    assert!((rate - 15.000_000_15).abs() < 1e-8, "{rate}");
    assert_eq!(streams[0].frame_rate, Some(15.0));
    assert_eq!(streams[1].codec_name.as_deref(), Some("vorbis"));
    assert_eq!(streams[1].sample_rate, Some(44100));
}

#[test]
fn audio_only_mka() {
    let (tags, streams) = fixture("audio_only.mka");
    assert_eq!(get(&tags, "Artist").map(Value::to_text).as_deref(), Some("Test Artist"));
    assert_eq!(get(&tags, "TimecodeScale").and_then(Value::as_f64), Some(0.001));
    assert_eq!(streams.len(), 1);
    assert_eq!(streams[0].kind, Some(StreamKind::Audio));
    assert_eq!(streams[0].channels, Some(1));
}

#[test]
fn truncated_fixtures_never_panic() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/matroska/vp9_opus.webm");
    let data = std::fs::read(path).unwrap_or_default();
    for n in (0..data.len()).step_by(97).chain(0..600) {
        let _ = container_output(Format::WebM, &data[..n.min(data.len())]);
    }
}

/// One comparison with ffprobe.
#[derive(Default)]
struct Tally {
    checks: usize,
    agree: usize,
    misses: Vec<String>,
}

impl Tally {
    fn check(&mut self, what: String, ok: bool) {
        self.checks += 1;
        if ok {
            self.agree += 1;
        } else {
            self.misses.push(what);
        }
    }
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.001_f64.max(b.abs() * 0.001)
}

fn rate(s: &str) -> Option<f64> {
    let (n, d) = s.split_once('/')?;
    let (n, d): (f64, f64) = (n.parse().ok()?, d.parse().ok()?);
    (d != 0.0 && n != 0.0).then(|| n / d)
}

fn hms(s: &str) -> Option<f64> {
    let mut p = s.split(':');
    let h: f64 = p.next()?.parse().ok()?;
    let m: f64 = p.next()?.parse().ok()?;
    let sec: f64 = p.next()?.parse().ok()?;
    Some(h * 3600.0 + m * 60.0 + sec)
}

fn compare(rel: &str, ours: &[Stream], tags: &[Tag], probe: &serde_json::Value, t: &mut Tally) {
    use serde_json::Value as J;
    let empty = Vec::new();
    let theirs = probe.get("streams").and_then(J::as_array).unwrap_or(&empty);
    t.check(format!("{rel}: stream count"), theirs.len() == ours.len());
    if let Some(d) = probe.pointer("/format/duration").and_then(J::as_str).and_then(|s| s.parse::<f64>().ok())
    {
        // The Segment Info duration (a number; the string one is a tag).
        let info = tags.iter().filter(|x| x.name == "Duration").find_map(|x| match x.value {
            Value::Float(f) => Some(f),
            _ => None,
        });
        t.check(format!("{rel}: duration {info:?} vs {d}"), info.is_some_and(|i| near(i, d)));
    }
    for (s, p) in ours.iter().zip(theirs) {
        let i = s.index;
        let name = p.get("codec_name").and_then(J::as_str);
        t.check(format!("{rel}#{i}: codec {:?} vs {name:?}", s.codec_name), s.codec_name.as_deref() == name);
        let num = |k: &str| p.get(k).and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()));
        if let Some(w) = num("width") {
            t.check(format!("{rel}#{i}: width"), s.width.map(u64::from) == Some(w));
        }
        if let Some(h) = num("height") {
            t.check(format!("{rel}#{i}: height"), s.height.map(u64::from) == Some(h));
        }
        if let Some(sr) = num("sample_rate") {
            t.check(
                format!("{rel}#{i}: sample_rate {:?} vs {sr}", s.sample_rate),
                s.sample_rate.map(u64::from) == Some(sr),
            );
        }
        if let Some(ch) = num("channels") {
            t.check(
                format!("{rel}#{i}: channels {:?} vs {ch}", s.channels),
                s.channels.map(u64::from) == Some(ch),
            );
        }
        if p.get("codec_type").and_then(J::as_str) == Some("video") {
            if let Some(r) = p.get("r_frame_rate").and_then(J::as_str).and_then(rate) {
                t.check(
                    format!("{rel}#{i}: frame rate {:?} vs {r}", s.frame_rate),
                    s.frame_rate.is_some_and(|f| near(f, r)),
                );
            }
        }
        if let Some(d) = p.pointer("/tags/DURATION").and_then(J::as_str).and_then(hms) {
            t.check(
                format!("{rel}#{i}: duration {:?} vs {d}", s.duration),
                s.duration.is_some_and(|x| near(x, d)),
            );
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["mkv", "mka", "webm", "mk3d"].contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(p);
        }
    }
}

#[test]
fn corpus_streams_agree_with_ffprobe() {
    let Some(corpus) = common::corpus_var_os().filter(|v| !v.is_empty()).map(PathBuf::from) else {
        println!("skipped: METASIFT_CORPUS not set");
        return;
    };
    let mut files = Vec::new();
    walk(&corpus.join("real"), &mut files);
    walk(&corpus.join("generated"), &mut files);
    files.sort();
    let mut t = Tally::default();
    for path in &files {
        let rel = path.strip_prefix(&corpus).unwrap_or(path).to_string_lossy().into_owned();
        let golden = corpus.join("expected").join(format!("{rel}.ffprobe.json"));
        let Ok(text) = std::fs::read_to_string(&golden) else { continue };
        let Ok(probe) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        if probe.get("streams").is_none() {
            continue; // ffprobe could not read it either
        }
        let data = std::fs::read(path).unwrap_or_default();
        let (tags, streams, _) = container_output(format_of(path, &data), &data);
        compare(&rel, &streams, &tags, &probe, &mut t);
    }
    let pct = if t.checks == 0 { 100.0 } else { 100.0 * t.agree as f64 / t.checks as f64 };
    println!(
        "matroska vs ffprobe: {}/{} checks agree ({pct:.1}%) over {} files",
        t.agree,
        t.checks,
        files.len()
    );
    for m in &t.misses {
        println!("  differs: {m}");
    }
    assert!(pct >= 99.0, "ffprobe agreement {pct:.1}% < 99%");
}

/// A small deterministic PRNG (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
fn random_corruptions_never_panic() {
    let iterations: usize =
        std::env::var("METASIFT_MKV_FUZZ").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/matroska");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for name in ["vp9_opus.webm", "audio_only.mka", "vp8_vorbis.webm"] {
        let data = std::fs::read(dir.join(name)).unwrap_or_default();
        // Corrupt only the metadata part (the first 4 KiB), where it matters.
        let span = data.len().clamp(1, 4096);
        for _ in 0..iterations {
            let mut d = data.clone();
            for _ in 0..(rng.next() % 8 + 1) {
                let i = (rng.next() as usize) % span;
                d[i] = match rng.next() % 4 {
                    0 => 0xFF,
                    1 => 0x01,
                    2 => 0x00,
                    _ => rng.next() as u8,
                };
            }
            let cut = if rng.next() % 4 == 0 { (rng.next() as usize) % d.len().max(1) } else { d.len() };
            let _ = container_output(Format::Mkv, &d[..cut]);
        }
    }
}
