//! Delivery of one record to every configured output, in the order that keeps them
//! consistent under at-least-once, unordered delivery:
//!
//! 1. **The table first**: its conditional write is the gate. A stale record (something
//!    newer is stored) stops there: no sidecar, no notification.
//! 2. **Then the sidecar**, for new writes and for duplicates alike: a duplicate may be
//!    the redelivery of an attempt that failed after the table write, and the sidecar's
//!    own stamp check makes writing it again a no-op when it is already there.
//! 3. **Then the notification**, only for a write that has not been announced: a new
//!    write, or a duplicate of one whose `notified` mark is missing (the earlier attempt
//!    failed before or while publishing). The mark is set after publishing, so a crash
//!    between the two can still publish twice; SNS itself delivers at least once, so
//!    subscribers must tolerate that rare duplicate anyway.
//!
//! Without a table, the sidecar's check is the gate for the notification (a duplicate
//! there is not announced again); with neither, every delivery is announced.
//!
//! An item may name its sidecar a moment before the sidecar is written (or, if that
//! write fails, until the redelivery writes it).

use super::config::Config;
use super::deliver_error::DeliverError;
use super::item::build_item;
use super::notify;
use super::order::SkipReason;
use super::record::{ObjectId, ObjectRecord};
use super::sidecar::{self, SidecarOutcome, sidecar_location};
use super::store::{self, RemoveOutcome, WriteOutcome};

/// The AWS clients the outputs use.
#[derive(Debug, Clone)]
pub struct Clients {
    /// For the table.
    pub dynamodb: aws_sdk_dynamodb::Client,
    /// For sidecars.
    pub s3: aws_sdk_s3::Client,
    /// For notifications.
    pub sns: aws_sdk_sns::Client,
}

impl Clients {
    /// Clients from a loaded SDK configuration. When it names an endpoint (a local stack
    /// such as moto or MinIO, through `AWS_ENDPOINT_URL` or `endpoint_url`), S3 requests
    /// use path-style addressing, which such stacks need.
    pub fn from_sdk_config(sdk: &aws_config::SdkConfig) -> Clients {
        let s3 =
            aws_sdk_s3::config::Builder::from(sdk).force_path_style(sdk.endpoint_url().is_some()).build();
        Clients {
            dynamodb: aws_sdk_dynamodb::Client::new(sdk),
            s3: aws_sdk_s3::Client::from_conf(s3),
            sns: aws_sdk_sns::Client::new(sdk),
        }
    }

    /// Clients from the environment, as the SDK finds it in a Lambda (region, the
    /// function role's credentials, `AWS_ENDPOINT_URL`).
    pub async fn from_env() -> Clients {
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        Clients::from_sdk_config(&sdk)
    }
}

/// What became of the notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotifyOutcome {
    /// Published, with SNS's message id.
    Published(String),
    /// Not published: the record was stale, or a duplicate already announced.
    Suppressed,
    /// No topic is configured.
    Disabled,
}

/// What [`deliver`] did with each output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The table write.
    pub store: WriteOutcome,
    /// The sidecar write.
    pub sidecar: SidecarOutcome,
    /// The notification.
    pub notify: NotifyOutcome,
}

impl Outcome {
    /// One word for logs: `written`, `truncated` (written, summary only), `duplicate`,
    /// `stale`, or `delivered` when there is no table.
    pub fn name(&self) -> &'static str {
        match self.store {
            WriteOutcome::Written { truncated: false } => "written",
            WriteOutcome::Written { truncated: true } => "truncated",
            WriteOutcome::Skipped(reason) => reason.name(),
            WriteOutcome::Disabled => match self.sidecar {
                SidecarOutcome::Skipped(reason) => reason.name(),
                _ => "delivered",
            },
        }
    }
}

/// What [`remove`] did with each output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removal {
    /// The table item.
    pub store: RemoveOutcome,
    /// The sidecar.
    pub sidecar: RemoveOutcome,
}

/// Writes `record` to the table, its sidecar and the topic, as configured, each only if
/// it is newer than what is there (see the module docs for the order and
/// [`super::order`] for what "newer" means).
///
/// A record that is not newer is not an error: its outcome says `Skipped`. An error means
/// an output could not be reached or refused the write for another reason (after the
/// SDK's own retries of throttling and server errors): report the object as failed so that
/// the event is delivered again.
pub async fn deliver(
    clients: &Clients,
    config: &Config,
    record: &ObjectRecord,
) -> Result<Outcome, DeliverError> {
    let o = &record.object;
    let sidecar_at = sidecar_location(config, &o.bucket, &o.key);
    let sidecar_uri = sidecar_at.as_ref().map(|s| s.uri());

    // With a table: the item awaiting its notification, if any (`Some(None)`: none).
    let (store, unannounced) = match &config.table {
        Some(table) => {
            let item = build_item(record, sidecar_uri.as_deref());
            let put = store::put(&clients.dynamodb, table, record, item).await?;
            (put.outcome, Some(put.unannounced))
        }
        None => (WriteOutcome::Disabled, None),
    };
    if store == WriteOutcome::Skipped(SkipReason::Stale) {
        let sidecar = match config.sidecar {
            Some(_) => SidecarOutcome::Skipped(SkipReason::Stale),
            None => SidecarOutcome::Disabled,
        };
        let notify = match config.topic_arn {
            Some(_) => NotifyOutcome::Suppressed,
            None => NotifyOutcome::Disabled,
        };
        return Ok(Outcome { store, sidecar, notify });
    }

    let sidecar = match (&sidecar_at, &config.sidecar) {
        (Some(at), _) => sidecar::write(&clients.s3, at, record).await?,
        (None, Some(_)) => SidecarOutcome::KeyTooLong,
        (None, None) => SidecarOutcome::Disabled,
    };

    let announce = match &unannounced {
        Some(item) => item.is_some(),
        None => !matches!(sidecar, SidecarOutcome::Skipped(_)),
    };
    let notify = match &config.topic_arn {
        None => NotifyOutcome::Disabled,
        Some(_) if !announce => NotifyOutcome::Suppressed,
        Some(topic) => {
            let id = notify::publish(&clients.sns, topic, record, sidecar_uri.as_deref()).await?;
            if let (Some(table), Some(Some(item))) = (&config.table, &unannounced) {
                store::mark_notified(&clients.dynamodb, table, o, item).await?;
            }
            NotifyOutcome::Published(id)
        }
    };
    Ok(Outcome { store, sidecar, notify })
}

/// Removes what the outputs hold for a deleted `object`: its item and its sidecar, each
/// unless what is stored is newer than the delete (the object was written again; see
/// [`super::order::delete_applies`]). Nothing is published.
///
/// In a versioned bucket, a delete event also reports the permanent deletion of an old
/// version while a newer one is current; the caller should check (a HEAD of the object)
/// that the object is gone before calling this for such events.
pub async fn remove(clients: &Clients, config: &Config, object: &ObjectId) -> Result<Removal, DeliverError> {
    let store = match &config.table {
        Some(table) => store::remove(&clients.dynamodb, table, object).await?,
        None => RemoveOutcome::Disabled,
    };
    let sidecar = match sidecar_location(config, &object.bucket, &object.key) {
        // The table says the object was written again: its sidecar is newer too.
        Some(_) if store == RemoveOutcome::Kept => RemoveOutcome::Kept,
        Some(at) => sidecar::remove(&clients.s3, &at, object).await?,
        None if config.sidecar.is_some() => RemoveOutcome::Absent,
        None => RemoveOutcome::Disabled,
    };
    Ok(Removal { store, sidecar })
}
