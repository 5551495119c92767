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
//! and an element's own character data is read from the file (the gaps
//! between its children) and decoded only when [`Element::text`] or
//! [`Element::value`] asks: a reader reads a minority of a record's
//! elements (no results, no containers' indentation). A tree of owned
//! elements, each with its name copied, its text decoded and its children
//! in a vector of their own (moved at every push and freed one by one),
//! took 1,198 M instructions per 1,000 legacy XML records of the
//! benchmark, more than all the checks together.

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
#[derive(Debug, Default, PartialEq)]
pub struct Document<'a> {
    /// The file: an element's runs of text are read from it.
    src: &'a str,
    nodes: Vec<Node<'a>>,
    /// Every element's attributes, an element's side by side.
    attrs: Vec<Attr<'a>>,
    /// The runs of character data of the elements whose runs are listed
    /// ([`Node::listed`]).
    pieces: Vec<Piece<'a>>,
    /// The comments, CDATA sections and processing instructions among the
    /// runs of elements whose runs are the gaps ([`Node::first_hole`]).
    holes: Vec<Hole<'a>>,
    roots: Vec<u32>,
}

#[derive(Debug, PartialEq)]
struct Node<'a> {
    name: Cow<'a, str>,
    /// From `<` of the start tag to `>` of the end tag.
    span: Span,
    attrs: (u32, u32),
    /// Whether its runs of character data are listed in the document's
    /// pieces: only for a skipped element (none is listed) and for the
    /// reference tree of the tests, which lists every run. Otherwise its
    /// runs are the gaps between its children and holes, from
    /// `content_start` to `empty_at`, read from the file when asked for:
    /// most of a file's runs are the indentation of containers, which no
    /// reader reads, and listing each as the parser met it took about 80
    /// thousand instructions a benchmark record (620 runs).
    listed: bool,
    /// Its first listed run ([`NONE`] if none); the runs are linked by
    /// [`Piece::next`].
    first_piece: u32,
    /// Its first hole ([`NONE`] if none): the markup other than elements
    /// among its runs, which the gaps are cut around (the holes are
    /// linked by [`Hole::next`]). A comment among the runs of an element
    /// once made the parser list them all, the runs so far and every one
    /// after it: each legacy XML study opens with a comment, and listing
    /// its seventy runs took 11 thousand instructions a record.
    first_hole: u32,
    first_child: u32,
    next_sibling: u32,
    /// Just after the `>` of its start tag (`empty_at` for an empty
    /// element).
    content_start: usize,
    /// Where the text sits when it is empty: just before `/>` of an empty
    /// element, or before the end tag; where its content ends.
    empty_at: usize,
}

/// An attribute as written: its name, and its value found at byte `at` of
/// the file (decoded when asked for: most are never read).
#[derive(Debug, PartialEq)]
struct Attr<'a> {
    key: Cow<'a, str>,
    value: Cow<'a, str>,
    at: ValueAt,
}

/// Where an attribute's value is. The last two are not met with a `&str`
/// reader, whose every value is a slice of the file.
#[derive(Clone, Copy, Debug, PartialEq)]
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

/// A comment, CDATA section or processing instruction inside an element
/// whose runs are the gaps: where it is, and a CDATA section's text as
/// written, found at byte `at` of the file, which is a run of its own.
#[derive(Clone, Debug, PartialEq)]
struct Hole<'a> {
    span: Span,
    cdata: Option<(Cow<'a, str>, usize)>,
    /// The element's next hole ([`NONE`] after its last).
    next: u32,
}

