//! Application and niche raster headers with embedded metadata: BPG (header + EXIF/ICC/XMP
//! extensions), FLIF (header + deflated iCCP/eXif/eXmp chunks), MIFF (text header + the
//! profiles after it), GIMP XCF (header properties + parasites) and Paint Shop Pro PSP
//! (general attributes, creator and extended-data blocks).

use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Value;

/// Largest embedded metadata block handled.
const MAX_BLOCK: usize = 8 << 20;

fn be32(d: &[u8], p: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(p..p.checked_add(4)?)?.try_into().ok()?))
}

fn le16(d: &[u8], p: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(p..p.checked_add(2)?)?.try_into().ok()?))
}

fn le32(d: &[u8], p: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(p..p.checked_add(4)?)?.try_into().ok()?))
}

/// Hands a metadata payload to the right shared parser.
fn payload(cx: &mut Ctx, kind: &str, d: &[u8], off: u64) {
    const XMP_SIG: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
    let r = match kind {
        "exif" => {
            let skip = if d.starts_with(b"Exif\0\0") { 6 } else { 0 };
            crate::meta::exif::parse_block(cx, d.get(skip..).unwrap_or_default(), off + skip as u64)
        }
        "xmp" => {
            let skip = if d.starts_with(XMP_SIG) { XMP_SIG.len() } else { 0 };
            crate::meta::xmp::parse_packet(cx, d.get(skip..).unwrap_or_default())
        }
        "icc" => crate::meta::icc::parse_profile(cx, d),
        "irb" => crate::meta::photoshop::parse_irb(cx, d, off),
        "iptc" => crate::meta::iptc::parse_iim(cx, d, off),
        _ => Ok(()),
    };
    if let Err(e) = r {
        cx.warn_error(&e);
    }
}

