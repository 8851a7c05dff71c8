#!/usr/bin/env python3
"""Checks the layering rules of ARCHITECTURE.md on the source tree, from the code's own
`use` paths and `crate::`/`super::` paths (test code left out), and exits 1 on a breach:

1. no import circle between files, except inside one format's own folder and inside one
   module folder (a `mod.rs` and its children) and the nested-payload recursion (meta/nested.rs and the payload parsers
   that hand it the payloads they hold);
2. meta/ never imports from formats/, and no format family imports another family
   (the ISO-BMFF box walker and the payload layer are shared, not families); remote/
   (network sources) imports only the source seam, options, errors, the model, `Format`
   and the extract functions: it never parses a format; cloudevents/ (the Google Cloud
   entry) imports only those, remote/, output/ and the date helper;
3. no `Composite` tag is written outside composite/;
4. no byte-order conversion outside base/;
5. no hash or cipher implemented in the crate (their constants appear nowhere);
6. no logic file over 600 lines (declarative tables listed in TABLES may be longer).

Usage: scripts/check-architecture.py [SRC_DIR]   (default: src)
"""
import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")
SRC = os.path.normpath(SRC)
MAX_LINES = 600
# Files that are data (tag tables, magic tables), allowed past MAX_LINES.
TABLES = {"sniff/table.rs", "meta/exif/tags.rs"}
# The one designed recursion: payloads inside payloads go through the dispatcher.
NESTED = "meta/nested.rs"
FAMILIES = ("images", "audio", "video", "documents", "isobmff")
SHARED_ACROSS_FAMILIES = ("formats/isobmff/boxes.rs",)


def rel(path):
    return os.path.relpath(path, SRC).replace(os.sep, "/")


def strip_tests(text):
    """The file without its `#[cfg(test)]` items (test modules and test-only helpers)."""
    out, depth, skipping, pending = [], 0, False, False
    for line in text.splitlines():
        stripped = line.strip()
        if not skipping and stripped.startswith("#[cfg(test)]"):
            pending = True
            continue
        if pending and not skipping:
            pending = False
            skipping, depth = True, 0
            if stripped.endswith(";"):
                skipping = False
                continue
        if skipping:
            depth += line.count("{") - line.count("}")
            if depth <= 0 and ("}" in line or stripped.endswith(";")):
                skipping = False
            continue
        out.append(line)
    return "\n".join(out)


def strip_comments(text):
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


files = {}
for root, _, names in os.walk(SRC):
    for n in names:
        if n.endswith(".rs"):
            p = os.path.join(root, n)
            r = rel(p)
            if r.endswith("/tests.rs") or r == "test_util.rs":
                continue
            files[r] = open(p, encoding="utf-8").read()


def module_of(r):
    """Module path of a file: `meta/exif/mod.rs` -> ['meta', 'exif']."""
    parts = r[:-3].split("/")
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


by_module = {tuple(module_of(r)): r for r in files}


def resolve(path):
    """The file of the longest module prefix of a crate path."""
    for n in range(len(path), 0, -1):
        f = by_module.get(tuple(path[:n]))
        if f:
            return f
    return None


def expand_use(tree):
    """`a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e]."""
    tree = tree.replace(" ", "").replace("\n", "")
    m = re.match(r"^(.*?)\{(.*)\}$", tree)
    if not m:
        return [tree]
    prefix, inner = m.group(1), m.group(2)
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    return [x for p in parts if p for x in expand_use(prefix + p)]


def absolute(r, path):
    """A `crate::`/`super::`/`self::` path seen in file `r`, as a list from the crate root."""
    segs = [s for s in path.split("::") if s]
    here = module_of(r)
    if segs[0] == "crate":
        return segs[1:]
    base = list(here)
    while segs and segs[0] in ("super", "self"):
        if segs[0] == "super":
            base = base[:-1]
        segs = segs[1:]
    return base + segs


edges = {r: set() for r in files}
for r, text in files.items():
    code = strip_comments(strip_tests(text))
    paths = []
    for m in re.finditer(r"\buse\s+((?:crate|super|self)\b[^;]*);", code, re.S):
        paths += expand_use(m.group(1))
    for m in re.finditer(r"\b((?:crate|super)(?:::\w+)+)", code):
        paths.append(m.group(1))
    # Paths that start with a child module of this file (`use walk::Walker;`).
    children = set(re.findall(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", code, re.M))
    for m in re.finditer(r"\buse\s+(\w+)(::[^;]*);", code, re.S):
        if m.group(1) in children:
            paths += ["self::" + x for x in expand_use(m.group(1) + m.group(2))]
    for m in re.finditer(r"\b(\w+)::\w+", code):
        if m.group(1) in children:
            paths.append("self::" + m.group(0))
    for p in paths:
        p = re.sub(r"::\*$", "", p.split(" as ")[0])
        target = resolve(absolute(r, p))
        if target and target != r:
            edges[r].add(target)

failures = []


def fail(rule, msg):
    failures.append(f"[{rule}] {msg}")


# 1. circles (Tarjan's strongly connected components).
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)


def strong(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))