/// A run of character data as written, found at byte `at` of the file.
#[derive(Clone, Debug, PartialEq)]
struct Piece<'a> {
    raw: Cow<'a, str>,
    at: usize,
    cdata: bool,
    /// The element's next run ([`NONE`] after its last).
    next: u32,
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

    /// How many elements this one holds at any depth (those of skipped
    /// content not counted). The elements are kept in the order their
    /// start tags come, so those inside this one are the ones after it
    /// that start before it ends.
    pub fn descendants(&self) -> usize {
        let end = self.span().end;
        self.doc.nodes[self.at as usize + 1..].partition_point(|n| n.span.start < end)
    }

    /// From `<` of the start tag to `>` of the end tag.
    pub fn span(&self) -> Span {
        self.node().span
    }

    /// The child elements, in order.
    pub fn children(&self) -> impl Iterator<Item = Element<'d>> + 'd {
        let first = self.at(self.node().first_child);
        std::iter::successors(first, |c| c.next_sibling())
    }

    /// The next child of the same parent.
    pub fn next_sibling(&self) -> Option<Element<'d>> {
        self.at(self.node().next_sibling)
    }

    /// The element's own character data (text and CDATA, not that of its
    /// children), decoded: the same text, run by run, that decoding each
    /// run as the parser met it builds.
    pub fn text(&self) -> Text {
        let (mut len, mut count) = (0, 0);
        self.for_each_run(|raw, _, _| {
            len += raw.len();
            count += 1;
        });
        let mut b = TextBuilder::with_capacity(len, count);
        self.for_each_run(|raw, at, cdata| {
            if cdata {
                b.verbatim(raw, at);
            } else {
                xml_text::decode_into(&mut b, raw, at, xml_text::Entities::Xml);
            }
        });
        if b.is_empty() {
            b.synthetic("", self.node().empty_at);
        }
        b.finish()
    }

    /// Each of the element's runs of character data, in order, as written
    /// (`f(raw, at, cdata)`, `raw` found at byte `at` of the file): the
    /// listed ones, or the gaps between its children and holes (the empty
    /// ones left out, as the parser makes no run of empty text) with the
    /// text of each CDATA section among them.
    fn for_each_run(&self, mut f: impl FnMut(&'d str, usize, bool)) {
        let node = self.node();
        if node.listed {
            let pieces = &self.doc.pieces;
            let first = pieces.get(node.first_piece as usize);
            for p in std::iter::successors(first, move |p| pieces.get(p.next as usize)) {
                f(&p.raw, p.at, p.cdata);
            }
            return;
        }
        // the gaps between its blocks (children and holes, merged in
        // document order), and the text of the holes that are CDATA
        let src = self.doc.src;
        let holes = &self.doc.holes;
        let mut hole = holes.get(node.first_hole as usize);
        let mut children = self.children().map(|c| c.span()).peekable();
        let mut from = node.content_start;
        loop {
            let child = children.peek().copied();
            let (span, cdata) = match (hole, child) {
                (Some(h), c) if c.is_none_or(|c| h.span.start < c.start) => {
                    hole = holes.get(h.next as usize);
                    (h.span, h.cdata.as_ref())
                }
                (_, Some(c)) => {
                    children.next();
                    (c, None)
                }
                _ => break,
            };
            if from < span.start {
                f(&src[from..span.start], from, false);
            }
            if let Some((raw, at)) = cdata {
                f(raw, *at, true);
            }
            from = span.end;
        }
        if from < node.empty_at {
            f(&src[from..node.empty_at], from, false);
        }
    }

    /// The element's only run of character data (as written, where, and
    /// whether CDATA) when it has exactly one: always when it holds text
    /// and no child element (elements with children go the general way).
    fn only_run(&self) -> Option<(&'d str, usize, bool)> {
        let node = self.node();
        if node.listed {
            let p = self.doc.pieces.get(node.first_piece as usize)?;
            return (p.next == NONE).then_some((&p.raw, p.at, p.cdata));
        }
        let (from, to) = (node.content_start, node.empty_at);
        (node.first_child == NONE && node.first_hole == NONE && from < to)
            .then(|| (&self.doc.src[from..to], from, false))
    }

    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<Element<'d>> {
        self.children().find(|c| same(c.name(), name))
    }

    /// Every child with this name.
    pub fn children_named<'n>(&self, name: &'n str) -> impl Iterator<Item = Element<'d>> + 'n
    where
        'd: 'n,
    {
        self.children().filter(move |c| same(c.name(), name))
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
        //
        // A run with an entity is decoded once, trimmed first: white space
        // is never part of an entity, so the part of the run whose decoded
        // form is the trimmed decoded run is the run without its white
        // space and the entities for white space at its ends
        // ([`xml_text::trimmed_part`]), and the segments of what is cut
        // off are never made. Decoding the whole run and then trimming a
        // copy took about 12 thousand instructions a benchmark record more
        // (with the string each entity was decoded into), and 30 thousand
        // more for textblocks that end with `&#xD;`.
        if let Some((raw, at, cdata)) = self.only_run() {
            let (start, t) = trimmed(raw);
            if cdata || find_near(b'&', t.as_bytes()).is_none() {
                if !t.is_empty() {
                    return Text::verbatim(t, at + start);
                }
            } else {
                let (start, t) = xml_text::trimmed_part(raw);
                if !t.is_empty() {
                    return xml_text::decode(t, at + start);
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

/// `raw` without its white space at both ends (as `str::trim`), and where
/// that starts in it. Most values are a word or a date with no white space
/// around them: an ASCII byte that is no white space at each end says so
/// without `trim`'s step through the chars (a value's last byte is ASCII
/// only if its last char is).
#[inline(always)]
fn trimmed(raw: &str) -> (usize, &str) {
    let plain = |c: u8| c.is_ascii() && !matches!(c, b' ' | b'\t'..=b'\r');
    let b = raw.as_bytes();
    if b.first().is_some_and(|&c| plain(c)) && b.last().is_some_and(|&c| plain(c)) {
        return (0, raw);
    }
    let t = raw.trim_start();
    (raw.len() - t.len(), t.trim_end())
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

/// A new element's start tag read by quick-xml: its name, and its
/// attributes added to the document's (the range they take there).
fn start_element<'a>(
    doc: &mut Document<'a>,
    src: &'a str,
    e: &BytesStart,
    tag_start: usize,
) -> Result<(Cow<'a, str>, (u32, u32)), String> {
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
    Ok((name, (index(first_attr)?, index(doc.attrs.len())?)))
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
    /// Its last listed run so far ([`NONE`] if none yet).
    last_piece: u32,
    /// Its last hole so far ([`NONE`] if none yet).
    last_hole: u32,
    /// Whether its runs are listed ([`Node::listed`]).
    listed: bool,
}

/// A document under construction: both parsers ([`parse_plain`] and
/// [`parse_events`]) build it with these steps, so they build the same
/// tree from the same markup.
///
/// Elements and runs of text are written once, in place, where they stay:
/// an element's runs are linked to each other rather than gathered side by
/// side when it ends (moving each run of every element at its end tag, and
/// each element through three calls by value, took about 60 thousand
/// instructions of a benchmark record's 455 thousand).
struct Builder<'a> {
    doc: Document<'a>,
    stack: Vec<Open>,
    /// List every element's runs (as a reference in tests), not only
    /// those of elements with a comment, CDATA section or instruction.
    list_all: bool,
    /// The elements whose content is left out ([`parse_skipping`]).
    skip: Option<Skip>,
    /// The names of the elements open inside a skipped one (kept from one
    /// skipped element to the next).
    skipped_open: Vec<&'a str>,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Self {
        // Room from the start for what a registry file of this size holds
        // (in the benchmark's files at most an element and a run of text
        // per 35 and 17 bytes, and an attribute per 37 bytes in those
        // dense with them), up to a bound a huge file grows past: a vector
        // grown by doubling copies itself (20 thousand instructions a
        // benchmark record in `memcpy`), and counting the file's `<` and
        // `=` to size them exactly took 28 thousand.
        let room = |per: usize| (src.len() / per + 16).min(1 << 20);
        Builder {
            doc: Document {
                src,
                nodes: Vec::with_capacity(room(32)),
                attrs: Vec::with_capacity(room(32)),
                pieces: Vec::new(),
                holes: Vec::new(),
                roots: Vec::new(),
            },
            stack: Vec::new(),
            list_all: false,
            skip: None,
            skipped_open: Vec::new(),
        }
    }

    /// Add an element named `name`, its start tag at byte `tag_start`, as
    /// the next child of the innermost open element (or as a root).
    fn attach(
        &mut self,
        name: Cow<'a, str>,
        tag_start: usize,
        attrs: (u32, u32),
    ) -> Result<u32, String> {
        let i = index(self.doc.nodes.len())?;
        self.doc.nodes.push(Node {
            name,
            span: Span::new(tag_start, tag_start),
            attrs,
            listed: self.list_all,
            first_piece: NONE,
            first_hole: NONE,
            first_child: NONE,
            next_sibling: NONE,
            content_start: 0,
            empty_at: 0,
        });
        match self.stack.last_mut() {
            Some(parent) => {
                if parent.last_child == NONE {
                    self.doc.nodes[parent.node as usize].first_child = i;
                } else {
                    self.doc.nodes[parent.last_child as usize].next_sibling = i;
                }
                parent.last_child = i;
            }
            None => self.doc.roots.push(i),
        }
        Ok(i)
    }

    /// A start tag, its `>` just before byte `after`: the element is open
    /// until its end tag.
    fn open(
        &mut self,
        name: Cow<'a, str>,
        tag_start: usize,
        attrs: (u32, u32),
        after: usize,
    ) -> Result<(), String> {
        let node = self.attach(name, tag_start, attrs)?;
        self.doc.nodes[node as usize].content_start = after;
        self.stack.push(Open {
            node,
            last_child: NONE,
            last_piece: NONE,
            last_hole: NONE,
            listed: self.list_all,
        });
        Ok(())
    }

    /// An empty-element tag ending just before byte `after`.
    fn empty(
        &mut self,
        name: Cow<'a, str>,
        tag_start: usize,
        attrs: (u32, u32),
        after: usize,
    ) -> Result<(), String> {
        let i = self.attach(name, tag_start, attrs)?;
        let node = &mut self.doc.nodes[i as usize];
        node.span = Span::new(tag_start, after);
        // An empty element's (empty) text sits just before `/>`.
        node.empty_at = after.saturating_sub(2);
        node.content_start = node.empty_at;
        Ok(())
    }

    /// The innermost open element's end tag, from byte `before` (its `<`)
    /// to just before `after`. `false` when no element is open.
    fn close(&mut self, before: usize, after: usize) -> bool {
        let Some(open) = self.stack.pop() else {
            return false;
        };
        let node = &mut self.doc.nodes[open.node as usize];
        // An empty text is placed just before the end tag.
        node.empty_at = before;
        node.span = Span::new(node.span.start, after);
        true
    }

    /// A run of character data (outside every element it is not kept):
    /// listed if the open element's runs are, else read again from the
    /// file when asked for (as the gap between children it is).
    fn text(&mut self, raw: Cow<'a, str>, at: usize, cdata: bool) -> Result<(), String> {
        match self.stack.last() {
            Some(open) if open.listed => self.list(raw, at, cdata),
            _ => Ok(()),
        }
    }

    /// A comment, CDATA section or processing instruction (any markup but
    /// an element) from byte `lt` to just before `end`, and a CDATA
    /// section's text as written, found at byte `at` of the file: a hole
    /// in the open element's gaps, or a listed run (the text) if its runs
    /// are listed. Outside every element it is not kept.
    fn markup(
        &mut self,
        lt: usize,
        end: usize,
        cdata: Option<(Cow<'a, str>, usize)>,
    ) -> Result<(), String> {
        let Some(open) = self.stack.last_mut() else {
            return Ok(());
        };
        if open.listed {
            return match cdata {
                Some((raw, at)) => self.list(raw, at, true),
                None => Ok(()),
            };
        }
        let hole = Hole {
            span: Span::new(lt, end),
            cdata,
            next: NONE,
        };
        let node = &mut self.doc.nodes[open.node as usize];
        let (first, last) = (&mut node.first_hole, &mut open.last_hole);
        append(&mut self.doc.holes, hole, first, last, |h| &mut h.next)
    }

    /// Add a run to the open element's list.
    fn list(&mut self, raw: Cow<'a, str>, at: usize, cdata: bool) -> Result<(), String> {
        let Some(open) = self.stack.last_mut() else {
            return Ok(());
        };
        let piece = Piece {
            raw,
            at,
            cdata,
            next: NONE,
        };
        let node = &mut self.doc.nodes[open.node as usize];
        let (first, last) = (&mut node.first_piece, &mut open.last_piece);
        append(&mut self.doc.pieces, piece, first, last, |p| &mut p.next)
    }

    /// The name of the innermost open element.
    fn open_name(&self) -> Option<&str> {
        let open = self.stack.last()?;
        Some(&self.doc.nodes[open.node as usize].name)
    }

    /// The range an element with no attributes takes in the document's
    /// attributes: empty, where the next one would start, as
    /// [`start_element`]'s is, so the two parsers build equal trees.
    fn no_attrs(&self) -> Option<(u32, u32)> {
        let at = index(self.doc.attrs.len()).ok()?;
        Some((at, at))
    }
}

/// Add `item` to one of an element's lists (its listed runs, its holes),
/// whose items sit in `items` with every other element's, linked: from
/// the element's `first` when the list is empty, else from the `next` of
/// its `last` item; it becomes the `last`.
fn append<T>(
    items: &mut Vec<T>,
    item: T,
    first: &mut u32,
    last: &mut u32,
    next: fn(&mut T) -> &mut u32,
) -> Result<(), String> {
    let i = index(items.len())?;
    items.push(item);
    if *last == NONE {
        *first = i;
    } else {
        *next(&mut items[*last as usize]) = i;
    }
    *last = i;
    Ok(())
}

/// Parse a whole document into its elements (several top-level ones are
/// accepted, for files that concatenate records).
///
/// Registry files are plain markup, which [`parse_plain`] reads; anything
/// else (a DOCTYPE, a byte-order mark, unusual tag names or attributes,
/// any error) goes to quick-xml's reader, whose tree is the same and whose
/// errors are the ones reported.
pub fn parse(src: &str) -> Result<Document<'_>, String> {
    match parse_plain(src, None) {
        Some(doc) => Ok(doc),
        None => parse_events(src),
    }
}

/// Elements whose content a reader never reads: [`parse_skipping`] checks
/// it as [`parse`] does but builds no element of it.
#[derive(Clone, Copy, Debug)]
pub struct Skip {
    /// The name of the elements whose content is left out.
    pub name: &'static str,
    /// An element the reader looks for at any depth: when one is inside a
    /// skipped element, nothing is left out (the whole tree is built).
    pub unless: &'static str,
}

/// [`parse`], with the content of every element named `skip.name` left
/// out of the tree: such an element is there, with its name, span and
/// attributes, but has no children and reads as empty text. The content is
/// still checked as `parse` checks it, so a file is accepted or rejected,
/// with the same error, as `parse` accepts or rejects it; markup that
/// [`parse_plain`] leaves to quick-xml, or an element named `skip.unless`
/// inside a skipped one, has the whole tree built by `parse`.
///
/// Legacy ClinicalTrials.gov records put their results in
/// `<clinical_results>`, which the reader does not read: 28% of the
/// benchmark XML files' tags (a twelfth of the records have results, and
/// theirs are long), each an element added to the tree and linked.
pub fn parse_skipping(src: &str, skip: Skip) -> Result<Document<'_>, String> {
    match parse_plain(src, Some(skip)) {
        Some(doc) => Ok(doc),
        None => parse(src),
    }
}

/// XML white space (as quick-xml counts it).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\r' | b'\n' | b'\t')
}

