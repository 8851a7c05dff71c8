//! Audio files through the public API: the fixtures in `tests/fixtures/audio` (generated
//! MP3, FLAC, Ogg Vorbis and Opus files), a truncation sweep over them, and every audio
//! golden of the corpus when `METASIFT_CORPUS` is set (audio and Composite tags must match
//! ExifTool).

mod common;

use common::{extract, json, num, text};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio").join(name)
}

#[test]
fn mp3_id3v23_cbr_with_cover() -> Result<(), String> {
    let m = extract(&fixture("id3v23_v1_cover_cbr.mp3"))?;
    let j = json(&m);
    assert_eq!(text(&j, "ID3:Title"), Some("Test Song"));
    assert_eq!(text(&j, "ID3:Band"), Some("Various"));
    assert_eq!(num(&j, "ID3:Year"), Some(2021.0));
    assert_eq!(text(&j, "ID3:Track"), Some("3/12"));
    assert_eq!(text(&j, "ID3:UserDefinedText"), Some("(comment) Generated for metasift"));
    assert_eq!(text(&j, "ID3:Comment"), Some("Generated for metasift")); // from ID3v1
    assert_eq!(text(&j, "ID3:Picture"), Some("(Binary data 3624 bytes, use -b option to extract)"));
    assert_eq!(num(&j, "File:ID3Size"), Some(4096.0));
    assert_eq!(num(&j, "MPEG:AudioBitrate"), Some(128000.0));
    assert_eq!(num(&j, "Composite:Duration"), Some(5.0676875));
    assert_eq!(text(&j, "Composite:DateTimeOriginal"), Some("2021:15:06"));
    assert_eq!(m.streams.len(), 2);
    let a = &m.streams[0];
    assert_eq!((a.codec_name.as_deref(), a.sample_rate, a.channels), (Some("mp3"), Some(44100), Some(1)));
    assert!(a.duration.is_some_and(|d| (d - 5.041633).abs() < 1e-3)); // from the Info frame count
    let p = &m.streams[1];
    assert_eq!((p.codec_name.as_deref(), p.width, p.height), (Some("mjpeg"), Some(300), Some(300)));
    Ok(())
}

#[test]
fn mp3_id3v24_xing() -> Result<(), String> {
    let m = extract(&fixture("id3v24_vbr.mp3"))?;
    let j = json(&m);
    assert_eq!(text(&j, "ID3:RecordingTime"), Some("2021:06:15"));
    assert_eq!(text(&j, "ID3:UserDefinedText"), Some("(TXXX) custom")); // the last one wins
    assert_eq!(num(&j, "MPEG:VBRFrames"), Some(193.0));
    assert_eq!(num(&j, "MPEG:VBRBytes"), Some(20932.0));
    assert!(num(&j, "Composite:Duration").is_some_and(|d| (d - 5.04163265306122).abs() < 1e-9));
    assert!(num(&j, "Composite:AudioBitrate").is_some_and(|b| (b - 33214.6373056995).abs() < 1e-6));
    assert_eq!(m.streams[0].bit_rate, Some(33215));
    Ok(())
}

#[test]
fn flac_with_comments_and_picture() -> Result<(), String> {
    let m = extract(&fixture("cd_tags_cover.flac"))?;
    let j = json(&m);
    assert_eq!(num(&j, "FLAC:TotalSamples"), Some(176400.0));
    assert_eq!(text(&j, "FLAC:MD5Signature"), Some("0c2ebd2f7172db3b042252f88e33c7aa"));
    assert_eq!(text(&j, "FLAC:PictureDescription"), Some("Front cover"));
    assert_eq!(num(&j, "FLAC:PictureLength"), Some(3624.0));
    assert_eq!(text(&j, "Vorbis:Albumartist"), Some("Various"));
    assert_eq!(text(&j, "Vorbis:ISRCNumber"), Some("USXXX2100001"));
    assert_eq!(num(&j, "Vorbis:TrackNumber"), Some(3.0));
    assert_eq!(num(&j, "Composite:Duration"), Some(4.0));
    let a = &m.streams[0];
    assert_eq!((a.codec_name.as_deref(), a.bit_depth, a.duration), (Some("flac"), Some(16), Some(4.0)));
    assert_eq!(m.streams.get(1).and_then(|p| p.width), Some(300));
    Ok(())
}

