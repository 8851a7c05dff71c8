//! PDF and Office documents: small generated fixtures checked against ExifTool's values,
//! and (with `METASIFT_CORPUS` set) every document of the corpus parsed without panics.

mod common;

use common::golden;
use metasift::{Metadata, Value, extract_path};
use std::path::Path;

fn fixture(name: &str) -> Metadata {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents").join(name);
    extract_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The first value of `group:name`.
fn get<'a>(m: &'a Metadata, key: &str) -> Option<&'a Value> {
    let (g, n) = key.split_once(':')?;
    m.tags.iter().find(|t| t.group == g && t.name == n).map(|t| &t.value)
}

fn text(m: &Metadata, key: &str) -> Option<String> {
    get(m, key).map(Value::to_text)
}

#[test]
fn pdf_info_and_catalog() {
    let m = fixture("reportlab_info_xmp.pdf");
    assert_eq!(get(&m, "PDF:PDFVersion").and_then(Value::as_f64), Some(1.3));
    assert_eq!(get(&m, "PDF:Linearized"), Some(&Value::Bool(false)));
    assert_eq!(get(&m, "PDF:PageCount").and_then(Value::as_f64), Some(3.0));
    assert_eq!(text(&m, "PDF:PageMode").as_deref(), Some("UseNone"));
    assert_eq!(text(&m, "PDF:Title").as_deref(), Some("Metasift PDF test"));
    assert_eq!(text(&m, "PDF:Author").as_deref(), Some("Jane Author"));
    assert_eq!(text(&m, "PDF:CreateDate").as_deref(), Some("2021:06:15 14:30:45+02:00"));
    assert_eq!(text(&m, "PDF:Company").as_deref(), Some("ACME Corp"));
    assert_eq!(get(&m, "PDF:Trapped"), Some(&Value::Bool(false)));
    let kw = Value::List(["pdf", "metadata", "test"].iter().map(|s| Value::Text((*s).into())).collect());
    assert_eq!(get(&m, "PDF:Keywords"), Some(&kw));
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
}

#[test]
fn pdf_xref_stream_and_object_streams() {
    let m = fixture("object_streams_xref_stream.pdf");
    assert_eq!(get(&m, "PDF:PDFVersion").and_then(Value::as_f64), Some(1.5));
    assert_eq!(get(&m, "PDF:PageCount").and_then(Value::as_f64), Some(3.0));
    assert_eq!(text(&m, "PDF:Producer").as_deref(), Some("pypdf + reportlab"));
    assert_eq!(text(&m, "PDF:SourceModified").as_deref(), Some("D:20210601000000Z"));
}

#[test]
fn pdf_incremental_update_newest_wins() {
    let m = fixture("incremental_update_title.pdf");
    assert_eq!(text(&m, "PDF:Title").as_deref(), Some("Updated title (incremental)"));
}

#[test]
fn pdf_linearized_unicode_encrypted() {
    let m = fixture("linearized.pdf");
    assert_eq!(get(&m, "PDF:Linearized"), Some(&Value::Bool(true)));
    assert_eq!(get(&m, "PDF:PageCount").and_then(Value::as_f64), Some(12.0));
    let m = fixture("unicode_info_rotated.pdf");
    assert_eq!(text(&m, "PDF:Title").as_deref(), Some("Ünïcödé – 日本語のタイトル"));
    assert_eq!(text(&m, "PDF:Subject").as_deref(), Some("Résumé"));
    assert_eq!(text(&m, "PDF:ModifyDate").as_deref(), Some("2022:01:01 00:00:00Z"));
    let m = fixture("encrypted_rc4_128_nouserpw.pdf");
    assert_eq!(text(&m, "PDF:Encryption").as_deref(), Some("Standard V2.3 (128-bit)"));
    assert_eq!(get(&m, "PDF:UserAccess").and_then(Value::as_f64), Some(3900.0));
    assert_eq!(get(&m, "PDF:PageCount").and_then(Value::as_f64), Some(3.0));
    // RC4-128 with an empty user password: strings decrypted.
    assert_eq!(text(&m, "PDF:Title").as_deref(), Some("Metasift PDF test"));
    assert_eq!(text(&m, "PDF:Company").as_deref(), Some("ACME Corp"));
}

