//! Property parts: OOXML core (ECMA-376 part 2), extended (app.xml) and custom properties,
//! and OpenDocument `meta.xml`.

use super::xml::Node;
use crate::context::Ctx;
use crate::model::{Tag, Value};

/// "2021-06-15T12:30:45Z" -> "2021:06:15 12:30:45Z"; other text unchanged.
pub(crate) fn iso_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let is_date = b.len() >= 10
        && b.get(..4)?.iter().all(u8::is_ascii_digit)
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && (b.len() == 10 || b.get(10) == Some(&b'T'));
    if !is_date {
        return None;
    }
    let date = s.get(..10)?.replace('-', ":");
    match s.get(11..) {
        Some(time) if !time.is_empty() => Some(format!("{date} {time}")),
        _ => Some(date),
    }
}

/// Text as ExifTool's `-n` JSON shows it: integers as numbers, decimals as their text,
/// dates in ExifTool form, the rest as text.
fn typed(s: &str) -> Value {
    let t = s.trim();
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    let unsigned = t.strip_prefix('-').unwrap_or(t);
    let leading_zero = unsigned.len() > 1 && unsigned.starts_with('0') && !unsigned.starts_with("0.");
    if !leading_zero && t.len() < 16 {
        if digits(unsigned) {
            if let Ok(i) = t.parse::<i64>() {
                return Value::Int(i);
            }
        }
        // A decimal keeps its text (`16.0000`): the ExifTool projection prints text that
        // reads as a number bare, with the digits as written.
        if let Some((a, b)) = unsigned.split_once('.') {
            if digits(a) && digits(b) {
                return Value::text(t);
            }
        }
    }
    match iso_date(t) {
        Some(d) => Value::from(d),
        None => Value::from(s),
    }
}

/// Like [`typed`], with "true"/"false" as booleans.
fn typed_bool(s: &str) -> Value {
    match s.trim() {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => typed(s),
    }
}

/// Upper-cases the first character.
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A custom property name as a tag name: words capitalised and joined, other characters
/// dropped ("Client Name" -> "ClientName").
fn tag_name(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')) {
        out.push_str(&capitalize(word));
    }
    out
}

/// A typed `vt:*` value (docPropsVTypes).
fn vt_value(n: &Node) -> Value {
    match n.local() {
        "bool" => typed_bool(&n.text),
        "lpstr" | "lpwstr" | "bstr" => typed(&n.text),
        "variant" => n.children.first().map_or(Value::from(String::new()), vt_value),
        "vector" | "array" => Value::List(n.children.iter().map(vt_value).collect()),
        _ => typed(&n.text),
    }
}

/// docProps/core.xml.
pub(crate) fn core(cx: &mut Ctx, root: &Node) {
    for c in &root.children {
        let local = c.local();
        if c.prefix() == "dc" || (local == "title" || local == "creator") && c.prefix() != "cp" {
            let name = match local {
                "title" => "Title".into(),
                "subject" => "Subject".into(),
                "creator" => "Creator".into(),
                "description" => "Description".into(),
                other => capitalize(other),
            };
            cx.push(Tag::new("XMP", name, typed(&c.text)).in_subgroup("XMP-dc"));
            continue;
        }
        let name = match local {
            "revision" => "RevisionNumber".to_owned(),
            "created" => "CreateDate".to_owned(),
            "modified" => "ModifyDate".to_owned(),
            other => capitalize(other),
        };
        cx.add("XML", name, typed(&c.text));
    }
}

/// docProps/app.xml (extended properties).
pub(crate) fn app(cx: &mut Ctx, root: &Node) {
    for c in &root.children {
        let name = match c.local() {
            "TotalTime" => "TotalEditTime".to_owned(),
            other => capitalize(other),
        };
        let value = match c.children.first() {
            Some(v) if c.text.trim().is_empty() => vt_value(v),
            _ => typed_bool(&c.text),
        };
        cx.add("XML", name, value);
    }
}

/// docProps/custom.xml: `<property name="..."><vt:...>value</vt:...></property>`.
pub(crate) fn custom(cx: &mut Ctx, root: &Node) {
    for p in &root.children {
        let (Some(name), Some(v)) = (p.attr("name"), p.children.first()) else { continue };
        let name = tag_name(name);
        if !name.is_empty() {
            cx.add("XML", name, vt_value(v));
        }
    }
}

/// OpenDocument meta.xml: `office:meta` children, attributes as `<Element><Attribute>`.
pub(crate) fn odf_meta(cx: &mut Ctx, root: &Node) {
    if let Some(t) = root.attr("transformation") {
        cx.push(Tag::new("XMP", "Transformation", t.to_owned()));
    }
    let Some(meta) = root.children.iter().find(|c| c.local() == "meta") else { return };
    for c in &meta.children {
        let name = capitalize(c.local());
        for (k, v) in &c.attrs {
            let attr = k.rsplit(':').next().unwrap_or(k);
            cx.push(Tag::new("XMP", format!("{name}{}", capitalize(attr)), typed(v)));
        }
        if c.attrs.is_empty() || !c.text.is_empty() {
            cx.push(Tag::new("XMP", name, typed(&c.text)));
        }
    }
}

