//! Decoding of XML/HTML character data (entities, CDATA) into [`Text`]
//! with an offset map back to the source bytes.
//!
//! Verbatim runs map one to one; every entity maps, as a unit, to the bytes
//! `&...;` it was written as. Only the five predefined XML entities, numeric
//! character references and (for HTML) the named entities of [`HTML_ENTITIES`]
//! are decoded. Anything else — an unknown name, an entity declared in a DTD,
//! an external entity — stays verbatim: nothing is ever expanded or fetched,
//! so "billion laughs" and XXE documents are inert.

use crate::span::{Span, Text, TextBuilder};

/// The named entities of HTML that registry pages use, with what they stand
/// for. The five XML ones come first. One table, used by every decoder.
pub const HTML_ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("rsquo", "’"),
    ("lsquo", "‘"),
    ("rdquo", "”"),
    ("ldquo", "“"),
    ("sbquo", "‚"),
    ("bdquo", "„"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("plusmn", "±"),
    ("le", "≤"),
    ("ge", "≥"),
    ("ne", "≠"),
    ("asymp", "≈"),
    ("times", "×"),
    ("divide", "÷"),
    ("minus", "−"),
    ("deg", "°"),
    ("micro", "µ"),
    ("middot", "·"),
    ("bull", "•"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("sect", "§"),
    ("para", "¶"),
    ("dagger", "†"),
    ("Dagger", "‡"),
    ("prime", "′"),
    ("Prime", "″"),
    ("frac12", "½"),
    ("frac14", "¼"),
    ("frac34", "¾"),
    ("sup1", "¹"),
    ("sup2", "²"),
    ("sup3", "³"),
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("kappa", "κ"),
    ("lambda", "λ"),
    ("mu", "μ"),
    ("Delta", "Δ"),
    ("larr", "←"),
    ("rarr", "→"),
    ("uarr", "↑"),
    ("darr", "↓"),
    ("shy", "\u{ad}"),
    ("ensp", "\u{2002}"),
    ("emsp", "\u{2003}"),
    ("thinsp", "\u{2009}"),
    ("zwnj", "\u{200c}"),
    ("zwj", "\u{200d}"),
    ("iexcl", "¡"),
    ("iquest", "¿"),
    ("cent", "¢"),
    ("pound", "£"),
    ("euro", "€"),
    ("yen", "¥"),
    ("ordf", "ª"),
    ("ordm", "º"),
    ("szlig", "ß"),
    ("agrave", "à"),
    ("aacute", "á"),
    ("acirc", "â"),
    ("atilde", "ã"),
    ("auml", "ä"),
    ("aring", "å"),
    ("aelig", "æ"),
    ("ccedil", "ç"),
    ("egrave", "è"),
    ("eacute", "é"),
    ("ecirc", "ê"),
    ("euml", "ë"),
    ("igrave", "ì"),
    ("iacute", "í"),
    ("icirc", "î"),
    ("iuml", "ï"),
    ("ntilde", "ñ"),
    ("ograve", "ò"),
    ("oacute", "ó"),
    ("ocirc", "ô"),
    ("otilde", "õ"),
    ("ouml", "ö"),
    ("oslash", "ø"),
    ("ugrave", "ù"),
    ("uacute", "ú"),
    ("ucirc", "û"),
    ("uuml", "ü"),
    ("yacute", "ý"),
    ("Agrave", "À"),
    ("Aacute", "Á"),
    ("Acirc", "Â"),
    ("Atilde", "Ã"),
    ("Auml", "Ä"),
    ("Aring", "Å"),
    ("AElig", "Æ"),
    ("Ccedil", "Ç"),
    ("Egrave", "È"),
    ("Eacute", "É"),
    ("Ecirc", "Ê"),
    ("Iacute", "Í"),
    ("Ntilde", "Ñ"),
    ("Oacute", "Ó"),
    ("Ouml", "Ö"),
    ("Oslash", "Ø"),
    ("Uacute", "Ú"),
    ("Uuml", "Ü"),
];

/// Which entity names a decoder knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entities {
    /// `&amp; &lt; &gt; &quot; &apos;` and numeric references.
    Xml,
    /// The XML ones plus the HTML table.
    Html,
}

/// Longest entity name we look for (`&` + name + `;`).
const MAX_ENTITY: usize = 12;

