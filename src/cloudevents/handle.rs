//! What one event comes to: the checks before reading (is it a sidecar, is it already
//! done), the extraction over ranged GETs pinned to the event's generation, the sidecar
//! write, and the [`Outcome`] that decides the HTTP status.
//!
//! The status tells Eventarc whether to deliver again, so it follows one rule: 2xx when
//! another delivery could not do better (done, a duplicate, a file metasift cannot read,
//! a generation that no longer exists), 5xx when it could (Cloud Storage or the token
//! unavailable, a permission not yet granted), 400 for a request that is not an event.

use super::config::Config;
use super::event::StorageObject;
use super::gcs::{Gcs, Put, generation_url};
use super::sidecar::{Cost, error_sidecar, metadata_sidecar};
use super::token::Tokens;
use crate::error::{Error, ErrorKind};
use crate::remote::{HttpOptions, HttpSource, tail_hint_for};
use std::io;

/// What the entry did with a request; each has its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The object was read and its sidecar written. 200.
    Done,
    /// The sidecar already describes this generation or a newer one (a redelivery, an
    /// older event arriving late, or a concurrent delivery that wrote first). 200.
    Duplicate,
    /// An event of another type than [`super::FINALIZED`]. 200.
    Ignored,
    /// An object under the sidecar prefix in the sidecar bucket (a sidecar), or one whose
    /// sidecar name would be too long for Cloud Storage. 200.
    Skipped,
    /// The event's generation no longer exists (the object was overwritten or deleted
    /// since): the newer generation has its own event. 200.
    Superseded,
    /// metasift could not read the file (unrecognised, broken, over a limit): a sidecar
    /// with the `error` was written, since reading again would fail again. 200.
    Unreadable,
    /// The request is not an event the entry can act on. 400.
    BadRequest,
    /// A failure another delivery may not meet: Cloud Storage or the metadata server
    /// unavailable after retries (503), or refused (500: a permission or setting to fix).
    Failed,
}

impl Outcome {
    /// The name in responses and logs: `done`, `duplicate`...
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Duplicate => "duplicate",
            Outcome::Ignored => "ignored",
            Outcome::Skipped => "skipped",
            Outcome::Superseded => "superseded",
            Outcome::Unreadable => "unreadable",
            Outcome::BadRequest => "bad_request",
            Outcome::Failed => "failed",
        }
    }
}

/// An outcome with its status, message and what the work cost, for the response and log.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub outcome: Outcome,
    pub status: u16,
    pub message: String,
    pub cost: Cost,
}

impl Reply {
    pub(crate) fn new(outcome: Outcome, message: impl Into<String>) -> Reply {
        let status = match outcome {
            Outcome::BadRequest => 400,
            Outcome::Failed => 503,
            _ => 200,
        };
        Reply { outcome, status, message: message.into(), cost: Cost::default() }
    }

    /// A failure from an I/O error: 500 when it is a refusal (a permission, a missing
    /// sidecar bucket, a bad setting) rather than unavailability, so that the two read
    /// apart in metrics. Both are delivered again: a refusal heals when the setting is
    /// fixed.
    fn failed(what: &str, err: &io::Error) -> Reply {
        let mut reply = Reply::new(Outcome::Failed, format!("{what}: {err}"));
        use io::ErrorKind::{InvalidInput, NotFound, PermissionDenied};
        if matches!(err.kind(), PermissionDenied | InvalidInput | NotFound) {
            reply.status = 500;
        }
        reply
    }

    fn with_cost(mut self, cost: Cost) -> Reply {
        self.cost = cost;
        self
    }
}

/// The long-lived pieces every request shares.
pub(crate) struct Handler {
    pub config: Config,
    gcs: Gcs,
    tokens: Tokens,
}

impl Handler {
    pub(crate) fn new(config: Config) -> Handler {
        let gcs = Gcs::new(&config.endpoint, &config.retry);
        let tokens =
            Tokens::new(config.token.as_deref(), &config.endpoint, &config.metadata_host, &config.retry);
        Handler { config, gcs, tokens }
    }

