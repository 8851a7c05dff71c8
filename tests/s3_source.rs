//! `S3Source`, `extract_s3` and the CLI's `s3://` inputs against a local S3 (moto).
//!
//! Each test uses the server at `METASIFT_MOTO_ENDPOINT` when it is set (CI starts one),
//! else starts its own `moto_server` on a free port and stops it when done. When no server
//! can be had, the tests fail under `CI=true` and are skipped loudly elsewhere.
//!
//! Every request the client sends is recorded (method, URI, `Range`, `If-Match`), so the
//! counts asserted are the requests on the wire, not what the cache believes it sent.

mod common;

#[path = "common/moto.rs"]
mod moto;

use aws_sdk_s3::Client;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use metasift::remote::{
    REMOTE_READ_AHEAD, S3Object, S3Source, extract_s3, is_not_found, is_object_changed, tail_hint_for,
};
use metasift::{ByteSource, Format, Options};
use moto::{Moto, Recorder};
use std::path::Path;
use std::sync::Arc;

/// A runtime, a client that records its requests, and a bucket of the test's own.
struct Env {
    _moto: Moto,
    rt: tokio::runtime::Runtime,
    client: Client,
    /// The same client without the recorder (for set-up and for writes mid-read).
    plain: Client,
    log: Arc<Recorder>,
    bucket: String,
}

fn env(bucket: &str) -> Option<Env> {
    let moto = Moto::get()?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let log = Arc::new(Recorder::default());
    let config = |with_log: bool| {
        let mut b = aws_sdk_s3::config::Builder::new()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
            .endpoint_url(&moto.endpoint)
            .force_path_style(true);
        if with_log {
            b = b.interceptor(moto::Recording(Arc::clone(&log)));
        }
        b.build()
    };
    let client = Client::from_conf(config(true));
    let plain = Client::from_conf(config(false));
    // Bucket names are per test: tests share a server in CI.
    let bucket = format!("{bucket}-{}", std::process::id());
    rt.block_on(plain.create_bucket().bucket(&bucket).send()).unwrap();
    Some(Env { _moto: moto, rt, client, plain, log, bucket })
}

impl Env {
    fn put(&self, key: &str, body: &[u8]) -> Option<String> {
        let req = self.plain.put_object().bucket(&self.bucket).key(key).body(ByteStream::from(body.to_vec()));
        self.rt.block_on(req.send()).unwrap().version_id().map(str::to_owned)
    }

    fn object(&self, key: &str) -> S3Object {
        S3Object::new(&self.bucket, key)
    }

    fn extract(&self, object: &S3Object) -> metasift::Result<metasift::remote::S3Extraction> {
        extract_s3(&self.client, self.rt.handle(), object, &Options::default())
    }
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)).unwrap()
}

/// An MP4 with `mdat_len` bytes of media data, its `moov` (from a fixture) before or after
/// them. Returns the file and the `moov`'s length.
fn mp4(mdat_len: usize, moov_first: bool) -> (Vec<u8>, usize) {
    let src = fixture("movie/h264_aac_moov_end_nomdat.mp4");
    // ftyp (32) + free (8) + an empty mdat (8) + moov.
    let (head, moov) = (&src[..40], &src[48..]);
    let mut mdat = ((mdat_len + 8) as u32).to_be_bytes().to_vec();
    mdat.extend_from_slice(b"mdat");
    mdat.resize(mdat_len + 8, 0);
    let mut out = head.to_vec();
    if moov_first {
        out.extend_from_slice(moov);
        out.extend_from_slice(&mdat);
    } else {
        out.extend_from_slice(&mdat);
        out.extend_from_slice(moov);
    }
    (out, moov.len())
}

/// Tags of a local extraction of the same bytes.
fn local_tags(bytes: &[u8]) -> Vec<metasift::Tag> {
    metasift::extract_bytes(bytes).unwrap().tags
}

#[test]
fn small_jpeg_costs_one_get_and_matches_local_extraction() {
    let Some(env) = env("jpeg") else { return };
    let jpeg = fixture("exif/canon_full.jpg");
    env.put("photos/canon.jpg", &jpeg);
    let got = env.extract(&env.object("photos/canon.jpg")).unwrap();
    assert_eq!(env.log.gets(), 1, "{:#?}", env.log.all());
    assert_eq!((got.metadata.stats.source_reads, got.metadata.stats.source_bytes), (1, jpeg.len() as u64));
    assert_eq!(got.metadata.tags, local_tags(&jpeg));
    assert_eq!(got.object.size, jpeg.len() as u64);
    assert!(got.object.etag.as_deref().is_some_and(|e| e.starts_with('"')));
    assert!(got.object.last_modified.is_some());
    assert_eq!(got.attempts, 1);
}