#[test]
fn pdf_aes256() {
    // AES-256 (R6) with an empty user password: decrypted.
    let m = fixture("encrypted_aes256_nouserpw.pdf");
    assert_eq!(text(&m, "PDF:Encryption").as_deref(), Some("Standard V5.6 (256-bit)"));
    assert_eq!(get(&m, "PDF:UserAccess").and_then(Value::as_f64), Some(1848.0));
    assert_eq!(text(&m, "PDF:Title").as_deref(), Some("Twelve pages"));
    assert_eq!(text(&m, "PDF:ModifyDate").as_deref(), Some("2020:01:02 03:04:05-05:00"));
    assert_eq!(get(&m, "PDF:PageCount").and_then(Value::as_f64), Some(12.0));
    // With a user password: only the encryption is reported.
    let m = fixture("encrypted_aes256_userpw.pdf");
    assert_eq!(get(&m, "PDF:UserAccess").and_then(Value::as_f64), Some(3900.0));
    assert_eq!(get(&m, "PDF:PageCount"), None);
    assert_eq!(m.warnings.len(), 1);
}

#[test]
fn docx_properties() {
    let m = fixture("full_props.docx");
    assert_eq!(text(&m, "ZIP:ZipFileName").as_deref(), Some("[Content_Types].xml"));
    assert_eq!(get(&m, "ZIP:ZipCRC").and_then(Value::as_f64), Some(2865676347.0));
    assert_eq!(text(&m, "ZIP:ZipModifyDate").as_deref(), Some("2021:06:15 12:30:46"));
    assert_eq!(text(&m, "XMP:Title").as_deref(), Some("Quarterly report"));
    assert_eq!(text(&m, "XML:LastModifiedBy").as_deref(), Some("John Editor"));
    assert_eq!(get(&m, "XML:RevisionNumber").and_then(Value::as_f64), Some(7.0));
    assert_eq!(get(&m, "XML:TotalEditTime").and_then(Value::as_f64), Some(42.0));
    assert_eq!(text(&m, "XML:CreateDate").as_deref(), Some("2021:06:15 12:30:45Z"));
    assert_eq!(get(&m, "XML:ScaleCrop"), Some(&Value::Bool(false)));
    assert_eq!(get(&m, "XML:Reviewed"), Some(&Value::Bool(true)));
    assert_eq!(get(&m, "XML:Ratio").and_then(Value::as_f64), Some(0.75));
    assert_eq!(text(&m, "XML:ClientName").as_deref(), Some("Ünïcödé GmbH"));
    assert_eq!(text(&m, "XML:Deadline").as_deref(), Some("2021:07:01 00:00:00Z"));
}

#[test]
fn xlsx_and_pptx_lists() {
    let m = fixture("full_props.xlsx");
    let parts = Value::List(["Data", "Summary", "Notes"].iter().map(|s| Value::Text((*s).into())).collect());
    assert_eq!(get(&m, "XML:TitlesOfParts"), Some(&parts));
    assert_eq!(text(&m, "XML:Application").as_deref(), Some("Microsoft Excel"));
    let m = fixture("python_pptx_minimal.pptx");
    let pairs = Value::List(vec![
        Value::Text("Theme".into()),
        Value::Int(1),
        Value::Text("Slide Titles".into()),
        Value::Int(0),
    ]);
    assert_eq!(get(&m, "XML:HeadingPairs"), Some(&pairs));
    assert_eq!(text(&m, "XML:Manager").as_deref(), Some(""));
    assert_eq!(text(&m, "XMP:Creator").as_deref(), Some("Deck Author"));
}

/// Every truncation of every fixture parses without panicking.
#[test]
fn truncation_sweep() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents");
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let data = std::fs::read(entry.path()).unwrap_or_default();
        let step = (data.len() / 64).max(1);
        for cut in (0..data.len()).step_by(step) {
            let _ = metasift::extract_bytes(&data[..cut]);
            let _ = metasift::extract_bytes(&data[data.len() - cut..]);
        }
    }
}

/// With `METASIFT_CORPUS`: every PDF and OOXML document of the corpus, and the broken
/// stubs, parse without panicking.
#[test]
fn corpus_documents() {
    let Some(root) = common::corpus_var_os() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return;
    };
    let root = Path::new(&root);
    let mut n = 0;
    for sub in [
        "generated/pdf",
        "generated/docx",
        "generated/xlsx",
        "generated/pptx",
        "broken/stubs",
        "real/exiftool",
    ] {
        for entry in std::fs::read_dir(root.join(sub)).into_iter().flatten().flatten() {
            let p = entry.path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            if ["pdf", "docx", "xlsx", "pptx", "ods", "odt"].contains(&ext.as_str()) {
                let _ = extract_path(&p);
                n += 1;
            }
        }
    }
    assert!(n > 10, "only {n} documents found");
}

