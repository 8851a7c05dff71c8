//! Numbers to 15 significant digits, as composites store and print them: [`round15`]
//! (ExifTool's rounding of derived values) and [`push_g15`] (C's `%.15g`). Both take a
//! short path when its result is certain to be the general routine's, else call it.

use crate::base::number::{fmt_g, push_u64, round_sig};
use crate::base::short_text::Out;

/// Powers of ten from 1e-4 to 1e14: the decimal exponents `%.15g` prints without an
/// exponent.
const DECADES: [f64; 19] =
    [1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14];

/// Exact powers of ten, 1e0 to 1e18 (every power up to 1e22 is a double).
const SCALE: [f64; 19] =
    [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18];

/// `round_sig(x, 15)` without its `log10` and `powi` for the usual magnitudes: the decimal
/// exponent from [`DECADES`] (away from a power of ten, where `log10` can round onto the
/// integer, so the two agree) and the same multiply, round and divide by an exact power.
pub(super) fn round15(x: f64) -> f64 {
    let a = x.abs();
    if !(1e-4..1e15).contains(&a) {
        return round_sig(x, 15);
    }
    let e = DECADES.partition_point(|d| *d <= a);
    let below = e.checked_sub(1).and_then(|i| DECADES.get(i)).copied().unwrap_or(0.0);
    let above = DECADES.get(e).copied().unwrap_or(1e15);
    let (Some(scale), true) = (SCALE.get(19 - e), a > below * (1.0 + 1e-13) && a < above * (1.0 - 1e-13))
    else {
        return round_sig(x, 15);
    };
    round_large(x * scale) / scale
}

/// `v.round()` for `v` from 1e14 to 1e15 in magnitude (the scaled numbers of [`round15`]),
/// without a library call: the conversion truncates, and the part it drops (exact at this
/// size) says whether to move away from zero.
fn round_large(v: f64) -> f64 {
    let t = v as i64 as f64;
    let dropped = v - t;
    if dropped >= 0.5 {
        t + 1.0
    } else if dropped <= -0.5 {
        t - 1.0
    } else {
        t
    }
}

/// Appends `x` formatted like C's `%.15g`.
pub(super) fn push_g15(x: f64, out: &mut impl Out) {
    if !push_integer(x, out) && !push_fixed(x, out) {
        fmt_g(x, 15, out);
    }
}

/// `%.15g` of a whole number from 1 to 1e15 (exclusive) in magnitude, as image sizes are:
/// its digits, which are all significant. Returns false, writing nothing, otherwise.
fn push_integer(x: f64, out: &mut impl Out) -> bool {
    let a = x.abs();
    // Below 2^63 the conversion truncates: `a` is whole when it converts back unchanged.
    let n = a as u64;
    if !(1.0..1e15).contains(&a) || n as f64 != a {
        return false;
    }
    if x < 0.0 {
        out.push('-');
    }
    push_u64(n, out);
    true
}

/// `%.15g` of a number from 1e-4 to 1e15, which it prints without an exponent: the 15
/// significant digits are `|x| * 10^(14 - e)` rounded, `e` the decimal exponent. That
/// product is one correctly rounded multiply (the power is exact) below 2^50, so within
/// 1/16 of the exact one: when its fraction is not that close to a half, rounding it
/// gives the digits of the exact value. Returns false, writing nothing, otherwise.
fn push_fixed(x: f64, out: &mut impl Out) -> bool {
    let a = x.abs();
    if !(1e-4..1e15).contains(&a) {
        return false;
    }
    let Some(e) = DECADES.partition_point(|d| *d <= a).checked_sub(1) else { return false };
    let Some(scale) = SCALE.get(18 - e) else { return false };
    let m = a * scale;
    // Below 2^63, the conversion truncates: the floor.
    let floor = m as u64;
    let frac = m - floor as f64;
    if !(1e14..1e15).contains(&m) || (frac - 0.5).abs() <= 0.0625 {
        return false;
    }
    let n = floor + u64::from(frac > 0.5);
    if n >= 1_000_000_000_000_000 {
        // Rounded up to 1e15: the next decade, which the exact path handles.
        return false;
    }
    let digits = fifteen_digits(n);
    let mut buf = [0u8; 24];
    let mut len = 0;
    let mut put = |b: u8| {
        if let Some(slot) = buf.get_mut(len) {
            *slot = b;
            len += 1;
        }
    };
    if x < 0.0 {
        put(b'-');
    }
    // `e` counts from 1e-4: digits before the point are `e - 3` (none below 1).
    let int_len = e.saturating_sub(3);
    let (int, frac_digits) = digits.split_at(int_len);
    let frac_len = frac_digits.iter().rposition(|d| *d != b'0').map_or(0, |i| i + 1);
    if int.is_empty() {
        put(b'0');
        put(b'.');
        for _ in 0..(3 - e) {
            put(b'0');
        }
    } else {
        int.iter().for_each(|d| put(*d));
        if frac_len > 0 {
            put(b'.');
        }
    }
    frac_digits.iter().take(frac_len).for_each(|d| put(*d));
    out.push_str(std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default());
    true
}

