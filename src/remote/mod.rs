//! Byte sources over remote object stores, for the parsers that read by offset: ranged
//! requests fetch only the blocks that hold metadata.
//!
//! - S3, with the official AWS SDK (feature `s3`): [`S3Source`] (one object, pinned to
//!   the version first read), [`extract_s3`] (an object's metadata, start to finish),
//!   [`S3Listing`] (the objects under a prefix, for a backfill) and
//!   [`s3_client_from_env`].

#[cfg(feature = "s3")]
mod s3;
#[cfg(feature = "s3")]
mod s3_extract;
#[cfg(feature = "s3")]
mod s3_get;
#[cfg(feature = "s3")]
mod s3_list;

#[cfg(feature = "s3")]
pub use s3::{S3Object, S3ObjectInfo, S3Source};
#[cfg(feature = "s3")]
pub use s3_extract::{
    MAX_ATTEMPTS, S3Extraction, extract_s3, is_not_found, s3_client_from_env, tail_hint_for,
};
#[cfg(feature = "s3")]
pub use s3_get::{ObjectChanged, is_object_changed};
#[cfg(feature = "s3")]
pub use s3_list::S3Listing;
