//! Sidecar files: the metadata of `key` as JSON at `{prefix}{key}.json`, in the sidecar
//! bucket (by default the object's own). They hold what a DynamoDB item cannot (the full
//! metadata of any size) for consumers that read S3.
//!
//! A sidecar must never set off its own extraction: [`is_sidecar_key`] tells the handler
//! which keys to skip (and the deployment should filter them out of the notification too).
//!
//! **Idempotency.** Each sidecar carries the [`Stamp`] of the write that made it in its
//! object metadata (`x-amz-meta-source-etag`, `-source-version-id`, `-source-sequencer`,
//! `-extracted-at`, `-extractor`). A write first reads that stamp (HEAD) and goes ahead
//! only under the rules of [`super::order`]; the PUT itself is conditional on the sidecar
//! not having changed since (`If-None-Match: *` when there was none, `If-Match` its ETag
//! otherwise), and a lost race is decided again. A delete cannot be made conditional
//! (S3 supports conditional deletes on directory buckets only): it is HEAD, decide, DELETE,
//! and a write landing between the two can be lost. DynamoDB stays the authoritative store;
//! sidecars are best effort where S3 gives no atomic step.

use super::config::Config;
use super::deliver_error::{DeliverError, Stage};
use super::order::{SkipReason, Stamp, delete_applies};
use super::record::{ObjectId, ObjectRecord};
use super::store::RemoveOutcome;
use aws_sdk_s3::Client;
use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::primitives::ByteStream;

/// The longest key S3 accepts, in bytes.
const MAX_KEY_BYTES: usize = 1024;

/// How often a write that lost a race to another writer decides again before giving up
/// (and leaving the retry to a redelivery).
const ATTEMPTS: usize = 3;

/// Where one object's sidecar lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidecarLocation {
    /// The sidecar bucket.
    pub bucket: String,
    /// `{prefix}{key}.json`.
    pub key: String,
}

impl SidecarLocation {
    /// `s3://bucket/key`.
    pub fn uri(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.key)
    }
}

/// What became of a sidecar write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SidecarOutcome {
    /// Written at this location.
    Written(SidecarLocation),
    /// Left as it was: the sidecar there is the same or newer.
    Skipped(SkipReason),
    /// Not written: prefix, key and `.json` together pass S3's 1,024-byte key limit.
    KeyTooLong,
    /// Sidecars are not configured.
    Disabled,
}

/// The sidecar of `key` in `bucket`: `None` when sidecars are off or the sidecar key would
/// be longer than S3 allows.
pub fn sidecar_location(config: &Config, bucket: &str, key: &str) -> Option<SidecarLocation> {
    let sidecar = config.sidecar.as_ref()?;
    let sidecar_key = format!("{}{key}.json", sidecar.prefix);
    if sidecar_key.len() > MAX_KEY_BYTES {
        return None;
    }
    let bucket = sidecar.bucket.clone().unwrap_or_else(|| bucket.to_owned());
    Some(SidecarLocation { bucket, key: sidecar_key })
}

/// Whether `key` in `bucket` is a sidecar (under the prefix, in the sidecar bucket): such
/// objects are never extracted, or every sidecar would beget another.
///
/// ```
/// use metasift::lambda::config::Config;
/// use metasift::lambda::sidecar::is_sidecar_key;
/// let config = Config::from_lookup(|n| (n == "METASIFT_SIDECAR_PREFIX").then(|| "meta/".to_owned()))?;
/// assert!(is_sidecar_key("photos", "meta/a.jpg.json", &config));
/// assert!(!is_sidecar_key("photos", "a.jpg", &config));
/// # Ok::<(), metasift::lambda::config::ConfigError>(())
/// ```
pub fn is_sidecar_key(bucket: &str, key: &str, config: &Config) -> bool {
    config.sidecar.as_ref().is_some_and(|s| {
        key.starts_with(&s.prefix)
            && s.bucket.as_deref().is_none_or(|sidecar_bucket| sidecar_bucket == bucket)
    })
}

/// The stamp and ETag of the sidecar at `at`, or `None` when there is none.
async fn head(client: &Client, at: &SidecarLocation) -> Result<Option<(String, Stamp)>, DeliverError> {
    let out = match client.head_object().bucket(&at.bucket).key(&at.key).send().await {
        Ok(out) => out,
        Err(err) if err.as_service_error().is_some_and(|e| e.is_not_found()) => return Ok(None),
        Err(err) => return Err(DeliverError::sdk(Stage::Sidecar, "HeadObject", err)),
    };
    let meta = out.metadata();
    let get = |name: &str| meta.and_then(|m| m.get(name)).filter(|v| !v.is_empty()).cloned();
    let stamp = Stamp {
        sequencer: get("source-sequencer"),
        etag: get("source-etag"),
        version_id: get("source-version-id"),
        extractor: get("extractor").unwrap_or_default(),
        extracted_at: get("extracted-at").unwrap_or_default(),
    };
    Ok(Some((out.e_tag().unwrap_or_default().to_owned(), stamp)))
}

