//! Reader for ClinicalTrials.gov API v2 JSON.
//!
//! Shapes: one study object; a top-level array of studies (the website's
//! `ctg-studies.json` download); an API page `{"studies": [...],
//! "nextPageToken": ...}`; JSON Lines (one study per line, or any sequence
//! of white-space separated documents).
//!
//! Spans come for free: every leaf is kept as its slice of the input (a
//! [`Leaf`]), so its byte offset is a pointer difference. On the general
//! path serde_json deserializes each leaf as a borrowed [`RawValue`]; on
//! the fast path (a study object read in one pass, [`study_object`]) a
//! hand-written walker cuts the same slices, and hands anything it is not
//! sure serde reads the same way to the general path. Arrays of studies
//! are walked element by element with a `SeqAccess` visitor: each element
//! becomes a [`Record`] before the next one is read, and no JSON tree of
//! the whole input is ever built.
//!
//! The helpers here ([`Fields`], [`for_each_document`], [`for_each_element`],
//! [`parse_at`]) are shared with the v1 reader.

use crate::record::{keys, EntityKind, Record};
use crate::source::json_text;
use crate::span::{Span, Text};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;

pub const FORMAT: &str = "ctgov-json";

const NOT_A_STUDY: &str =
    "JSON document is not a ClinicalTrials.gov API v2 study: no `protocolSection`";

type Raw<'a> = &'a RawValue;

/// Read every record in the file.
pub fn read(input: &str) -> Result<Vec<Record>, String> {
    if let Some(rec) = single_study(input) {
        return Ok(vec![rec]);
    }
    let mut out = Vec::new();
    for_each_document(input, |n, doc| match doc.get().as_bytes().first() {
        Some(b'[') => for_each_element(input, doc, |i, el| {
            let rec = study(input, el, &|| {
                format!("element {} of the top-level array", i + 1)
            })?;
            out.push(rec);
            Ok(())
        }),
        Some(b'{') => {
            let d: Doc = parse_at(input, doc)?;
            if d.protocol_section.is_some() {
                out.push(build(input, raw_span(input, doc), d));
                Ok(())
            } else if let Some(studies) = d.studies {
                if !studies.get().starts_with('[') {
                    return Err(format!(
                        "`studies` is not an array {}",
                        position(input, offset(input, studies))
                    ));
                }
                for_each_element(input, studies, |i, el| {
                    let rec = study(input, el, &|| format!("element {} of `studies`", i + 1))?;
                    out.push(rec);
                    Ok(())
                })
            } else {
                Err(not_a_study(input, doc, &|| document(n)))
            }
        }
        _ => Err(not_a_study(input, doc, &|| document(n))),
    })?;
    Ok(out)
}

/// How to name the `n`th top-level document: nothing for the first (usually
/// the only one), `document N` for later ones (JSON Lines).
pub(crate) fn document(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!("document {} of the file", n + 1)
    }
}

fn not_a_study(input: &str, raw: Raw, what: &dyn Fn() -> String) -> String {
    let what = what();
    let mut msg = NOT_A_STUDY.to_string();
    if !what.is_empty() {
        msg = format!("{msg} ({what}, {})", position(input, offset(input, raw)));
    }
    if raw.get().contains("\"ProtocolSection\"") {
        msg.push_str(" (it looks like the retired v1 API's JSON, with `ProtocolSection`)");
    }
    msg
}

/// One element of an array of studies.
fn study<'a>(input: &'a str, el: Raw<'a>, what: &dyn Fn() -> String) -> Result<Record, String> {
    if !el.get().starts_with('{') {
        return Err(not_a_study(input, el, what));
    }
    let start = offset(input, el);
    let d: Doc = match study_object(input, start) {
        Some((d, end)) => {
            debug_assert_eq!(end, start + el.get().len(), "a raw value is one object");
            d
        }
        None => parse_at(input, el)?,
    };
    if d.protocol_section.is_none() {
        return Err(not_a_study(input, el, what));
    }
    Ok(build(input, raw_span(input, el), d))
}

/// The common case, a file holding one study object, parsed in one pass
/// ([`study_object`]). The general path in [`read`] first scans each
/// document as a raw value to find where it ends, then parses it again
/// (the scan was 9% of a run). Anything else, and any error, takes the
/// general path, so errors read the same.
fn single_study(input: &str) -> Option<Record> {
    const WS: [char; 4] = [' ', '\t', '\n', '\r'];
    let base = if input.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &input[base..];
    let start = base + body.len() - body.trim_start_matches(WS).len();
    if input.as_bytes().get(start) != Some(&b'{') {
        return None;
    }
    let (d, end) = study_object(input, start)?;
    if !input[end..].trim_start_matches(WS).is_empty() {
        return None;
    }
    Some(build(input, Span::new(start, end), d))
}

/// The study object that opens at `input[start]` and where it ends, read
/// without serde: its `protocolSection` is walked into the schema's
/// structs ([`Walk`]: serde's parse of it was a tenth of a run), every
/// other member is stepped over ([`json_skip`]: serde_json's own skipping
/// of the results and derived sections was another tenth). `None` when the
/// general path must read it, which is whenever serde might read it
/// differently or not at all: invalid JSON anywhere in it (the general
/// path words the error), no `protocolSection` or two, a `studies` member
/// (an API page), an escaped key, and what [`Walk`] refuses.
///
/// serde_json's nesting limit (128) cannot tell the paths apart: it counts
/// only the containers serde reads into structs and vectors, at most seven
/// deep on the general path (the study object, then six in the protocol
/// section: a location's contacts), while what it steps over or keeps as
/// a raw value is stepped over without counting, as [`json_skip`] does.
fn study_object(input: &str, start: usize) -> Option<(Doc<'_>, usize)> {
    use super::json_skip::{member, skip_value, skip_ws};
    let b = input.as_bytes();
    let mut protocol = None;
    let mut at = skip_ws(b, start + 1);
    loop {
        let (key, value) = member(b, at)?;
        let key = &input[key];
        at = value;
        match key {
            // not `null` (serde: no protocol section) nor an array (serde:
            // the struct's fields by position)
            "protocolSection" if protocol.is_none() && b.get(at) == Some(&b'{') => {
                let (p, end) = object::<Protocol>(input, at)?;
                protocol = Some(p);
                at = end;
            }
            "protocolSection" | "studies" => return None,
            _ if key.contains('\\') => return None,
            _ => at = skip_value(b, at)?,
        }
        at = skip_ws(b, at);
        match b.get(at) {
            Some(b',') => at = skip_ws(b, at + 1),
            Some(b'}') => {
                let d = Doc {
                    protocol_section: Some(protocol?),
                    studies: None,
                };
                return Some((d, at + 1));
            }
            _ => return None,
        }
    }
}

/// Where a raw value lies in `input`.
pub(crate) fn raw_span(input: &str, raw: Raw) -> Span {
    let start = offset(input, raw);
    Span::new(start, start + raw.get().len())
}

// ---------------------------------------------------------------------------
// Shared helpers (also used by the v1 reader)