/// The bytes [`parse_plain`] accepts in a tag or attribute name: every
/// registry name is made of these, and none is white space, `/`, `>`, `=`
/// or a quote, so a name ends where quick-xml's does. A table: testing a
/// byte's classes one after the other took 17 thousand instructions a
/// benchmark record.
const NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':');
        b += 1;
    }
    table
};

fn is_name_byte(b: u8) -> bool {
    NAME_BYTES[b as usize]
}

/// The length of the name (of [`is_name_byte`] bytes) at byte `from`:
/// sixteen bytes a step where sixteen are left (SSE2 comparisons on
/// x86-64: the ranges of letters and digits, and the four signs), the
/// rest byte by byte. Names run to a dozen bytes and more
/// (`participants_list`, `measurement`), and a table lookup per byte for
/// each of a legacy XML record's 500 or so tag and attribute names took
/// 1.4% more of its instructions.
#[inline]
fn name_len(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    #[cfg(target_arch = "x86_64")]
    while at + 16 <= bytes.len() {
        let mask = name_mask(bytes, at);
        if mask != 0xFFFF {
            return at - from + (!mask).trailing_zeros() as usize;
        }
        at += 16;
    }
    at - from + name_len_bytewise(&bytes[at..])
}

/// [`name_len`] one byte at a time, from the start of `bytes`.
fn name_len_bytewise(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|&&c| is_name_byte(c)).count()
}

/// Bit `i` set when byte `at + i` is an [`is_name_byte`] byte, for the 16
/// bytes at `at` (which are in `bytes`).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn name_mask(bytes: &[u8], at: usize) -> u32 {
    use std::arch::x86_64::*;
    assert!(at + 16 <= bytes.len());
    // SAFETY: SSE2 is part of x86-64; the load reads the 16 bytes at
    // `at`, which are in `bytes` (asserted above)
    unsafe {
        let v = _mm_loadu_si128(bytes.as_ptr().add(at).cast::<__m128i>());
        let set = |c: u8| _mm_set1_epi8(c as i8);
        // signed comparisons: a byte of 0x80 or more is negative, below
        // every range, as no such byte is a name byte
        let within = |v: __m128i, lo: u8, hi: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(v, set(lo - 1)),
                _mm_cmplt_epi8(v, set(hi + 1)),
            )
        };
        let letter = within(_mm_or_si128(v, set(0x20)), b'a', b'z');
        let digit = within(v, b'0', b'9');
        let sign = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, set(b'_')), _mm_cmpeq_epi8(v, set(b'-'))),
            _mm_or_si128(_mm_cmpeq_epi8(v, set(b'.')), _mm_cmpeq_epi8(v, set(b':'))),
        );
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), sign)) as u32
    }
}

/// Whether two byte strings are equal, for the short ones (element names,
/// a dozen bytes) compared in line: two overlapping words of eight bytes,
/// or of four, or the bytes one by one; longer ones as `==` does. `==` on
/// slices calls the C library's `memcmp` (through its dispatch) for each
/// of a legacy XML file's 600 or so end tags and child lookups.
#[inline(always)]
pub fn same(a: impl AsRef<[u8]>, b: impl AsRef<[u8]>) -> bool {
    let (a, b) = (a.as_ref(), b.as_ref());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word8 = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().unwrap());
    let word4 = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().unwrap());
    match n {
        0..4 => a.iter().zip(b).all(|(x, y)| x == y),
        4..8 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        _ => a == b,
    }
}

/// The same tree as [`parse_events`], read straight from the bytes for the
/// markup registry files use: elements with plain names, attributes in
/// quotes, text, CDATA, comments and `<?...?>` declarations. `None` for
/// anything else and for every error, which `parse_events` then reads and
/// reports. Each step follows quick-xml 0.36's reader (cited where it is
/// not obvious); `plain_parse_matches_quick_xml` compares the two on
/// generated documents and the corpus. quick-xml's events and the checks
/// around them took about 330 of the 470 thousand instructions the tree of
/// a benchmark XML record cost.
fn parse_plain(src: &str, skip: Option<Skip>) -> Option<Document<'_>> {
    let bytes = src.as_bytes();
    // quick-xml drops a byte-order mark first
    if bytes.starts_with("\u{feff}".as_bytes()) {
        return None;
    }
    let mut b = Builder::new(src);
    b.skip = skip;
    let mut angles = Angles::new(bytes);
    let mut pos = 0;
    while let Some(lt) = angles.next_from(pos) {
        // quick-xml makes no event of empty text
        if lt > pos {
            b.text(Cow::Borrowed(&src[pos..lt]), pos, false).ok()?;
        }
        pos = plain_markup(&mut b, src, lt)?;
    }
    // text after the last markup is kept by no element; an element still
    // open is an error
    b.stack.is_empty().then_some(b.doc)
}

