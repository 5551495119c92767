//! A small element tree over quick-xml events, with exact byte spans.
//!
//! Every element knows the span of its whole markup, its attributes' values
//! and its direct character data as decoded [`Text`]s that map back to the
//! source bytes. DOCTYPE declarations are skipped and never interpreted, so
//! DTD-declared and external entities are never expanded or fetched.
//!
//! The tree is a [`Document`]: its elements sit in one vector in document
//! order, linked to their first child and next sibling by index, and an
//! [`Element`] is a handle to one of them. Names borrow from the source,
//! and an element's own character data is kept as the runs it was written
//! in, decoded only when [`Element::text`] or [`Element::value`] asks: a
//! reader reads a minority of a record's elements (no results, no
//! containers' indentation). A tree of owned elements, each with its name
//! copied, its text decoded and its children in a vector of their own
//! (moved at every push and freed one by one), took 1,198 M instructions
//! per 1,000 legacy XML records of the benchmark, more than all the checks
//! together.

use crate::source::xml_text;
use crate::span::{Span, Text, TextBuilder};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

/// Deepest nesting accepted (registry records nest less than 10 deep).
const MAX_DEPTH: usize = 256;

/// No element (the end of a list of children).
const NONE: u32 = u32::MAX;

/// A parsed XML file: its elements and the top-level ones.
#[derive(Debug, Default)]
pub struct Document<'a> {
    nodes: Vec<Node<'a>>,
    /// Every element's attributes, an element's side by side.
    attrs: Vec<Attr<'a>>,
    /// Every element's own character data, an element's side by side.
    pieces: Vec<Piece<'a>>,
    roots: Vec<u32>,
}

#[derive(Debug)]
struct Node<'a> {
    name: Cow<'a, str>,
    /// From `<` of the start tag to `>` of the end tag.
    span: Span,
    attrs: (u32, u32),
    pieces: (u32, u32),
    first_child: u32,
    next_sibling: u32,
    /// Where the text sits when it is empty: just before `/>` of an empty
    /// element, or before the end tag.
    empty_at: usize,
}

/// An attribute as written: its name, and its value found at byte `at` of
/// the file (decoded when asked for: most are never read).
#[derive(Debug)]
struct Attr<'a> {
    key: Cow<'a, str>,
    value: Cow<'a, str>,
    at: ValueAt,
}

/// Where an attribute's value is. The last two are not met with a `&str`
/// reader, whose every value is a slice of the file.
#[derive(Clone, Copy, Debug)]
enum ValueAt {
    /// At this byte of the file.
    File(usize),
    /// Not a slice of the file: placed at the tag (this byte) as a whole.
    Tag(usize),
    /// Not UTF-8: read as an empty text with no place.
    Nowhere,
}

impl Attr<'_> {
    fn decode(&self) -> Text {
        match self.at {
            ValueAt::File(off) => xml_text::decode(&self.value, off),
            ValueAt::Tag(tag_start) => {
                let mut b = TextBuilder::new();
                b.decoded(&self.value, tag_start, tag_start);
                b.finish()
            }
            ValueAt::Nowhere => Text::default(),
        }
    }
}

/// A run of character data as written, found at byte `at` of the file.
#[derive(Clone, Debug)]
struct Piece<'a> {
    raw: Cow<'a, str>,
    at: usize,
    cdata: bool,
}

impl<'a> Document<'a> {
    /// The top-level elements (several for files that concatenate records).
    pub fn roots(&self) -> impl Iterator<Item = Element<'_>> + '_ {
        self.roots.iter().map(move |&at| Element { doc: self, at })
    }
}

/// One XML element of a [`Document`].
#[derive(Clone, Copy)]
pub struct Element<'d> {
    doc: &'d Document<'d>,
    at: u32,
}

impl std::fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}> at {:?}", self.name(), self.span())
    }
}

impl<'d> Element<'d> {
    fn node(&self) -> &'d Node<'d> {
        &self.doc.nodes[self.at as usize]
    }

