use super::conv::canon_ev;

#[test]
fn third_stops_are_exact() {
    assert_eq!(canon_ev(32), 1.0);
    assert!((canon_ev(0x0C) - 1.0 / 3.0).abs() < 1e-12);
    assert!((canon_ev(-0x14) + 2.0 / 3.0).abs() < 1e-12);
}

#[test]
fn custom_functions2_are_sorted_by_id() {
    let ids: Vec<u32> = super::custom::FUNCTIONS2.iter().map(|r| r.0).collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]), "binary search needs the table sorted");
}
