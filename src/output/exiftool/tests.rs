use super::*;
use crate::model::BinaryRef;

fn meta(tags: Vec<Tag>) -> Metadata {
    let mut m = crate::extract_bytes(&[0xFF, 0xD8, 0xFF, 0xD9]).unwrap_or_else(|e| panic!("{e}"));
    m.tags = tags;
    m
}

/// Text as ExifTool's JSON holds it: a number when it reads as one, by Python's rule
/// (the regular expression checked against the corpus goldens), else a string.
fn text_json(t: &str) -> Json {
    let number = t.strip_prefix('-').unwrap_or(t);
    let (int, rest) = number.split_at(number.find(|c: char| !c.is_ascii_digit()).unwrap_or(number.len()));
    let (frac, exp) = match rest.strip_prefix('.') {
        Some(r) => r.split_at(r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len())),
        None => ("", rest),
    };
    let frac_ok = rest.starts_with('.') != frac.is_empty() && frac.len() <= 16;
    let exp_digits = exp.strip_prefix(['e', 'E']).map(|e| e.trim_start_matches(['+', '-']));
    let exp_ok = exp.is_empty()
        || exp_digits.is_some_and(|d| {
            (1..=3).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && exp.len() - d.len() <= 2
        });
    let int_ok = (1..=15).contains(&int.len()) && (int.len() == 1 || !int.starts_with('0'));
    if int_ok && frac_ok && exp_ok {
        if let Ok(i) = t.parse::<i64>() {
            return Json::from(i);
        }
        if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Json::Number(n);
        }
    }
    Json::String(t.to_owned())
}

/// A tag value as `serde_json` data, built by hand (the oracle for the serializers).
fn to_json(v: &Value) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => text_json(&i.to_string()),
        Value::Float(f) if !f.is_finite() => Json::Null,
        Value::Float(f) => text_json(&format_g15(*f)),
        Value::Text(s) => text_json(s),
        Value::List(items) if items.len() == 1 => to_json(&items[0]),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Binary(b) => {
            Json::String(format!("(Binary data {} bytes, use -b option to extract)", b.length))
        }
    }
}

/// An object with its keys in insertion order, as `Map::insert` orders them with serde_json's
/// `preserve_order` (which the crate does not switch on: its order is built here instead).
#[derive(Default)]
struct Ordered(Vec<(String, Json)>);

impl Ordered {
    /// Sets `key`: a new key goes last, a key already there keeps its place.
    fn insert(&mut self, key: String, value: Json) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    fn to_map(&self) -> Map<String, Json> {
        self.0.iter().cloned().collect()
    }
}

