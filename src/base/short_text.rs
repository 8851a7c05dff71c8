//! Text built piece by piece on the stack: the writers number formatting and tag values
//! share.

use crate::base::text::Text;

/// Where numbers are written: a `String` or a [`Text`] (short text then stays inline,
/// with no temporary `String`).
pub(crate) trait Out: std::fmt::Write {
    /// Appends `s`.
    fn push_str(&mut self, s: &str) {
        let _ = self.write_str(s);
    }

    /// Appends `c`.
    fn push(&mut self, c: char) {
        let _ = self.write_char(c);
    }

    /// Appends `digits`, ASCII digits (anything else is dropped).
    fn push_digits(&mut self, digits: &[u8]) {
        self.push_str(std::str::from_utf8(digits).unwrap_or_default());
    }
}

impl Out for String {}
impl Out for Text {}

/// Bytes a [`ShortText`] keeps on the stack (as many as a [`Text`] keeps inline).
const SHORT: usize = 24;

/// Text written piece by piece into a stack buffer, made a [`Text`] once at the end:
/// each append is a plain copy (no length re-encoding or capacity check of a `Text`).
/// Past [`SHORT`] bytes it carries on in a `Text`.
pub(crate) struct ShortText {
    buf: [u8; SHORT],
    len: usize,
    /// The text so far once it no longer fits in `buf` (a `String`, whose appends cost
    /// less than a `Text`'s: a long list's numbers go there one by one).
    long: Option<String>,
}

impl ShortText {
    /// An empty text.
    pub(crate) fn new() -> Self {
        ShortText { buf: [0; SHORT], len: 0, long: None }
    }

    /// The text written.
    pub(crate) fn finish(self) -> Text {
        match self.long {
            Some(t) => Text::from(t),
            // Only whole strings and characters were copied in: always UTF-8.
            None => Text::new(
                std::str::from_utf8(self.buf.get(..self.len).unwrap_or_default()).unwrap_or_default(),
            ),
        }
    }

    /// Moves the text to a `String` and appends `s` there.
    #[cold]
    fn spill(&mut self, s: &str) {
        let long = self.long.get_or_insert_with(|| {
            let mut long = String::new();
            long.push_str(
                std::str::from_utf8(self.buf.get(..self.len).unwrap_or_default()).unwrap_or_default(),
            );
            long
        });
        long.push_str(s);
    }
}

impl std::fmt::Write for ShortText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if let Some(long) = &mut self.long {
            long.push_str(s);
            return Ok(());
        }
        match self.buf.get_mut(self.len..self.len + s.len()) {
            Some(dst) => {
                dst.copy_from_slice(s.as_bytes());
                self.len += s.len();
            }
            None => self.spill(s),
        }
        Ok(())
    }
}

impl Out for ShortText {
    fn push_str(&mut self, s: &str) {
        let _ = std::fmt::Write::write_str(self, s);
    }

    fn push_digits(&mut self, digits: &[u8]) {
        if !digits.iter().all(u8::is_ascii_digit) {
            return;
        }
        // Digits are ASCII: always UTF-8.
        let text = || std::str::from_utf8(digits).unwrap_or_default();
        if let Some(long) = &mut self.long {
            long.push_str(text());
            return;
        }
        match self.buf.get_mut(self.len..self.len + digits.len()) {
            Some(dst) => {
                dst.copy_from_slice(digits);
                self.len += digits.len();
            }
            None => self.spill(text()),
        }
    }

    fn push(&mut self, c: char) {
        match (&mut self.long, self.buf.get_mut(self.len)) {
            (Some(long), _) => long.push(c),
            (None, Some(b)) if c.is_ascii() => {
                *b = c as u8;
                self.len += 1;
            }
            _ => self.spill(c.encode_utf8(&mut [0; 4])),
        }
    }
}
