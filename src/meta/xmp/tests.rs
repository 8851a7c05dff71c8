//! Unit tests of the XMP reader on synthesized packets.

use crate::meta::nested::Payload;
use crate::model::Value;
use crate::test_util::{Parsed, find, payload};

fn packet(body: &str) -> String {
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:t="http://example.com/t/">{body}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
    )
}

/// What the XMP parser makes of a packet with `body` inside its `rdf:RDF`.
fn xmp(body: &str) -> Parsed {
    payload(Payload::Xmp, packet(body).as_bytes())
}

fn text(s: &str) -> Value {
    Value::from(s)
}

#[test]
fn attributes_and_elements() {
    let t = xmp(
        r#"<rdf:Description rdf:about="" xmp:Rating="4" xmp:CreatorTool="Tool &amp; Co"><xmp:Label>Red</xmp:Label><exif:FNumber>28/10</exif:FNumber></rdf:Description>"#,
    );
    assert_eq!(t.get("XMP:Rating"), Some(&Value::Int(4)));
    assert_eq!(t.get("XMP:CreatorTool"), Some(&text("Tool & Co")));
    assert_eq!(t.get("XMP:Label"), Some(&text("Red")));
    assert_eq!(t.get("XMP:FNumber"), Some(&Value::Float(2.8)));
    let sub = find(&t.tags, "XMP:Rating").and_then(|t| t.subgroup.clone());
    assert_eq!(sub.as_deref(), Some("XMP-xmp"));
}

