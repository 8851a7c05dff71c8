//! Audio files from the wild, made byte by byte or with real encoders
//! (`tests/fixtures/audio/wild/make.py`): every tag ExifTool 12.57 prints for each fixture
//! (its `-json -n -G` output is committed beside it) must come out of `--exiftool` with the
//! same value, and every tag we print must be in ExifTool's output, except the documented
//! differences listed here. Stream facts are checked against what ffprobe 5.1 reports.
//! Covered: Monkey's Audio (both header layouts), WavPack, Musepack SV7/SV8, MP3 with junk
//! before the audio, ID3v2 edge cases (zlib and unsynchronised frames, v2.4 footer and
//! multi-value text, two tags, broken sizes), FLAC (ID3v2 before `fLaC`, short
//! STREAMINFO, two comment blocks, APPLICATION and CUESHEET), WAV (extensible, 14- and
//! 18-byte `fmt `, a data size past the end, RF64, `id3 ` and LIST/INFO chunks).

mod common;

use common::{extract, json, values_equal};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio/wild")
}

/// Tags we print that ExifTool 12.57 does not, on purpose (README, "Differences from
/// ExifTool"): files ExifTool stops on with "File format error" although they are plain
/// WavPack or Musepack SV8 streams, and a QuickTime-style `meta` (no version and flags)
/// that ExifTool takes for a full box and reads nothing in.
const OURS_ONLY: &[(&str, &str)] = &[
    ("musepack_sv8.mpc", "File:"),
    ("wavpack_ffmpeg_noriff.wv", "File:"),
    ("meta_not_full_box.m4a", "QuickTime:HandlerVendorID"),
    ("meta_not_full_box.m4a", "QuickTime:Title"),
    ("meta_not_full_box.m4a", "QuickTime:Artist"),
];

/// ExifTool values we differ from on purpose (same reasons as [`OURS_ONLY`]): the `meta`
/// box's handler (`mdir`) is the last one, where ExifTool, which skipped it, shows the
/// track's.
const NOT_EXIFTOOLS: &[(&str, &str)] = &[("meta_not_full_box.m4a", "QuickTime:HandlerType")];

fn golden(path: &Path) -> Option<serde_json::Map<String, Json>> {
    let text = std::fs::read_to_string(format!("{}.exiftool.json", path.display())).ok()?;
    match serde_json::from_str::<Json>(&text).ok()? {
        Json::Array(a) => match a.into_iter().next()? {
            Json::Object(m) => Some(m),
            _ => None,
        },
        _ => None,
    }
}

