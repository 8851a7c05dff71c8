#!/usr/bin/env bash
# Speed of two metasift revisions in ONE benchmark process: a throw-away package links
# both builds (the old one renamed), and criterion measures them file by file, old and new
# one after the other, so both see the same machine state. For refactors that must not
# change speed (within noise).
#
# Usage: scripts/bench-compare.sh OLD_REV [FILTER]
#   OLD_REV: the revision to compare the working tree with. FILTER: a criterion filter
#   (e.g. `jpeg/`). Files: $METASIFT_CORPUS/generated/<family>/* (default
#   ../shared/corpus). Prints criterion's log to $WORK/bench.log and a table per family:
#   the sum of per-file times of each build (from memory, from a path, from a path plus
#   the ExifTool JSON text) and new/old.
# Environment: WORK (default: a temporary directory), MEASURE_MS (default 1500),
# NEW_FEATURES (default `json`: the working tree's feature that holds `output::`; both
# revisions must export `output::ExifToolObject`, which holds from 16c3801 on).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
OLD="${1:?usage: $0 OLD_REV [FILTER]}"
FILTER="${2:-}"
NEW_FEATURES="${NEW_FEATURES:-json}"
CORPUS="$(cd "${METASIFT_CORPUS:-$ROOT/../shared/corpus}" && pwd)"
WORK="${WORK:-$(mktemp -d)}"
mkdir -p "$WORK"
OLD_DIR="$WORK/old-src"
rm -rf "$OLD_DIR"
mkdir -p "$OLD_DIR"
# The old source, with its own package version so that Cargo can link both copies.
git -C "$ROOT" archive "$OLD" | tar -x -C "$OLD_DIR"
sed -i 's/^version = "\(.*\)"/version = "\1-old"/' "$OLD_DIR/Cargo.toml"
rm -f "$OLD_DIR/Cargo.lock"

PKG="$WORK/pkg"
mkdir -p "$PKG/benches" "$PKG/src"
cat > "$PKG/Cargo.toml" <<TOML
[package]
name = "metasift-bench-compare"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
old = { package = "metasift", path = "$OLD_DIR", default-features = false }
new = { package = "metasift", path = "$ROOT", default-features = false, features = ["$NEW_FEATURES"] }

[dev-dependencies]
criterion = { version = "0.5", default-features = false, features = ["cargo_bench_support"] }

[[bench]]
name = "compare"
harness = false

[profile.release]
lto = "fat"
codegen-units = 1
[profile.bench]
lto = "fat"
codegen-units = 1
TOML
echo "" > "$PKG/src/lib.rs"
cat > "$PKG/benches/compare.rs" <<'RS'
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

fn files() -> Vec<(String, String, PathBuf, Vec<u8>)> {
    let root = PathBuf::from(std::env::var("METASIFT_CORPUS").unwrap()).join("generated");
    let mut out = Vec::new();
    let mut fams: Vec<_> = std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).collect();
    fams.sort();
    for fam in fams.into_iter().filter(|p| p.is_dir()) {
        let mut fs: Vec<_> = std::fs::read_dir(&fam).unwrap().flatten().map(|e| e.path()).collect();
        fs.sort();
        for f in fs.into_iter().filter(|p| p.is_file()) {
            let data = std::fs::read(&f).unwrap();
            let family = fam.file_name().unwrap().to_string_lossy().into_owned();
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            out.push((family, name, f, data));
        }
    }
    out
}

fn compare(c: &mut Criterion) {
    let ms = std::env::var("MEASURE_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(1500);
    for (family, name, path, data) in files() {
        let mut g = c.benchmark_group(format!("{family}/{name}"));
        g.warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_millis(ms)).sample_size(20);
        let label = path.display().to_string();
        g.bench_function(BenchmarkId::new("bytes", "old"), |b| b.iter(|| old::extract_bytes(black_box(&data))));
        g.bench_function(BenchmarkId::new("bytes", "new"), |b| b.iter(|| new::extract_bytes(black_box(&data))));
        g.bench_function(BenchmarkId::new("path", "old"), |b| b.iter(|| old::extract_path(black_box(&path))));
        g.bench_function(BenchmarkId::new("path", "new"), |b| b.iter(|| new::extract_path(black_box(&path))));
        let mut buf = Vec::with_capacity(16 << 10);
        g.bench_function(BenchmarkId::new("path_json", "old"), |b| {
            b.iter(|| {
                buf.clear();
                if let Ok(m) = old::extract_path(black_box(&path)) {
                    old::output::ExifToolObject::new(&m, &label, old::ExifToolOptions::default()).write_pretty(&mut buf);
                }
                buf.len()
            })
        });
        g.bench_function(BenchmarkId::new("path_json", "new"), |b| {
            b.iter(|| {
                buf.clear();
                if let Ok(m) = new::extract_path(black_box(&path)) {
                    new::output::ExifToolObject::new(&m, &label, new::ExifToolOptions::default()).write_pretty(&mut buf);
                }
                buf.len()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, compare);
criterion_main!(benches);
RS
(cd "$PKG" && METASIFT_CORPUS="$CORPUS" CARGO_TARGET_DIR="$WORK/target" cargo bench --bench compare -- $FILTER) \
    2>&1 | tee "$WORK/bench.log" | grep -E '^[a-z0-9]+/.*(old|new)$|time:' || true
python3 - "$WORK/bench.log" <<'PY'
import re, sys, collections
txt = open(sys.argv[1]).read()
unit = {"ns": 1e-3, "µs": 1, "us": 1, "ms": 1e3, "s": 1e6}
sums = collections.defaultdict(lambda: collections.defaultdict(float))
for m in re.finditer(r"^(\S+)/(\S+)/(bytes|path|path_json)/(old|new)\s*\n?\s+time:\s+\[\S+ \S+ (\S+) (\S+)", txt, re.M):
    fam, _, kind, build, v, u = m.groups()
    sums[(fam, kind)][build] += float(v) * unit[u]
print(f"{'family':8} {'measure':10} {'old µs':>10} {'new µs':>10} {'new/old':>8}")
worst = 0.0
for (fam, kind), d in sorted(sums.items()):
    if d["old"] and d["new"]:
        r = d["new"] / d["old"]
        worst = max(worst, r)
        print(f"{fam:8} {kind:10} {d['old']:10.1f} {d['new']:10.1f} {r:8.3f}")
print(f"slowest family/measure: new/old = {worst:.3f}")
PY