#[test]
fn lists_and_language_alternatives() {
    let t = xmp(r#"<rdf:Description rdf:about="">
        <dc:subject><rdf:Bag><rdf:li>a</rdf:li><rdf:li>b</rdf:li></rdf:Bag></dc:subject>
        <dc:creator><rdf:Seq><rdf:li>Me</rdf:li></rdf:Seq></dc:creator>
        <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Hello</rdf:li><rdf:li xml:lang="fr">Bonjour</rdf:li></rdf:Alt></dc:title>
        </rdf:Description>"#);
    assert_eq!(t.get("XMP:Subject"), Some(&Value::List(vec![text("a"), text("b")])));
    // A one-item list is shown as its item, as ExifTool does.
    assert_eq!(t.get("XMP:Creator"), Some(&text("Me")));
    assert_eq!(t.get("XMP:Title"), Some(&text("Hello")));
    assert_eq!(t.get("XMP:Title-fr"), Some(&text("Bonjour")));
}

#[test]
fn structures_flatten() {
    let t = xmp(r#"<rdf:Description rdf:about="">
        <exif:Flash rdf:parseType="Resource"><exif:Fired>False</exif:Fired><exif:Mode>2</exif:Mode></exif:Flash>
        <Iptc4xmpExt:LocationCreated><rdf:Bag>
          <rdf:li><rdf:Description Iptc4xmpExt:City="one"/></rdf:li>
          <rdf:li rdf:parseType="Resource"><Iptc4xmpExt:City>two</Iptc4xmpExt:City></rdf:li>
        </rdf:Bag></Iptc4xmpExt:LocationCreated>
        <t:Outer><rdf:Description><t:Inner t:Deep="x"/></rdf:Description></t:Outer>
        <t:Ref rdf:resource="http://example.com/"/>
        </rdf:Description>"#);
    assert_eq!(t.get("XMP:FlashFired"), Some(&Value::Bool(false)));
    assert_eq!(t.get("XMP:FlashMode"), Some(&Value::Int(2)));
    assert_eq!(t.get("XMP:LocationCreatedCity"), Some(&Value::List(vec![text("one"), text("two")])));
    assert_eq!(t.get("XMP:OuterInnerDeep"), Some(&text("x")));
    assert_eq!(t.get("XMP:Ref"), Some(&text("http://example.com/")));
}

#[test]
fn dates_and_gps() {
    let t = xmp(
        r#"<rdf:Description rdf:about="" xmp:CreateDate="2021-06-15T14:30:45+02:00" exif:GPSLatitude="22,57.114S" exif:GPSLongitude="2,17.668878E"/>"#,
    );
    assert_eq!(t.get("XMP:CreateDate"), Some(&text("2021:06:15 14:30:45+02:00")));
    let lat = t.get("XMP:GPSLatitude").and_then(|v| v.as_f64()).unwrap_or(0.0);
    assert!((lat + 22.9519).abs() < 1e-6);
    let lon = t.get("XMP:GPSLongitude").and_then(|v| v.as_f64()).unwrap_or(0.0);
    assert!((lon - 2.2944813).abs() < 1e-6);
}

#[test]
fn toolkit_and_utf16() {
    let p = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Kit 1"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/jpeg"/></rdf:RDF></x:xmpmeta>"#;
    for be in [true, false] {
        let mut d = if be { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for u in p.encode_utf16() {
            d.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        let t = payload(Payload::Xmp, &d);
        assert_eq!(t.get("XMP:XMPToolkit"), Some(&text("Kit 1")));
        assert_eq!(t.get("XMP:Format"), Some(&text("image/jpeg")));
    }
}

#[test]
fn malformed_keeps_partial_result() {
    let p = packet(r#"<rdf:Description rdf:about="" xmp:Rating="3"><dc:title><rdf:Alt><rdf:li>unterminated"#);
    let cut = p.find("</rdf:RDF>").unwrap_or(p.len());
    let t = payload(Payload::Xmp, &p.as_bytes()[..cut]);
    assert_eq!(t.get("XMP:Rating"), Some(&Value::Int(3)));
    // Garbage and every truncation of a packet: no panic.
    let full = packet(
        r#"<rdf:Description rdf:about="" xmp:Rating="3"><dc:subject><rdf:Bag><rdf:li>a</rdf:li></rdf:Bag></dc:subject></rdf:Description>"#,
    );
    for n in 0..full.len() {
        let _ = payload(Payload::Xmp, &full.as_bytes()[..n]);
    }
    let _ = payload(Payload::Xmp, b"\x00\x01<<<>>>&&&;;");
}

#[test]
fn stray_end_tag_is_tolerated() {
    let t = xmp(
        r#"<rdf:Description rdf:about=""><xmp:Thumbnails><rdf:Alt><rdf:li rdf:parseType="Resource"><t:w>1</t:w></t:image></rdf:li></rdf:Alt></xmp:Thumbnails></rdf:Description><rdf:Description rdf:about="" xmp:Rating="2"/>"#,
    );
    assert_eq!(t.get("XMP:Rating"), Some(&Value::Int(2)));
}

#[test]
fn depth_is_bounded() {
    let mut body = String::from(r#"<rdf:Description rdf:about="">"#);
    for _ in 0..200 {
        body.push_str("<t:a rdf:parseType=\"Resource\">");
    }
    body.push_str("<t:leaf>x</t:leaf>");
    for _ in 0..200 {
        body.push_str("</t:a>");
    }
    body.push_str("</rdf:Description>");
    let t = xmp(&body);
    assert!(t.tags.iter().all(|t| t.name.len() < 200 * 2));
}

#[test]
fn node_ids_are_shared() {
    let t = xmp(
        r#"<rdf:Description rdf:about=""><t:boss rdf:nodeID="n1"/><t:peer rdf:nodeID="n1"/><dc:subject rdf:nodeID="b"/></rdf:Description>
        <rdf:Description rdf:nodeID="n1" t:name="Phil"/>
        <rdf:Bag rdf:nodeID="b"><rdf:li>x</rdf:li><rdf:li>y</rdf:li></rdf:Bag>"#,
    );
    assert_eq!(t.get("XMP:BossName"), Some(&text("Phil")));
    assert_eq!(t.get("XMP:PeerName"), Some(&text("Phil")));
    assert_eq!(t.get("XMP:Subject"), Some(&Value::List(vec![text("x"), text("y")])));
    assert_eq!(t.get("XMP:Name"), None);
}

#[test]
fn attribute_flood_is_bounded() {
    let mut body = String::from(r#"<rdf:Description rdf:about="""#);
    for i in 0..60_000 {
        body.push_str(&format!(" t:a{i}=\"v\""));
    }
    body.push_str("/>");
    let t = xmp(&body);
    assert!(t.tags.len() <= 50_000);
}

#[test]
fn node_id_flood_is_bounded() {
    let mut body = String::new();
    for i in 0..5_000 {
        body.push_str(&format!(r#"<rdf:Description rdf:nodeID="n{i}" t:a="v"/>"#));
    }
    body.push_str(r#"<rdf:Description rdf:about=""><t:r rdf:nodeID="n1"/></rdf:Description>"#);
    let t = xmp(&body);
    assert_eq!(t.get("XMP:RA"), Some(&text("v")));
}

#[test]
fn one_step_and_general_readings_agree() {
    // The one-step readings of `<ns:Name>text</ns:Name>`, of `<rdf:li>` items and of list
    // properties must give what the general reading gives; a comment inside each element
    // forces the general one.
    let body = |c: &str| {
        format!(
            r#"<rdf:Description rdf:about=""><xmp:Label>Red &amp; blue{c}</xmp:Label><exif:FNumber>28/10{c}</exif:FNumber><xmp:Rating >4{c}</xmp:Rating >
            <dc:subject>{c}<rdf:Bag><rdf:li>a{c}</rdf:li><rdf:li>b &lt; c{c}</rdf:li></rdf:Bag>{c}</dc:subject>
            <dc:title> {c}<rdf:Alt><rdf:li xml:lang="x-default">T{c}</rdf:li><rdf:li xml:lang="fr">Tf{c}</rdf:li></rdf:Alt>
            {c}</dc:title><dc:creator>{c}<rdf:Seq></rdf:Seq>{c}</dc:creator>
            <t:mixed>{c}<rdf:Seq><rdf:li>1</rdf:li></rdf:Seq> <t:after>2{c}</t:after>text</t:mixed>
            <rdf:type>skipped{c}</rdf:type><t:empty>{c}</t:empty></rdf:Description>"#
        )
    };
    let one_step = xmp(&body(""));
    let general = xmp(&body("<!-- c -->"));
    assert_eq!(one_step.tags, general.tags);
    assert_eq!(one_step.get("XMP:Label"), Some(&text("Red & blue")));
    assert_eq!(one_step.get("XMP:Subject"), Some(&Value::List(vec![text("a"), text("b < c")])));
    assert_eq!(one_step.get("XMP:Title-fr"), Some(&text("Tf")));
    assert_eq!(one_step.get("XMP:Empty"), Some(&text("")));
    assert_eq!(one_step.get("XMP:Creator"), Some(&text("")));
    assert_eq!(one_step.get("XMP:Mixed"), Some(&Value::Int(1)));
    assert_eq!(one_step.get("XMP:MixedAfter"), Some(&Value::Int(2)));
    assert_eq!(one_step.tags.len(), 10, "{:?}", one_step.tags);
}
