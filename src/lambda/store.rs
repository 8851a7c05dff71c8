//! The DynamoDB table: the authoritative, idempotent store. Each write is one conditional
//! `PutItem` whose condition is the rule of [`super::order`] written as a DynamoDB
//! condition expression, so that deciding and writing are one atomic step: concurrent
//! deliveries of the same or of out-of-order events cannot both win.
//!
//! A write refused by its condition is not an error: it comes back as
//! [`WriteOutcome::Skipped`], with the reason read from the item DynamoDB returns on a
//! failed condition (`ReturnValuesOnConditionCheckFailure = ALL_OLD`, so no extra read).
//!
//! The item also remembers whether its notification was published (`notified`), so that
//! a redelivery after a failure between the write and the publish still notifies once.

use super::deliver_error::{DeliverError, Stage};
use super::item::Item;
use super::order::{SkipReason, Stamp};
use super::record::{ObjectId, ObjectRecord};
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};
use std::collections::HashMap;

/// What became of a write to the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The item was written; `truncated` when only the summary fitted.
    Written {
        /// Whether the metadata was cut to the summary (see [`super::item::build_item`]).
        truncated: bool,
    },
    /// The item was left as it was: the stored one is the same or newer.
    Skipped(SkipReason),
    /// No table is configured.
    Disabled,
}

/// What became of a delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveOutcome {
    /// The item (or sidecar) was deleted.
    Removed,
    /// There was nothing to delete.
    Absent,
    /// What is stored is newer than the delete (the object was written again), and stays.
    Kept,
    /// That output is not configured.
    Disabled,
}

/// The result of [`put`]: the outcome, and the item that still awaits its notification,
/// if any: a new write, or a duplicate of one whose notification was never marked as
/// published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Put {
    pub outcome: WriteOutcome,
    pub unannounced: Option<Unannounced>,
}

/// A stored item not yet marked as notified, named by its `extracted_at`: for a duplicate
/// that is the earlier write's, not the redelivered record's (a redelivery extracts again,
/// later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unannounced {
    pub extracted_at: String,
}

