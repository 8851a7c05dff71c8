//! CloudEvents as HTTP carries them (HTTP protocol binding 1.0): binary content mode (the
//! attributes in `ce-*` headers, the data in the body) and structured content mode (one
//! `application/cloudevents+json` object), and the data of a Cloud Storage object event.
//!
//! Pure: headers and body in, a [`Delivery`] or a [`BadRequest`] out. Strict where a
//! mistake would read the wrong object (bucket, name, generation) or where the spec says
//! MUST (the required attributes), lenient on everything else.

use serde_json::{Map, Value as Json};
use std::fmt;

/// The event type Cloud Storage sends when an object is created or overwritten: the only
/// one processed.
pub const FINALIZED: &str = "google.cloud.storage.object.v1.finalized";

/// Longest object name Cloud Storage allows, in bytes of UTF-8.
pub(crate) const MAX_NAME_LEN: usize = 1024;

/// The context attributes of a CloudEvent that the entry uses (the rest are ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CloudEvent {
    /// `id`: with `source`, what identifies the event (a redelivery has the same).
    pub id: String,
    /// `source`, e.g. `//storage.googleapis.com/projects/_/buckets/photos`.
    pub source: String,
    /// `type`, e.g. [`FINALIZED`].
    pub event_type: String,
    /// `subject`, e.g. `objects/2024/beach.jpg`, when given.
    pub subject: Option<String>,
    /// How the event came.
    pub mode: ContentMode,
}

/// How a CloudEvent was laid out in the HTTP request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentMode {
    /// Attributes in `ce-*` headers, data in the body (what Eventarc sends to Cloud Run).
    Binary,
    /// The whole event as one `application/cloudevents+json` object.
    Structured,
}

/// The fields of Cloud Storage's `StorageObjectData` that the entry reads.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StorageObject {
    /// The bucket's name.
    pub bucket: String,
    /// The object's name (not URL-encoded).
    pub name: String,
    /// The generation the event is about: reads are pinned to it.
    pub generation: u64,
    /// `metageneration`, when given and a number.
    pub metageneration: Option<u64>,
    /// `size` in bytes, when given and a number (for logs only: the size read is the one
    /// the first ranged GET reports).
    pub size: Option<u64>,
    /// `contentType`, when given.
    pub content_type: Option<String>,
}

/// What one HTTP request delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Delivery {
    /// A [`FINALIZED`] event and the object it names.
    Finalized(CloudEvent, StorageObject),
    /// A valid CloudEvent of another type: acknowledged and not processed (an error
    /// status would only make Eventarc send it again).
    Other(CloudEvent),
}

/// Why a request is not an event the entry can act on; answered with 400 and this message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(String);

impl BadRequest {
    fn new(message: impl Into<String>) -> Self {
        BadRequest(message.into())
    }

    /// What was wrong, naming the header or field.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BadRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadRequest {}

/// Reads a CloudEvent from an HTTP request's headers (names in any case) and body.
///
/// ```
/// use metasift::cloudevents::{Delivery, FINALIZED, parse_request};
/// let headers = [
///     ("ce-specversion", "1.0"), ("ce-type", FINALIZED), ("ce-id", "42"),
///     ("ce-source", "//storage.googleapis.com/projects/_/buckets/photos"),
///     ("Content-Type", "application/json"),
/// ];
/// let body = br#"{"bucket": "photos", "name": "a b.jpg", "generation": "1700000000000001"}"#;
/// let Ok(Delivery::Finalized(event, object)) = parse_request(&headers, body) else { panic!() };
/// assert_eq!((event.id.as_str(), object.name.as_str(), object.generation), ("42", "a b.jpg", 1700000000000001));
///
/// let err = parse_request(&headers[1..], body).unwrap_err();
/// assert!(err.message().contains("ce-specversion"));
/// ```
pub fn parse_request<K: AsRef<str>, V: AsRef<str>>(
    headers: &[(K, V)],
    body: &[u8],
) -> Result<Delivery, BadRequest> {
    let header = |name: &str| {
        headers.iter().find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name)).map(|(_, v)| v.as_ref())
    };
    let content_type = header("content-type").unwrap_or("").trim().to_ascii_lowercase();
    if content_type.starts_with("application/cloudevents-batch") {
        return Err(BadRequest::new("batched CloudEvents are not supported: send one event per request"));
    }
    if content_type.starts_with("application/cloudevents") {
        if !media_type(&content_type).ends_with("+json") {
            return Err(BadRequest::new(format!("unsupported event format {content_type:?}: use JSON")));
        }
        return structured(body);
    }
    binary(&header, &content_type, body)
}

