//! panasonic_note maker notes.

use super::Note;
use crate::context::Ctx;

/// Reads a panasonic_note maker note.
pub(super) fn read(_cx: &mut Ctx, _note: &Note) {}