for v in files:
    if v not in index:
        strong(v)


def one_folder(comp):
    """Whether a circle is a module folder's own: its `mod.rs` and files below it."""
    folder = os.path.commonpath([os.path.dirname(f) or "." for f in comp])
    # One format's own folder (formats/<family>/<format>/...), however its files tie.
    if folder.startswith("formats/") and folder.count("/") >= 2:
        return True
    return folder not in ("", ".") and f"{folder}/mod.rs" in comp


for comp in sccs:
    if one_folder(comp):
        continue
    if NESTED in comp and all(f.startswith("meta/") for f in comp):
        continue
    fail(1, "import circle: " + " -> ".join(comp))

# 2. layering between folders.
for r, targets in edges.items():
    for t in targets:
        if r.startswith("meta/") and t.startswith("formats/"):
            fail(2, f"{r} imports {t}: meta/ never imports from formats/")
        fr = r.split("/")
        ft = t.split("/")
        if (fr[0] == "formats" and ft[0] == "formats" and len(fr) > 2 and len(ft) > 2
                and fr[1] in FAMILIES and ft[1] in FAMILIES and fr[1] != ft[1]
                and t not in SHARED_ACROSS_FAMILIES):
            fail(2, f"{r} imports {t}: one format family calls into another")

REMOTE_MAY_IMPORT = ("remote/", "source/", "options.rs", "error.rs", "model/", "sniff/", "extract.rs", "lib.rs")
for r, targets in edges.items():
    if r.startswith("remote/"):
        for t in sorted(targets):
            if not t.startswith(REMOTE_MAY_IMPORT):
                fail(2, f"{r} imports {t}: remote/ reads bytes, it never parses them")

# The Google Cloud entry reads events and talks to Cloud Storage: it extracts through the
# public API and `remote`, shapes output through `output`, and never parses a format.
CLOUDEVENTS_MAY_IMPORT = ("cloudevents/", "remote/", "output/", "model/", "source/", "options.rs", "error.rs",
                          "extract.rs", "lib.rs", "base/date.rs")
for r, targets in edges.items():
    if r.startswith("cloudevents/"):
        for t in sorted(targets):
            if not t.startswith(CLOUDEVENTS_MAY_IMPORT):
                fail(2, f"{r} imports {t}: cloudevents/ serves events, it never parses a format")

# 3-5: text rules over code without tests and comments.
CRYPTO = ["0x67452301", "0x428a2f98", "0x6a09e667", "0x5be0cd19", "0xd76aa478", "0x63, 0x7c, 0x77, 0x7b"]
for r, text in files.items():
    code = strip_tests(text)
    bare = re.sub(r"//[^\n]*", "", code)
    if not r.startswith("composite/"):
        for m in re.finditer(r'(?:Tag::new\(|\.add\(|group:\s*)"Composite"', bare):
            fail(3, f"{r}: writes a Composite tag ({m.group(0)})")
    if not r.startswith("base/") and re.search(r"from_(?:be|le)_bytes", bare):
        fail(4, f"{r}: byte-order conversion outside base/")
    for k in CRYPTO:
        if k.lower() in bare.lower():
            fail(5, f"{r}: a hash or cipher constant ({k}): use the RustCrypto crates")
    if re.search(r"fn\s+(?:md5|sha\d+|rc4|aes\w*)_(?:block|round|compress|step)\b", bare):
        fail(5, f"{r}: a hash or cipher round function")

# 6. sizes.
for r, text in files.items():
    n = text.count("\n")
    if n > MAX_LINES and r not in TABLES:
        fail(6, f"{r}: {n} lines (logic files stay under {MAX_LINES})")

largest = max(((t.count("\n"), r) for r, t in files.items() if r not in TABLES))
print(f"architecture: {len(files)} files, {sum(len(e) for e in edges.values())} import arrows, "
      f"{len(sccs)} circles ({sum(1 for c in sccs if not one_folder(c) and NESTED not in c)} not allowed), "
      f"largest logic file {largest[1]} ({largest[0]} lines)")
for comp in sccs:
    print("  circle: " + " <-> ".join(comp))
for f in failures:
    print(f)
print("architecture: OK" if not failures else f"architecture: {len(failures)} breaches")
sys.exit(1 if failures else 0)
