//! Photoshop documents (PSD, and PSB with 64-bit section lengths): the file header, the
//! image resources section (handed to the shared Photoshop parser), the layer records'
//! basic facts, and the image data compression. Pixel data is never read.

use crate::base::bytes::{be_i16, be_i32, be16, be32, be64};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{Tag, Value};

/// Most bytes of layer records read (the records precede the channel image data).
const MAX_LAYER_RECORDS: u64 = 1 << 20;
/// Most layers described.
const MAX_LAYERS: usize = 4096;

fn add(cx: &mut Ctx, name: &'static str, value: impl Into<Value>) {
    cx.push(Tag::new("Photoshop", name, value).in_subgroup("Photoshop"));
}

/// A section length at `at`: 64 bits in a PSB (when `wide`), else 32.
fn read_length(cx: &mut Ctx, at: u64, wide: bool) -> Result<u64> {
    Ok(if wide {
        be64(&cx.read_array::<8>(at)?, 0).unwrap_or_default()
    } else {
        u64::from(be32(&cx.read_array::<4>(at)?, 0).unwrap_or_default())
    })
}

/// Reads the metadata of a PSD/PSB file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let h: [u8; 26] = cx.read_array(0)?;
    if !h.starts_with(b"8BPS") {
        return Err(Error::malformed(0, "psd: missing 8BPS signature"));
    }
    let psb = be16(&h, 4) == Some(2);
    add(cx, "NumChannels", be16(&h, 12).unwrap_or(0));
    add(cx, "ImageHeight", be32(&h, 14).unwrap_or(0));
    add(cx, "ImageWidth", be32(&h, 18).unwrap_or(0));
    add(cx, "BitDepth", be16(&h, 22).unwrap_or(0));
    add(cx, "ColorMode", be16(&h, 24).unwrap_or(0));

    // Color mode data: skipped.
    let cm_len = read_length(cx, 26, false)?;
    let ir_at =
        30u64.checked_add(cm_len).ok_or_else(|| Error::malformed(26, "psd: bad color mode length"))?;
    // Image resources.
    let ir_len = read_length(cx, ir_at, false)?;
    let ir_data_at = ir_at + 4;
    match cx.read(ir_data_at, ir_len) {
        Ok(data) => crate::meta::photoshop::parse_irb(cx, &data, ir_data_at)?,
        Err(e) => {
            cx.warn_error(&e);
            return Ok(());
        }
    }
    // Layer and mask information.
    let lm_at = ir_data_at + ir_len;
    let lm_len = read_length(cx, lm_at, psb)?;
    let lm_body = lm_at + if psb { 8 } else { 4 };
    if lm_len > 0 {
        if let Err(e) = layers(cx, lm_body, psb) {
            cx.warn_error(&e);
        }
    }
    // Image data: compression method.
    if let Some(img_at) = lm_body.checked_add(lm_len) {
        if let Ok(c) = cx.read_array::<2>(img_at) {
            add(cx, "Compression", be16(&c, 0).unwrap_or_default());
        }
    }
    photomechanic_trailer(cx);
    Ok(())
}

/// Photo Mechanic's trailer at the end of the file: IPTC datasets, u32 size, "cbipcbbl".
fn photomechanic_trailer(cx: &mut Ctx) {
    let len = cx.len();
    let Some(tail_at) = len.checked_sub(12) else { return };
    let Ok(tail) = cx.read_array::<12>(tail_at) else { return };
    if tail.get(4..) != Some(&b"cbipcbbl"[..]) {
        return;
    }
    let size = u64::from(be32(&tail, 0).unwrap_or_default());
    let Some(at) = tail_at.checked_sub(size) else { return };
    match cx.read(at, size) {
        Ok(d) => crate::meta::iptc::parse_photomechanic(cx, &d),
        Err(e) => cx.warn_error(&e),
    }
}

/// Per-layer facts gathered from the layer records.
#[derive(Default)]
struct Layers {
    rects: Vec<Value>,
    blend: Vec<Value>,
    opacity: Vec<Value>,
    visible: Vec<Value>,
    names: Vec<Value>,
}

/// The layer info: layer count and the layer records (never the channel data).
fn layers(cx: &mut Ctx, at: u64, psb: bool) -> Result<()> {
    let li_len = read_length(cx, at, psb)?;
    let body = at + if psb { 8 } else { 4 };
    if li_len < 2 {
        add(cx, "LayerCount", 0);
        return Ok(());
    }
    let d = cx.read_up_to(body, li_len.min(MAX_LAYER_RECORDS).min(cx.opts.limits.max_alloc as u64))?;
    // Negative when the first alpha channel holds the merged result's transparency.
    let count = be_i16(&d, 0).map_or(0, i16::unsigned_abs);
    add(cx, "LayerCount", count);
    let mut out = Layers::default();
    let mut pos = 2usize;
    let chan_size = if psb { 10 } else { 6 };
    for _ in 0..usize::from(count).min(MAX_LAYERS) {
        let Some(next) = record(&d, pos, chan_size, &mut out) else {
            cx.warn(body + pos as u64, "psd: truncated layer record");
            break;
        };
        pos = next;
    }
    let emit = |cx: &mut Ctx, name: &'static str, v: Vec<Value>| {
        if !v.is_empty() {
            let value =
                if v.len() == 1 { v.into_iter().next().unwrap_or(Value::Int(0)) } else { Value::List(v) };
            add(cx, name, value);
        }
    };
    emit(cx, "LayerRectangles", out.rects);
    emit(cx, "LayerBlendModes", out.blend);
    emit(cx, "LayerOpacities", out.opacity);
    emit(cx, "LayerVisible", out.visible);
    emit(cx, "LayerNames", out.names);
    Ok(())
}

/// Reads one layer record at `pos`; returns the offset of the next.
fn record(d: &[u8], pos: usize, chan_size: usize, out: &mut Layers) -> Option<usize> {
    let rect: Vec<String> =
        (0..4).map(|i| be_i32(d, pos + 4 * i).map(|v| v.to_string())).collect::<Option<_>>()?;
    let channels = usize::from(be16(d, pos + 16)?);
    let mut p = pos + 18 + channels.checked_mul(chan_size)?;
    let blend = d.get(p + 4..p + 8)?;
    let opacity = *d.get(p + 8)?;
    let flags = *d.get(p + 10)?;
    let extra = usize::try_from(be32(d, p + 12)?).ok()?;
    p += 16;
    let end = p.checked_add(extra)?;
    // Extra data: layer mask data, blending ranges, then the Pascal name (padded to 4).
    let mask = usize::try_from(be32(d, p)?).ok()?;
    let ranges_at = p.checked_add(4 + mask)?;
    let ranges = usize::try_from(be32(d, ranges_at)?).ok()?;
    let name_at = ranges_at.checked_add(4 + ranges)?;
    let name_len = usize::from(*d.get(name_at)?);
    let name = d.get(name_at + 1..name_at + 1 + name_len)?;
    out.rects.push(Value::from(rect.join(" ")));
    out.blend.push(Value::from(String::from_utf8_lossy(blend).into_owned()));
    out.opacity.push(Value::Int(i64::from(opacity) * 100 / 255));
    out.visible.push(Value::Int(i64::from((flags >> 1) & 1)));
    out.names.push(Value::from(name.iter().map(|&b| char::from(b)).collect::<String>()));
    Some(end)
}
