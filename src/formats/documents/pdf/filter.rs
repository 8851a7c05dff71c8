//! Stream filters: FlateDecode with PNG/TIFF predictors (ISO 32000-1 §7.4.4).
//!
//! Inflation goes through [`Ctx::inflate_whole`]: no buffer past `max_alloc`, no more than
//! `max_decompressed` in total, and a warning naming the limit when one cuts a stream.

use super::lexer::Obj;
use crate::base::inflate::{End, Wrapper};
use crate::context::Ctx;
use std::borrow::Cow;

/// Decodes a stream's data given its dictionary; `None` for unsupported filters or bad
/// data. Each inflation stops at `want` bytes and within the budgets of `cx` (a budget
/// that cuts it is named in a warning for the stream `what` at `at`); the bytes inflated
/// before the cut are decoded. Unfiltered data is given back as it came (no copy).
pub(crate) fn decode<'a>(
    cx: &mut Ctx,
    dict: &Obj,
    raw: Cow<'a, [u8]>,
    at: u64,
    want: usize,
    what: &str,
) -> Option<Cow<'a, [u8]>> {
    let filters: Vec<&Obj> = match dict.get("Filter") {
        None => Vec::new(),
        Some(Obj::Array(a)) => a.iter().collect(),
        Some(f) => vec![f],
    };
    let parms: Vec<Option<&Obj>> = match dict.get("DecodeParms") {
        Some(Obj::Array(a)) => a.iter().map(Some).collect(),
        Some(p) => vec![Some(p)],
        None => Vec::new(),
    };
    let mut data = raw;
    for (i, f) in filters.iter().enumerate() {
        if !(f.is_name("FlateDecode") || f.is_name("Fl")) {
            return None;
        }
        let inflated = inflate_zlib(cx, &data, at, want, what)?;
        // The input is dropped before the predictor makes its own buffer.
        data = Cow::Owned(inflated);
        if let Some(Some(p)) = parms.get(i) {
            data = Cow::Owned(unpredict(p, data.into_owned())?);
        }
    }
    Some(data)
}

/// zlib through [`Ctx::inflate_whole`], tolerant of a stream cut short (what inflated
/// is kept); failing that (bad data or checksum, no zlib header), raw deflate.
fn inflate_zlib(cx: &mut Ctx, raw: &[u8], at: u64, want: usize, what: &str) -> Option<Vec<u8>> {
    let (z, input_ended) = cx.inflate_whole(raw, Wrapper::Zlib, at, want, what);
    if z.end != End::Broken || (input_ended && !z.data.is_empty()) {
        return Some(z.data);
    }
    let (d, _) = cx.inflate_whole(raw, Wrapper::Raw, at, want, what);
    (d.end != End::Broken).then_some(d.data)
}

/// Undoes a predictor (`/Predictor 2` TIFF, `>= 10` PNG).
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
fn unpredict(parms: &Obj, data: Vec<u8>) -> Option<Vec<u8>> {
    let predictor = parms.get("Predictor").and_then(Obj::as_int).unwrap_or(1);
    if predictor < 2 {
        return Some(data);
    }
    let colors = parms.get("Colors").and_then(Obj::as_int).unwrap_or(1).clamp(1, 32) as usize;
    let bpc = parms.get("BitsPerComponent").and_then(Obj::as_int).unwrap_or(8).clamp(1, 16) as usize;
    let columns = parms.get("Columns").and_then(Obj::as_int).unwrap_or(1).clamp(1, 1 << 20) as usize;
    let bpp = (colors * bpc).div_ceil(8).max(1);
    // A row longer than the data decodes as one row of the data's length (bytes past the
    // data never reach the output): no buffer of a length the file states.
    let row = (colors * bpc * columns).div_ceil(8).min(data.len().max(1));
    if predictor == 2 {
        if bpc != 8 {
            return None;
        }
        let mut out = data;
        for line in out.chunks_mut(row) {
            for i in bpp..line.len() {
                let left = line.get(i - bpp).copied().unwrap_or(0);
                if let Some(x) = line.get_mut(i) {
                    *x = x.wrapping_add(left);
                }
            }
        }
        return Some(out);
    }
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (&ft, line) = chunk.split_first()?;
        let mut cur = line.to_vec();
        cur.resize(row, 0);
        for i in 0..row {
            // Left (a), up (b) and up-left (c) bytes; 0 outside the row.
            let left = |r: &[u8]| i.checked_sub(bpp).and_then(|j| r.get(j)).copied().unwrap_or(0);
            let (a, b, c) = (left(&cur), prev.get(i).copied().unwrap_or(0), left(&prev));
            let add = match ft {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => paeth(a, b, c),
                _ => return None,
            };
            if let Some(x) = cur.get_mut(i) {
                *x = x.wrapping_add(add);
            }
        }
        out.extend_from_slice(cur.get(..line.len().min(row)).unwrap_or_default());
        prev = cur;
    }
    Some(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::documents::pdf::lexer::Lexer;

    #[test]
    fn flate_with_png_up_predictor() {
        // Two rows of 3 columns, "Up" filter: second row adds to the first.
        let rows = [2u8, 1, 2, 3, 2, 1, 1, 1];
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&rows, 6);
        let d = Lexer::new(b"<</Filter/FlateDecode/DecodeParms<</Predictor 12/Columns 3>>>>", 0)
            .object(0)
            .unwrap();
        let opts = crate::options::Options::default();
        let empty: &[u8] = &[];
        let mut cx = Ctx::new(&empty, &opts);
        let out = decode(&mut cx, &d, Cow::Owned(z), 0, 1000, "stream").unwrap();
        assert_eq!(*out, [1, 2, 3, 2, 3, 4]);
        let none = Lexer::new(b"<</Filter/DCTDecode>>", 0).object(0).unwrap();
        assert!(decode(&mut cx, &none, Cow::Owned(vec![1]), 0, 10, "stream").is_none());
        // A row far longer than the data: one short row, no large buffer.
        let wide = Lexer::new(b"<</Predictor 12/Columns 1048576/Colors 32/BitsPerComponent 16>>", 0)
            .object(0)
            .unwrap();
        assert_eq!(unpredict(&wide, vec![2, 1, 2, 3]), Some(vec![1, 2, 3]));
    }

    #[test]
    fn a_bomb_is_cut_at_max_alloc_with_a_warning() {
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; 4 << 20], 6);
        let d = Lexer::new(b"<</Filter/FlateDecode>>", 0).object(0).unwrap();
        let limits = crate::options::Limits::default().with_max_alloc(64 << 10);
        let opts = crate::options::Options::default().with_limits(limits);
        let empty: &[u8] = &[];
        let mut cx = Ctx::new(&empty, &opts);
        let out = decode(&mut cx, &d, Cow::Borrowed(&z), 0x40, usize::MAX, "pdf: stream 3").unwrap();
        assert_eq!(out.len(), 64 << 10);
        assert_eq!(cx.warnings.len(), 1);
        assert_eq!(cx.warnings[0].offset, Some(0x40));
        assert!(cx.warnings[0].message.contains("max_alloc"), "{}", cx.warnings[0].message);
        // Raw deflate (no zlib header) still decodes.
        let raw = miniz_oxide::deflate::compress_to_vec(b"hello hello hello", 6);
        let out = decode(&mut cx, &d, Cow::Owned(raw), 0, usize::MAX, "stream").unwrap();
        assert_eq!(&*out, b"hello hello hello");
    }
}
