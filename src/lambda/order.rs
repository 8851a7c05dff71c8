//! Which of two writes about one object wins: the ordering rules every output shares.
//!
//! S3 delivers event notifications at least once and in no particular order, so a handler
//! may see the same event twice, or an older event after a newer one. Each write carries
//! a [`Stamp`], and a write goes ahead only when it is newer than what is stored:
//!
//! 1. **Both have a sequencer** (S3 notifications and EventBridge events for PUTs and
//!    DELETEs carry one): the greater sequencer wins; an equal one is a duplicate.
//! 2. **The new write has a sequencer, the stored one has not** (it came from a Batch
//!    Operations job or a manual run): the new write wins, unless the stored one already
//!    describes the same object content with the same extractor (a duplicate).
//! 3. **The new write has no sequencer**: a write describing the same content with the
//!    same extractor as the stored one is a duplicate; otherwise the later `extracted_at`
//!    wins. This is sound because the handler reads the object when it runs and S3 reads
//!    are strongly consistent: an extraction that started later saw the same object or a
//!    newer one. A re-run with a newer metasift (a new `extractor`) over unchanged objects
//!    is therefore not a duplicate: it replaces what the older version wrote.
//!
//! "Same content" means the same `etag` and the same `version_id` (both absent counts as
//! the same). `extracted_at` is fixed-width RFC 3339 UTC with milliseconds, so that
//! comparing the strings compares the instants (DynamoDB conditions compare strings).
//!
//! **Sequencers.** S3 documents that sequencers of one key may differ in length and are
//! compared after right-padding the shorter with zeros (the digits that matter come
//! first). [`normalize_sequencer`] pads every sequencer to [`SEQUENCER_WIDTH`] digits and
//! upper-cases it, so that any two normalised sequencers compare correctly as plain
//! strings, in Rust and in a DynamoDB condition alike. The normalised form is what is
//! stored.

use std::cmp::Ordering;

/// The width sequencers are padded to. S3's are 16 to 20 hex digits today; 64 leaves room.
pub const SEQUENCER_WIDTH: usize = 64;

/// `sequencer` padded on the right with `0` to [`SEQUENCER_WIDTH`] hex digits, upper case;
/// `None` when it is empty, not hexadecimal, or longer than that width. Such a value cannot
/// come from S3; a write carrying one is ordered as if it had no sequencer (rule 3).
///
/// ```
/// use metasift::lambda::order::normalize_sequencer;
/// let a = normalize_sequencer("0055AED6DCD90281E5").unwrap();
/// let b = normalize_sequencer("0055aed6dcd90281e6").unwrap();
/// assert!(a < b);
/// assert_eq!(a.len(), 64);
/// // Right-padding: a shorter sequencer is the same as itself followed by zeros.
/// assert_eq!(normalize_sequencer("0055AE"), normalize_sequencer("0055AE00"));
/// ```
pub fn normalize_sequencer(sequencer: &str) -> Option<String> {
    let s = sequencer.trim();
    if s.is_empty() || s.len() > SEQUENCER_WIDTH || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = s.to_ascii_uppercase();
    out.extend(std::iter::repeat_n('0', SEQUENCER_WIDTH - s.len()));
    Some(out)
}

/// What orders one write about an object against another (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp {
    /// The normalised sequencer ([`normalize_sequencer`]), when the event had one.
    pub sequencer: Option<String>,
    /// The object's entity tag.
    pub etag: Option<String>,
    /// The object's version, in a versioned bucket.
    pub version_id: Option<String>,
    /// What produced the metadata: metasift's version and the output mode.
    pub extractor: String,
    /// When the extraction started, fixed-width RFC 3339 UTC.
    pub extracted_at: String,
}

/// Why a write was not made. Neither is a failure: the stored data is already right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The same event (or the same object content, from the same extractor) was already
    /// written: a redelivery.
    Duplicate,
    /// Something newer is stored: this event arrived late.
    Stale,
}

