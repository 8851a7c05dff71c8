//! metasift's own JSON reads back into the model: for every fixture and (with
//! `METASIFT_CORPUS`) every file of the corpus's `real/` and `generated/`, extract, write
//! the native object as the CLI does (with read statistics), deserialize it into
//! `Metadata`, and compare with what was extracted.

mod common;

use metasift::output::NativeObject;
use metasift::{Metadata, Options};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for entry in rd.flatten() {
        let p = entry.path();
        if p.is_dir() { files(&p, out) } else { out.push(p) }
    }
}

/// The files under `roots`, each extracted and read back; the names of those that differ.
fn round_trip(roots: &[PathBuf]) -> (usize, Vec<String>) {
    let mut paths = Vec::new();
    for root in roots {
        files(root, &mut paths);
    }
    paths.sort();
    let (mut compared, mut differ) = (0, Vec::new());
    for path in paths {
        let Ok(meta) = metasift::extract_path_with(&path, &Options::default()) else { continue };
        let name = path.display().to_string();
        let json = serde_json::to_string_pretty(&NativeObject::new(&meta, &name).with_stats(true));
        let back = json.map_err(|e| e.to_string()).and_then(|j| {
            serde_json::from_str::<Metadata>(&j).map_err(|e| format!("{e} in {}", &j[..j.len().min(200)]))
        });
        compared += 1;
        match back {
            Ok(back) if back == meta => {}
            Ok(back) => {
                let first = meta.tags.iter().zip(&back.tags).find(|(a, b)| a != b);
                let what = match first {
                    Some(pair) => format!("first differing tag {pair:?}"),
                    None if meta.tags.len() != back.tags.len() => {
                        format!("{} tags, {} read back", meta.tags.len(), back.tags.len())
                    }
                    None => format!("{:?}\nread back as\n{:?}", without_tags(&meta), without_tags(&back)),
                };
                differ.push(format!("{name}: {what}"));
            }
            Err(e) => differ.push(format!("{name}: {e}")),
        }
    }
    (compared, differ)
}

fn without_tags(m: &Metadata) -> Metadata {
    let mut m = m.clone();
    m.tags.clear();
    m
}

#[test]
fn fixtures_read_back_equal() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (compared, differ) = round_trip(&[root]);
    assert!(compared > 20, "only {compared} fixtures");
    assert!(differ.is_empty(), "{} of {compared} differ:\n{}", differ.len(), differ.join("\n"));
}

#[test]
fn corpus_reads_back_equal() {
    let Some(root) = common::corpus() else { return };
    let (compared, differ) = round_trip(&[root.join("real"), root.join("generated")]);
    assert!(compared > 100, "only {compared} corpus files");
    eprintln!("native round trip: {compared} corpus files, {} differ", differ.len());
    assert!(differ.is_empty(), "{} of {compared} differ:\n{}", differ.len(), differ.join("\n"));
}
