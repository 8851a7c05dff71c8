//! PDF objects and a bounded parser over an in-memory buffer (ISO 32000-1 §7.2-7.3).

/// Deepest array/dictionary nesting parsed.
const MAX_NESTING: u32 = 32;
/// Most elements in one array or dictionary.
const MAX_ITEMS: usize = 100_000;

/// A PDF object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Obj {
    /// `null`.
    Null,
    /// `true`/`false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A real number.
    Real(f64),
    /// A literal or hexadecimal string (raw bytes, escapes resolved).
    Str(Vec<u8>),
    /// A name, `#xx` escapes resolved, without the slash.
    Name(Vec<u8>),
    /// An array.
    Array(Vec<Obj>),
    /// A dictionary, in file order.
    Dict(Vec<(Vec<u8>, Obj)>),
    /// An indirect reference `n g R`.
    Ref(u32, u16),
}

impl Obj {
    /// Looks a key up in a dictionary.
    pub fn get(&self, key: &str) -> Option<&Obj> {
        match self {
            Obj::Dict(d) => d.iter().find(|(k, _)| k == key.as_bytes()).map(|(_, v)| v),
            _ => None,
        }
    }
    /// The integer value.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Obj::Int(i) => Some(*i),
            Obj::Real(r) if r.is_finite() => Some(*r as i64),
            _ => None,
        }
    }
    /// The name, as bytes.
    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Obj::Name(n) => Some(n),
            _ => None,
        }
    }
    /// Whether this is the name `n`.
    pub fn is_name(&self, n: &str) -> bool {
        self.as_name() == Some(n.as_bytes())
    }
}

/// Why a parse failed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LexError {
    /// The buffer ended inside the object: read more and retry.
    Eof,
    /// Not valid PDF syntax.
    Bad,
}

/// A cursor over a buffer.
pub(crate) struct Lexer<'a> {
    /// The buffer.
    pub buf: &'a [u8],
    /// Current position.
    pub pos: usize,
    /// Longest string or name kept: the bytes past it are read over, not kept.
    max_str: usize,
    /// Array items and dictionary entries still kept: past them, they are parsed and
    /// dropped.
    items_left: usize,
    /// Whether items were dropped for `items_left`.
    dropped: bool,
}

/// What a [`Lexer`] keeps of the objects it parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Caps {
    /// Longest string or name kept: the bytes past it are read over, not kept.
    pub max_str: usize,
    /// Most array items and dictionary entries kept in all (and 100,000 in one array or
    /// dictionary): a two-byte item of the input takes some 32 to 56 bytes parsed.
    pub max_items: usize,
}

impl Caps {
    /// Everything kept (but the 100,000 items of one array or dictionary).
    pub const NONE: Caps = Caps { max_str: usize::MAX, max_items: usize::MAX };

