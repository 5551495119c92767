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
use smallvec::SmallVec;
use std::borrow::Cow;

/// Deepest nesting accepted (registry records nest less than 10 deep).
const MAX_DEPTH: usize = 256;

/// One XML element.
///
/// The tree borrows from the document: names are slices of it, and an
/// element's own character data is kept as the pieces it was written in
/// and decoded only when [`Element::text`] or [`Element::value`] asks for
/// it. A reader reads a minority of a record's elements (no results, no
/// containers' indentation), and building every element's decoded text,
/// name and offset map up front was most of the time a legacy XML record
/// took (1,198 M instructions per 1,000 records of the benchmark, more
/// than all the checks together).
#[derive(Clone, Debug, Default)]
pub struct Element<'a> {
    /// The tag name as written (with any prefix).
    pub name: Cow<'a, str>,
    /// From `<` of the start tag to `>` of the end tag.
    pub span: Span,
    /// Attribute names and decoded values.
    pub attrs: Vec<(Cow<'a, str>, Text)>,
    pub children: Vec<Element<'a>>,
    /// The element's own character data (text and CDATA, not that of its
    /// children) as written, in document order.
    pieces: SmallVec<[Piece<'a>; 1]>,
    /// Where the text sits when it is empty: just before `/>` of an empty
    /// element, or before the end tag.
    empty_at: usize,
}

/// A run of character data as written, found at byte `at` of the file.
#[derive(Clone, Debug)]
struct Piece<'a> {
    raw: Cow<'a, str>,
    at: usize,
    cdata: bool,
}

impl<'a> Element<'a> {
    /// The element's own character data (text and CDATA, not that of its
    /// children), decoded: the same text, piece by piece, that decoding
    /// each run as the parser met it would build.
    pub fn text(&self) -> Text {
        let len = self.pieces.iter().map(|p| p.raw.len()).sum();
        let mut b = TextBuilder::with_capacity(len, self.pieces.len());
        for p in &self.pieces {
            if p.cdata {
                b.verbatim(&p.raw, p.at);
            } else {
                xml_text::decode_into(&mut b, &p.raw, p.at, xml_text::Entities::Xml);
            }
        }
        if b.is_empty() {
            b.synthetic("", self.empty_at);
        }
        b.finish()
    }

    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this name.
    pub fn children_named<'b>(
        &'b self,
        name: &'b str,
    ) -> impl Iterator<Item = &'b Element<'a>> + 'b {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Follow a path of child names.
    pub fn path(&self, path: &[&str]) -> Option<&Element<'a>> {
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
        xml_text::trim(&self.text())
    }

    /// Every element with this name at any depth (not inside a match).
    pub fn find_all<'b>(&'b self, name: &str, out: &mut Vec<&'b Element<'a>>) {
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

/// `part` as a string: the same bytes of `src` when it is a slice of it
/// (the reader reads a `&str`, so every event borrows from it and this
/// never copies), else a checked copy.
fn str_in<'a>(
    src: &'a str,
    part: &[u8],
) -> Result<(Cow<'a, str>, Option<usize>), std::str::Utf8Error> {
    if let Some(off) = offset_in(src, part) {
        if let Some(s) = src.get(off..off + part.len()) {
            return Ok((Cow::Borrowed(s), Some(off)));
        }
    }
    std::str::from_utf8(part).map(|s| (Cow::Owned(s.to_string()), None))
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

fn start_element<'a>(
    src: &'a str,
    e: &BytesStart,
    tag_start: usize,
) -> Result<Element<'a>, String> {
    let name = match str_in(src, e.name().as_ref()) {
        Ok((name, _)) => name,
        Err(_) => Cow::Owned(String::from_utf8_lossy(e.name().as_ref()).into_owned()),
    };
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| error_at(src, tag_start, err))?;
        let key = match str_in(src, a.key.as_ref()) {
            Ok((key, _)) => key,
            Err(_) => Cow::Owned(String::from_utf8_lossy(a.key.as_ref()).into_owned()),
        };
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
pub fn parse(src: &str) -> Result<Vec<Element<'_>>, String> {
    let mut reader = Reader::from_str(src);
    {
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
    }
    let mut stack: Vec<Element> = Vec::new();
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
                stack.push(start_element(src, &e, tag_start)?);
            }
            Event::Empty(e) => {
                let tag_start = offset_in(src, &e)
                    .map(|o| o.saturating_sub(1))
                    .unwrap_or(before);
                let mut el = start_element(src, &e, tag_start)?;
                el.span = Span::new(tag_start, after);
                // An empty element's (empty) text sits just before `/>`.
                el.empty_at = after.saturating_sub(2);
                match stack.last_mut() {
                    Some(p) => p.children.push(el),
                    None => roots.push(el),
                }
            }
            Event::End(_) => {
                let Some(mut el) = stack.pop() else {
                    return Err(error_at(src, before, "end tag without a start tag"));
                };
                // An empty text is placed just before the end tag.
                el.empty_at = before;
                el.span = Span::new(el.span.start, after);
                match stack.last_mut() {
                    Some(p) => p.children.push(el),
                    None => roots.push(el),
                }
            }
            Event::Text(t) => {
                if let Some(open) = stack.last_mut() {
                    let raw: &[u8] = &t;
                    let (raw, off) = str_in(src, raw)
                        .map_err(|e| error_at(src, offset_in(src, raw).unwrap_or(before), e))?;
                    let at = off.unwrap_or(before);
                    open.pieces.push(Piece {
                        raw,
                        at,
                        cdata: false,
                    });
                }
            }
            Event::CData(t) => {
                if let Some(open) = stack.last_mut() {
                    let raw: &[u8] = &t;
                    let (raw, off) = str_in(src, raw)
                        .map_err(|e| error_at(src, offset_in(src, raw).unwrap_or(before + 9), e))?;
                    let at = off.unwrap_or(before + 9);
                    open.pieces.push(Piece {
                        raw,
                        at,
                        cdata: true,
                    });
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(error_at(
            src,
            open.span.start,
            format!("<{}> is never closed (the file ends first)", open.name),
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
        assert_eq!(b.text().text, "hi < there");
        assert_eq!(
            &src[b.text().whole_span().start..b.text().whole_span().end],
            "hi &lt; there"
        );
        let d = a.child("d").unwrap();
        assert_eq!(d.text().text, "<raw>");
        assert_eq!(
            &src[d.text().whole_span().start..d.text().whole_span().end],
            "<raw>"
        );
        assert!(a.child("c").unwrap().text().text.is_empty());
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("<a>\n<b></c></a>").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        let e = parse("<a><b>").unwrap_err();
        assert!(e.contains("never closed"), "{e}");
    }
}
