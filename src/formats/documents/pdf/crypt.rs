//! The standard security handler (ISO 32000-1 §7.6.3, ISO 32000-2 for AES-256): checks
//! whether the user password is empty and, if so, derives the key that decrypts strings and
//! streams. Documents that need a password are reported, not decrypted.
//!
//! The primitives come from the RustCrypto crates (`md-5` through `crate::base::hash`,
//! `sha2`, `aes` with `cbc`, `rc4`); this module only composes them as the standard asks.

use super::lexer::Obj;
use crate::base::hash::md5;
use aes::{Aes128, Aes256};
use cbc::cipher::array::Array;
use cbc::cipher::consts::U16;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit, StreamCipher};
use rc4::Rc4;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The password padding string (ISO 32000-1 §7.6.3.3, Algorithm 2 step a).
const PAD: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E,
    0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

/// RC4 of `data` under `key` (encryption and decryption are the same); `data` unchanged
/// for an empty key.
fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    if let Ok(mut cipher) = Rc4::new_from_slice(key) {
        cipher.apply_keystream(&mut out);
    }
    out
}

/// SHA-256 digest.
fn sha256(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

/// The whole 16-byte blocks of `data`, as blocks: a partial last block is left out, as the
/// decryption of a damaged string leaves it out.
fn whole_blocks(data: &mut [u8]) -> &mut [Array<u8, U16>] {
    Array::slice_as_chunks_mut(data).0
}

/// AES-CBC decryption (AES-128 or AES-256 by the key's length) of the whole blocks of
/// `data`, padding left in place; `None` for a key of another length.
fn aes_cbc_decrypt(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let mut out = data.get(..data.len() - data.len() % 16)?.to_vec();
    let blocks = whole_blocks(&mut out);
    match key.len() {
        16 => cbc::Decryptor::<Aes128>::new_from_slices(key, iv).ok()?.decrypt_blocks(blocks),
        32 => cbc::Decryptor::<Aes256>::new_from_slices(key, iv).ok()?.decrypt_blocks(blocks),
        _ => return None,
    }
    Some(out)
}

/// How strings and streams are encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Rc4,
    AesV2,
    AesV3,
}

/// A document key for the empty user password.
#[derive(Debug, Clone)]
pub(crate) struct Decryptor {
    key: Vec<u8>,
    method: Method,
    /// Whether the XMP metadata stream is encrypted too.
    pub encrypt_metadata: bool,
}

fn bytes<'a>(d: &'a Obj, k: &str) -> Option<&'a [u8]> {
    match d.get(k) {
        Some(Obj::Str(s)) => Some(s),
        _ => None,
    }
}

/// The key for the empty user password, or `None` when a password is needed or the
/// handler/method is not supported.
pub(crate) fn open(enc: &Obj, id0: &[u8]) -> Option<Decryptor> {
    if !enc.get("Filter").is_some_and(|f| f.is_name("Standard")) {
        return None;
    }
    let v = enc.get("V").and_then(Obj::as_int).unwrap_or(0);
    let r = enc.get("R").and_then(Obj::as_int).unwrap_or(0);
    let encrypt_metadata = !matches!(enc.get("EncryptMetadata"), Some(Obj::Bool(false)));
    let method = match v {
        1 | 2 => Method::Rc4,
        4 | 5 => {
            let strf = enc.get("StrF").and_then(Obj::as_name).unwrap_or(b"Identity");
            let cfm = enc
                .get("CF")
                .and_then(|cf| cf.get(std::str::from_utf8(strf).ok()?))
                .and_then(|f| f.get("CFM"))
                .and_then(Obj::as_name);
            match cfm {
                Some(b"V2") => Method::Rc4,
                Some(b"AESV2") => Method::AesV2,
                Some(b"AESV3") => Method::AesV3,
                _ => return None,
            }
        }
        _ => return None,
    };
    let u = bytes(enc, "U")?;
    let key = if r >= 5 {
        let (hash, vsalt, ksalt) = (u.get(..32)?, u.get(32..40)?, u.get(40..48)?);
        let check = if r == 5 { sha256(vsalt) } else { hash_2b(vsalt) };
        if check != hash {
            return None;
        }
        let inter = if r == 5 { sha256(ksalt) } else { hash_2b(ksalt) };
        let ue = bytes(enc, "UE")?.get(..32)?;
        aes_cbc_decrypt(&inter, &[0; 16], ue)?
    } else {
        let o = bytes(enc, "O")?.get(..32)?;
        let p = enc.get("P").and_then(Obj::as_int)? as i32;
        let n = if r == 2 {
            5
        } else {
            (enc.get("Length").and_then(Obj::as_int).unwrap_or(40) / 8).clamp(5, 16) as usize
        };
        let mut input = PAD.to_vec();
        input.extend_from_slice(o);
        input.extend_from_slice(&p.to_le_bytes());
        input.extend_from_slice(id0);
        if r >= 4 && !encrypt_metadata {
            input.extend_from_slice(&[0xFF; 4]);
        }
        let mut h = md5(&input);
        if r >= 3 {
            for _ in 0..50 {
                h = md5(h.get(..n)?);
            }
        }
        let key = h.get(..n)?.to_vec();
        let ok = if r == 2 {
            rc4(&key, &PAD) == u.get(..32)?
        } else {
            let mut x = md5(&[&PAD[..], id0].concat()).to_vec();
            for i in 0..20u8 {
                let k: Vec<u8> = key.iter().map(|b| b ^ i).collect();
                x = rc4(&k, &x);
            }
            x.get(..16) == u.get(..16)
        };
        if !ok {
            return None;
        }
        key
    };
    Some(Decryptor { key, method, encrypt_metadata })
}