    fn at(&self, at: u32) -> Option<Element<'d>> {
        (at != NONE).then_some(Element { doc: self.doc, at })
    }

    /// The tag name as written (with any prefix).
    pub fn name(&self) -> &'d str {
        &self.node().name
    }

    /// From `<` of the start tag to `>` of the end tag.
    pub fn span(&self) -> Span {
        self.node().span
    }

    /// The child elements, in order.
    pub fn children(&self) -> impl Iterator<Item = Element<'d>> + 'd {
        let first = self.at(self.node().first_child);
        std::iter::successors(first, |c| c.at(c.node().next_sibling))
    }

    /// The element's own character data (text and CDATA, not that of its
    /// children), decoded: the same text, run by run, that decoding each
    /// run as the parser met it builds.
    pub fn text(&self) -> Text {
        let pieces = self.pieces();
        let len = pieces.iter().map(|p| p.raw.len()).sum();
        let mut b = TextBuilder::with_capacity(len, pieces.len());
        for p in pieces {
            if p.cdata {
                b.verbatim(&p.raw, p.at);
            } else {
                xml_text::decode_into(&mut b, &p.raw, p.at, xml_text::Entities::Xml);
            }
        }
        if b.is_empty() {
            b.synthetic("", self.node().empty_at);
        }
        b.finish()
    }

    fn pieces(&self) -> &'d [Piece<'d>] {
        let (a, b) = self.node().pieces;
        &self.doc.pieces[a as usize..b as usize]
    }

    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<Element<'d>> {
        self.children().find(|c| c.name() == name)
    }

    /// Every child with this name.
    pub fn children_named<'n>(&self, name: &'n str) -> impl Iterator<Item = Element<'d>> + 'n
    where
        'd: 'n,
    {
        self.children().filter(move |c| c.name() == name)
    }

    /// Follow a path of child names.
    pub fn path(&self, path: &[&str]) -> Option<Element<'d>> {
        let mut e = *self;
        for p in path {
            e = e.child(p)?;
        }
        Some(e)
    }

    /// An attribute's decoded value.
    pub fn attr(&self, name: &str) -> Option<Text> {
        let (a, b) = self.node().attrs;
        self.doc.attrs[a as usize..b as usize]
            .iter()
            .find(|a| a.key == name)
            .map(Attr::decode)
    }

    /// The character data with surrounding white space removed (map kept).
    pub fn value(&self) -> Text {
        // Most fields are one run of text with no entity (or one CDATA
        // section): decoding it is a verbatim copy with one segment, and
        // trimming that slices the copy. Copying the trimmed run once
        // gives the same text and map (see `value_is_trimmed_text`); an
        // all-blank run goes the general way, which places its empty
        // text.
        if let [p] = self.pieces() {
            if p.cdata || memchr::memchr(b'&', p.raw.as_bytes()).is_none() {
                let t = p.raw.trim_start();
                let start = p.raw.len() - t.len();
                let t = t.trim_end();
                if !t.is_empty() {
                    return Text::verbatim(t, p.at + start);
                }
            }
        }
        xml_text::trim(&self.text())
    }

    /// Every element with this name at any depth (not inside a match), in
    /// document order. Without recursion: a file may nest elements as deep
    /// as [`MAX_DEPTH`].
    pub fn find_all(&self, name: &str, out: &mut Vec<Element<'d>>) {
        let mut stack: Vec<Element<'d>> = vec![*self];
        while let Some(e) = stack.pop() {
            if e.name() == name {
                out.push(e);
                continue;
            }
            let from = stack.len();
            stack.extend(e.children());
            stack[from..].reverse();
        }
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

/// A new element from its start tag: its name, its attributes (decoded,
/// added to the document's) and its span's start.
fn start_element<'a>(
    doc: &mut Document<'a>,
    src: &'a str,
    e: &BytesStart,
    tag_start: usize,
) -> Result<Node<'a>, String> {
    let name = match str_in(src, e.name().as_ref()) {
        Ok((name, _)) => name,
        Err(_) => Cow::Owned(String::from_utf8_lossy(e.name().as_ref()).into_owned()),
    };
    let first_attr = doc.attrs.len();
    for a in e.attributes() {
        let a = a.map_err(|err| error_at(src, tag_start, err))?;
        let key = match str_in(src, a.key.as_ref()) {
            Ok((key, _)) => key,
            Err(_) => Cow::Owned(String::from_utf8_lossy(a.key.as_ref()).into_owned()),
        };
        let (value, at) = match str_in(src, a.value.as_ref()) {
            Ok((value, Some(off))) => (value, ValueAt::File(off)),
            Ok((value, None)) => (value, ValueAt::Tag(tag_start)),
            Err(_) => (Cow::Borrowed(""), ValueAt::Nowhere),
        };
        doc.attrs.push(Attr { key, value, at });
    }
    Ok(Node {
        name,
        span: Span::new(tag_start, tag_start),
        attrs: (index(first_attr)?, index(doc.attrs.len())?),
        pieces: (0, 0),
        first_child: NONE,
        next_sibling: NONE,
        empty_at: 0,
    })
}

