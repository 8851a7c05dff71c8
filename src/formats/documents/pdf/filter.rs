//! Stream filters: FlateDecode with PNG/TIFF predictors (ISO 32000-1 §7.4.4).

use super::lexer::Obj;

/// Decodes a stream's data given its dictionary; `None` for unsupported filters or bad
/// data. Output is capped at `max` bytes.
pub(crate) fn decode(dict: &Obj, raw: Vec<u8>, max: usize) -> Option<Vec<u8>> {
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
        data = inflate_zlib(&data, max)?;
        if let Some(Some(p)) = parms.get(i) {
            data = unpredict(p, data)?;
        }
    }
    Some(data)
}

/// zlib (or, failing that, raw deflate) with an output cap; tolerant of a missing
/// checksum at the end.
fn inflate_zlib(raw: &[u8], max: usize) -> Option<Vec<u8>> {
    use miniz_oxide::inflate::{TINFLStatus, decompress_to_vec_zlib_with_limit};
    match decompress_to_vec_zlib_with_limit(raw, max) {
        Ok(v) => Some(v),
        Err(e) if e.status == TINFLStatus::FailedCannotMakeProgress && !e.output.is_empty() => Some(e.output),
        Err(_) => miniz_oxide::inflate::decompress_to_vec_with_limit(raw, max).ok(),
    }
}

/// Undoes a predictor (`/Predictor 2` TIFF, `>= 10` PNG).
fn unpredict(parms: &Obj, data: Vec<u8>) -> Option<Vec<u8>> {
    let predictor = parms.get("Predictor").and_then(Obj::as_int).unwrap_or(1);
    if predictor < 2 {
        return Some(data);
    }
    let colors = parms.get("Colors").and_then(Obj::as_int).unwrap_or(1).clamp(1, 32) as usize;
    let bpc = parms.get("BitsPerComponent").and_then(Obj::as_int).unwrap_or(8).clamp(1, 16) as usize;
    let columns = parms.get("Columns").and_then(Obj::as_int).unwrap_or(1).clamp(1, 1 << 20) as usize;
    let bpp = (colors * bpc).div_ceil(8).max(1);
    let row = (colors * bpc * columns).div_ceil(8);
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
        assert_eq!(decode(&d, z, 1000).unwrap(), vec![1, 2, 3, 2, 3, 4]);
        let none = Lexer::new(b"<</Filter/DCTDecode>>", 0).object(0).unwrap();
        assert!(decode(&none, vec![1], 10).is_none());
    }
}