/// A condition expression with its placeholders. Every attribute goes through a `#name`
/// placeholder: `key` and `size` are DynamoDB reserved words.
#[derive(Default)]
struct Condition {
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl Condition {
    fn name(&mut self, attribute: &str) -> String {
        let placeholder = format!("#{attribute}");
        self.names.insert(placeholder.clone(), attribute.to_owned());
        placeholder
    }

    fn value(&mut self, attribute: &str, value: &str) -> String {
        let placeholder = format!(":{attribute}");
        self.values.insert(placeholder.clone(), AttributeValue::S(value.to_owned()));
        placeholder
    }

    /// `#a = :a`, or `attribute_not_exists(#a)` when the value is absent.
    fn equals(&mut self, attribute: &str, value: Option<&str>) -> String {
        let n = self.name(attribute);
        match value {
            Some(v) => format!("{n} = {}", self.value(attribute, v)),
            None => format!("attribute_not_exists({n})"),
        }
    }

    /// `#a < :a`: the stored value is before `value`.
    fn before(&mut self, attribute: &str, value: &str) -> String {
        let n = self.name(attribute);
        format!("{n} < {}", self.value(attribute, value))
    }

    /// The stored item describes the same content from the same extractor.
    fn same_content(&mut self, stamp: &Stamp) -> String {
        let etag = self.equals("etag", stamp.etag.as_deref());
        let version = self.equals("version_id", stamp.version_id.as_deref());
        let extractor = self.equals("extractor", Some(&stamp.extractor));
        format!("({etag} AND {version} AND {extractor})")
    }
}

/// The condition under which a write stamped `stamp` replaces the stored item: no item,
/// or one that [`Stamp::check_against`] lets it replace.
fn put_condition(stamp: &Stamp) -> (String, Condition) {
    let mut c = Condition::default();
    let pk = c.name("pk");
    let expr = match &stamp.sequencer {
        Some(seq) => {
            let s = c.name("sequencer");
            let newer = c.before("sequencer", seq);
            let same = c.same_content(stamp);
            format!(
                "attribute_not_exists({pk}) OR (attribute_exists({s}) AND {newer}) \
                 OR (attribute_not_exists({s}) AND NOT {same})"
            )
        }
        None => {
            let same = c.same_content(stamp);
            let later = c.before("extracted_at", &stamp.extracted_at);
            format!("attribute_not_exists({pk}) OR (NOT {same} AND {later})")
        }
    };
    (expr, c)
}

/// The condition under which a delete ordered by `sequencer` / `event_time` applies
/// ([`super::order::delete_applies`]); `None`: unconditionally.
fn delete_condition(sequencer: Option<&str>, event_time: Option<&str>) -> Option<(String, Condition)> {
    // Placeholders are made only for what the expression uses: DynamoDB refuses unused ones.
    let mut c = Condition::default();
    let by_time = event_time.map(|t| {
        let at = c.name("extracted_at");
        let before = c.before("extracted_at", t);
        format!("(attribute_not_exists({at}) OR {before})")
    });
    let expr = match (sequencer, by_time) {
        (Some(seq), by_time) => {
            let s = c.name("sequencer");
            let newer = c.before("sequencer", seq);
            let unsequenced = match by_time {
                Some(t) => format!("(attribute_not_exists({s}) AND {t})"),
                None => format!("attribute_not_exists({s})"),
            };
            format!("(attribute_exists({s}) AND {newer}) OR {unsequenced}")
        }
        (None, Some(t)) => t,
        (None, None) => return None,
    };
    Some((expr, c))
}

/// The [`Stamp`] of a stored item.
pub(crate) fn stamp_of(item: &HashMap<String, AttributeValue>) -> Stamp {
    let text = |name: &str| match item.get(name) {
        Some(AttributeValue::S(s)) => Some(s.clone()),
        _ => None,
    };
    Stamp {
        sequencer: text("sequencer"),
        etag: text("etag"),
        version_id: text("version_id"),
        extractor: text("extractor").unwrap_or_default(),
        extracted_at: text("extracted_at").unwrap_or_default(),
    }
}

/// Writes `item` (built from `record`) to `table` if it is newer than what is stored.
pub(crate) async fn put(
    client: &Client,
    table: &str,
    record: &ObjectRecord,
    item: Item,
) -> Result<Put, DeliverError> {
    let stamp = record.stamp();
    let (expr, cond) = put_condition(&stamp);
    let truncated = item.truncated;
    let result = client
        .put_item()
        .table_name(table)
        .set_item(Some(item.attributes))
        .condition_expression(expr)
        .set_expression_attribute_names(Some(cond.names))
        .set_expression_attribute_values(Some(cond.values))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await;
    match result {
        Ok(_) => Ok(Put {
            outcome: WriteOutcome::Written { truncated },
            unannounced: Some(Unannounced { extracted_at: stamp.extracted_at }),
        }),
        Err(err) => match err.as_service_error() {
            Some(PutItemError::ConditionalCheckFailedException(e)) => {
                // Without the old item (a store that does not return it) the reason is
                // unknown: count it stale, which neither writes nor notifies.
                let old = e.item();
                let reason =
                    old.and_then(|old| stamp.check_against(&stamp_of(old))).unwrap_or(SkipReason::Stale);
                let unannounced = old
                    .filter(|o| {
                        reason == SkipReason::Duplicate
                            && o.get("notified") != Some(&AttributeValue::Bool(true))
                    })
                    .map(|o| Unannounced { extracted_at: stamp_of(o).extracted_at });
                Ok(Put { outcome: WriteOutcome::Skipped(reason), unannounced })
            }
            _ => Err(DeliverError::sdk(Stage::Store, "PutItem", err)),
        },
    }
}

/// Marks the item of `object` written at `item.extracted_at` as notified. A failed
/// condition means a newer write replaced it meanwhile (and will notify for itself): not
/// an error.
pub(crate) async fn mark_notified(
    client: &Client,
    table: &str,
    object: &ObjectId,
    item: &Unannounced,
) -> Result<(), DeliverError> {
    let mut c = Condition::default();
    let same_write = c.equals("extracted_at", Some(&item.extracted_at));
    let notified = c.name("notified");
    c.values.insert(":notified".into(), AttributeValue::Bool(true));
    let result = client
        .update_item()
        .table_name(table)
        .key("pk", AttributeValue::S(object.uri()))
        .update_expression(format!("SET {notified} = :notified"))
        .condition_expression(same_write)
        .set_expression_attribute_names(Some(c.names))
        .set_expression_attribute_values(Some(c.values))
        .send()
        .await;
    match result {
        Ok(_) => Ok(()),
        Err(err) if err.as_service_error().is_some_and(|e| e.is_conditional_check_failed_exception()) => {
            Ok(())
        }
        Err(err) => Err(DeliverError::sdk(Stage::Store, "UpdateItem", err)),
    }
}

/// Deletes the item of `object` from `table` unless what is stored is newer than the
/// delete (see [`super::order::delete_applies`]).
pub(crate) async fn remove(
    client: &Client,
    table: &str,
    object: &ObjectId,
) -> Result<RemoveOutcome, DeliverError> {
    let seq = object.normalized_sequencer();
    let time = object.normalized_event_time();
    let mut request = client
        .delete_item()
        .table_name(table)
        .key("pk", AttributeValue::S(object.uri()))
        .return_values(ReturnValue::AllOld);
    if let Some((expr, c)) = delete_condition(seq.as_deref(), time.as_deref()) {
        request = request
            .condition_expression(expr)
            .set_expression_attribute_names(Some(c.names))
            .set_expression_attribute_values(Some(c.values));
    }
    match request.send().await {
        Ok(out) if out.attributes().is_some_and(|a| !a.is_empty()) => Ok(RemoveOutcome::Removed),
        Ok(_) => Ok(RemoveOutcome::Absent),
        Err(err) if err.as_service_error().is_some_and(|e| e.is_conditional_check_failed_exception()) => {
            Ok(RemoveOutcome::Kept)
        }
        Err(err) => Err(DeliverError::sdk(Stage::Store, "DeleteItem", err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(seq: Option<&str>) -> Stamp {
        Stamp {
            sequencer: seq.map(str::to_owned),
            etag: Some("e".into()),
            version_id: None,
            extractor: "x".into(),
            extracted_at: "2024-01-01T00:00:00.000Z".into(),
        }
    }

    #[test]
    fn put_conditions_follow_the_ordering_rules() {
        let (expr, c) = put_condition(&stamp(Some("0A")));
        assert_eq!(
            expr,
            "attribute_not_exists(#pk) OR (attribute_exists(#sequencer) AND #sequencer < :sequencer) \
             OR (attribute_not_exists(#sequencer) AND NOT (#etag = :etag AND \
             attribute_not_exists(#version_id) AND #extractor = :extractor))"
        );
        assert_eq!(c.names["#sequencer"], "sequencer");
        assert_eq!(c.values[":sequencer"], AttributeValue::S("0A".into()));
        let (expr, c) = put_condition(&stamp(None));
        assert!(expr.ends_with("#extracted_at < :extracted_at)"), "{expr}");
        assert!(!c.names.contains_key("#sequencer"));
    }

    #[test]
    fn delete_conditions_follow_the_ordering_rules() {
        assert!(delete_condition(None, None).is_none());
        let (expr, _) = delete_condition(Some("0B"), None).unwrap();
        assert_eq!(
            expr,
            "(attribute_exists(#sequencer) AND #sequencer < :sequencer) OR attribute_not_exists(#sequencer)"
        );
        let (expr, c) = delete_condition(None, Some("2024-01-01T00:00:00.000Z")).unwrap();
        assert_eq!(expr, "(attribute_not_exists(#extracted_at) OR #extracted_at < :extracted_at)");
        assert_eq!(c.values.len(), 1);
        let (expr, _) = delete_condition(Some("0B"), Some("t")).unwrap();
        assert!(expr.contains("(attribute_not_exists(#sequencer) AND (attribute_not_exists(#extracted_at)"));
    }

    #[test]
    fn stored_items_give_back_their_stamp() {
        let s = stamp(Some("0A"));
        let mut item = HashMap::new();
        item.insert("sequencer".into(), AttributeValue::S("0A".into()));
        item.insert("etag".into(), AttributeValue::S("e".into()));
        item.insert("extractor".into(), AttributeValue::S("x".into()));
        item.insert("extracted_at".into(), AttributeValue::S(s.extracted_at.clone()));
        assert_eq!(stamp_of(&item), s);
    }
}
