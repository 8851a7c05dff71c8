//! olympus maker notes.

use super::Note;
use crate::context::Ctx;

/// Reads a olympus maker note.
pub(super) fn read(_cx: &mut Ctx, _note: &Note) {}
