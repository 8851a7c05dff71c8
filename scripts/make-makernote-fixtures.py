#!/usr/bin/env python3
"""Builds the byte-level maker-note fixtures of tests/fixtures/makernotes/.

ExifTool can write tags into a maker note that exists but cannot create one, so these
small JPEGs are assembled here: a baseline 8x8 image (Pillow), an APP1 Exif block with
IFD0 (Make, Model), an ExifIFD and a MakerNote laid out as each maker writes it. The
values are made up but typed and placed as the makers' notes are (tag codes and types
from ExifTool's tag-name documentation). The goldens beside them are ExifTool 12.57's
`-json -n -G` (and `-G1`) output:

    python3 scripts/make-makernote-fixtures.py tests/fixtures/makernotes
    cd tests/fixtures/makernotes && for f in *.jpg *.mp4; do
        exiftool -json -n -G "$f" > "$f.exiftool.json"
        exiftool -json -n -G1 "$f" > "$f.exiftool-g1.json"; done
"""

import io
import struct
import sys
from pathlib import Path

from PIL import Image

TYPES = {"B": 1, "A": 2, "H": 3, "L": 4, "R": 5, "U": 7, "h": 8, "l": 9, "r": 10, "f": 11, "IFD": 13}
SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 13: 4}


def value(kind, v, e):
    """(type, count, bytes) of a value: kind is a TYPES key."""
    t = TYPES[kind]
    if kind == "A":
        b = v.encode() + b"\0"
        return t, len(b), b
    if kind == "U":
        return t, len(v), v
    if kind in ("R", "r"):
        vals = v if isinstance(v, list) else [v]
        f = "I" if kind == "R" else "i"
        b = b"".join(struct.pack(e + f + f, n, d) for n, d in vals)
        return t, len(vals), b
    vals = v if isinstance(v, (list, tuple)) else [v]
    f = {"B": "B", "H": "H", "L": "I", "h": "h", "l": "i", "f": "f", "IFD": "I"}[kind]
    return t, len(vals), b"".join(struct.pack(e + f, x) for x in vals)


def ifd(entries, start, base, e, next_ifd=0):
    """An IFD placed at `start` (position in the block being built), its out-of-line
    values following it; offsets written as position + base. Entries: (tag, kind, v)."""
    entries = sorted(entries, key=lambda x: x[0])
    n = len(entries)
    data_at = start + 2 + 12 * n + 4
    head = struct.pack(e + "H", n)
    data = b""
    for tag, kind, v in entries:
        t, count, b = value(kind, v, e)
        if len(b) <= 4:
            head += struct.pack(e + "HHI", tag, t, count) + b.ljust(4, b"\0")
        else:
            off = data_at + len(data)
            head += struct.pack(e + "HHII", tag, t, count, off + base)
            data += b
            if len(data) % 2:
                data += b"\0"
    return head + struct.pack(e + "I", next_ifd) + data


def tiff(make, model, note_fn, e="<", extra_exif=()):
    """A TIFF block whose ExifIFD holds the maker note `note_fn(tiff_pos)` returns."""
    probe = len(note_fn(0))
    ifd0 = [(0x010F, "A", make), (0x0110, "A", model), (0x8769, "L", 0)]
    ifd0_len = len(ifd(ifd0, 8, 0, e))
    exif_at = 8 + ifd0_len
    exif = [(0x9000, "U", b"0231"), (0x927C, "U", b"\0" * probe)] + list(extra_exif)
    exif_len = len(ifd(exif, exif_at, 0, e))
    note_at = exif_at + exif_len - probe - (probe % 2)
    # The note is the last out-of-line value of the ExifIFD: find where it lands.
    note = note_fn(note_at)
    assert len(note) == probe
    exif = [(0x9000, "U", b"0231"), (0x927C, "U", note)] + list(extra_exif)
    ifd0 = [(0x010F, "A", make), (0x0110, "A", model), (0x8769, "L", exif_at)]
    body = ifd(ifd0, 8, 0, e) + ifd(exif, exif_at, 0, e)
    assert body[note_at - 8 : note_at - 8 + len(note)] == note, "note misplaced"
    order = b"II*\0" if e == "<" else b"MM\0*"
    return order + struct.pack(e + "I", 8) + body


