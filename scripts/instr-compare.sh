#!/usr/bin/env bash
# Instructions per file of two metasift binaries, per corpus family, counted by callgrind:
# repeatable to a fraction of a percent whatever else the machine does, where wall-clock
# benchmarks on a shared 2-core machine vary by tens of percent. Each family's files are
# listed REPS times and run through `metasift --exiftool --threads 1 -@ LIST` (extraction
# plus the ExifTool JSON text); the start-up is measured on an empty list and taken off.
#
#   scripts/instr-compare.sh OLD_BIN NEW_BIN      (REPS default 20)
set -euo pipefail
OLD="${1:?usage: $0 OLD_BIN NEW_BIN}"
NEW="${2:?usage: $0 OLD_BIN NEW_BIN}"
REPS="${REPS:-20}"
CORPUS="$(cd "${METASIFT_CORPUS:-$(dirname "$0")/../../shared/corpus}" && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }

count() { # BIN LIST -> instructions
    valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$1" --exiftool --threads 1 -@ "$2" \
        >/dev/null 2>"$TMP/cg.err" || true
    grep -oE 'Collected : [0-9]+' "$TMP/cg.err" | awk '{print $3}'
}

: > "$TMP/empty.list"
base_old="$(count "$OLD" "$TMP/empty.list")"
base_new="$(count "$NEW" "$TMP/empty.list")"
printf '%-8s %6s %14s %14s %8s\n' family files "old instr/file" "new instr/file" new/old
for fam in "$CORPUS"/generated/*/; do
    name="$(basename "$fam")"
    files=("$fam"*)
    : > "$TMP/list"
    for _ in $(seq "$REPS"); do printf '%s\n' "${files[@]}" >> "$TMP/list"; done
    n=$(( ${#files[@]} * REPS ))
    o="$(count "$OLD" "$TMP/list")"
    w="$(count "$NEW" "$TMP/list")"
    python3 -c "
o=($o-$base_old)/$n; w=($w-$base_new)/$n
print(f'{\"$name\":8} {${#files[@]}:6} {o:14.0f} {w:14.0f} {w/o:8.3f}')"
done