/// If `s` starts with a decodable entity (`&name;`, `&#NNN;`, `&#xHH;`),
/// what it stands for and its length in bytes.
pub fn entity_at(s: &str, which: Entities) -> Option<(EntityValue, usize)> {
    let b = s.as_bytes();
    // the carriage return that ends nearly every line of a legacy XML
    // textblock (74 of every 75 entities in the benchmark's files), known
    // at once: read the general way it took 140 instructions, 7 thousand
    // a benchmark XML record
    if b.starts_with(b"&#xD;") {
        return Some((EntityValue::Char('\r'), 5));
    }
    if b.first() != Some(&b'&') {
        return None;
    }
    let limit = b.len().min(MAX_ENTITY + 2);
    let semi = b[1..limit].iter().position(|&c| c == b';')? + 1;
    let name = &s[1..semi];
    let len = semi + 1;
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(hex, 16).ok()?
        } else {
            if num.is_empty() || !num.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            num.parse::<u32>().ok()?
        };
        if code == 0 {
            return None;
        }
        return char::from_u32(code).map(|c| (EntityValue::Char(c), len));
    }
    let table = match which {
        Entities::Xml => &HTML_ENTITIES[..5],
        Entities::Html => HTML_ENTITIES,
    };
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| (EntityValue::Str(v), len))
}

/// What an entity stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityValue {
    Char(char),
    Str(&'static str),
}

impl EntityValue {
    /// What it stands for, a char written into `buf`.
    fn as_str(self, buf: &mut [u8; 4]) -> &str {
        match self {
            EntityValue::Char(c) => c.encode_utf8(buf),
            EntityValue::Str(s) => s,
        }
    }
}

/// Append the decoded form of `raw` (found at byte `start` of the file) to a
/// builder, without folding white space.
pub fn decode_into(b: &mut TextBuilder, raw: &str, start: usize, which: Entities) {
    let mut run = 0; // start of the pending verbatim run
    let mut i = 0;
    let bytes = raw.as_bytes();
    while let Some(off) = memchr::memchr(b'&', &bytes[i..]) {
        let at = i + off;
        match entity_at(&raw[at..], which) {
            Some((val, len)) => {
                b.verbatim(&raw[run..at], start + run);
                // on the stack: a string allocated per entity was 7
                // thousand instructions a benchmark XML record
                let mut buf = [0; 4];
                b.decoded(val.as_str(&mut buf), start + at, start + at + len);
                i = at + len;
                run = i;
            }
            None => i = at + 1,
        }
    }
    b.verbatim(&raw[run..], start + run);
}

/// Decode XML character data `raw` found at byte `start` of the file: the
/// predefined and numeric entities; white space kept as written (textblocks
/// keep their line breaks and indentation).
pub fn decode(raw: &str, start: usize) -> Text {
    // an XML entity is never shorter than what it stands for
    let mut b = TextBuilder::with_capacity(raw.len(), 4);
    decode_into(&mut b, raw, start, Entities::Xml);
    b.finish()
}

/// The part of XML character data `raw` whose decoded form is the
/// decoded `raw` trimmed, and where it starts in `raw`: `raw` without its
/// white space at both ends, nor the entities standing for white space
/// there (`&#xD;` ends most lines of a registry textblock). Decoding the
/// part once then gives what decoding the whole run and trimming a copy
/// of it gave, in about half the instructions (two or three such
/// textblocks a benchmark record, 30 thousand instructions). When the
/// part is empty the trimmed text still has a place, which only the
/// whole run gives.
///
/// An entity never holds a `&`, so the last `&` of a run starts the
/// entity that ends it, if one does, as decoding from the start finds.
pub fn trimmed_part(raw: &str) -> (usize, &str) {
    let is_blank = |v: EntityValue| match v {
        EntityValue::Char(c) => c.is_whitespace(),
        EntityValue::Str(s) => !s.is_empty() && s.chars().all(char::is_whitespace),
    };
    let mut t = raw.trim_start();
    loop {
        match entity_at(t, Entities::Xml) {
            Some((v, len)) if is_blank(v) => t = t[len..].trim_start(),
            _ => break,
        }
    }
    let start = raw.len() - t.len();
    t = t.trim_end();
    while t.ends_with(';') {
        let Some(amp) = t.rfind('&') else { break };
        match entity_at(&t[amp..], Entities::Xml) {
            Some((v, len)) if amp + len == t.len() && is_blank(v) => t = t[..amp].trim_end(),
            _ => break,
        }
    }
    (start, t)
}

/// Decode HTML character data: the XML entities plus the HTML table, white
/// space kept.
pub fn decode_html(raw: &str, start: usize) -> Text {
    let mut b = TextBuilder::new();
    decode_into(&mut b, raw, start, Entities::Html);
    b.finish()
}

/// The content of a CDATA section: always verbatim.
pub fn decode_cdata(raw: &str, start: usize) -> Text {
    Text::verbatim(raw, start)
}

