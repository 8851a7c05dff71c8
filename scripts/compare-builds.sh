#!/usr/bin/env bash
# Compares the outputs of two metasift builds over the shared corpus, byte for byte: the
# native JSON, the ExifTool JSON (`--exiftool`) and both with `--stats`, over real/,
# generated/ and broken/. For refactors that must not change what users see.
#
# Usage: scripts/compare-builds.sh OLD_REV [NEW_REV]
#   Builds OLD_REV and NEW_REV (default: the working tree) (debug unless PROFILE=release), each in its
#   own worktree and target directory under $WORK (default: a temporary directory), then
#   diffs every output. Exit status 0 when all are identical, 1 otherwise.
# Environment: METASIFT_CORPUS (default ../shared/corpus), WORK, KEEP=1 keeps $WORK,
# OLD_BIN (a binary already built from OLD_REV: skips that build), PROFILE.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
OLD="${1:?usage: $0 OLD_REV [NEW_REV]}"
NEW="${2:-}"
CORPUS="${METASIFT_CORPUS:-$ROOT/../shared/corpus}"
[ -d "$CORPUS/real" ] || { echo "no corpus at $CORPUS (set METASIFT_CORPUS)" >&2; exit 2; }
WORK="${WORK:-$(mktemp -d)}"
mkdir -p "$WORK"
[ "${KEEP:-0}" = 1 ] || trap 'git -C "$ROOT" worktree remove --force "$WORK/old" 2>/dev/null || true; git -C "$ROOT" worktree remove --force "$WORK/new" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# build NAME REV: the release binary of REV (the working tree when REV is empty).
build() {
    local name="$1" rev="$2" dir
    if [ -z "$rev" ]; then
        dir="$ROOT"
    else
        dir="$WORK/$name"
        [ -d "$dir" ] || git -C "$ROOT" worktree add --detach --force "$dir" "$rev" >/dev/null
    fi
    (cd "$dir" && CARGO_TARGET_DIR="$WORK/target-$name" cargo build --profile "${PROFILE:-dev}" --quiet --bin metasift) 2>/dev/null >&2 || { echo "build of ${rev:-the working tree} failed" >&2; exit 2; }
    local sub="${PROFILE:-dev}"; [ "$sub" = dev ] && sub=debug; echo "$WORK/target-$name/$sub/metasift"
}

# run BIN OUTDIR: every output of BIN over the corpus, one file per (set, mode).
run() {
    local bin="$1" out="$2" set mode
    mkdir -p "$out"
    for set in real generated broken; do
        # Relative paths, sorted, so both builds print the same SourceFile in the same order.
        (cd "$CORPUS" && find "$set" -type f | LC_ALL=C sort) > "$out/$set.list"
        for mode in native exiftool native-stats exiftool-stats; do
            local flags=()
            case "$mode" in
                exiftool*) flags+=(--exiftool) ;;
            esac
            case "$mode" in
                *stats) flags+=(--stats) ;;
            esac
            # One file at a time keeps a failure in one file from hiding the others' output.
            (cd "$CORPUS" && "$bin" "${flags[@]}" --threads 1 -@ "$out/$set.list") \
                > "$out/$set.$mode.json" 2> "$out/$set.$mode.stderr" || true
        done
    done
}

old_bin="${OLD_BIN:-$(build old "$OLD")}"
new_bin="$(build new "$NEW")"
run "$old_bin" "$WORK/out-old"
run "$new_bin" "$WORK/out-new"

status=0
for f in "$WORK/out-old"/*.json "$WORK/out-old"/*.stderr; do
    name="$(basename "$f")"
    if cmp -s "$f" "$WORK/out-new/$name"; then
        printf 'identical  %s (%s bytes)\n' "$name" "$(wc -c < "$f")"
    elif [ "${name##*.}" = json ] && python3 - "$f" "$WORK/out-new/$name" <<'PY'
# Identical once Composite tags stand last (in their own order), where composite/ adds
# them and where ExifTool prints them: refactors that move a Composite tag out of a
# container change only its position.
import json, sys
def norm(doc):
    for obj in doc:
        if isinstance(obj.get("tags"), list):
            tags = obj["tags"]
            obj["tags"] = [t for t in tags if t.get("group") != "Composite"] + [t for t in tags if t.get("group") == "Composite"]
    return [sorted_keys(o) for o in doc]
def sorted_keys(o):
    keys = [k for k in o if not k.startswith("Composite:")] + [k for k in o if k.startswith("Composite:")]
    return [(k, o[k]) for k in keys]
a, b = (json.load(open(x)) for x in sys.argv[1:3])
sys.exit(0 if norm(a) == norm(b) else 1)
PY
    then
        printf 'same but Composite positions  %s\n' "$name"
    else
        printf 'DIFFERENT  %s\n' "$name"
        diff <(tr ',' '\n' < "$f") <(tr ',' '\n' < "$WORK/out-new/$name") | head -n 20 || true
        status=1
    fi
done
[ "$status" = 0 ] && echo "no output differs (but for Composite positions where listed)" || echo "outputs differ"
exit "$status"
