//! ExifTool's table outputs: `-csv` (a header row, then one row per file) and `-T` (one
//! tab-separated line per file, no header), with the columns, their order and the cell
//! text `exiftool -csv -n` and `exiftool -T -n` print.
//!
//! Cells are read off the ExifTool JSON object ([`ExifToolObject`]) so that a value reads
//! the same in every ExifTool-style output. As in ExifTool, a table has one column per tag
//! name (the one its bare-name JSON keeps); `-G` only puts that tag's group in the heading.

use super::exiftool::{ExifToolObject, ExifToolOptions};
use crate::model::Metadata;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};

/// One cell of a file's row: the tag's family-0 group, its name and its value as text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cell {
    group: String,
    name: String,
    text: String,
}

/// One file's values, as `-csv` and `-T` read them: the tags its ExifTool JSON object
/// holds, each with the group of the tag that won its name.
#[derive(Debug, Clone)]
pub struct TableRow {
    source_file: String,
    /// The bare-name object's entries, in its order (`SourceFile` left out).
    cells: Vec<Cell>,
    /// Every `Group:Name` entry, for selections that name one tag of a group.
    grouped: Vec<Cell>,
}

impl TableRow {
    /// The row of `meta`, read from `source_file`.
    pub fn new(meta: &Metadata, source_file: &str) -> Self {
        let bare = entries(&ExifToolObject::new(meta, source_file, family0(false)));
        let grouped = entries(&ExifToolObject::new(meta, source_file, family0(true)));
        let winners = winning_groups(meta);
        let cells = bare
            .into_iter()
            .filter(|(k, _)| k != "SourceFile")
            .map(|(name, v)| {
                let group = winners.get(name.as_str()).map_or("", |g| g).to_owned();
                Cell { group, text: cell_text(&v), name }
            })
            .collect();
        let grouped = grouped
            .into_iter()
            .filter_map(|(k, v)| {
                let (group, name) = k.split_once(':')?;
                Some(Cell { group: group.to_owned(), name: name.to_owned(), text: cell_text(&v) })
            })
            .collect();
        TableRow { source_file: source_file.to_owned(), cells, grouped }
    }

    /// Adds a value the model does not hold as a tag (`ExifTool:Warning`, say).
    pub fn push(&mut self, group: &str, name: &str, text: &str) {
        let cell = Cell { group: group.to_owned(), name: name.to_owned(), text: text.to_owned() };
        self.grouped.push(cell.clone());
        self.cells.push(cell);
    }

    /// The file name the row is for.
    pub fn source_file(&self) -> &str {
        &self.source_file
    }

    /// The columns `tags` select, in order: every cell when `tags` is empty. A tag that
    /// names one value (`Make`, `EXIF:Make`) always gives a column, `None` when the file
    /// lacks it; `all` and `GROUP:all` give one per cell they match.
    fn select<'a>(&'a self, tags: &[String]) -> Vec<(Option<&'a Cell>, usize)> {
        if tags.is_empty() {
            return self.cells.iter().map(|c| (Some(c), 0)).collect();
        }
        let mut out = Vec::new();
        for (i, tag) in tags.iter().enumerate() {
            let (group, name) = split(tag);
            match (group, name.eq_ignore_ascii_case("all")) {
                (None, true) => out.extend(self.cells.iter().map(|c| (Some(c), i))),
                // `GROUP:all` keeps the group's tags that won their names, as ExifTool does.
                (Some(g), true) => out.extend(
                    self.cells.iter().filter(|c| c.group.eq_ignore_ascii_case(g)).map(|c| (Some(c), i)),
                ),
                (None, false) => out.push((self.cells.iter().find(|c| c.name.eq_ignore_ascii_case(name)), i)),
                (Some(g), false) => out.push((
                    self.grouped
                        .iter()
                        .find(|c| c.group.eq_ignore_ascii_case(g) && c.name.eq_ignore_ascii_case(name)),
                    i,
                )),
            }
        }
        out
    }
}

