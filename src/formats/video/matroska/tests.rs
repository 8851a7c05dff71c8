//! Tests over synthesized EBML: values, priorities, unknown and huge sizes, deep nesting,
//! truncation.

use super::*;
use crate::model::StreamKind;
use crate::test_util;

/// An element with a 1-byte size when it fits, else an 8-byte size.
fn el(id: u32, body: &[u8]) -> Vec<u8> {
    let mut v: Vec<u8> = id.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
    if body.len() < 127 {
        v.push(0x80 | body.len() as u8);
    } else {
        v.push(0x01);
        v.extend_from_slice(&(body.len() as u64).to_be_bytes()[1..]);
    }
    v.extend_from_slice(body);
    v
}

/// An element with an unknown (all ones) size.
fn el_unknown(id: u32, body: &[u8]) -> Vec<u8> {
    let mut v: Vec<u8> = id.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
    v.push(0xFF);
    v.extend_from_slice(body);
    v
}

fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.concat()
}

fn ebml_header(doctype: &str) -> Vec<u8> {
    el(EBML, &cat(&[el(0x4286, &[1]), el(0x4282, doctype.as_bytes()), el(0x4287, &[4])]))
}

fn info() -> Vec<u8> {
    el(
        INFO,
        &cat(&[
            el(TIMECODE_SCALE, &[0x0F, 0x42, 0x40]),
            el(0x7BA9, b"Synth title"),
            el(DATE_UTC, &[0x08, 0xF5, 0x1C, 0x1F, 0xEA, 0x6B, 0x52, 0x00]),
            el(DURATION, &2500.0f64.to_be_bytes()),
        ]),
    )
}

fn tracks() -> Vec<u8> {
    el(TRACKS, &tracks_body())
}

fn tracks_body() -> Vec<u8> {
    let video = el(
        TRACK_ENTRY,
        &cat(&[
            el(TRACK_NUMBER, &[1]),
            el(TRACK_UID, &[0x12, 0x34]),
            el(TRACK_TYPE, &[1]),
            el(CODEC_ID, b"V_VP9"),
            el(DEFAULT_DURATION, &40_000_000u32.to_be_bytes()),
            el(
                VIDEO,
                &cat(&[
                    el(PIXEL_WIDTH, &[0x05, 0x00]),
                    el(PIXEL_HEIGHT, &[0x02, 0xD0]),
                    el(COLOUR, &cat(&[el(TRANSFER_CHARACTERISTICS, &[16]), el(BITS_PER_CHANNEL, &[10])])),
                ]),
            ),
        ]),
    );
    let audio = el(
        TRACK_ENTRY,
        &cat(&[
            el(TRACK_NUMBER, &[2]),
            el(LANGUAGE, b"fra"),
            el(CODEC_ID, b"A_OPUS"),
            el(TRACK_TYPE, &[2]),
            el(AUDIO, &cat(&[el(SAMPLING_FREQUENCY, &48000f32.to_be_bytes()), el(CHANNELS, &[2])])),
        ]),
    );
    cat(&[video, audio])
}

fn simple_tag(name: &str, value: &str) -> Vec<u8> {
    el(SIMPLE_TAG, &cat(&[el(TAG_NAME, name.as_bytes()), el(TAG_STRING, value.as_bytes())]))
}

fn tags(title: &str) -> Vec<u8> {
    let global =
        el(TAG, &cat(&[el(TARGETS, &[]), simple_tag("TITLE", title), simple_tag("DATE_RELEASED", "2021")]));
    let track = el(
        TAG,
        &cat(&[el(TARGETS, &el(0x63C5, &[0x12, 0x34])), simple_tag("DURATION", "00:00:02.500000000")]),
    );
    el(TAGS, &cat(&[global, track]))
}

fn cluster() -> Vec<u8> {
    el(CLUSTER, &cat(&[el(0xE7, &[0]), el(0xA3, &[0x81, 0, 0, 0x80, 1, 2, 3, 4])]))
}

fn seek(id: u32, pos: usize) -> Vec<u8> {
    el(SEEK, &cat(&[el(SEEK_ID, &id.to_be_bytes()), el(SEEK_POSITION, &(pos as u64).to_be_bytes())]))
}

/// A file: header, Segment { SeekHead?, Info, Tracks, Cluster, Tags }.
fn file(with_seek_head: bool) -> Vec<u8> {
    let info = info();
    let tracks = tracks();
    let cluster = cluster();
    // SeekHead of fixed size: 3 entries of 8-byte positions.
    let seek_len = el(SEEK_HEAD, &cat(&[seek(INFO, 0), seek(TRACKS, 0), seek(TAGS, 0)])).len();
    let head_len = if with_seek_head { seek_len } else { 0 };
    let tags_pos = head_len + info.len() + tracks.len() + cluster.len();
    let mut seg = Vec::new();
    if with_seek_head {
        seg.extend(el(
            SEEK_HEAD,
            &cat(&[seek(INFO, head_len), seek(TRACKS, head_len + info.len()), seek(TAGS, tags_pos)]),
        ));
    }
    seg.extend(cat(&[info, tracks, cluster.clone(), cluster, tags("Tagged title")]));
    // Fix the Tags seek: two clusters precede it.
    if with_seek_head {
        let real = tags_pos + self::cluster().len();
        let fixed = el(
            SEEK_HEAD,
            &cat(&[seek(INFO, head_len), seek(TRACKS, head_len + ebml_len_info()), seek(TAGS, real)]),
        );
        seg.splice(0..head_len, fixed);
    }
    cat(&[ebml_header("webm"), el(SEGMENT, &seg)])
}