def jpeg(tiff_block):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (90, 120, 150)).save(buf, "JPEG", quality=50)
    img = buf.getvalue()
    app1 = b"Exif\0\0" + tiff_block
    return img[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + img[2:]


def samsung_type2_entries(e):
    return [
        (0x0001, "U", b"0100"),
        (0x0002, "L", 0x2000),
        (0x0003, "L", 0x100101C),
        (0x0011, "r", [(0, 1), (125, 10), (-35, 10)]),
        (0x0020, "H", [2, 0]),
        (0x0021, "H", [4, 0, 1, 65535, 2]),
        (0x0030, "A", "Seoul"),
        (0x0031, "A", "Gangnam-gu"),
        (0x0040, "H", 1),
        (0x0041, "L", 1),
        (0x0043, "r", (337, 10)),
        (0x0050, "H", 65535),
        (0x0100, "H", 1),
        (0x0120, "L", 1),
        (0x0123, "A", "Kim"),
        (0xA001, "A", "GLUHPLE"),
        (0xA002, "A", "0123456789ABCDEF"),
        (0xA003, "H", 4),
        (0xA004, "A", "1.10"),
        (0xA005, "A", "LSN7654321"),
        (0xA010, "L", [4704, 3136, 0, 0, 4648, 3096, 28, 20]),
        (0xA011, "H", 1),
        (0xA012, "H", 0),
        (0xA013, "r", (-2, 3)),
        (0xA014, "L", 400),
        (0xA018, "R", (1, 250)),
        (0xA019, "R", (56, 10)),
        (0xA01A, "L", 45),
        (0xA020, "L", [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]),
        (0xA021, "L", [2010, 1044, 1054, 1640]),
        (0xA022, "L", [2110, 1120, 1130, 1740]),
        (0xA023, "L", [2210, 1220, 1230, 1840]),
        (0xA024, "L", [2310, 1320, 1330, 1940]),
        (0xA025, "L", 4000),
        (0xA028, "l", [140, 150, 160, 170]),
        (0xA030, "l", [600, -100, -200, -50, 560, -10, 30, -300, 700]),
        (0xA031, "l", [610, -90, -190, -40, 570, 0, 40, -290, 710]),
        (0xA032, "l", [620, -80, -180, -30, 580, 10, 50, -280, 720]),
        (0xA033, "l", [100, 200, 300, 400]),
        (0xA034, "l", [110, 210, 310, 410]),
        (0xA035, "L", [500, 600]),
        (0xA036, "L", [510, 610]),
        (0xA040, "L", list(range(100, 123))),
        (0xA041, "L", list(range(200, 223))),
        (0xA042, "L", list(range(300, 323))),
        (0xA043, "L", list(range(400, 423))),
        (0xA048, "l", list(range(10, 22))),
        (0xA050, "l", list(range(20, 28))),
        (0xA051, "H", list(range(30, 52))),
        (0xA052, "H", list(range(40, 55))),
        (0xA053, "H", list(range(50, 65))),
        (0xA054, "H", list(range(60, 75))),
    ]


def samsung_type2(note_relative, e="<"):
    """A Samsung Type2 note: a bare IFD; NX bodies count offsets from the TIFF header,
    phones from the note's start. A PreviewIFD follows the main IFD's values."""

    def note(tiff_pos):
        base = 0 if note_relative else tiff_pos
        main = samsung_type2_entries(e)
        # PreviewIFD sits after the main IFD; its place depends on the main IFD's size.
        probe = ifd(main + [(0x0035, "L", 0)], 0, base, e)
        prev_at = len(probe)
        preview = [(0x00FE, "L", 1), (0x0103, "H", 6), (0x011A, "R", (72, 1)), (0x011B, "R", (72, 1)),
                   (0x0128, "H", 2), (0x0201, "L", 0), (0x0202, "L", 0), (0x0213, "H", 2)]
        probe_prev = ifd(preview, prev_at, base, e)
        thumb_at = prev_at + len(probe_prev)
        thumb = b"\xff\xd8\xff\xd9"
        preview = [p if p[0] not in (0x201, 0x202) else p for p in preview]
        preview = [(t, k, v) for t, k, v in preview if t not in (0x201, 0x202)]
        preview += [(0x0201, "L", thumb_at + base), (0x0202, "L", len(thumb))]
        main_b = ifd(main + [(0x0035, "L", prev_at + base)], 0, base, e)
        return main_b + ifd(preview, prev_at, base, e) + thumb

    return note


def samsung_phone(tiff_pos, e="<"):
    """A Galaxy phone's note: offsets from the note's start."""
    entries = [
        (0x0001, "U", b"0100"),
        (0x0002, "L", 0x12000),
        (0x0003, "L", 0),
        (0x0021, "H", [0, 0, 0, 0, 0]),
        (0x0030, "A", "Paris"),
        (0x0031, "A", "Eiffel Tower"),
        (0x0040, "H", 0),
        (0x0050, "H", 0),
        (0x0100, "H", 0),
        (0xA001, "A", "G950FXXU1AQI7"),
        (0xA002, "A", "R58J41ABCDE"),
    ]
    return ifd(entries, 0, 0, e)


def samsung_stmn(tiff_pos):
    """The older binary STMN note: version, then the preview's offset and length (index 2
    and 3, 32-bit words), the preview inside the note."""
    head = bytearray(b"STMN100\0" + b"\0" * 40)
    preview = b"\xff\xd8\xff\xdbSTMNPREVIEW\xff\xd9"
    off = len(head)
    struct.pack_into("<II", head, 8, off, len(preview))
    return bytes(head) + preview


def dji(tiff_pos, e="<"):
    entries = [
        (0x0001, "A", "DJI"),
        (0x0003, "f", 1.5),
        (0x0004, "f", -0.25),
        (0x0005, "f", 0.0),
        (0x0006, "f", -3.4000000953674316),
        (0x0007, "f", 178.8000030517578),
        (0x0008, "f", 2.0999999046325684),
        (0x0009, "f", -90.0),
        (0x000A, "f", 179.5),
        (0x000B, "f", 0.0),
    ]
    return ifd(entries, 0, tiff_pos, e)


# DJI's XMP as a Phantom 4 Pro writes it: attributes of one rdf:Description, signed
# numbers as text, `GpsLongtitude` misspelt.
DJI_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="DJI Meta Data"
    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/"
   xmp:CreateDate="2019-05-04"
   tiff:Make="DJI"
   tiff:Model="FC6310"
   drone-dji:AbsoluteAltitude="+285.82"
   drone-dji:RelativeAltitude="+60.10"
   drone-dji:GimbalRollDegree="+0.00"
   drone-dji:GimbalYawDegree="-109.50"
   drone-dji:GimbalPitchDegree="-90.00"
   drone-dji:FlightRollDegree="+2.10"
   drone-dji:FlightYawDegree="-110.60"
   drone-dji:FlightPitchDegree="-3.40"
   drone-dji:FlightXSpeed="+0.00"
   drone-dji:FlightYSpeed="-0.10"
   drone-dji:FlightZSpeed="+0.00"
   drone-dji:CamReverse="0"
   drone-dji:GimbalReverse="0"
   drone-dji:CalibratedFocalLength="3666.666504"
   drone-dji:CalibratedOpticalCenterX="2736.000000"
   drone-dji:CalibratedOpticalCenterY="1824.000000"
   drone-dji:RtkFlag="50"
   drone-dji:GpsLatitude="+48.858370"
   drone-dji:GpsLongtitude="+2.294481"
   drone-dji:DewarpData="2018-09-04;3678.870000000000,3671.840000000000,-10.100000000000"
   drone-dji:DewarpFlag="0">
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def with_xmp(jpg, xmp):
    app1 = b"http://ns.adobe.com/xap/1.0/\0" + xmp.encode()
    return jpg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpg[2:]


def gopro_movie():
    """A minimal MP4 (ftyp, moov with mvhd and udta) holding what a HERO9 writes in udta:
    FIRM, LENS, CAME (a hash of the serial number) and GPMF settings records."""
    def box(t, p):
        return struct.pack(">I4s", 8 + len(p), t) + p

    def klv(key, kind, size, data):
        rep = len(data) // size if size else 0
        return key + bytes([kind, size]) + struct.pack(">H", rep) + data + b"\0" * (-len(data) % 4)

    records = (klv(b"DVID", ord("L"), 4, struct.pack(">I", 1)) + klv(b"DVNM", ord("c"), 6, b"Camera")
               + klv(b"CASN", ord("c"), 14, b"C3441325123456") + klv(b"MINF", ord("c"), 11, b"HERO9 Black")
               + klv(b"PTWB", ord("c"), 4, b"AUTO") + klv(b"EXPT", ord("c"), 1, b"0")
               + klv(b"PIMX", ord("L"), 4, struct.pack(">I", 3200)))
    gpmf = b"DEVC" + bytes([0, 1]) + struct.pack(">H", len(records)) + records
    mvhd = struct.pack(">B3xIIII", 0, 3_700_000_000, 3_700_000_000, 1000, 3000)
    mvhd += struct.pack(">IH10x", 0x10000, 0x100) + struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd += b"\0" * 24 + struct.pack(">I", 2)
    udta = box(b"FIRM", b"HD9.01.01.60.00") + box(b"LENS", b"LAJ8052304400043")
    udta += box(b"CAME", bytes(range(16))) + box(b"GPMF", gpmf)
    return box(b"ftyp", b"mp41" + struct.pack(">I", 0) + b"mp41isom") + box(b"moov", box(b"mvhd", mvhd) + box(b"udta", udta))


def main(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "samsung_nx_type2.jpg": tiff("SAMSUNG", "NX10", samsung_type2(False)),
        "samsung_phone_type2.jpg": tiff("samsung", "SM-G950F", samsung_phone),
        "samsung_stmn.jpg": tiff("SAMSUNG TECHWIN", "Digimax S500", samsung_stmn),
        "dji_phantom.jpg": tiff("DJI", "FC6310", dji),
    }
    for name, block in files.items():
        (out / name).write_bytes(jpeg(block))
    (out / "gopro_udta.mp4").write_bytes(gopro_movie())
    (out / "dji_xmp.jpg").write_bytes(with_xmp(jpeg(tiff("DJI", "FC6310", dji)), DJI_XMP))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/makernotes")