/// An index into the document's vectors (which hold fewer than 2^32 - 1
/// elements: each takes at least four bytes of a file held in memory).
fn index(i: usize) -> Result<u32, String> {
    u32::try_from(i)
        .ok()
        .filter(|&i| i != NONE)
        .ok_or_else(|| "too many XML elements in one file".to_string())
}

/// An element still open while parsing.
struct Open {
    node: u32,
    last_child: u32,
    /// Where its own character data starts in the parser's pending runs.
    first_piece: usize,
}

/// Add `node` to the document as the next child of the innermost open
/// element (or as a root).
fn attach<'a>(doc: &mut Document<'a>, stack: &mut [Open], node: Node<'a>) -> Result<u32, String> {
    let i = index(doc.nodes.len())?;
    doc.nodes.push(node);
    match stack.last_mut() {
        Some(parent) => {
            if parent.last_child == NONE {
                doc.nodes[parent.node as usize].first_child = i;
            } else {
                doc.nodes[parent.last_child as usize].next_sibling = i;
            }
            parent.last_child = i;
        }
        None => doc.roots.push(i),
    }
    Ok(i)
}

/// Parse a whole document into its elements (several top-level ones are
/// accepted, for files that concatenate records).
pub fn parse(src: &str) -> Result<Document<'_>, String> {
    let mut reader = Reader::from_str(src);
    {
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
    }
    // Room from the start for what a registry file of this size holds (an
    // element per 70 bytes, about two runs of text and a seventh of an
    // attribute per element), up to a bound a huge file grows past:
    // vectors grown by doubling copied themselves a tenth of the parse's
    // time.
    let room = |per: usize, most: usize| (src.len() / per + 16).min(most);
    let mut doc = Document {
        nodes: Vec::with_capacity(room(64, 1 << 16)),
        attrs: Vec::with_capacity(room(512, 1 << 13)),
        pieces: Vec::with_capacity(room(32, 1 << 17)),
        roots: Vec::new(),
    };
    let mut stack: Vec<Open> = Vec::new();
    // The character data of the open elements, the innermost's last: when
    // an element ends, its runs are the tail, and move to the document
    // side by side.
    let mut pending: Vec<Piece> = Vec::with_capacity(64);
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
                let node = start_element(&mut doc, src, &e, tag_start)?;
                let node = attach(&mut doc, &mut stack, node)?;
                stack.push(Open {
                    node,
                    last_child: NONE,
                    first_piece: pending.len(),
                });
            }
            Event::Empty(e) => {
                let tag_start = offset_in(src, &e)
                    .map(|o| o.saturating_sub(1))
                    .unwrap_or(before);
                let mut node = start_element(&mut doc, src, &e, tag_start)?;
                node.span = Span::new(tag_start, after);
                // An empty element's (empty) text sits just before `/>`.
                node.empty_at = after.saturating_sub(2);
                let at = index(doc.pieces.len())?;
                node.pieces = (at, at);
                attach(&mut doc, &mut stack, node)?;
            }
            Event::End(_) => {
                let Some(open) = stack.pop() else {
                    return Err(error_at(src, before, "end tag without a start tag"));
                };
                let first = index(doc.pieces.len())?;
                doc.pieces.extend(pending.drain(open.first_piece..));
                let last = index(doc.pieces.len())?;
                let node = &mut doc.nodes[open.node as usize];
                // An empty text is placed just before the end tag.
                node.empty_at = before;
                node.span = Span::new(node.span.start, after);
                node.pieces = (first, last);
            }
            Event::Text(t) => {
                if !stack.is_empty() {
                    let raw: &[u8] = &t;
                    let (raw, off) = str_in(src, raw)
                        .map_err(|e| error_at(src, offset_in(src, raw).unwrap_or(before), e))?;
                    let at = off.unwrap_or(before);
                    pending.push(Piece {
                        raw,
                        at,
                        cdata: false,
                    });
                }
            }
            Event::CData(t) => {
                if !stack.is_empty() {
                    let raw: &[u8] = &t;
                    let (raw, off) = str_in(src, raw)
                        .map_err(|e| error_at(src, offset_in(src, raw).unwrap_or(before + 9), e))?;
                    let at = off.unwrap_or(before + 9);
                    pending.push(Piece {
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
        let node = &doc.nodes[open.node as usize];
        return Err(error_at(
            src,
            node.span.start,
            format!("<{}> is never closed (the file ends first)", node.name),
        ));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_exact() {
        let src = "<?xml version=\"1.0\"?>\n<a x=\"1&amp;2\"><b>hi &lt; there</b><c/><d><![CDATA[<raw>]]></d></a>";
        let doc = parse(src).unwrap();
        let a = doc.roots().next().unwrap();
        assert_eq!(&src[a.span().start..a.span().end], &src[22..]);
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

    /// `value` (with its fast path for one run of text) against trimming
    /// `text`, on generated documents: runs of text, white space and
    /// entities, CDATA, comments and child elements in every order.
    #[test]
    fn value_is_trimmed_text() {
        let pieces = [
            " ",
            "\n  ",
            "a",
            "b c",
            "é",
            "&amp;",
            "&#32;",
            "&lt;x",
            "&bogus;",
            "&",
            "<![CDATA[ d ]]>",
            "<![CDATA[]]>",
            "<!-- c -->",
            "<e/>",
            "<f> g </f>",
            "\u{a0}",
        ];
        let mut seen = 0;
        for parts in crate::extract::random_sequences(&pieces, 20_000, 6, 0x9e37_79b9_7f4a_7c15) {
            let src = format!("<r>{}</r>", parts.concat());
            let Ok(doc) = parse(&src) else { continue };
            let r = doc.roots().next().unwrap();
            for el in std::iter::once(r).chain(r.children()) {
                assert_eq!(el.value(), xml_text::trim(&el.text()), "{src:?}");
                seen += 1;
            }
        }
        assert!(seen > 20_000, "{seen}");
    }

    /// Children, names, spans and `find_all` over nested and concatenated
    /// elements.
    #[test]
    fn tree_is_linked_in_document_order() {
        let src = "<a><s><x/><s>in</s></s><b>t</b><s/></a><s>2</s>";
        let doc = parse(src).unwrap();
        let roots: Vec<_> = doc.roots().collect();
        assert_eq!(
            roots.iter().map(|r| r.name()).collect::<Vec<_>>(),
            ["a", "s"]
        );
        let a = roots[0];
        let names: Vec<_> = a.children().map(|c| c.name()).collect();
        assert_eq!(names, ["s", "b", "s"]);
        assert_eq!(a.children_named("s").count(), 2);
        assert_eq!(a.path(&["b"]).unwrap().value().text, "t");
        assert!(a.path(&["s", "x"]).is_some() && a.path(&["b", "x"]).is_none());
        let mut found = Vec::new();
        for r in doc.roots() {
            r.find_all("s", &mut found);
        }
        // an `s` inside a found `s` is not found again
        let spans: Vec<_> = found
            .iter()
            .map(|e| &src[e.span().start..e.span().end])
            .collect();
        assert_eq!(spans, ["<s><x/><s>in</s></s>", "<s/>", "<s>2</s>"]);
        // the empty element's text sits before `/>`, the end tag's before `</`
        assert_eq!(
            found[1].text().whole_span().start,
            src.find("<s/>").unwrap() + 2
        );
        let x = a.path(&["s", "x"]).unwrap();
        assert_eq!(x.text().whole_span().start, src.find("<x/>").unwrap() + 2);
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("<a>\n<b></c></a>").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        let e = parse("<a><b>").unwrap_err();
        assert!(e.contains("never closed"), "{e}");
    }
}