/// Writes `record`'s metadata to its sidecar at `at` unless the one there is as new.
pub(crate) async fn write(
    client: &Client,
    at: &SidecarLocation,
    record: &ObjectRecord,
) -> Result<SidecarOutcome, DeliverError> {
    let stamp = record.stamp();
    let body = serde_json::to_vec(&record.metadata)
        .map_err(|e| DeliverError::new(Stage::Sidecar, format!("serializing the metadata: {e}")))?;
    for _ in 0..ATTEMPTS {
        let existing = head(client, at).await?;
        if let Some(reason) = existing.as_ref().and_then(|(_, old)| stamp.check_against(old)) {
            return Ok(SidecarOutcome::Skipped(reason));
        }
        let mut put = client
            .put_object()
            .bucket(&at.bucket)
            .key(&at.key)
            .content_type("application/json")
            .body(ByteStream::from(body.clone()))
            .metadata("extracted-at", &stamp.extracted_at)
            .metadata("extractor", &stamp.extractor);
        for (name, value) in [
            ("source-etag", &stamp.etag),
            ("source-version-id", &stamp.version_id),
            ("source-sequencer", &stamp.sequencer),
        ] {
            if let Some(v) = value {
                put = put.metadata(name, v);
            }
        }
        put = match existing {
            Some((etag, _)) => put.if_match(etag),
            None => put.if_none_match("*"),
        };
        match put.send().await {
            Ok(_) => return Ok(SidecarOutcome::Written(at.clone())),
            // 412: the sidecar changed since the HEAD; 409: a concurrent conditional write.
            Err(err) if matches!(err.code(), Some("PreconditionFailed" | "ConditionalRequestConflict")) => {}
            Err(err) => return Err(DeliverError::sdk(Stage::Sidecar, "PutObject", err)),
        }
    }
    Err(DeliverError::new(
        Stage::Sidecar,
        format!("{} kept changing while being written ({ATTEMPTS} attempts)", at.uri()),
    ))
}

/// Deletes the sidecar of `object` at `at` unless it is newer than the delete.
pub(crate) async fn remove(
    client: &Client,
    at: &SidecarLocation,
    object: &ObjectId,
) -> Result<RemoveOutcome, DeliverError> {
    let Some((_, stored)) = head(client, at).await? else {
        return Ok(RemoveOutcome::Absent);
    };
    let seq = object.normalized_sequencer();
    let time = object.normalized_event_time();
    if !delete_applies(seq.as_deref(), time.as_deref(), &stored) {
        return Ok(RemoveOutcome::Kept);
    }
    match client.delete_object().bucket(&at.bucket).key(&at.key).send().await {
        Ok(_) => Ok(RemoveOutcome::Removed),
        Err(err) => Err(DeliverError::sdk(Stage::Sidecar, "DeleteObject", err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::config::SidecarConfig;

    fn config(prefix: &str, bucket: Option<&str>) -> Config {
        let sidecar = SidecarConfig { prefix: prefix.into(), bucket: bucket.map(str::to_owned) };
        Config { sidecar: Some(sidecar), ..Config::default() }
    }

    #[test]
    fn locations_follow_the_configuration() {
        assert_eq!(sidecar_location(&Config::default(), "b", "k"), None);
        let own = sidecar_location(&config("meta/", None), "photos", "a/b.jpg").unwrap();
        assert_eq!(own.uri(), "s3://photos/meta/a/b.jpg.json");
        let other = sidecar_location(&config("m/", Some("side")), "photos", "a.jpg").unwrap();
        assert_eq!(other.uri(), "s3://side/m/a.jpg.json");
        let long_key = "k".repeat(MAX_KEY_BYTES - 5);
        assert!(sidecar_location(&config("", Some("side")), "photos", &long_key).is_some());
        assert!(sidecar_location(&config("m/", Some("side")), "photos", &long_key).is_none());
    }

    #[test]
    fn sidecars_are_recognised_in_their_bucket_only() {
        assert!(!is_sidecar_key("b", "meta/x.json", &Config::default()));
        assert!(is_sidecar_key("any", "meta/x.json", &config("meta/", None)));
        assert!(is_sidecar_key("side", "m/x.json", &config("m/", Some("side"))));
        assert!(!is_sidecar_key("photos", "m/x.json", &config("m/", Some("side"))));
        assert!(!is_sidecar_key("side", "x.json", &config("m/", Some("side"))));
    }
}
