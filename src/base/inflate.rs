//! Deflate streams (zlib-wrapped or raw) inflated into a buffer that never grows past a
//! cap: the output stops at exactly `cap` bytes, so a small compressed input cannot make
//! a large allocation (a deflate bomb), and the caller learns whether more was there.

use miniz_oxide::inflate::stream::{InflateState, inflate as inflate_step};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// How the deflate data is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wrapper {
    /// A zlib header and Adler-32 trailer (PNG, PDF `FlateDecode`).
    Zlib,
    /// Bare deflate (ZIP entries, FLIF).
    Raw,
}

/// How an inflation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// The stream ended within the cap: the output is all of it.
    Complete,
    /// The output reached the cap with more to come: it is the first `cap` bytes.
    Capped,
    /// The data is corrupt, or the input ended before the stream did: the output is what
    /// inflated before that.
    Broken,
}

/// The output of [`inflate`] and how the stream ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inflated {
    /// The inflated bytes, at most the cap.
    pub data: Vec<u8>,
    /// Why inflation stopped.
    pub end: End,
}

/// First output buffer for an input of `len` bytes: text compresses a few times, so four
/// times the input covers most streams in one step.
fn first_size(len: usize, cap: usize) -> usize {
    len.saturating_mul(4).clamp(256, 64 << 10).min(cap)
}

/// Grows the output buffer of an inflation of `input_len` bytes: first to a guess, then
/// by doubling, never past `cap` (and with no spare capacity beyond it).
#[allow(clippy::disallowed_methods)] // grows to at most the cap the caller gives
fn grow(out: &mut Vec<u8>, input_len: usize, cap: usize) {
    let grown =
        if out.is_empty() { first_size(input_len, cap) } else { out.len().saturating_mul(2).min(cap) };
    out.reserve_exact(grown.saturating_sub(out.len()));
    out.resize(grown, 0);
}

/// Inflates `input` into at most `cap` bytes. The buffer grows by doubling but never
/// past `cap`, so no allocation is larger than the cap.
pub(crate) fn inflate(input: &[u8], wrapper: Wrapper, cap: usize) -> Inflated {
    let format = match wrapper {
        Wrapper::Zlib => DataFormat::Zlib,
        Wrapper::Raw => DataFormat::Raw,
    };
    let mut state = InflateState::new_boxed(format);
    let mut out: Vec<u8> = Vec::new();
    let mut written = 0;
    let mut rest = input;
    loop {
        if written == out.len() {
            if out.len() >= cap {
                return Inflated { data: out, end: past_cap(&mut state, rest) };
            }
            grow(&mut out, input.len(), cap);
        }
        let step = inflate_step(&mut state, rest, out.get_mut(written..).unwrap_or_default(), MZFlush::None);
        written += step.bytes_written;
        rest = rest.get(step.bytes_consumed..).unwrap_or_default();
        let end = match step.status {
            Ok(MZStatus::StreamEnd) => Some(End::Complete),
            Ok(_) if step.bytes_written == 0 && step.bytes_consumed == 0 => Some(End::Broken),
            Ok(_) => None,
            // No progress: the output is full (grow and go on) or the input ran out.
            Err(MZError::Buf) if written == out.len() => None,
            Err(_) => Some(End::Broken),
        };
        if let Some(end) = end {
            out.truncate(written);
            return Inflated { data: out, end };
        }
    }
}

/// Whether a stream whose output filled the cap had more: one more byte of room tells.
fn past_cap(state: &mut InflateState, rest: &[u8]) -> End {
    let mut probe = [0u8; 1];
    let step = inflate_step(state, rest, &mut probe, MZFlush::None);
    match step.status {
        Ok(MZStatus::StreamEnd) if step.bytes_written == 0 => End::Complete,
        _ if step.bytes_written > 0 => End::Capped,
        Ok(_) | Err(MZError::Buf) => End::Broken,
        Err(_) => End::Broken,
    }
}

