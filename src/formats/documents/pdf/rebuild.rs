//! The rebuild scan of a PDF whose cross-reference data is broken or missing: the file is
//! walked in bounded windows for `n g obj` and `trailer`, never held whole, within the
//! read budget.

use super::lexer::{Indirect, LexError, Lexer, Obj, indirect};
use super::xref::{Loc, MAX_OBJECT, caps, max_entries, parse_at};
use crate::context::Ctx;
use crate::error::Result;
use std::collections::HashMap;

/// The rebuild scan of a broken file reads it in windows: each searches `SCAN_STEP` bytes
/// for `obj` and `trailer`, with `SCAN_BACK` bytes before them for the `n g` before an
/// `obj`, and `SCAN_AHEAD` bytes after them for the object's dictionary (an object that
/// runs past the window is read on its own). 64 KiB in all.
const SCAN_STEP: u64 = 56 << 10;
const SCAN_BACK: u64 = 1 << 10;
const SCAN_AHEAD: u64 = 7 << 10;
/// Bytes of the read budget, at most, the rebuild scan leaves for reading the objects it
/// finds (a quarter of what is left when that is less).
const SCAN_RESERVE: u64 = 1 << 20;

/// What the rebuild scan returns: object offsets, the trailer, the object streams.
pub(super) type Scanned = (HashMap<u32, Loc>, Option<Obj>, Vec<u32>);

/// Most object streams whose objects the rebuild indexes.
pub(super) const MAX_OBJSTMS: usize = 256;

/// What the rebuild scan found so far.
struct Scan {
    /// Objects by number: the last `n g obj` of each.
    map: HashMap<u32, Loc>,
    /// The last catalog's object number.
    root: Option<u32>,
    /// Offset of the last `trailer` keyword.
    trailer: Option<u64>,
    /// The dictionary of the last xref stream: the trailer of files that have no
    /// `trailer` keyword.
    xref_dict: Option<Obj>,
    /// Object streams found (their objects are indexed once the scan is done).
    objstms: Vec<u32>,
    /// Most objects kept in `map`.
    max_entries: usize,
    /// Whether objects were left out of `map` for `max_entries`.
    full: bool,
    /// Read budget the scan leaves for the objects it finds.
    reserve: u64,
}

/// Finds every `n g obj` of a file; returns their offsets, the last `trailer`
/// dictionary (else the last xref stream's, else one synthesized from the catalog) and
/// the object streams found.
///
/// The file is read in windows of 64 KiB (see [`SCAN_STEP`]), borrowed when it is in
/// memory, and no window is kept. When the read budget cannot take the whole file, the
/// scan takes its start and its last window (where the trailer and the newest objects
/// are), and warns naming `max_bytes_read`.
pub(super) fn scan_map(cx: &mut Ctx) -> Result<Scanned> {
    let len = cx.len();
    let left = cx.read_budget_left();
    let reserve = (left / 4).min(SCAN_RESERVE);
    let mut scan = Scan {
        map: HashMap::new(),
        root: None,
        trailer: None,
        xref_dict: None,
        objstms: Vec::new(),
        max_entries: max_entries(cx),
        full: false,
        reserve,
    };
    // Each window reads its step and the margins around it.
    let window = SCAN_STEP + SCAN_BACK + SCAN_AHEAD;
    let cost = |bytes: u64| bytes.div_ceil(SCAN_STEP).saturating_mul(window);
    let affordable = left.saturating_sub(reserve);
    if cost(len) <= affordable {
        scan_range(cx, &mut scan, 0, len);
    } else {
        let tail = len.saturating_sub(SCAN_STEP);
        let head = (affordable.saturating_sub(cost(len - tail)) / window * SCAN_STEP).min(tail);
        let scanned = scan_range(cx, &mut scan, 0, head).unwrap_or(head);
        let last = match scan_range(cx, &mut scan, tail, len) {
            None => format!(" and the last {}", len - tail),
            Some(_) => String::new(),
        };
        let max = cx.opts.limits.max_bytes_read;
        let msg = format!(
            "pdf: xref rebuild scanned the first {scanned} bytes of {len}{last}: reads reach max_bytes_read ({max} bytes)"
        );
        cx.warn(scanned, msg);
    }
    let trailer = scan.trailer.and_then(|t| {
        let caps = caps(cx);
        let most = (cx.opts.limits.max_alloc as u64).min(MAX_OBJECT).min(budget(cx, scan.reserve));
        parse_at(cx, t.saturating_add(7), most, |buf| Lexer::capped(buf, 0, caps).object(0))
            .ok()
            .filter(|o| matches!(o, Obj::Dict(_)))
    });
    let trailer = trailer
        .or(scan.xref_dict.filter(|d| d.get("Root").is_some()))
        .or_else(|| scan.root.map(|r| Obj::Dict(vec![(b"Root".to_vec(), Obj::Ref(r, 0))])));
    Ok((scan.map, trailer, scan.objstms))
}

