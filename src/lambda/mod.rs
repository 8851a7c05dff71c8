//! The AWS Lambda adapter (feature `lambda`): the output side. Given an object and what
//! was extracted from it (or why that failed), the outputs write it where the function is
//! configured to ([`config`]).
//!
//! Events arrive at least once and in any order. Every output is written only if the
//! record is newer than what the output already holds, by the rules in [`order`].

pub mod config;
pub mod order;
pub mod record;