/// Byte offset of a borrowed raw value in `input`.
pub(crate) fn offset(input: &str, raw: &RawValue) -> usize {
    slice_offset(input, raw.get())
}

/// Byte offset of `s`, a slice of `input`, in `input`.
fn slice_offset(input: &str, s: &str) -> usize {
    let p = s.as_ptr() as usize;
    let base = input.as_ptr() as usize;
    debug_assert!(
        p >= base && p <= base + input.len(),
        "raw value not borrowed from the input"
    );
    p.wrapping_sub(base).min(input.len())
}

/// A leaf value as its exact slice of the input, quotes and escapes
/// included: the v1 reader's borrowed [`RawValue`]s and the v2 reader's
/// [`Leaf`]s, so that [`Fields`] serves both.
pub(crate) trait LeafSlice<'a>: Copy {
    fn slice(self) -> &'a str;
    /// A string known to hold no backslash: its text is its body as it
    /// is. `false` when not known.
    fn plain(self) -> bool {
        false
    }
}

impl<'a> LeafSlice<'a> for &'a RawValue {
    fn slice(self) -> &'a str {
        self.get()
    }
}

/// A leaf of the v2 schema: its slice of the input, and whether it is a
/// string the walker found no backslash in (`false` when unknown). serde
/// fills it from a borrowed [`RawValue`] (the same slice, and the same
/// errors, as a `RawValue` field); the fast path's walker ([`Walk`]) cuts
/// the slice itself, which it could not do for a `RawValue` (built only by
/// serde).
#[derive(Clone, Copy, Default)]
pub(crate) struct Leaf<'a>(&'a str, bool);

impl<'a> LeafSlice<'a> for Leaf<'a> {
    fn slice(self) -> &'a str {
        self.0
    }
    fn plain(self) -> bool {
        self.1
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Leaf<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Leaf<'a>, D::Error> {
        <&'de RawValue>::deserialize(d).map(|raw| Leaf(raw.get(), false))
    }
}

/// `at line L column C` for a byte offset, counted the way serde_json does.
pub(crate) fn position(input: &str, at: usize) -> String {
    let (l, c) = line_col(input, at);
    format!("at line {l} column {c}")
}

fn line_col(input: &str, at: usize) -> (usize, usize) {
    let at = at.min(input.len());
    let before = &input.as_bytes()[..at];
    let sol = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let line = 1 + memchr::memchr_iter(b'\n', before).count();
    (line, at - sol + 1)
}

/// Render a serde_json error raised while parsing `slice` (which starts at
/// byte `base` of `input`) with its line and column in `input`.
pub(crate) fn error_at(input: &str, base: usize, slice: &str, e: serde_json::Error) -> String {
    let full = e.to_string();
    let (line, col) = (e.line(), e.column());
    let suffix = format!(" at line {line} column {col}");
    let msg = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    let kind = match e.classify() {
        serde_json::error::Category::Data => "JSON does not have the expected structure",
        _ => "malformed JSON",
    };
    if line == 0 {
        return format!("{kind}: {msg}");
    }
    // Index of the error in `slice` (serde_json: column = index - start of line).
    let bytes = slice.as_bytes();
    let mut sol = 0;
    if line > 1 {
        match memchr::memchr_iter(b'\n', bytes).nth(line - 2) {
            Some(i) => sol = i + 1,
            None => sol = bytes.len(),
        }
    }
    let idx = (sol + col).min(bytes.len());
    let abs = base + idx;
    let (aline, acol) = line_col(input, abs);
    format!("{kind}: {msg} at line {aline} column {}", acol - 1)
}

/// Parse a raw value (a slice of `input`) into `T`, with errors placed in
/// `input`.
pub(crate) fn parse_at<'a, T: Deserialize<'a>>(input: &'a str, raw: Raw<'a>) -> Result<T, String> {
    let s: &'a str = raw.get();
    serde_json::from_str(s).map_err(|e| error_at(input, offset(input, raw), s, e))
}

/// Call `f` with every top-level JSON document of `input`, and its index, (one for a plain
/// JSON file, one per line for JSON Lines). A UTF-8 byte-order mark is
/// skipped.
pub(crate) fn for_each_document<'a>(
    input: &'a str,
    mut f: impl FnMut(usize, Raw<'a>) -> Result<(), String>,
) -> Result<(), String> {
    let base = if input.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &input[base..];
    let stream = serde_json::Deserializer::from_str(body).into_iter::<Raw<'a>>();
    for (n, doc) in stream.enumerate() {
        let doc = doc.map_err(|e| error_at(input, base, body, e))?;
        f(n, doc)?;
    }
    Ok(())
}

/// Call `f` with each element of the JSON array `array` (a slice of
/// `input`), one at a time, without collecting them.
pub(crate) fn for_each_element<'a>(
    input: &'a str,
    array: Raw<'a>,
    mut f: impl FnMut(usize, Raw<'a>) -> Result<(), String>,
) -> Result<(), String> {
    struct Elements<'f, F> {
        f: &'f mut F,
        failed: &'f mut Option<String>,
    }
    impl<'de, F> Visitor<'de> for Elements<'_, F>
    where
        F: FnMut(usize, Raw<'de>) -> Result<(), String>,
    {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of studies")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut i = 0;
            while let Some(el) = seq.next_element::<Raw<'de>>()? {
                if let Err(e) = (self.f)(i, el) {
                    *self.failed = Some(e);
                    return Err(de::Error::custom("stopped"));
                }
                i += 1;
            }
            Ok(())
        }
    }
    let s: &'a str = array.get();
    let mut failed = None;
    let mut de = serde_json::Deserializer::from_str(s);
    let r = de.deserialize_seq(Elements {
        f: &mut f,
        failed: &mut failed,
    });
    if let Some(e) = failed {
        return Err(e);
    }
    r.map_err(|e| error_at(input, offset(input, array), s, e))
}

/// Decoded text of a leaf value: a string (decoded, spans inside the quotes),
/// a number or boolean (its literal), nothing for `null`, objects and arrays.
pub(crate) fn leaf_text(input: &str, s: &str, markdown: bool) -> Option<Text> {
    let at = slice_offset(input, s);
    match s.as_bytes().first()? {
        b'"' => Some(if markdown {
            json_text::decode(s, at)
        } else {
            json_text::decode_json(s, at)
        }),
        b'n' | b'{' | b'[' => None,
        _ => Some(Text::verbatim(s, at)),
    }
}

/// Builds a record from raw leaves.
pub(crate) struct Fields<'i> {
    pub input: &'i str,
    pub markdown: bool,
    pub rec: Record,
}

