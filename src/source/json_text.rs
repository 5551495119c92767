//! Decoding of JSON string literals (and the API's markdown escapes) into
//! [`Text`] with an offset map back to the literal's bytes.
//!
//! Verbatim runs map one to one. Each JSON escape (`\n`, `\"`, `\\`, `\/`,
//! `\uXXXX`, a surrogate pair `\uD83D\uDE00`) decodes to one char that maps
//! to its escape bytes as a unit; a lone or invalid surrogate becomes U+FFFD.
//!
//! ClinicalTrials.gov API v2 text is markdown, and the API escapes ASCII
//! punctuation with a backslash (`\>=`, `\<`, `\[`, `\*`, `\&`, `\^` ...). In
//! the JSON source that backslash is itself escaped (`\\>`). [`decode`] also
//! undoes those: the backslash is dropped and the punctuation char maps to the
//! source bytes of backslash and char together (`\\>`, three bytes).
//! [`decode_json`] undoes JSON escapes only (for the v1 API, whose text is not
//! markdown).

use crate::span::{Text, TextBuilder};

/// Decode the JSON string literal `raw` (quotes included) found at byte
/// `start` of the file, undoing JSON escapes and then markdown escapes.
pub fn decode(raw: &str, start: usize) -> Text {
    decode_with(raw, start, true)
}

/// Decode the JSON string literal `raw` (quotes included) found at byte
/// `start` of the file, undoing JSON escapes only.
pub fn decode_json(raw: &str, start: usize) -> Text {
    decode_with(raw, start, false)
}

/// Decode the BODY of a JSON string literal (no quotes) found at byte
/// `start`, undoing JSON and, if `markdown`, markdown escapes.
pub fn decode_body(body: &str, start: usize, markdown: bool) -> Text {
    if body.is_empty() {
        let mut b = TextBuilder::new();
        b.synthetic("", start);
        return b.finish();
    }
    // memchr's vector search, not the slice's word-at-a-time `contains`:
    // most of a study's bytes are in the strings of its protocol section
    if memchr::memchr(b'\\', body.as_bytes()).is_none() {
        return Text::verbatim(body, start);
    }
    let mut d = Decoder {
        // decoding only shortens the text
        b: TextBuilder::with_capacity(body.len(), 16),
        base: start,
        markdown,
        pending: None,
    };
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let next = memchr::memchr(b'\\', &bytes[i..]).map_or(bytes.len(), |k| i + k);
        if next > i {
            d.run(&body[i..next], i);
        }
        if next >= bytes.len() {
            break;
        }
        match escape_at(bytes, next) {
            Some((ch, len)) => {
                d.escape(ch, next, next + len);
                i = next + len;
            }
            None => {
                // Not a valid JSON escape (only in malformed input): keep the
                // backslash as it is.
                d.flush();
                d.b.verbatim("\\", start + next);
                i = next + 1;
            }
        }
    }
    d.flush();
    d.b.finish()
}

fn decode_with(raw: &str, start: usize, markdown: bool) -> Text {
    let (body, base) = match raw.strip_prefix('"') {
        Some(rest) => (rest.strip_suffix('"').unwrap_or(rest), start + 1),
        None => (raw, start),
    };
    decode_body(body, base, markdown)
}

/// Is `c` a char a markdown backslash escape can stand before (CommonMark:
/// any ASCII punctuation)?
pub fn is_markdown_escapable(c: char) -> bool {
    c.is_ascii_punctuation()
}

struct Decoder {
    b: TextBuilder,
    base: usize,
    markdown: bool,
    /// A decoded backslash (relative source span) that may start a markdown
    /// escape, waiting for the next char.
    pending: Option<(usize, usize)>,
}

impl Decoder {
    fn flush(&mut self) {
        if let Some((s, e)) = self.pending.take() {
            self.b.decoded("\\", self.base + s, self.base + e);
        }
    }

