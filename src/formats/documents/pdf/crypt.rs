//! The standard security handler (ISO 32000-1 §7.6.3, ISO 32000-2 for AES-256): checks
//! whether the user password is empty and, if so, derives the key that decrypts strings and
//! streams. Documents that need a password are reported, not decrypted.

use super::crypto::{Aes, md5, rc4, sha256, sha512};
use super::lexer::Obj;

/// The password padding string (ISO 32000-1 §7.6.3.3, Algorithm 2 step a).
const PAD: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E,
    0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

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
        let check = if r == 5 { sha256(vsalt).to_vec() } else { hash_2b(vsalt) };
        if check != hash {
            return None;
        }
        let inter = if r == 5 { sha256(ksalt).to_vec() } else { hash_2b(ksalt) };
        let ue = bytes(enc, "UE")?.get(..32)?;
        Aes::new(&inter)?.cbc_decrypt(&[0; 16], ue)
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
    let mut k = sha256(salt).to_vec();
    let mut round = 0u32;
    loop {
        let k1 = k.repeat(64);
        let (Some(key), Some(iv)) = (k.get(..16), k.get(16..32)) else { return k };
        let mut ivb = [0u8; 16];
        ivb.copy_from_slice(iv);
        let Some(aes) = Aes::new(key) else { return k };
        let e = aes.cbc_encrypt(&ivb, &k1);
        let m = e.iter().take(16).map(|b| u32::from(*b)).sum::<u32>() % 3;
        k = match m {
            0 => sha256(&e).to_vec(),
            1 => sha512(&e, 48),
            _ => sha512(&e, 64),
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
        input.extend_from_slice(&num.to_le_bytes()[..3]);
        input.extend_from_slice(&generation.to_le_bytes());
        if self.method == Method::AesV2 {
            input.extend_from_slice(b"sAlT");
        }
        let n = (self.key.len() + 5).min(16);
        md5(&input)[..n].to_vec()
    }

    /// Decrypts a string or stream of object `num`.
    pub fn decrypt(&self, num: u32, generation: u16, data: &[u8]) -> Vec<u8> {
        let key = self.object_key(num, generation);
        match self.method {
            Method::Rc4 => rc4(&key, data),
            Method::AesV2 | Method::AesV3 => {
                let (Some(iv), Some(body), Some(aes)) = (data.get(..16), data.get(16..), Aes::new(&key))
                else {
                    return Vec::new();
                };
                let mut ivb = [0u8; 16];
                ivb.copy_from_slice(iv);
                let mut out = aes.cbc_decrypt(&ivb, body);
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