/// A BPG `ue7` number (7 bits per byte, high bit = more).
fn ue7(d: &[u8], p: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for _ in 0..5 {
        let b = *d.get(*p)?;
        *p += 1;
        v = (v << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Reads a BPG file.
pub(crate) fn parse_bpg(cx: &mut Ctx) -> Result<()> {
    const G: &str = "File";
    let head = cx.read_up_to(0, 64)?;
    let (Some(&b4), Some(&b5)) = (head.get(4), head.get(5)) else {
        return Err(Error::malformed(4u64, "truncated BPG header"));
    };
    cx.add(G, "PixelFormat", b4 >> 5);
    cx.add(G, "Alpha", ((b4 >> 4) & 1) | ((b5 >> 1) & 2));
    cx.add(G, "BitDepth", (b4 & 0x0f) + 8);
    cx.add(G, "ColorSpace", b5 >> 4);
    cx.add(G, "Flags", b5 & 0x0f);
    let mut p = 6usize;
    let (Some(w), Some(h), Some(len)) = (ue7(&head, &mut p), ue7(&head, &mut p), ue7(&head, &mut p)) else {
        return Err(Error::malformed(6u64, "truncated BPG header"));
    };
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    cx.add(G, "ImageLength", len);
    cx.fact(Fact::ImageSize(w, h));
    if b5 & 8 == 0 {
        return Ok(());
    }
    let Some(ext_len) = ue7(&head, &mut p) else { return Ok(()) };
    if ext_len as usize > MAX_BLOCK {
        cx.warn(p as u64, "BPG extension data too large");
        return Ok(());
    }
    let start = p as u64;
    let ext = cx.read(start, ext_len)?;
    let mut q = 0usize;
    for _ in 0..64 {
        let (Some(tag), Some(n)) = (ue7(&ext, &mut q), ue7(&ext, &mut q)) else { break };
        let Some(d) = q.checked_add(n as usize).and_then(|e| ext.get(q..e)) else { break };
        let off = start + q as u64;
        match tag {
            1 => {
                // Some writers put one extra byte before the TIFF header.
                let skip = usize::from(!d.starts_with(b"II") && !d.starts_with(b"MM") && d.len() > 1);
                if skip == 1 {
                    cx.warn(off, "[minor] Ignored extra byte at start of EXIF extension");
                }
                payload(cx, "exif", &d[skip..], off + skip as u64);
            }
            2 => payload(cx, "icc", d, off),
            3 => payload(cx, "xmp", d, off),
            _ => {}
        }
        q += n as usize;
    }
    Ok(())
}

/// A FLIF varint (7 bits per byte, big-endian, high bit = more).
fn flif_varint(d: &[u8], p: &mut usize) -> Option<u64> {
    ue7(d, p)
}

/// Reads a FLIF file.
pub(crate) fn parse_flif(cx: &mut Ctx) -> Result<()> {
    const G: &str = "File";
    let head = cx.read_up_to(0, 64)?;
    let (Some(&t), Some(&bpc)) = (head.get(4), head.get(5)) else {
        return Err(Error::malformed(4u64, "truncated FLIF header"));
    };
    cx.add(G, "ImageType", t & 0x0f);
    cx.add(G, "BitDepth", bpc.wrapping_sub(b'0'));
    let mut p = 6usize;
    let (Some(w), Some(h)) = (flif_varint(&head, &mut p), flif_varint(&head, &mut p)) else {
        return Err(Error::malformed(6u64, "truncated FLIF header"));
    };
    let (w, h) = (w + 1, h + 1);
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    if t >> 4 > 4 {
        if let Some(n) = flif_varint(&head, &mut p) {
            cx.add(G, "AnimationFrames", n + 2);
        }
    }
    let mut pos = p as u64;
    for _ in 0..16 {
        let Ok(h8) = cx.read_up_to(pos, 10) else { break };
        let Some(&first) = h8.first() else { break };
        if first < 0x20 {
            cx.add(G, "Encoding", first);
            break;
        }
        let mut q = 4usize;
        let Some(n) = flif_varint(&h8, &mut q) else { break };
        let body = pos + q as u64;
        if n as usize > MAX_BLOCK {
            cx.warn(pos, "FLIF metadata chunk too large");
            break;
        }
        let raw = cx.read(body, n)?;
        let kind = match h8.get(..4) {
            Some(b"iCCP") => "icc",
            Some(b"eXif") => "exif",
            Some(b"eXmp") => "xmp",
            _ => "",
        };
        if !kind.is_empty() {
            match miniz_oxide::inflate::decompress_to_vec_with_limit(&raw, MAX_BLOCK) {
                Ok(d) => payload(cx, kind, &d, body),
                Err(_) => cx.warn(body, "FLIF metadata chunk does not inflate"),
            }
        }
        pos = body + n;
    }
    cx.fact(Fact::ImageSize(w, h));
    Ok(())
}

/// Reads a MIFF file: `key=value` header up to `:\x1a`, then the declared profiles.
pub(crate) fn parse_miff(cx: &mut Ctx) -> Result<()> {
    const G: &str = "MIFF";
    let d = cx.read_up_to(0, 65536)?;
    let Some(end) = d.windows(2).position(|w| w == b":\x1a") else {
        return Err(Error::malformed(0u64, "no MIFF header end"));
    };
    let text = String::from_utf8_lossy(&d[..end]);
    let mut profiles: Vec<(String, u64)> = Vec::new();
    let (mut w, mut h) = (None, None);
    let mut in_comment = false;
    for tok in text.split_whitespace().take(4096) {
        if in_comment || tok.starts_with('{') {
            in_comment = !tok.ends_with('}');
            continue;
        }
        let Some((k, v)) = tok.split_once('=') else { continue };
        if let Some(p) = k.strip_prefix("profile-").or_else(|| k.strip_prefix("profile:")) {
            profiles.push((p.to_ascii_lowercase(), v.parse().unwrap_or(0)));
            continue;
        }
        let name = match k.to_ascii_lowercase().as_str() {
            "id" => "ID",
            "class" => "Class",
            "matte" | "alpha-trait" => "Matte",
            "columns" => "ImageWidth",
            "rows" => "ImageHeight",
            "depth" => "Depth",
            "resolution" => "Resolution",
            "units" => "Units",
            "colorspace" => "ColorSpace",
            "compression" => "Compression",
            "type" => "ImageType",
            "gamma" => "Gamma",
            "scene" => "Scene",
            "scenes" => "Scenes",
            _ => continue,
        };
        let value = match (name, v) {
            ("Matte", _) => Value::Bool(v.eq_ignore_ascii_case("true")),
            ("ImageWidth" | "ImageHeight" | "Depth" | "Scene" | "Scenes", _) => {
                let n: u64 = v.parse().unwrap_or(0);
                if name == "ImageWidth" {
                    w = Some(n);
                } else if name == "ImageHeight" {
                    h = Some(n);
                }
                Value::from(n)
            }
            _ => Value::from(v),
        };
        cx.add(G, name, value);
    }
    let mut pos = end as u64 + 2;
    for (kind, n) in profiles.into_iter().take(64) {
        if n as usize > MAX_BLOCK {
            cx.warn(pos, "MIFF profile too large");
            break;
        }
        let Ok(p) = cx.read(pos, n) else { break };
        let k = if p.starts_with(b"8BIM") {
            "irb"
        } else if p.starts_with(b"Exif\0\0") || kind == "exif" {
            "exif"
        } else if p.starts_with(b"http://ns.adobe.com/xap/1.0/") || kind == "xmp" {
            "xmp"
        } else if kind == "icc" || kind == "icm" {
            "icc"
        } else if kind == "iptc" {
            "iptc"
        } else {
            ""
        };
        payload(cx, k, &p, pos);
        pos += n;
    }
    if let (Some(w), Some(h)) = (w, h) {
        cx.fact(Fact::ImageSize(w, h));
    }
    Ok(())
}

/// Reads a GIMP XCF file: header and image properties (with parasites).
pub(crate) fn parse_xcf(cx: &mut Ctx) -> Result<()> {
    const G: &str = "GIMP";
    let head = cx.read_up_to(0, 64)?;
    let ver = head.get(9..13).ok_or_else(|| Error::malformed(9u64, "truncated XCF header"))?;
    let ver_s = crate::base::decode::fourcc(ver);
    cx.add(G, "XCFVersion", ver_s.as_str());
    let v: u32 = ver_s.strip_prefix('v').and_then(|n| n.parse().ok()).unwrap_or(0);
    let (Some(w), Some(h), Some(mode)) = (be32(&head, 14), be32(&head, 18), be32(&head, 22)) else {
        return Err(Error::malformed(14u64, "truncated XCF header"));
    };
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    cx.add(G, "ColorMode", mode);
    cx.fact(Fact::ImageSize(w.into(), h.into()));
    let mut pos = if v >= 4 { 30u64 } else { 26 };
    for _ in 0..256 {
        let Ok(ph) = cx.read_array::<8>(pos) else { break };
        let (ty, len) = (be32(&ph, 0).unwrap_or(0), be32(&ph, 4).unwrap_or(0));
        if ty == 0 {
            break;
        }
        let body = pos + 8;
        if len as usize > MAX_BLOCK {
            cx.warn(pos, "XCF property too large");
            break;
        }
        let d = cx.read(body, len.into())?;
        match ty {
            17 => {
                if let Some(&c) = d.first() {
                    cx.add(G, "Compression", c);
                }
            }
            19 => {
                if let (Some(x), Some(y)) = (be32(&d, 0), be32(&d, 4)) {
                    cx.add(G, "XResolution", f64::from(f32::from_bits(x)));
                    cx.add(G, "YResolution", f64::from(f32::from_bits(y)));
                }
            }
            20 => {
                if let Some(t) = be32(&d, 0) {
                    cx.add(G, "Tattoo", t);
                }
            }
            22 => {
                if let Some(u) = be32(&d, 0) {
                    cx.add(G, "Units", u);
                }
            }
            21 => parasites(cx, &d, body),
            _ => {}
        }
        pos = body + u64::from(len);
    }
    Ok(())
}

/// XCF parasites: name, flags, size, data.
fn parasites(cx: &mut Ctx, d: &[u8], at: u64) {
    let mut p = 0usize;
    for _ in 0..256 {
        let Some(nl) = be32(d, p) else { break };
        let Some(name) = p.checked_add(4 + nl as usize).and_then(|e| d.get(p + 4..e)) else { break };
        let name = crate::base::decode::fourcc(name);
        p += 4 + nl as usize;
        let Some(size) = be32(d, p + 4) else { break };
        let start = p + 8;
        let Some(v) = start.checked_add(size as usize).and_then(|e| d.get(start..e)) else { break };
        let off = at + start as u64;
        match name.as_str() {
            "gimp-comment" => cx.add("GIMP", "Comment", crate::base::decode::fourcc(v)),
            "icc-profile" => payload(cx, "icc", v, off),
            "exif-data" | "jpeg-exif-data" => payload(cx, "exif", v, off),
            "gimp-metadata" => {
                let skip = if v.starts_with(b"GIMP_XMP_1") { 10 } else { 0 };
                payload(cx, "xmp", &v[skip..], off + skip as u64);
            }
            "iptc-data" => payload(cx, "iptc", v, off),
            _ => {}
        }
        p = start + size as usize;
    }
}

/// A Unix time as `YYYY:MM:DD HH:MM:SS+00:00`.
fn unix_date(t: u32) -> String {
    let (y, mo, d, h, mi, s) = crate::base::date::civil(t.into());
    format!("{y:04}:{mo:02}:{d:02} {h:02}:{mi:02}:{s:02}+00:00")
}

/// Reads a Paint Shop Pro file: version, general attributes, creator and extended data.
pub(crate) fn parse_psp(cx: &mut Ctx) -> Result<()> {
    const G: &str = "PSP";
    let head = cx.read_up_to(32, 4)?;
    let (Some(major), Some(minor)) = (le16(&head, 0), le16(&head, 2)) else {
        return Err(Error::malformed(32u64, "truncated PSP header"));
    };
    cx.add(G, "FileVersion", format!("{major} {minor}"));
    let hdr_len = if major <= 5 { 14u64 } else { 10 };
    let mut pos = 36u64;
    for _ in 0..64 {
        let Ok(bh) = cx.read_up_to(pos, hdr_len) else { break };
        if bh.len() < hdr_len as usize || !bh.starts_with(b"~BK\0") {
            break;
        }
        let id = le16(&bh, 4).unwrap_or(0);
        let len = le32(&bh, hdr_len as usize - 4).unwrap_or(0);
        let body = pos + hdr_len;
        if matches!(id, 0 | 1 | 10) && (len as usize) <= MAX_BLOCK {
            let d = cx.read(body, len.into())?;
            match id {
                0 => psp_general(cx, &d, major),
                _ => psp_fields(cx, &d, body, id),
            }
        }
        pos = body + u64::from(len);
    }
    Ok(())
}

/// The General Image Attributes block.
fn psp_general(cx: &mut Ctx, d: &[u8], major: u16) {
    const G: &str = "PSP";
    let b = if major >= 6 { 4 } else { 0 };
    let (Some(w), Some(h)) = (le32(d, b), le32(d, b + 4)) else { return };
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    if let Some(r) = d.get(b + 8..b + 16).and_then(|s| s.try_into().ok()).map(f64::from_le_bytes) {
        cx.add(G, "ImageResolution", r);
    }
    if let Some(&u) = d.get(b + 16) {
        cx.add(G, "ResolutionUnit", u);
    }
    if let (Some(c), Some(bits), Some(planes), Some(colors)) =
        (le16(d, b + 17), le16(d, b + 19), le16(d, b + 21), le32(d, b + 23))
    {
        cx.add(G, "Compression", c);
        cx.add(G, "BitsPerSample", bits);
        cx.add(G, "Planes", planes);
        cx.add(G, "NumColors", colors);
    }
    cx.fact(Fact::ImageSize(w.into(), h.into()));
}

/// Creator (1) and extended data (10) blocks: `~FL\0` fields.
fn psp_fields(cx: &mut Ctx, d: &[u8], at: u64, block: u16) {
    const G: &str = "PSP";
    let mut p = 0usize;
    for _ in 0..256 {
        if d.get(p..p + 4) != Some(&b"~FL\0"[..]) {
            break;
        }
        let (Some(id), Some(n)) = (le16(d, p + 4), le32(d, p + 6)) else { break };
        let start = p + 10;
        let Some(v) = start.checked_add(n as usize).and_then(|e| d.get(start..e)) else { break };
        if block == 10 {
            if id == 3 {
                psp_exif(cx, v, at + start as u64);
            }
        } else {
            // Latin-1 bytes that are not UTF-8 show as '?', as ExifTool prints them.
            let text = || {
                let end = v.iter().position(|&b| b == 0).unwrap_or(v.len());
                Value::from(String::from_utf8_lossy(&v[..end]).replace('\u{fffd}', "?"))
            };
            match id {
                0 => cx.add(G, "Title", text()),
                1 => cx.add(G, "CreateDate", unix_date(le32(v, 0).unwrap_or(0))),
                2 => cx.add(G, "ModifyDate", unix_date(le32(v, 0).unwrap_or(0))),
                3 => cx.add(G, "Artist", text()),
                4 => cx.add(G, "Copyright", text()),
                5 => cx.add(G, "Description", text()),
                6 => cx.add(G, "CreatorAppID", le32(v, 0).unwrap_or(0)),
                7 => {
                    let b = v.get(..4).unwrap_or_default();
                    let s: Vec<String> = b.iter().rev().map(u8::to_string).collect();
                    cx.add(G, "CreatorAppVersion", s.join(" "));
                }
                _ => {}
            }
        }
        p = start + n as usize;
    }
}

/// PSP's EXIF field: "Exif\0\0", a TIFF header whose IFD0 offset is relative to the
/// header, but value offsets are relative to 8 bytes further on (as ExifTool reads them).
/// Re-based: the block from there on, with a header pointing at a copy of IFD0 appended.
fn psp_exif(cx: &mut Ctx, v: &[u8], off: u64) {
    let Some(tiff) = v.strip_prefix(b"Exif\0\0") else { return payload(cx, "exif", v, off) };
    let (Some(hdr), Some(rest)) = (tiff.get(..4), tiff.get(8..)) else { return };
    if rest.len() < 8 || le32(tiff, 4) != Some(8) || hdr != b"II*\0" {
        return payload(cx, "exif", tiff, off + 6);
    }
    let mut n = rest.to_vec();
    n.extend_from_slice(rest);
    n[..4].copy_from_slice(hdr);
    let at = u32::try_from(rest.len()).unwrap_or(0);
    n[4..8].copy_from_slice(&at.to_le_bytes());
    if let Err(e) = crate::meta::exif::parse_block(cx, &n, off + 14) {
        cx.warn_error(&e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{get, run};

    #[test]
    fn bpg_flif() {
        let f = [0x42, 0x50, 0x47, 0xfb, 0x40, 0x08, 0x10, 0x81, 0x00, 0x00, 0x03, 0x09, 0x01, 0x00];
        let t = run(&f, parse_bpg);
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(128)));
        assert_eq!(get(&t, "File:BitDepth"), Some(&Value::Int(8)));
        for n in 0..f.len() {
            let _ = run(&f[..n], parse_bpg);
        }
        let f = b"FLIF31\x0f\x07\0";
        let t = run(f, parse_flif);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(16)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(8)));
        assert_eq!(get(&t, "File:Encoding"), Some(&Value::Int(0)));
        let _ = run(b"FLIF31\x0f\x07eXmp\x8f\xff\xff\xff\x7f", parse_flif);
    }

    #[test]
    fn miff_xcf_psp() {
        let t = run(b"id=ImageMagick columns=8 rows=4 matte=False\n:\x1a", parse_miff);
        assert_eq!(get(&t, "MIFF:ImageHeight"), Some(&Value::Int(4)));
        assert_eq!(get(&t, "MIFF:Matte"), Some(&Value::Bool(false)));
        let mut x = b"gimp xcf file\0".to_vec();
        for v in [8u32, 4, 0, 20, 4, 2, 0, 0] {
            x.extend_from_slice(&v.to_be_bytes());
        }
        let t = run(&x, parse_xcf);
        assert_eq!(get(&t, "GIMP:ImageHeight"), Some(&Value::Int(4)));
        assert_eq!(get(&t, "GIMP:Tattoo"), Some(&Value::Int(2)));
        for n in 0..x.len() {
            let _ = run(&x[..n], parse_xcf);
        }
        let mut p = b"Paint Shop Pro Image File\n\x1a\0\0\0\0\0".to_vec();
        p.extend_from_slice(&[10, 0, 0, 0]);
        p.extend_from_slice(b"~BK\0\x01\0\x0e\0\0\0~FL\0\x00\0\x04\0\0\0Test");
        let t = run(&p, parse_psp);
        assert_eq!(get(&t, "PSP:FileVersion"), Some(&Value::Text("10 0".into())));
        assert_eq!(get(&t, "PSP:Title"), Some(&Value::Text("Test".into())));
        for n in 0..p.len() {
            let _ = run(&p[..n], parse_psp);
        }
    }
}
