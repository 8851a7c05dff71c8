//! Unit tests over synthesized boxes.

use super::*;
use crate::formats::isobmff::boxes::bx;
use crate::options::Options;
use crate::test_util::{self, Parsed};

#[test]
fn dates_from_1904() {
    assert_eq!(qt_date(0), "0000:00:00 00:00:00");
    assert_eq!(qt_date(0xdcee4df5), "2021:06:15 12:30:45");
    assert_eq!(qt_date(86_400 + 1), "1970:01:02 00:00:01");
    assert_eq!(num(0.1 + 0.2), "0.3");
    assert_eq!(num(-1.0), "-1");
    assert_eq!(num(48.8584), "48.8584");
}

const KEYS_MOV: &[u8] = include_bytes!("../../../../tests/fixtures/movie/apple_keys_nomdat.mov");
const HEVC: &[u8] = include_bytes!("../../../../tests/fixtures/movie/hevc_rotate90_nomdat.mp4");
const MJPEG: &[u8] = include_bytes!("../../../../tests/fixtures/movie/mjpeg_pcm_nomdat.mov");
const H264: &[u8] = include_bytes!("../../../../tests/fixtures/movie/h264_aac_moov_end_nomdat.mp4");
const M4A: &[u8] = include_bytes!("../../../../tests/fixtures/movie/aac_itunes_cover.m4a");
const NOMETA: &[u8] = include_bytes!("../../../../tests/fixtures/movie/video_only_nometa.mp4");

/// The `QuickTime:` tag ExifTool shows as `name`, as text.
fn text(found: &Parsed, name: &str) -> String {
    found.shown(&format!("QuickTime:{name}")).map(Value::to_text).unwrap_or_default()
}

