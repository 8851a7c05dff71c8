//! Numbers printed as ExifTool prints them: `%.{sig}g` (`%.10g` for rationals, `%.15g`
//! for computed values) without going through `format!`, and rounding to significant
//! digits.

use crate::base::short_text::Out;

/// Rounds `x` to `sig` significant digits (as `%.{sig}g` would print it).
pub(crate) fn round_sig(x: f64, sig: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let mag = decimal_exponent(x.abs());
    let p = sig - 1 - mag;
    if !(-300..=300).contains(&p) {
        return x;
    }
    let scale = match pow10(p) {
        Some(scale) => scale,
        None => powi10(p),
    };
    let r = (x * scale).round() / scale;
    if r.is_finite() { r } else { x }
}

/// The powers of ten 1e-22 ..= 1e22 (the range where each one is the correctly rounded
/// double, equal to what `10f64.powi` computes).
const POW10: [f64; 45] = [
    1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9, 1e-8,
    1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `10^p` from the table, when `p` is in its range.
fn pow10(p: i32) -> Option<f64> {
    usize::try_from(p + 22).ok().and_then(|i| POW10.get(i)).copied()
}

/// `10f64.powi(p)`, out of line: inlined, the optimizer may compute it even when the
/// table has the answer.
#[cold]
#[inline(never)]
fn powi10(p: i32) -> f64 {
    10f64.powi(p)
}

/// `floor(log10(a))` for a finite `a > 0`, exactly as `a.log10().floor()` gives it, but
/// without calling `log10` when `a` lies clearly between two tabled powers of ten.
fn decimal_exponent(a: f64) -> i32 {
    // Away from the powers of ten by this relative margin, `log10` (accurate to an ulp)
    // cannot round across an integer.
    const MARGIN: f64 = 1e-9;
    let binary = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    // floor(binary * log10(2)): the answer or one less.
    let estimate = (binary * 78913) >> 18;
    for k in [estimate, estimate + 1] {
        if let (Some(lo), Some(hi)) = (pow10(k), pow10(k + 1)) {
            if a >= lo * (1.0 + MARGIN) && a < hi * (1.0 - MARGIN) {
                return k;
            }
        }
    }
    a.log10().floor() as i32
}

/// Appends `x` formatted like C's `%.{sig}g` (Perl's number formatting).
pub(crate) fn fmt_g(x: f64, sig: usize, out: &mut impl Out) {
    if x == 0.0 {
        out.push('0');
        return;
    }
    if !x.is_finite() {
        out.push_str(if x.is_nan() {
            "nan"
        } else if x > 0.0 {
            "inf"
        } else {
            "-inf"
        });
        return;
    }
    let sig = sig.clamp(1, 17);
    if sig <= 15 && push_int(x, sig, out) {
        return;
    }
    if sig <= 15 && fmt_g_fast(x, sig, out) {
        return;
    }
    let e = format!("{:.*e}", sig - 1, x);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= sig as i32 {
        let m = trim_zeros(mant);
        let _ = write!(out, "{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    } else {
        let decimals = (sig as i32 - 1 - exp).max(0) as usize;
        let f = format!("{x:.decimals$}");
        out.push_str(trim_zeros(&f));
    }
}

/// `%.{sig}g` of a whole number with at most `sig` digits: its plain decimal digits.
/// Returns false (writing nothing) for other values.
fn push_int(x: f64, sig: usize, out: &mut impl Out) -> bool {
    let limit = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    let Some(&max) = limit.get(sig) else { return false };
    if x.fract() != 0.0 || x.abs() >= max {
        return false;
    }
    // Below 1e15 the value converts to an integer exactly.
    push_i64(x as i64, out);
    true
}

/// Appends `n` in decimal (as `{n}` prints it), without the formatting machinery.
pub(crate) fn push_i64(n: i64, out: &mut impl Out) {
    if n < 0 {
        out.push('-');
    }
    push_u64(n.unsigned_abs(), out);
}

/// Appends `v` in decimal.
pub(crate) fn push_u64(mut v: u64, out: &mut impl Out) {
    if v < 10 {
        out.push(char::from(b'0' + v as u8));
        return;
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while v > 0 && i > 0 {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out.push_digits(buf.get(i..).unwrap_or_default());
}

/// `%.{sig}g` (`sig <= 15`) of a normal `x` without the exact formatting: the digits by
/// one scaling ([`Digits::scaled`]), else from the shortest round-trip digits
/// ([`Digits::rounded`]). Returns false (writing nothing) when the exact path is needed:
/// for zero, subnormal and non-finite values, and when neither route is certain.
fn fmt_g_fast(x: f64, sig: usize, out: &mut impl Out) -> bool {
    if !x.is_normal() {
        return false;
    }
    let a = x.abs();
    let digits = match Digits::scaled(a, sig) {
        Some(d) => d,
        None => match Digits::shortest(a).and_then(|d| if d.len <= sig { Some(d) } else { d.rounded(sig) }) {
            Some(d) => d,
            None => return false,
        },
    };
    digits.layout(x < 0.0, sig, out);
    true
}

/// Significant decimal digits of a number (ASCII, no trailing zeros, at most 17) and the
/// decimal exponent of the first one.
///
/// The shortest round-trip digits `S` of a normal double `X` (what `{:e}` prints) lie
/// within half an ulp of it, at most `2^-53 * X`. Rounding to `sig` significant digits is
/// a step function of the value whose steps are the rounding midpoints, so rounding `S`
/// gives the digits `%.{sig}g` gets from the exact `X` unless a midpoint lies between
/// them. [`Digits::rounded`] checks that none can.
#[derive(Clone, Copy)]
struct Digits {
    ascii: [u8; 17],
    len: usize,
    exp: i32,
}

impl Digits {
    /// The `sig` digits of `n` (below `10^sig`, or equal to it after a carry, which moves
    /// to the next decade), the first at decimal exponent `exp`, trailing zeros dropped.
    fn of(mut n: u64, sig: u32, mut exp: i32) -> Option<Digits> {
        if n == 10u64.checked_pow(sig)? {
            n /= 10;
            exp += 1;
        }
        let len = usize::try_from(sig).ok()?;
        let mut digits = Digits { ascii: [b'0'; 17], len, exp };
        for d in digits.ascii.get_mut(..len)?.iter_mut().rev() {
            *d = b'0' + (n % 10) as u8;
            n /= 10;
        }
        while digits.len > 1 && digits.ascii.get(digits.len - 1) == Some(&b'0') {
            digits.len -= 1;
        }
        Some(digits)
    }

    /// `a` (finite, > 0) rounded to `sig` (`1..=15`) significant digits from one multiply
    /// or divide by an exact power of ten (at most 1e22): `m = a * 10^(sig-1-e)`, `e` the
    /// decimal exponent, lies in `[10^(sig-1), 10^sig)`, below 2^50. Rounding to a double
    /// is monotone and every half-integer below 2^52 is a double, so a computed `m` above
    /// (below) a half-integer means the exact product is above (below) it too: rounding
    /// `m` gives the digits of the exact value unless `m` is exactly on a half. `None`
    /// then, when the power is not tabled, or when `e` was off by one (`m` out of range).
    fn scaled(a: f64, sig: usize) -> Option<Digits> {
        let sig32 = u32::try_from(sig).ok().filter(|s| (1..=15).contains(s))?;
        let exp = decimal_exponent(a);
        let k = sig32 as i32 - 1 - exp;
        let m = if k >= 0 { a * pow10(k)? } else { a / pow10(-k)? };
        let low = 10u64.pow(sig32 - 1) as f64;
        if !(low..low * 10.0).contains(&m) {
            return None;
        }
        // In range the conversion truncates: the floor.
        let floor = m as u64;
        let frac = m - floor as f64;
        if frac == 0.5 {
            return None;
        }
        Digits::of(floor + u64::from(frac > 0.5), sig32, exp)
    }

    /// The shortest round-trip digits of a finite `a > 0`.
    fn shortest(a: f64) -> Option<Digits> {
        use std::fmt::Write;
        let mut buf = ShortBuf::default();
        write!(buf, "{a:e}").ok()?;
        let (mant, exp) = buf.as_str()?.split_once('e')?;
        let exp = exp.parse::<i32>().ok()?;
        let mut digits = Digits { ascii: [b'0'; 17], len: 0, exp };
        for b in mant.bytes().filter(|b| *b != b'.') {
            *digits.ascii.get_mut(digits.len)? = b;
            digits.len += 1;
        }
        Some(digits)
    }

    /// The digits rounded half-up to `sig` (`1..=15`) significant digits, when that is
    /// certainly what rounding the exact value gives; `None` otherwise.
    ///
    /// In units of the 17th significant digit (`10^(exp-16)`), the padded digits are
    /// `n = S`, and `|S - X| <= 2^-53 * X < n / 2^53 + 1` (as `2^-53 * n` is below 12).
    /// The midpoint of the `sig`-digit step holding `S` is at tail `5 * 10^(16-sig)`; a
    /// tail further than that bound from it leaves `X` on the same side. The other steps'
    /// midpoints are further: the next decade starts past the last step of this one, and
    /// the decade below ends in a half-step of at least 5 units, while `X`, when below
    /// `10^exp <= S`, is within `2^-53 * 10^exp` (about 1.1 units) of it.
    fn rounded(&self, sig: usize) -> Option<Digits> {
        let sig32 = u32::try_from(sig).ok().filter(|s| (1..=15).contains(s))?;
        let n = self.ascii.iter().fold(0u64, |n, d| n * 10 + u64::from(d.wrapping_sub(b'0')));
        let step = 10u64.pow(17 - sig32);
        let (head, tail) = (n / step, n % step);
        let half = step / 2;
        if tail.abs_diff(half) <= (n >> 53) + 1 {
            return None;
        }
        Digits::of(head + u64::from(tail > half), sig32, self.exp)
    }

    /// Appends the digits laid out as `%.{sig}g` does (they are at most `sig` and carry
    /// no trailing zeros): with an exponent below 1e-4 or from `10^sig`, else plainly.
    fn layout(&self, negative: bool, sig: usize, out: &mut impl Out) {
        let digits = self.ascii.get(..self.len).unwrap_or_default();
        let exp = self.exp;
        let mut text = ShortBuf::default();
        if negative {
            text.put(b"-");
        }
        if exp < -4 || exp >= sig as i32 {
            let (first, rest) = digits.split_at(digits.len().min(1));
            text.put(first);
            if !rest.is_empty() {
                text.put(b".");
                text.put(rest);
            }
            text.put(if exp < 0 { b"e-" } else { b"e+" });
            let e = exp.unsigned_abs();
            if e >= 100 {
                text.put(&[b'0' + (e / 100 % 10) as u8]);
            }
            text.put(&[b'0' + (e / 10 % 10) as u8, b'0' + (e % 10) as u8]);
        } else if let Ok(e) = usize::try_from(exp) {
            // Integer part: the digits up to the exponent, zero-padded.
            let int_len = e + 1;
            let (int, frac) = digits.split_at(int_len.min(digits.len()));
            text.put(int);
            for _ in digits.len()..int_len {
                text.put(b"0");
            }
            if !frac.is_empty() {
                text.put(b".");
                text.put(frac);
            }
        } else {
            text.put(b"0.");
            for _ in 0..(-exp - 1) {
                text.put(b"0");
            }
            text.put(digits);
        }
        out.push_str(text.as_str().unwrap_or_default());
    }
}

/// A stack buffer for one formatted float (`{:e}` of an f64 is at most ~24 bytes).
#[derive(Default)]
struct ShortBuf {
    buf: [u8; 32],
    len: usize,
}

impl ShortBuf {
    fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self.buf.get(..self.len)?).ok()
    }

    /// Appends `bytes`, or nothing when they do not fit.
    fn put(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(slot) = self.buf.get_mut(self.len..end) {
            slot.copy_from_slice(bytes);
            self.len = end;
        }
    }
}

impl std::fmt::Write for ShortBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(std::fmt::Error)?;
        self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { s }
}

/// `x` as `%.{sig}g` text.
pub(crate) fn g(x: f64, sig: usize) -> String {
    let mut s = String::new();
    fmt_g(x, sig, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_print_as_display_prints_them() {
        let cases = (-20_500i64..20_500).chain([i64::MIN, i64::MAX, 99_999, 100_000, -1_000_000_007]);
        for n in cases {
            let mut s = String::new();
            push_i64(n, &mut s);
            assert_eq!(s, n.to_string());
            let mut t = crate::base::short_text::ShortText::new();
            push_i64(n, &mut t);
            assert_eq!(t.finish().as_str(), n.to_string());
        }
    }

    /// `%.{sig}g` of `x` by the exact route only.
    fn exact(x: f64, sig: usize) -> String {
        let e = format!("{:.*e}", sig - 1, x);
        let (mant, exp) = e.split_once('e').unwrap();
        let exp: i32 = exp.parse().unwrap();
        if exp < -4 || exp >= sig as i32 {
            format!("{}e{}{:02}", trim_zeros(mant), if exp < 0 { '-' } else { '+' }, exp.abs())
        } else {
            let decimals = (sig as i32 - 1 - exp).max(0) as usize;
            trim_zeros(&format!("{x:.decimals$}")).to_owned()
        }
    }

    /// A xorshift step.
    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    /// Checks both fast routes against the exact one for `x` at every `sig`; returns how
    /// many times each served.
    fn check_fast_routes(x: f64) -> [usize; 2] {
        let mut served = [0; 2];
        if !x.is_normal() {
            return served;
        }
        for sig in 1..=15 {
            let scaled = Digits::scaled(x.abs(), sig);
            let rounded =
                Digits::shortest(x.abs()).and_then(|d| if d.len <= sig { Some(d) } else { d.rounded(sig) });
            for (route, digits) in [scaled, rounded].into_iter().enumerate() {
                if let Some(digits) = digits {
                    let mut out = String::new();
                    digits.layout(x < 0.0, sig, &mut out);
                    assert_eq!(out, exact(x, sig), "{x:e} ({:#x}) sig {sig} route {route}", x.to_bits());
                    served[route] += 1;
                }
            }
        }
        served
    }

    #[test]
    fn fast_routes_match_exact_path() {
        let mut seed = 0x5851_f42d_4c95_7f2du64;
        let mut xs = vec![
            0.3127000034,
            f64::from(0.3127f32),
            f64::from(0.329f32),
            1.0 / 3.0,
            2.0 / 3.0,
            0.1 + 0.2,
            9.999_999_999_999_999,
            99_999.999_999_999_99,
            9.5,
            0.95,
            1e-5 - 1e-21,
            f64::MIN_POSITIVE,
            f64::MAX,
            -f64::MAX,
            5e-324,
            1e-310,
        ];
        for _ in 0..100_000 {
            let bits = next(&mut seed);
            xs.push(f64::from_bits(bits));
            xs.push(f64::from(f32::from_bits(bits as u32)));
            let (n, d) = ((bits >> 32) as u16 as i64 - 1000, (bits >> 48) as u16 as i64 % 5000 + 1);
            xs.push(n as f64 / d as f64);
        }
        // Values next to rounding midpoints at every digit count: a decimal `d.dd..d5`
        // nudged by a few ulps either way.
        for _ in 0..20_000 {
            let r = next(&mut seed);
            let digits = (r % 15) as i32 + 1;
            let exp = ((r >> 8) % 40) as i32 - 20;
            let mant = (r >> 16) % 10u64.pow(digits as u32);
            let mid = (mant as f64 + 0.5) * 10f64.powi(exp - digits);
            for k in -3i64..=3 {
                xs.push(f64::from_bits(mid.to_bits().wrapping_add_signed(k)));
            }
        }
        let served = xs.into_iter().map(check_fast_routes).fold([0; 2], |a, b| [a[0] + b[0], a[1] + b[1]]);
        // The fast routes must serve most cases, or they are not worth having.
        assert!(served[0] > 3_000_000 && served[1] > 3_000_000, "{served:?}");
    }

    #[test]
    fn g_shortest_path_matches_exact_path() {
        let mut seed = 0x1234_5678_9abc_def0u64;
        let mut xs = vec![
            1.0,
            0.1,
            0.5,
            123456.0,
            1e15,
            1e-5,
            9.5e-5,
            0.0001,
            99999.5,
            2.5,
            1e21,
            4.35,
            999_999_999_999_999.0,
            -4000.0,
            1e14,
            10.0,
            100.0,
            999_999.0,
            1_000_000.0,
        ];
        for _ in 0..20000 {
            next(&mut seed);
            let m = (seed >> 11) as f64 / (1u64 << 53) as f64;
            let e = (seed % 40) as i32 - 20;
            let digits = (seed >> 3) % 8;
            let r = 10f64.powi(digits as i32);
            xs.push(m * 10f64.powi(e));
            xs.push((m * r).round() / r * 10f64.powi(e));
            xs.push(-(m * 1000.0).round());
        }
        for x in xs {
            for sig in [1, 2, 3, 5, 6, 8, 10, 12, 15] {
                if x == 0.0 {
                    continue;
                }
                let mut out = String::new();
                if fmt_g_fast(x, sig, &mut out) {
                    assert_eq!(out, exact(x, sig), "{x:e} sig {sig}");
                }
                let mut int = String::new();
                if push_int(x, sig, &mut int) {
                    assert_eq!(int, exact(x, sig), "{x:e} sig {sig} (integer path)");
                }
            }
        }
    }

    #[test]
    fn tabled_powers_of_ten_match_powi() {
        for p in -22..=22 {
            assert_eq!(pow10(p), Some(10f64.powi(p)), "10^{p}");
        }
    }

    #[test]
    fn decimal_exponent_matches_log10() {
        let mut xs = vec![1e-300, 5e-324, 1e300, f64::MAX, f64::MIN_POSITIVE];
        for k in -25..=25 {
            let p = 10f64.powi(k);
            for x in [p, p * (1.0 + 1e-15), p * (1.0 - 1e-15), p * 1.5, p * 9.999_999_999, p * (1.0 + 2e-9)] {
                xs.push(x);
                xs.push(f64::from_bits(x.to_bits() + 1));
                xs.push(f64::from_bits(x.to_bits() - 1));
            }
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..100_000 {
            next(&mut seed);
            xs.push(f64::from_bits(seed & !(1 << 63)));
        }
        for x in xs.into_iter().filter(|x| x.is_finite() && *x > 0.0) {
            assert_eq!(decimal_exponent(x), x.log10().floor() as i32, "{x:e}");
        }
    }

    #[test]
    fn g_formats_like_printf() {
        assert_eq!(g(0.06666666666666667, 10), "0.06666666667");
        assert_eq!(g(3954.233409610984, 10), "3954.23341");
        assert_eq!(g(300.0, 10), "300");
        assert_eq!(g(-0.0945, 10), "-0.0945");
        assert_eq!(g(3.614421976e-10, 10), "3.614421976e-10");
        assert_eq!(g(6.4e-05, 15), "6.4e-05");
        assert_eq!(g(48.85837010002777, 15), "48.8583701000278");
    }
}