/// The 15 decimal digits of `n` (below 1e15), zero-padded, as ASCII.
fn fifteen_digits(n: u64) -> [u8; 15] {
    let mut digits = [b'0'; 15];
    // Two halves in 32 bits, whose division by ten is cheaper.
    let (mut high, mut low) = ((n / 100_000_000) as u32, (n % 100_000_000) as u32);
    let (head, tail) = digits.split_at_mut(7);
    for d in tail.iter_mut().rev() {
        *d = b'0' + (low % 10) as u8;
        low /= 10;
    }
    for d in head.iter_mut().rev() {
        *d = b'0' + (high % 10) as u8;
        high /= 10;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::short_text::ShortText;

    /// 20,000 numbers spread over magnitudes 1e-6..1e18 and digit patterns, both signs (a
    /// fixed linear congruential sequence from `seed`).
    fn spread(mut seed: u64) -> impl Iterator<Item = f64> {
        (0..20000).map(move |_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let mantissa = (seed >> 11) as f64 / (1u64 << 53) as f64;
            let exp = ((seed >> 3) % 24) as i32 - 6;
            mantissa * 10f64.powi(exp) * if seed & 1 == 0 { 1.0 } else { -1.0 }
        })
    }

    fn both(x: f64) -> (String, String) {
        let (mut fast, mut exact) = (String::new(), String::new());
        push_g15(x, &mut fast);
        fmt_g(x, 15, &mut exact);
        (fast, exact)
    }

    #[test]
    fn round15_matches_round_sig() {
        for x in spread(0x0fed_cba9_8765_4321) {
            assert_eq!(round15(x).to_bits(), round_sig(x, 15).to_bits(), "{x:e}");
        }
        for k in -6..17 {
            let p = 10f64.powi(k);
            for x in
                [p, p * (1.0 + 1e-15), p * (1.0 - 1e-15), p * (1.0 + 2e-13), p * (1.0 - 2e-13), -p, 3.0 * p]
            {
                assert_eq!(round15(x).to_bits(), round_sig(x, 15).to_bits(), "{x:e}");
            }
        }
        for x in [0.0, -0.0, f64::NAN, f64::INFINITY, 0.3072, 5.6, 0.004, 35.5, 50.0, 1.0] {
            assert_eq!(round15(x).to_bits(), round_sig(x, 15).to_bits(), "{x:e}");
        }
    }

    #[test]
    fn round_large_is_round() {
        for v in spread(0x5555_aaaa_1234_4321).map(|x| x.abs() % 9e14 + 1e14) {
            for v in [v, -v, v.floor() + 0.5, -(v.floor() + 0.5), v.floor()] {
                assert_eq!(round_large(v).to_bits(), v.round().to_bits(), "{v:e}");
            }
        }
    }

    #[test]
    fn writes_into_a_short_text() {
        let mut s = ShortText::new();
        s.push_str("12.5");
        s.push(' ');
        push_g15(-3.0, &mut s);
        push_g15(4000.0, &mut s);
        assert_eq!(s.finish(), "12.5 -34000");
    }

    #[test]
    fn matches_fmt_g() {
        let fixed = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            4000.0,
            -3000.0,
            7.0,
            10.0,
            1e14 + 1.0,
            4503599627370497.0,
            0.5e15,
            640.0,
            480.0,
            0.3072,
            48.8583701000278,
            2.29448130008889,
            -22.9519,
            1e-4,
            9.99e-5,
            0.000123456789012345,
            1e15,
            999999999999999.0,
            999999999999999.9,
            123456789012345.6,
            0.1,
            0.5,
            1.5,
            2.5,
            1e14,
            99999999999999.95,
            1e-3 - 1e-19,
            35.5,
            1.0 / 3.0,
            2.0 / 3.0,
            f64::NAN,
            f64::INFINITY,
            1e300,
            5e-324,
        ];
        for x in fixed {
            let (fast, exact) = both(x);
            assert_eq!(fast, exact, "{x:e}");
        }
        for x in spread(0x1234_5678_9abc_def0) {
            let (fast, exact) = both(x);
            assert_eq!(fast, exact, "{x:e}");
            // Short decimals, as coordinates and sizes are.
            let short = (x * 1e4).round() / 1e4;
            let (fast, exact) = both(short);
            assert_eq!(fast, exact, "{short:e}");
        }
    }
}
