//! BMP (Windows and OS/2 device-independent bitmap): the 14-byte file header, then the
//! info header (BITMAPINFOHEADER and its later versions, read by the reader AVI shares in
//! `crate::meta::bitmap_info`).

use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Offset of the info header (after the file header).
const INFO_AT: u64 = 14;
/// Longest info header (BITMAPV5HEADER).
const MAX_INFO: u64 = 124;

/// Reads a BMP file: 14-byte file header, then the info header.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(INFO_AT, MAX_INFO)?;
    let dims = crate::meta::bitmap_info::parse(cx, &d, INFO_AT)
        .ok_or_else(|| Error::malformed(INFO_AT, "truncated BMP header"))?;
    cx.fact(Fact::ImageSize(dims.0, dims.1));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn info_header_v3() {
        let mut d = b"BM".to_vec();
        d.extend_from_slice(&[0; 12]);
        d.extend_from_slice(&40u32.to_le_bytes());
        d.extend_from_slice(&8u32.to_le_bytes());
        d.extend_from_slice(&(-6i32).to_le_bytes());
        d.extend_from_slice(&1u16.to_le_bytes());
        d.extend_from_slice(&24u16.to_le_bytes());
        d.extend_from_slice(&[0; 24]);
        let t = run(&d, parse);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(8)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(6)));
        assert_eq!(get(&t, "File:BitDepth"), Some(&Value::Int(24)));
        for n in 0..d.len() {
            let _ = run(&d[..n], parse);
        }
    }
}