/// The `<` of a file, found 64 bytes a step: a mask of a block's `<`
/// (SSE2 comparisons on x86-64), then one bit at a time. Tags are a few
/// dozen bytes apart, so most searches end in the block the last one
/// read; a `memchr` for each of a benchmark record's 1,100 tags took
/// about 70 thousand instructions with its setup.
struct Angles<'s> {
    bytes: &'s [u8],
    /// Where the block of `mask` starts (a multiple of 64).
    block: usize,
    /// Bit `i` is set when byte `block + i` is a `<`.
    mask: u64,
}

impl<'s> Angles<'s> {
    /// No block read yet: the first search reads the one it starts in
    /// (`block` is never a multiple of 64 until then).
    fn new(bytes: &'s [u8]) -> Self {
        Angles {
            bytes,
            block: usize::MAX,
            mask: 0,
        }
    }

    /// The first `<` at or after byte `from`: what
    /// `memchr(b'<', &bytes[from..])` finds, counted from the start.
    fn next_from(&mut self, from: usize) -> Option<usize> {
        let mut from = from;
        loop {
            if from >= self.bytes.len() {
                return None;
            }
            let block = from & !63;
            if block != self.block {
                self.block = block;
                self.mask = lt_mask(self.bytes, block);
            }
            let ahead = self.mask & (u64::MAX << (from - block));
            if ahead != 0 {
                return Some(block + ahead.trailing_zeros() as usize);
            }
            from = block + 64;
        }
    }
}

/// The mask of the `<` among the (up to) 64 bytes at `at`.
fn lt_mask(bytes: &[u8], at: usize) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if at + 64 <= bytes.len() {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86-64; the four loads read the 64
        // bytes at `at`, which are in `bytes` (`at + 64 <= bytes.len()`)
        return unsafe {
            let p = bytes.as_ptr().add(at).cast::<__m128i>();
            let lt = _mm_set1_epi8(b'<' as i8);
            let m = |v: __m128i| _mm_movemask_epi8(_mm_cmpeq_epi8(v, lt)) as u16 as u64;
            m(_mm_loadu_si128(p))
                | m(_mm_loadu_si128(p.add(1))) << 16
                | m(_mm_loadu_si128(p.add(2))) << 32
                | m(_mm_loadu_si128(p.add(3))) << 48
        };
    }
    let end = bytes.len().min(at + 64);
    bytes[at.min(end)..end]
        .iter()
        .enumerate()
        .fold(0, |m, (i, &c)| m | u64::from(c == b'<') << i)
}

/// The markup at byte `lt` (a `<`): add it to `b` and give the byte after
/// its `>`, or `None` for markup `parse_plain` leaves to quick-xml.
fn plain_markup<'a>(b: &mut Builder<'a>, src: &'a str, lt: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    match *bytes.get(lt + 1)? {
        b'/' => {
            // quick-xml trims white space after the name and reads quotes
            // in an end tag; a plain end tag has neither: the open
            // element's name (which holds no `>`) and its `>`
            let name = b.open_name()?.as_bytes();
            let gt = lt + 2 + name.len();
            if !same(bytes.get(lt + 2..gt)?, name) || bytes.get(gt) != Some(&b'>') {
                return None;
            }
            b.close(lt, gt + 1).then_some(gt + 1)
        }
        b'!' => plain_bang(b, src, lt),
        b'?' => {
            // declarations and instructions are skipped
            let end = pi_end(bytes, lt)?;
            b.markup(lt, end, None).ok()?;
            Some(end)
        }
        _ => plain_start(b, src, lt),
    }
}

/// A comment (skipped) or a CDATA section at byte `lt`; `None` for a
/// DOCTYPE and for errors.
fn plain_bang<'a>(b: &mut Builder<'a>, src: &'a str, lt: usize) -> Option<usize> {
    match bang_at(src.as_bytes(), lt)? {
        Bang::Comment { end } => {
            b.markup(lt, end, None).ok()?;
            Some(end)
        }
        Bang::Cdata { start, stop, end } => {
            let text = Cow::Borrowed(&src[start..stop]);
            b.markup(lt, end, Some((text, start))).ok()?;
            Some(end)
        }
    }
}

/// A comment or CDATA section ([`bang_at`]): where it ends (just after its
/// `>`), and where a CDATA section's text starts and stops.
enum Bang {
    Comment {
        end: usize,
    },
    Cdata {
        start: usize,
        stop: usize,
        end: usize,
    },
}

/// The comment or CDATA section at byte `lt` (a `<` before a `!`); `None`
/// for a DOCTYPE and for one that does not end.
fn bang_at(bytes: &[u8], lt: usize) -> Option<Bang> {
    // quick-xml's BangType::parse and emit_bang, over the bytes from `!`
    let chunk = &bytes[lt + 1..];
    if chunk.starts_with(b"!--") {
        let j = memchr::memchr_iter(b'>', chunk).find(|&j| j > 4 && chunk[..j].ends_with(b"--"))?;
        Some(Bang::Comment {
            end: lt + 1 + j + 1,
        })
    } else if chunk.starts_with(b"![CDATA[") {
        // the first `]]>`, whose `]]` cannot overlap `![CDATA[`
        let j = memchr::memchr_iter(b'>', chunk).find(|&j| chunk[..j].ends_with(b"]]"))?;
        Some(Bang::Cdata {
            start: lt + 9,
            stop: lt + 1 + j - 2,
            end: lt + 1 + j + 1,
        })
    } else {
        None
    }
}

/// Where the declaration or processing instruction at byte `lt` (a `<`
/// before a `?`) ends, just after its `>`: quick-xml's PiParser, the first
/// `>` after a `?`, with at least `<??>` read. `None` for one that does
/// not end or is shorter.
fn pi_end(bytes: &[u8], lt: usize) -> Option<usize> {
    let chunk = &bytes[lt + 1..];
    let j = memchr::memchr_iter(b'>', chunk).find(|&j| j > 0 && chunk[j - 1] == b'?')?;
    (j >= 2).then_some(lt + 1 + j + 1)
}

/// The name of the start tag at byte `lt` (a `<`) and the byte after it;
/// `None` when no name of [`is_name_byte`] bytes follows the `<`.
fn start_name(src: &str, lt: usize) -> Option<(&str, usize)> {
    let name_end = lt + 1 + name_len(src.as_bytes(), lt + 1);
    (name_end > lt + 1).then(|| (&src[lt + 1..name_end], name_end))
}

/// A start or empty-element tag at byte `lt`.
fn plain_start<'a>(b: &mut Builder<'a>, src: &'a str, lt: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    if b.stack.len() >= MAX_DEPTH {
        return None;
    }
    let (name, name_end) = start_name(src, lt)?;
    let name_start = lt + 1;
    let after = match *bytes.get(name_end)? {
        b'>' => {
            b.open(Cow::Borrowed(name), lt, b.no_attrs()?, name_end + 1)
                .ok()?;
            name_end + 1
        }
        b'/' if bytes.get(name_end + 1) == Some(&b'>') => {
            let attrs = b.no_attrs()?;
            b.empty(Cow::Borrowed(name), lt, attrs, name_end + 2).ok()?;
            return Some(name_end + 2);
        }
        c if is_space(c) => {
            let (attrs, gt, empty) = match plain_tag_attrs(&mut b.doc, src, name_end) {
                Some(read) => read,
                None => {
                    let gt = tag_end(bytes, name_end)?;
                    // quick-xml's emit_start: a tag whose content ends
                    // with `/` is an empty element
                    let empty = bytes[gt - 1] == b'/';
                    let content_end = if empty { gt - 1 } else { gt };
                    let content = &src[name_start..content_end];
                    let e = BytesStart::from_content(content, name.len());
                    let attrs = start_element(&mut b.doc, src, &e, lt).ok()?.1;
                    (attrs, gt, empty)
                }
            };
            if empty {
                b.empty(Cow::Borrowed(name), lt, attrs, gt + 1).ok()?;
                return Some(gt + 1);
            }
            b.open(Cow::Borrowed(name), lt, attrs, gt + 1).ok()?;
            gt + 1
        }
        _ => return None,
    };
    match b.skip {
        Some(skip) if skip.name == name => skip_content(b, src, name, after),
        _ => Some(after),
    }
}

