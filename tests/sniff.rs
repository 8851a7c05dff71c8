//! Format sniffing against ExifTool's `File:FileType` / `File:MIMEType` /
//! `File:FileTypeExtension` over the shared corpus (`$METASIFT_CORPUS`), plus robustness
//! sweeps (all-zero, pseudo-random and truncated inputs never panic).

mod common;

use metasift::source::FileSource;
use metasift::{Format, sniff};
use std::path::{Path, PathBuf};

/// Golden files under `dir`, recursively.
fn goldens(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            goldens(&p, out);
        } else if p.to_string_lossy().ends_with(".exiftool.json") {
            out.push(p);
        }
    }
}

fn golden_str(v: &serde_json::Value, key: &str) -> Option<String> {
    let obj = v.as_array().and_then(|a| a.first()).unwrap_or(v);
    obj.get(key).and_then(|x| x.as_str()).map(str::to_owned)
}

/// One corpus file with ExifTool's answer.
struct Case {
    rel: String,
    path: PathBuf,
    want: [String; 3],
}

/// Corpus files whose golden has a `File:FileType`; `None` when `METASIFT_CORPUS` is unset.
fn cases() -> Option<Vec<Case>> {
    let Some(root) = common::corpus_var_os() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return None;
    };
    let root = PathBuf::from(root);
    let expected = root.join("expected");
    let mut files = Vec::new();
    goldens(&expected, &mut files);
    files.sort();
    let mut out = Vec::new();
    for golden in &files {
        let Ok(text) = std::fs::read_to_string(golden) else { continue };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        let Some(want_type) = golden_str(&json, "File:FileType") else { continue };
        let want_mime = golden_str(&json, "File:MIMEType").unwrap_or_default();
        let want_ext = golden_str(&json, "File:FileTypeExtension").unwrap_or_default();
        let rel = golden.strip_prefix(&expected).unwrap_or(golden);
        let rel = rel.to_string_lossy();
        let rel = rel.strip_suffix(".exiftool.json").unwrap_or(&rel).to_owned();
        let path = root.join(&rel);
        out.push(Case { rel, path, want: [want_type, want_mime, want_ext] });
    }
    assert!(!out.is_empty(), "no goldens with File:FileType under {}", expected.display());
    Some(out)
}

/// Sniffs every case (with or without the extension hint); returns the agreement counts
/// [FileType, MIMEType, FileTypeExtension], the case count and the misses.
fn run(cases: &[Case], hint: bool) -> ([usize; 3], usize, Vec<(String, Format)>) {
    let mut ok = [0usize; 3];
    let mut misses = Vec::new();
    for case in cases {
        let Ok(src) = FileSource::open(&case.path) else { continue };
        let ext = if hint { case.path.extension().and_then(|e| e.to_str()) } else { None };
        let got = sniff(&src, ext).unwrap_or(Format::Unknown);
        let have = [got.name().to_owned(), got.mime().to_owned(), got.type_extension()];
        for (i, n) in ok.iter_mut().enumerate() {
            *n += usize::from(have.get(i) == case.want.get(i));
        }
        if have != case.want {
            let [t, m, x] = &case.want;
            eprintln!("  {}: got {} / {} / {}, want {t} / {m} / {x}", case.rel, have[0], have[1], have[2]);
            misses.push((case.rel.clone(), got));
        }
    }
    (ok, cases.len(), misses)
}

fn pct(n: usize, total: usize) -> f64 {
    100.0 * n as f64 / total.max(1) as f64
}

#[test]
fn corpus_agrees_with_exiftool() {
    let Some(cases) = cases() else { return };
    eprintln!("sniff misses (with extension hint):");
    let ([t, m, x], total, misses) = run(&cases, true);
    eprintln!(
        "sniff agreement over {total} files: FileType {:.1}% ({t}), MIMEType {:.1}% ({m}), FileTypeExtension {:.1}% ({x}); {} misses",
        pct(t, total),
        pct(m, total),
        pct(x, total),
        misses.len()
    );
    assert!(pct(t, total) >= 97.0, "FileType agreement {:.1}% < 97%", pct(t, total));
    assert!(pct(m, total) >= 97.0, "MIMEType agreement {:.1}% < 97%", pct(m, total));
}

/// Without the extension, detection is by content alone. ExifTool itself then answers
/// TXT for CSV, ASF for WMV and TIFF for IIQ. An iWork package's kind sits in its
/// deflated `index.xml`, which sniffing does not inflate: without `.numbers` it is a ZIP.
/// Those are the only misses allowed.
#[test]
fn corpus_by_content_alone() {
    let Some(cases) = cases() else { return };
    eprintln!("sniff misses (no extension hint):");
    let ([t, _, _], total, misses) = run(&cases, false);
    eprintln!("sniff by content alone: FileType {:.1}% ({t}/{total})", pct(t, total));
    for (rel, got) in &misses {
        let allowed = (rel.ends_with(".csv") && *got == Format::Txt)
            || (rel.ends_with(".wmv") && *got == Format::Asf)
            || (rel.ends_with(".iiq") && *got == Format::Tiff)
            || (rel.ends_with(".numbers") && *got == Format::Zip);
        assert!(allowed, "{rel}: content-only detection gave {got}");
    }
}

/// Every file under `broken/`, and every golden-backed file cut short at several lengths,
/// sniffs without panicking; cutting a file never turns a recognised ZIP/TIFF/ISO-BMFF
/// into a panic or an I/O error.
#[test]
fn corpus_broken_and_truncated_never_panic() {
    let Some(root) = common::corpus_var_os() else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return;
    };
    let mut broken = Vec::new();
    let mut stack = vec![PathBuf::from(&root).join("broken")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() { stack.push(p) } else { broken.push(p) }
        }
    }
    let mut seen = 0usize;
    for path in &broken {
        let Ok(src) = FileSource::open(path) else { continue };
        let ext = path.extension().and_then(|e| e.to_str());
        assert!(sniff(&src, ext).is_ok(), "{}: I/O error", path.display());
        seen += 1;
    }
    let Some(cases) = cases() else { return };
    for case in &cases {
        let Ok(bytes) = std::fs::read(&case.path) else { continue };
        for cut in [0, 1, 5, 12, 64, 500, 4096, bytes.len() / 2, bytes.len().saturating_sub(1)] {
            let part = bytes.get(..cut.min(bytes.len())).unwrap_or(&[]);
            assert!(sniff(&part, None).is_ok());
        }
    }
    eprintln!("sniffed {seen} broken files and {} truncated corpus files", cases.len());
}
