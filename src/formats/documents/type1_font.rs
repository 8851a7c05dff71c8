//! PostScript Type 1 fonts and their metrics: PFA (the font program as text), PFB (the
//! same in binary segments; the first, clear-text segment holds the header) and AFM
//! (Adobe Font Metrics, `Key value` lines; Adobe's AFM specification 4.1). Read: the
//! DSC comments of the header, the plain `%` comment lines before the program, and the
//! font dictionary's `FontInfo` entries up to `eexec`, where the encrypted part starts.

use super::postscript::{dsc_line, lines, ps_string};
use crate::base::bytes::le32;
use crate::base::decode::latin1;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Value;

/// Group of the font's own entries.
const G: &str = "Font";
/// Most header bytes read (a font's clear-text header is a few kilobytes).
const MAX_HEADER: u64 = 64 << 10;

/// Font dictionary keys reported, and their tag names.
const PS_KEYS: &[(&[u8], &str)] = &[
    (b"FontType", "FontType"),
    (b"FontName", "FontName"),
    (b"version", "Version"),
    (b"Notice", "Notice"),
    (b"Copyright", "Copyright"),
    (b"FullName", "FullName"),
    (b"FamilyName", "FontFamily"),
    (b"Weight", "Weight"),
    (b"FSType", "FSType"),
    (b"ItalicAngle", "ItalicAngle"),
    (b"isFixedPitch", "IsFixedPitch"),
    (b"UnderlinePosition", "UnderlinePosition"),
    (b"UnderlineThickness", "UnderlineThickness"),
];

/// AFM keys reported, and their tag names.
const AFM_KEYS: &[(&[u8], &str)] = &[
    (b"FontName", "FontName"),
    (b"FullName", "FullName"),
    (b"FamilyName", "FontFamily"),
    (b"Weight", "Weight"),
    (b"Notice", "Notice"),
    (b"Version", "Version"),
    (b"EncodingScheme", "EncodingScheme"),
    (b"MappingScheme", "MappingScheme"),
    (b"EscChar", "EscChar"),
    (b"CharacterSet", "CharacterSet"),
    (b"Characters", "Characters"),
    (b"IsBaseFont", "IsBaseFont"),
    (b"IsFixedV", "IsFixedV"),
    (b"CapHeight", "CapHeight"),
    (b"XHeight", "XHeight"),
    (b"Ascender", "Ascender"),
    (b"Descender", "Descender"),
];

/// Reads a PFA font: the text up to `eexec`.
pub(crate) fn parse_pfa(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, MAX_HEADER)?;
    program(cx, &d);
    Ok(())
}

/// Reads a PFB font: its first segment (`80 01`, little-endian length, clear text).
pub(crate) fn parse_pfb(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_up_to(0, 6)?;
    let (Some(&[0x80, 1]), Some(len)) = (head.get(..2), le32(&head, 2)) else {
        return Err(Error::malformed(0u64, "PFB segment header missing"));
    };
    let d = cx.read_up_to(6, u64::from(len).min(MAX_HEADER))?;
    program(cx, &d);
    Ok(())
}

/// The clear-text font program `d`: header comments, then the dictionary entries.
fn program(cx: &mut Ctx, d: &[u8]) {
    let end = find(d, b"eexec").unwrap_or(d.len());
    let d = d.get(..end).unwrap_or_default();
    let mut comments: Vec<String> = Vec::new();
    let mut in_comments = true;
    let mut found_name = false;
    for (_, line) in lines(d) {
        if in_comments && line.first() == Some(&b'%') {
            if line.starts_with(b"%%") {
                dsc_line(cx, line);
            } else if line.get(1).is_some_and(u8::is_ascii_whitespace) {
                // `% text`: a comment of the font's writer.
                comments.push(latin1(&line[1..]).trim_start().to_owned());
            }
            continue;
        }
        in_comments = false;
        let line = trim_start(line);
        let Some(rest) = line.strip_prefix(b"/") else { continue };
        let key_end = rest.iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(rest.len());
        let (key, value) = rest.split_at(key_end);
        let Some(&(_, name)) = PS_KEYS.iter().find(|(k, _)| *k == key) else { continue };
        if let Some(v) = ps_value(trim_start(value)) {
            found_name |= name == "FontName";
            cx.add(G, name, v);
        }
    }
    // ExifTool starts this comment with `1` before the writer's comment lines.
    if found_name {
        let mut text = String::from("1");
        for c in &comments {
            text.push('\n');
            text.push_str(c);
        }
        cx.add("File", "Comment", text);
    }
}

