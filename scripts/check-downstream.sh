#!/usr/bin/env bash
# What a library user's build gets: a tiny crate in a temporary folder depends on this
# checkout by path, once with `default-features = false` and once with the defaults, and
# `cargo tree` must show only the dependencies each is allowed. It also checks that no
# build of ours turns on serde_json's `preserve_order` (Cargo would switch it on for every
# crate in the user's build that uses serde_json).
#
# Usage: scripts/check-downstream.sh   (from anywhere; uses CARGO_TARGET_DIR if set)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
# Share the checkout's build folder: the core's dependencies are built once for both.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
trap 'rm -rf "$WORK"' EXIT

# The core's dependencies, and what the default features add (serde's derive, the CLI's
# needs). Anything else in the tree is a mistake: a dependency made non-optional, or a
# feature left on.
CORE="metasift adler2 aes block-buffer castaway cbc cfg-if cipher compact_str cpubits cpufeatures \
crypto-common digest hybrid-array inout itoa libc md-5 memchr miniz_oxide quick-xml rc4 rustversion ryu serde \
serde_core serde_json sha2 static_assertions typenum zmij"
DERIVE="serde_derive proc-macro2 quote syn unicode-ident"
# The `cli` feature (on by default, for `cargo install`): the progress line.
CLI="indicatif console portable-atomic unicode-width unit-prefix"

crate() { # crate NAME DEPENDENCY-LINE
    mkdir -p "$WORK/$1/src"
    cat >"$WORK/$1/Cargo.toml" <<EOF
[package]
name = "$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$2

[workspace]
EOF
    # Start from our lock file, so that the versions (and their dependencies) are ours.
    cp "$ROOT/Cargo.lock" "$WORK/$1/Cargo.lock"
    cat >"$WORK/$1/src/lib.rs" <<'EOF'
pub fn format_of(bytes: &[u8]) -> Option<metasift::Format> {
    metasift::extract_bytes(bytes).ok().map(|m| m.format)
}
EOF
}

# tree NAME: the crate names in its normal dependency tree, one a line, sorted.
tree() {
    (cd "$WORK/$1" && cargo tree -q -e normal --prefix none --format '{p}') \
        | awk '{print $1}' | sort -u
}

# check NAME ALLOWED...: fails if the tree has a crate not in ALLOWED.
check() {
    local name="$1"; shift
    local allowed=" $name $* " extra=() c
    for c in $(tree "$name"); do
        case "$allowed" in *" $c "*) ;; *) extra+=("$c") ;; esac
    done
    echo "-- $name: $(tree "$name" | wc -l) crates: $(tree "$name" | tr '\n' ' ')"
    if [ "${#extra[@]}" -gt 0 ]; then
        echo "$name pulls crates the core does not need: ${extra[*]}"
        return 1
    fi
    if (cd "$WORK/$name" && cargo tree -q -e features -i serde_json 2>/dev/null | grep -q 'preserve_order'); then
        echo "$name: serde_json's preserve_order is on"
        return 1
    fi
}

crate downstream-core "metasift = { path = \"$ROOT\", default-features = false }"
crate downstream-defaults "metasift = { path = \"$ROOT\" }"
rc=0
check downstream-core $CORE || rc=1
check downstream-defaults $CORE $DERIVE $CLI || rc=1
# The core must build as a user gets it (no dev-dependencies, no features).
(cd "$WORK/downstream-core" && cargo build -q) || { echo "downstream-core does not build"; rc=1; }
[ "$rc" -eq 0 ] && echo "downstream: the core pulls only its own dependencies; no preserve_order"
exit "$rc"
