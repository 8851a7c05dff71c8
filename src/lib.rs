//! # metasift
//!
//! Fast, pure-Rust metadata extraction: EXIF, IPTC and XMP from images, QuickTime/MP4 and
//! Matroska headers from video, and more, with an ExifTool-compatible view of the result.
//! Only the parts of a file that hold metadata are read: a 1 GiB video costs kilobytes.
//!
//! ```
//! use std::io::Cursor;
//! // A minimal JPEG: SOI, SOF0 (8-bit, 2x3 pixels, 1 component), EOI.
//! let jpeg: Vec<u8> = vec![
//!     0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x03, 0x00, 0x02, 0x01, 0x01, 0x11, 0x00,
//!     0xFF, 0xD9,
//! ];
//! let meta = metasift::extract(Cursor::new(jpeg))?;
//! assert_eq!(meta.format, metasift::Format::Jpeg);
//! assert_eq!(meta.mime, "image/jpeg");
//! // ExifTool-compatible keys, as `exiftool -json -n -G` prints them (feature `json`):
//! # #[cfg(feature = "json")] {
//! let obj = metasift::exiftool_json(&meta, "tiny.jpg", Default::default());
//! assert_eq!(obj["File:FileType"], "JPEG");
//! # }
//! # Ok::<(), metasift::Error>(())
//! ```
//!
//! ## API map
//!
//! - [`extract()`], [`extract_path`], [`extract_bytes`], [`extract_source`]: the entry points;
//!   each has a form that takes [`Options`] (with [`Limits`]): [`extract_with`],
//!   [`extract_path_with`], [`extract_bytes_with`], [`extract_source_with`] (and
//!   [`extract_hinted`], with a file-extension hint). Errors ([`Error`]) have a kind, the
//!   offset where reading failed and, from the `*_path` forms, the path.
//! - [`sniff()`] and [`Format`]: detection alone.
//! - [`model`]: [`Metadata`] with its [`Summary`] (typed), [`Tag`]s (lossless, ExifTool
//!   names), [`Stream`]s, warnings and read statistics: data only, serializable and
//!   deserializable with serde (feature `serde`).
//! - `output` (feature `json`): projections of [`Metadata`] onto output formats.
//!   `output::NativeObject` is metasift's own JSON object; `exiftool_json` gives
//!   ExifTool's JSON as a map and `output::ExifToolObject` writes the same JSON directly,
//!   in ExifTool's key order, for batches.
//! - `lambda` (feature `lambda`): the AWS Lambda adapter's outputs: DynamoDB items, S3
//!   sidecars and SNS notifications, each written idempotently.
//! - [`source`]: the offset-addressed [`ByteSource`] trait, its implementations, the
//!   bounded read cache and a `Read + Seek` view.
//! - `remote` (features `http`, `s3`): byte sources over the network, with ranged
//!   requests, retries and pinning; `remote::extract_url` reads an HTTP(S) URL,
//!   `remote::extract_s3` an S3 object (`S3Source`, pinned to the version first read).
//! - `cloudevents` (feature `cloudevents`): the Google Cloud entry, an HTTP server that
//!   takes Cloud Storage CloudEvents and writes a JSON sidecar per object.
//!
//! Inside, an extraction sniffs the format, runs one container parser (which hands the
//! EXIF, IPTC and XMP blocks it finds to shared payload parsers), then derives from the
//! tags found: the `Composite:` tags and the [`Summary`], both reading through one shared
//! index of the tags, built in a single pass.
//!
//! ## Features
//!
//! - `serde` (default): `Serialize` and `Deserialize` for the model.
//! - `json` (default): the JSON projections in `output`.
//! - `cli` (default): the `metasift` program. A library user can leave all three out:
//!   `metasift = { version = "0.1", default-features = false }` builds the extractors
//!   alone.
//! - `jiff`: the summary's dates as typed values too (`Summary::created_at`).
//! - `http`, `s3`: byte sources over the network (`remote`); `lambda`, `cloudevents`: the
//!   serverless adapters and their programs.
//!
//! ## Robustness
//!
//! Input is never trusted: lengths are checked against the file and against [`Limits`],
//! nesting and chains are bounded, and damage inside a recognised file becomes a warning
//! with a partial result. The library does not panic on any input (it is fuzzed).

#![forbid(unsafe_code)]
// docs.rs documents every feature and marks the items each one needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
// Library code must not panic on input: no unwrap/expect/panic outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod base;
#[cfg(feature = "cloudevents")]
pub mod cloudevents;
mod composite;
mod context;
mod error;
mod extract;
mod formats;
#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "lambda")]
pub mod lambda;
mod meta;
pub mod model;
mod options;
#[cfg(feature = "json")]
pub mod output;
#[cfg(any(feature = "http", feature = "s3"))]
pub mod remote;
pub mod select;
pub mod sniff;
pub mod source;
mod summary;
mod tag_index;
#[cfg(test)]
mod test_util;
mod zip;

pub use error::{Error, ErrorKind, Result};
pub use extract::{
    extract, extract_bytes, extract_bytes_with, extract_hinted, extract_path, extract_path_with,
    extract_source, extract_source_with, extract_with,
};
pub use model::{Metadata, Stream, StreamKind, Summary, Tag, Text, Value, Warning};
pub use options::{Limits, Options};
#[cfg(feature = "json")]
pub use output::{ExifToolOptions, exiftool_json};
pub use sniff::{Format, sniff};
pub use source::ByteSource;