#[test]
fn moov_at_end_mp4_costs_at_most_three_gets_and_the_moov_plus_128k() {
    let Some(env) = env("moovend") else { return };
    let (file, moov) = mp4(3 << 20, false);
    env.put("v/clip.mp4", &file);
    let want = local_tags(&file);
    // Size unknown: the head, then the moov after the media data.
    let got = env.extract(&env.object("v/clip.mp4")).unwrap();
    let (gets, bytes) = (env.log.gets(), got.metadata.stats.source_bytes);
    assert!(gets <= 3, "{:#?}", env.log.all());
    assert!(bytes <= (moov + (128 << 10)) as u64, "{bytes} bytes for a moov of {moov}");
    assert_eq!(got.metadata.stats.source_reads, gets);
    assert_eq!(got.metadata.tags, want);
    // Every GET after the first is pinned to the object first read.
    assert!(env.log.all()[1..].iter().all(|r| r.if_match.is_some()), "{:#?}", env.log.all());
    eprintln!("moov at end, size unknown: {gets} GETs, {bytes} bytes (moov {moov})");

    // Size known (an S3 event, a listing): head and tail at once, nothing after.
    env.log.clear();
    let known = env.object("v/clip.mp4").with_known_size(Some(file.len() as u64));
    let got = env.extract(&known).unwrap();
    let (gets, bytes) = (env.log.gets(), got.metadata.stats.source_bytes);
    assert_eq!(gets, 2, "{:#?}", env.log.all());
    assert_eq!(bytes, REMOTE_READ_AHEAD as u64 + tail_hint_for("mp4").unwrap());
    assert_eq!(got.metadata.tags, want);
    eprintln!("moov at end, size known: {gets} GETs, {bytes} bytes");
}

#[test]
fn faststart_mp4_and_docx_cost_at_most_two_gets() {
    let Some(env) = env("fast") else { return };
    let (mp4, _) = mp4(3 << 20, true);
    let docx = fixture("documents/full_props.docx");
    env.put("fast.mp4", &mp4);
    env.put("props.docx", &docx);
    for (key, bytes, format) in [("fast.mp4", &mp4, Format::Mp4), ("props.docx", &docx, Format::Docx)] {
        for known in [None, Some(bytes.len() as u64)] {
            env.log.clear();
            let got = env.extract(&env.object(key).with_known_size(known)).unwrap();
            let m = &got.metadata;
            assert_eq!(m.format, format);
            assert!(env.log.gets() <= 2, "{key}: {:#?}", env.log.all());
            assert_eq!(m.tags, local_tags(bytes), "{key}");
            eprintln!(
                "{key} (size known: {}): {} GETs, {} bytes",
                known.is_some(),
                env.log.gets(),
                m.stats.source_bytes
            );
        }
    }
}

#[test]
fn an_object_overwritten_mid_read_is_detected_then_read_again_whole() {
    let Some(env) = env("overwrite") else { return };
    let (mp4, _) = mp4(1 << 20, false);
    let docx = fixture("documents/full_props.docx");
    env.put("f", &mp4);

    // By hand: the source pins the first version; a read after the overwrite fails.
    let cached = S3Source::open(
        env.client.clone(),
        env.rt.handle().clone(),
        &env.bucket,
        "f",
        None,
        &Options::default(),
    )
    .unwrap();
    env.put("f", &docx);
    let err = cached.read_vec(500_000, 100).unwrap_err();
    assert!(is_object_changed(&err), "{err}");
    assert!(err.to_string().contains("changed while it was read"), "{err}");
    assert!(cached.inner().changed());

    // Through extract_s3: the object is replaced just before the second GET; the first
    // attempt is thrown away and the second reads the new object from its start.
    env.put("f", &mp4);
    env.log.clear();
    let new = docx.clone();
    let (bucket, plain) = (env.bucket.clone(), env.plain.clone());
    env.log.before_get(2, move || {
        // Runs inside the client's runtime: the write goes through a runtime of its own.
        let (bucket, plain, new) = (bucket.clone(), plain.clone(), new.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(plain.put_object().bucket(bucket).key("f").body(ByteStream::from(new)).send())
                .unwrap();
        })
        .join()
        .unwrap();
    });
    let got = env.extract(&env.object("f")).unwrap();
    assert_eq!(got.attempts, 2);
    assert_eq!(got.metadata.format, Format::Docx);
    assert_eq!(got.metadata.tags, local_tags(&docx));
    assert_eq!(got.object.size, docx.len() as u64);
    assert_eq!(got.metadata.stats.source_reads, env.log.gets(), "stats count both attempts");
}

