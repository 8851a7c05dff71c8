//! JPEG application segments and trailers beyond EXIF/XMP/ICC/IRB: synthesized segments
//! (Adobe, Ducky, MPF, SPIFF, trailers) and, with METASIFT_CORPUS set, real samples.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
use metasift::{Value, extract_bytes, extract_path};

/// A JPEG with the given (marker, body) segments, a minimal SOF0/SOS, EOI and `trailer`.
fn jpeg(segments: &[(u8, Vec<u8>)], trailer: &[u8]) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8];
    for (m, body) in segments {
        v.extend_from_slice(&[0xFF, *m]);
        v.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(body);
    }
    let sof = [8, 0, 16, 0, 16, 1, 1, 0x11, 0];
    v.extend_from_slice(&[0xFF, 0xC0, 0, (sof.len() + 2) as u8]);
    v.extend_from_slice(&sof);
    v.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, 0x34, 0xFF, 0xD9]);
    v.extend_from_slice(trailer);
    v
}

fn int(m: &metasift::Metadata, key: &str) -> Option<i64> {
    m.get(key).and_then(Value::as_i64)
}

#[test]
fn adobe_ducky_spiff_and_quality() {
    let mut ducky = b"Ducky".to_vec();
    ducky.extend_from_slice(&[0, 1, 0, 4, 0, 0, 0, 84, 0, 3, 0, 8, 0, 0, 0, 2, 0, b'H', 0, b'i', 0, 0]);
    let mut spiff = b"SPIFF\0".to_vec();
    spiff.extend_from_slice(&[
        1, 2, 1, 3, 0, 0, 0, 0, 0x11, 0x94, 0, 0, 0x0B, 0xB8, 1, 8, 5, 1, 0, 0, 1, 44, 0, 0, 1, 44,
    ]);
    let data = jpeg(
        &[
            (0xEE, b"Adobe\0\x64\0\0\0\0\x01".to_vec()),
            (0xEC, ducky),
            (0xE8, spiff),
            (0xEF, b"Q 70".to_vec()),
            (0xED, b"Adobe_CM\0\x03".to_vec()),
        ],
        b"",
    );
    let m = extract_bytes(&data).expect("parses");
    assert_eq!(int(&m, "APP14:DCTEncodeVersion"), Some(100));
    assert_eq!(int(&m, "APP14:ColorTransform"), Some(1));
    assert_eq!(int(&m, "Ducky:Quality"), Some(84));
    assert_eq!(m.get("Ducky:Copyright"), Some(&Value::Text("Hi".into())));
    assert_eq!(int(&m, "APP8:ImageHeight"), Some(4500));
    assert_eq!(int(&m, "APP8:ImageWidth"), Some(3000));
    assert_eq!(int(&m, "APP8:XResolution"), Some(300));
    assert_eq!(int(&m, "APP15:Quality"), Some(70));
    assert_eq!(int(&m, "APP13:AdobeCMType"), Some(3));
}

#[test]
fn mpf_index_last_image_wins() {
    let mut t = b"MPF\0II*\0\x08\0\0\0".to_vec();
    t.extend_from_slice(&3u16.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, n: u32, v: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&typ.to_le_bytes());
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&v);
    };
    entry(&mut t, 0xB000, 7, 4, *b"0100");
    entry(&mut t, 0xB001, 4, 1, 2u32.to_le_bytes());
    entry(&mut t, 0xB002, 7, 32, 50u32.to_le_bytes());
    t.extend_from_slice(&[0, 0, 0, 0]);
    for (attr, len, start, d1) in [(0x8003_0000u32, 5000u32, 0u32, 2u16), (0x4001_0002, 1000, 4000, 0)] {
        t.extend_from_slice(&attr.to_le_bytes());
        t.extend_from_slice(&len.to_le_bytes());
        t.extend_from_slice(&start.to_le_bytes());
        t.extend_from_slice(&d1.to_le_bytes());
        t.extend_from_slice(&0u16.to_le_bytes());
    }
    let data = jpeg(&[(0xE2, t)], b"");
    let m = extract_bytes(&data).expect("parses");
    assert_eq!(m.get("MPF:MPFVersion"), Some(&Value::Text("0100".into())));
    assert_eq!(int(&m, "MPF:NumberOfImages"), Some(2));
    assert_eq!(int(&m, "MPF:MPImageFlags"), Some(8));
    assert_eq!(int(&m, "MPF:MPImageType"), Some(0x10002));
    assert_eq!(int(&m, "MPF:MPImageLength"), Some(1000));
    // Counted from the MP header: SOI (2) + marker and length (4) + "MPF\0" (4).
    assert_eq!(int(&m, "MPF:MPImageStart"), Some(4010));
}