impl<'i> Fields<'i> {
    pub fn new(input: &'i str, format: &str, span: Span, markdown: bool) -> Fields<'i> {
        let mut rec = Record::new(format);
        rec.span = span;
        rec.reserve_for(span.end.saturating_sub(span.start), 0);
        Fields {
            input,
            markdown,
            rec,
        }
    }

    pub fn text<'a>(&self, raw: Option<impl LeafSlice<'a>>) -> Option<Text> {
        let raw = raw?;
        let s = raw.slice();
        // a string with no backslash has no escape, JSON's or markdown's, to
        // undo: [`leaf_text`] would find none and copy its body as it is,
        // after a look for a backslash in it (the empty string, not copied
        // but placed, takes the general way)
        if raw.plain() && s.len() > 2 {
            let at = slice_offset(self.input, s);
            return Some(Text::verbatim(&s[1..s.len() - 1], at + 1));
        }
        leaf_text(self.input, s, self.markdown)
    }

    /// Push `key` if the value is present.
    pub fn put<'a>(&mut self, key: &'static str, raw: Option<impl LeafSlice<'a>>) -> Option<usize> {
        let t = self.text(raw)?;
        Some(self.rec.push(key, t))
    }

    /// Push `key` with a qualifier (Actual / Estimated ...).
    pub fn put_q<'a, L: LeafSlice<'a>>(
        &mut self,
        key: &'static str,
        raw: Option<L>,
        qualifier: Option<L>,
    ) -> Option<usize> {
        let i = self.put(key, raw)?;
        self.rec.fields[i].qualifier = self.text(qualifier);
        Some(i)
    }

    /// Push `key` into an entity.
    pub fn put_in<'a>(
        &mut self,
        entity: usize,
        key: &'static str,
        raw: Option<impl LeafSlice<'a>>,
    ) -> Option<usize> {
        let t = self.text(raw)?;
        Some(self.rec.push_in(entity, key, t))
    }

    /// Push one `key` per list entry.
    pub fn put_each<'a, L: LeafSlice<'a>>(&mut self, key: &'static str, list: Option<&Vec<L>>) {
        for &raw in list.into_iter().flatten() {
            self.put(key, Some(raw));
        }
    }

    pub fn put_each_in<'a, L: LeafSlice<'a>>(
        &mut self,
        entity: usize,
        key: &'static str,
        list: Option<&Vec<L>>,
    ) {
        for &raw in list.into_iter().flatten() {
            self.put_in(entity, key, Some(raw));
        }
    }

    pub fn entity(
        &mut self,
        kind: EntityKind,
        role: Option<String>,
        parent: Option<usize>,
    ) -> usize {
        self.rec.add_entity(kind, role, parent)
    }

    /// Set the record id from the decoded identifier.
    pub fn set_id<'a>(&mut self, raw: Option<impl LeafSlice<'a>>) {
        if let Some(t) = self.text(raw) {
            let id = t.text.trim();
            if !id.is_empty() {
                self.rec.id = Some(id.to_string());
            }
        }
    }
}

/// A site contact's role text: `site contact: <facility>`. Joined by
/// hand, not with `format!`: its formatting machinery cost about 570
/// instructions a site with contacts (some five a study).
pub(crate) fn site_role(facility: Option<&Text>) -> String {
    const ROLE: &str = "site contact";
    match facility.map(|t| t.text.trim()).filter(|s| !s.is_empty()) {
        Some(f) => {
            let mut role = String::with_capacity(ROLE.len() + 2 + f.len());
            role.push_str(ROLE);
            role.push_str(": ");
            role.push_str(f);
            role
        }
        None => ROLE.to_string(),
    }
}

// ---------------------------------------------------------------------------
// The v2 schema, as far as trialint maps it: the document here, the
// protocol section's structs below (`schema!`, with the walker). Leaves are
// slices of the input.

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Doc<'a> {
    #[serde(borrow)]
    protocol_section: Option<Protocol<'a>>,
    /// An API page of studies.
    #[serde(borrow)]
    studies: Option<Raw<'a>>,
}

// ---------------------------------------------------------------------------
// The fast path's walker of the protocol section: the schema's structs
// filled straight from the input, each leaf cut as its slice of it. It reads only
// what it is sure serde reads the same way and refuses (`None`) the rest,
// which then takes the general path: serde stays the reference.

/// A schema struct filled member by member.
trait Walk<'a>: Default {
    /// Read the member `key` whose value starts at `at` (white space
    /// skipped) and say where the value ends. `seen` holds one bit per
    /// known key met so far in this object. `None`: a duplicate known key
    /// (serde: "duplicate field"), a value of a shape serde would refuse or
    /// read otherwise, an escaped key (serde would match it decoded), or
    /// invalid JSON.
    fn member(&mut self, input: &'a str, seen: &mut u32, key: &str, at: usize) -> Option<usize>;
}

/// The object that opens at `input[at]` (a `{`), and where it ends.
fn object<'a, T: Walk<'a>>(input: &'a str, at: usize) -> Option<(T, usize)> {
    use super::json_skip::{after, member, open, Step};
    let b = input.as_bytes();
    let mut v = T::default();
    let mut seen = 0;
    let mut step = open(b, at + 1, b'}');
    loop {
        match step {
            Step::Closed(end) => return Some((v, end)),
            Step::Next(at) => {
                let (key, value) = member(b, at)?;
                let end = v.member(input, &mut seen, &input[key], value)?;
                step = after(b, end, b'}')?;
            }
        }
    }
}

/// An unknown member: stepped over (serde ignores it, `json_skip`
/// validates it as serde does), unless its key is escaped and so might
/// spell a known one.
fn unknown(input: &str, key: &str, at: usize) -> Option<usize> {
    if key.contains('\\') {
        return None;
    }
    super::json_skip::skip_value(input.as_bytes(), at)
}

/// `null` at `at`: serde's `None` for any `Option`.
fn null<T>(input: &str, at: usize) -> Option<(Option<T>, usize)> {
    input.as_bytes()[at..]
        .starts_with(b"null")
        .then_some((None, at + 4))
}

/// An `Option<Leaf>`: any JSON value, its slice; `null` is `None`, as
/// serde_json's `deserialize_option` makes it before a `RawValue` is read.
fn leaf(input: &str, at: usize) -> Option<(Option<Leaf<'_>>, usize)> {
    let (l, end) = list_leaf(input, at)?;
    Some(((l.0 != "null").then_some(l), end))
}

/// An element of a `Vec<Leaf>`: any JSON value, `null` included (serde
/// reads it as a raw value, not an option).
#[inline(always)]
fn list_leaf(input: &str, at: usize) -> Option<(Leaf<'_>, usize)> {
    let b = input.as_bytes();
    if b.get(at) == Some(&b'"') {
        // what `skip_value` does with a string, and whether it was escaped
        let (end, escaped) = super::json_skip::string_end(b, at)?;
        return Some((Leaf(&input[at..end], !escaped), end));
    }
    let end = super::json_skip::skip_value(b, at)?;
    Some((Leaf(&input[at..end], false), end))
}

/// An `Option` of a struct: an object or `null`. serde would also take an
/// array (the fields by position): refused, as is anything else.
fn nested<'a, T: Walk<'a>>(input: &'a str, at: usize) -> Option<(Option<T>, usize)> {
    match input.as_bytes().get(at)? {
        b'{' => object(input, at).map(|(v, end)| (Some(v), end)),
        b'n' => null(input, at),
        _ => None,
    }
}

