//! Maker notes: the camera makers' own tags and binary blocks inside a TIFF structure,
//! one module per maker. The IFD walker hands them the bytes it found; they read them
//! and know nothing of the container around.

pub(super) mod panasonic;