#[test]
fn a_missing_object_is_a_clear_not_found_error() {
    let Some(env) = env("missing") else { return };
    let err = env.extract(&env.object("nope/none.jpg")).unwrap_err();
    assert!(is_not_found(&err), "{err:?}");
    assert_eq!(err.kind(), metasift::ErrorKind::Io);
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("s3://{}/nope/none.jpg", env.bucket)) && msg.contains("no such key"),
        "{msg}"
    );
    let err = extract_s3(
        &env.client,
        env.rt.handle(),
        &S3Object::new("no-such-bucket-x", "k"),
        &Options::default(),
    )
    .unwrap_err();
    assert!(is_not_found(&err), "{err:?}");
}

#[test]
fn a_version_id_reads_that_version_and_pins_every_get_to_it() {
    let Some(env) = env("versions") else { return };
    let req = env.plain.put_bucket_versioning().bucket(&env.bucket).versioning_configuration(
        aws_sdk_s3::types::VersioningConfiguration::builder()
            .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
            .build(),
    );
    env.rt.block_on(req.send()).unwrap();
    let (mp4, _) = mp4(1 << 20, false);
    let v1 = env.put("obj", &mp4).expect("a versioned bucket gives version ids");
    let v2 = env.put("obj", &fixture("exif/canon_full.jpg")).unwrap();
    assert_ne!(v1, v2);
    let got = env.extract(&env.object("obj").with_version_id(Some(v1.clone()))).unwrap();
    assert_eq!(got.metadata.format, Format::Mp4);
    assert_eq!(got.metadata.tags, local_tags(&mp4));
    assert_eq!(got.object.version_id.as_deref(), Some(v1.as_str()));
    let log = env.log.all();
    assert!(log.len() >= 2 && log.iter().all(|r| r.uri.contains(&format!("versionId={v1}"))), "{log:#?}");
    // Without a version: the current one, and its version id is reported.
    let got = env.extract(&env.object("obj")).unwrap();
    assert_eq!((got.metadata.format, got.object.version_id), (Format::Jpeg, Some(v2)));
    let err = env.extract(&env.object("obj").with_version_id(Some("nosuchversion".into()))).unwrap_err();
    assert!(is_not_found(&err), "{err:?}");
}

