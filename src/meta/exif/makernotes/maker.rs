//! Which maker wrote a note: its header, else the `Make` tag.

/// The makers whose notes metasift reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Maker {
    Apple,
    Canon,
    Casio,
    Fujifilm,
    Kodak,
    Minolta,
    Nikon,
    Olympus,
    Panasonic,
    Pentax,
    Samsung,
    Sanyo,
    Sigma,
    Sony,
    /// Smaller makers sharing one module (JVC, Kyocera, Motorola, GE, FLIR, Leaf, DJI,
    /// GoPro, Ricoh...).
    Other,
}

/// Note headers that name their maker, whatever `Make` says (a Leica body writes a
/// Panasonic note; a Samsung note may carry `SONY` headers).
const HEADERS: &[(&[u8], Maker)] = &[
    (b"Apple iOS\0", Maker::Apple),
    (b"Nikon\0", Maker::Nikon),
    (b"OLYMPUS\0", Maker::Olympus),
    (b"OM SYSTEM\0", Maker::Olympus),
    (b"OLYMP\0", Maker::Olympus),
    (b"EPSON\0", Maker::Olympus),
    (b"FUJIFILM", Maker::Fujifilm),
    (b"GENERALE", Maker::Fujifilm),
    (b"SONY DSC ", Maker::Sony),
    (b"SONY CAM ", Maker::Sony),
    (b"SONY MOBILE", Maker::Sony),
    (b"Panasonic\0", Maker::Panasonic),
    (b"LEICA", Maker::Panasonic),
    (b"AOC\0", Maker::Pentax),
    (b"PENTAX \0", Maker::Pentax),
    (b"QVC\0", Maker::Casio),
    (b"SANYO\0", Maker::Sanyo),
    (b"STMN", Maker::Samsung),
    (b"SIGMA\0", Maker::Sigma),
    (b"FOVEON\0", Maker::Sigma),
    (b"KDK", Maker::Kodak),
    (b"RICOH\0", Maker::Other),
    (b"Ricoh", Maker::Other),
    (b"JVC ", Maker::Other),
    (b"MOT\0", Maker::Other),
    (b"GE\0\0", Maker::Other),
    (b"IIII", Maker::Other),
    (b"MLY0", Maker::Minolta),
    (b"KC", Maker::Minolta),
    (b"+M+M", Maker::Minolta),
];

/// `Make` prefixes (upper-cased) for notes without a header of their own.
const MAKES: &[(&str, Maker)] = &[
    ("APPLE", Maker::Apple),
    ("CANON", Maker::Canon),
    ("CASIO", Maker::Casio),
    ("FUJI", Maker::Fujifilm),
    ("EASTMAN KODAK", Maker::Kodak),
    ("KODAK", Maker::Kodak),
    ("KONICA", Maker::Minolta),
    ("MINOLTA", Maker::Minolta),
    ("NIKON", Maker::Nikon),
    ("OLYMPUS", Maker::Olympus),
    ("OM DIGITAL", Maker::Olympus),
    ("PANASONIC", Maker::Panasonic),
    ("LEICA", Maker::Panasonic),
    ("PENTAX", Maker::Pentax),
    ("ASAHI", Maker::Pentax),
    ("SAMSUNG", Maker::Samsung),
    ("SANYO", Maker::Sanyo),
    ("SIGMA", Maker::Sigma),
    ("SONY", Maker::Sony),
];

impl Maker {
    /// The maker of a note whose bytes are `note`, in a file whose `Make` is `make`.
    pub(crate) fn identify(make: &str, note: &[u8]) -> Option<Maker> {
        if let Some((_, m)) = HEADERS.iter().find(|(h, _)| note.starts_with(h)) {
            return Some(*m);
        }
        let make = make.trim().to_ascii_uppercase();
        if let Some((_, m)) = MAKES.iter().find(|(p, _)| make.starts_with(p)) {
            return Some(*m);
        }
        (!make.is_empty()).then_some(Maker::Other)
    }
}
