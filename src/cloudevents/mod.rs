//! The Google Cloud entry (feature `cloudevents`): an HTTP server for Cloud Run and Cloud
//! Functions (2nd gen) that takes Cloud Storage `finalized` CloudEvents, as Eventarc
//! delivers them, and writes a JSON sidecar of each new object's metadata.
//!
//! For each [`FINALIZED`] event (binary or structured content mode), [`serve`]:
//!
//! 1. skips sidecars: objects under [`Config::sidecar_prefix`] in the sidecar bucket;
//! 2. asks for the sidecar's state (a HEAD): if it already describes this generation of
//!    the object or a newer one, the event is a duplicate and nothing is read or written;
//! 3. reads the object with ranged GETs of the XML API URL of exactly the event's
//!    generation (`?generation=N`), through [`crate::remote::HttpSource`]: a small file
//!    costs one GET, a video with its `moov` at the end two, sent together;
//! 4. writes `{prefix}{name}.json` with `x-goog-if-generation-match` set to the
//!    sidecar generation the HEAD saw (0: none), so that of two deliveries racing,
//!    one writes and the other gets 412 and is counted a duplicate; the sidecar records
//!    the source generation in its custom metadata (`x-goog-meta-source-generation`).
//!
//! The HTTP status tells Eventarc whether to deliver again ([`Outcome`]): 200 when
//! another delivery could not do better, 5xx when it could, 400 (with a message naming
//! the header or field) for a request that is not an event.
//!
//! This layer reads events and talks to Cloud Storage; it never parses a file format:
//! the extraction is [`crate::extract_hinted`] over the remote source.

mod config;
mod event;
mod gcs;
mod handle;
mod server;
mod sidecar;
mod token;

pub use config::{
    Config, DEFAULT_ENDPOINT, DEFAULT_METADATA_HOST, DEFAULT_PREFIX, DEFAULT_WORKERS, SidecarOutput,
};
pub use event::{BadRequest, CloudEvent, ContentMode, Delivery, FINALIZED, StorageObject, parse_request};
pub use handle::Outcome;
pub use server::serve;