/// The content of the skipped element `name` just opened (its start tag
/// ending before byte `from`), up to its end tag, which closes it: checked
/// as [`parse_plain`] checks it, but no element of it is added, and the
/// element reads as empty text (its runs are listed, and none is). `None`
/// where `parse_plain` would fail, for markup it leaves to quick-xml, and
/// for an element named `unless` (see [`parse_skipping`]).
fn skip_content<'a>(
    b: &mut Builder<'a>,
    src: &'a str,
    name: &'a str,
    from: usize,
) -> Option<usize> {
    let bytes = src.as_bytes();
    let open = b.stack.last_mut()?;
    open.listed = true;
    b.doc.nodes[open.node as usize].listed = true;
    b.skipped_open.clear();
    let mut angles = Angles::new(bytes);
    let mut pos = from;
    loop {
        let lt = angles.next_from(pos)?;
        pos = match *bytes.get(lt + 1)? {
            b'/' => {
                // a plain end tag of the innermost open element, as in
                // `plain_markup`
                let inner = b.skipped_open.last().copied().unwrap_or(name);
                let gt = lt + 2 + inner.len();
                if !same(bytes.get(lt + 2..gt)?, inner) || bytes.get(gt) != Some(&b'>') {
                    return None;
                }
                if b.skipped_open.pop().is_none() {
                    b.close(lt, gt + 1);
                    return Some(gt + 1);
                }
                gt + 1
            }
            b'!' => match bang_at(bytes, lt)? {
                Bang::Comment { end } | Bang::Cdata { end, .. } => end,
            },
            b'?' => pi_end(bytes, lt)?,
            _ => skipped_start(b, src, lt)?,
        };
    }
}

/// A start or empty-element tag at byte `lt` inside a skipped element,
/// checked as [`plain_start`] checks it (its attributes read and dropped)
/// and, unless empty, noted as open; the byte after its `>`.
fn skipped_start<'a>(b: &mut Builder<'a>, src: &'a str, lt: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    if b.stack.len() + b.skipped_open.len() >= MAX_DEPTH {
        return None;
    }
    let (name, name_end) = start_name(src, lt)?;
    if b.skip.is_some_and(|skip| same(skip.unless, name)) {
        return None;
    }
    let (after, empty) = match *bytes.get(name_end)? {
        b'>' => (name_end + 1, false),
        b'/' if bytes.get(name_end + 1) == Some(&b'>') => (name_end + 2, true),
        c if is_space(c) => {
            // what `skipped_tag_attrs` does not read, quick-xml does, for
            // `parse` (`None` here)
            let (gt, empty) = skipped_tag_attrs(bytes, name_end)?;
            (gt + 1, empty)
        }
        _ => return None,
    };
    if !empty {
        b.skipped_open.push(name);
    }
    Some(after)
}

/// The attributes of a start tag from byte `from` (just after its name),
/// when each is written the plain way (white space, a name, `=` and a
/// value in quotes, each name once), read up to the tag's end, which they
/// find: the attributes, added to the document's as quick-xml's reader
/// adds them ([`start_element`]) but without its per-tag list of names
/// for the duplicate check and its general steps (1,500 instructions a
/// tag with attributes, 60 such tags a benchmark record); the tag's `>`;
/// and whether it ends with `/>`. Reading stops at the first `>` outside
/// a quoted value, the one [`tag_end`] finds (searching for it first, a
/// `memchr3` call and a loop over the quotes it stops at, took about 20
/// thousand instructions a benchmark record). `None`, with nothing added,
/// for anything else: `plain_start` then finds the `>` with `tag_end` and
/// quick-xml reads the tag, and reports its errors. (A second reader of
/// the attributes up to the `>` `tag_end` found, kept between the two,
/// read exactly the tags this one reads: never used, it was removed.)
fn plain_tag_attrs<'a>(
    doc: &mut Document<'a>,
    src: &'a str,
    from: usize,
) -> Option<((u32, u32), usize, bool)> {
    let first = doc.attrs.len();
    let read = read_tag_attrs(doc, src, from);
    if read.is_none() {
        doc.attrs.truncate(first);
    }
    read
}

fn read_tag_attrs<'a>(
    doc: &mut Document<'a>,
    src: &'a str,
    from: usize,
) -> Option<((u32, u32), usize, bool)> {
    let first = doc.attrs.len();
    let (gt, empty) = tag_attrs(src.as_bytes(), from, |key_start, key_end, value_end| {
        let key = &src[key_start..key_end];
        if doc.attrs[first..].iter().any(|a| a.key == key) {
            return None;
        }
        let value_start = key_end + 2;
        doc.attrs.push(Attr {
            key: Cow::Borrowed(key),
            value: Cow::Borrowed(&src[value_start..value_end]),
            at: ValueAt::File(value_start),
        });
        Some(())
    })?;
    let range = (index(first).ok()?, index(doc.attrs.len()).ok()?);
    Some((range, gt, empty))
}

/// The attributes of a start tag inside a skipped element, from byte
/// `from` (just after its name): read as [`plain_tag_attrs`] reads them,
/// accepting and refusing the same tags, but kept nowhere. The tag's `>`
/// and whether it ends with `/>`, or `None` where `plain_tag_attrs` gives
/// `None`. The results of a legacy XML study are the tags most dense
/// with attributes (`<measurement group_id="O1" value="3.4" .../>`):
/// adding each attribute to the document's and removing it again took
/// 4.7 thousand instructions a benchmark record more.
fn skipped_tag_attrs(bytes: &[u8], from: usize) -> Option<(usize, bool)> {
    // the tag's attribute names so far, where they are
    let mut keys: smallvec::SmallVec<[(usize, usize); 16]> = smallvec::SmallVec::new();
    tag_attrs(bytes, from, |key_start, key_end, _| {
        let key = &bytes[key_start..key_end];
        if keys.iter().any(|&(s, e)| same(&bytes[s..e], key)) {
            return None;
        }
        keys.push((key_start, key_end));
        Some(())
    })
}

/// The attributes of a start tag from byte `from` (just after its name),
/// each written the plain way (white space, a name, `=` and a value in
/// quotes), up to the tag's end: `each(key_start, key_end, value_end)`
/// for each in turn (its name, and its closing quote; `None` refuses it:
/// quick-xml refuses a name met twice in a tag). The tag's `>` and
/// whether it ends with `/>`; `None` for anything else.
#[inline(always)]
fn tag_attrs(
    bytes: &[u8],
    from: usize,
    mut each: impl FnMut(usize, usize, usize) -> Option<()>,
) -> Option<(usize, bool)> {
    let mut pos = from;
    loop {
        let space_start = pos;
        while pos < bytes.len() && is_space(bytes[pos]) {
            pos += 1;
        }
        if let Some(closes) = tag_closes(bytes, pos) {
            return Some(closes);
        }
        // attributes are apart (quick-xml reads `a="1"b="2"` too, but
        // registry files never write it), then one plain attribute
        if pos == space_start {
            return None;
        }
        let (key_end, value_end) = attr_extent(bytes, pos)?;
        each(pos, key_end, value_end)?;
        pos = value_end + 1;
    }
}