    /// Acts on a `finalized` event for `object`.
    pub(crate) fn finalized(&self, object: &StorageObject) -> Reply {
        let shown = format!("gs://{}/{}#{}", object.bucket, object.name, object.generation);
        let cfg = &self.config;
        let sidecar_bucket = cfg.sidecar_bucket.as_deref().unwrap_or(&object.bucket);
        if sidecar_bucket == object.bucket && object.name.starts_with(&cfg.sidecar_prefix) {
            return Reply::new(Outcome::Skipped, format!("{shown} is under the sidecar prefix: not read"));
        }
        let sidecar_name = format!("{}{}.json", cfg.sidecar_prefix, object.name);
        if sidecar_name.len() > super::event::MAX_NAME_LEN {
            let msg = format!(
                "{shown}: its sidecar's name would be too long for Cloud Storage (1024 bytes): not read"
            );
            return Reply::new(Outcome::Skipped, msg);
        }
        let sidecar = format!("gs://{sidecar_bucket}/{sidecar_name}");
        let auth = match self.tokens.authorization() {
            Ok(auth) => auth,
            Err(e) => return Reply::failed("no access token", &e),
        };
        let auth = auth.as_deref();

        // Already done (or a newer generation is)? Then nothing to read or write.
        let state = match self.gcs.sidecar_state(sidecar_bucket, &sidecar_name, auth) {
            Ok(state) => state,
            Err(e) => return Reply::failed("reading the sidecar's state", &e),
        };
        if let Some(done) = state.source_generation.filter(|g| *g >= object.generation) {
            let msg = format!("{sidecar} already describes generation {done}: {shown} not read again");
            return Reply::new(Outcome::Duplicate, msg);
        }

        let (body, cost, outcome) = match self.extract(object, auth) {
            Extracted::Meta(meta, cost) => match metadata_sidecar(object, &meta, cfg.output, cost) {
                Ok(body) => (body, cost, Outcome::Done),
                Err(e) => return Reply::new(Outcome::Failed, format!("{shown}: writing its JSON: {e}")),
            },
            Extracted::Unreadable(err, cost) => match error_sidecar(object, &err, cost) {
                Ok(body) => (body, cost, Outcome::Unreadable),
                Err(e) => return Reply::new(Outcome::Failed, format!("{shown}: writing its JSON: {e}")),
            },
            Extracted::Stop(reply) => return reply,
        };
        let put = self.gcs.put_sidecar(
            sidecar_bucket,
            &sidecar_name,
            &body,
            state.generation,
            object.generation,
            auth,
        );
        match put {
            Ok(Put::Written) => {
                let msg = match outcome {
                    Outcome::Unreadable => format!("{shown} could not be read; the error is in {sidecar}"),
                    _ => format!("{shown} read; metadata in {sidecar}"),
                };
                Reply::new(outcome, msg).with_cost(cost)
            }
            Ok(Put::Conflict) => {
                let msg = format!("{sidecar} was written by another delivery meanwhile: {shown} left to it");
                Reply::new(Outcome::Duplicate, msg).with_cost(cost)
            }
            Err(e) => Reply::failed(&format!("writing {sidecar}"), &e).with_cost(cost),
        }
    }

    /// Reads the event's generation of the object with ranged GETs and extracts it.
    fn extract(&self, object: &StorageObject, auth: Option<&str>) -> Extracted {
        let shown = format!("gs://{}/{}#{}", object.bucket, object.name, object.generation);
        let url = generation_url(&self.config.endpoint, &object.bucket, &object.name, object.generation);
        let ext = extension(&object.name);
        let mut http = HttpOptions::default()
            .with_retry(self.config.retry.clone())
            .with_tail(ext.and_then(tail_hint_for));
        if let Some(a) = auth {
            http = http.with_header("Authorization", a);
        }
        let options = &self.config.options;
        let source = match HttpSource::open_with(&url, options, &http) {
            Ok(source) => source,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return superseded(&shown),
            // An object too large for a server that ignores Range: a limit, as below.
            Err(e) if e.kind() == io::ErrorKind::QuotaExceeded => {
                return Extracted::Unreadable(Error::io(0, e), Cost::default());
            }
            Err(e) => return Extracted::Stop(Reply::failed(&format!("reading {shown}"), &e)),
        };
        let got = crate::extract_hinted(&source, options, ext);
        let http_source = source.inner();
        let stats = source.stats();
        let cost = Cost {
            size: Some(crate::ByteSource::len(&source)),
            bytes_read: stats.source_bytes,
            requests: http_source.requests(),
        };
        let failed_reads = http_source.failed_reads();
        match got {
            Err(e) if io_kind(&e) == Some(io::ErrorKind::NotFound) => superseded(&shown),
            // A read failed after its retries: whatever came of it, part of the file was
            // not read. Another delivery will read it whole.
            _ if failed_reads > 0 => {
                let msg = format!("reading {shown}: {failed_reads} ranged GETs failed after retries");
                Extracted::Stop(Reply::new(Outcome::Failed, msg).with_cost(cost))
            }
            Ok(meta) => Extracted::Meta(Box::new(meta), cost),
            Err(e) if e.kind() == ErrorKind::Io => {
                let err = io::Error::new(io_kind(&e).unwrap_or(io::ErrorKind::Other), e.to_string());
                Extracted::Stop(Reply::failed(&format!("reading {shown}"), &err).with_cost(cost))
            }
            Err(e) => Extracted::Unreadable(e, cost),
        }
    }
}

/// What reading an object came to.
enum Extracted {
    /// Boxed: a `Metadata` is large, and this passes through a few returns.
    Meta(Box<crate::model::Metadata>, Cost),
    /// metasift cannot read it: worth an error sidecar.
    Unreadable(Error, Cost),
    /// Nothing to write: answer with this.
    Stop(Reply),
}

fn superseded(shown: &str) -> Extracted {
    let msg = format!("{shown} no longer exists (overwritten or deleted since the event): not read");
    Extracted::Stop(Reply::new(Outcome::Superseded, msg))
}

/// The kind of the I/O error inside a metasift error, if there is one.
fn io_kind(e: &Error) -> Option<io::ErrorKind> {
    std::error::Error::source(e).and_then(|s| s.downcast_ref::<io::Error>()).map(io::Error::kind)
}

/// The extension of an object name's last segment, a hint for formats without magic.
fn extension(name: &str) -> Option<&str> {
    let last = name.rsplit('/').next()?;
    let (stem, ext) = last.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then_some(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_and_statuses() {
        assert_eq!(extension("a/b.c/clip.MP4"), Some("MP4"));
        assert_eq!((extension("a.d/file"), extension(".hidden"), extension("x.")), (None, None, None));
        assert_eq!(Reply::new(Outcome::Unreadable, "").status, 200);
        assert_eq!(Reply::new(Outcome::BadRequest, "").status, 400);
        let denied = io::Error::new(io::ErrorKind::PermissionDenied, "403");
        assert_eq!(Reply::failed("x", &denied).status, 500);
        assert_eq!(Reply::failed("x", &io::Error::other("503")).status, 503);
    }
}