/// ISO 32000-2 Algorithm 2.B with the empty password and no user key data.
fn hash_2b(salt: &[u8]) -> Vec<u8> {
    let mut k = sha256(salt);
    let mut round = 0u32;
    loop {
        let mut e = k.repeat(64);
        let (Some(key), Some(iv)) = (k.get(..16), k.get(16..32)) else { return k };
        let Ok(mut cipher) = cbc::Encryptor::<Aes128>::new_from_slices(key, iv) else { return k };
        // `k` is 32, 48 or 64 bytes long: 64 copies are whole blocks.
        cipher.encrypt_blocks(whole_blocks(&mut e));
        let m = e.iter().take(16).map(|b| u32::from(*b)).sum::<u32>() % 3;
        k = match m {
            0 => sha256(&e),
            1 => Sha384::digest(&e).to_vec(),
            _ => Sha512::digest(&e).to_vec(),
        };
        let last = u32::from(e.last().copied().unwrap_or(0));
        if round >= 63 && last + 32 <= round {
            break;
        }
        round += 1;
        if round > 2000 {
            break;
        }
    }
    k.truncate(32);
    k
}

impl Decryptor {
    fn object_key(&self, num: u32, generation: u16) -> Vec<u8> {
        if self.method == Method::AesV3 {
            return self.key.clone();
        }
        let mut input = self.key.clone();
        // The low three bytes of the object number.
        input.extend(num.to_le_bytes().iter().take(3));
        input.extend_from_slice(&generation.to_le_bytes());
        if self.method == Method::AesV2 {
            input.extend_from_slice(b"sAlT");
        }
        let n = (self.key.len() + 5).min(16);
        let digest = md5(&input);
        digest.get(..n).unwrap_or(&digest).to_vec()
    }

    /// Decrypts a string or stream of object `num`.
    pub fn decrypt(&self, num: u32, generation: u16, data: &[u8]) -> Vec<u8> {
        let key = self.object_key(num, generation);
        match self.method {
            Method::Rc4 => rc4(&key, data),
            Method::AesV2 | Method::AesV3 => {
                let (Some(iv), Some(body)) = (data.get(..16), data.get(16..)) else { return Vec::new() };
                let Some(mut out) = aes_cbc_decrypt(&key, iv, body) else { return Vec::new() };
                let pad = usize::from(out.last().copied().unwrap_or(0));
                if (1..=16).contains(&pad) && pad <= out.len() {
                    out.truncate(out.len() - pad);
                }
                out
            }
        }
    }

    /// Decrypts every string inside `o` (objects read from their own offset).
    pub fn decrypt_strings(&self, num: u32, generation: u16, o: &mut Obj, depth: u32) {
        if depth > 32 {
            return;
        }
        match o {
            Obj::Str(s) => *s = self.decrypt(num, generation, s),
            Obj::Array(a) => a.iter_mut().for_each(|x| self.decrypt_strings(num, generation, x, depth + 1)),
            Obj::Dict(d) => {
                d.iter_mut().for_each(|(_, x)| self.decrypt_strings(num, generation, x, depth + 1))
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::hash::hex;

    fn decryptor(key: &[u8], method: Method) -> Decryptor {
        Decryptor { key: key.to_vec(), method, encrypt_metadata: true }
    }

    /// Bytes 0, 7, 14... of length `n`: an arbitrary but fixed input.
    fn data(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 7) as u8).collect()
    }

    /// Results of the decryption paths, pinned when each primitive was replaced by a
    /// RustCrypto crate: RC4 with short and long keys, AES-128 with whole and partial
    /// blocks, an AES key of the wrong size, AES-256, data shorter than its IV.
    #[test]
    fn decrypts_as_before() {
        let key5: Vec<u8> = (1..=5).collect();
        let key16: Vec<u8> = (1..=16).collect();
        let key32: Vec<u8> = (1..=32).collect();
        let cases = [
            (decryptor(&key5, Method::Rc4), 20, "ec174ab429b54dcd24a5a806a031c74d8578b3c5"),
            (decryptor(&key16, Method::Rc4), 20, "039267dbdd26f0c3fcf153223fbb274213043646"),
            (
                decryptor(&key16, Method::AesV2),
                16 + 48,
                "2185c77e09396f643005cc87c7751cd50a798bca23cd35b68b34e84418e78832\
                 9d423812669a373471bcc6cfa606e9fc",
            ),
            (
                decryptor(&key16, Method::AesV2),
                16 + 37,
                "2185c77e09396f643005cc87c7751cd50a798bca23cd35b68b34e84418e78832",
            ),
            (decryptor(&key5, Method::AesV2), 16 + 32, ""),
            (
                decryptor(&key32, Method::AesV3),
                16 + 32,
                "b8ad6c453b8a75a2c507c1abf013e81ca5869f4b41aae5ec10a373b43d3c43fd",
            ),
            (decryptor(&key32, Method::AesV3), 10, ""),
        ];
        for (d, n, want) in cases {
            assert_eq!(hex(&d.decrypt(12, 3, &data(n))), want, "{:?} {n}", d.method);
        }
    }

    /// ISO 32000-2 Algorithm 2.B (AES-128-CBC, SHA-256/384/512), pinned likewise.
    #[test]
    fn hash_2b_as_before() {
        let salted = "f383e1cdcd8e7e67f45a599473d3f5a7bd181c381364391074cafe0713e3331d";
        assert_eq!(hex(&hash_2b(b"saltsalt")), salted);
        let empty = "e825c1720943863282ae4cd80df41c285b89678dc3d79533204d9e6a88cf5113";
        assert_eq!(hex(&hash_2b(b"")), empty);
    }
}