/// Loose equality as the scorer sees it: numbers against numeric text, one-element lists
/// against scalars.
fn same(g: &serde_json::Value, t: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (g, t) {
        (J::Array(a), b) if a.len() == 1 && !b.is_array() => same(&a[0], b),
        (a, J::Array(b)) if b.len() == 1 && !a.is_array() => same(a, &b[0]),
        (J::Array(a), J::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (J::Number(_), _) | (_, J::Number(_)) => {
            let f = |v: &J| v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
            matches!((f(g), f(t)), (Some(x), Some(y)) if (x - y).abs() <= 1e-9 * x.abs().max(1.0))
        }
        _ => g == t,
    }
}

/// With `METASIFT_CORPUS`: every `PDF:`, `XML:` and `ZIP:` tag of the document goldens is
/// found with ExifTool's value (the XMP/EXIF/IPTC payloads belong to other modules).
#[test]
fn corpus_goldens_for_document_groups() {
    let Some(root) = common::corpus_var_os() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return;
    };
    let root = Path::new(&root);
    let (mut total, mut missed) = (0, Vec::new());
    for sub in ["generated/pdf", "generated/docx", "generated/xlsx", "generated/pptx", "real/exiftool"] {
        for entry in std::fs::read_dir(root.join(sub)).into_iter().flatten().flatten() {
            let p = entry.path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            if !["pdf", "docx", "xlsx", "pptx", "ods", "numbers"].contains(&ext.as_str()) {
                continue;
            }
            let rel = p.strip_prefix(root).unwrap_or(&p).to_string_lossy().into_owned();
            let golden = root.join("expected").join(format!("{rel}.exiftool.json"));
            let Ok(text) = std::fs::read_to_string(&golden) else { continue };
            let Ok(serde_json::Value::Array(g)) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            let Some(serde_json::Value::Object(g)) = g.first() else { continue };
            let meta = extract_path(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let ours = metasift::exiftool_json(&meta, &rel, metasift::ExifToolOptions::default());
            for (k, v) in g {
                if !(k.starts_with("PDF:") || k.starts_with("XML:") || k.starts_with("ZIP:")) {
                    continue;
                }
                total += 1;
                if !ours.get(k).is_some_and(|o| same(v, o)) {
                    missed.push(format!("{rel} {k}: golden {v} vs {:?}", ours.get(k)));
                }
            }
        }
    }
    assert!(total > 300, "only {total} tags compared");
    assert!(missed.is_empty(), "{} of {total} missed:\n{}", missed.len(), missed.join("\n"));
}

/// Files ExifTool 12.57 gives up on ("Invalid xref table", "Error inflating stream")
/// or reports less of, while the objects are intact: metasift rebuilds the
/// cross-reference data by scanning for `n g obj` (object streams included) and reads
/// the Info dictionary and the page tree. A missing `/Count` in the page tree root is
/// counted from its leaves. See README, "Differences from ExifTool".
const READS_MORE: &[&str] = &[
    "no_xref.pdf",
    "no_trailer.pdf",
    "objstm_broken_startxref.pdf",
    "objstm_damaged_xref_stream.pdf",
    "pages_no_count.pdf",
];

/// Owner-password-only encryption (RC4 40/128, AES-128, AES-256 R5/R6), PDF 2.0, the
/// Info dictionary inside an object stream, wrong xref offsets: every tag as ExifTool
/// gives it. The files ExifTool gives up on: what it does give, and more.
#[test]
fn pdf_fixtures_match_exiftool() {
    let dir = "tests/fixtures/pdf";
    let mut failures = Vec::new();
    let files = golden::fixtures(dir);
    assert!(files.len() >= 13, "{} fixtures", files.len());
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        for (k, g, o) in golden::differences(f) {
            // Where ExifTool stopped, tags it lacks are allowed; different values are not.
            if READS_MORE.contains(&name) && g.is_none() {
                continue;
            }
            failures.push(format!("{name} {k}: golden {g:?} ours {o:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What the rebuild finds in the files ExifTool gives up on, with a warning that says so.
#[test]
fn pdf_rebuilt_from_a_scan() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf");
    for name in READS_MORE {
        let m = extract_path(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(text(&m, "PDF:Title").as_deref(), Some("Recovered Title"), "{name}");
        assert_eq!(text(&m, "PDF:Author").as_deref(), Some("Jane Author"), "{name}");
        assert_eq!(get(&m, "PDF:PageCount").and_then(Value::as_f64), Some(3.0), "{name}");
        if *name != "pages_no_count.pdf" {
            assert!(
                m.warnings.iter().any(|w| w.message.contains("rebuilt by scanning")),
                "{name}: {:?}",
                m.warnings
            );
        }
    }
}