/// An `Option<Vec<_>>`: an array of what `item` reads, or `null`.
fn list<'a, T>(
    input: &'a str,
    at: usize,
    item: impl Fn(&'a str, usize) -> Option<(T, usize)>,
) -> Option<(Option<Vec<T>>, usize)> {
    use super::json_skip::{after, open, Step};
    let b = input.as_bytes();
    match b.get(at)? {
        b'[' => {}
        b'n' => return null(input, at),
        _ => return None,
    }
    let mut v = Vec::new();
    let mut step = open(b, at + 1, b']');
    loop {
        match step {
            Step::Closed(end) => return Some((Some(v), end)),
            Step::Next(at) => {
                let (x, end) = item(input, at)?;
                v.push(x);
                step = after(b, end, b']')?;
            }
        }
    }
}

/// An `Option<Vec<Leaf>>`.
fn leaves(input: &str, at: usize) -> Option<(Option<Vec<Leaf<'_>>>, usize)> {
    list(input, at, list_leaf)
}

/// An `Option<Vec<T>>` of structs: each element an object (serde would
/// take an array for one, and refuse `null`).
fn objects<'a, T: Walk<'a>>(input: &'a str, at: usize) -> Option<(Option<Vec<T>>, usize)> {
    list(input, at, |input, at| match input.as_bytes().get(at)? {
        b'{' => object(input, at),
        _ => None,
    })
}

/// The schema's structs, each declared once: its fields with the key serde
/// reads each from and its type, and the reader of that type the walker
/// uses ([`leaf`], [`leaves`], [`nested`], [`objects`]). The macro derives
/// both serde's `Deserialize` and the [`Walk`] from the one list, so the
/// two paths cannot disagree on a key.
macro_rules! schema {
    ($($ty:ident { $($key:literal => $field:ident: $fty:ty = $how:ident),* $(,)? })*) => {$(
        #[derive(Deserialize, Default)]
        struct $ty<'a> {
            $(#[serde(borrow, rename = $key)] $field: $fty,)*
        }

        impl<'a> Walk<'a> for $ty<'a> {
            #[inline(always)]
            fn member(
                &mut self,
                input: &'a str,
                seen: &mut u32,
                key: &str,
                at: usize,
            ) -> Option<usize> {
                let mut bit = 1u32;
                $(
                    if key == $key {
                        if *seen & bit != 0 {
                            return None;
                        }
                        *seen |= bit;
                        let (v, end) = $how(input, at)?;
                        self.$field = v;
                        return Some(end);
                    }
                    bit <<= 1;
                )*
                let _ = bit;
                unknown(input, key, at)
            }
        }
    )*};
}

schema! {
    Protocol {
        "identificationModule" => identification_module: Option<Identification<'a>> = nested,
        "statusModule" => status_module: Option<Status<'a>> = nested,
        "sponsorCollaboratorsModule" => sponsor_collaborators_module: Option<Sponsors<'a>> = nested,
        "descriptionModule" => description_module: Option<Description<'a>> = nested,
        "conditionsModule" => conditions_module: Option<Conditions<'a>> = nested,
        "designModule" => design_module: Option<Design<'a>> = nested,
        "armsInterventionsModule" => arms_interventions_module: Option<ArmsInterventions<'a>> = nested,
        "outcomesModule" => outcomes_module: Option<Outcomes<'a>> = nested,
        "eligibilityModule" => eligibility_module: Option<Eligibility<'a>> = nested,
        "contactsLocationsModule" => contacts_locations_module: Option<ContactsLocations<'a>> = nested,
    }
    Identification {
        "nctId" => nct_id: Option<Leaf<'a>> = leaf,
        "briefTitle" => brief_title: Option<Leaf<'a>> = leaf,
        "officialTitle" => official_title: Option<Leaf<'a>> = leaf,
        "acronym" => acronym: Option<Leaf<'a>> = leaf,
        "organization" => organization: Option<Organization<'a>> = nested,
    }
    Organization {
        "fullName" => full_name: Option<Leaf<'a>> = leaf,
    }
    DateStruct {
        "date" => date: Option<Leaf<'a>> = leaf,
        "type" => kind: Option<Leaf<'a>> = leaf,
    }
    Status {
        "statusVerifiedDate" => status_verified_date: Option<Leaf<'a>> = leaf,
        "overallStatus" => overall_status: Option<Leaf<'a>> = leaf,
        "whyStopped" => why_stopped: Option<Leaf<'a>> = leaf,
        "startDateStruct" => start_date_struct: Option<DateStruct<'a>> = nested,
        "primaryCompletionDateStruct" => primary_completion_date_struct: Option<DateStruct<'a>> = nested,
        "completionDateStruct" => completion_date_struct: Option<DateStruct<'a>> = nested,
        "studyFirstSubmitDate" => study_first_submit_date: Option<Leaf<'a>> = leaf,
        "studyFirstSubmitQcDate" => study_first_submit_qc_date: Option<Leaf<'a>> = leaf,
        "studyFirstPostDateStruct" => study_first_post_date_struct: Option<DateStruct<'a>> = nested,
        "lastUpdateSubmitDate" => last_update_submit_date: Option<Leaf<'a>> = leaf,
        "lastUpdatePostDateStruct" => last_update_post_date_struct: Option<DateStruct<'a>> = nested,
        "resultsFirstPostDateStruct" => results_first_post_date_struct: Option<DateStruct<'a>> = nested,
    }
    Named {
        "name" => name: Option<Leaf<'a>> = leaf,
    }
    ResponsibleParty {
        "investigatorFullName" => investigator_full_name: Option<Leaf<'a>> = leaf,
        "investigatorAffiliation" => investigator_affiliation: Option<Leaf<'a>> = leaf,
    }
    Sponsors {
        "responsibleParty" => responsible_party: Option<ResponsibleParty<'a>> = nested,
        "leadSponsor" => lead_sponsor: Option<Named<'a>> = nested,
        "collaborators" => collaborators: Option<Vec<Named<'a>>> = objects,
    }
    Description {
        "briefSummary" => brief_summary: Option<Leaf<'a>> = leaf,
        "detailedDescription" => detailed_description: Option<Leaf<'a>> = leaf,
    }
    Conditions {
        "conditions" => conditions: Option<Vec<Leaf<'a>>> = leaves,
        "keywords" => keywords: Option<Vec<Leaf<'a>>> = leaves,
    }
    Design {
        "studyType" => study_type: Option<Leaf<'a>> = leaf,
        "phases" => phases: Option<Vec<Leaf<'a>>> = leaves,
        "designInfo" => design_info: Option<DesignInfo<'a>> = nested,
        "enrollmentInfo" => enrollment_info: Option<Enrollment<'a>> = nested,
    }
    DesignInfo {
        "allocation" => allocation: Option<Leaf<'a>> = leaf,
        "interventionModel" => intervention_model: Option<Leaf<'a>> = leaf,
        "primaryPurpose" => primary_purpose: Option<Leaf<'a>> = leaf,
        "maskingInfo" => masking_info: Option<MaskingInfo<'a>> = nested,
    }
    MaskingInfo {
        "masking" => masking: Option<Leaf<'a>> = leaf,
    }
    Enrollment {
        "count" => count: Option<Leaf<'a>> = leaf,
        "type" => kind: Option<Leaf<'a>> = leaf,
    }
    ArmsInterventions {
        "armGroups" => arm_groups: Option<Vec<Arm<'a>>> = objects,
        "interventions" => interventions: Option<Vec<Intervention<'a>>> = objects,
    }
    Arm {
        "label" => label: Option<Leaf<'a>> = leaf,
        "type" => kind: Option<Leaf<'a>> = leaf,
        "description" => description: Option<Leaf<'a>> = leaf,
        "interventionNames" => intervention_names: Option<Vec<Leaf<'a>>> = leaves,
    }
    Intervention {
        "type" => kind: Option<Leaf<'a>> = leaf,
        "name" => name: Option<Leaf<'a>> = leaf,
        "description" => description: Option<Leaf<'a>> = leaf,
        "otherNames" => other_names: Option<Vec<Leaf<'a>>> = leaves,
    }
    Outcomes {
        "primaryOutcomes" => primary_outcomes: Option<Vec<Outcome<'a>>> = objects,
        "secondaryOutcomes" => secondary_outcomes: Option<Vec<Outcome<'a>>> = objects,
        "otherOutcomes" => other_outcomes: Option<Vec<Outcome<'a>>> = objects,
    }
    Outcome {
        "measure" => measure: Option<Leaf<'a>> = leaf,
        "description" => description: Option<Leaf<'a>> = leaf,
        "timeFrame" => time_frame: Option<Leaf<'a>> = leaf,
    }
    Eligibility {
        "eligibilityCriteria" => eligibility_criteria: Option<Leaf<'a>> = leaf,
        "healthyVolunteers" => healthy_volunteers: Option<Leaf<'a>> = leaf,
        "sex" => sex: Option<Leaf<'a>> = leaf,
        "genderDescription" => gender_description: Option<Leaf<'a>> = leaf,
        "minimumAge" => minimum_age: Option<Leaf<'a>> = leaf,
        "maximumAge" => maximum_age: Option<Leaf<'a>> = leaf,
        "stdAges" => std_ages: Option<Vec<Leaf<'a>>> = leaves,
    }
    ContactsLocations {
        "centralContacts" => central_contacts: Option<Vec<Contact<'a>>> = objects,
        "overallOfficials" => overall_officials: Option<Vec<Official<'a>>> = objects,
        "locations" => locations: Option<Vec<Location<'a>>> = objects,
    }
    Contact {
        "name" => name: Option<Leaf<'a>> = leaf,
        "phone" => phone: Option<Leaf<'a>> = leaf,
        "email" => email: Option<Leaf<'a>> = leaf,
    }
    Official {
        "name" => name: Option<Leaf<'a>> = leaf,
        "affiliation" => affiliation: Option<Leaf<'a>> = leaf,
    }
    Location {
        "facility" => facility: Option<Leaf<'a>> = leaf,
        "status" => status: Option<Leaf<'a>> = leaf,
        "city" => city: Option<Leaf<'a>> = leaf,
        "country" => country: Option<Leaf<'a>> = leaf,
        "contacts" => contacts: Option<Vec<Contact<'a>>> = objects,
    }
}

