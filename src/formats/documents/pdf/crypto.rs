//! The few primitives the PDF standard security handler needs to read strings of documents
//! encrypted without a user password: MD5 (RFC 1321), SHA-256/384/512 (FIPS 180-4), RC4
//! and AES (FIPS 197) in CBC mode. Small, unoptimised and only used on short strings.

/// MD5 digest.
pub(crate) fn md5(data: &[u8]) -> [u8; 16] {
    const S: [u32; 16] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
    let k: Vec<u32> = (0..64).map(|i| ((f64::from(i + 1)).sin().abs() * 4_294_967_296.0) as u32).collect();
    let mut h: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_le_bytes());
    for block in msg.chunks_exact(64) {
        let m: Vec<u32> =
            block.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[(i / 16) * 4 + i % 4]));
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 16];
    for (o, w) in out.chunks_exact_mut(4).zip(h) {
        o.copy_from_slice(&w.to_le_bytes());
    }
    out
}

include!("sha_consts.rs");

/// SHA-256 digest.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h: [u32; 8] = H512.map(|x| (x >> 32) as u32);
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, c) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let [a, b, c, d, e, f, g, hh] = v;
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let k = (K512[i] >> 32) as u32;
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(k).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(4).zip(h) {
        o.copy_from_slice(&w.to_be_bytes());
    }
    out
}

/// SHA-512 (`len` 64) or SHA-384 (`len` 48) digest.
pub(crate) fn sha512(data: &[u8], len: usize) -> Vec<u8> {
    let mut h = if len == 48 { H384 } else { H512 };
    let mut msg = data.to_vec();
    let bits = (data.len() as u128).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 128 != 112 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks_exact(128) {
        let mut w = [0u64; 80];
        for (i, c) in block.chunks_exact(8).enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            w[i] = u64::from_be_bytes(b);
        }
        for i in 16..80 {
            let s0 = w[i - 15].rotate_right(1) ^ w[i - 15].rotate_right(8) ^ (w[i - 15] >> 7);
            let s1 = w[i - 2].rotate_right(19) ^ w[i - 2].rotate_right(61) ^ (w[i - 2] >> 6);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..80 {
            let [a, b, c, d, e, f, g, hh] = v;
            let s1 = e.rotate_right(14) ^ e.rotate_right(18) ^ e.rotate_right(41);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K512[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(28) ^ a.rotate_right(34) ^ a.rotate_right(39);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out: Vec<u8> = h.iter().flat_map(|w| w.to_be_bytes()).collect();
    out.truncate(len);
    out
}

/// RC4 (encryption and decryption are the same).
pub(crate) fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut s: [u8; 256] = std::array::from_fn(|i| i as u8);
    if key.is_empty() {
        return data.to_vec();
    }
    let mut j = 0u8;
    for i in 0..256 {
        j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
        s.swap(i, usize::from(j));
    }
    let (mut i, mut j) = (0u8, 0u8);
    data.iter()
        .map(|b| {
            i = i.wrapping_add(1);
            j = j.wrapping_add(s[usize::from(i)]);
            s.swap(usize::from(i), usize::from(j));
            b ^ s[usize::from(s[usize::from(i)].wrapping_add(s[usize::from(j)]))]
        })
        .collect()
}

/// AES tables: S-box and inverse, built from the GF(2^8) inverse and affine map.
struct Sbox {
    fwd: [u8; 256],
    inv: [u8; 256],
}

fn xtime(x: u8) -> u8 {
    (x << 1) ^ if x & 0x80 != 0 { 0x1b } else { 0 }
}

fn gmul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    p
}

fn sbox() -> &'static Sbox {
    static TABLES: std::sync::OnceLock<Sbox> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        // Powers of the generator 3 give logarithms, hence inverses.
        let mut exp = [0u8; 256];
        let mut log = [0u8; 256];
        let mut x = 1u8;
        for (i, e) in exp.iter_mut().enumerate().take(255) {
            *e = x;
            log[usize::from(x)] = i as u8;
            x = gmul(x, 3);
        }
        let mut fwd = [0u8; 256];
        let mut inv = [0u8; 256];
        for v in 0..=255u8 {
            let y = if v == 0 { 0 } else { exp[(255 - usize::from(log[usize::from(v)])) % 255] };
            let s = y ^ y.rotate_left(1) ^ y.rotate_left(2) ^ y.rotate_left(3) ^ y.rotate_left(4) ^ 0x63;
            fwd[usize::from(v)] = s;
            inv[usize::from(s)] = v;
        }
        Sbox { fwd, inv }
    })
}

/// An expanded AES-128 or AES-256 key.
pub(crate) struct Aes {
    rounds: usize,
    w: Vec<[u8; 16]>,
    sb: &'static Sbox,
}

impl Aes {
    /// Expands a 16- or 32-byte key; `None` for other sizes.
    pub fn new(key: &[u8]) -> Option<Aes> {
        let nk = key.len() / 4;
        if key.len() != 16 && key.len() != 32 {
            return None;
        }
        let rounds = nk + 6;
        let sb = sbox();
        let mut words: Vec<[u8; 4]> = key.chunks_exact(4).map(|c| [c[0], c[1], c[2], c[3]]).collect();
        let mut rcon = 1u8;
        for i in nk..4 * (rounds + 1) {
            let mut t = words[i - 1];
            if i % nk == 0 {
                t = [
                    sb.fwd[usize::from(t[1])] ^ rcon,
                    sb.fwd[usize::from(t[2])],
                    sb.fwd[usize::from(t[3])],
                    sb.fwd[usize::from(t[0])],
                ];
                rcon = xtime(rcon);
            } else if nk > 6 && i % nk == 4 {
                t = t.map(|b| sb.fwd[usize::from(b)]);
            }
            let p = words[i - nk];
            words.push([p[0] ^ t[0], p[1] ^ t[1], p[2] ^ t[2], p[3] ^ t[3]]);
        }
        let w = words
            .chunks_exact(4)
            .map(|c| {
                let mut k = [0u8; 16];
                for (j, word) in c.iter().enumerate() {
                    k[j * 4..j * 4 + 4].copy_from_slice(word);
                }
                k
            })
            .collect();
        Some(Aes { rounds, w, sb })
    }

