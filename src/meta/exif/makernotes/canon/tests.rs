use super::conv::canon_ev;

#[test]
fn third_stops_are_exact() {
    assert_eq!(canon_ev(32), 1.0);
    assert!((canon_ev(0x0C) - 1.0 / 3.0).abs() < 1e-12);
    assert!((canon_ev(-0x14) + 2.0 / 3.0).abs() < 1e-12);
}