/// ExifTool options with family-0 groups or none; any other option keeps its default.
#[allow(clippy::field_reassign_with_default)] // so that options added later keep theirs
fn family0(groups: bool) -> ExifToolOptions {
    let mut o = ExifToolOptions::default();
    o.groups = groups;
    o
}

/// `GROUP:NAME` as (group, name); a bare name has no group.
fn split(tag: &str) -> (Option<&str>, &str) {
    match tag.rsplit_once(':') {
        Some((g, n)) => (Some(g), n),
        None => (None, tag),
    }
}

/// The group of the tag that each bare name shows: the first of the highest priority, as
/// the bare-name JSON object keeps it.
fn winning_groups(meta: &Metadata) -> HashMap<&str, &str> {
    let mut best: HashMap<&str, (i8, &str)> = HashMap::new();
    for tag in &meta.tags {
        best.entry(tag.name.as_str())
            .and_modify(|b| {
                if tag.priority > b.0 {
                    *b = (tag.priority, tag.group);
                }
            })
            .or_insert((tag.priority, tag.group));
    }
    let mut out: HashMap<&str, &str> = best.into_iter().map(|(k, (_, g))| (k, g)).collect();
    out.insert("Warning", "ExifTool");
    out.insert("Error", "ExifTool");
    out
}

/// The object's entries in order, duplicates kept, read back from the JSON it writes (the
/// one place its keys and value text are decided).
#[allow(clippy::disallowed_methods)] // sized by the tags already extracted
fn entries(obj: &ExifToolObject<'_>) -> Vec<(String, Json)> {
    let mut json = Vec::with_capacity(4096);
    obj.write_pretty(&mut json);
    serde_json::from_slice::<Ordered>(&json).map(|o| o.0).unwrap_or_default()
}