    fn add(s: &mut [u8; 16], k: &[u8; 16]) {
        for (a, b) in s.iter_mut().zip(k) {
            *a ^= b;
        }
    }

    /// Encrypts one block.
    pub fn encrypt(&self, block: &mut [u8; 16]) {
        Self::add(block, &self.w[0]);
        for r in 1..=self.rounds {
            for b in block.iter_mut() {
                *b = self.sb.fwd[usize::from(*b)];
            }
            let s = *block;
            for c in 0..4 {
                for r2 in 0..4 {
                    block[c * 4 + r2] = s[((c + r2) % 4) * 4 + r2];
                }
            }
            if r != self.rounds {
                for c in 0..4 {
                    let col = [block[c * 4], block[c * 4 + 1], block[c * 4 + 2], block[c * 4 + 3]];
                    block[c * 4] = gmul(col[0], 2) ^ gmul(col[1], 3) ^ col[2] ^ col[3];
                    block[c * 4 + 1] = col[0] ^ gmul(col[1], 2) ^ gmul(col[2], 3) ^ col[3];
                    block[c * 4 + 2] = col[0] ^ col[1] ^ gmul(col[2], 2) ^ gmul(col[3], 3);
                    block[c * 4 + 3] = gmul(col[0], 3) ^ col[1] ^ col[2] ^ gmul(col[3], 2);
                }
            }
            Self::add(block, &self.w[r]);
        }
    }

    /// Decrypts one block.
    pub fn decrypt(&self, block: &mut [u8; 16]) {
        Self::add(block, &self.w[self.rounds]);
        for r in (0..self.rounds).rev() {
            let s = *block;
            for c in 0..4 {
                for r2 in 0..4 {
                    block[((c + r2) % 4) * 4 + r2] = s[c * 4 + r2];
                }
            }
            for b in block.iter_mut() {
                *b = self.sb.inv[usize::from(*b)];
            }
            Self::add(block, &self.w[r]);
            if r != 0 {
                for c in 0..4 {
                    let col = [block[c * 4], block[c * 4 + 1], block[c * 4 + 2], block[c * 4 + 3]];
                    block[c * 4] = gmul(col[0], 14) ^ gmul(col[1], 11) ^ gmul(col[2], 13) ^ gmul(col[3], 9);
                    block[c * 4 + 1] =
                        gmul(col[0], 9) ^ gmul(col[1], 14) ^ gmul(col[2], 11) ^ gmul(col[3], 13);
                    block[c * 4 + 2] =
                        gmul(col[0], 13) ^ gmul(col[1], 9) ^ gmul(col[2], 14) ^ gmul(col[3], 11);
                    block[c * 4 + 3] =
                        gmul(col[0], 11) ^ gmul(col[1], 13) ^ gmul(col[2], 9) ^ gmul(col[3], 14);
                }
            }
        }
    }

    /// CBC encryption without padding (`data` is a multiple of 16 bytes).
    pub fn cbc_encrypt(&self, iv: &[u8; 16], data: &[u8]) -> Vec<u8> {
        let mut prev = *iv;
        let mut out = Vec::with_capacity(data.len());
        for chunk in data.chunks_exact(16) {
            let mut b = [0u8; 16];
            for i in 0..16 {
                b[i] = chunk[i] ^ prev[i];
            }
            self.encrypt(&mut b);
            out.extend_from_slice(&b);
            prev = b;
        }
        out
    }

    /// CBC decryption without removing padding.
    pub fn cbc_decrypt(&self, iv: &[u8; 16], data: &[u8]) -> Vec<u8> {
        let mut prev = *iv;
        let mut out = Vec::with_capacity(data.len());
        for chunk in data.chunks_exact(16) {
            let mut b = [0u8; 16];
            b.copy_from_slice(chunk);
            let c = b;
            self.decrypt(&mut b);
            for i in 0..16 {
                b[i] ^= prev[i];
            }
            out.extend_from_slice(&b);
            prev = c;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn digests() {
        assert_eq!(hex(&md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(hex(&sha512(b"abc", 64)).starts_with("ddaf35a193617aba"));
        assert!(hex(&sha512(b"abc", 48)).starts_with("cb00753f45a35e8b"));
    }

    #[test]
    fn aes_and_rc4() {
        let pt: [u8; 16] = std::array::from_fn(|i| (i as u8) * 0x11);
        let k128: Vec<u8> = (0..16).collect();
        let k256: Vec<u8> = (0..32).collect();
        for (key, want) in
            [(k128, "69c4e0d86a7b0430d8cdb78070b4c55a"), (k256, "8ea2b7ca516745bfeafc49904b496089")]
        {
            let aes = Aes::new(&key).unwrap();
            let mut b = pt;
            aes.encrypt(&mut b);
            assert_eq!(hex(&b), want);
            aes.decrypt(&mut b);
            assert_eq!(b, pt);
        }
        assert_eq!(hex(&rc4(b"Key", b"Plaintext")), "bbf316e8d940af0ad3");
    }
}
