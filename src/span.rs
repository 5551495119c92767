//! Byte spans into the ORIGINAL source, and decoded text that remembers them.
//!
//! Readers decode (JSON escapes, XML/HTML entities, markdown escapes such as
//! `\<`, folded whitespace, dropped list bullets). Every decoded [`Text`]
//! carries an [`OffsetMap`] so that a match found in the decoded text maps
//! back to the exact source bytes it was read from. Checks and renderers only
//! ever see source spans.

use serde::Serialize;

/// A half-open byte range `[start, end)` in the original source bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// One run of decoded text. Either a verbatim copy (`dec_len == src_len` and
/// the bytes are identical, so offsets inside it map one to one) or an atomic
/// unit (an escape, an entity, inserted glue) that maps as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seg {
    dec: usize,
    dec_len: usize,
    src: usize,
    src_len: usize,
    verbatim: bool,
}

/// The segments of a map. Most texts are one verbatim copy of their
/// source (a field with no escape): that one segment is kept inline, not
/// in an allocation of its own (a tenth of a record's allocations).
type Segs = smallvec::SmallVec<[Seg; 1]>;

/// Maps byte offsets of a decoded string back to byte offsets of the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segs: Segs,
}

impl OffsetMap {
    fn seg_at(&self, dec: usize) -> Option<&Seg> {
        // The segment whose decoded range contains `dec`.
        let i = self.segs.partition_point(|s| s.dec + s.dec_len <= dec);
        self.segs.get(i)
    }

    fn seg_before(&self, dec_end: usize) -> Option<&Seg> {
        // The segment that contains the byte just before `dec_end`.
        if dec_end == 0 {
            return None;
        }
        self.seg_at(dec_end - 1)
    }

    /// Source span of the decoded byte range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let s = match self.seg_at(start) {
            Some(seg) if seg.verbatim => seg.src + (start - seg.dec),
            Some(seg) => seg.src,
            None => self.segs.last().map(|s| s.src + s.src_len).unwrap_or(0),
        };
        if end <= start {
            return Span::new(s, s);
        }
        let e = match self.seg_before(end) {
            Some(seg) if seg.verbatim => seg.src + (end - seg.dec),
            Some(seg) => seg.src + seg.src_len,
            None => s,
        };
        Span::new(s, e.max(s))
    }

    /// The source span covering all decoded text.
    pub fn whole(&self) -> Span {
        match (self.segs.first(), self.segs.last()) {
            (Some(a), Some(b)) => Span::new(a.src, b.src + b.src_len),
            _ => Span::default(),
        }
    }

    /// Shift every source offset, for text read from a slice that starts at
    /// `base` in the file.
    pub fn shift(&mut self, base: usize) {
        for s in &mut self.segs {
            s.src += base;
        }
    }
}

/// Decoded text with its map back to the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub text: TextStr,
    pub map: OffsetMap,
}

/// The string of a [`Text`]: up to [`TextStr::INLINE`] bytes kept in the
/// value itself, longer ones in a `String`. A record holds one text per
/// field (about 125 for an API v2 study, three quarters of them 22 bytes
/// or shorter: dates, statuses, cities, codes), and allocating each was
/// 2.1% of a run's time samples, most of it the allocator's first touch
/// of a block gone cold since it was freed. It reads as a `str`.
#[derive(Clone)]
pub struct TextStr(Repr);

#[derive(Clone)]
enum Repr {
    /// The first `len` bytes of `bytes`: a whole `str` copied in, so
    /// always valid UTF-8.
    Inline {
        len: u8,
        bytes: [u8; TextStr::INLINE],
    },
    Heap(String),
}

impl TextStr {
    /// The longest text kept inline: the size of a `String` and a tag
    /// round it to 32 bytes.
    pub const INLINE: usize = 30;

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // SAFETY: `bytes[..len]` is a copy of a whole `str` (see `From<&str>`)
            Repr::Inline { len, bytes } => unsafe {
                std::str::from_utf8_unchecked(&bytes[..*len as usize])
            },
            Repr::Heap(s) => s,
        }
    }
}