#[test]
fn every_fixture_matches_its_exiftool_golden() -> Result<(), String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x != "json" && x != "py" && x != "md"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "fixtures missing: {files:?}");
    let mut problems = Vec::new();
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let g = golden(path).ok_or_else(|| format!("{name}: no golden"))?;
        let ours = json(&extract(path)?);
        for (k, gv) in &g {
            if k == "SourceFile" || k.starts_with("ExifTool:") || NOT_EXIFTOOLS.contains(&(name, k.as_str()))
            {
                continue;
            }
            match ours.get(k) {
                Some(tv) if values_equal(gv, tv) => {}
                other => problems.push(format!("{name}: {k}: ExifTool {gv}, ours {other:?}")),
            }
        }
        for (k, tv) in &ours {
            let allowed = OURS_ONLY.iter().any(|(f, p)| *f == name && k.starts_with(p));
            if k != "SourceFile" && !g.contains_key(k) && !allowed {
                problems.push(format!("{name}: {k} = {tv} not in ExifTool's output"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

/// ffprobe 5.1's audio stream for each fixture: codec, sample rate, channels, duration.
/// Where ffprobe gives no duration (it stops on the byte-level APE file whose seek table is
/// empty, and prints 0 for SV8 Musepack), the one the header states (as ExifTool's
/// `Composite:Duration` for APE).
const FFPROBE: &[(&str, &str, u32, u32, f64)] = &[
    ("id3v23_unsync_broken.mp3", "mp3", 22050, 1, 0.574750),
    ("id3v23_zlib_junk.mp3", "mp3", 22050, 1, 0.574750),
    ("id3v24_footer_multi.mp3", "mp3", 22050, 1, 0.606750),
    ("id3v24_plain_size.mp3", "mp3", 22050, 1, 0.574750),
    ("plain_cbr_noxing.mp3", "mp3", 22050, 1, 0.574750),
    ("two_id3v2.mp3", "mp3", 22050, 1, 0.574750),
    ("ape_v397_id3v23.ape", "ape", 11025, 1, 26.794739),
    ("ape_v399_apev2_id3v1.ape", "ape", 22050, 1, 3.479728),
    ("musepack_sv7_id3v24_apev2.mpc", "musepack7", 48000, 2, 0.960000),
    ("musepack_sv8.mpc", "musepack8", 32000, 1, 0.2),
    ("wavpack_custom_rate.wv", "wavpack", 7000, 1, 0.250000),
    ("wavpack_ffmpeg_noriff.wv", "wavpack", 44100, 2, 0.250000),
    ("wavpack_riff_apev2_id3v1.wv", "wavpack", 8000, 1, 0.250000),
    ("flac_after_id3v2.flac", "flac", 8000, 1, 0.1),
    ("flac_two_comments_app_cue.flac", "flac", 8000, 1, 0.1),
    ("plain_8k.flac", "flac", 8000, 1, 0.1),
    ("wav_extensible_info.wav", "pcm_s24le", 8000, 6, 0.014),
    ("wav_fmt14_odd_chunk.wav", "pcm_u8", 11025, 2, 0.046440),
    ("wav_fmt18_id3_bigdata.wav", "pcm_s16le", 8000, 1, 0.064),
    ("wav_rf64.wav", "pcm_s16le", 8000, 1, 0.064),
    ("audio_only_isom.mp4", "aac", 8000, 1, 0.2),
    ("chapters_qt_nero.m4a", "aac", 8000, 1, 0.2),
    ("opus_output_gain.opus", "opus", 48000, 1, 0.1065),
    ("speex.spx", "speex", 16000, 1, 0.2),
    ("flac_in_ogg.oga", "flac", 8000, 1, 0.2),
    ("aiff_id3_chunk.aiff", "pcm_s16le", 8000, 1, 0.05),
];

#[test]
fn streams_agree_with_ffprobe() -> Result<(), String> {
    for &(name, codec, rate, channels, duration) in FFPROBE {
        let m = extract(&dir().join(name))?;
        let s = m.streams.first().ok_or_else(|| format!("{name}: no stream"))?;
        assert_eq!(s.codec_name.as_deref(), Some(codec), "{name}");
        assert_eq!((s.sample_rate, s.channels), (Some(rate), Some(channels)), "{name}");
        let d = s.duration.ok_or_else(|| format!("{name}: no duration"))?;
        assert!((d - duration).abs() < 1e-5, "{name}: duration {d}, ffprobe {duration}");
    }
    Ok(())
}

/// ExifTool 12.57 stops on these with "File format error" though they are plain
/// streams; we read them (README, "Differences from ExifTool").
#[test]
fn files_exiftool_refuses_are_still_typed() -> Result<(), String> {
    for (name, ty) in [("musepack_sv8.mpc", "MPC"), ("wavpack_ffmpeg_noriff.wv", "WV")] {
        let path = dir().join(name);
        let g = golden(&path).ok_or("no golden")?;
        assert_eq!(g.get("ExifTool:Error").and_then(Json::as_str), Some("File format error"));
        let ours = json(&extract(&path)?);
        assert_eq!(ours.get("File:FileType").and_then(Json::as_str), Some(ty), "{name}");
    }
    Ok(())
}

/// A QuickTime chapter track is a data stream to ffprobe (`bin_data`), not a subtitle.
#[test]
fn chapter_track_is_a_data_stream() -> Result<(), String> {
    let m = extract(&dir().join("chapters_qt_nero.m4a"))?;
    let kinds: Vec<_> = m.streams.iter().map(|s| (s.kind, s.codec_name.as_deref())).collect();
    use metasift::StreamKind::{Audio, Data};
    assert_eq!(kinds, [(Some(Audio), Some("aac")), (Some(Data), Some("bin_data"))]);
    Ok(())
}

/// A QuickTime-style `meta` (no version and flags) in an M4A: we read its items, where
/// ExifTool 12.57 warns "Truncated" and reads none.
#[test]
fn meta_box_without_version_is_read() -> Result<(), String> {
    let path = dir().join("meta_not_full_box.m4a");
    let g = golden(&path).ok_or("no golden")?;
    assert!(g.get("QuickTime:Title").is_none());
    let ours = json(&extract(&path)?);
    assert_eq!(ours.get("QuickTime:Title").and_then(Json::as_str), Some("Plain Meta Title"));
    assert_eq!(ours.get("QuickTime:Artist").and_then(Json::as_str), Some("Plain Meta Artist"));
    Ok(())
}

/// Every fixture cut short at many lengths and with bytes flipped parses without a panic.
#[test]
fn truncated_and_flipped_fixtures_never_panic() -> Result<(), String> {
    for entry in std::fs::read_dir(dir()).map_err(|e| e.to_string())?.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "json" || x == "py") {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| e.to_string())?;
        for cut in (0..data.len()).filter(|c| *c < 1024 || c % 7 == 0) {
            let _ = metasift::extract_bytes(&data[..cut]);
        }
        for i in (0..data.len()).step_by(13) {
            let mut d = data.clone();
            d[i] ^= 0xff;
            let _ = metasift::extract_bytes(&d);
        }
    }
    Ok(())
}
