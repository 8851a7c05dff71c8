//! Projections: the shapes [`Metadata`](crate::Metadata) is written out in. The library
//! extracts one model; each projection here turns it into one output format, and only the
//! command line (or another front end) chooses among them.
//!
//! - [`NativeObject`]: metasift's own JSON object, the model as serde serializes it, with
//!   `SourceFile` first.
//! - [`exiftool_json`], [`ExifToolObject`]: the object `exiftool -json -n -G` prints, for
//!   users swapping ExifTool out.
//!
//! Future projections (CSV rows, DynamoDB items...) belong here too, beside these, reading
//! the same model. The JSON writing pieces they share (string escaping, numbers) are in one
//! private module.

mod exiftool;
mod json;
mod native;

pub use exiftool::{ExifToolObject, ExifToolOptions, error_text, exiftool_json};
pub use native::NativeObject;
