//! HTML to plain text, with every character mapped back to the HTML bytes.
//!
//! A tolerant scanner, not a parser: tags and comments are dropped, the
//! contents of `<script>`, `<style>`, `<head>` (and similar) are skipped,
//! block elements start a new line, table cells are separated by a tab, and
//! runs of white space fold to one space (except inside `<pre>`). Entities are
//! decoded with the table in [`xml_text`]. Glue (line breaks, tabs) is
//! synthetic text placed at the tag that caused it.

use crate::source::xml_text::{self, Fold};
use crate::span::{Text, TextBuilder};

/// Elements whose content is never page text.
const SKIP: &[&str] = &[
    "script", "style", "head", "noscript", "template", "svg", "math", "object", "iframe",
];

/// Elements that start and end a line.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Convert a whole HTML page to text.
pub fn to_text(html: &str) -> Text {
    let mut conv = Converter {
        b: TextBuilder::new(),
        fold: Fold::default(),
        pre: 0,
    };
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(off) = memchr::memchr(b'<', &bytes[i..]) else {
            conv.text(&html[i..], i);
            break;
        };
        let lt = i + off;
        if lt > i {
            conv.text(&html[i..lt], i);
        }
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, lt + 4, b"-->")
                .map(|e| e + 3)
                .unwrap_or(bytes.len());
            continue;
        }
        if rest.starts_with(b"<![CDATA[") {
            let end = find(bytes, lt + 9, b"]]>").unwrap_or(bytes.len());
            conv.text(&html[lt + 9..end], lt + 9);
            i = (end + 3).min(bytes.len());
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr::memchr(b'>', &bytes[lt..])
                .map(|e| lt + e + 1)
                .unwrap_or(bytes.len());
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let name_end = name_start
            + bytes[name_start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
                .count();
        if name_end == name_start || !bytes[name_start].is_ascii_alphabetic() {
            // Not a tag: a literal '<'.
            conv.text(&html[lt..lt + 1], lt);
            i = lt + 1;
            continue;
        }
        let name = html[name_start..name_end].to_ascii_lowercase();
        let tag_end = tag_end(bytes, name_end);
        i = tag_end;
        if closing {
            conv.end_tag(&name, lt);
            continue;
        }
        if SKIP.contains(&name.as_str()) && !bytes[..tag_end].ends_with(b"/>") {
            // Skip to the matching end tag (or the end of the page).
            let close = format!("</{name}");
            i = match find_ci(bytes, tag_end, close.as_bytes()) {
                Some(e) => tag_end_from(bytes, e + close.len()),
                // An unclosed <head> ends where the body starts.
                None if name == "head" => find_ci(bytes, tag_end, b"<body").unwrap_or(bytes.len()),
                None => bytes.len(),
            };
            conv.block(lt);
            continue;
        }
        conv.start_tag(&name, lt);
    }
    conv.b.finish()
}

struct Converter {
    b: TextBuilder,
    fold: Fold,
    pre: usize,
}

impl Converter {
    fn text(&mut self, raw: &str, start: usize) {
        if self.pre > 0 {
            self.fold.flush(&mut self.b);
            xml_text::decode_into(&mut self.b, raw, start, xml_text::Entities::Html);
        } else {
            xml_text::decode_html_folded_into(&mut self.b, &mut self.fold, raw, start);
        }
    }

    /// End the current line (once).
    fn block(&mut self, at: usize) {
        self.fold.drop_pending();
        if !self.b.is_empty() && !self.b.as_str().ends_with('\n') {
            self.b.synthetic("\n", at);
        }
    }

    fn start_tag(&mut self, name: &str, at: usize) {
        match name {
            "td" | "th" => {
                self.fold.drop_pending();
                let s = self.b.as_str();
                if !s.is_empty() && !s.ends_with('\n') && !s.ends_with('\t') {
                    self.b.synthetic("\t", at);
                }
            }
            "pre" => {
                self.block(at);
                self.pre += 1;
            }
            "img" | "input" | "button" | "select" | "label" | "span" | "a" | "b" | "i"
            | "strong" | "em" => {}
            _ if BLOCK.contains(&name) => self.block(at),
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &str, at: usize) {
        match name {
            "pre" => {
                self.pre = self.pre.saturating_sub(1);
                self.block(at);
            }
            _ if BLOCK.contains(&name) => self.block(at),
            _ => {}
        }
    }
}

/// Offset just after the `>` closing a tag whose name ends at `from`,
/// skipping quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return i + 1,
            None if c == b'<' => return i, // broken tag: resume at the next one
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

fn tag_end_from(bytes: &[u8], from: usize) -> usize {
    memchr::memchr(b'>', &bytes[from..])
        .map(|e| from + e + 1)
        .unwrap_or(bytes.len())
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&bytes[from.min(bytes.len())..], needle).map(|p| from + p)
}

/// Case-insensitive search for an ASCII needle.
fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut i = from;
    while i + needle.len() <= bytes.len() {
        let p = memchr::memchr(b'<', &bytes[i..])? + i;
        if p + needle.len() <= bytes.len()
            && bytes[p..p + needle.len()].eq_ignore_ascii_case(needle)
        {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

/// The decoded, folded text of the first `<title>` element, if any.
pub fn title(html: &str) -> Option<Text> {
    let bytes = html.as_bytes();
    let open = find_ci(bytes, 0, b"<title")?;
    let start = tag_end(bytes, open + 6);
    let end = find_ci(bytes, start, b"</title")?;
    Some(xml_text::decode_html_folded(&html[start..end], start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_markup_and_maps_back() {
        let html = "<html><head><title>T</title><script>var a = '<p>';</script></head>\n<body><p>Hello&nbsp;<b>big</b>\n   world</p><table><tr><th>Enrollment:</th><td> 40 </td></tr></table><!-- x --></body></html>";
        let t = to_text(html);
        assert_eq!(t.text, "Hello\u{a0}big world\nEnrollment:\t40\n");
        let at = t.text.find("40").unwrap();
        let sp = t.span(at, at + 2);
        assert_eq!(&html[sp.start..sp.end], "40");
        let at = t.text.find("big world").unwrap();
        let sp = t.span(at, at + 9);
        assert_eq!(&html[sp.start..sp.end], "big</b>\n   world");
        assert_eq!(title(html).unwrap().text, "T");
    }

    #[test]
    fn tolerates_broken_markup() {
        for s in [
            "<",
            "<a",
            "<!--",
            "a < b",
            "<script>",
            "</",
            "<p attr=\"x>y\">z",
            "<![CDATA[",
            "&",
            "<pre>a  b</pre>",
        ] {
            let _ = to_text(s);
        }
        assert_eq!(to_text("a < b").text, "a < b");
        assert_eq!(to_text("<pre>a  b</pre>").text, "a  b\n");
    }
}
