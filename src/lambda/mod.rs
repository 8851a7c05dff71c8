//! The AWS Lambda adapter (feature `lambda`): the layer that reads what the function was
//! invoked with and writes what it answers.
//!
//! S3 names objects URL-encoded in its event notifications and in Batch Operations tasks
//! (not in EventBridge events); [`decode_key`] gives the key back.

mod key;

pub use key::decode_key;