#[test]
fn an_empty_object_is_an_empty_source() {
    let Some(env) = env("empty") else { return };
    env.put("zero", b"");
    let cached = S3Source::open(
        env.client.clone(),
        env.rt.handle().clone(),
        &env.bucket,
        "zero",
        None,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(cached.len(), 0);
    assert!(cached.inner().info().etag.is_some());
    let err = metasift::extract_source_with(&cached, &Options::default()).unwrap_err();
    assert_eq!(err.kind(), metasift::ErrorKind::Unrecognized);
}

/// GETs and bytes per fixture, size unknown and known, printed for the README (the
/// assertions are the tags: the same as a local extraction).
#[test]
fn figures_per_file_type() {
    let Some(env) = env("figures") else { return };
    let (moov_end, _) = mp4(3 << 20, false);
    let (faststart, _) = mp4(3 << 20, true);
    let mut files: Vec<(String, Vec<u8>)> =
        vec![("moov_end_3MB.mp4".into(), moov_end), ("faststart_3MB.mp4".into(), faststart)];
    for rel in [
        "exif/canon_full.jpg",
        "images/canon.heic",
        "images/lossy_exif_xmp.webp",
        "audio/id3v24_vbr.mp3",
        "audio/cd_tags_cover.flac",
        "movie/aac_itunes_cover.m4a",
        "documents/full_props.docx",
        "documents/python_pptx_minimal.pptx",
        "documents/reportlab_info_xmp.pdf",
        "documents/incremental_update_title.pdf",
        "matroska/vp9_opus.webm",
    ] {
        files.push((rel.rsplit('/').next().unwrap().into(), fixture(rel)));
    }
    if let Ok(corpus) = common::corpus_var() {
        for rel in [
            "generated/mp4/h264_aac_moov_end.mp4",
            "generated/mp4/h264_aac_faststart.mp4",
            "generated/mov/mjpeg_pcm.mov",
            "generated/mp3/id3v23_v1_cover_cbr.mp3",
            "generated/jpeg/nikon_southwest.jpg",
            "generated/jpeg/extended_xmp.jpg",
            "generated/mkv/mkvmerge_chapters_tags.mkv",
            "generated/wav/pcm16_list_info.wav",
            "generated/png/xmp_only.png",
            "generated/tiff/lzw_nikon.tif",
        ] {
            if let Ok(b) = std::fs::read(Path::new(&corpus).join(rel)) {
                files.push((format!("corpus {}", rel.rsplit('/').next().unwrap()), b));
            }
        }
    }
    eprintln!("{:<40} {:>9} | {:>4} {:>8} | {:>4} {:>8}", "file", "size", "GETs", "bytes", "GETs", "bytes");
    for (i, (name, bytes)) in files.iter().enumerate() {
        let key = format!("{i}/{name}").replace(' ', "_");
        env.put(&key, bytes);
        let mut row = format!("{name:<40} {:>9}", bytes.len());
        for known in [None, Some(bytes.len() as u64)] {
            env.log.clear();
            let got = env.extract(&env.object(&key).with_known_size(known)).unwrap();
            assert_eq!(got.metadata.tags, local_tags(bytes), "{name}");
            assert_eq!(got.metadata.stats.source_reads, env.log.gets(), "{name}");
            row += &format!(" | {:>4} {:>8}", env.log.gets(), got.metadata.stats.source_bytes);
        }
        eprintln!("{row}");
    }
}

/// The `metasift` command on `s3://` inputs, through `AWS_ENDPOINT_URL`. `METASIFT_BIN`
/// overrides the binary (for a target directory shared by several work trees, where
/// `target/debug/metasift` is whichever was built last).
#[test]
fn cli_reads_objects_and_prefixes() {
    let Some(env) = env("cli") else { return };
    let jpeg = fixture("exif/canon_full.jpg");
    let (mp4, _) = mp4(1 << 20, false);
    env.put("one/canon.jpg", &jpeg);
    env.put("dir/a.jpg", &jpeg);
    env.put("dir/b/c.mp4", &mp4);
    env.put("dir/b/", b"");
    env.put("dir/d.docx", &fixture("documents/full_props.docx"));
    env.put("other/x.jpg", &jpeg);
    let run = |args: &[&str]| {
        let bin = std::env::var("METASIFT_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_metasift").to_owned());
        let out = std::process::Command::new(bin)
            .args(args)
            .env("AWS_ENDPOINT_URL", &env._moto.endpoint)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        (out.status.code(), json, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let b = &env.bucket;

    let uri = format!("s3://{b}/one/canon.jpg");
    let (code, json, stderr) = run(&["--stats", &uri]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(json[0]["SourceFile"], uri.as_str());
    assert_eq!(json[0]["summary"]["make"], "Canon", "{json:#}");
    assert_eq!(json[0]["stats"]["source_reads"], 1, "{json:#}");
    let line = format!("metasift: 1 files, 1 source reads, {} bytes read", jpeg.len());
    assert!(stderr.lines().any(|l| l == line), "{stderr}");

    let (code, json, stderr) = run(&["--stats", "--exiftool", "-r", &format!("s3://{b}/dir/")]);
    assert_eq!(code, Some(0), "{stderr}");
    let names: Vec<&str> =
        json.as_array().unwrap().iter().map(|o| o["SourceFile"].as_str().unwrap()).collect();
    let want: Vec<String> =
        ["dir/a.jpg", "dir/b/c.mp4", "dir/d.docx"].iter().map(|k| format!("s3://{b}/{k}")).collect();
    assert_eq!(names, want);
    assert_eq!(json[1]["File:FileType"], "MP4");
    let total =
        stderr.lines().find(|l| l.starts_with("metasift: 3 files, ")).unwrap_or_else(|| panic!("{stderr}"));
    let reads: u64 = total.split(' ').nth(3).unwrap().parse().unwrap();
    assert!((3..=7).contains(&reads), "{total}");
    assert!(total.ends_with(" bytes read"), "{total}");

    // -ext filters listed keys; a prefix without -r and a missing object are errors.
    let (_, json, _) = run(&["-r", "-ext", "docx", &format!("s3://{b}/dir/")]);
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    let (code, json, _) = run(&[&format!("s3://{b}/dir/"), &format!("s3://{b}/missing.jpg")]);
    assert_eq!(code, Some(1));
    assert!(json[0]["Error"].as_str().unwrap().contains("-r"), "{json:#}");
    assert!(json[1]["Error"].as_str().unwrap().contains("no such key"), "{json:#}");
}