impl From<&str> for TextStr {
    fn from(s: &str) -> TextStr {
        if s.len() <= TextStr::INLINE {
            let mut bytes = [0u8; TextStr::INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            TextStr(Repr::Inline {
                len: s.len() as u8,
                bytes,
            })
        } else {
            TextStr(Repr::Heap(s.to_owned()))
        }
    }
}

impl From<String> for TextStr {
    /// Kept as it is: the string is allocated already.
    fn from(s: String) -> TextStr {
        TextStr(Repr::Heap(s))
    }
}

impl From<TextStr> for String {
    fn from(t: TextStr) -> String {
        match t.0 {
            Repr::Heap(s) => s,
            Repr::Inline { .. } => t.as_str().to_owned(),
        }
    }
}

impl Default for TextStr {
    fn default() -> TextStr {
        TextStr::from("")
    }
}

impl std::ops::Deref for TextStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for TextStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for TextStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for TextStr {
    fn eq(&self, other: &TextStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for TextStr {}

impl PartialEq<str> for TextStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for TextStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for TextStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<TextStr> for &str {
    fn eq(&self, other: &TextStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<TextStr> for str {
    fn eq(&self, other: &TextStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<TextStr> for String {
    fn eq(&self, other: &TextStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl std::hash::Hash for TextStr {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl std::fmt::Debug for TextStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for TextStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.as_str(), f)
    }
}

impl Text {
    /// Text that is a verbatim copy of `source[start..start + s.len()]`.
    pub fn verbatim(s: &str, start: usize) -> Text {
        // allocated to size, and built at once (what a `TextBuilder` given
        // one verbatim piece builds): most fields of a record are copied
        // this way
        let mut segs = Segs::new();
        if !s.is_empty() {
            segs.push(Seg {
                dec: 0,
                dec_len: s.len(),
                src: start,
                src_len: s.len(),
                verbatim: true,
            });
        }
        Text {
            text: TextStr::from(s),
            map: OffsetMap { segs },
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Source span of a decoded byte range.
    pub fn span(&self, start: usize, end: usize) -> Span {
        self.map.span(start, end)
    }

    /// Source span of the whole text.
    pub fn whole_span(&self) -> Span {
        if self.text.is_empty() {
            let s = self.map.whole();
            return Span::new(s.start, s.start);
        }
        self.map.span(0, self.text.len())
    }

    /// A sub-text (`start..end` in decoded bytes) with its own map.
    pub fn slice(&self, start: usize, end: usize) -> Text {
        let mut b = TextBuilder::new();
        for seg in &self.map.segs {
            let (ds, de) = (seg.dec, seg.dec + seg.dec_len);
            let empty_inside = seg.dec_len == 0 && ds >= start && ds < end;
            if (de <= start || ds >= end) && !empty_inside {
                continue;
            }
            let cs = ds.max(start);
            let ce = de.min(end);
            let piece = &self.text[cs..ce];
            if seg.verbatim {
                b.verbatim(piece, seg.src + (cs - ds));
            } else {
                b.decoded(piece, seg.src, seg.src + seg.src_len);
            }
        }
        b.finish()
    }

    /// Where the text without leading and trailing white space starts and
    /// ends, in decoded bytes.
    fn trim_bounds(&self) -> (usize, usize) {
        let t = self.text.trim_start();
        let start = self.text.len() - t.len();
        (start, start + t.trim_end().len())
    }

    /// What [`Text::trimmed`] gives, its text and its whole span, without
    /// building it: extractors that quote a trimmed field need no copy of
    /// its map (the same span: see the test `trimmed_view_is_trimmed`).
    pub fn trimmed_view(&self) -> TrimmedText<'_> {
        let (start, end) = self.trim_bounds();
        let span = if start == 0 && end == self.text.len() {
            self.whole_span()
        } else if start == end {
            // `trimmed` then slices nothing: a text with no segment
            Span::default()
        } else {
            self.map.span(start, end)
        };
        TrimmedText {
            text: &self.text[start..end],
            span,
        }
    }

    /// The text with leading and trailing white space removed, map kept.
    pub fn trimmed(&self) -> Text {
        let (start, end) = self.trim_bounds();
        if start == 0 && end == self.text.len() {
            return self.clone();
        }
        self.slice(start, end)
    }
}

/// A text's trimmed part and the source span it covers ([`Text::trimmed_view`]).
#[derive(Clone, Copy, Debug)]
pub struct TrimmedText<'a> {
    pub text: &'a str,
    span: Span,
}

impl TrimmedText<'_> {
    /// The same as `whole_span` of [`Text::trimmed`].
    pub fn whole_span(&self) -> Span {
        self.span
    }
}

/// Builds a [`Text`] piece by piece while recording where each piece came from.
#[derive(Default)]
pub struct TextBuilder {
    text: String,
    segs: Segs,
}

impl TextBuilder {
    pub fn new() -> TextBuilder {
        TextBuilder::default()
    }

    /// A builder with room for `bytes` of text and `segs` segments.
    pub fn with_capacity(bytes: usize, segs: usize) -> TextBuilder {
        TextBuilder {
            text: String::with_capacity(bytes),
            segs: Segs::with_capacity(segs),
        }
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Text copied unchanged from the source at `src`.
    pub fn verbatim(&mut self, s: &str, src: usize) {
        if s.is_empty() {
            return;
        }
        let dec = self.text.len();
        self.text.push_str(s);
        if let Some(last) = self.segs.last_mut() {
            if last.verbatim && last.dec + last.dec_len == dec && last.src + last.src_len == src {
                last.dec_len += s.len();
                last.src_len += s.len();
                return;
            }
        }
        self.segs.push(Seg {
            dec,
            dec_len: s.len(),
            src,
            src_len: s.len(),
            verbatim: true,
        });
    }

    /// Text that stands for the source bytes `src_start..src_end` as a whole
    /// (an escape sequence, an entity, a run of white space folded to one).
    pub fn decoded(&mut self, s: &str, src_start: usize, src_end: usize) {
        let dec = self.text.len();
        self.text.push_str(s);
        self.segs.push(Seg {
            dec,
            dec_len: s.len(),
            src: src_start,
            src_len: src_end.saturating_sub(src_start),
            verbatim: false,
        });
    }

    /// Text with no source of its own (glue between pieces), placed at `src`.
    pub fn synthetic(&mut self, s: &str, src: usize) {
        self.decoded(s, src, src);
    }

    /// Append another text, keeping its map.
    pub fn append(&mut self, t: &Text) {
        for seg in &t.map.segs {
            let piece = &t.text[seg.dec..seg.dec + seg.dec_len];
            if seg.verbatim {
                self.verbatim(piece, seg.src);
            } else {
                self.decoded(piece, seg.src, seg.src + seg.src_len);
            }
        }
    }

    pub fn finish(self) -> Text {
        Text {
            text: TextStr::from(self.text),
            map: OffsetMap { segs: self.segs },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_maps_one_to_one() {
        let t = Text::verbatim("hello world", 100);
        assert_eq!(t.span(6, 11), Span::new(106, 111));
        assert_eq!(t.whole_span(), Span::new(100, 111));
    }

    /// `Text::verbatim` builds what a builder given the one piece builds.
    #[test]
    fn verbatim_is_one_verbatim_piece() {
        for (s, at) in [("", 0), ("", 7), ("a", 3), ("héllo wörld", 100)] {
            let mut b = TextBuilder::with_capacity(s.len(), 1);
            b.verbatim(s, at);
            assert_eq!(Text::verbatim(s, at), b.finish(), "{s:?}");
        }
    }

    #[test]
    fn escapes_map_as_a_unit() {
        // source: `a \< b` at offset 10; decoded: `a < b`
        let mut b = TextBuilder::new();
        b.verbatim("a ", 10);
        b.decoded("<", 12, 14);
        b.verbatim(" b", 14);
        let t = b.finish();
        assert_eq!(t.text, "a < b");
        assert_eq!(t.span(2, 3), Span::new(12, 14));
        assert_eq!(t.span(0, 5), Span::new(10, 16));
        assert_eq!(t.span(3, 5), Span::new(14, 16));
    }

    /// `trimmed_view` against `trimmed`, on texts built from random pieces:
    /// verbatim runs, decoded units and empty synthetic glue, with white
    /// space at either end or all through.
    #[test]
    fn trimmed_view_is_trimmed() {
        let mut rng = crate::testing::Xorshift::new(0x2545_f491_4f6c_dd1d);
        let mut next = |m: u64| rng.below(m);
        let pieces = [" ", "  ", "\t", "ab", "x y", "é", "≤", "", "\n "];
        for _ in 0..5_000 {
            let mut b = TextBuilder::new();
            let mut src = next(5) as usize;
            for _ in 0..next(6) {
                let p = pieces[next(pieces.len() as u64) as usize];
                match next(3) {
                    0 => {
                        b.verbatim(p, src);
                        src += p.len();
                    }
                    1 => {
                        let len = 1 + next(6) as usize;
                        b.decoded(p, src, src + len);
                        src += len;
                    }
                    _ => b.synthetic(p, src),
                }
                src += next(3) as usize;
            }
            let t = b.finish();
            let (want, got) = (t.trimmed(), t.trimmed_view());
            assert_eq!(got.text, want.text, "{t:?}");
            assert_eq!(got.whole_span(), want.whole_span(), "{t:?}");
        }
    }

    #[test]
    fn slice_keeps_the_map() {
        let mut b = TextBuilder::new();
        b.verbatim("x=", 0);
        b.decoded("≤", 2, 8);
        b.verbatim("40", 8);
        let t = b.finish();
        let s = t.slice(2, t.text.len());
        assert_eq!(s.text, "≤40");
        assert_eq!(s.whole_span(), Span::new(2, 10));
        assert_eq!(t.trimmed().whole_span(), Span::new(0, 10));
    }

    #[test]
    fn a_text_str_reads_as_the_str_it_was_made_from() {
        use std::hash::{BuildHasher, RandomState};
        let h = RandomState::new();
        for n in 0..=TextStr::INLINE + 3 {
            // ASCII, and multi-byte characters across the inline limit
            for s in ["a".repeat(n), "é".repeat(n), format!("{}≤", "x".repeat(n))] {
                let inline = TextStr::from(s.as_str());
                let heap = TextStr::from(s.clone());
                assert_eq!(inline.as_str(), s);
                assert_eq!(&*heap, s);
                assert_eq!(inline, heap);
                assert_eq!(h.hash_one(&inline), h.hash_one(&heap));
                assert_eq!(String::from(inline.clone()), s);
                assert_eq!(format!("{inline}|{inline:?}"), format!("{s}|{s:?}"));
            }
        }
        assert_eq!(TextStr::default(), "");
        assert_eq!(std::mem::size_of::<TextStr>(), 32);
    }
}