/// The value of a dictionary entry: a string `(...)`, a name `/X`, `true`/`false`, or a
/// number, each before `def` or `readonly`.
fn ps_value(v: &[u8]) -> Option<Value> {
    if let Some(s) = v.strip_prefix(b"(") {
        return Some(Value::from(ps_string(string_body(s)?)));
    }
    if let Some(s) = v.strip_prefix(b"/") {
        let end = s.iter().position(|b| b.is_ascii_whitespace() || b"/[{(".contains(b)).unwrap_or(s.len());
        return Some(Value::from(latin1(&s[..end])));
    }
    let end = v.iter().position(u8::is_ascii_whitespace).unwrap_or(v.len());
    let word = latin1(&v[..end]);
    match word.as_str() {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        w if !w.is_empty() && w.parse::<f64>().is_ok() => Some(Value::from(word)),
        _ => None,
    }
}

/// The body of a PostScript string that starts after its `(`: up to the `)` that closes
/// it (nested parentheses balance; escaped ones do not count).
fn string_body(s: &[u8]) -> Option<&[u8]> {
    let mut depth = 1u32;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        match c {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return s.get(..i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Reads an AFM file: `Key value` lines up to the character metrics.
pub(crate) fn parse_afm(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, MAX_HEADER)?;
    let mut comments: Vec<String> = Vec::new();
    for (_, line) in lines(&d) {
        if line.starts_with(b"StartCharMetrics") || line.starts_with(b"EndFontMetrics") {
            break;
        }
        let key_end = line.iter().position(u8::is_ascii_whitespace).unwrap_or(line.len());
        let (key, value) = line.split_at(key_end);
        let value = latin1(value);
        let value = value.trim();
        if key == b"Comment" {
            match value.strip_prefix("Creation Date:") {
                Some(date) => cx.add(G, "CreateDate", date.trim().to_owned()),
                None => comments.push(value.to_owned()),
            }
            continue;
        }
        let Some(&(_, name)) = AFM_KEYS.iter().find(|(k, _)| *k == key) else { continue };
        let value = match value.strip_prefix('(').and_then(|v| v.strip_suffix(')')) {
            Some(inner) => inner,
            None => value,
        };
        cx.add(G, name, value.to_owned());
    }
    if !comments.is_empty() {
        cx.add("File", "Comment", comments.join("\n"));
    }
    Ok(())
}

/// `d` without its leading spaces and tabs.
fn trim_start(d: &[u8]) -> &[u8] {
    let start = d.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(d.len());
    d.get(start..).unwrap_or_default()
}

/// Position of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{get, run};

    #[test]
    fn pfa_header_and_dictionary() {
        let f = b"%!PS-AdobeFont-1.0: X 1\n%%Title: X\n% % made\n% by hand\n%%EndComments\n\
/FontName /X def\n/FontInfo 9 dict dup begin\n /Notice (a \\050b\\051) readonly def\n\
 /isFixedPitch false def\n /ItalicAngle -9.9 def\nend\ncurrentfile eexec\n/Weight (no) def\n";
        let t = run(f, parse_pfa);
        assert_eq!(get(&t, "File:Comment"), Some(&Value::from("1\n% made\nby hand")));
        assert_eq!(get(&t, "PostScript:Title"), Some(&Value::from("X")));
        assert_eq!(get(&t, "Font:FontName"), Some(&Value::from("X")));
        assert_eq!(get(&t, "Font:Notice"), Some(&Value::from("a (b)")));
        assert_eq!(get(&t, "Font:IsFixedPitch"), Some(&Value::Bool(false)));
        assert_eq!(get(&t, "Font:ItalicAngle"), Some(&Value::from("-9.9")));
        assert!(get(&t, "Font:Weight").is_none());
        for n in 0..f.len() {
            let _ = run(&f[..n], parse_pfa);
        }
    }

    #[test]
    fn afm_keys_and_comments() {
        let f = b"StartFontMetrics 2.0\nComment one\nComment Creation Date: X\nComment two\n\
FontName F\nNotice (a (b) c)\nStartCharMetrics 1\nWeight Bold\n";
        let t = run(f, parse_afm);
        assert_eq!(get(&t, "File:Comment"), Some(&Value::from("one\ntwo")));
        assert_eq!(get(&t, "Font:CreateDate"), Some(&Value::from("X")));
        assert_eq!(get(&t, "Font:Notice"), Some(&Value::from("a (b) c")));
        assert!(get(&t, "Font:Weight").is_none());
    }
}