/// Like [`inflate`], but with the whole output in one buffer while inflating (as
/// `miniz_oxide::inflate::decompress_to_vec` keeps it), so that a back-reference to
/// before the start of the output is found corrupt: the streaming inflater of [`inflate`]
/// reads such a reference out of its zeroed window and goes on, so that damaged data
/// inflates to text with NULs in it. The buffer still never grows past `cap`. With the
/// output, whether a broken stream broke because its input ended (`true`) rather than on
/// corrupt data or a bad checksum.
pub(crate) fn inflate_whole(input: &[u8], wrapper: Wrapper, cap: usize) -> (Inflated, bool) {
    use miniz_oxide::inflate::TINFLStatus;
    use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
    let mut flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    if wrapper == Wrapper::Zlib {
        flags |= inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER | inflate_flags::TINFL_FLAG_COMPUTE_ADLER32;
    }
    let mut state = Box::<DecompressorOxide>::default();
    let mut out: Vec<u8> = Vec::new();
    let mut written = 0;
    let mut rest = input;
    loop {
        let (status, consumed, produced) = decompress(&mut state, rest, &mut out, written, flags);
        written += produced;
        rest = rest.get(consumed..).unwrap_or_default();
        let end = match status {
            TINFLStatus::Done => End::Complete,
            TINFLStatus::HasMoreOutput if out.len() < cap => {
                grow(&mut out, input.len(), cap);
                continue;
            }
            // Full at the cap: a call without room still reaches the end of a stream that
            // has no more output, and makes no progress when it has.
            TINFLStatus::HasMoreOutput if consumed > 0 || produced > 0 => continue,
            TINFLStatus::HasMoreOutput => End::Capped,
            TINFLStatus::FailedCannotMakeProgress => {
                out.truncate(written);
                return (Inflated { data: out, end: End::Broken }, true);
            }
            _ => End::Broken,
        };
        out.truncate(written);
        return (Inflated { data: out, end }, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miniz_oxide::deflate::{compress_to_vec, compress_to_vec_zlib};

    #[test]
    fn inflates_within_the_cap_exactly() {
        let text: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let z = compress_to_vec_zlib(&text, 6);
        let all = inflate(&z, Wrapper::Zlib, 1 << 20);
        assert_eq!((all.end, all.data.len()), (End::Complete, text.len()));
        assert_eq!(all.data, text);
        let exact = inflate(&z, Wrapper::Zlib, text.len());
        assert_eq!((exact.end, exact.data.len()), (End::Complete, text.len()));
        let cut = inflate(&z, Wrapper::Zlib, 1000);
        assert_eq!(cut.end, End::Capped);
        assert_eq!(cut.data, &text[..1000]);
        assert!(cut.data.capacity() <= 1000);
        let raw = compress_to_vec(&text, 6);
        assert_eq!(inflate(&raw, Wrapper::Raw, 1 << 20).data, text);
    }

    #[test]
    fn a_bomb_allocates_no_more_than_the_cap() {
        let zeros = vec![0u8; 64 << 20];
        let z = compress_to_vec_zlib(&zeros, 9);
        assert!(z.len() < 100_000);
        let out = inflate(&z, Wrapper::Zlib, 256 << 10);
        assert_eq!((out.end, out.data.len()), (End::Capped, 256 << 10));
        assert!(out.data.capacity() <= 256 << 10);
    }

    #[test]
    fn broken_streams_keep_what_inflated() {
        let text = b"hello hello hello hello world".repeat(50);
        let z = compress_to_vec_zlib(&text, 6);
        let short = inflate(&z[..z.len() / 2], Wrapper::Zlib, 1 << 20);
        assert_eq!(short.end, End::Broken);
        assert!(text.starts_with(&short.data));
        assert_eq!(inflate(b"\x78\x9c\xff\xff\xff", Wrapper::Zlib, 1 << 20).end, End::Broken);
        assert_eq!(inflate(b"", Wrapper::Zlib, 1 << 20).end, End::Broken);
        assert_eq!(inflate(&z, Wrapper::Zlib, 0).end, End::Capped);
    }

    #[test]
    fn whole_inflation_is_inflate_and_finds_references_before_the_start() {
        let text: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let z = compress_to_vec_zlib(&text, 6);
        for cap in [0, 1, 1000, text.len() - 1, text.len(), text.len() + 1, 1 << 20] {
            let (whole, ended) = inflate_whole(&z, Wrapper::Zlib, cap);
            assert_eq!(whole, inflate(&z, Wrapper::Zlib, cap), "{cap}");
            assert!(!ended && whole.data.capacity() <= cap.max(256));
        }
        let raw = compress_to_vec(&text, 6);
        assert_eq!(inflate_whole(&raw, Wrapper::Raw, 1 << 20).0.data, text);
        let (short, ended) = inflate_whole(&z[..z.len() / 2], Wrapper::Zlib, 1 << 20);
        assert_eq!((short.end, ended), (End::Broken, true));
        assert!(text.starts_with(&short.data) && !short.data.is_empty());
        let mut bad_sum = z.clone();
        *bad_sum.last_mut().unwrap() ^= 1;
        assert_eq!(
            inflate_whole(&bad_sum, Wrapper::Zlib, 1 << 20),
            (Inflated { data: text, end: End::Broken }, false)
        );
        // A fixed-Huffman block: literal 'a', then a match of length 3 at distance 2.
        let far = [0x4b, 0x04, 0x42, 0x00];
        assert_eq!(inflate(&far, Wrapper::Raw, 100).end, End::Complete);
        assert_eq!(inflate_whole(&far, Wrapper::Raw, 100).0.end, End::Broken);
    }
}