// ---------------------------------------------------------------------------
// Mapping onto canonical keys

fn build(input: &str, span: Span, d: Doc) -> Record {
    let mut f = Fields::new(input, FORMAT, span, true);
    let p = d.protocol_section.unwrap_or_default();

    if let Some(m) = &p.identification_module {
        f.set_id(m.nct_id);
        f.put(keys::ID, m.nct_id);
        f.put(keys::TITLE, m.brief_title);
        f.put(keys::OFFICIAL_TITLE, m.official_title);
        f.put(keys::ACRONYM, m.acronym);
    }
    if let Some(m) = &p.status_module {
        f.put(keys::STATUS, m.overall_status);
        f.put(keys::WHY_STOPPED, m.why_stopped);
        let date = |f: &mut Fields, key: &'static str, ds: &Option<DateStruct>| {
            if let Some(ds) = ds {
                f.put_q(key, ds.date, ds.kind);
            }
        };
        date(&mut f, keys::START_DATE, &m.start_date_struct);
        date(
            &mut f,
            keys::PRIMARY_COMPLETION_DATE,
            &m.primary_completion_date_struct,
        );
        date(&mut f, keys::COMPLETION_DATE, &m.completion_date_struct);
        f.put(keys::FIRST_SUBMITTED, m.study_first_submit_date);
        f.put(keys::FIRST_SUBMITTED_QC, m.study_first_submit_qc_date);
        date(&mut f, keys::FIRST_POSTED, &m.study_first_post_date_struct);
        f.put(keys::LAST_UPDATE_SUBMITTED, m.last_update_submit_date);
        date(
            &mut f,
            keys::LAST_UPDATE_POSTED,
            &m.last_update_post_date_struct,
        );
        date(
            &mut f,
            keys::RESULTS_FIRST_POSTED,
            &m.results_first_post_date_struct,
        );
        f.put(keys::VERIFIED_DATE, m.status_verified_date);
    }
    if let Some(m) = &p.design_module {
        f.put(keys::STUDY_TYPE, m.study_type);
        f.put_each(keys::PHASE, m.phases.as_ref());
        if let Some(e) = &m.enrollment_info {
            f.put_q(keys::ENROLLMENT, e.count, e.kind);
        }
        if let Some(di) = &m.design_info {
            f.put(keys::ALLOCATION, di.allocation);
            f.put(keys::INTERVENTION_MODEL, di.intervention_model);
            if let Some(mi) = &di.masking_info {
                f.put(keys::MASKING, mi.masking);
            }
            f.put(keys::PRIMARY_PURPOSE, di.primary_purpose);
        }
    }
    if let Some(m) = &p.eligibility_module {
        f.put(keys::MIN_AGE, m.minimum_age);
        f.put(keys::MAX_AGE, m.maximum_age);
        f.put(keys::SEX, m.sex);
        f.put_each(keys::AGE_GROUP, m.std_ages.as_ref());
        f.put(keys::HEALTHY_VOLUNTEERS, m.healthy_volunteers);
        f.put(keys::GENDER_DESCRIPTION, m.gender_description);
        f.put(keys::ELIGIBILITY, m.eligibility_criteria);
    }
    if let Some(m) = &p.description_module {
        f.put(keys::BRIEF_SUMMARY, m.brief_summary);
        f.put(keys::DETAILED_DESCRIPTION, m.detailed_description);
    }
    if let Some(m) = &p.conditions_module {
        f.put_each(keys::CONDITION, m.conditions.as_ref());
        f.put_each(keys::KEYWORD, m.keywords.as_ref());
    }
    if let Some(m) = &p.arms_interventions_module {
        for a in m.arm_groups.iter().flatten() {
            let e = f.entity(EntityKind::Arm, None, None);
            f.put_in(e, keys::ARM_LABEL, a.label);
            f.put_in(e, keys::ARM_TYPE, a.kind);
            f.put_in(e, keys::ARM_DESCRIPTION, a.description);
            f.put_each_in(e, keys::ARM_INTERVENTION, a.intervention_names.as_ref());
        }
        for i in m.interventions.iter().flatten() {
            let e = f.entity(EntityKind::Intervention, None, None);
            f.put_in(e, keys::INTERVENTION_TYPE, i.kind);
            f.put_in(e, keys::INTERVENTION_NAME, i.name);
            f.put_in(e, keys::INTERVENTION_DESCRIPTION, i.description);
            f.put_each_in(e, keys::INTERVENTION_OTHER_NAME, i.other_names.as_ref());
        }
    }
    if let Some(m) = &p.outcomes_module {
        for (kind, list) in [
            (EntityKind::PrimaryOutcome, &m.primary_outcomes),
            (EntityKind::SecondaryOutcome, &m.secondary_outcomes),
            (EntityKind::OtherOutcome, &m.other_outcomes),
        ] {
            for o in list.iter().flatten() {
                let e = f.entity(kind, None, None);
                f.put_in(e, keys::OUTCOME_MEASURE, o.measure);
                f.put_in(e, keys::OUTCOME_DESCRIPTION, o.description);
                f.put_in(e, keys::OUTCOME_TIME_FRAME, o.time_frame);
            }
        }
    }
    if let Some(m) = &p.contacts_locations_module {
        for c in m.central_contacts.iter().flatten() {
            let e = f.entity(EntityKind::Contact, Some("central contact".into()), None);
            contact(&mut f, e, c);
        }
        for o in m.overall_officials.iter().flatten() {
            let e = f.entity(EntityKind::Contact, Some("overall official".into()), None);
            f.put_in(e, keys::CONTACT_NAME, o.name);
            f.put_in(e, keys::CONTACT_AFFILIATION, o.affiliation);
        }
        for l in m.locations.iter().flatten() {
            let e = f.entity(EntityKind::Location, None, None);
            let facility = f.put_in(e, keys::LOCATION_FACILITY, l.facility);
            f.put_in(e, keys::LOCATION_CITY, l.city);
            f.put_in(e, keys::LOCATION_COUNTRY, l.country);
            f.put_in(e, keys::LOCATION_STATUS, l.status);
            if l.contacts.as_ref().is_some_and(|c| !c.is_empty()) {
                let role = site_role(facility.map(|i| &f.rec.fields[i].text));
                for c in l.contacts.iter().flatten() {
                    let ce = f.entity(EntityKind::Contact, Some(role.clone()), Some(e));
                    contact(&mut f, ce, c);
                }
            }
        }
    }
    if let Some(m) = &p.sponsor_collaborators_module {
        if let Some(l) = &m.lead_sponsor {
            f.put(keys::LEAD_SPONSOR, l.name);
        }
        for c in m.collaborators.iter().flatten() {
            f.put(keys::COLLABORATOR, c.name);
        }
        if let Some(rp) = &m.responsible_party {
            if rp.investigator_full_name.is_some() || rp.investigator_affiliation.is_some() {
                let e = f.entity(EntityKind::Contact, Some("responsible party".into()), None);
                f.put_in(e, keys::RESPONSIBLE_PARTY, rp.investigator_full_name);
                f.put_in(e, keys::CONTACT_AFFILIATION, rp.investigator_affiliation);
            }
        }
    }
    if let Some(m) = &p.identification_module {
        if let Some(o) = &m.organization {
            f.put(keys::ORGANIZATION, o.full_name);
        }
    }
    f.rec
}