/// Read budget left beyond `reserve`.
fn budget(cx: &Ctx, reserve: u64) -> u64 {
    cx.read_budget_left().saturating_sub(reserve)
}

/// Scans `from..to` window by window; `Some(offset)` when the read budget stopped it there.
fn scan_range(cx: &mut Ctx, scan: &mut Scan, from: u64, to: u64) -> Option<u64> {
    let len = cx.len();
    let finder = memchr::memmem::Finder::new(b"obj");
    let mut own = from;
    while own < to {
        let own_end = own.saturating_add(SCAN_STEP).min(to);
        let start = own.saturating_sub(SCAN_BACK);
        let end = own_end.saturating_add(SCAN_AHEAD).min(len);
        if budget(cx, scan.reserve) < end - start {
            return Some(own);
        }
        let Ok(win) = cx.read_cow(start, end - start) else { return Some(own) };
        // Keywords that start in this window's step: `own - start` and `own_end - start`
        // are within the window, which holds the step.
        let (lo, hi) = ((own - start) as usize, (own_end - start) as usize);
        let search = win.get(lo..hi.saturating_add(2).min(win.len())).unwrap_or_default();
        for p in finder.find_iter(search) {
            scan_object(cx, scan, &win, start, lo + p);
        }
        let search = win.get(lo..hi.saturating_add(6).min(win.len())).unwrap_or_default();
        if let Some(t) = memchr::memmem::rfind(search, b"trailer") {
            scan.trailer = Some(start + (lo + t) as u64);
        }
        own = own_end;
    }
    None
}

/// Records the object whose `obj` keyword is at `kw` in `win` (at `start` in the file),
/// if `n g` come before it and it parses.
fn scan_object(cx: &mut Ctx, scan: &mut Scan, win: &[u8], start: u64, kw: usize) {
    // Walk back over "n g ".
    let mut s = kw;
    let mut fields = 0;
    while fields < 2 {
        while s > 0 && win.get(s - 1).is_some_and(|c| *c == b' ' || *c == b'\r' || *c == b'\n') {
            s -= 1;
        }
        let end = s;
        while s > 0 && win.get(s - 1).is_some_and(u8::is_ascii_digit) {
            s -= 1;
        }
        if s == end {
            break;
        }
        fields += 1;
    }
    if fields < 2 {
        return;
    }
    let at = start + s as u64;
    let caps = caps(cx);
    let parsed: Option<Indirect> = match indirect(win, s, caps) {
        // Cut by the window, not the file: read the object on its own.
        Err(LexError::Eof) if start + (win.len() as u64) < cx.len() => {
            let most = (cx.opts.limits.max_alloc as u64).min(MAX_OBJECT).min(budget(cx, scan.reserve));
            parse_at(cx, at, most, |buf| indirect(buf, 0, caps)).ok()
        }
        r => r.ok(),
    };
    let Some((n, _, o, _)) = parsed else { return };
    if scan.map.len() >= scan.max_entries && !scan.map.contains_key(&n) {
        if !scan.full {
            scan.full = true;
            let max = scan.max_entries;
            cx.warn(
                at,
                format!("pdf: rebuild scan found more than {max} objects (max_alloc); the rest ignored"),
            );
        }
        return;
    }
    scan.map.insert(n, Loc::At(at));
    match o.get("Type") {
        Some(t) if t.is_name("Catalog") => scan.root = Some(n),
        Some(t) if t.is_name("XRef") => scan.xref_dict = Some(o),
        Some(t) if t.is_name("ObjStm") && scan.objstms.len() < MAX_OBJSTMS => scan.objstms.push(n),
        _ => {}
    }
}
