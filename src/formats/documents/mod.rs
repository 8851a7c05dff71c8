//! Documents: PDF (trailer, xref, Info, XMP, encryption), ZIP-based office files
//! (OOXML, ODF, iWork), PostScript/EPS, Type 1 fonts (PFA, PFB, AFM) and
//! InDesign (INDD, INX).

pub(crate) mod indesign;
pub(crate) mod ooxml;
pub(crate) mod pdf;
pub(crate) mod postscript;
pub(crate) mod type1_font;
