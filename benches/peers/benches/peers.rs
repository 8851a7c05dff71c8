//! One criterion group per peer family, `peers/<peer>`: for each file, `<peer>/<file>` and
//! `metasift/<file>`, both opening the file and reading it through the same counting
//! `Read + Seek` wrapper (see `src/lib.rs`). Files: `$METASIFT_CORPUS/generated` and the
//! large files of `$METASIFT_LARGE` (default `/work/large`).
//!
//! Run: `cargo bench -p peers` (a filter narrows it: `-- peers/lopdf`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::disallowed_methods)]

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use peers::{Peer, bench_roots, corpus, families};
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let read = Arc::new(AtomicU64::new(0));
    for fam in families(&bench_roots(&corpus())) {
        let mut g = c.benchmark_group(format!("peers/{}", fam.peer.name()));
        g.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_millis(200));
        g.measurement_time(Duration::from_secs(1));
        for f in &fam.files {
            // Parent folder too: the large-file folder repeats a corpus name.
            let dir = f.parent().and_then(|d| d.file_name()).unwrap_or_default().to_string_lossy();
            let name = format!("{dir}/{}", f.file_name().unwrap().to_string_lossy());
            for peer in [fam.peer, Peer::Metasift] {
                g.bench_with_input(BenchmarkId::new(peer.name(), &name), f, |b, f| {
                    b.iter(|| black_box(peer.run(f, &read)));
                });
            }
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
