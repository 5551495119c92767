//! A small element tree over quick-xml events, with exact byte spans.
//!
//! Every element knows the span of its whole markup, its attributes' values
//! and its direct character data as decoded [`Text`]s that map back to the
//! source bytes. DOCTYPE declarations are skipped and never interpreted, so
//! DTD-declared and external entities are never expanded or fetched.

use crate::source::xml_text;
use crate::span::{Span, Text, TextBuilder};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Deepest nesting accepted (registry records nest less than 10 deep).
const MAX_DEPTH: usize = 256;

/// One XML element.
#[derive(Clone, Debug, Default)]
pub struct Element {
    /// The tag name as written (with any prefix).
    pub name: String,
    /// From `<` of the start tag to `>` of the end tag.
    pub span: Span,
    /// Attribute names and decoded values.
    pub attrs: Vec<(String, Text)>,
    pub children: Vec<Element>,
    /// The element's own character data (text and CDATA, not that of its
    /// children), decoded.
    pub text: Text,
}

impl Element {
    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Follow a path of child names.
    pub fn path(&self, path: &[&str]) -> Option<&Element> {
        let mut e = self;
        for p in path {
            e = e.child(p)?;
        }
        Some(e)
    }

    /// An attribute's decoded value.
    pub fn attr(&self, name: &str) -> Option<&Text> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The character data with surrounding white space removed (map kept).
    pub fn value(&self) -> Text {
        xml_text::trim(&self.text)
    }

    /// Every element with this name at any depth (not inside a match).
    pub fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        let mut stack: Vec<&Element> = vec![self];
        let mut found = Vec::new();
        while let Some(e) = stack.pop() {
            if e.name == name {
                found.push(e);
                continue;
            }
            for c in e.children.iter().rev() {
                stack.push(c);
            }
        }
        out.extend(found);
    }
}

struct Open {
    el: Element,
    text: TextBuilder,
}

/// Byte offset of `part` inside `src`, if it is a borrowed slice of it.
fn offset_in(src: &str, part: &[u8]) -> Option<usize> {
    let base = src.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    if p >= base && p + part.len() <= base + src.len() {
        Some(p - base)
    } else {
        None
    }
}

/// Line and column (1-based, column in chars) of a byte offset.
pub fn line_col(src: &str, pos: usize) -> (usize, usize) {
    let mut pos = pos.min(src.len());
    while !src.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &src[..pos];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn error_at(src: &str, pos: usize, msg: impl std::fmt::Display) -> String {
    let (line, col) = line_col(src, pos);
    format!("malformed XML at line {line}, column {col} (byte {pos}): {msg}")
}

fn start_element(src: &str, e: &BytesStart, tag_start: usize) -> Result<Element, String> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| error_at(src, tag_start, err))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let raw: &[u8] = a.value.as_ref();
        let text = match (offset_in(src, raw), std::str::from_utf8(raw)) {
            (Some(off), Ok(s)) => xml_text::decode(s, off),
            (_, Ok(s)) => {
                // Not borrowed (should not happen with a &str reader): keep
                // the value, placed at the tag.
                let mut b = TextBuilder::new();
                b.decoded(s, tag_start, tag_start);
                b.finish()
            }
            _ => Text::default(),
        };
        attrs.push((key, text));
    }
    Ok(Element {
        name,
        span: Span::new(tag_start, tag_start),
        attrs,
        ..Element::default()
    })
}

/// Parse a whole document into its top-level elements (several are
/// accepted, for files that concatenate records).
pub fn parse(src: &str) -> Result<Vec<Element>, String> {
    let mut reader = Reader::from_str(src);
    {
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut roots = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(error_at(src, reader.error_position() as usize, e)),
        };
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error_at(
                        src,
                        before,
                        format!("elements nested deeper than {MAX_DEPTH}"),
                    ));
                }
                let tag_start = offset_in(src, &e)
                    .map(|o| o.saturating_sub(1))
                    .unwrap_or(before);
                let el = start_element(src, &e, tag_start)?;
                stack.push(Open {
                    el,
                    text: TextBuilder::new(),
                });
            }
            Event::Empty(e) => {
                let tag_start = offset_in(src, &e)
                    .map(|o| o.saturating_sub(1))
                    .unwrap_or(before);
                let mut el = start_element(src, &e, tag_start)?;
                el.span = Span::new(tag_start, after);
                // An empty element's (empty) text sits just before `/>`.
                let mut b = TextBuilder::new();
                b.synthetic("", after.saturating_sub(2));
                el.text = b.finish();
                match stack.last_mut() {
                    Some(p) => p.el.children.push(el),
                    None => roots.push(el),
                }
            }
            Event::End(_) => {
                let Some(mut open) = stack.pop() else {
                    return Err(error_at(src, before, "end tag without a start tag"));
                };
                if open.text.is_empty() {
                    // Place an empty text just before the end tag.
                    open.text.synthetic("", before);
                }
                open.el.text = open.text.finish();
                open.el.span = Span::new(open.el.span.start, after);
                match stack.last_mut() {
                    Some(p) => p.el.children.push(open.el),
                    None => roots.push(open.el),
                }
            }
            Event::Text(t) => {
                if let Some(open) = stack.last_mut() {
                    let raw: &[u8] = &t;
                    let off = offset_in(src, raw).unwrap_or(before);
                    let s = std::str::from_utf8(raw).map_err(|e| error_at(src, off, e))?;
                    xml_text::decode_into(&mut open.text, s, off, xml_text::Entities::Xml);
                }
            }
            Event::CData(t) => {
                if let Some(open) = stack.last_mut() {
                    let raw: &[u8] = &t;
                    let off = offset_in(src, raw).unwrap_or(before + 9);
                    let s = std::str::from_utf8(raw).map_err(|e| error_at(src, off, e))?;
                    open.text.verbatim(s, off);
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(error_at(
            src,
            open.el.span.start,
            format!("<{}> is never closed (the file ends first)", open.el.name),
        ));
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_exact() {
        let src = "<?xml version=\"1.0\"?>\n<a x=\"1&amp;2\"><b>hi &lt; there</b><c/><d><![CDATA[<raw>]]></d></a>";
        let roots = parse(src).unwrap();
        let a = &roots[0];
        assert_eq!(&src[a.span.start..a.span.end], &src[22..]);
        let x = a.attr("x").unwrap();
        assert_eq!(x.text, "1&2");
        assert_eq!(&src[x.whole_span().start..x.whole_span().end], "1&amp;2");
        let b = a.child("b").unwrap();
        assert_eq!(b.text.text, "hi < there");
        assert_eq!(
            &src[b.text.whole_span().start..b.text.whole_span().end],
            "hi &lt; there"
        );
        let d = a.child("d").unwrap();
        assert_eq!(d.text.text, "<raw>");
        assert_eq!(
            &src[d.text.whole_span().start..d.text.whole_span().end],
            "<raw>"
        );
        assert!(a.child("c").unwrap().text.text.is_empty());
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("<a>\n<b></c></a>").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        let e = parse("<a><b>").unwrap_err();
        assert!(e.contains("never closed"), "{e}");
    }
}
