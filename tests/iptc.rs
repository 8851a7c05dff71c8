//! IPTC and Photoshop conformance over the corpus: APP13 Photoshop blocks found in corpus
//! JPEGs and PSD files, compared with the ExifTool goldens' `IPTC:*` and `Photoshop:*`
//! tags.

mod common;

use metasift::Format;
use metasift::fuzzing::{Payload, format_tags, payload_tags};
use std::collections::BTreeMap;

/// Tags from the Photoshop blocks of a JPEG (APP13 "Photoshop 3.0"), or a PSD parse.
fn tags_of(path: &std::path::Path, data: &[u8]) -> Option<Vec<metasift::Tag>> {
    if data.starts_with(b"8BPS") {
        return Some(format_tags(Format::Psd, data));
    }
    let _ = path;
    if let Some(t) = tiff_tags(data) {
        return Some(t);
    }
    let segs = common::jpeg_segments(data);
    if segs.is_empty() {
        return None;
    }
    const SIG: &[u8] = b"Photoshop 3.0\0";
    // Consecutive APP13 segments form one block.
    let mut irb = Vec::new();
    for (m, p) in &segs {
        if *m == 0xED && p.starts_with(SIG) {
            irb.extend_from_slice(&p[SIG.len()..]);
        }
    }
    if irb.is_empty() {
        return None;
    }
    Some(payload_tags(Payload::Photoshop, &irb))
}

