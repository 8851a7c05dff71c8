//! Tests over synthesized EBML.
