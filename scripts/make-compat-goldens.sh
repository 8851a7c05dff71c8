#!/usr/bin/env bash
# Writes the goldens of the ExifTool compatibility suite (tests/exiftool_compat.rs):
# for each flag set of tests/fixtures/exiftool_compat/cases.txt, ExifTool's JSON output
# for the files of files.txt, run from $METASIFT_CORPUS so that SourceFile is the path
# relative to the corpus. Made with ExifTool 12.57 (the version the corpus goldens use).
#
# Usage: METASIFT_CORPUS=../shared/corpus scripts/make-compat-goldens.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dir="$here/tests/fixtures/exiftool_compat"
corpus="${METASIFT_CORPUS:?set METASIFT_CORPUS to the shared corpus}"
version="$(exiftool -ver)"
[ "$version" = "12.57" ] || echo "warning: exiftool $version, the goldens are meant for 12.57" >&2
mapfile -t files < <(grep -v '^#' "$dir/files.txt" | sed '/^$/d')
while read -r name base flags; do
    case "$name" in '#'* | '') continue ;; esac
    # shellcheck disable=SC2086 # the flags are words on purpose
    (cd "$corpus" && exiftool $flags "${files[@]}") > "$dir/$name.json" || true
    echo "$name: $(grep -c '"SourceFile"' "$dir/$name.json") objects"
done < "$dir/cases.txt"