impl SkipReason {
    /// A short name for logs: `duplicate` or `stale`.
    pub fn name(self) -> &'static str {
        match self {
            SkipReason::Duplicate => "duplicate",
            SkipReason::Stale => "stale",
        }
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Stamp {
    /// Whether `self` describes the same object content from the same extractor.
    pub fn same_content(&self, other: &Stamp) -> bool {
        self.etag == other.etag && self.version_id == other.version_id && self.extractor == other.extractor
    }

    /// `None` when `self`, a new write, replaces `stored`; otherwise why it does not.
    pub fn check_against(&self, stored: &Stamp) -> Option<SkipReason> {
        match (&self.sequencer, &stored.sequencer) {
            (Some(new), Some(old)) => match new.cmp(old) {
                Ordering::Greater => None,
                Ordering::Equal => Some(SkipReason::Duplicate),
                Ordering::Less => Some(SkipReason::Stale),
            },
            (Some(_), None) => self.same_content(stored).then_some(SkipReason::Duplicate),
            (None, _) if self.same_content(stored) => Some(SkipReason::Duplicate),
            (None, _) => (self.extracted_at <= stored.extracted_at).then_some(SkipReason::Stale),
        }
    }
}

/// Whether a delete ordered by `sequencer` (normalised) or, without one, by `event_time`
/// (fixed-width RFC 3339 UTC) removes what `stored` describes. With neither, it does:
/// nothing says the object came back.
///
/// A delete with a sequencer removes an item with an older sequencer. An item without
/// one (or any item, for a delete without a sequencer) is removed when its extraction
/// started before the delete happened: an extraction that started after the delete can
/// only have read the object if it was created again.
pub fn delete_applies(sequencer: Option<&str>, event_time: Option<&str>, stored: &Stamp) -> bool {
    match (sequencer, stored.sequencer.as_deref()) {
        (Some(new), Some(old)) => new > old,
        _ => event_time.is_none_or(|t| stored.extracted_at.as_str() < t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(seq: Option<&str>, etag: &str, at: &str) -> Stamp {
        Stamp {
            sequencer: seq.and_then(normalize_sequencer),
            etag: Some(etag.into()),
            version_id: None,
            extractor: "metasift/1 native".into(),
            extracted_at: at.into(),
        }
    }

    #[test]
    fn sequencers_normalise_to_comparable_strings() {
        assert_eq!(normalize_sequencer(""), None);
        assert_eq!(normalize_sequencer("12G4"), None);
        assert_eq!(normalize_sequencer(&"1".repeat(SEQUENCER_WIDTH + 1)), None);
        let short = normalize_sequencer("0055AED6DCD90281E5").unwrap();
        let long = normalize_sequencer("0055AED6DCD90281E500").unwrap();
        assert_eq!(short, long, "right-padding makes these the same sequencer");
        let later = normalize_sequencer("0055AED6DCD90281E501").unwrap();
        assert!(later > short);
        assert!(normalize_sequencer("0055AED6DCD90281F").unwrap() > later);
    }

    #[test]
    fn sequenced_writes_order_by_sequencer() {
        let stored = stamp(Some("0A"), "e1", "2024-01-01T00:00:00.000Z");
        assert_eq!(stamp(Some("0B"), "e2", "2023-01-01T00:00:00.000Z").check_against(&stored), None);
        let dup = stamp(Some("0A"), "e1", "2024-02-01T00:00:00.000Z");
        assert_eq!(dup.check_against(&stored), Some(SkipReason::Duplicate));
        let old = stamp(Some("09"), "e0", "2025-01-01T00:00:00.000Z");
        assert_eq!(old.check_against(&stored), Some(SkipReason::Stale));
    }

    #[test]
    fn unsequenced_writes_order_by_extraction_time() {
        let stored = stamp(None, "e1", "2024-01-01T00:00:00.000Z");
        let same = stamp(None, "e1", "2024-06-01T00:00:00.000Z");
        assert_eq!(same.check_against(&stored), Some(SkipReason::Duplicate));
        let mut upgraded = same.clone();
        upgraded.extractor = "metasift/2 native".into();
        assert_eq!(upgraded.check_against(&stored), None, "a new extractor re-indexes");
        assert_eq!(stamp(None, "e2", "2024-06-01T00:00:00.000Z").check_against(&stored), None);
        let earlier = stamp(None, "e2", "2023-06-01T00:00:00.000Z");
        assert_eq!(earlier.check_against(&stored), Some(SkipReason::Stale));
        // A sequenced event over an unsequenced item wins unless it is the same content.
        assert_eq!(stamp(Some("01"), "e2", "2020-01-01T00:00:00.000Z").check_against(&stored), None);
        let same_seq = stamp(Some("01"), "e1", "2020-01-01T00:00:00.000Z");
        assert_eq!(same_seq.check_against(&stored), Some(SkipReason::Duplicate));
    }

    #[test]
    fn deletes_order_by_sequencer_then_time() {
        let stored = stamp(Some("0A"), "e1", "2024-01-01T00:00:00.000Z");
        let seq = |s| normalize_sequencer(s);
        assert!(delete_applies(seq("0B").as_deref(), None, &stored));
        assert!(!delete_applies(seq("09").as_deref(), None, &stored));
        assert!(!delete_applies(seq("0A").as_deref(), None, &stored));
        let unsequenced = stamp(None, "e1", "2024-01-01T00:00:00.000Z");
        assert!(delete_applies(seq("01").as_deref(), None, &unsequenced));
        assert!(delete_applies(None, Some("2024-01-01T00:00:01.000Z"), &unsequenced));
        assert!(!delete_applies(None, Some("2023-12-31T23:59:59.000Z"), &unsequenced));
        assert!(delete_applies(None, None, &stored));
    }
}
