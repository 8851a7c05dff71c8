//! The AWS Lambda adapter (feature `lambda`): the output side. Given an object and what
//! was extracted from it (or why that failed), the outputs write it where the function is
//! configured to ([`config`]): a DynamoDB item per object ([`item`], [`store`]).
//!
//! Events arrive at least once and in any order. Every output is written only if the
//! record is newer than what the output already holds, by the rules in [`order`].

pub mod config;
mod deliver_error;
pub mod item;
pub mod order;
pub mod record;
pub mod store;

pub use deliver_error::{DeliverError, Stage};