/// Binary content mode: the attributes from `ce-*` headers, the data from the body.
fn binary<'a>(
    header: &impl Fn(&str) -> Option<&'a str>,
    content_type: &str,
    body: &[u8],
) -> Result<Delivery, BadRequest> {
    let attr = |name: &str| -> Result<Option<String>, BadRequest> {
        header(&format!("ce-{name}")).map(|v| decode_header_value(v, name)).transpose()
    };
    let required = |name: &str| {
        attr(name)?.filter(|v| !v.is_empty()).ok_or_else(|| {
            let hint = if name == "specversion" {
                " (not a CloudEvent: binary mode needs ce-* headers, structured mode a Content-Type of application/cloudevents+json)"
            } else {
                ""
            };
            BadRequest::new(format!("missing header ce-{name}{hint}"))
        })
    };
    check_spec_version(&required("specversion")?, "header ce-specversion")?;
    let event = CloudEvent {
        id: required("id")?,
        source: required("source")?,
        event_type: required("type")?,
        subject: attr("subject")?,
        mode: ContentMode::Binary,
    };
    if event.event_type != FINALIZED {
        return Ok(Delivery::Other(event));
    }
    let media = media_type(content_type);
    if !(media.is_empty() || media.ends_with("/json") || media.ends_with("+json")) {
        return Err(BadRequest::new(format!(
            "unsupported Content-Type {content_type:?} for the event data: Cloud Storage data is read as JSON"
        )));
    }
    let data: Json = serde_json::from_slice(body)
        .map_err(|e| BadRequest::new(format!("the body is not valid JSON: {e}")))?;
    let object = storage_object(&data, "body")?;
    Ok(Delivery::Finalized(event, object))
}

/// Structured content mode: one JSON object holding the attributes and `data`.
fn structured(body: &[u8]) -> Result<Delivery, BadRequest> {
    let json: Json = serde_json::from_slice(body)
        .map_err(|e| BadRequest::new(format!("the body is not valid JSON: {e}")))?;
    let Json::Object(event) = json else {
        return Err(BadRequest::new("the body is not a JSON object (a structured-mode CloudEvent)"));
    };
    let required = |name: &str| match event.get(name) {
        Some(Json::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(_) => Err(BadRequest::new(format!("field {name} is not a non-empty string"))),
        None => Err(BadRequest::new(format!("missing field {name}"))),
    };
    check_spec_version(&required("specversion")?, "field specversion")?;
    let ce = CloudEvent {
        id: required("id")?,
        source: required("source")?,
        event_type: required("type")?,
        subject: event.get("subject").and_then(Json::as_str).map(str::to_owned),
        mode: ContentMode::Structured,
    };
    if ce.event_type != FINALIZED {
        return Ok(Delivery::Other(ce));
    }
    let data = match event.get("data") {
        Some(Json::String(text)) => serde_json::from_str(text)
            .map_err(|e| BadRequest::new(format!("field data is a string but not JSON: {e}")))?,
        Some(d) => d.clone(),
        None if event.contains_key("data_base64") => {
            return Err(BadRequest::new(
                "field data_base64 is not supported: send the object data as JSON in data",
            ));
        }
        None => return Err(BadRequest::new("missing field data")),
    };
    let object = storage_object(&data, "data")?;
    Ok(Delivery::Finalized(ce, object))
}

fn check_spec_version(version: &str, place: &str) -> Result<(), BadRequest> {
    if version == "1.0" {
        return Ok(());
    }
    Err(BadRequest::new(format!("{place}: specversion {version:?} is not supported (only 1.0)")))
}

/// `type/subtype` of a Content-Type, without parameters (already lowercase).
fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or("").trim()
}

