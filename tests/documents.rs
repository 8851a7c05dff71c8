//! PDF and Office documents: small generated fixtures checked against ExifTool's values,
//! and (with `METASIFT_CORPUS` set) every document of the corpus parsed without panics.

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
    let Some(root) = std::env::var_os("METASIFT_CORPUS") else {
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
