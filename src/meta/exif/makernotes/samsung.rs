//! samsung maker notes.

use super::Note;
use crate::context::Ctx;

/// Reads a samsung maker note.
pub(super) fn read(_cx: &mut Ctx, _note: &Note) {}
