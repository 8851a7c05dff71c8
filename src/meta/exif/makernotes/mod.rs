//! Maker notes: the camera makers' own tags and binary blocks inside a TIFF structure,
//! one module per maker. The IFD walker hands them the note's bytes ([`Note`]); each
//! maker module reads them with the shared pieces here (`ifd`: a maker IFD inside the
//! note, `binary`: fixed-layout blocks split into named fields) and knows nothing of the
//! container around.
//!
//! Which maker wrote a note is decided by the note's own header first (`Nikon\0`,
//! `OLYMPUS\0`, `FUJIFILM`, `SONY DSC`, `Apple iOS`...), then by the `Make` tag: many
//! makers (Canon, older Pentax and Nikon) write a bare IFD with no header at all.

mod binary;
mod conv;
mod ifd;
mod maker;
pub(super) mod panasonic;

mod apple;
mod canon;
mod casio;
mod fujifilm;
mod kodak;
mod minolta;
mod nikon;
mod olympus;
mod other;
mod panasonic_note;
pub(crate) mod pentax;
mod samsung;
mod sanyo;
mod sigma;
mod sony;

pub(crate) use canon::read_ciff_blocks as read_canon_ciff;
pub(crate) use canon::{
    read_cmp1 as read_canon_cmp1, read_cncv as read_canon_cncv, read_ctmd as read_canon_ctmd,
};
pub(crate) use maker::Maker;

use crate::base::hash::{IdBuild, bytes_hash};
use crate::context::Ctx;
use crate::model::Tag;
use std::collections::HashMap;

/// Longest note read into memory; a larger one is cut to this (warned).
pub(super) const MAX_NOTE: usize = 4 << 20;

/// One maker note, as the IFD walker found it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Note<'n> {
    /// The note's bytes (the `MakerNote` value, or what remains of it in the data).
    pub data: &'n [u8],
    /// Where `data[0]` sits in the file (binary values are referenced by file offset).
    pub at: u64,
    /// Where the note starts counted from the parent TIFF header: offsets inside a
    /// headerless note (Canon, Panasonic, older Sony) count from that header, so an
    /// offset `o` is at `o - tiff_pos` in `data`.
    pub tiff_pos: u64,
    /// The parent TIFF's byte order; a note without its own marker uses it.
    pub le: bool,
    /// `Make` and `Model` from IFD0 (empty when the file has none).
    pub make: &'n str,
    pub model: &'n str,
}

/// Reads a maker note: finds its maker and hands it to that maker's module. Unknown
/// makers' notes are left unread, without a warning.
pub(crate) fn read(cx: &mut Ctx, note: &Note) {
    if !cx.opts.maker_notes || note.data.is_empty() {
        return;
    }
    let Some(maker) = Maker::identify(note.make, note.data) else { return };
    let from = cx.tags.len();
    match maker {
        Maker::Apple => apple::read(cx, note),
        Maker::Canon => canon::read(cx, note),
        Maker::Casio => casio::read(cx, note),
        Maker::Fujifilm => fujifilm::read(cx, note),
        Maker::Kodak => kodak::read(cx, note),
        Maker::Minolta => minolta::read(cx, note),
        Maker::Nikon => nikon::read(cx, note),
        Maker::Olympus => olympus::read(cx, note),
        Maker::Panasonic => panasonic_note::read(cx, note),
        Maker::Pentax => pentax::read(cx, note),
        Maker::Samsung => samsung::read(cx, note),
        Maker::Sanyo => sanyo::read(cx, note),
        Maker::Sigma => sigma::read(cx, note),
        Maker::Sony => sony::read(cx, note),
        Maker::Other => other::read(cx, note),
    }
    if let Some(tags) = cx.tags.get_mut(from..) {
        later_wins(tags);
    }
}

/// ExifTool shows the last of a note's tags that share a name (a setting repeated in a
/// later block replaces the earlier one): ranks each repeat above those before it. One
/// pass in the order found, with the last tag of each name looked up by the name's hash.
#[allow(clippy::disallowed_methods)] // sized by the tags already pushed
fn later_wins(tags: &mut [Tag]) {
    if tags.len() < 2 {
        return;
    }
    // The last tag seen of each name hash (a hash shared by two names, which the crate's
    // tables do not have, falls back to a search).
    let mut last: HashMap<u64, u32, IdBuild> =
        HashMap::with_capacity_and_hasher(tags.len(), IdBuild::default());
    // How many of its name came before each tag.
    let mut ranks: Vec<i8> = Vec::with_capacity(tags.len());
    for i in 0..tags.len() {
        let Some(name) = tags.get(i).map(|t| t.name.as_str()) else { break };
        let h = bytes_hash(0, name.as_bytes());
        let same = |j: &usize| tags.get(*j).is_some_and(|t| t.name.as_str() == name);
        let prev = match last.get(&h).map(|j| *j as usize) {
            Some(j) if same(&j) => Some(j),
            Some(_) => (0..i).rev().find(same),
            None => None,
        };
        let Some(prev) = prev else {
            last.entry(h).or_insert(i as u32);
            ranks.push(0);
            continue;
        };
        let rank = ranks.get(prev).map_or(0, |r| r.saturating_add(1));
        let prev_priority = tags.get(prev).map_or(0, |t| t.priority);
        // The hash's slot follows its own name only.
        let follow = last.get(&h).is_some_and(|j| same(&(*j as usize)));
        if let Some(t) = tags.get_mut(i) {
            t.priority = prev_priority.max(t.priority).saturating_add(1).max(rank);
        }
        ranks.push(rank);
        if follow {
            last.insert(h, i as u32);
        }
    }
}

/// Reads `data` as a maker note written by a camera whose IFD0 says `make` and `model`,
/// in byte order `le`, starting `tiff_pos` bytes after its TIFF header (for fuzzing: any
/// bytes).
pub(crate) fn read_bytes(cx: &mut Ctx, make: &str, model: &str, data: &[u8], le: bool, tiff_pos: u64) {
    let note = Note { data, at: tiff_pos, tiff_pos, le, make, model };
    read(cx, &note);
}

/// The text of the last tag `group:name` found so far (IFD0's `Make`, say), for a note
/// read after it; CR3 keeps IFD0 and the maker note in separate TIFF blocks, so the
/// walker cannot carry it.
pub(crate) fn found_text(cx: &Ctx, group: &str, name: &str) -> String {
    cx.tags
        .iter()
        .rev()
        .find(|t| t.group == group && t.name.as_str() == name)
        .and_then(|t| t.value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