/// Where the attribute written the plain way at byte `pos` ends: its
/// name's end (at the `=`) and its closing quote. `None` when no such
/// attribute is there.
#[inline(always)]
fn attr_extent(bytes: &[u8], pos: usize) -> Option<(usize, usize)> {
    let key_end = pos + name_len(bytes, pos);
    if key_end == pos || bytes.get(key_end) != Some(&b'=') {
        return None;
    }
    let quote = *bytes.get(key_end + 1)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value_start = key_end + 2;
    let value_end = value_start + find_near(quote, &bytes[value_start..])?;
    Some((key_end, value_end))
}

/// The first `c` in `hay`: the first 16 bytes looked at one by one in
/// line, the rest with `memchr`. Attribute values and most element values
/// are short ("O1", "13", "Recruiting"): a `memchr` call's set-up for each
/// (a closing quote, a `&`) cost more than the search.
#[inline(always)]
fn find_near(c: u8, hay: &[u8]) -> Option<usize> {
    let head = hay.len().min(16);
    match hay[..head].iter().position(|&b| b == c) {
        Some(i) => Some(i),
        None => memchr::memchr(c, &hay[head..]).map(|i| head + i),
    }
}

/// Whether the tag ends at byte `pos`, with `>` or `/>`: its `>` and
/// whether it is an empty element.
fn tag_closes(bytes: &[u8], pos: usize) -> Option<(usize, bool)> {
    match *bytes.get(pos)? {
        b'>' => Some((pos, false)),
        b'/' if bytes.get(pos + 1) == Some(&b'>') => Some((pos + 1, true)),
        _ => None,
    }
}

/// The `>` that ends a tag, searched from byte `from` (quick-xml's
/// ElementParser: a `>` inside a quoted value does not end it).
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for i in memchr::memchr3_iter(b'>', b'\'', b'"', &bytes[from..]) {
        let c = bytes[from + i];
        match quote {
            None if c == b'>' => return Some(from + i),
            None => quote = Some(c),
            Some(q) if q == c => quote = None,
            Some(_) => {}
        }
    }
    None
}

/// Parse a whole document with quick-xml's reader: the reference for
/// [`parse_plain`] and the reader of every file it leaves.
fn parse_events(src: &str) -> Result<Document<'_>, String> {
    parse_events_listing(src, false)
}