/// `t` without leading and trailing white space, map kept. Unlike
/// [`Text::trimmed`], an all-blank text becomes an empty text that still
/// sits where it was in the source (so an empty field points at its place).
pub fn trim(t: &Text) -> Text {
    let r = t.trimmed();
    if !r.text.is_empty() || r.whole_span() != Span::default() {
        return r;
    }
    let lead = t.text.len() - t.text.trim_start().len();
    let at = t.span(lead, lead).start;
    let mut b = TextBuilder::new();
    b.synthetic("", at);
    b.finish()
}

/// Whether a char is white space HTML folds (ASCII white space only: a
/// no-break space is kept).
pub fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// State for folding white space across several pieces of character data.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fold {
    /// A white-space run seen but not yet written: its source range.
    pending: Option<(usize, usize)>,
}

impl Fold {
    /// Write the pending white space as one space (if any and if the builder
    /// does not already end in white space).
    pub fn flush(&mut self, b: &mut TextBuilder) {
        if let Some((s, e)) = self.pending.take() {
            if !b.is_empty() && !b.as_str().ends_with([' ', '\n', '\t']) {
                b.decoded(" ", s, e);
            }
        }
    }

    /// Forget pending white space (at a block boundary, where a line break
    /// is written instead).
    pub fn drop_pending(&mut self) {
        self.pending = None;
    }

    fn note(&mut self, s: usize, e: usize) {
        self.pending = Some(match self.pending {
            Some((ps, _)) => (ps, e),
            None => (s, e),
        });
    }
}

/// Append HTML character data with entities decoded and each run of white
/// space folded to one space that maps to the whole run. Leading white space
/// is only written once more text follows (so a block never starts or ends
/// with a space).
pub fn decode_html_folded_into(b: &mut TextBuilder, fold: &mut Fold, raw: &str, start: usize) {
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut run = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c) {
            if run < i {
                fold.flush(b);
                b.verbatim(&raw[run..i], start + run);
            }
            let ws_start = i;
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0c) {
                i += 1;
            }
            fold.note(start + ws_start, start + i);
            run = i;
        } else if c == b'&' {
            match entity_at(&raw[i..], Entities::Html) {
                Some((val, len)) => {
                    if run < i {
                        fold.flush(b);
                        b.verbatim(&raw[run..i], start + run);
                    }
                    fold.flush(b);
                    let mut buf = [0; 4];
                    b.decoded(val.as_str(&mut buf), start + i, start + i + len);
                    i += len;
                    run = i;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    if run < bytes.len() {
        fold.flush(b);
        b.verbatim(&raw[run..], start + run);
    }
}

/// Decode HTML character data with white space folded (see
/// [`decode_html_folded_into`]); leading and trailing white space dropped.
pub fn decode_html_folded(raw: &str, start: usize) -> Text {
    let mut b = TextBuilder::new();
    let mut fold = Fold::default();
    decode_html_folded_into(&mut b, &mut fold, raw, start);
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_and_numeric() {
        let t = decode("a &lt; b &#233;&#xE9; &amp;lt;", 10);
        assert_eq!(t.text, "a < b éé &lt;");
        assert_eq!(t.span(2, 3), Span::new(12, 16));
        assert_eq!(t.span(6, 8), Span::new(19, 25));
        assert_eq!(t.whole_span(), Span::new(10, 10 + 30));
    }

    /// The carriage return read at once is what the general way reads.
    #[test]
    fn carriage_return_as_any_reference() {
        for which in [Entities::Xml, Entities::Html] {
            let general = entity_at("&#13;", which).map(|(v, _)| (v, 5));
            assert_eq!(general, Some((EntityValue::Char('\r'), 5)));
            assert_eq!(entity_at("&#xD; x", which), general);
            assert_eq!(entity_at("&#xD", which), None);
        }
        let t = decode("a&#xD;\n  b&#xd;", 4);
        assert_eq!(t.text, "a\r\n  b\r");
        assert_eq!(t.span(1, 2), Span::new(5, 10));
        assert_eq!(t.span(6, 7), Span::new(14, 19));
    }

    #[test]
    fn unknown_and_bad_stay_verbatim() {
        let src = "&lol9; &nbsp; & &#xZZ; &#0; &#1114112; &";
        let t = decode(src, 0);
        assert_eq!(t.text, src);
        assert_eq!(decode_html("&nbsp;&le;5", 0).text, "\u{a0}≤5");
    }

    #[test]
    fn folding() {
        let t = decode_html_folded("  a \n\t b&nbsp;c  ", 0);
        assert_eq!(t.text, "a b\u{a0}c");
        assert_eq!(t.span(1, 2), Span::new(3, 7));
    }
}