fn ebml_len_info() -> usize {
    info().len()
}

#[test]
fn reads_header_info_tracks_and_late_tags() {
    let found = test_util::parse(&file(true), parse);
    let (streams, warnings) = (&found.streams, &found.warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(found.shown("Matroska:DocType"), Some(&Value::from("webm")));
    assert_eq!(found.shown("Matroska:TimecodeScale"), Some(&Value::Float(0.001)));
    assert_eq!(found.shown("Matroska:Duration"), Some(&Value::Float(2.5)));
    assert_eq!(found.shown("Matroska:DateTimeOriginal"), Some(&Value::from("2021:06:15 12:30:45Z")));
    // TrackType came before CodecID in the video track, after it in the audio track.
    assert_eq!(found.shown("Matroska:VideoCodecID"), Some(&Value::from("V_VP9")));
    assert_eq!(found.shown("Matroska:CodecID"), Some(&Value::from("A_OPUS")));
    assert_eq!(found.shown("Matroska:VideoFrameRate"), Some(&Value::Float(25.0)));
    assert_eq!(found.shown("Matroska:TrackUID"), Some(&Value::from("1234")));
    // Last one wins: track 2.
    assert_eq!(found.shown("Matroska:TrackNumber"), Some(&Value::Int(2)));
    // Tags after the media: read, but the Info title keeps precedence.
    assert_eq!(found.shown("Matroska:Title"), Some(&Value::from("Synth title")));
    assert_eq!(found.shown("Matroska:DateReleased"), Some(&Value::from("2021")));
    assert_eq!(streams.len(), 2);
    let v = &streams[0];
    assert_eq!(v.kind, Some(StreamKind::Video));
    assert_eq!(v.codec_name.as_deref(), Some("vp9"));
    assert_eq!((v.width, v.height, v.frame_rate), (Some(1280), Some(720), Some(25.0)));
    assert_eq!(v.bit_depth, Some(10));
    assert_eq!(v.hdr.as_deref(), Some("HDR10"));
    assert_eq!(v.duration, Some(2.5));
    let a = &streams[1];
    assert_eq!(a.codec_name.as_deref(), Some("opus"));
    assert_eq!((a.sample_rate, a.channels), (Some(48000), Some(2)));
    assert_eq!(a.language.as_deref(), Some("fra"));
}

#[test]
fn without_seek_head_clusters_are_skipped_by_size() {
    let found = test_util::parse(&file(false), parse);
    let streams = &found.streams;
    assert_eq!(streams.len(), 2);
    assert_eq!(found.shown("Matroska:DateReleased"), Some(&Value::from("2021")));
    assert_eq!(found.shown("Matroska:Title"), Some(&Value::from("Synth title")));
}

#[test]
fn unknown_sizes_live_webm() {
    // Unknown-sized Segment, Info and Tracks, then unknown-sized Clusters.
    let seg = cat(&[
        el_unknown(INFO, &cat(&[el(0x7BA9, b"Live"), el(0x4D80, b"muxer")])),
        el_unknown(TRACKS, &tracks_body()),
        el_unknown(CLUSTER, &cat(&[el(0xE7, &[0]), el(0xA3, &[0x81, 0, 0, 0x80])])),
        el_unknown(CLUSTER, &cat(&[el(0xE7, &[1])])),
    ]);
    let data = cat(&[ebml_header("webm"), el_unknown(SEGMENT, &seg)]);
    let found = test_util::parse(&data, parse);
    let streams = &found.streams;
    assert_eq!(found.shown("Matroska:Title"), Some(&Value::from("Live")));
    assert_eq!(found.shown("Matroska:MuxingApp"), Some(&Value::from("muxer")));
    assert_eq!(streams.len(), 2);
}

#[test]
fn huge_sizes_and_bad_ids_do_not_panic() {
    let mut huge = vec![0x15, 0x49, 0xA9, 0x66, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0];
    huge.extend(el(0x7BA9, b"x"));
    let data = cat(&[
        ebml_header("matroska"),
        vec![0x18, 0x53, 0x80, 0x67, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        huge,
    ]);
    let found = test_util::parse(&data, parse);
    let warnings = &found.warnings;
    assert_eq!(found.shown("Matroska:DocType"), Some(&Value::from("matroska")));
    assert!(!warnings.is_empty());
    // Not EBML at all.
    assert!(!test_util::parse(b"\x00\x00\x00\x00", parse).ok);
}

#[test]
fn deep_nesting_is_bounded() {
    let mut st = simple_tag("LEAF", "v");
    for _ in 0..2000 {
        st = el(SIMPLE_TAG, &cat(&[el(TAG_NAME, b"N"), el(TAG_STRING, b"v"), st]));
    }
    let mut ch = el(CHAPTER_ATOM, &el(0x91, &[1]));
    for _ in 0..2000 {
        ch = el(CHAPTER_ATOM, &cat(&[el(0x91, &[1]), ch]));
    }
    let seg = cat(&[el(TAGS, &el(TAG, &st)), el(CHAPTERS, &el(EDITION_ENTRY, &ch))]);
    let data = cat(&[ebml_header("matroska"), el(SEGMENT, &seg)]);
    let found = test_util::parse(&data, parse);
    let warnings = &found.warnings;
    assert!(found.shown("Matroska:N").is_some());
    assert!(found.shown("Matroska:ChapterTimeStart").is_some());
    assert!(warnings.iter().any(|w| w.message.contains("nested too deep")));
}

#[test]
fn attachments_are_referenced_not_read() {
    let file_el = el(
        ATTACHED_FILE,
        &cat(&[el(0x466E, b"cover.jpg"), el(0x4660, b"image/jpeg"), el(FILE_DATA, &[0xAB; 300])]),
    );
    let seg = cat(&[el(ATTACHMENTS, &file_el)]);
    let data = cat(&[ebml_header("matroska"), el(SEGMENT, &seg)]);
    let found = test_util::parse(&data, parse);
    assert_eq!(found.shown("Matroska:AttachedFileName"), Some(&Value::from("cover.jpg")));
    assert_eq!(found.shown("Matroska:AttachedFileMIMEType"), Some(&Value::from("image/jpeg")));
    let data_ref = found.shown("Matroska:AttachedFileData");
    assert!(
        matches!(data_ref, Some(Value::Binary(b)) if b.length == 300 && data.get(b.offset as usize) == Some(&0xAB)),
        "{data_ref:?}"
    );
}

#[test]
fn every_truncation_is_safe() {
    let data = file(true);
    for n in 0..data.len() {
        test_util::parse(&data[..n], parse);
    }
    // And every single-byte corruption.
    for i in 0..data.len() {
        let mut d = data.clone();
        d[i] ^= 0xFF;
        test_util::parse(&d, parse);
    }
}

#[test]
fn dates() {
    assert_eq!(date_2001(0), "2001:01:01 00:00:00Z");
    assert_eq!(date_2001(-1_000_000_000), "2000:12:31 23:59:59Z");
    assert_eq!(date_2001(1_500_000_000), "2001:01:01 00:00:01.5Z");
    assert_eq!(crate::base::date::civil_from_days(0), (1970, 1, 1));
    assert_eq!(crate::base::date::civil_from_days(11_016), (2000, 2, 29));
    assert_eq!(date_2001(602_330_400_123_000_000), "2020:02:02 10:00:00.123000025749207Z");
    let _ = date_2001(i64::MIN);
    let _ = date_2001(i64::MAX);
}

/// Tags of `n` Tag elements, each with one SimpleTag `NAMEi` = `value i`.
fn many_tags(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| el(TAG, &simple_tag(&format!("NAME{i}"), &format!("value {i}"))))
        .collect::<Vec<_>>()
        .concat()
}

#[test]
fn elements_past_max_alloc_are_read_child_by_child() {
    let limits = crate::options::Limits::default().with_max_alloc(1000);
    let small = crate::options::Options::default().with_limits(limits);
    // Known sizes: Tags of 5 KB read in runs of whole Tags; a Tag of 3 KB skipped.
    let big_tag = el(TAG, &simple_tag("BIG", &"b".repeat(3000)));
    let tags = el(TAGS, &cat(&[many_tags(60), big_tag, many_tags(3)]));
    let data = cat(&[ebml_header("matroska"), el(SEGMENT, &cat(&[info(), tracks(), tags, cluster()]))]);
    let whole = test_util::parse(&data, parse);
    let found = test_util::parse_with_options(&data, &small, parse);
    assert!(found.ok);
    let without_big: Vec<_> = whole.pairs().into_iter().filter(|(k, _)| k != "Matroska:Big").collect();
    assert_eq!(found.pairs(), without_big);
    assert_eq!(found.streams, whole.streams);
    let w: Vec<&str> = found.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("skipped: past max_alloc (1000 bytes)"), "{w:?}");
    // Unknown sizes whose end is past the first max_alloc bytes: the same tags.
    let tags = el_unknown(TAGS, &many_tags(60));
    let data = cat(&[ebml_header("matroska"), el_unknown(SEGMENT, &cat(&[info(), tags, cluster()]))]);
    let whole = test_util::parse(&data, parse);
    let found = test_util::parse_with_options(&data, &small, parse);
    assert_eq!(found.pairs(), whole.pairs());
    assert!(found.shown("Matroska:Name59").is_some());
    assert_eq!(found.warnings, whole.warnings);
}
