//! One clear failure when `METASIFT_CORPUS` is set but does not point at the shared corpus
//! (the other corpus tests then skip, see `common::corpus`), instead of a page of
//! unrelated failures or tests that pass having read nothing.

mod common;

#[test]
fn metasift_corpus_points_at_the_shared_corpus() {
    let Some(path) = std::env::var_os("METASIFT_CORPUS") else {
        eprintln!("skipped: METASIFT_CORPUS not set (the corpus tests are skipped)");
        return;
    };
    if let Err(problem) = common::check_corpus(std::path::Path::new(&path)) {
        panic!("{problem}");
    }
}
