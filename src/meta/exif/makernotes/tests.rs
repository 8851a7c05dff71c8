use super::Maker;

#[test]
fn headers_name_their_maker_whatever_make_says() {
    assert_eq!(Maker::identify("Leica Camera AG", b"Panasonic\0\0\0"), Some(Maker::Panasonic));
    assert_eq!(Maker::identify("NIKON CORPORATION", b"Nikon\0\x02\x10\0\0MM"), Some(Maker::Nikon));
    assert_eq!(Maker::identify("", b"OLYMPUS\0II\x03\0"), Some(Maker::Olympus));
}

#[test]
fn headerless_notes_go_by_make() {
    assert_eq!(Maker::identify("Canon", b"\x1a\0\x01\0"), Some(Maker::Canon));
    assert_eq!(Maker::identify("  PENTAX Corporation ", b"\x1a\0"), Some(Maker::Pentax));
    assert_eq!(Maker::identify("Acme", b"\x1a\0"), Some(Maker::Other));
    assert_eq!(Maker::identify("", b"\x1a\0"), None);
}