/// iWork '09 `index.xml`: `sf:metadata` children, each holding `sf:string` values
/// (`sfa:string` attributes), directly or in an `sf:array`.
pub(crate) fn iwork_meta(cx: &mut Ctx, root: &Node) {
    let Some(meta) = root.children.iter().find(|c| c.local() == "metadata") else { return };
    for c in &meta.children {
        let name = match c.local() {
            "authors" => "Author".to_owned(),
            other => capitalize(other),
        };
        let mut values = Vec::new();
        collect_strings(c, &mut values, 0);
        match values.len() {
            0 => {}
            1 => cx.add("XML", name, values.remove(0)),
            _ => cx.add("XML", name, Value::List(values)),
        }
    }
}

fn collect_strings(n: &Node, out: &mut Vec<Value>, depth: u32) {
    if depth > 8 {
        return;
    }
    for c in &n.children {
        if c.local() == "string" {
            if let Some(s) = c.attr("string") {
                out.push(Value::from(s));
            }
        } else {
            collect_strings(c, out, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::documents::ooxml::xml;
    use crate::test_util::parse;

    /// The tags `f` adds for the root element of `doc`.
    fn tags(f: fn(&mut Ctx, &Node), doc: &str) -> Vec<(String, Value)> {
        let root = xml::parse(doc.as_bytes(), usize::MAX).unwrap();
        parse(b"", |cx| {
            f(cx, &root);
            Ok(())
        })
        .pairs()
    }

    #[test]
    fn core_properties() {
        let t = tags(
            core,
            r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d" xmlns:dcterms="t"><dc:title>Q</dc:title>
            <cp:revision>7</cp:revision><cp:version>1.2</cp:version><cp:keywords/>
            <dcterms:created>2021-06-15T12:30:45Z</dcterms:created></cp:coreProperties>"#,
        );
        assert_eq!(t[0], ("XMP:Title".into(), Value::Text("Q".into())));
        assert_eq!(t[1], ("XML:RevisionNumber".into(), Value::Int(7)));
        assert_eq!(t[2], ("XML:Version".into(), Value::Text("1.2".into())));
        assert_eq!(t[3], ("XML:Keywords".into(), Value::from(String::new())));
        assert_eq!(t[4], ("XML:CreateDate".into(), Value::Text("2021:06:15 12:30:45Z".into())));
    }

    #[test]
    fn app_and_custom() {
        let t = tags(
            app,
            r#"<Properties xmlns:vt="v"><TotalTime>42</TotalTime><ScaleCrop>false</ScaleCrop>
            <HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Title</vt:lpstr></vt:variant>
            <vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs></Properties>"#,
        );
        assert_eq!(t[0], ("XML:TotalEditTime".into(), Value::Int(42)));
        assert_eq!(t[1], ("XML:ScaleCrop".into(), Value::Bool(false)));
        let pairs = Value::List(vec![Value::Text("Title".into()), Value::Int(1)]);
        assert_eq!(t[2], ("XML:HeadingPairs".into(), pairs));
        let t = tags(
            custom,
            r#"<Properties xmlns:vt="v"><property name="Client Name"><vt:lpwstr>Ü</vt:lpwstr></property>
            <property name="ok"><vt:bool>true</vt:bool></property></Properties>"#,
        );
        assert_eq!(t[0], ("XML:ClientName".into(), Value::Text("Ü".into())));
        assert_eq!(t[1], ("XML:Ok".into(), Value::Bool(true)));
    }

    #[test]
    fn odf() {
        let t = tags(
            odf_meta,
            r#"<office:document-meta><office:meta><meta:editing-cycles>1</meta:editing-cycles>
            <meta:document-statistic meta:table-count="3"/><meta:user-defined meta:name="L">x</meta:user-defined>
            </office:meta></office:document-meta>"#,
        );
        assert_eq!(t[0], ("XMP:Editing-cycles".into(), Value::Int(1)));
        assert_eq!(t[1], ("XMP:Document-statisticTable-count".into(), Value::Int(3)));
        assert_eq!(t[2], ("XMP:User-definedName".into(), Value::Text("L".into())));
        assert_eq!(t[3], ("XMP:User-defined".into(), Value::Text("x".into())));
    }

    #[test]
    fn iwork() {
        let t = tags(
            iwork_meta,
            r#"<ls:document><sf:metadata><sf:projects><sf:array><sf:string sfa:string="P1"/>
            <sf:string sfa:string="P2"/></sf:array></sf:projects><sf:authors><sf:string sfa:string="A"/>
            </sf:authors></sf:metadata><sf:body>"#,
        );
        let projects = Value::List(vec![Value::Text("P1".into()), Value::Text("P2".into())]);
        assert_eq!(t[0], ("XML:Projects".into(), projects));
        assert_eq!(t[1], ("XML:Author".into(), Value::Text("A".into())));
    }

    #[test]
    fn dates_and_numbers() {
        assert_eq!(iso_date("2010-04-19T11:16:49.13").as_deref(), Some("2010:04:19 11:16:49.13"));
        assert_eq!(typed("0042"), Value::Text("0042".into()));
        assert_eq!(typed("16.0000"), Value::Text("16.0000".into()));
    }
}