    /// The caps for the values of at most `max_value_len` bytes and the buffers of at
    /// most `max_alloc` bytes of a budget.
    ///
    /// A string is kept to twice `max_value_len` and a margin: whatever its encoding
    /// (UTF-16 takes two bytes for one character, an AES string carries an IV and
    /// padding), it decodes to more than `max_value_len` bytes, so that the value is
    /// still cut to the limit, with its warning, when it is pushed. Items are kept to
    /// `max_alloc / 128` (4,096 at least): about half of `max_alloc` once parsed, at
    /// worst twice that with the slack of growing vectors.
    pub fn new(max_value_len: usize, max_alloc: usize) -> Caps {
        Caps {
            max_str: max_value_len.saturating_mul(2).saturating_add(64),
            max_items: (max_alloc / 128).max(4096),
        }
    }
}

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}
fn is_delim(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}
fn hex_digit(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

impl<'a> Lexer<'a> {
    /// A lexer at `pos`.
    pub fn new(buf: &'a [u8], pos: usize) -> Self {
        Lexer::capped(buf, pos, Caps::NONE)
    }

    /// A lexer at `pos` that keeps of the objects it parses what `caps` says.
    pub fn capped(buf: &'a [u8], pos: usize, caps: Caps) -> Self {
        Lexer { buf, pos, max_str: caps.max_str, items_left: caps.max_items, dropped: false }
    }

    /// Whether one more array item or dictionary entry is kept (counting it).
    fn keep_item(&mut self) -> bool {
        let keep = self.items_left > 0;
        self.items_left = self.items_left.saturating_sub(1);
        self.dropped |= !keep;
        keep
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Skips white space and comments.
    pub fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if is_white(c) {
                self.pos += 1;
            } else if c == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\r' || c == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Reads a bare token (keyword or number) without consuming what follows.
    pub fn token(&mut self) -> &'a [u8] {
        self.skip_ws();
        let start = self.pos;
        while let Some(c) = self.peek() {
            if is_white(c) || is_delim(c) {
                break;
            }
            self.pos += 1;
        }
        self.buf.get(start..self.pos).unwrap_or_default()
    }

    /// Reads an unsigned integer token.
    pub fn uint(&mut self) -> Option<u64> {
        let t = self.token();
        std::str::from_utf8(t).ok()?.parse().ok()
    }

    /// Consumes `kw` (after white space) when it is next.
    pub fn keyword(&mut self, kw: &[u8]) -> bool {
        let save = self.pos;
        if self.token() == kw {
            true
        } else {
            self.pos = save;
            false
        }
    }

    /// Parses one object (references `n g R` folded).
    pub fn object(&mut self, depth: u32) -> Result<Obj, LexError> {
        if depth > MAX_NESTING {
            return Err(LexError::Bad);
        }
        self.skip_ws();
        let c = self.peek().ok_or(LexError::Eof)?;
        match c {
            b'/' => {
                self.pos += 1;
                Ok(Obj::Name(self.name()))
            }
            b'(' => {
                self.pos += 1;
                self.literal().map(Obj::Str)
            }
            b'<' if self.buf.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                let mut d = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        None => return Err(LexError::Eof),
                        Some(b'>') => {
                            self.pos += 1;
                            if self.peek() == Some(b'>') {
                                self.pos += 1;
                            }
                            return Ok(Obj::Dict(d));
                        }
                        Some(b'/') => {
                            self.pos += 1;
                            let k = self.name();
                            let v = self.object(depth + 1)?;
                            if d.len() < MAX_ITEMS && self.keep_item() {
                                d.push((k, v));
                            }
                        }
                        Some(_) => {
                            // Junk where a key belongs: skip one object.
                            let save = self.pos;
                            self.object(depth + 1)?;
                            if self.pos == save {
                                self.pos += 1;
                            }
                        }
                    }
                }
            }
            b'<' => {
                self.pos += 1;
                self.hex_string().map(Obj::Str)
            }
            b'[' => {
                self.pos += 1;
                let mut a = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        None => return Err(LexError::Eof),
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Obj::Array(a));
                        }
                        Some(_) => {
                            let save = self.pos;
                            let v = self.object(depth + 1)?;
                            if self.pos == save {
                                return Err(LexError::Bad);
                            }
                            if a.len() < MAX_ITEMS && self.keep_item() {
                                a.push(v);
                            }
                        }
                    }
                }
            }
            b')' | b'>' | b']' | b'}' | b'{' => Err(LexError::Bad),
            _ => {
                let start = self.pos;
                let t = self.token();
                if t.is_empty() {
                    return Err(LexError::Bad);
                }
                // The buffer may end in the middle of a token.
                if self.pos >= self.buf.len() {
                    return Err(LexError::Eof);
                }
                match t {
                    b"true" => Ok(Obj::Bool(true)),
                    b"false" => Ok(Obj::Bool(false)),
                    b"null" => Ok(Obj::Null),
                    _ => {
                        let s = std::str::from_utf8(t).map_err(|_| LexError::Bad)?;
                        if let Ok(i) = s.parse::<i64>() {
                            // `n g R`?
                            let after = self.pos;
                            if i >= 0 {
                                let g = self.token();
                                let generation =
                                    std::str::from_utf8(g).ok().and_then(|g| g.parse::<u16>().ok());
                                if let Some(generation) = generation {
                                    if self.token() == b"R" {
                                        if let Ok(n) = u32::try_from(i) {
                                            return Ok(Obj::Ref(n, generation));
                                        }
                                    }
                                }
                                if self.pos >= self.buf.len() {
                                    // Cannot tell yet whether this was a reference.
                                    self.pos = after;
                                    return Err(LexError::Eof);
                                }
                            }
                            self.pos = after;
                            Ok(Obj::Int(i))
                        } else if let Ok(r) = s.parse::<f64>() {
                            Ok(Obj::Real(r))
                        } else {
                            self.pos = start + t.len();
                            Err(LexError::Bad)
                        }
                    }
                }
            }
        }
    }

    fn name(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            if is_white(c) || is_delim(c) {
                break;
            }
            self.pos += 1;
            let mut byte = c;
            if c == b'#' {
                let h = self.buf.get(self.pos).and_then(|&a| hex_digit(a));
                let l = self.buf.get(self.pos + 1).and_then(|&a| hex_digit(a));
                if let (Some(h), Some(l)) = (h, l) {
                    byte = h << 4 | l;
                    self.pos += 2;
                }
            }
            if out.len() < self.max_str {
                out.push(byte);
            }
        }
        out
    }

    fn literal(&mut self) -> Result<Vec<u8>, LexError> {
        let mut out = Vec::new();
        let mut nest = 0u32;
        loop {
            if out.len() > self.max_str {
                out.truncate(self.max_str);
            }
            let c = self.peek().ok_or(LexError::Eof)?;
            self.pos += 1;
            match c {
                b'(' => {
                    nest += 1;
                    out.push(c);
                }
                b')' => {
                    if nest == 0 {
                        return Ok(out);
                    }
                    nest -= 1;
                    out.push(c);
                }
                b'\\' => {
                    let e = self.peek().ok_or(LexError::Eof)?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
    }

    fn hex_string(&mut self) -> Result<Vec<u8>, LexError> {
        let mut out = Vec::new();
        let mut half: Option<u8> = None;
        loop {
            if out.len() > self.max_str {
                out.truncate(self.max_str);
            }
            let c = self.peek().ok_or(LexError::Eof)?;
            self.pos += 1;
            if c == b'>' {
                if let Some(h) = half {
                    out.push(h << 4);
                }
                return Ok(out);
            }
            if let Some(d) = hex_digit(c) {
                match half.take() {
                    Some(h) => out.push(h << 4 | d),
                    None => half = Some(d),
                }
            } else if !is_white(c) {
                return Err(LexError::Bad);
            }
        }
    }
}

/// An indirect object: number, generation, the object and, for a stream, the position
/// just after the `stream` keyword's end of line.
pub(crate) type Indirect = (u32, u16, Obj, Option<usize>);

/// Parses `n g obj <object>` at `pos`, keeping of it what `caps` says.
pub(crate) fn indirect(buf: &[u8], pos: usize, caps: Caps) -> Result<Indirect, LexError> {
    Lexer::capped(buf, pos, caps).indirect()
}

impl Lexer<'_> {
    /// Parses `n g obj <object>` from here (see [`indirect`]).
    pub fn indirect(&mut self) -> Result<Indirect, LexError> {
        let buf = self.buf;
        let num = self.uint().ok_or(LexError::Bad)?;
        let generation = self.uint().and_then(|g| u16::try_from(g).ok()).ok_or(LexError::Bad)?;
        if !self.keyword(b"obj") {
            return Err(if self.pos >= buf.len() { LexError::Eof } else { LexError::Bad });
        }
        let obj = self.object(0)?;
        let num = u32::try_from(num).map_err(|_| LexError::Bad)?;
        self.skip_ws_no_comment();
        if buf.get(self.pos..self.pos + 6) == Some(b"stream") {
            let mut p = self.pos + 6;
            if buf.get(p) == Some(&b'\r') {
                p += 1;
            }
            if buf.get(p) == Some(&b'\n') {
                p += 1;
            }
            return Ok((num, generation, obj, Some(p)));
        }
        if self.pos + 6 > buf.len() && matches!(obj, Obj::Dict(_)) {
            return Err(LexError::Eof);
        }
        Ok((num, generation, obj, None))
    }

    /// Whether array items or dictionary entries were parsed and dropped for
    /// [`Caps::max_items`].
    pub fn dropped_items(&self) -> bool {
        self.dropped
    }
}

impl Lexer<'_> {
    fn skip_ws_no_comment(&mut self) {
        while self.peek().is_some_and(is_white) {
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(s: &str) -> Obj {
        Lexer::new(s.as_bytes(), 0).object(0).unwrap()
    }

    #[test]
    fn objects() {
        assert_eq!(obj("12 0 R "), Obj::Ref(12, 0));
        assert_eq!(obj("12 0 obj "), Obj::Int(12));
        assert_eq!(obj("(a\\(b\\)\\101\\\nc) "), Obj::Str(b"a(b)Ac".to_vec()));
        assert_eq!(obj("<48 656c6>"), Obj::Str(b"Hel`".to_vec()));
        assert_eq!(obj("/A#20B "), Obj::Name(b"A B".to_vec()));
        let d = obj("<</Type/Pages/Count 3/Kids[4 0 R 5 0 R]/F -1.5>>");
        assert_eq!(d.get("Count"), Some(&Obj::Int(3)));
        assert!(d.get("Type").unwrap().is_name("Pages"));
        assert_eq!(d.get("Kids"), Some(&Obj::Array(vec![Obj::Ref(4, 0), Obj::Ref(5, 0)])));
        assert_eq!(d.get("F"), Some(&Obj::Real(-1.5)));
    }

    #[test]
    fn truncation_and_depth() {
        assert_eq!(Lexer::new(b"<</A (abc", 0).object(0), Err(LexError::Eof));
        assert_eq!(Lexer::new(b"[1 2", 0).object(0), Err(LexError::Eof));
        let deep = "[".repeat(100);
        assert!(Lexer::new(deep.as_bytes(), 0).object(0).is_err());
        let (n, _, o, s) = indirect(b"7 0 obj\n<</Length 3>>\nstream\r\nabc", 0, Caps::NONE).unwrap();
        assert_eq!((n, s), (7, Some(30)));
        assert_eq!(o.get("Length"), Some(&Obj::Int(3)));
    }

    #[test]
    fn strings_and_names_are_cut_as_they_are_read() {
        let src = b"<</T (abcdef\\)gh) /H <6162636465> /N /abcdef#41 /K 1>>";
        let d = Lexer::capped(src, 0, Caps { max_str: 3, max_items: 10 }).object(0).unwrap();
        assert_eq!(d.get("T"), Some(&Obj::Str(b"abc".to_vec())));
        assert_eq!(d.get("H"), Some(&Obj::Str(b"abc".to_vec())));
        assert_eq!(d.get("N"), Some(&Obj::Name(b"abc".to_vec())));
        assert_eq!(d.get("K"), Some(&Obj::Int(1)));
    }

    #[test]
    fn items_past_the_cap_are_parsed_and_dropped() {
        let src = b"<</A [1 [2 3] 4 5]/B 6/C 7>> 8 /X";
        let mut lx = Lexer::capped(src, 0, Caps { max_str: 10, max_items: 4 });
        let d = lx.object(0).unwrap();
        // 1, 2, 3 and [2 3] kept; 4, 5, /A's entry and the rest dropped, in order.
        assert_eq!(d, Obj::Dict(vec![]));
        assert!(lx.dropped_items());
        assert_eq!(lx.object(0), Ok(Obj::Int(8)));
        let d = Lexer::capped(src, 0, Caps { max_str: 10, max_items: 7 }).object(0).unwrap();
        let a = vec![Obj::Int(1), Obj::Array(vec![Obj::Int(2), Obj::Int(3)]), Obj::Int(4), Obj::Int(5)];
        assert_eq!(d.get("A"), Some(&Obj::Array(a)));
        assert_eq!((d.get("B"), d.get("C")), (None, None));
    }
}
