//! The AWS Lambda adapter (feature `lambda`): the output side. Given an object and what
//! was extracted from it (or why that failed), [`outputs::deliver`] writes it where the
//! function is configured to ([`config`]): a DynamoDB item per object ([`item`],
//! [`store`]), a JSON sidecar in S3 ([`sidecar`]) and an SNS notification ([`notify`]);
//! [`outputs::remove`] undoes the first two for a deleted object. [`logs`] gives the log
//! and metric lines of each object.
//!
//! Events arrive at least once and in any order. Every output is written only if the
//! record is newer than what the output already holds, by the rules in [`order`], so a
//! redelivered or late event changes nothing and is not announced twice.

pub mod config;
mod deliver_error;
pub mod item;
pub mod logs;
pub mod notify;
pub mod order;
pub mod outputs;
pub mod record;
pub mod sidecar;
pub mod store;

pub use deliver_error::{DeliverError, Stage};