/// A JSON object's entries in document order.
struct Ordered(Vec<(String, Json)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, Json>()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A value as ExifTool's tables print it: text as it is, numbers as in JSON, list items
/// joined by `, `.
fn cell_text(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Array(items) => items.iter().map(cell_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The rows of a `-csv` table: every file's row is kept until [`CsvTable::write`], because
/// the header names the columns of all of them (ExifTool buffers the same way).
#[derive(Debug, Default)]
pub struct CsvTable {
    groups: bool,
    tags: Vec<String>,
    /// Headings in the order first seen, with the request each came from.
    columns: Vec<(String, usize)>,
    index: HashMap<String, usize>,
    /// Whether a file after the first brought a heading the first did not have.
    grew: bool,
    rows: Vec<(String, HashMap<usize, String>)>,
}

impl CsvTable {
    /// An empty table: `groups` puts `Group:` before each heading (`-G`), `tags` are the
    /// selected tags as given (`Make`, `EXIF:Make`, `XMP:all`), or none for all tags.
    pub fn new(groups: bool, tags: Vec<String>) -> Self {
        CsvTable { groups, tags, ..Default::default() }
    }

    /// Adds one file's row.
    pub fn add(&mut self, row: &TableRow) {
        let mut cells = HashMap::new();
        for (cell, request) in row.select(&self.tags) {
            let Some(cell) = cell else { continue };
            let heading =
                if self.groups { format!("{}:{}", cell.group, cell.name) } else { cell.name.clone() };
            let at = match self.index.get(&heading) {
                Some(&at) => at,
                None => {
                    self.grew |= !self.rows.is_empty();
                    self.index.insert(heading.clone(), self.columns.len());
                    self.columns.push((heading, request));
                    self.columns.len() - 1
                }
            };
            cells.entry(at).or_insert_with(|| cell.text.clone());
        }
        self.rows.push((row.source_file.clone(), cells));
    }

    /// The column order: as the tags were asked for when every heading is one of them,
    /// else as first seen when no later file added a column, else alphabetical (ignoring
    /// case), as ExifTool orders them.
    fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.columns.len()).collect();
        let asked = |heading: &str, tag: &str| {
            heading.eq_ignore_ascii_case(tag) || (!self.groups && heading.eq_ignore_ascii_case(split(tag).1))
        };
        let exact = !self.tags.is_empty()
            && self.columns.iter().all(|(h, r)| self.tags.get(*r).is_some_and(|t| asked(h, t)));
        if exact {
            order.sort_by_key(|&i| self.columns.get(i).map_or(0, |c| c.1));
        } else if self.grew {
            let key = |i: &usize| self.columns.get(*i).map(|c| c.0.to_ascii_lowercase()).unwrap_or_default();
            order.sort_by_cached_key(key);
        }
        order
    }

    /// Writes the header and the rows.
    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let order = self.order();
        out.write_all(b"SourceFile")?;
        for &i in &order {
            out.write_all(b",")?;
            csv_field(out, self.columns.get(i).map_or("", |c| c.0.as_str()))?;
        }
        out.write_all(b"\n")?;
        for (source, cells) in &self.rows {
            csv_field(out, source)?;
            for i in &order {
                out.write_all(b",")?;
                csv_field(out, cells.get(i).map_or("", |s| s.as_str()))?;
            }
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// A CSV field, quoted (with `"` doubled) when it holds a comma, a quote or a line break,
/// or starts or ends with white space.
fn csv_field(out: &mut impl Write, s: &str) -> io::Result<()> {
    let edge = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let quote = s.contains([',', '"', '\n', '\r']) || edge(s.chars().next()) || edge(s.chars().last());
    if !quote {
        return out.write_all(s.as_bytes());
    }
    out.write_all(b"\"")?;
    out.write_all(s.replace('"', "\"\"").as_bytes())?;
    out.write_all(b"\"")
}

/// The `-T` line of one file: the values of the columns `tags` select, tab-separated, `-`
/// for a tag the file lacks; with `groups`, the columns' groups first, as ExifTool prints
/// them. Tabs and line breaks in a value become `.` and trailing spaces are dropped, so
/// the line stays one line of the table.
pub fn tab_line(row: &TableRow, tags: &[String], groups: bool) -> String {
    let columns = row.select(tags);
    if columns.is_empty() {
        // Only `all` selections matched nothing: ExifTool prints no line at all.
        return String::new();
    }
    let mut fields: Vec<String> = Vec::new();
    if groups {
        fields.extend(columns.iter().map(|(c, _)| c.map(|c| c.group.clone()).unwrap_or_default()));
    }
    fields.extend(columns.iter().map(|(c, _)| match c {
        Some(c) => {
            let flat: String = c.text.chars().map(|ch| if ch < ' ' { '.' } else { ch }).collect();
            flat.trim_end_matches(' ').to_owned()
        }
        None => "-".to_owned(),
    }));
    let mut line = fields.join("\t");
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(s: &str) -> String {
        let mut out = Vec::new();
        let _ = csv_field(&mut out, s);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn fields_are_quoted_as_exiftool_quotes_them() {
        assert_eq!(field("plain text"), "plain text");
        assert_eq!(field("tab\tinside"), "tab\tinside");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("a\"b"), "\"a\"\"b\"");
        assert_eq!(field(" lead"), "\" lead\"");
        assert_eq!(field("trail "), "\"trail \"");
        assert_eq!(field("a\rb"), "\"a\rb\"");
        assert_eq!(field(""), "");
    }

    #[test]
    fn cells_print_lists_joined_and_numbers_as_json() {
        let v: Json = serde_json::json!(["Paris", "tower", 3, 1.5]);
        assert_eq!(cell_text(&v), "Paris, tower, 3, 1.5");
        assert_eq!(cell_text(&Json::Bool(false)), "false");
        assert_eq!(cell_text(&Json::Null), "");
    }
}