/// [`parse_events`], every element's runs listed when `list_all` (the
/// reference for reading runs as the gaps between children).
fn parse_events_listing(src: &str, list_all: bool) -> Result<Document<'_>, String> {
    let mut reader = Reader::from_str(src);
    {
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
    }
    let mut b = Builder::new(src);
    b.list_all = list_all;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(error_at(src, reader.error_position() as usize, e)),
        };
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(e) => {
                if b.stack.len() >= MAX_DEPTH {
                    return Err(error_at(
                        src,
                        before,
                        format!("elements nested deeper than {MAX_DEPTH}"),
                    ));
                }
                let tag_start = offset_in(src, &e)
                    .map(|o| o.saturating_sub(1))
                    .unwrap_or(before);
                let (name, attrs) = start_element(&mut b.doc, src, &e, tag_start)?;
                b.open(name, tag_start, attrs, after)?;
            }
            Event::Empty(e) => {
                let tag_start = offset_in(src, &e)
                    .map(|o| o.saturating_sub(1))
                    .unwrap_or(before);
                let (name, attrs) = start_element(&mut b.doc, src, &e, tag_start)?;
                b.empty(name, tag_start, attrs, after)?;
            }
            Event::End(_) => {
                if !b.close(before, after) {
                    return Err(error_at(src, before, "end tag without a start tag"));
                }
            }
            Event::Text(t) => {
                if !b.stack.is_empty() {
                    let raw: &[u8] = &t;
                    let (raw, off) = str_in(src, raw)
                        .map_err(|e| error_at(src, offset_in(src, raw).unwrap_or(before), e))?;
                    b.text(raw, off.unwrap_or(before), false)?;
                }
            }
            Event::CData(t) => {
                if !b.stack.is_empty() {
                    let raw: &[u8] = &t;
                    let (raw, off) = str_in(src, raw)
                        .map_err(|e| error_at(src, offset_in(src, raw).unwrap_or(before + 9), e))?;
                    b.markup(before, after, Some((raw, off.unwrap_or(before + 9))))?;
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {
                b.markup(before, after, None)?;
            }
            Event::Eof => break,
        }
    }
    if let Some(open) = b.stack.last() {
        let node = &b.doc.nodes[open.node as usize];
        return Err(error_at(
            src,
            node.span.start,
            format!("<{}> is never closed (the file ends first)", node.name),
        ));
    }
    Ok(b.doc)
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

    /// `same` is `==` on byte strings of every length around its words'
    /// sizes, equal or differing at each byte, and of different lengths.
    #[test]
    fn same_is_equality() {
        let mut rng = crate::testing::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        for n in 0..40usize {
            let a: Vec<u8> = (0..n).map(|_| b"ab\xff"[rng.below(3) as usize]).collect();
            assert!(same(&a, a.clone()), "{a:?}");
            for i in 0..n {
                let mut b = a.clone();
                b[i] ^= 1 << rng.below(8);
                assert_eq!(same(&a, &b), a == b, "{a:?} {b:?}");
            }
            assert!(!same(&a, &a[..n.saturating_sub(1)]) || n == 0);
        }
    }

    /// `descendants` counts the elements inside each element, as a walk
    /// over its children does, on the corpus's legacy XML.
    #[test]
    fn descendants_are_the_elements_inside() {
        fn walk(e: Element) -> usize {
            e.children().map(|c| 1 + walk(c)).sum()
        }
        let src = "<a><b><c/>x</b><d k='1'></d></a>";
        let doc = parse(src).unwrap();
        let a = doc.roots().next().unwrap();
        assert_eq!(a.descendants(), 3);
        let b = a.child("b").unwrap();
        assert_eq!(
            (b.descendants(), a.child("d").unwrap().descendants()),
            (1, 0)
        );
        let mut seen = 0;
        for (p, text) in crate::source::corpus_files(&["ctgov-xml"])
            .into_iter()
            .take(300)
        {
            let Ok(doc) = parse(&text) else { continue };
            let mut stack: Vec<Element> = doc.roots().collect();
            while let Some(e) = stack.pop() {
                assert_eq!(e.descendants(), walk(e), "{} {e:?}", p.display());
                stack.extend(e.children());
                seen += 1;
            }
        }
        assert!(seen > 1000, "only {seen} elements");
    }

    /// `name_len` counts what a byte-by-byte count counts, for every byte
    /// value at every place of a block of sixteen and past it, from every
    /// start, with blocks cut short by the end.
    #[test]
    fn name_len_is_bytewise() {
        let mut rng = crate::testing::Xorshift::new(0x6e61_6d65);
        let name = b"abzAZ09_-.:";
        for len in 0..48 {
            for round in 0..64 {
                let mut bytes: Vec<u8> = (0..len)
                    .map(|_| name[rng.below(name.len() as u64) as usize])
                    .collect();
                if len > 0 {
                    // one byte of any value, at any place
                    let at = rng.below(len as u64) as usize;
                    bytes[at] = (round * 4 + rng.below(4) as usize) as u8;
                }
                for from in 0..=len {
                    assert_eq!(
                        name_len(&bytes, from),
                        name_len_bytewise(&bytes[from..]),
                        "{bytes:?} {from}"
                    );
                }
            }
        }
    }

    /// `find_near` finds what `memchr` finds, before, at and after the
    /// sixteenth byte.
    #[test]
    fn find_near_is_memchr() {
        for n in 0..40 {
            for at in 0..=n {
                let mut hay = vec![b'a'; n];
                if at < n {
                    hay[at] = b'"';
                }
                assert_eq!(
                    find_near(b'"', &hay),
                    memchr::memchr(b'"', &hay),
                    "{n} {at}"
                );
                if at + 3 < n {
                    hay[at + 3] = b'"';
                    assert_eq!(find_near(b'"', &hay), memchr::memchr(b'"', &hay));
                }
            }
        }
    }

    /// `trimmed` is `str::trim` with where the trimmed text starts, and
    /// `find_near` a search for `&`, on short and long values with ASCII
    /// and Unicode white space (NEL, no-break space, ideographic space) and
    /// non-ASCII letters at either end.
    #[test]
    fn trimmed_and_find_near_agree_with_std() {
        let parts = [
            "",
            " ",
            "\t",
            "\n",
            "\r",
            "\u{0b}",
            "\u{0c}",
            "\u{85}",
            "\u{a0}",
            "\u{3000}",
            "a",
            "é",
            "&",
            "x&y",
            "Recruiting",
            "0123456789abcdef",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let raw = format!("{a}{b}{c}");
                    let (start, t) = trimmed(&raw);
                    assert_eq!(t, raw.trim(), "{raw:?}");
                    assert_eq!(start, raw.len() - raw.trim_start().len(), "{raw:?}");
                    let amp = find_near(b'&', raw.as_bytes());
                    assert_eq!(amp, raw.find('&'), "{raw:?}");
                }
            }
        }
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
            "&#32;a",
            "a&#32;",
            "a&amp;",
            "&amp;a",
            " x&lt;y ",
            "\u{a0}&amp;\u{a0}",
            // entities for white space at the ends, trimmed before decoding
            "&#xD;",
            "a&#xD;",
            "&#xD;\n  ",
            "&#10;b",
            "&#xA0;",
            "&amp;#xD;",
            "&#x;",
            "x;",
        ];
        let mut seen = 0;
        for parts in crate::extract::random_sequences(&pieces, 40_000, 6, 0x9e37_79b9_7f4a_7c15) {
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

    /// `parse_plain` against quick-xml's reader (`parse_events`) on
    /// generated documents mixing every kind of markup, well formed or not,
    /// and on the corpus's XML files: whenever the plain parser reads a
    /// file, quick-xml reads the same tree from it.
    #[test]
    fn plain_parse_matches_quick_xml() {
        let pieces = [
            "<a>",
            "</a>",
            "<b>",
            "</b>",
            "<a/>",
            "<b />",
            "<a x=\"1\">",
            "<b y='2&amp;3' >",
            "<a x=\"&lt;>\"/>",
            "<b y = \"1\">",
            "<a x>",
            "<a x=\"1\" x=\"2\">",
            "<a\tx='\"'>",
            "</a >",
            "</b\n>",
            "<a/ >",
            "<>",
            "</>",
            "< a>",
            "<a-b.c:d>",
            "</a-b.c:d>",
            "<é>",
            "text",
            " ",
            "\n  ",
            "&amp;",
            "&bogus;",
            "é",
            ">",
            "]]>",
            "<![CDATA[ x ]]>",
            "<![CDATA[]]>",
            "<![CDATA[a]>]]>",
            "<![CDATA]]>",
            "<!-- c -->",
            "<!---->",
            "<!-->",
            "<!--->",
            "<!-- a -- b -->",
            "<!-->-->",
            "<?xml version=\"1.0\"?>",
            "<?pi x?>",
            "<?>",
            "<??>",
            "<!DOCTYPE a>",
            "<!x>",
            "<",
            "\u{feff}",
            "<a b=\"x>",
            // attributes: plain ones (read by hand), and every way off the
            // plain path (duplicates, spacing, quotes, odd names, no
            // space between, no value), which quick-xml's reader reads
            "<a x=\"1\" y='2'>",
            "<b x=\"\" y=\"&#32;\"/>",
            "<a\n  x=\"1\"\n  y=\"a b\"\n>",
            "<b x='\"' y=\"'\" />",
            "<a x=\"1\" y=\"2\" x=\"3\">",
            "<b x=\"1\"y=\"2\">",
            "<a x=1>",
            "<b x= \"1\">",
            "<a x =\"1\"/>",
            "<b é=\"1\">",
            "<a x:y=\"1\" x-y.z_w=\"é\">",
            "<b x=\"<\">",
            "<a x=\"1\" / >",
            "<b x=\"1\" ==\"2\">",
            "<a x=\"a&amp;b\" y=\"&bogus;\">",
            "<b x=\"1\" \t>",
            // read up to the tag's end by the attribute reader: `/>` right
            // after a value or after white space, `/` alone, `>` inside
            // a value, a value or tag the file ends in
            "<a x=\"1\"/>",
            "<b x='1' />",
            "<a x=\"1\"/",
            "<b x=\"1\" /x>",
            "<a x=\"a>b\" y='c>'>",
            "<b x=\"1\">>",
            "<a x=\"",
            "<b x='1'",
            "<a x=\"1\" ",
        ];
        let mut plain = 0;
        let mut fallback = 0;
        let mut with_attrs = 0;
        let docs = crate::extract::random_texts(&pieces, 60_000, 12, 0x51ce_5eed);
        for src in docs
            .iter()
            .map(|d| format!("<r>{d}</r>"))
            .chain(docs.iter().cloned())
        {
            match parse_plain(&src, None) {
                Some(doc) => {
                    assert_eq!(Ok(&doc), parse_events(&src).as_ref(), "{src:?}");
                    plain += 1;
                    with_attrs += usize::from(!doc.attrs.is_empty());
                }
                None => fallback += 1,
            }
        }
        assert!(plain > 10_000 && fallback > 10_000, "{plain} {fallback}");
        // the hand-read attributes are met, not only quick-xml's
        assert!(with_attrs > 1_000, "{with_attrs}");
        let mut files = 0;
        for (path, src) in crate::source::corpus_files(&["ctgov-xml", "ictrp-xml"]) {
            let doc = parse_plain(&src, None).expect("a registry file is plain markup");
            assert_eq!(Ok(&doc), parse_events(&src).as_ref(), "{path:?}");
            files += 1;
        }
        eprintln!("{plain} plain, {fallback} left to quick-xml, {files} corpus files");
    }

    /// Each element of a tree in document order, as a line (its name,
    /// span, attributes and text), without the content of the elements
    /// named `skipped`.
    fn outline(doc: &Document, skipped: &str) -> Vec<String> {
        let mut lines = Vec::new();
        let mut stack: Vec<Element> = doc.roots().collect();
        stack.reverse();
        while let Some(e) = stack.pop() {
            let (a, b) = e.node().attrs;
            let attrs: Vec<String> = doc.attrs[a as usize..b as usize]
                .iter()
                .map(|at| format!("{}={:?}", at.key, at.decode().text.as_str()))
                .collect();
            if e.name() == skipped {
                lines.push(format!("{} {:?} {attrs:?}", e.name(), e.span()));
                continue;
            }
            let text = e.text();
            lines.push(format!(
                "{} {:?} {attrs:?} {:?} {:?}",
                e.name(),
                e.span(),
                text.text.as_str(),
                text.whole_span()
            ));
            let from = stack.len();
            stack.extend(e.children());
            stack[from..].reverse();
        }
        lines
    }

    /// `parse_skipping` against `parse` on generated documents and the
    /// corpus's legacy XML: the same answer (tree or error), and the same
    /// tree but for the content of the skipped elements, which have no
    /// children and read as empty text. The skipping path itself reads most
    /// of the documents with a skipped element (it is not only falling back
    /// to `parse`).
    #[test]
    fn skipping_leaves_out_only_the_skipped_content() {
        let skip = Skip {
            name: "s",
            unless: "u",
        };
        // whole elements mostly (documents that parse), skipped ones with
        // every kind of content, and loose tags and markup that break them
        let pieces = [
            "<s>x</s>",
            "<s><a>t</a> <b y='2' z=\"&amp;\"/></s>",
            "<s x=\"1\"><a><s>in</s></a><!-- c --></s>",
            "<s><![CDATA[<a>]]><?pi x?></s>",
            "<s/>",
            "<s></s>",
            "<a><s>q<a/></s>t</a>",
            "<s><u/></s>",
            "<s><a x = \"1\"/></s>",
            "<s><a x=\"1\" x=\"2\"/></s>",
            "<s><b></s>",
            "<s><a></a ></s>",
            "<s><!DOCTYPE a></s>",
            "<s><!-->-></s>",
            "<s><?></s>",
            "<a>t</a>",
            "<b y='1'/>",
            "text",
            " ",
            "&amp;",
            "<![CDATA[ x ]]>",
            "<!-- c -->",
            "<s>",
            "</s>",
            "<a>",
            "</a>",
            "<",
            ">",
        ];
        let (mut skipped, mut answers) = (0, 0);
        let docs = crate::extract::random_texts(&pieces, 100_000, 8, 0x5c1b_5eed);
        for src in docs.iter().map(|d| format!("<r>{d}</r>")) {
            let (full, part) = (parse(&src), parse_skipping(&src, skip));
            match (&full, &part) {
                (Ok(full), Ok(part)) => {
                    assert_eq!(outline(full, "s"), outline(part, "s"), "{src:?}");
                    // no `u` is left out, at any depth
                    let us = |doc: &Document| {
                        let mut found = Vec::new();
                        for r in doc.roots() {
                            r.find_all("u", &mut found);
                        }
                        found.iter().map(|e| e.span()).collect::<Vec<_>>()
                    };
                    assert_eq!(us(full), us(part), "{src:?}");
                    answers += 1;
                    if parse_plain(&src, Some(skip)).is_none() {
                        continue; // read by `parse`
                    }
                    skipped += usize::from(full.nodes.len() > part.nodes.len());
                    for e in part.roots() {
                        let mut found = Vec::new();
                        e.find_all("s", &mut found);
                        for s in found {
                            assert!(s.children().next().is_none(), "{src:?}");
                            assert_eq!(s.text().text.as_str(), "", "{src:?}");
                        }
                    }
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{src:?}"),
                _ => panic!("one parse failed: {src:?}\n{full:?}\n{part:?}"),
            }
        }
        assert!(answers > 20_000 && skipped > 4_000, "{answers} {skipped}");
        let results = Skip {
            name: "clinical_results",
            unless: "clinical_study",
        };
        let mut files = 0;
        for (path, src) in crate::source::corpus_files(&["ctgov-xml"]) {
            let part = parse_plain(&src, Some(results)).expect("a registry file is plain markup");
            let full = parse(&src).unwrap();
            assert_eq!(
                outline(&full, results.name),
                outline(&part, results.name),
                "{path:?}"
            );
            files += usize::from(full.nodes.len() > part.nodes.len());
        }
        eprintln!("{answers} documents read, {skipped} with content skipped; {files} corpus files with results");
    }

    /// Every element's `text` and `value` read from the gaps between its
    /// children and holes (the comments, CDATA sections and instructions
    /// among its runs), as `parse` reads them, against the runs
    /// quick-xml's reader gave, all listed, on generated documents and the
    /// corpus.
    #[test]
    fn gaps_are_the_listed_runs() {
        let pieces = [
            "<a>",
            "</a>",
            "<b/>",
            "<b x=\"1\">",
            "</b>",
            "text",
            " ",
            "\n  ",
            "&amp;",
            "&#32;",
            "&bogus;",
            "é",
            "<![CDATA[ x ]]>",
            "<![CDATA[]]>",
            "<!-- c -->",
            "<?pi x?>",
            "<!DOCTYPE a>",
            "\u{a0}",
        ];
        let docs = crate::extract::random_texts(&pieces, 30_000, 12, 0x6a95_17a2);
        let files = crate::source::corpus_files(&["ctgov-xml", "ictrp-xml"])
            .into_iter()
            .map(|(_, src)| src);
        fn all<'d>(d: &'d Document<'d>) -> Vec<Element<'d>> {
            let mut out = Vec::new();
            for r in d.roots() {
                let mut stack = vec![r];
                while let Some(e) = stack.pop() {
                    out.push(e);
                    stack.extend(e.children());
                }
            }
            out
        }
        let (mut gaps, mut cut, mut corpus_files) = (0, 0, 0);
        let srcs = docs.iter().map(|d| format!("<r>{d}</r>"));
        for (i, src) in srcs.chain(files.inspect(|_| corpus_files += 1)).enumerate() {
            let (Ok(doc), Ok(reference)) = (parse(&src), parse_events_listing(&src, true)) else {
                continue;
            };
            let (elements, expected) = (all(&doc), all(&reference));
            assert_eq!(elements.len(), expected.len(), "{src:?}");
            for (e, r) in elements.iter().zip(&expected) {
                assert_eq!(e.text(), r.text(), "{i} {src:?}");
                assert_eq!(e.value(), r.value(), "{i} {src:?}");
                if e.node().first_hole != NONE {
                    cut += 1;
                } else {
                    gaps += 1;
                }
            }
        }
        assert!(gaps > 50_000 && cut > 10_000, "{gaps} {cut}");
        eprintln!(
            "{gaps} read from gaps, {cut} from gaps cut by markup, {corpus_files} corpus files"
        );
    }

    /// The attributes of a skipped tag are accepted and refused as those
    /// of a kept one, on generated tags (duplicate names, more than the 16
    /// names kept in line, broken quotes, missing white space).
    #[test]
    fn skipped_attributes_are_read_as_kept_ones() {
        let pieces = [
            " ",
            "\t",
            "a",
            "b",
            "a:b",
            "=",
            "\"",
            "'",
            "1",
            "<",
            "&amp;",
            "é",
            ">",
            "/>",
            "/",
            " a=\"1\"",
            " b='2'",
            " c=\"x>y\"",
        ];
        let many: String = (0..20).map(|i| format!(" k{i}=\"{i}\"")).collect();
        let (mut accepted, mut refused) = (0, 0);
        let docs = crate::extract::random_texts(&pieces, 200_000, 10, 0xa77_5eed);
        let extra = [format!("{many}>"), format!("{many} k3=\"x\"/>")];
        for tail in docs.iter().chain(&extra) {
            let src = format!("<t{tail}");
            let mut doc = Document {
                src: &src,
                ..Document::default()
            };
            let kept = plain_tag_attrs(&mut doc, &src, 2).map(|(_, gt, empty)| (gt, empty));
            assert_eq!(skipped_tag_attrs(src.as_bytes(), 2), kept, "{src:?}");
            if kept.is_some() {
                accepted += 1;
            } else {
                assert!(doc.attrs.is_empty(), "{src:?}");
                refused += 1;
            }
        }
        assert!(
            accepted > 10_000 && refused > 10_000,
            "{accepted} {refused}"
        );
    }

    /// `Angles` finds the `<` memchr finds, from every byte of generated
    /// texts of every length (blocks cut anywhere, the last one short).
    #[test]
    fn angles_find_what_memchr_finds() {
        let pieces = [
            "<",
            "a",
            " ",
            "\n",
            "é",
            "<<",
            "abcdefghijklmnopqrstuvwxyz012345678",
        ];
        let mut found = 0;
        for text in crate::extract::random_texts(&pieces, 3_000, 40, 0x1a7e_5ca7) {
            let bytes = text.as_bytes();
            let mut angles = Angles::new(bytes);
            // forwards from every byte, as the parser asks, and from
            // every byte afresh
            for from in 0..=bytes.len() + 1 {
                let expected = bytes
                    .get(from..)
                    .and_then(|rest| memchr::memchr(b'<', rest))
                    .map(|i| from + i);
                assert_eq!(angles.next_from(from), expected, "{text:?} {from}");
                assert_eq!(
                    Angles::new(bytes).next_from(from),
                    expected,
                    "{text:?} {from}"
                );
                found += usize::from(expected.is_some());
            }
        }
        assert!(found > 100_000, "{found}");
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("<a>\n<b></c></a>").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        let e = parse("<a><b>").unwrap_err();
        assert!(e.contains("never closed"), "{e}");
    }
}