#[test]
fn photomechanic_and_fotostation_trailers() {
    // Photo Mechanic: datasets, u32 size, signature.
    let pm = [0x1C, 2, 221, 0, 4, 0, 0, 0, 1, 0x1C, 2, 222, 0, 4, 0, 0, 0, 6];
    let mut trailer = pm.to_vec();
    trailer.extend_from_slice(&(pm.len() as u32).to_be_bytes());
    trailer.extend_from_slice(b"cbipcbbl");
    let m = extract_bytes(&jpeg(&[], &trailer)).expect("parses");
    assert_eq!(int(&m, "PhotoMechanic:Tagged"), Some(1));
    assert_eq!(int(&m, "PhotoMechanic:ColorClass"), Some(6));

    // FotoStation: an IIM record (type 1) then a SoftEdit record (type 2).
    let iim = b"\x1c\x02\x05\x00\x05Title";
    let mut t = iim.to_vec();
    t.extend_from_slice(&1u32.to_be_bytes());
    t.extend_from_slice(&(iim.len() as u32 + 12).to_be_bytes());
    t.extend_from_slice(&[0xA1, 0xB2, 0xC3, 0xD4]);
    let soft: Vec<u8> = [1536i32, 1024, 3, 38626, 27000, 0, 18422, 24458, 83035, 77817, 0]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect();
    t.extend_from_slice(&soft);
    t.extend_from_slice(&2u32.to_be_bytes());
    t.extend_from_slice(&(soft.len() as u32 + 12).to_be_bytes());
    t.extend_from_slice(&[0xA1, 0xB2, 0xC3, 0xD4]);
    let m = extract_bytes(&jpeg(&[], &t)).expect("parses");
    assert_eq!(m.get("IPTC:ObjectName"), Some(&Value::Text("Title".into())));
    assert_eq!(int(&m, "FotoStation:OriginalImageWidth"), Some(1536));
    assert_eq!(int(&m, "FotoStation:Rotation"), Some(90));
    assert_eq!(m.get("FotoStation:CropLeft").and_then(Value::as_f64), Some(18.422));
}

#[test]
fn hostile_trailer_sizes_only_warn() {
    let mut t = vec![0u8; 4];
    t.extend_from_slice(&u32::MAX.to_be_bytes());
    t.extend_from_slice(b"cbipcbbl");
    let m = extract_bytes(&jpeg(&[], &t)).expect("parses");
    assert!(!m.warnings.is_empty());
    let mut a = b"AXS!".to_vec();
    a.extend_from_slice(&u32::MAX.to_be_bytes());
    a.extend_from_slice(&[0; 4]);
    let m = extract_bytes(&jpeg(&[], &a)).expect("parses");
    assert!(!m.warnings.is_empty());
    // Every prefix of a JPEG with extra segments parses without panicking.
    let full = jpeg(
        &[(0xEE, b"Adobe\0\x64\0\0\0\0\x01".to_vec()), (0xE2, b"MPF\0II*\0\x08\0\0\0\xff\xff".to_vec())],
        &t,
    );
    for n in 0..full.len() {
        let _ = extract_bytes(&full[..n]);
    }
}

/// Real samples (third-party files read from the corpus, never copied).
#[test]
fn corpus_samples() {
    let Some(root) = common::corpus_var_os().map(std::path::PathBuf::from) else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return;
    };
    let get = |f: &str| extract_path(root.join("real/exiftool").join(f)).expect("parses");
    let m = get("ExifTool.jpg");
    assert_eq!(int(&m, "MPF:MPImageStart"), Some(5_945_405));
    assert_eq!(m.get("APP12:ExposureTime").and_then(Value::as_f64), Some(0.00646));
    assert_eq!(m.get("APP12:DateTimeOriginal"), Some(&Value::Text("1998:12:31 15:17:20".into())));
    assert_eq!(m.get("FlashPix:ExtensionName"), Some(&Value::Text("Screen nail".into())));
    assert_eq!(m.get("FlashPix:ExtensionCreateDate"), Some(&Value::Text("1999:05:14 21:47:25".into())));
    assert_eq!(m.get("Meta:ModelAndVersion"), Some(&Value::Text("Version 9".into())));
    assert_eq!(int(&m, "APP5:Azimuth"), Some(5));
    assert_eq!(m.get("XML:Date"), Some(&Value::Text("2013:09:01 20:12:19".into())));
    assert_eq!(m.get("APP11:S2n").and_then(Value::as_f64), Some(2269.635));
    assert_eq!(int(&m, "APP6:Flags"), Some(16_842_752));
    let m = get("AFCP.jpg");
    assert_eq!(m.get("IPTC:Caption-Abstract"), Some(&Value::Text("ExifTool AFCP test".into())));
    let m = get("GoPro.jpg");
    assert_eq!(m.get("APP6:Model"), Some(&Value::Text("HERO6 Black".into())));
    assert_eq!(int(&m, "APP6:AutoISOMax"), Some(3200));
    let m = get("Kodak.jpg");
    assert_eq!(
        m.get("FlashPix:UsedExtensionNumbers"),
        Some(&Value::List(vec![Value::Int(1), Value::Int(2)]))
    );
    let m = get("Canon1DmkIII.jpg");
    let sc = m.get("Composite:ScaleFactor35efl").and_then(Value::as_f64).unwrap_or(0.0);
    assert!((sc - 1.28139525792121).abs() < 1e-6, "{sc}");
    let m = get("GeoTiff.tif");
    assert_eq!(m.get("GeoTiff:GeoTiffVersion"), Some(&Value::Text("1.1.0".into())));
    assert_eq!(int(&m, "GeoTiff:Projection"), Some(16017));
    assert_eq!(m.get("GeoTiff:PCSCitation"), Some(&Value::Text("Hough UTM zone 17N".into())));
    assert_eq!(m.get("GeoTiff:GeogSemiMinorAxis").and_then(Value::as_f64), Some(6_356_794.343479));
    let m = get("Panasonic.rw2");
    assert_eq!(m.get("PanasonicRaw:WB_RGBLevels1"), Some(&Value::Text("573 256 416".into())));
    let bb = m.get("Composite:BlueBalance").and_then(Value::as_f64).unwrap_or(0.0);
    assert!((bb - 1.66539923954373).abs() < 1e-9, "{bb}");
}
