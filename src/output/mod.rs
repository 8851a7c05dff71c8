//! Projections: the shapes [`Metadata`](crate::Metadata) is written out in. The library
//! extracts one model; each projection here turns it into one output format, and only the
//! command line (or another front end) chooses among them.
//!
//! - [`NativeObject`]: metasift's own JSON object, the model as serde serializes it, with
//!   `SourceFile` first.
//! - [`exiftool_json`], [`ExifToolObject`]: the object `exiftool -json -n -G` prints, for
//!   users swapping ExifTool out.
//! - [`CsvTable`], [`tab_line`]: the tables `exiftool -csv` and `exiftool -T` print, from
//!   one [`TableRow`] per file.
//!
//! Future projections (DynamoDB items...) belong here too, beside these, reading
//! the same model. The JSON writing pieces they share (string escaping, numbers) are in one
//! private module.

mod csv;
mod exiftool;
mod json;
mod native;

pub use csv::{CsvTable, TableRow, tab_line};
pub use exiftool::{ExifToolObject, ExifToolOptions, error_text, exiftool_json};
pub use native::NativeObject;