impl serde::Serialize for Ordered {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The object built the straightforward way, with `String` keys and a priority map.
fn reference(meta: &Metadata, source_file: &str, opts: ExifToolOptions) -> Ordered {
    let mut out = Ordered::default();
    out.insert("SourceFile".into(), Json::String(source_file.to_owned()));
    let mut source: HashMap<String, (&str, i8)> = HashMap::new();
    for tag in &meta.tags {
        let key = if opts.groups { tag.key() } else { tag.name.to_string() };
        if source.get(&key).is_some_and(|(g, p)| !replaces(g, *p, tag)) {
            continue;
        }
        source.insert(key.clone(), (tag.group, tag.priority));
        out.insert(key, to_json(&tag.value));
    }
    out
}

#[test]
fn serialized_object_matches_the_map_built_the_straightforward_way() {
    let long = "a".repeat(200);
    let tags = vec![
        Tag::new("EXIF", "Make", "Canon"),
        Tag::new("XMP", "Make", "Other").with_priority(1),
        Tag::new("EXIF", "Make", "Later, same priority"),
        Tag::new("XMP", "Make", "Higher").with_priority(2),
        Tag::new("File", "SourceFile", "a tag named SourceFile"),
        Tag::new("EXIF", "FNumber", 2.8),
        Tag::new("EXIF", "Bad", f64::NAN),
        Tag::new("EXIF", "Flag", true),
        Tag::new("EXIF", "Whole", 180.0),
        Tag::new("EXIF", "Long", "48.858370100027776".parse::<f64>().unwrap_or_default()),
        Tag::new("EXIF", "Tiny", "0.003948937111222461".parse::<f64>().unwrap_or_default()),
        Tag::new("EXIF", "Huge", i64::MAX),
        Tag::new("ID3", "Year", "2021"),
        Tag::new("EXIF", "ExifVersion", "0232"),
        Tag::new("EXIF", "Ratio", "3/12"),
        Tag::new("EXIF", "List", Value::List(vec![Value::Int(1), Value::from("two"), Value::List(vec![])])),
        Tag::new("EXIF", "Empty", Value::List(vec![])),
        Tag::new("EXIF", "Thumb", Value::Binary(BinaryRef { offset: 10, length: 99 })),
        Tag::new("EXIF", "Quote\"\\\n\u{1}é", "esc\"aped\t\u{7f}"),
        Tag::new("Composite", long.clone(), "a long key"),
        Tag::new("ExifTool", "Warning", "a tag named like the warning key"),
        Tag::new(
            "EXIF",
            "Extremes",
            Value::List(vec![Value::Int(i64::MIN), Value::Int(i64::MAX), Value::Int(0)]),
        ),
        Tag::new(
            "EXIF",
            "Floats",
            Value::List(vec![Value::Float(-0.0), Value::Float(1e300), Value::Float(0.1)]),
        ),
        Tag::new("EXIF", "Controls", (0u8..0x20).chain([0x7F]).map(char::from).collect::<String>()),
        Tag::new(
            "EXIF",
            "Nested",
            Value::List(vec![Value::List(vec![Value::Int(1), Value::List(vec![Value::Bool(false)])])]),
        ),
    ];
    let m = meta(tags);
    for groups in [true, false] {
        let opts = if groups { ExifToolOptions::default() } else { ExifToolOptions::bare() };
        let mut obj = ExifToolObject::new(&m, "dir/\"file\".jpg", opts);
        obj.insert_text("ExifTool:Warning", "set after");
        obj.insert_count("Stats:SourceReads", 3);
        let mut map = reference(&m, "dir/\"file\".jpg", opts);
        map.insert("ExifTool:Warning".into(), Json::String("set after".into()));
        map.insert("Stats:SourceReads".into(), Json::from(3u64));
        assert_eq!(obj.to_map(), map.to_map());
        let fast = serde_json::to_string_pretty(&obj).unwrap_or_default();
        assert_eq!(fast, serde_json::to_string_pretty(&map).unwrap_or_default());
        let mut direct = Vec::new();
        obj.write_pretty(&mut direct);
        // The same values; numbers may be spelt differently (`1e+300` as ExifTool, `1e300`).
        let direct: Json = serde_json::from_slice(&direct).unwrap_or_default();
        assert_eq!(direct, Json::Object(map.to_map()));
        assert_eq!(serde_json::to_string(&obj).ok(), serde_json::to_string(&map).ok());
    }
}

#[test]
fn key_hash_does_not_depend_on_the_split() {
    let m = meta(vec![]);
    let mut obj = ExifToolObject::new(&m, "x", ExifToolOptions::default());
    let a = Key { group: Some("EXIF"), name: "Make" };
    let b = Key { group: None, name: "EXIF:Make" };
    assert_eq!(obj.hash(a), obj.hash(b));
    assert!(a.same(b));
    assert!(!a.same(Key { group: Some("EXIF"), name: "Mak" }));
    let (ab_c, a_bc) = (Key { group: Some("A:B"), name: "C" }, Key { group: Some("A"), name: "B:C" });
    assert_eq!(obj.hash(ab_c), obj.hash(a_bc));
    assert!(ab_c.same(a_bc));
    assert_ne!(obj.hash(a), obj.hash(Key { group: Some("EXIF"), name: "Model" }));
}

/// `%.15g`, by way of Rust's exponent formatting (independent of `base::number`).
fn format_g15(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let e = format!("{x:.14e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let trim = |s: &str| {
        if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_owned() } else { s.to_owned() }
    };
    if !(-4..15).contains(&exp) {
        format!("{}e{}{:02}", trim(mant), if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        trim(&format!("{x:.*}", (14 - exp).max(0) as usize))
    }
}

#[test]
fn values_print_as_exiftool_prints_them() {
    let m = meta(vec![
        Tag::new("EXIF", "Whole", 180.0),
        Tag::new("EXIF", "Long", "48.858370100027776".parse::<f64>().unwrap_or_default()),
        Tag::new("EXIF", "Tiny", "0.003948937111222461".parse::<f64>().unwrap_or_default()),
        Tag::new("EXIF", "Small", 1.52587890625e-05),
        Tag::new("ID3", "Year", "2021"),
        Tag::new("EXIF", "ExifVersion", "0232"),
        Tag::new("EXIF", "Big", 1234567890123456i64),
    ]);
    let mut out = Vec::new();
    ExifToolObject::new(&m, "a", ExifToolOptions::bare()).write_pretty(&mut out);
    let text = String::from_utf8_lossy(&out);
    for line in [
        "\"Whole\": 180,",
        "\"Long\": 48.8583701000278,",
        "\"Tiny\": \"0.00394893711122246\",",
        "\"Small\": 1.52587890625e-05,",
        "\"Year\": 2021,",
        "\"ExifVersion\": \"0232\",",
        "\"Big\": \"1234567890123456\"",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
}

#[test]
fn family1_keys_and_error_texts() {
    let m = meta(vec![
        Tag::new("EXIF", "Make", "Canon").in_subgroup("IFD0"),
        Tag::new("EXIF", "XResolution", 300).in_subgroup("IFD0"),
        Tag::new("EXIF", "XResolution", 72).in_subgroup("IFD1"),
        Tag::new("File", "FileSize", 10),
        Tag::new("File", "FileType", "JPEG"),
    ]);
    // The map's key order is serde_json's (sorted without `preserve_order`): compare sets.
    let mut keys: Vec<String> = exiftool_json(&m, "a", ExifToolOptions::family1()).keys().cloned().collect();
    keys.sort_unstable();
    let mut want = [
        "SourceFile",
        "IFD0:Make",
        "IFD0:XResolution",
        "IFD1:XResolution",
        "System:FileSize",
        "File:FileType",
    ];
    want.sort_unstable();
    assert_eq!(keys, want);
    let bare = exiftool_json(&m, "a", ExifToolOptions::bare());
    assert_eq!(bare.get("XResolution"), Some(&Json::from(300)));

    let missing = crate::extract_path("/nonexistent/metasift/a.jpg").err();
    assert_eq!(missing.map(|e| error_text(&e)).as_deref(), Some("File not found"));
    let empty = crate::extract_bytes(&[]).err();
    assert_eq!(empty.map(|e| error_text(&e)).as_deref(), Some("File is empty"));
    let unknown = crate::extract_bytes(b"\x00\x01 not a format").err();
    assert_eq!(unknown.map(|e| error_text(&e)).as_deref(), Some("Unknown file type"));
    let dir = crate::extract_path(env!("CARGO_MANIFEST_DIR")).err();
    assert_eq!(dir.map(|e| error_text(&e)).as_deref(), Some("Error opening file"));
}