/// IFD0 of a TIFF: tag 33723 (IPTC-NAA) and 34377 (Photoshop) values parsed.
fn tiff_tags(d: &[u8]) -> Option<Vec<metasift::Tag>> {
    let le = match d.get(0..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |o: usize| {
        d.get(o..o + 2)
            .map(|b| if le { u16::from_le_bytes([b[0], b[1]]) } else { u16::from_be_bytes([b[0], b[1]]) })
    };
    let u32_at = |o: usize| {
        d.get(o..o + 4).map(|b| {
            if le {
                u32::from_le_bytes([b[0], b[1], b[2], b[3]])
            } else {
                u32::from_be_bytes([b[0], b[1], b[2], b[3]])
            }
        })
    };
    let ifd = u32_at(4)? as usize;
    let n = u16_at(ifd)? as usize;
    let mut out = Vec::new();
    for i in 0..n {
        let e = ifd + 2 + 12 * i;
        let tag = u16_at(e)?;
        let typ = u16_at(e + 2)?;
        let count = u32_at(e + 4)? as usize;
        let size = count * if typ == 4 { 4 } else { 1 };
        let off = if size <= 4 { e + 8 } else { u32_at(e + 8)? as usize };
        let Some(val) = d.get(off..off + size) else { continue };
        match tag {
            33723 => out.extend(payload_tags(Payload::Iptc, val)),
            34377 => out.extend(payload_tags(Payload::Photoshop, val)),
            _ => {}
        }
    }
    Some(out)
}

#[test]
fn corpus_iptc_photoshop_conformance() {
    let Some(root) = common::corpus() else { return };
    let groups = ["IPTC", "Photoshop"];
    let mut scores = BTreeMap::new();
    let mut files = 0;
    for (path, golden) in common::goldens(&root) {
        if !golden.keys().any(|k| k.starts_with("IPTC:") || k.starts_with("Photoshop:")) {
            continue;
        }
        let Ok(data) = std::fs::read(&path) else { continue };
        let Some(tags) = tags_of(&path, &data) else { continue };
        files += 1;
        let ours = common::project(&tags, &groups);
        common::compare(&path, &golden, &ours, &groups, &mut scores);
        if data.starts_with(b"8BPS") {
            // PSD: the XMP of resource 0x0424 too.
            let ours = common::project(&tags, &["XMP"]);
            let mut psd = BTreeMap::new();
            common::compare(&path, &golden, &ours, &["XMP"], &mut psd);
            for (g, s) in psd {
                let e = scores.entry(format!("{g} (in PSD)")).or_default();
                e.golden += s.golden;
                e.found += s.found;
                e.emitted += s.emitted;
                e.correct += s.correct;
            }
        }
    }
    for (g, s) in &scores {
        eprintln!(
            "{g}: {files} files, recall {:.4} ({}/{}), precision {:.4} ({}/{})",
            s.recall(),
            s.found,
            s.golden,
            s.precision(),
            s.correct,
            s.emitted
        );
    }
}

/// A small synthesized PSD: 256x256 RGB 16-bit, one resolution resource, one layer.
fn synth_psd() -> Vec<u8> {
    let mut d = b"8BPS\x00\x01\0\0\0\0\0\0".to_vec();
    d.extend_from_slice(&3u16.to_be_bytes());
    d.extend_from_slice(&256u32.to_be_bytes());
    d.extend_from_slice(&256u32.to_be_bytes());
    d.extend_from_slice(&16u16.to_be_bytes());
    d.extend_from_slice(&3u16.to_be_bytes());
    d.extend_from_slice(&0u32.to_be_bytes()); // color mode data
    let mut res = b"8BIM\x03\xed\0\0".to_vec();
    res.extend_from_slice(&16u32.to_be_bytes());
    res.extend_from_slice(&[0, 72, 0, 0, 0, 1, 0, 1, 0, 72, 0, 0, 0, 1, 0, 1]);
    d.extend_from_slice(&(res.len() as u32).to_be_bytes());
    d.extend_from_slice(&res);
    // One layer record.
    let mut rec = Vec::new();
    for v in [0u32, 0, 256, 256] {
        rec.extend_from_slice(&v.to_be_bytes());
    }
    rec.extend_from_slice(&1u16.to_be_bytes());
    rec.extend_from_slice(&[0, 0, 0, 0, 0, 2]);
    rec.extend_from_slice(b"8BIMnorm");
    rec.extend_from_slice(&[255, 0, 2, 0]);
    let extra: Vec<u8> = [&0u32.to_be_bytes()[..], &0u32.to_be_bytes()[..], &[2, b'L', b'1', 0][..]].concat();
    rec.extend_from_slice(&(extra.len() as u32).to_be_bytes());
    rec.extend_from_slice(&extra);
    let mut li = 1u16.to_be_bytes().to_vec();
    li.extend_from_slice(&rec);
    li.extend_from_slice(&[0, 0]); // channel data (compression + nothing)
    let mut lm = (li.len() as u32).to_be_bytes().to_vec();
    lm.extend_from_slice(&li);
    d.extend_from_slice(&(lm.len() as u32).to_be_bytes());
    d.extend_from_slice(&lm);
    d.extend_from_slice(&1u16.to_be_bytes()); // image data compression
    d
}

#[test]
fn psd_synthesized() {
    let data = synth_psd();
    let tags = format_tags(Format::Psd, &data);
    let get = |n: &str| tags.iter().find(|t| t.group == "Photoshop" && t.name == n).map(|t| t.value.clone());
    assert_eq!(get("ImageWidth"), Some(metasift::Value::Int(256)));
    assert_eq!(get("BitDepth"), Some(metasift::Value::Int(16)));
    assert_eq!(get("XResolution"), Some(metasift::Value::Float(72.0)));
    assert_eq!(get("LayerCount"), Some(metasift::Value::Int(1)));
    assert_eq!(get("LayerRectangles"), Some(metasift::Value::Text("0 0 256 256".into())));
    assert_eq!(get("LayerOpacities"), Some(metasift::Value::Int(100)));
    assert_eq!(get("LayerNames"), Some(metasift::Value::Text("L1".into())));
    assert_eq!(get("Compression"), Some(metasift::Value::Int(1)));
    // Every truncation parses without panicking.
    for n in 0..data.len() {
        let _ = format_tags(Format::Psd, &data[..n]);
    }
}

/// Truncation sweep over the corpus PSD files and XMP sidecars: no panic at any length.
#[test]
fn corpus_truncations() {
    let Some(root) = common::corpus() else { return };
    for (path, golden) in common::goldens(&root) {
        let ft = golden.get("File:FileType").and_then(|v| v.as_str()).unwrap_or("");
        let format = match ft {
            "PSD" => Format::Psd,
            "XMP" => Format::Xmp,
            _ => continue,
        };
        let Ok(data) = std::fs::read(&path) else { continue };
        let step = (data.len() / 97).max(1);
        for n in (0..data.len()).step_by(step) {
            let _ = format_tags(format, &data[..n]);
        }
    }
}

/// File:CurrentIPTCDigest (MD5 of the IPTC block) over the corpus files that report it.
#[test]
fn corpus_iptc_digest() {
    let Some(root) = common::corpus() else { return };
    let (mut want, mut got) = (0, 0);
    for (path, golden) in common::goldens(&root) {
        let Some(g) = golden.get("File:CurrentIPTCDigest") else { continue };
        let Ok(data) = std::fs::read(&path) else { continue };
        let Some(tags) = tags_of(&path, &data) else { continue };
        want += 1;
        let ours = tags.iter().find(|t| t.name == "CurrentIPTCDigest").map(|t| t.value.to_text());
        if ours.as_deref() == g.as_str() {
            got += 1;
        } else if std::env::var_os("METASIFT_VERBOSE").is_some() {
            eprintln!("MISS {} CurrentIPTCDigest: golden {g} ours {ours:?}", path.display());
        }
    }
    eprintln!("File:CurrentIPTCDigest: {got}/{want}");
    assert_eq!(got, want);
}
