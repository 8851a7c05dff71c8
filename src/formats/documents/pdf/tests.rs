//! PDFs built in memory: xref tables, /Prev chains and loops, xref streams with
//! predictors, object streams, a broken xref.

use crate::model::Value;
use crate::test_util::parse;

/// Builds a PDF from object bodies (numbered from 1) with a classic xref table; `extra`
/// goes into the trailer.
fn build(objects: &[&str], extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<</Size {} /Root 1 0 R{extra}>>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    out
}

const BASIC: [&str; 3] = [
    "<</Type/Catalog/Pages 2 0 R/PageMode/UseOutlines>>",
    "<</Type/Pages/Count 2/Kids[]>>",
    "<</Title(Hello \\(world\\))/Author<FEFF005A00EB>/CreationDate(D:20210615143045+02'00')/Trapped/True/Custom 5>>",
];

#[test]
fn table_info_catalog() {
    let t = parse(&build(&BASIC, " /Info 3 0 R"), super::parse);
    assert!(t.ok && t.warnings.is_empty());
    assert_eq!(t.get("PDF:PDFVersion"), Some(&Value::Float(1.4)));
    assert_eq!(t.get("PDF:Title"), Some(&Value::Text("Hello (world)".into())));
    assert_eq!(t.get("PDF:Author"), Some(&Value::Text("Zë".into())));
    assert_eq!(t.get("PDF:CreateDate"), Some(&Value::Text("2021:06:15 14:30:45+02:00".into())));
    assert_eq!(t.get("PDF:Trapped"), Some(&Value::Bool(true)));
    assert_eq!(t.get("PDF:Custom"), Some(&Value::Int(5)));
    assert_eq!(t.get("PDF:PageCount"), Some(&Value::Int(2)));
    assert_eq!(t.get("PDF:PageMode"), Some(&Value::Text("UseOutlines".into())));
}

#[test]
fn incremental_update_and_prev_loop() {
    let mut pdf = build(&BASIC, " /Info 3 0 R");
    let first_xref = pdf.windows(4).rposition(|w| w == b"xref").unwrap() - 5 + 5;
    let first_xref = pdf[..first_xref].windows(5).rposition(|w| w == b"\nxref").unwrap() + 1;
    // Update: a new Info object 4, new xref section pointing back with /Prev.
    let obj4 = pdf.len();
    pdf.extend_from_slice(b"4 0 obj\n<</Title(New)>>\nendobj\n");
    let x2 = pdf.len();
    pdf.extend_from_slice(format!("xref\n4 1\n{obj4:010} 00000 n \n").as_bytes());
    pdf.extend_from_slice(
        format!("trailer\n<</Size 5/Root 1 0 R/Info 4 0 R/Prev {first_xref}>>\nstartxref\n{x2}\n%%EOF\n")
            .as_bytes(),
    );
    let t = parse(&pdf, super::parse);
    assert_eq!(t.get("PDF:Title"), Some(&Value::Text("New".into())));
    // Catalog still found through /Prev.
    assert_eq!(t.get("PDF:PageCount"), Some(&Value::Int(2)));

    // A /Prev pointing at itself: one warning, no hang.
    let mut looped = build(&BASIC, " /Info 3 0 R");
    let x = looped.windows(5).rposition(|w| w == b"\nxref").unwrap() + 1;
    let s = String::from_utf8(looped.clone())
        .unwrap()
        .replace(" /Info 3 0 R>>", &format!(" /Info 3 0 R/Prev {x}>>"));
    looped = s.into_bytes();
    let t = parse(&looped, super::parse);
    assert_eq!(t.get("PDF:Title"), Some(&Value::Text("Hello (world)".into())));
    assert!(!t.ok || !t.warnings.is_empty());
}