/// The `StorageObjectData` fields, from `data` (found at `place`, for messages).
fn storage_object(data: &Json, place: &str) -> Result<StorageObject, BadRequest> {
    let Json::Object(fields) = data else {
        return Err(BadRequest::new(format!("{place} is not a JSON object (Cloud Storage object data)")));
    };
    let text = |name: &str| -> Result<String, BadRequest> {
        match fields.get(name) {
            Some(Json::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(_) => Err(BadRequest::new(format!("{place}.{name} is not a non-empty string"))),
            None => Err(BadRequest::new(format!("missing {place}.{name}"))),
        }
    };
    let bucket = text("bucket")?;
    if !valid_bucket(&bucket) {
        return Err(BadRequest::new(format!("{place}.bucket {bucket:?} is not a Cloud Storage bucket name")));
    }
    let name = text("name")?;
    if name.len() > MAX_NAME_LEN || name.contains(['\r', '\n']) {
        return Err(BadRequest::new(format!(
            "{place}.name is not a Cloud Storage object name (at most {MAX_NAME_LEN} bytes, no CR or LF)"
        )));
    }
    let generation = match fields.get("generation") {
        None => return Err(BadRequest::new(format!("missing {place}.generation"))),
        Some(g) => number(g).ok_or_else(|| {
            BadRequest::new(format!("{place}.generation {g} is not a generation number (a string of digits)"))
        })?,
    };
    Ok(StorageObject {
        bucket,
        name,
        generation,
        metageneration: fields.get("metageneration").and_then(number),
        size: fields.get("size").and_then(number),
        content_type: optional_text(fields, "contentType"),
    })
}

fn optional_text(fields: &Map<String, Json>, name: &str) -> Option<String> {
    fields.get(name).and_then(Json::as_str).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// An int64 field as protobuf's JSON mapping writes it (a string of digits), or as a
/// JSON number, which the same mapping also accepts. Never negative.
fn number(value: &Json) -> Option<u64> {
    match value {
        Json::String(s) if !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        Json::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// Cloud Storage bucket names: 3 to 222 characters of lowercase letters, digits, `-`, `_`
/// and `.` (checked because the name becomes part of a URL path).
fn valid_bucket(name: &str) -> bool {
    (3..=222).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

/// A `ce-*` header's value as the binding says to read it: a double-quoted string
/// unquoted, then one round of percent-decoding; bytes that are not UTF-8 are refused.
fn decode_header_value(raw: &str, attribute: &str) -> Result<String, BadRequest> {
    let bad = |what: &str| BadRequest::new(format!("header ce-{attribute}: {what}"));
    let raw = raw.trim();
    let unquoted: String = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' {
                    chars.next().ok_or_else(|| bad("a dangling backslash"))?
                } else {
                    c
                });
            }
            out
        }
        None => raw.to_owned(),
    };
    let bytes = unquoted.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            // Two hex digits exactly (`from_str_radix` alone would take a sign).
            let hex = bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
            let hex = hex.and_then(|h| std::str::from_utf8(h).ok());
            let byte =
                hex.and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or_else(|| bad("a bad %-escape"))?;
            out.push(byte);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad("%-escapes that are not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = r#"{"kind": "storage#object", "bucket": "photos", "name": "dir/a b.jpg",
        "generation": "1700000000000001", "metageneration": "1", "size": "19718",
        "contentType": "image/jpeg", "md5Hash": "x", "etag": "CIH4"}"#;

    fn binary_headers(event_type: &str) -> Vec<(&str, &str)> {
        vec![
            ("Ce-Specversion", "1.0"),
            ("ce-type", event_type),
            ("ce-id", "1234"),
            ("ce-source", "//storage.googleapis.com/projects/_/buckets/photos"),
            ("ce-subject", "objects/dir/a%20b.jpg"),
            ("content-type", "application/json; charset=utf-8"),
        ]
    }

    fn err(headers: &[(&str, &str)], body: &str) -> String {
        parse_request(headers, body.as_bytes()).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn binary_mode_finalized() {
        let got = parse_request(&binary_headers(FINALIZED), DATA.as_bytes());
        let Ok(Delivery::Finalized(ce, obj)) = got else { panic!("{got:?}") };
        assert_eq!(ce.mode, ContentMode::Binary);
        assert_eq!(ce.subject.as_deref(), Some("objects/dir/a b.jpg"));
        assert_eq!(
            obj,
            StorageObject {
                bucket: "photos".into(),
                name: "dir/a b.jpg".into(),
                generation: 1_700_000_000_000_001,
                metageneration: Some(1),
                size: Some(19718),
                content_type: Some("image/jpeg".into()),
            }
        );
    }

    #[test]
    fn structured_mode_finalized_and_other_types() {
        let body = format!(
            r#"{{"specversion": "1.0", "type": "{FINALIZED}", "source": "//storage.googleapis.com/projects/_/buckets/photos",
                "id": "9", "subject": "objects/dir/a b.jpg", "datacontenttype": "application/json", "data": {DATA}}}"#
        );
        let headers = [("Content-Type", "application/cloudevents+json; charset=UTF-8")];
        let got = parse_request(&headers, body.as_bytes());
        let Ok(Delivery::Finalized(ce, obj)) = got else { panic!("{got:?}") };
        assert_eq!(
            (ce.mode, ce.id.as_str(), obj.generation),
            (ContentMode::Structured, "9", 1_700_000_000_000_001)
        );

        // `data` as a JSON string, and a number for the generation.
        let body = format!(
            r#"{{"specversion": "1.0", "type": "{FINALIZED}", "source": "s", "id": "9",
                "data": "{{\"bucket\": \"photos\", \"name\": \"n\", \"generation\": 7}}"}}"#
        );
        let got = parse_request(&headers, body.as_bytes());
        assert!(matches!(got, Ok(Delivery::Finalized(_, StorageObject { generation: 7, .. }))), "{got:?}");

        let other = r#"{"specversion": "1.0", "type": "google.cloud.storage.object.v1.deleted", "source": "s", "id": "1"}"#;
        let got = parse_request(&headers, other.as_bytes());
        assert!(matches!(got, Ok(Delivery::Other(ref ce)) if ce.event_type.ends_with("deleted")), "{got:?}");
        let got = parse_request(&binary_headers("google.cloud.storage.object.v1.archived"), b"not even json");
        assert!(matches!(got, Ok(Delivery::Other(_))), "{got:?}");
    }

    #[test]
    fn bad_requests_name_what_is_wrong() {
        let h = binary_headers(FINALIZED);
        let without =
            |name: &str| h.iter().copied().filter(|(k, _)| !k.eq_ignore_ascii_case(name)).collect::<Vec<_>>();
        assert!(err(&without("ce-type"), DATA).contains("missing header ce-type"));
        assert!(err(&without("ce-id"), DATA).contains("missing header ce-id"));
        assert!(err(&without("ce-specversion"), DATA).contains("not a CloudEvent"));
        let mut v2 = h.clone();
        v2[0].1 = "0.3";
        assert!(err(&v2, DATA).contains("specversion \"0.3\""));
        assert!(err(&h, "{not json").contains("not valid JSON"));
        assert!(err(&h, "[]").contains("body is not a JSON object"));
        assert!(err(&h, r#"{"bucket": "photos", "generation": "1"}"#).contains("missing body.name"));
        assert!(err(&h, r#"{"bucket": "photos", "name": "a"}"#).contains("missing body.generation"));
        for g in [r#""12a""#, r#""-1""#, r#""""#, "-3", "1.5", r#""+5""#, r#""123456789012345678901""#] {
            let body = format!(r#"{{"bucket": "photos", "name": "a", "generation": {g}}}"#);
            assert!(err(&h, &body).contains("body.generation"), "{g}: {}", err(&h, &body));
        }
        let body = r#"{"bucket": "Pho/tos", "name": "a", "generation": "1"}"#;
        assert!(err(&h, body).contains("body.bucket"));
        let body = r#"{"bucket": "photos", "name": "a\nb", "generation": "1"}"#;
        assert!(err(&h, body).contains("body.name"));
        let mut proto = h.clone();
        proto[5].1 = "application/protobuf";
        assert!(err(&proto, DATA).contains("application/protobuf"));
        let batch = [("content-type", "application/cloudevents-batch+json")];
        assert!(err(&batch, "[]").contains("batched"));
        let s = [("content-type", "application/cloudevents+json")];
        assert!(
            err(&s, r#"{"specversion": "1.0", "source": "s", "id": "1"}"#).contains("missing field type")
        );
        let b64 = format!(
            r#"{{"specversion": "1.0", "type": "{FINALIZED}", "source": "s", "id": "1", "data_base64": "e30="}}"#
        );
        assert!(err(&s, &b64).contains("data_base64"));
    }

    #[test]
    fn header_values_are_unquoted_and_percent_decoded() {
        assert_eq!(
            decode_header_value("Euro%20%E2%82%AC%20%f0%9f%98%80", "id").ok().as_deref(),
            Some("Euro € 😀")
        );
        assert_eq!(decode_header_value(r#""a \"b\" c""#, "id").ok().as_deref(), Some(r#"a "b" c"#));
        assert!(decode_header_value("%C0%A0", "id").is_err(), "overlong UTF-8");
        assert!(decode_header_value("50%", "id").is_err());
        assert!(decode_header_value("%zz", "id").is_err());
        assert!(decode_header_value("%+f", "id").is_err());
    }
}
