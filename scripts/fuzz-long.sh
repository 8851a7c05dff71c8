#!/usr/bin/env bash
# Long fuzzing runs, as issue 15 asks: every target (or those named) for SECONDS each in
# libFuzzer's fork mode with -rss_limit_mb=256 and -timeout=2, so memory and time
# blow-ups count as findings as well as crashes; JOBS targets at a time. The corpus of
# each target is then minimised into fuzz/corpus/<target>/, and a table of
# executions, coverage, corpus size and findings per target is printed (and written to
# $OUT, default fuzz/last-run.md) for the README's robustness section.
#
# Seeds come from the shared corpus's generated/ files only (made for this project), so
# the committed corpus holds nothing from real/ (ExifTool's test images, Perl licence).
#
#   scripts/fuzz-long.sh [SECONDS] [TARGET...]     (SECONDS default 600; JOBS default 2)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
SECS="${1:-600}"
shift || true
JOBS="${JOBS:-2}"
OUT="${OUT:-$ROOT/fuzz/last-run.md}"
CORPUS="$(cd "${METASIFT_CORPUS:-$ROOT/../shared/corpus}" && pwd)"
LOGS="$(mktemp -d)"
SEEDS="$(mktemp -d)"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
mkdir -p "$SEEDS/src"
ln -s "$CORPUS/generated" "$SEEDS/src/generated"
# seed.sh writes next to itself: run a copy whose corpus/ is the seed directory.
cp fuzz/seed.sh "$SEEDS/seed.sh"
(cd "$SEEDS" && ./seed.sh "$SEEDS/src" >/dev/null)
(cd fuzz && cargo fuzz build --sanitizer none -O) >/dev/null 2>&1
if [ "$#" -gt 0 ]; then TARGETS="$*"; else TARGETS="$(cd fuzz && cargo fuzz list)"; fi

run_one() {
    local t="$1" log="$LOGS/$1.log"
    mkdir -p "fuzz/corpus/$t" "$SEEDS/corpus/$t" "fuzz/artifacts/$t"
    (cd fuzz && cargo fuzz run --sanitizer none -O "$t" "corpus/$t" "$SEEDS/corpus/$t" -- \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -rss_limit_mb=256 -timeout=2 -max_total_time="$SECS" -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/") </dev/null >"$log" 2>&1 || true
    # Keep the smallest corpus with the same coverage.
    local tmp="$LOGS/min-$t"
    mkdir -p "$tmp"
    (cd fuzz && cargo fuzz cmin --sanitizer none -O "$t" "corpus/$t" -- -rss_limit_mb=256 -timeout=2) \
        </dev/null >>"$log" 2>&1 || true
}
export -f run_one
export SECS LOGS SEEDS
printf '%s\n' $TARGETS | xargs -P "$JOBS" -I{} bash -c 'run_one {}'

{
    echo "| target | seconds | executions | coverage | corpus files | crashes | timeouts | ooms |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for t in $TARGETS; do
        log="$LOGS/$t.log"
        # Fork mode's last status line: "#N ... cov: C ft: F corp: K ... oom/timeout/crash: O/T/C".
        line="$(grep -E '^#[0-9]+.*oom/timeout/crash' "$log" | tail -n 1)"
        execs="$(sed -E 's/^#([0-9]+).*/\1/' <<<"$line")"
        cov="$(grep -oE 'cov: [0-9]+' <<<"$line" | awk '{print $2}')"
        otc="$(grep -oE 'oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+' <<<"$line" | awk '{print $2}')"
        IFS=/ read -r oom tmo crash <<<"${otc:-?/?/?}"
        files="$(find "fuzz/corpus/$t" -type f | wc -l)"
        echo "| $t | $SECS | ${execs:-?} | ${cov:-?} | $files | $crash | $tmo | $oom |"
    done
} | tee "$OUT"
bad="$(find fuzz/artifacts -type f 2>/dev/null | wc -l)"
echo "findings kept in fuzz/artifacts: $bad (copy each to tests/regressions/<target>/ and fix it)"
rm -rf "$SEEDS"
[ "$bad" -eq 0 ]
