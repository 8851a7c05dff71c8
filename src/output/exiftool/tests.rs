use super::*;
use crate::model::BinaryRef;

fn meta(tags: Vec<Tag>) -> Metadata {
    let mut m = crate::extract_bytes(&[0xFF, 0xD8, 0xFF, 0xD9]).unwrap_or_else(|e| panic!("{e}"));
    m.tags = tags;
    m
}

/// A tag value as `serde_json` data, built by hand (the oracle for the serializers).
fn to_json(v: &Value) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map(Json::Number).unwrap_or(Json::Null),
        Value::Text(s) => Json::String(s.to_string()),
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
    let mut priority: HashMap<String, i8> = HashMap::new();
    for tag in &meta.tags {
        let key = if opts.groups { tag.key() } else { tag.name.to_string() };
        if priority.get(&key).is_some_and(|p| tag.priority <= *p) {
            continue;
        }
        priority.insert(key.clone(), tag.priority);
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
        let opts = ExifToolOptions { groups };
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
        assert_eq!(String::from_utf8_lossy(&direct), fast);
        assert_eq!(serde_json::to_string(&obj).ok(), serde_json::to_string(&map).ok());
    }
}

#[test]
fn key_hash_does_not_depend_on_the_split() {
    let m = meta(vec![]);
    let obj = ExifToolObject::new(&m, "x", ExifToolOptions::default());
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