#[test]
fn ogg_vorbis_and_opus() -> Result<(), String> {
    let m = extract(&fixture("vorbis_tags.ogg"))?;
    let j = json(&m);
    assert_eq!(num(&j, "Vorbis:NominalBitrate"), Some(112000.0));
    assert_eq!(text(&j, "Vorbis:Vendor"), Some("Xiph.Org libVorbis I 20200704 (Reducing Environment)"));
    assert_eq!(num(&j, "FLAC:PictureWidth"), Some(300.0));
    assert!(num(&j, "Composite:Duration").is_some_and(|d| (d - 1.41342857142857).abs() < 1e-9));
    assert_eq!(m.streams[0].duration, Some(4.0));
    assert_eq!(m.streams[0].codec_name.as_deref(), Some("vorbis"));

    let m = extract(&fixture("opus_tags_cover.opus"))?;
    let j = json(&m);
    assert_eq!(num(&j, "Opus:SampleRate"), Some(44100.0));
    assert_eq!(num(&j, "Opus:OutputGain"), Some(1.0));
    assert_eq!(text(&j, "Vorbis:EncoderOptions"), Some("--serial 4321 --bitrate 64"));
    assert_eq!(text(&j, "FLAC:Picture"), Some("(Binary data 3624 bytes, use -b option to extract)"));
    let a = &m.streams[0];
    assert_eq!((a.codec_name.as_deref(), a.sample_rate, a.channels), (Some("opus"), Some(48000), Some(2)));
    assert!(a.duration.is_some_and(|d| (d - 4.0065).abs() < 1e-9));
    Ok(())
}

/// Every prefix length class of every fixture parses without panicking.
#[test]
fn truncations_never_panic() -> Result<(), String> {
    for name in [
        "id3v23_v1_cover_cbr.mp3",
        "id3v24_vbr.mp3",
        "cd_tags_cover.flac",
        "vorbis_tags.ogg",
        "opus_tags_cover.opus",
    ] {
        let data = std::fs::read(fixture(name)).map_err(|e| e.to_string())?;
        let n = data.len();
        let mut cuts: Vec<usize> =
            (0..64).chain([128, 512, 4096, 8192, n / 4, n / 2, n * 9 / 10, n - 1]).collect();
        cuts.retain(|&c| c < n);
        for c in cuts {
            let _ = metasift::extract_bytes(&data[..c]);
        }
        // A few flipped bytes in the headers.
        for i in (0..n.min(4096)).step_by(97) {
            let mut d = data.clone();
            d[i] ^= 0xff;
            let _ = metasift::extract_bytes(&d);
        }
    }
    Ok(())
}

fn same(a: &Json, b: &Json) -> bool {
    let f = |j: &Json| match j {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match (a, b) {
        (Json::Number(_), _) | (_, Json::Number(_)) => match (f(a), f(b)) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-6 * x.abs().max(1.0),
            _ => false,
        },
        (Json::String(x), Json::String(y)) => x.trim() == y.trim(),
        _ => a == b,
    }
}

#[test]
fn corpus_audio_matches_exiftool() -> Result<(), String> {
    let Ok(root) = common::corpus_var() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return Ok(());
    };
    let root = PathBuf::from(root);
    let mut files: Vec<String> = Vec::new();
    for dir in ["mp3", "flac", "ogg", "opus", "wav", "aiff"] {
        let Ok(rd) = std::fs::read_dir(root.join("generated").join(dir)) else { continue };
        for e in rd.flatten() {
            files.push(format!("generated/{dir}/{}", e.file_name().to_string_lossy()));
        }
    }
    for f in ["AIFF.aif", "FLAC.flac", "FLAC.ogg", "MP3.mp3", "Opus.opus", "RIFF.wav", "Vorbis.ogg"] {
        files.push(format!("real/exiftool/{f}"));
    }
    files.sort();
    let groups = [
        "ID3:",
        "MPEG:",
        "FLAC:",
        "Vorbis:",
        "Opus:",
        "Theora:",
        "RIFF:",
        "AIFF:",
        "Composite:",
        "File:ID3Size",
    ];
    let mut wrong = Vec::new();
    let mut checked = 0;
    for rel in &files {
        let golden = root.join("expected").join(format!("{rel}.exiftool.json"));
        let Ok(text) = std::fs::read_to_string(&golden) else { continue };
        let Ok(Json::Array(arr)) = serde_json::from_str::<Json>(&text) else { continue };
        let Some(Json::Object(want)) = arr.into_iter().next() else { continue };
        let got = json(&extract(&root.join(rel))?);
        for (k, v) in &want {
            if !groups.iter().any(|g| k.starts_with(g)) {
                continue;
            }
            checked += 1;
            match got.get(k) {
                Some(g) if same(v, g) => {}
                g => wrong.push(format!("{rel} {k}: exiftool {v}, ours {g:?}")),
            }
        }
    }
    println!("checked {checked} tags in {} files", files.len());
    assert!(checked > 300, "too few tags checked: {checked}");
    assert!(wrong.is_empty(), "{} mismatches:\n{}", wrong.len(), wrong.join("\n"));
    Ok(())
}
