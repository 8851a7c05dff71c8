#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from a metasift test corpus (default ../shared/corpus, or
# $METASIFT_CORPUS): container targets get files of their type, payload targets (exif,
# iptc, photoshop, xmp, icc) get the blocks cut out of JPEG files (APP1 Exif/XMP, APP13
# Photoshop IRB and its IPTC record, APP2 ICC), makernotes gets the MakerNote values of
# those Exif blocks (and of tests/fixtures/makernotes/) prefixed with the two bytes its
# target reads, extract_any gets a bit of everything.
# Big files are cut to their first 128 KiB. Idempotent; the corpus dir is git-ignored.
#
#   fuzz/seed.sh [CORPUS_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="${1:-${METASIFT_CORPUS:-$here/../../shared/corpus}}"
[ -d "$src" ] || { echo "seed.sh: corpus not found: $src" >&2; exit 1; }
src="$(cd "$src" && pwd)"

python3 - "$src" "$here/corpus" <<'PY'
import hashlib, os, struct, sys

src, out = sys.argv[1], sys.argv[2]
MAX = 128 * 1024

# target -> file extensions (lowercase) that seed it
CONTAINERS = {
    "jpeg": ["jpg", "jpeg", "jpe"],
    "tiff": ["tif", "tiff", "dng", "nef", "cr2", "arw", "orf", "rw2", "pef", "srw", "iiq", "raw", "btf"],
    "png": ["png"],
    "png_tail": ["png"],
    "gif": ["gif"],
    "webp": ["webp"],
    "heif": ["heic", "heif", "avif", "hif"],
    "isobmff": ["mp4", "mov", "m4a", "m4v", "3gp", "3g2", "qt"],
    "cr3": ["cr3", "crm"],
    "matroska": ["mkv", "mka", "webm", "mks"],
    "psd": ["psd", "psb"],
    "mp3": ["mp3"],
    "flac": ["flac"],
    "ogg": ["ogg", "opus", "ogv", "oga"],
    "wav": ["wav"],
    "aiff": ["aif", "aiff", "aifc"],
    "lossless_audio": ["ape", "mpc", "wv"],
    "pdf": ["pdf"],
    "ooxml": ["docx", "xlsx", "pptx", "ods", "odt", "zip"],
    "avi": ["avi"],
    "asf": ["asf", "wmv", "wma"],
    "flv": ["flv"],
    "mpeg_ps": ["mpg", "mpeg", "vob"],
    "dv": ["dv"],
    "mpeg_ts": ["ts", "m2t", "mts", "m2ts"],
}
# fuzz_targets/images.rs FORMATS order, by extension
# fuzz_targets/misc_formats.rs FORMATS order, by extension
MISC = ["mrc", "pgf", "pmp", "djvu", "crw", "eps", "pfa", "pfb", "afm", "indd", "inx", "rm", "eip"]
IMAGES = ["bmp", "ico", "cur", "pcx", "ppm", "pbm", "jp2", "j2c", "jxl", "exr", "hdr", "dpx", "svg", "bpg", "flif", "miff", "xcf", "psp", "mrw", "x3f"]
count = {}

def save(target, data):
    if not data:
        return
    data = data[:MAX]
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    p = os.path.join(d, name)
    if not os.path.exists(p):
        with open(p, "wb") as f:
            f.write(data)
        count[target] = count.get(target, 0) + 1

def jpeg_segments(data):
    """(marker, payload) of the header segments of a JPEG, up to SOS."""
    i = 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        m = data[i + 1]
        if m == 0xFF:
            i += 1
            continue
        if m in (0xD8, 0x01) or 0xD0 <= m <= 0xD7:
            i += 2
            continue
        if m in (0xD9, 0xDA):
            return
        n = struct.unpack(">H", data[i + 2:i + 4])[0]
        yield m, data[i + 4:i + 2 + n]
        i += 2 + n

def irb_blocks(data):
    """(id, body) of Photoshop image resource blocks."""
    i = 0
    while i + 12 <= len(data) and data[i:i + 4] == b"8BIM":
        rid = struct.unpack(">H", data[i + 4:i + 6])[0]
        nlen = data[i + 6]
        j = i + 6 + (1 + nlen) + ((1 + nlen) % 2)  # Pascal name, padded to even
        if j + 4 > len(data):
            return
        size = struct.unpack(">I", data[j:j + 4])[0]
        yield rid, data[j + 4:j + 4 + size]
        i = j + 4 + size + (size % 2)

# fuzzing.rs MAKER_NOTE_MAKES, upper-cased, in order (the index is the seed's first byte)
NOTE_MAKES = ["CANON", "NIKON", "SONY", "FUJIFILM", "OLYMPUS", "PANASONIC", "PENTAX", "APPLE",
              "SAMSUNG", "SANYO", "SIGMA", "CASIO", "KONICA MINOLTA", "EASTMAN KODAK", "ACME", "DJI"]