/// An xref stream (PNG Up predictor) and an object stream holding the Info dictionary.
#[test]
fn xref_and_object_streams() {
    let mut out = b"%PDF-1.5\n".to_vec();
    let o1 = out.len();
    out.extend_from_slice(b"1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n");
    let o2 = out.len();
    out.extend_from_slice(b"2 0 obj\n<</Type/Pages/Count 7/Kids[]>>\nendobj\n");
    // Object stream 3 holding object 4.
    let inner = b"4 0 <</Title(In a stream)>>";
    let z = miniz_oxide::deflate::compress_to_vec_zlib(inner, 6);
    let o3 = out.len();
    out.extend_from_slice(
        format!("3 0 obj\n<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length {}>>\nstream\n", z.len())
            .as_bytes(),
    );
    out.extend_from_slice(&z);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    // Xref stream 5: W [1 2 1], rows for objects 0..=5, PNG Up predictor.
    let o5 = out.len();
    let rows: Vec<[u8; 4]> = vec![
        [0, 0, 0, 0],
        [1, (o1 >> 8) as u8, o1 as u8, 0],
        [1, (o2 >> 8) as u8, o2 as u8, 0],
        [1, (o3 >> 8) as u8, o3 as u8, 0],
        [2, 0, 3, 0],
        [1, (o5 >> 8) as u8, o5 as u8, 0],
    ];
    let mut raw = Vec::new();
    let mut prev = [0u8; 4];
    for r in &rows {
        raw.push(2);
        for i in 0..4 {
            raw.push(r[i].wrapping_sub(prev[i]));
        }
        prev = *r;
    }
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6);
    out.extend_from_slice(
        format!(
            "5 0 obj\n<</Type/XRef/Size 6/W[1 2 1]/Root 1 0 R/Info 4 0 R/Filter/FlateDecode/DecodeParms<</Predictor 12/Columns 4>>/Length {}>>\nstream\n",
            z.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&z);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{o5}\n%%EOF\n").as_bytes());
    let t = parse(&out, super::parse);
    assert!(t.ok && t.warnings.is_empty());
    assert_eq!(t.get("PDF:Title"), Some(&Value::Text("In a stream".into())));
    assert_eq!(t.get("PDF:PageCount"), Some(&Value::Int(7)));
}

#[test]
fn broken_xref_falls_back_to_scan() {
    let mut pdf = build(&BASIC, " /Info 3 0 R");
    let s = String::from_utf8(pdf.clone()).unwrap();
    let at = s.rfind("startxref\n").unwrap() + 10;
    pdf.truncate(at);
    pdf.extend_from_slice(b"99999999\n%%EOF\n");
    let t = parse(&pdf, super::parse);
    assert!(!t.ok || !t.warnings.is_empty());
    assert_eq!(t.get("PDF:Title"), Some(&Value::Text("Hello (world)".into())));
    // Self-referencing Info and a Pages cycle do not hang.
    let t =
        parse(&build(&["<</Type/Catalog/Pages 1 0 R>>", "<</Info 2 0 R>>"], " /Info 2 0 R"), super::parse);
    assert_eq!(t.get("PDF:Title"), None);
}

#[test]
fn encryption_summary() {
    let t = parse(
        &build(&BASIC, " /Info 3 0 R/Encrypt<</Filter/Standard/V 2/R 3/Length 128/P -4>>"),
        super::parse,
    );
    assert_eq!(t.get("PDF:Encryption"), Some(&Value::Text("Standard V2.3 (128-bit)".into())));
    assert_eq!(t.get("PDF:UserAccess"), Some(&Value::Int(3900)));
}

#[test]
fn wrong_xref_offsets_trigger_one_rescan() {
    // 7 bytes of junk before the header shift every object away from its xref offset.
    let mut pdf = b"garbage".to_vec();
    pdf.extend_from_slice(&build(&BASIC, " /Info 3 0 R"));
    let s = String::from_utf8(pdf).unwrap();
    let at = s.rfind("startxref\n").unwrap() + 10;
    let x: usize = s[at..].lines().next().unwrap().parse().unwrap();
    let pdf = format!("{}{}\n%%EOF\n", &s[..at], x + 7).into_bytes();
    let t = parse(&pdf, super::parse);
    assert_eq!(t.get("PDF:Title"), Some(&Value::Text("Hello (world)".into())));
    assert_eq!(t.get("PDF:PageCount"), Some(&Value::Int(2)));
    assert_eq!((t.ok, t.warnings.len()), (true, 1));
}

#[test]
fn pages_without_count_are_counted_and_cycles_stop() {
    let objs = [
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R 4 0 R]>>",
        "<</Type/Page>>",
        "<</Type/Pages/Kids[3 0 R]>>",
    ];
    // Page 3 reached twice: counted as a cycle, no count.
    let t = parse(&build(&objs, ""), super::parse);
    assert_eq!(t.get("PDF:PageCount"), None);
    let objs = [
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R 4 0 R]>>",
        "<</Type/Page>>",
        "<</Type/Pages/Kids[5 0 R]>>",
        "<</Type/Page>>",
    ];
    let t = parse(&build(&objs, ""), super::parse);
    assert_eq!(t.get("PDF:PageCount"), Some(&Value::Int(2)));
    let objs = ["<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[2 0 R]>>"];
    let t = parse(&build(&objs, ""), super::parse);
    assert_eq!(t.get("PDF:PageCount"), None);
    assert!(!t.ok || !t.warnings.is_empty());
}