    /// A run of source text with no backslash, at relative offset `at`.
    fn run(&mut self, s: &str, at: usize) {
        let mut s = s;
        let mut at = at;
        if let Some((ps, _)) = self.pending {
            let c = s.chars().next().expect("runs are not empty");
            if is_markdown_escapable(c) {
                self.pending = None;
                let n = c.len_utf8();
                self.b.decoded(&s[..n], self.base + ps, self.base + at + n);
                s = &s[n..];
                at += n;
            } else {
                self.flush();
            }
        }
        self.b.verbatim(s, self.base + at);
    }

    /// One JSON escape decoding to `ch`, at relative source bytes `s..e`.
    fn escape(&mut self, ch: char, s: usize, e: usize) {
        let mut buf = [0u8; 4];
        if let Some((ps, _)) = self.pending {
            if is_markdown_escapable(ch) {
                self.pending = None;
                self.b
                    .decoded(ch.encode_utf8(&mut buf), self.base + ps, self.base + e);
                return;
            }
            self.flush();
        }
        if self.markdown && ch == '\\' {
            self.pending = Some((s, e));
        } else {
            self.b
                .decoded(ch.encode_utf8(&mut buf), self.base + s, self.base + e);
        }
    }
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let h = bytes.get(at..at + 4)?;
    let mut v = 0u32;
    for &c in h {
        v = v * 16 + (c as char).to_digit(16)?;
    }
    Some(v)
}

/// The JSON escape starting at `bytes[at] == b'\\'`: its char and length.
pub(crate) fn escape_at(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    let c = match *bytes.get(at + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = hex4(bytes, at + 2)?;
            if (0xD800..0xDC00).contains(&hi) {
                if bytes.get(at + 6) == Some(&b'\\') && bytes.get(at + 7) == Some(&b'u') {
                    if let Some(lo) = hex4(bytes, at + 8) {
                        if (0xDC00..0xE000).contains(&lo) {
                            let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            return Some((char::from_u32(cp).unwrap_or('\u{FFFD}'), 12));
                        }
                    }
                }
                return Some(('\u{FFFD}', 6));
            }
            return Some((char::from_u32(hi).unwrap_or('\u{FFFD}'), 6));
        }
        _ => return None,
    };
    Some((c, 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn plain_literal_is_one_verbatim_run() {
        let t = decode("\"abc\"", 10);
        assert_eq!(t.text, "abc");
        assert_eq!(t.whole_span(), Span::new(11, 14));
    }

    #[test]
    fn empty_literal_sits_inside_the_quotes() {
        let t = decode("\"\"", 10);
        assert_eq!(t.text, "");
        assert_eq!(t.whole_span(), Span::new(11, 11));
    }

    #[test]
    fn json_escapes_map_as_units() {
        // "a\nb\u00e9\ud83d\ude00"
        let raw = r#""a\nb\u00e9\ud83d\ude00""#;
        let t = decode(raw, 0);
        assert_eq!(t.text, "a\nbé😀");
        assert_eq!(t.span(1, 2), Span::new(2, 4));
        assert_eq!(t.span(3, 5), Span::new(5, 11));
        assert_eq!(t.span(5, 9), Span::new(11, 23));
    }

    #[test]
    fn lone_surrogate_is_replacement_char() {
        let t = decode(r#""x\ud83dy\udc00""#, 0);
        assert_eq!(t.text, "x\u{FFFD}y\u{FFFD}");
        assert_eq!(t.span(1, 4), Span::new(2, 8));
    }

    #[test]
    fn markdown_escapes_are_undone() {
        // source: "age \\>= 18 \\<b\\\\c"
        let raw = r#""age \\>= 18 \\<b\\\\c\\x""#;
        let t = decode(raw, 100);
        assert_eq!(t.text, "age >= 18 <b\\c\\x");
        // `>` maps to `\\>`
        assert_eq!(t.span(4, 5), Span::new(105, 108));
        assert_eq!(&raw[5..8], r"\\>");
        // `=` is verbatim right after
        assert_eq!(t.span(5, 6), Span::new(108, 109));
        // json-only decoding keeps the backslashes
        assert_eq!(decode_json(raw, 0).text, "age \\>= 18 \\<b\\\\c\\x");
    }
}
