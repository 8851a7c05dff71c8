//! Documents: PDF (trailer, xref, Info, XMP, encryption) and ZIP-based office files
//! (OOXML, ODF, iWork).

pub(crate) mod ooxml;
pub(crate) mod pdf;