fn contact(f: &mut Fields, e: usize, c: &Contact) {
    f.put_in(e, keys::CONTACT_NAME, c.name);
    f.put_in(e, keys::CONTACT_PHONE, c.phone);
    f.put_in(e, keys::CONTACT_EMAIL, c.email);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_leaves_point_into_the_input() {
        let input = r#"{"protocolSection": {"identificationModule": {"nctId": "NCT01234567", "briefTitle": "A \\< B"},
 "designModule": {"enrollmentInfo": {"count": 42, "type": "ACTUAL"}}}}"#;
        let recs = read(input).unwrap();
        assert_eq!(recs.len(), 1);
        let r = &recs[0];
        assert_eq!(r.id.as_deref(), Some("NCT01234567"));
        assert_eq!(r.span, Span::new(0, input.len()));
        let t = r.get(keys::TITLE).unwrap();
        assert_eq!(t.text.text, "A < B");
        let s = t.span();
        assert_eq!(&input[s.start..s.end], r"A \\< B");
        let e = r.get(keys::ENROLLMENT).unwrap();
        assert_eq!(&input[e.span().start..e.span().end], "42");
        assert_eq!(e.qualifier.as_ref().unwrap().text, "ACTUAL");
    }

    /// `site_role` joins the role as `format!` did, on every facility of
    /// the JSON fixtures and on made-up texts (white space around, none,
    /// only white space, characters of several bytes, braces).
    #[test]
    fn site_role_reads_as_format_did() {
        let by_format = |facility: Option<&Text>| match facility
            .map(|t| t.text.trim())
            .filter(|s| !s.is_empty())
        {
            Some(f) => format!("site contact: {f}"),
            None => "site contact".to_string(),
        };
        let mut texts: Vec<String> = [
            "",
            " ",
            "\n\t ",
            "A",
            " Site 1 ",
            "Hôpital Necker-Enfants Malades",
            "北京协和医院",
            "{0} {}",
            "x\u{a0}",
            "\u{3000}Clinic\u{3000}",
        ]
        .map(String::from)
        .to_vec();
        for (_, s) in crate::source::fixture_json() {
            for r in read(&s).into_iter().flatten() {
                let facilities = r.fields.iter().filter(|f| f.key == keys::LOCATION_FACILITY);
                texts.extend(facilities.map(|f| f.text.as_str().to_string()));
            }
        }
        assert!(texts.len() > 40, "only {} facilities", texts.len());
        for t in &texts {
            let text = Text::verbatim(t, 0);
            assert_eq!(site_role(Some(&text)), by_format(Some(&text)), "{t:?}");
        }
        assert_eq!(site_role(None), by_format(None));
    }

    /// The fast path's record for the study object `input`, or `None`
    /// where it hands the study to the general path.
    fn fast(input: &str) -> Option<Record> {
        let (d, end) = study_object(input, 0)?;
        assert_eq!(end, input.len(), "{input}");
        Some(build(input, Span::new(0, end), d))
    }

    /// What serde makes of the study object `input` (the general path's
    /// parse of one study).
    fn serde(input: &str) -> Result<Record, String> {
        let d: Doc = serde_json::from_str(input).map_err(|e| e.to_string())?;
        if d.protocol_section.is_none() {
            return Err("no protocol section".into());
        }
        Ok(build(input, Span::new(0, input.len()), d))
    }

    /// The fast path either hands a study over or reads what serde reads;
    /// and it reads (`true`) or hands over (`false`) the ones it should.
    fn agrees(input: &str, read: bool) {
        let f = fast(input);
        let s = serde(input);
        if let Some(f) = &f {
            assert_eq!(Ok(f), s.as_ref(), "{input}");
        }
        assert_eq!(f.is_some(), read, "{input}\nserde: {s:?}");
    }

    /// A study object with protocol section `p`, after and before other
    /// members.
    fn study_with(p: &str) -> String {
        format!(
            r#"{{"hasResults": false, "protocolSection": {p}, "derivedSection": {{"x": [1, "y"]}}}}"#
        )
    }

    /// Every key of the schema, each with a distinct value, so that a key
    /// the walker spelled otherwise than serde would lose a field.
    const FULL: &str = r#"{
  "identificationModule": {"nctId": "NCT01234567", "briefTitle": "Brief \u00e9 \"q\"",
    "officialTitle": "Official", "acronym": "ACR", "organization": {"fullName": "Org", "class": "OTHER"}},
  "statusModule": {"statusVerifiedDate": "2024-01", "overallStatus": "COMPLETED",
    "whyStopped": "why", "startDateStruct": {"date": "2020-01-01", "type": "ACTUAL"},
    "primaryCompletionDateStruct": {"date": "2021-01", "type": "ESTIMATED"},
    "completionDateStruct": {"date": "2022-02", "type": "ACTUAL"},
    "studyFirstSubmitDate": "2019-05-05", "studyFirstSubmitQcDate": "2019-05-06",
    "studyFirstPostDateStruct": {"date": "2019-05-07", "type": "ACTUAL"},
    "lastUpdateSubmitDate": "2023-03-03",
    "lastUpdatePostDateStruct": {"date": "2023-03-04", "type": "ACTUAL"},
    "resultsFirstPostDateStruct": {"date": "2023-04-04", "type": "ESTIMATED"}},
  "sponsorCollaboratorsModule": {"responsibleParty": {"type": "PRINCIPAL_INVESTIGATOR",
      "investigatorFullName": "Dr A", "investigatorAffiliation": "Uni A"},
    "leadSponsor": {"name": "Lead", "class": "OTHER"},
    "collaborators": [{"name": "C1"}, {"name": "C2", "class": "NIH"}]},
  "descriptionModule": {"briefSummary": "Summary **md**", "detailedDescription": "Detail\n\nmore"},
  "conditionsModule": {"conditions": ["Cond1", "Cond2"], "keywords": ["kw1", "kw2"]},
  "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE2", "PHASE3"],
    "designInfo": {"allocation": "RANDOMIZED", "interventionModel": "PARALLEL",
      "primaryPurpose": "TREATMENT", "maskingInfo": {"masking": "DOUBLE", "whoMasked": ["X"]}},
    "enrollmentInfo": {"count": 120, "type": "ACTUAL"}},
  "armsInterventionsModule": {"armGroups": [{"label": "Arm A", "type": "EXPERIMENTAL",
      "description": "desc A", "interventionNames": ["Drug: X", "Drug: Y"]}],
    "interventions": [{"type": "DRUG", "name": "X", "description": "dx",
      "otherNames": ["X1", "X2"], "armGroupLabels": ["Arm A"]}]},
  "outcomesModule": {"primaryOutcomes": [{"measure": "M1", "description": "D1", "timeFrame": "T1"}],
    "secondaryOutcomes": [{"measure": "M2", "description": "D2", "timeFrame": "T2"}],
    "otherOutcomes": [{"measure": "M3", "description": "D3", "timeFrame": "T3"}]},
  "eligibilityModule": {"eligibilityCriteria": "Inclusion: adults", "healthyVolunteers": false,
    "sex": "ALL", "genderDescription": "gd", "minimumAge": "18 Years", "maximumAge": "65 Years",
    "stdAges": ["ADULT", "OLDER_ADULT"]},
  "contactsLocationsModule": {"centralContacts": [{"name": "CC", "role": "CONTACT",
      "phone": "+1 555 0100", "email": "cc@example.org"}],
    "overallOfficials": [{"name": "OO", "affiliation": "Uni O", "role": "PRINCIPAL_INVESTIGATOR"}],
    "locations": [{"facility": "Hosp", "status": "RECRUITING", "city": "Town", "state": "S",
      "country": "Land", "contacts": [{"name": "LC", "phone": "555", "email": "lc@example.org"}],
      "geoPoint": {"lat": 1.5, "lon": -2}}]}
}"#;

    #[test]
    fn walker_reads_every_key_as_serde_does() {
        let input = study_with(FULL);
        agrees(&input, true);
        let r = fast(&input).unwrap();
        // every leaf of FULL became a field (dates' types are qualifiers)
        assert_eq!(r.fields.len(), 75, "{:#?}", r.fields);
    }

    /// Hand-written protocol sections: `true` where the fast path should
    /// read them, `false` where it should hand them to serde.
    #[test]
    fn walker_reads_what_serde_reads_or_hands_it_over() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let cases: Vec<(String, bool)> = vec![
            // empty, nulls, empty lists
            ("{}".into(), true),
            (" { \n\t} ".into(), true),
            (r#"{"identificationModule": null, "statusModule": null, "designModule": null,
                "sponsorCollaboratorsModule": null, "descriptionModule": null,
                "conditionsModule": null, "armsInterventionsModule": null,
                "outcomesModule": null, "eligibilityModule": null, "contactsLocationsModule": null}"#.into(), true),
            (r#"{"identificationModule": {}, "statusModule": {"startDateStruct": {}}}"#.into(), true),
            (r#"{"identificationModule": {"nctId": null, "briefTitle": null, "organization": null}}"#.into(), true),
            // a null leaf is no value: here no responsible party at all
            (r#"{"sponsorCollaboratorsModule": {"responsibleParty": {"investigatorFullName": null}}}"#.into(), true),
            (r#"{"conditionsModule": {"conditions": [], "keywords": null}}"#.into(), true),
            (r#"{"conditionsModule": {"conditions": ["a", null, 3, true, {"x": 1}, [2]]}}"#.into(), true),
            (r#"{"contactsLocationsModule": {"locations": [], "centralContacts": null}}"#.into(), true),
            (r#"{"contactsLocationsModule": {"locations": [{}, {"contacts": []}, {"contacts": [{}]}]}}"#.into(), true),
            // numbers, booleans, objects and arrays as leaves
            // empty, plain and escaped strings side by side
            (r#"{"identificationModule": {"nctId": "", "briefTitle": "a \\< b \n c", "acronym": "x",
                "officialTitle": "\\"}, "conditionsModule": {"conditions": ["", "y", "\u00e9", "z\"z"]}}"#.into(), true),
            (r#"{"identificationModule": {"nctId": 123, "briefTitle": true, "acronym": false},
                "designModule": {"enrollmentInfo": {"count": -1.5e3, "type": 0}}}"#.into(), true),
            (r#"{"identificationModule": {"briefTitle": {"a": [1, {"b": null}]}, "acronym": [1, 2]}}"#.into(), true),
            (r#"{"designModule": {"enrollmentInfo": {"count": 0.0E+00 , "type" : "ACTUAL" }}}"#.into(), true),
            // unknown members at every level, nested
            (r#"{"x": {"y": [1, {"z": null}]}, "identificationModule": {"q": [[]], "nctId": "N",
                "organization": {"fullName": "O", "u": {"v": "w"}}}, "statusModule": {"a": 1,
                "startDateStruct": {"date": "2020", "b": [true]}}}"#.into(), true),
            (r#"{"unknownKeyé": 1, "ключ": "значение"}"#.into(), true),
            (r#"{"unknownKey\u00e9": 1}"#.into(), false),
            // white space everywhere
            ("{\n\t\"identificationModule\"\r\n :\n {\n  \"nctId\"  :  \"N\" ,\n  \"acronym\":\"A\"\n }\n,\"designModule\":{\"phases\":[ \"P1\" ,\n\"P2\" ]}\n}".into(), true),
            // nesting far deeper than serde_json's limit, where it does not count
            (format!(r#"{{"x": {}, "identificationModule": {{"briefTitle": {}}}}}"#, deep(1000), deep(1000)), true),
            (format!(r#"{{"conditionsModule": {{"conditions": [{}]}}}}"#, deep(300)), true),
            // duplicate keys (serde: "duplicate field"), also after a null
            (r#"{"identificationModule": {"nctId": "A", "nctId": "B"}}"#.into(), false),
            (r#"{"identificationModule": {"nctId": null, "nctId": "B"}}"#.into(), false),
            (r#"{"identificationModule": {}, "identificationModule": {}}"#.into(), false),
            (r#"{"identificationModule": null, "identificationModule": null}"#.into(), false),
            (r#"{"statusModule": {"startDateStruct": {"type": "A", "date": "1", "type": "B"}}}"#.into(), false),
            (r#"{"conditionsModule": {"keywords": [], "keywords": ["a"]}}"#.into(), false),
            // an unknown key twice is no error
            (r#"{"x": 1, "x": 2, "identificationModule": {"y": 1, "y": 2}}"#.into(), true),
            // escaped keys, known when decoded or not
            (r#"{"identificationModule": {"nct\u0049d": "X"}}"#.into(), false),
            (r#"{"identification\u004dodule": {"nctId": "X"}}"#.into(), false),
            (r#"{"identificationModule": {"x\"y": 1}}"#.into(), false),
            // arrays where serde wants a struct (it reads the fields by position)
            (r#"{"identificationModule": ["NCT1", "title"]}"#.into(), false),
            (r#"{"statusModule": {"startDateStruct": ["2020", "ACTUAL"]}}"#.into(), false),
            (r#"{"sponsorCollaboratorsModule": {"collaborators": [["C"]]}}"#.into(), false),
            ("[]".into(), false),
            // other values where a struct or a list is wanted
            (r#"{"statusModule": "x"}"#.into(), false),
            (r#"{"statusModule": 3}"#.into(), false),
            (r#"{"conditionsModule": {"conditions": "c"}}"#.into(), false),
            (r#"{"conditionsModule": {"conditions": {}}}"#.into(), false),
            (r#"{"sponsorCollaboratorsModule": {"collaborators": [null]}}"#.into(), false),
            (r#"{"sponsorCollaboratorsModule": {"collaborators": [1]}}"#.into(), false),
            (r#"{"sponsorCollaboratorsModule": {"collaborators": {"name": "C"}}}"#.into(), false),
            ("null".into(), false),
            // invalid JSON: trailing commas and garbage, bad literals, bad
            // values inside unknown members and leaves
            (r#"{"identificationModule": {"nctId": "A",}}"#.into(), false),
            (r#"{"identificationModule": {"nctId": "A"},}"#.into(), false),
            (r#"{"identificationModule": {"nctId": "A"} x}"#.into(), false),
            (r#"{"identificationModule": {"nctId": "A" "acronym": "B"}}"#.into(), false),
            (r#"{"conditionsModule": {"conditions": ["a",]}}"#.into(), false),
            (r#"{"conditionsModule": {"conditions": [,"a"]}}"#.into(), false),
            (r#"{"conditionsModule": {"conditions": ["a" "b"]}}"#.into(), false),
            (r#"{"identificationModule": {"nctId": nul}}"#.into(), false),
            (r#"{"identificationModule": {"nctId": nullx}}"#.into(), false),
            (r#"{"identificationModule": nul}"#.into(), false),
            (r#"{"identificationModule": {"nctId": 01}}"#.into(), false),
            (r#"{"identificationModule": {"nctId": "\x"}}"#.into(), false),
            (r#"{"x": [01], "identificationModule": {}}"#.into(), false),
            (r#"{"identificationModule": {"x": {"y": tru}}}"#.into(), false),
            (r#"{"identificationModule": {"x": "\u12G4"}}"#.into(), false),
            ("{\"identificationModule\": {\"nctId\": \"tab\there\"}}".into(), false),
            (r#"{"identificationModule": {1: 2}}"#.into(), false),
            (r#"{"identificationModule": {"nctId" "A"}}"#.into(), false),
            (r#"{"identificationModule": {"nctId": "A"}"#.into(), false),
        ];
        for (p, read) in &cases {
            agrees(&study_with(p), *read);
        }
        // each case cut short anywhere is never read differently
        for (p, _) in cases.iter().take(16) {
            let full = study_with(p);
            for cut in 0..full.len() {
                if full.is_char_boundary(cut) {
                    let input = &full[..cut];
                    if let Some(f) = study_object(input, 0) {
                        let r = build(input, Span::new(0, f.1), f.0);
                        assert_eq!(Ok(&r), serde(&input[..f.1]).as_ref(), "{input}");
                    }
                }
            }
        }
    }

    /// Every API v2 study among the fixtures reads the same on both paths.
    #[test]
    fn walker_reads_the_fixtures_as_serde_does() {
        let mut seen = 0;
        for (p, s) in crate::source::fixture_json() {
            let s = s.trim_end();
            if !s.starts_with('{') || !s.contains("\"protocolSection\"") {
                continue;
            }
            let Some(f) = fast(s) else {
                continue;
            };
            assert_eq!(Ok(&f), serde(s).as_ref(), "{}", p.display());
            seen += 1;
        }
        assert!(seen > 20, "only {seen} API v2 fixtures");
    }

    #[test]
    fn errors_are_placed_in_the_file() {
        let input =
            "[\n{\"protocolSection\": {}},\n{\"protocolSection\": {\"statusModule\": 3}}\n]";
        let e = read(input).unwrap_err();
        assert!(e.contains("line 3"), "{e}");
    }
}
