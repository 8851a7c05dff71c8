//! Unit tests over synthesized boxes.

use super::*;
use crate::options::Options;

fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(body);
    v
}

fn run(data: &[u8]) -> (Vec<Tag>, Vec<crate::model::Stream>, usize) {
    let opts = Options::default();
    let mut cx = Ctx::new(&data, &opts);
    let _ = parse(&mut cx);
    (cx.tags, cx.streams, cx.warnings.len())
}

fn get<'a>(tags: &'a [Tag], name: &str) -> Option<&'a Value> {
    crate::model::find_tag(tags, "QuickTime", name).map(|t| &t.value)
}

#[test]
fn dates_from_1904() {
    assert_eq!(qt_date(0), "0000:00:00 00:00:00");
    assert_eq!(qt_date(0xdcee4df5), "2021:06:15 12:30:45");
    assert_eq!(qt_date(86_400 + 1), "1970:01:02 00:00:01");
}