/// The `QuickTime:` tag ExifTool shows as `name`, as a number.
fn f(found: &Parsed, name: &str) -> f64 {
    found.shown(&format!("QuickTime:{name}")).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

#[test]
fn movie_header_tracks_and_udta() {
    let found = test_util::parse(H264, parse);
    let streams = &found.streams;
    assert_eq!(text(&found, "MajorBrand"), "isom");
    assert_eq!(text(&found, "CompatibleBrands"), "isom, iso2, avc1, mp41");
    assert_eq!(text(&found, "CreateDate"), "2021:06:15 12:30:45");
    assert_eq!(f(&found, "Duration"), 3.0);
    // First track's header wins; later media headers and handlers win.
    assert_eq!(f(&found, "TrackID"), 1.0);
    assert_eq!(f(&found, "TrackVolume"), 0.0);
    assert_eq!(f(&found, "MediaTimeScale"), 48000.0);
    assert_eq!(text(&found, "HandlerType"), "mdir");
    assert_eq!(text(&found, "HandlerDescription"), "SoundHandler");
    assert_eq!(text(&found, "CompressorName"), "Lavc59.37.100 libx264");
    assert_eq!(f(&found, "VideoFrameRate"), 25.0);
    assert_eq!(f(&found, "AverageBitrate"), 267042.0);
    assert_eq!(text(&found, "PixelAspectRatio"), "1:1");
    assert_eq!(text(&found, "AudioFormat"), "mp4a");
    assert_eq!(text(&found, "ContentCreateDate"), "2021");
    assert_eq!(text(&found, "Copyright"), "(c) 2021 Jane");
    assert_eq!(
        text(&found, "LocationInformation"),
        "(none) Role=shooting Lat=48.85840 Lon=2.29449 Alt=0.00 Body=earth Notes="
    );
    assert_eq!(streams.len(), 2);
    let v = &streams[0];
    assert_eq!((v.codec_name.as_deref(), v.profile.as_deref()), (Some("h264"), Some("High")));
    assert_eq!((v.width, v.height, v.frame_rate, v.duration), (Some(320), Some(240), Some(25.0), Some(3.0)));
    let a = &streams[1];
    assert_eq!((a.codec_name.as_deref(), a.sample_rate, a.channels), (Some("aac"), Some(48000), Some(2)));
    // The edit list, not the media header (3.0213 s), gives the stream duration.
    assert_eq!(a.duration, Some(3.0));
    assert_eq!(a.language.as_deref(), Some("und"));
}

#[test]
fn apple_keys_and_quicktime_sound() {
    let found = test_util::parse(KEYS_MOV, parse);
    let streams = &found.streams;
    assert_eq!(text(&found, "Make"), "Apple");
    assert_eq!(text(&found, "Model"), "iPhone 12 Pro");
    assert_eq!(text(&found, "CreationDate"), "2021:06:15 14:30:45+02:00");
    assert_eq!(text(&found, "GPSCoordinates"), "48.8584 2.2945 35");
    assert_eq!(text(&found, "CreationTime"), "2021-06-15T12:30:45Z");
    assert_eq!(text(&found, "VendorID"), "FFMP");
    assert_eq!(text(&found, "HandlerClass"), "dhlr");
    assert_eq!(text(&found, "HandlerDescription"), "DataHandler");
    assert_eq!(text(&found, "PurchaseFileFormat"), "mp4a");
    assert_eq!(f(&found, "LayoutFlags"), 101.0);
    assert_eq!(f(&found, "MediaLanguageCode"), 32767.0);
    assert_eq!(streams[1].codec_name.as_deref(), Some("aac"));
    assert_eq!(streams[0].language, None);
}

#[test]
fn rotation_fields_and_pcm() {
    let found = test_util::parse(HEVC, parse);
    let streams = &found.streams;
    assert_eq!(text(&found, "MatrixStructure"), "0 1 0 -1 0 0 360 0 1");
    assert_eq!(text(&found, "VideoFieldOrder"), "1 0");
    assert!((f(&found, "VideoFrameRate") - 30000.0 / 1001.0).abs() < 1e-9);
    assert_eq!(streams[0].rotation, Some(90));
    assert_eq!(streams[0].codec_name.as_deref(), Some("hevc"));
    assert_eq!(streams[0].profile.as_deref(), Some("Main"));
    let found = test_util::parse(MJPEG, parse);
    let streams = &found.streams;
    assert_eq!(text(&found, "CompressorID"), "jpeg");
    assert_eq!(text(&found, "AudioFormat"), "sowt");
    assert_eq!(text(&found, "Title"), "MJPEG QuickTime");
    assert_eq!(text(&found, "SoftwareVersion"), "Lavf59.27.100");
    assert_eq!(text(&found, "GPSCoordinates"), "-33.8568 151.2153 10");
    assert_eq!(text(&found, "CreationDate"), "2020:01:02 14:04:05+11:00");
    assert_eq!(streams[0].codec_name.as_deref(), Some("mjpeg"));
    assert_eq!(streams[1].codec_name.as_deref(), Some("pcm_s16le"));
}

#[test]
fn itunes_items_and_cover() {
    let found = test_util::parse(M4A, parse);
    let streams = &found.streams;
    assert_eq!(text(&found, "Title"), "Test Song");
    assert_eq!(text(&found, "AlbumArtist"), "Various");
    assert_eq!(text(&found, "ContentCreateDate"), "2021:06:15");
    assert_eq!(text(&found, "TrackNumber"), "3 of 12");
    assert_eq!(text(&found, "DiskNumber"), "1 of 2");
    assert!(matches!(found.shown("QuickTime:CoverArt"), Some(Value::Binary(b)) if b.length == 3624));
    assert!(found.shown("QuickTime:ImageWidth").is_none());
    assert_eq!(streams.len(), 2);
    assert_eq!(streams[1].codec_name.as_deref(), Some("mjpeg"));
    assert_eq!((streams[1].width, streams[1].height), (Some(300), Some(300)));
    assert_eq!(streams[0].duration, Some(4.0));
}

#[test]
fn keys_at_moov_level_and_user_data_strings() {
    let found = test_util::parse(NOMETA, parse);
    assert_eq!(text(&found, "Make"), "GoPro");
    assert_eq!(text(&found, "Model"), "HERO9 Black");
    assert_eq!(text(&found, "Artist"), "Keys artist");
    assert_eq!(text(&found, "HandlerType"), "mdta");
    assert_eq!(text(&found, "CreateDate"), "0000:00:00 00:00:00");
    assert_eq!(f(&found, "MediaDataOffset"), 4540.0);
    assert_eq!(f(&found, "MediaDataSize"), 66205.0);
}

#[test]
fn text_helpers() {
    assert_eq!(text::iso6709("+48.8584+002.2945+035.000/").as_deref(), Some("48.8584 2.2945 35"));
    assert_eq!(text::iso6709("-3351.408+15112.918/").as_deref(), Some("-33.8568 151.2153"));
    assert_eq!(text::iso6709("nonsense"), None);
    assert_eq!(text::date("2021-06-15T14:30:45+0200"), Value::Text("2021:06:15 14:30:45+02:00".into()));
    assert_eq!(text::date("2006"), Value::Int(2006));
    let mac: String = b"\x8clbum \x8d\xbf".iter().map(|&c| text::mac_roman(c)).collect();
    assert_eq!(mac, "ålbum çø");
    let (rate, ch, profile) = entry::test_asc(&[0x12, 0x10]);
    assert_eq!((rate, ch, profile), (Some(44100.0), Some(2), Some("LC")));
    let (rate, _, profile) = entry::test_asc(&[0x2b, 0x92, 0x08, 0x00]);
    assert_eq!((rate, profile), (Some(44100.0), Some("HE-AAC")));
}

/// Hostile and broken inputs: errors become warnings, nothing panics.
#[test]
fn broken_boxes_never_panic() {
    // stts/stsz claiming 2^32-1 entries in a tiny box.
    let huge = [0u8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 1];
    let stsz = [0u8, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 9];
    let mut stbl = bx(b"stts", &huge);
    stbl.extend_from_slice(&bx(b"stsz", &stsz));
    stbl.extend_from_slice(&bx(b"stz2", &[0, 0, 0, 0, 0, 0, 0, 4, 0xff, 0xff, 0xff, 0xff, 0x12]));
    stbl.extend_from_slice(&bx(b"stsd", &[0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, b'a', b'v', b'c', b'1', 0]));
    let mut hdlr = vec![0u8; 8];
    hdlr.extend_from_slice(b"vide");
    hdlr.extend_from_slice(&[0; 12]);
    let mut mdia = bx(b"hdlr", &hdlr);
    mdia.extend_from_slice(&bx(b"mdhd", &[0; 24]));
    mdia.extend_from_slice(&bx(b"minf", &bx(b"stbl", &stbl)));
    let mut trak = bx(b"tkhd", &[1, 0, 0, 0]);
    trak.extend_from_slice(&bx(b"edts", &bx(b"elst", &[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff])));
    trak.extend_from_slice(&bx(b"mdia", &mdia));
    let mut moov = bx(b"mvhd", &[0; 8]);
    moov.extend_from_slice(&bx(b"trak", &trak));
    moov.extend_from_slice(&bx(b"udta", &bx(b"\xa9xyz", &[0xff, 0xff, 0, 0, b'+'])));
    moov.extend_from_slice(&bx(b"meta", &[0, 0, 0, 0, 0, 0, 0, 3]));
    let mut file = bx(b"ftyp", b"isom\0\0\0\0");
    file.extend_from_slice(&bx(b"moov", &moov));
    let found = test_util::parse(&file, parse);
    let (streams, warnings) = (&found.streams, found.warnings.len());
    assert_eq!(streams.len(), 1);
    assert!(warnings > 0);
    assert_eq!(text(&found, "CompressorID"), "avc1");
    // Every prefix of real and synthetic files parses without panicking.
    for data in [&file[..], H264, KEYS_MOV, MJPEG, &M4A[..6000]] {
        for cut in (0..data.len()).step_by(7) {
            test_util::parse(&data[..cut], parse);
        }
    }
    // Size 1 with a huge 64-bit size, size 0 (to the end), sizes smaller than the header.
    let mut odd = vec![0, 0, 0, 1, b'm', b'o', b'o', b'v'];
    odd.extend_from_slice(&u64::MAX.to_be_bytes());
    let w = test_util::parse(&odd, parse).warnings.len();
    assert!(w > 0);
    let zero = [0u8, 0, 0, 0, b'm', b'o', b'o', b'v', 0, 0, 0, 3, b'x', b'x', b'x', b'x'];
    let w = test_util::parse(&zero, parse).warnings.len();
    assert!(w > 0);
    // Deeply nested meta/udta boxes hit the depth limit, not the stack.
    let mut nest = bx(b"udta", &[]);
    for _ in 0..200 {
        nest = bx(b"udta", &bx(b"meta", &[&[0u8, 0, 0, 0][..], &bx(b"udta", &nest)].concat()));
    }
    test_util::parse(&bx(b"moov", &nest), parse);
}

/// A movie with one video track whose `stbl` holds `tables`, and a `udta` title after
/// the track.
fn movie_with_tables(tables: &[Vec<u8>]) -> Vec<u8> {
    let mut tkhd = vec![0u8; 84];
    tkhd[3] = 3;
    let mut mdhd = vec![0u8; 24];
    mdhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
    mdhd[16..20].copy_from_slice(&40_000u32.to_be_bytes());
    let hdlr = [&[0u8; 8][..], b"vide", &[0; 13]].concat();
    let stbl = bx(b"stbl", &[bx(b"stsd", &[0; 8]), tables.concat()].concat());
    let mdia = [bx(b"mdhd", &mdhd), bx(b"hdlr", &hdlr), bx(b"minf", &stbl)].concat();
    let trak = bx(b"trak", &[bx(b"tkhd", &tkhd), bx(b"mdia", &mdia)].concat());
    let mut mvhd = vec![0u8; 100];
    mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
    let title = bx(b"\xa9nam", &[&[0, 5, 0, 0][..], b"title"].concat());
    let moov = bx(b"moov", &[bx(b"mvhd", &mvhd), trak, bx(b"udta", &title)].concat());
    [bx(b"ftyp", b"isom\0\0\0\0"), moov, bx(b"mdat", &[1, 2, 3])].concat()
}

/// An `stsz` of `n` samples of 1000 bytes and an `stts` of `n` samples of 40 ms.
fn big_tables(n: u32) -> Vec<Vec<u8>> {
    let stsz = [&[0u8; 8][..], &n.to_be_bytes(), &1000u32.to_be_bytes().repeat(n as usize)].concat();
    let stts: Vec<u8> = (0..n).flat_map(|_| [0, 0, 0, 1, 0, 0, 0, 40]).collect();
    let stts = [&[0u8; 4][..], &n.to_be_bytes(), &stts].concat();
    vec![bx(b"stts", &stts), bx(b"stsz", &stsz)]
}

#[test]
fn a_moov_over_max_alloc_is_walked_box_by_box() {
    let file = movie_with_tables(&big_tables(1000));
    let limits = crate::options::Limits { max_alloc: 1024, ..Default::default() };
    let opts = Options::default().with_limits(limits);
    let found = test_util::parse_with_options(&file, &opts, parse);
    assert!(found.ok);
    assert_eq!(text(&found, "MajorBrand"), "isom");
    assert_eq!(found.shown("QuickTime:MediaDataSize"), Some(&Value::Int(3)));
    assert_eq!(text(&found, "Title"), "title");
    // Summed in windows of whole entries: 1000 samples of 1000 bytes over 40 s.
    assert_eq!(f(&found, "VideoFrameRate"), 25.0);
    assert_eq!(found.streams.len(), 1);
    assert_eq!(found.streams[0].bit_rate, Some(200_000));
    assert!(found.warnings.is_empty(), "{:?}", found.warnings);
    // Tables the read budget cannot cover are skipped with a warning; the rest is read.
    let limits = crate::options::Limits { max_alloc: 1024, max_bytes_read: 6000, ..Default::default() };
    let opts = Options::default().with_limits(limits);
    let found = test_util::parse_with_options(&file, &opts, parse);
    assert_eq!(text(&found, "Title"), "title");
    assert!(f(&found, "VideoFrameRate").is_nan());
    assert_eq!(found.streams[0].bit_rate, Some(200_000));
    assert!(found.warnings.iter().any(|w| w.message.contains("max_bytes_read")));
}

/// Every file parsed from a `moov` read whole and walked box by box gives the same tags
/// and streams.
#[test]
fn walking_box_by_box_reads_what_memory_does() {
    let synthetic = movie_with_tables(&big_tables(5));
    for data in [KEYS_MOV, HEVC, MJPEG, H264, M4A, NOMETA, &synthetic] {
        let whole = test_util::parse(data, parse);
        let walked = test_util::parse(data, |cx| parse_reading_whole(cx, 0, &[]).map(|_| ()));
        assert_eq!(whole.pairs(), walked.pairs());
        assert_eq!(whole.streams, walked.streams);
        assert_eq!(whole.warnings, walked.warnings);
        for cut in (0..data.len()).step_by(97) {
            let walked = test_util::parse(&data[..cut], |cx| parse_reading_whole(cx, 0, &[]).map(|_| ()));
            let whole = test_util::parse(&data[..cut], parse);
            assert_eq!(whole.pairs(), walked.pairs(), "cut at {cut}");
            assert_eq!(whole.streams, walked.streams, "cut at {cut}");
        }
    }
}

#[test]
fn fragments_report_the_last_and_timecode_tracks() {
    let mut moof = bx(b"mfhd", &[0, 0, 0, 0, 0, 0, 0, 7]);
    moof.extend_from_slice(&bx(b"traf", &[]));
    let mut file = bx(b"ftyp", b"iso6\0\0\0\0");
    file.extend_from_slice(&bx(b"moov", &bx(b"mvhd", &[0; 100])));
    file.extend_from_slice(&bx(b"moof", &moof));
    file.extend_from_slice(&bx(b"mdat", &[0; 10]));
    file.extend_from_slice(&bx(b"moof", &moof));
    file.extend_from_slice(&bx(b"mdat", &[0; 20]));
    let found = test_util::parse(&file, parse);
    // ExifTool shows the last fragment's sequence and media data.
    assert_eq!(found.shown("QuickTime:MovieFragmentSequence"), Some(&Value::Int(7)));
    assert_eq!(found.shown("QuickTime:MediaDataSize"), Some(&Value::Int(20)));

    // A time code track: handler tmcd, entry with 30000/1001, gmhd/tcmi text style.
    let mut hdlr = vec![0u8; 4];
    hdlr.extend_from_slice(b"mhlrtmcd");
    hdlr.extend_from_slice(&[0; 12]);
    let mut entry = vec![0u8; 16];
    entry.extend_from_slice(&30000u32.to_be_bytes());
    entry.extend_from_slice(&1001u32.to_be_bytes());
    entry.extend_from_slice(&[30, 0]);
    let mut stsd = vec![0, 0, 0, 0, 0, 0, 0, 1];
    stsd.extend_from_slice(&bx(b"tmcd", &entry));
    let mut tcmi = vec![0u8; 4];
    tcmi.extend_from_slice(&[
        0, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 4,
    ]);
    tcmi.extend_from_slice(b"Mono");
    let mut minf = bx(b"gmhd", &bx(b"tmcd", &bx(b"tcmi", &tcmi)));
    minf.extend_from_slice(&bx(b"stbl", &bx(b"stsd", &stsd)));
    let mut mdia = bx(b"hdlr", &hdlr);
    mdia.extend_from_slice(&bx(b"minf", &minf));
    let moov = bx(b"moov", &bx(b"trak", &bx(b"mdia", &mdia)));
    let found = test_util::parse(&moov, parse);
    let streams = &found.streams;
    assert_eq!(text(&found, "OtherFormat"), "tmcd");
    assert!((f(&found, "PlaybackFrameRate") - 29.97002997).abs() < 1e-6);
    assert_eq!(text(&found, "FontName"), "Mono");
    assert_eq!(text(&found, "BackgroundColor"), "65535 65535 65535");
    assert_eq!(streams[0].kind, Some(crate::model::StreamKind::Data));
}

#[test]
fn visual_entry_hdr_and_dolby_vision() {
    let mut entry = vec![0u8; 78];
    entry[24..26].copy_from_slice(&1920u16.to_be_bytes());
    entry[26..28].copy_from_slice(&1080u16.to_be_bytes());
    entry[74..76].copy_from_slice(&24u16.to_be_bytes());
    entry.extend_from_slice(&bx(
        b"hvcC",
        &[1, 0x02, 0x20, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 120, 0xf0, 0, 0xfc, 0xfd, 0xfa],
    ));
    entry.extend_from_slice(&bx(b"colr", b"nclx\0\x09\0\x12\0\x09\x80"));
    // Dolby Vision profile 8, level 6: 0b0010000_000110_1_0_1 after the version bytes.
    let dv: u16 = (8 << 9) | (6 << 3) | 0b101;
    let mut dvcc = vec![1, 0];
    dvcc.extend_from_slice(&dv.to_be_bytes());
    entry.extend_from_slice(&bx(b"dvcC", &dvcc));
    entry.extend_from_slice(&bx(b"btrt", &[0, 0, 0, 0, 0, 0x98, 0x96, 0x80, 0, 0x98, 0x96, 0x80]));
    let mut stsd = vec![0, 0, 0, 0, 0, 0, 0, 1];
    stsd.extend_from_slice(&bx(b"hvc1", &entry));
    let mut stts = vec![0, 0, 0, 0, 0, 0, 0, 1];
    stts.extend_from_slice(&48u32.to_be_bytes());
    stts.extend_from_slice(&1001u32.to_be_bytes());
    let mut stbl = bx(b"stsd", &stsd);
    stbl.extend_from_slice(&bx(b"stts", &stts));
    let mut hdlr = vec![0u8; 8];
    hdlr.extend_from_slice(b"vide");
    hdlr.extend_from_slice(&[0; 12]);
    let mut mdhd = vec![0u8; 12];
    mdhd.extend_from_slice(&24000u32.to_be_bytes());
    mdhd.extend_from_slice(&48048u32.to_be_bytes());
    mdhd.extend_from_slice(&[0x55, 0xc4, 0, 0]);
    let mut mdia = bx(b"mdhd", &mdhd);
    mdia.extend_from_slice(&bx(b"hdlr", &hdlr));
    mdia.extend_from_slice(&bx(b"minf", &bx(b"stbl", &stbl)));
    let found = test_util::parse(&bx(b"moov", &bx(b"trak", &bx(b"mdia", &mdia))), parse);
    let (streams, warnings) = (&found.streams, found.warnings.len());
    assert_eq!(warnings, 0);
    assert_eq!(f(&found, "DolbyVisionProfile"), 8.0);
    assert_eq!(f(&found, "DolbyVisionLevel"), 6.0);
    assert_eq!(f(&found, "TransferCharacteristics"), 18.0);
    assert_eq!(f(&found, "MaxBitrate"), 10_000_000.0);
    assert!((f(&found, "VideoFrameRate") - 23.976_023_976).abs() < 1e-6);
    let s = &streams[0];
    assert_eq!(s.hdr.as_deref(), Some("Dolby Vision"));
    assert_eq!(
        (s.codec_name.as_deref(), s.profile.as_deref(), s.bit_depth),
        (Some("hevc"), Some("Main 10"), Some(10))
    );
    assert_eq!((s.width, s.height, s.duration), (Some(1920), Some(1080), Some(2.002)));
}

#[test]
fn keys_with_user_data_codes() {
    let mut keys = vec![0u8, 0, 0, 0, 0, 0, 0, 2];
    keys.extend_from_slice(&[0, 0, 0, 12, b'u', b'd', b't', b'a', 0xa9, b'x', b'y', b'z']);
    keys.extend_from_slice(&[0, 0, 0, 36]);
    keys.extend_from_slice(b"mdtacom.apple.quicktime.make.xyz");
    let item = |idx: u32, v: &[u8]| {
        let mut d = vec![0, 0, 0, 1, 0, 0, 0, 0];
        d.extend_from_slice(v);
        bx(&idx.to_be_bytes(), &bx(b"data", &d))
    };
    let mut ilst = item(1, b"+10.5-020.25/");
    ilst.extend_from_slice(&item(2, b"x"));
    ilst.extend_from_slice(&item(9, b"ignored"));
    let mut hdlr = vec![0u8; 8];
    hdlr.extend_from_slice(b"mdta");
    hdlr.extend_from_slice(&[0; 13]);
    let mut meta = bx(b"hdlr", &hdlr);
    meta.extend_from_slice(&bx(b"keys", &keys));
    meta.extend_from_slice(&bx(b"ilst", &ilst));
    let found = test_util::parse(&bx(b"moov", &bx(b"meta", &meta)), parse);
    assert_eq!(text(&found, "GPSCoordinates"), "10.5 -20.25");
    assert_eq!(text(&found, "MakeXyz"), "x");
    assert_eq!(found.tags.len(), 3);
}

#[test]
fn moov_at_end_costs_two_source_reads() {
    let mut file = bx(b"ftyp", b"isom\0\0\x02\0isom");
    file.extend_from_slice(&bx(b"mdat", &vec![0u8; 300_000]));
    let mut moov = bx(b"mvhd", &[0; 100]);
    moov.extend_from_slice(&bx(b"udta", &vec![0u8; 50_000]));
    file.extend_from_slice(&bx(b"moov", &moov));
    let opts = Options::default();
    let cached = crate::source::CachedSource::new(&file[..], opts.read_ahead, opts.cache_capacity);
    // A source that counts its reads: built by hand, as test_util reads from memory.
    let mut cx = Ctx::new(&cached, &opts);
    assert!(parse(&mut cx).is_ok());
    let get = |key| test_util::find(&cx.tags, key).map(|t| &t.value);
    assert_eq!(get("QuickTime:MediaDataSize"), Some(&Value::Int(300_000)));
    assert_eq!(get("QuickTime:MovieHeaderVersion"), Some(&Value::Int(0)));
    let stats = cached.stats();
    assert_eq!(stats.source_reads, 2);
    assert!(stats.source_bytes <= (moov.len() + 8 + 65536) as u64);
}

const FRAG_GST: &[u8] = include_bytes!("../../../../tests/fixtures/video/fragmented_gst.mov");

#[test]
fn fragment_ends_come_from_the_last_fragment() {
    let found = test_util::parse(FRAG_GST, parse);
    let s = found.streams.first().map(|s| (s.duration, s.frame_rate));
    assert_eq!(s, Some((Some(1.2), Some(10.0))));
    assert_eq!(f(&found, "MovieFragmentSequence"), 4.0);
    // The walk jumps from the first fragment to the last (found in the tail): a wrong
    // decode time in a middle fragment is never read.
    let mut data = FRAG_GST.to_vec();
    let at = data.windows(4).enumerate().filter(|(_, w)| w == b"tfdt").nth(1).map(|(i, _)| i);
    let at = at.expect("second tfdt") + 4 + 4;
    data[at..at + 8].copy_from_slice(&1_000_000u64.to_be_bytes());
    let found = test_util::parse(&data, parse);
    assert_eq!(found.streams.first().and_then(|s| s.duration), Some(1.2));
}

#[test]
fn timed_metadata_samples_are_located_for_the_caller() {
    const CTMD: [[u8; 4]; 1] = [*b"CTMD"];
    const OTHER: [[u8; 4]; 1] = [*b"XXXX"];
    // A `meta` track with one CTMD entry and two samples of 5 and 7 bytes in one chunk at
    // offset 40, each lasting one unit of a time scale of 2.
    let mut mdhd = vec![0u8; 24];
    mdhd[12..16].copy_from_slice(&2u32.to_be_bytes());
    let hdlr = [&[0u8; 8][..], b"meta", &[0; 13]].concat();
    let stsd = [&[0u8, 0, 0, 0, 0, 0, 0, 1][..], &bx(b"CTMD", &[0; 8])].concat();
    let stts = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1];
    let stsc = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1];
    let stsz = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 7];
    let co64 = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 40];
    let tables =
        [bx(b"stsd", &stsd), bx(b"stts", &stts), bx(b"stsc", &stsc), bx(b"stsz", &stsz), bx(b"co64", &co64)];
    let minf = bx(b"stbl", &tables.concat());
    let mdia = [bx(b"mdhd", &mdhd), bx(b"hdlr", &hdlr), bx(b"minf", &minf)].concat();
    let trak = bx(b"trak", &[bx(b"tkhd", &[0; 84]), bx(b"mdia", &mdia)].concat());
    let file = [bx(b"ftyp", b"crx \0\0\0\0"), bx(b"moov", &trak)].concat();
    let mut got = Vec::new();
    let found = test_util::parse(&file, |cx| {
        got = parse_timed(cx, &CTMD)?;
        Ok(())
    });
    assert_eq!(text(&found, "MetaFormat"), "CTMD");
    let at =
        |offset, size, time, duration| TimedSample { track: "Track1".into(), offset, size, time, duration };
    assert_eq!(got, [at(40, 5, 0.0, 0.5), at(45, 7, 0.5, 0.5)]);
    // Not asked for: nothing located.
    let mut none = vec![at(0, 0, 0.0, 0.0)];
    test_util::parse(&file, |cx| {
        none = parse_timed(cx, &OTHER)?;
        Ok(())
    });
    assert!(none.is_empty());
}