def maker_note_seed(tiff):
    """The makernotes target's input for the MakerNote of a TIFF block, if it has one."""
    if tiff[:4] not in (b"II*\0", b"MM\0*"):
        return None
    e = "<" if tiff[:2] == b"II" else ">"
    def entries(at):
        if at + 2 > len(tiff):
            return []
        n = struct.unpack(e + "H", tiff[at:at + 2])[0]
        out = []
        for i in range(min(n, 512)):
            p = at + 2 + 12 * i
            if p + 12 > len(tiff):
                break
            out.append((struct.unpack(e + "HHII", tiff[p:p + 12]), p))
        return out
    ifd0 = entries(struct.unpack(e + "I", tiff[4:8])[0])
    make, exif_at = b"", None
    for (tag, typ, count, off), p in ifd0:
        if tag == 0x010F:
            make = tiff[off:off + count] if count > 4 else tiff[p + 8:p + 8 + count]
        if tag == 0x8769:
            exif_at = off
    make = make.split(b"\0")[0].decode("latin-1").strip().upper()
    idx = next((i for i, m in enumerate(NOTE_MAKES) if make.startswith(m)), None)
    if idx is None or exif_at is None:
        return None
    for (tag, typ, count, off), p in entries(exif_at):
        if tag == 0x927C and count > 4:
            le = 0x80 if e == "<" else 0
            return bytes([idx | le, off & 0xFF]) + tiff[off:off + count]
    return None

def cut_payloads(data):
    icc = b""
    for m, p in jpeg_segments(data):
        if m == 0xE1 and p.startswith(b"Exif\0\0"):
            save("exif", p[6:])
            save("makernotes", maker_note_seed(p[6:]))
        elif m == 0xE1 and p.startswith(b"http://ns.adobe.com/xap/1.0/\0"):
            save("xmp", p[29:])
        elif m == 0xED and p.startswith(b"Photoshop 3.0\0"):
            irb = p[14:]
            save("photoshop", irb)
            for rid, body in irb_blocks(irb):
                if rid == 0x0404:
                    save("iptc", body)
        elif m == 0xE2 and p.startswith(b"ICC_PROFILE\0"):
            icc += p[14:]
    save("icc", icc)

files = []
fixtures = os.path.join(os.path.dirname(out), "..", "tests", "fixtures", "makernotes")
if os.path.isdir(fixtures):
    files += [os.path.join(fixtures, f) for f in sorted(os.listdir(fixtures)) if f.endswith(".jpg")]
for root in ("generated", "real", "broken"):
    for dp, dns, fns in os.walk(os.path.join(src, root)):
        dns.sort()
        files += [os.path.join(dp, f) for f in sorted(fns)]

seen_ext = {}
for path in files:
    ext = path.rsplit(".", 1)[-1].lower() if "." in os.path.basename(path) else ""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        continue
    for target, exts in CONTAINERS.items():
        if ext in exts:
            save(target, data)
    if data.startswith(b"\xff\xd8\xff"):
        cut_payloads(data)
    # images: the first byte selects the format (see fuzz_targets/images.rs).
    if ext in IMAGES:
        save("images", bytes([IMAGES.index(ext)]) + data)
    if ext in MISC:
        save("misc_formats", bytes([MISC.index(ext)]) + data)
    if ext == "xmp":
        save("xmp", data)
    if ext in ("icc", "icm"):
        save("icc", data)
    if data.startswith((b"II*\0", b"MM\0*")):
        save("exif", data)
    # extract_any: up to 3 files per extension, for variety.
    if "/expected/" not in path and seen_ext.get(ext, 0) < 3:
        seen_ext[ext] = seen_ext.get(ext, 0) + 1
        save("extract_any", data)

print("seed.sh: " + ", ".join(f"{k} +{v}" for k, v in sorted(count.items())) if count
      else "seed.sh: corpus already seeded")
PY

# makernotes: the Sony notes of the crate's own fixtures, as fuzz_targets/makernotes.rs
# reads them: the maker selector (0xC2: Sony, little-endian, an E-mount model so the
# enciphered blocks are read), the note's offset from its TIFF header, the note.
python3 - "$here/../tests/fixtures/makernotes/sony" "$here/corpus/makernotes" <<'PY'
import hashlib, os, struct, sys

src, out = sys.argv[1], sys.argv[2]
added = 0
for name in sorted(os.listdir(src)) if os.path.isdir(src) else []:
    if not name.endswith(".jpg"):
        continue
    data = open(os.path.join(src, name), "rb").read()
    at = data.find(b"Exif\0\0")
    if at < 0:
        continue
    tiff = data[at + 6:]
    e = "<" if tiff[:2] == b"II" else ">"
    u16 = lambda o: struct.unpack(e + "H", tiff[o:o + 2])[0]
    u32 = lambda o: struct.unpack(e + "I", tiff[o:o + 4])[0]
    def entries(ifd):
        return [(u16(ifd + 2 + 12 * i), u32(ifd + 2 + 12 * i + 4), u32(ifd + 2 + 12 * i + 8))
                for i in range(u16(ifd))]
    exif = next((v for t, _, v in entries(u32(4)) if t == 0x8769), None)
    note = next(((n, v) for t, n, v in entries(exif) if t == 0x927C), None) if exif else None
    if not note or note[1] > 255:
        continue
    seed = bytes([0xC2 if e == "<" else 0x42, note[1]]) + tiff[note[1]:note[1] + note[0]]
    os.makedirs(out, exist_ok=True)
    p = os.path.join(out, hashlib.sha1(seed).hexdigest())
    if not os.path.exists(p):
        open(p, "wb").write(seed)
        added += 1
print(f"seed.sh: makernotes +{added}")
PY
