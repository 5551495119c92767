//! Streaming large JSON inputs: a `ctg-studies.json` array of 100,000
//! studies, or JSON Lines, is never held whole. The file is read in chunks
//! and split into its top-level elements (array elements, or documents of a
//! JSON Lines file) by a small scanner that tracks strings, escapes and
//! depth; each element becomes a window [`SourceFile`] (`offset`,
//! `first_line`, `first_col`, `first_char` place it in the file) that the
//! ordinary reader reads on its own. Spans are shifted back to FILE offsets
//! by [`shift_record`], so findings are the same as for a whole-file read.

use super::{ReadError, SourceFile};
use crate::record::Record;
use std::io::Read;

/// Bytes read at a time.
const CHUNK: usize = 1 << 20;

/// Whether a file should be streamed: a JSON array or a sequence of JSON
/// documents (JSON Lines) in the API v2 format. `head` is the start of the
/// file (up to 64 KiB is enough).
pub fn streamable(head: &[u8]) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // A chunk may end inside a character.
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
    };
    let start = super::content_start(text);
    matches!(text.as_bytes().get(start), Some(b'[') | Some(b'{'))
        && super::detect(text) == super::Format::CtgovJson
}

/// One top-level element of a streamed file.
pub struct Element {
    /// 0-based position among the elements.
    pub index: usize,
    /// The element as its own source (a window of the file).
    pub source: SourceFile,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Top {
    /// Before the first structural byte.
    Unknown,
    /// Inside a top-level array.
    Array,
    /// After the top-level array's `]`: only white space may follow.
    Closed,
    /// A sequence of documents (JSON Lines).
    Lines,
}

/// Which of 64 bytes are quotes, backslashes, opening and closing brackets
/// (bit k for byte k).
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

impl Masks {
    fn of(block: &[u8]) -> Masks {
        debug_assert_eq!(block.len(), 64);
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::*;
            let (mut quote, mut backslash, mut open, mut close) = (0u64, 0u64, 0u64, 0u64);
            for k in 0..4 {
                // SAFETY: SSE2 is part of x86-64; the load reads bytes
                // 16k..16k+16 of the 64 in `block`.
                let (q, b, o, c) = unsafe {
                    let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast());
                    // `[` and `{` differ only in the bit 0x20, as `]` and `}`
                    let folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
                    let eq = |x: __m128i, c: u8| {
                        _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8))) as u16
                    };
                    (
                        eq(v, b'"'),
                        eq(v, b'\\'),
                        eq(folded, b'{'),
                        eq(folded, b'}'),
                    )
                };
                quote |= u64::from(q) << (16 * k);
                backslash |= u64::from(b) << (16 * k);
                open |= u64::from(o) << (16 * k);
                close |= u64::from(c) << (16 * k);
            }
            Masks {
                quote,
                backslash,
                open,
                close,
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let mut m = Masks {
                quote: 0,
                backslash: 0,
                open: 0,
                close: 0,
            };
            for (k, &b) in block.iter().enumerate() {
                let bit = 1u64 << k;
                match b {
                    b'"' => m.quote |= bit,
                    b'\\' => m.backslash |= bit,
                    b'{' | b'[' => m.open |= bit,
                    b'}' | b']' => m.close |= bit,
                    _ => {}
                }
            }
            m
        }
    }
}

/// Splits a reader into top-level elements. An iterator of elements; a
/// malformed or unreadable file ends it with one error.
pub struct Splitter<R: Read> {
    reader: R,
    path: String,
    file_len: usize,
    buf: Vec<u8>,
    /// Offset of `buf[0]` in the file.
    buf_at: usize,
    /// Next byte of `buf` to scan.
    pos: usize,
    top: Top,
    depth: usize,
    in_str: bool,
    esc: bool,
    /// The element being collected: its bytes and where it started.
    elem: Vec<u8>,
    in_elem: bool,
    elem_at: usize,
    elem_line: usize,
    elem_col: usize,
    elem_char: usize,
    /// Line / column / character counting, done up to `counted`.
    counted: usize,
    line: usize,
    col: usize,
    chars: usize,
    index: usize,
    done: bool,
    eof: bool,
    /// Bytes of `buf` before this index are not tried 64 at a time again
    /// ([`Splitter::blocks`] gave the block there back to the byte loop).
    slow_until: usize,
    /// Whether [`Splitter::blocks`] is used (tests compare it with the byte
    /// loop alone).
    blocks: bool,
}

impl<R: Read> Splitter<R> {
    pub fn new(path: &str, reader: R, file_len: usize) -> Splitter<R> {
        Splitter {
            reader,
            path: path.to_string(),
            file_len,
            buf: Vec::new(),
            buf_at: 0,
            pos: 0,
            top: Top::Unknown,
            depth: 0,
            in_str: false,
            esc: false,
            elem: Vec::new(),
            in_elem: false,
            elem_at: 0,
            elem_line: 1,
            elem_col: 0,
            elem_char: 0,
            counted: 0,
            line: 1,
            col: 0,
            chars: 0,
            index: 0,
            done: false,
            eof: false,
            slow_until: 0,
            blocks: true,
        }
    }

    /// Inside an element, step over whole 64-byte blocks of `buf` from `i`
    /// that cannot end it, and return where the byte loop goes on. Inside
    /// an element the byte loop only acts on a quote that opens or closes a
    /// string, a backslash in a string (it escapes the next byte), and a
    /// bracket outside a string (it moves the depth); so a block is stepped
    /// over with its masks of quotes, backslashes and brackets: the escaped
    /// bytes by the carries of runs of backslashes (as simdjson does), the
    /// bytes in strings by a prefix XOR of the unescaped quotes, then the
    /// depth by the brackets outside strings. That reading treats every
    /// backslash as an escape, which the byte loop does only in a string,
    /// so a block with a backslash outside a string (malformed JSON) is left
    /// to the byte loop, as is one whose closing brackets could bring the
    /// depth down to the element's end (following the depth bracket by
    /// bracket there instead measured no fewer instructions): the byte loop
    /// finds the end, and every error, at the same byte as before. A pretty-printed study is
    /// mostly keys, short values and indentation, where the byte loop
    /// stepped one byte, or called `memchr2` once per string.
    fn blocks(&mut self, mut i: usize, base: usize) -> usize {
        const ODD: u64 = 0xAAAA_AAAA_AAAA_AAAA;
        while let Some(block) = self.buf.get(i..i + 64) {
            let m = Masks::of(block);
            // the bytes a backslash escapes (the carry: the block's first
            // byte is escaped if the last block ended in an escape)
            let carry = u64::from(self.esc);
            let (escaped, escape) = if m.backslash | carry == 0 {
                (0, 0)
            } else {
                let potential = m.backslash & !carry;
                let codes = ((potential << 1) | ODD).wrapping_sub(potential) ^ ODD;
                (codes ^ (m.backslash | carry), codes & m.backslash)
            };
            let quotes = m.quote & !escaped;
            let mut in_string = quotes;
            for k in [1, 2, 4, 8, 16, 32] {
                in_string ^= in_string << k;
            }
            if self.in_str {
                in_string = !in_string;
            }
            let closes = m.close & !in_string;
            if m.backslash & !in_string != 0 || self.depth <= base + closes.count_ones() as usize {
                self.slow_until = i + 64;
                return i;
            }
            let opens = m.open & !in_string;
            self.depth = self.depth + opens.count_ones() as usize - closes.count_ones() as usize;
            self.in_str = in_string >> 63 != 0;
            self.esc = escape >> 63 != 0;
            i += 64;
        }
        i
    }

    fn error(&mut self, reason: String) -> Option<Result<Element, ReadError>> {
        self.done = true;
        Some(Err(ReadError {
            path: self.path.clone(),
            reason,
        }))
    }

    /// Count lines and characters of `buf` up to index `to`.
    fn count_to(&mut self, to: usize) {
        let from = self.counted - self.buf_at;
        if to <= from {
            return;
        }
        let s = &self.buf[from..to];
        // one vectorised pass (a filter and a count of line breaks walked
        // every byte of a streamed array twice, at five instructions a byte)
        let (chars, lines) = super::chars_and_lines(s);
        self.chars += chars;
        if lines == 0 {
            self.col += chars;
        } else {
            self.line += lines;
            let last = memchr::memrchr(b'\n', s).expect("a line break was counted");
            self.col = super::chars_and_lines(&s[last + 1..]).0;
        }
        self.counted = self.buf_at + to;
    }

    /// Read the next chunk; false at the end of the input.
    fn fill(&mut self) -> Result<bool, std::io::Error> {
        if self.in_elem {
            // Keep the element's bytes read so far.
            let from = (self.elem_at.max(self.buf_at)) - self.buf_at;
            self.elem.extend_from_slice(&self.buf[from..]);
        }
        self.count_to(self.buf.len());
        self.buf_at += self.buf.len();
        self.buf.clear();
        self.pos = 0;
        self.slow_until = 0;
        self.buf.resize(CHUNK, 0);
        let mut n = 0;
        while n < CHUNK {
            match self.reader.read(&mut self.buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        self.buf.truncate(n);
        Ok(n > 0)
    }

    fn start_element(&mut self, i: usize) {
        self.count_to(i);
        self.in_elem = true;
        self.elem.clear();
        self.elem_at = self.buf_at + i;
        self.elem_line = self.line;
        self.elem_col = self.col;
        self.elem_char = self.chars;
    }

    /// The element that ends just before `buf[end]`.
    fn finish_element(&mut self, end: usize) -> Result<Element, ReadError> {
        let from = (self.elem_at.max(self.buf_at)) - self.buf_at;
        self.elem.extend_from_slice(&self.buf[from..end]);
        self.in_elem = false;
        let bytes = std::mem::take(&mut self.elem);
        let index = self.index;
        self.index += 1;
        // one pass for both questions, as for a whole file (`decode`)
        let Some(nul) = super::utf8_nul(&bytes) else {
            let e =
                std::str::from_utf8(&bytes).expect_err("utf8_nul refuses only what is not UTF-8");
            return Err(ReadError {
                path: self.path.clone(),
                reason: format!(
                    "the file is not valid UTF-8 (first bad byte at offset {})",
                    self.elem_at + e.valid_up_to()
                ),
            });
        };
        if nul {
            return Err(ReadError {
                path: self.path.clone(),
                reason: "the file contains NUL bytes: it is binary, not a registry record".into(),
            });
        }
        // SAFETY: `utf8_nul` found the bytes to be UTF-8
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        Ok(Element {
            index,
            source: SourceFile {
                path: self.path.clone(),
                text,
                offset: self.elem_at,
                first_line: self.elem_line,
                first_col: self.elem_col,
                first_char: self.elem_char,
                file_len: self.file_len,
                marks: None,
            },
        })
    }

    fn where_(&mut self, i: usize) -> String {
        self.count_to(i);
        format!("at line {} column {}", self.line, self.col + 1)
    }
}

impl<R: Read> Iterator for Splitter<R> {
    type Item = Result<Element, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            if self.pos >= self.buf.len() {
                if self.eof {
                    break;
                }
                match self.fill() {
                    Ok(true) => {}
                    Ok(false) => {
                        self.eof = true;
                        break;
                    }
                    Err(e) => return self.error(format!("cannot read: {e}")),
                }
                if self.buf_at == 0 && self.buf.starts_with(b"\xEF\xBB\xBF") {
                    self.pos = 3;
                }
            }
            let mut i = self.pos;
            while i < self.buf.len() {
                if self.in_elem && self.blocks && i >= self.slow_until {
                    let base = usize::from(self.top == Top::Array);
                    i = self.blocks(i, base);
                    if i >= self.buf.len() {
                        break;
                    }
                }
                if self.in_str {
                    // Skip to the next quote or backslash.
                    if self.esc {
                        self.esc = false;
                        i += 1;
                        continue;
                    }
                    match memchr::memchr2(b'"', b'\\', &self.buf[i..]) {
                        Some(k) => {
                            i += k;
                            if self.buf[i] == b'\\' {
                                self.esc = true;
                            } else {
                                self.in_str = false;
                            }
                            i += 1;
                            continue;
                        }
                        None => {
                            i = self.buf.len();
                            break;
                        }
                    }
                }
                let b = self.buf[i];
                match b {
                    b' ' | b'\t' | b'\r' | b'\n' => {
                        i += 1;
                        // A pretty-printed array is mostly indentation:
                        // step over a run of spaces eight at a time (each
                        // space outside a string is only stepped over here)
                        while let Some(w) = self.buf.get(i..i + 8) {
                            if w != b"        " {
                                break;
                            }
                            i += 8;
                        }
                        continue;
                    }
                    _ => {}
                }
                // Structure.
                match self.top {
                    Top::Unknown => match b {
                        b'[' => {
                            self.top = Top::Array;
                            self.depth = 1;
                            i += 1;
                            continue;
                        }
                        b'{' => self.top = Top::Lines,
                        _ => {
                            let w = self.where_(i);
                            return self.error(format!("malformed JSON: expected `[` or `{{` {w}"));
                        }
                    },
                    Top::Closed => {
                        let w = self.where_(i);
                        return self.error(format!(
                            "malformed JSON: trailing characters after the top-level array {w}"
                        ));
                    }
                    _ => {}
                }
                let base = if self.top == Top::Array { 1 } else { 0 };
                if !self.in_elem {
                    if self.top == Top::Array && self.depth == 1 {
                        match b {
                            b',' if self.index > 0 => {
                                i += 1;
                                continue;
                            }
                            b']' => {
                                self.depth = 0;
                                self.top = Top::Closed;
                                i += 1;
                                continue;
                            }
                            _ => {}
                        }
                    }
                    match b {
                        b'{' | b'[' => self.start_element(i),
                        _ => {
                            let w = self.where_(i);
                            let what = if self.top == Top::Array {
                                format!("element {} of the top-level array", self.index + 1)
                            } else {
                                format!("document {} of the file", self.index + 1)
                            };
                            self.done = true;
                            return Some(Err(ReadError {
                                path: self.path.clone(),
                                reason: format!(
                                    "JSON document is not a ClinicalTrials.gov API v2 study: no `protocolSection` ({what}, {w})"
                                ),
                            }));
                        }
                    }
                }
                match b {
                    b'"' => self.in_str = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        if self.depth <= base {
                            let w = self.where_(i);
                            return self
                                .error(format!("malformed JSON: unexpected `{}` {w}", b as char));
                        }
                        self.depth -= 1;
                        if self.depth == base {
                            self.pos = i + 1;
                            let el = self.finish_element(i + 1);
                            if el.is_err() {
                                self.done = true;
                            }
                            return Some(el);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            self.pos = i;
        }
        // End of input.
        self.done = true;
        if self.in_elem || self.in_str || (self.top == Top::Array) {
            let end = self.buf.len();
            let w = self.where_(end);
            return Some(Err(ReadError {
                path: self.path.clone(),
                reason: format!("malformed JSON: EOF while parsing {w}"),
            }));
        }
        if self.top == Top::Unknown {
            return Some(Err(ReadError {
                path: self.path.clone(),
                reason: "the file is empty".into(),
            }));
        }
        None
    }
}

/// Move every span of a record read from a window by `base` bytes, so that
/// they are offsets into the file.
pub fn shift_record(r: &mut Record, base: usize) {
    if base == 0 {
        return;
    }
    r.span.start += base;
    r.span.end += base;
    for f in &mut r.fields {
        f.text.map.shift(base);
        if let Some(q) = &mut f.qualifier {
            q.map.shift(base);
        }
    }
}

/// Read the records of one element (a window of a streamed file), with
/// spans in file offsets.
pub fn read_element(el: &Element) -> Result<Vec<Record>, ReadError> {
    let src = &el.source;
    match super::ctgov_json::read(&src.text) {
        Ok(mut records) => {
            for r in &mut records {
                shift_record(r, src.offset);
            }
            if records.is_empty() {
                return Err(ReadError {
                    path: src.path.clone(),
                    reason: "no registry record found (read as ctgov-json)".into(),
                });
            }
            Ok(records)
        }
        Err(reason) => Err(ReadError {
            path: src.path.clone(),
            reason: format!(
                "element {} of the top-level array or document (line {}): {reason}",
                el.index + 1,
                src.first_line,
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<Result<(usize, String, usize, usize), String>> {
        split_with(s, true)
    }

    fn split_with(s: &str, blocks: bool) -> Vec<Result<(usize, String, usize, usize), String>> {
        let mut splitter = Splitter::new("t", s.as_bytes(), s.len());
        splitter.blocks = blocks;
        splitter
            .map(|r| {
                r.map(|e| {
                    (
                        e.source.offset,
                        e.source.text.clone(),
                        e.source.first_line,
                        e.source.first_col,
                    )
                })
                .map_err(|e| e.reason)
            })
            .collect()
    }

    #[test]
    fn splits_arrays_and_lines() {
        let s = "\u{feff}[\n {\"a\": \"]}\\\"\"},\n {\"b\": [1, {\"c\": 2}]}\n]\n";
        let got = split(s);
        assert_eq!(got.len(), 2);
        let (o, t, l, c) = got[0].clone().unwrap();
        assert_eq!(&s[o..o + t.len()], t);
        assert_eq!(t, "{\"a\": \"]}\\\"\"}");
        assert_eq!((l, c), (2, 1));
        let (o, t, l, _) = got[1].clone().unwrap();
        assert_eq!(&s[o..o + t.len()], t);
        assert_eq!(l, 3);
        let lines = "{\"x\": 1}\n{\"y\": \"é\"}{\"z\":3}\n";
        let got = split(lines);
        assert_eq!(got.len(), 3);
        assert_eq!(got[2].clone().unwrap().3, 10);
    }

    #[test]
    fn reports_malformed_input() {
        assert!(split("[{\"a\": 1}").last().unwrap().is_err());
        assert!(split("[{\"a\": 1}] x").last().unwrap().is_err());
        assert!(split("[1, 2]").last().unwrap().is_err());
        assert!(split("[{\"a\": \"open").last().unwrap().is_err());
        assert_eq!(split("[]").len(), 0);
    }

    #[test]
    fn chunks_do_not_matter() {
        // Elements longer than a chunk.
        let big = "x".repeat(CHUNK + 17);
        let s = format!("[{{\"a\": \"{big}\"}}, {{\"b\": \"é{big}\"}}]");
        let got = split(&s);
        assert_eq!(got.len(), 2);
        for g in got {
            let (o, t, _, _) = g.unwrap();
            assert_eq!(&s[o..o + t.len()], t);
        }
    }

    /// The 64-byte blocks against the byte loop alone, on generated inputs
    /// dense in what the blocks read (quotes, backslashes, brackets): well
    /// formed arrays and JSON Lines, and the same with bytes changed at
    /// random (a backslash outside a string, a bracket too many). The
    /// elements, their places and every error must be the same.
    #[test]
    fn blocks_split_as_the_byte_loop_does() {
        let mut rng = crate::testing::Xorshift::new(0x9E37_79B9_7F4A_7C15);
        let mut next = move |n: usize| rng.below(n as u64) as usize;
        let pieces = [
            "\"",
            "\\",
            "\\\\",
            "\\\"",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "        ",
            "\n",
            "a",
            "é",
            "\"k\": ",
            "\"\\\\\"",
            "\"x\\\"y\"",
            "1",
        ];
        let mut tried = 0;
        let mut differed_from_plain = 0;
        for round in 0..3000 {
            // a string of an element: quotes balanced by construction, so
            // that most inputs are long enough to be read in blocks
            let element = |next: &mut dyn FnMut(usize) -> usize| {
                let mut e = String::from("{");
                let mut depth = 1;
                for _ in 0..next(200) {
                    match next(6) {
                        0 => {
                            e.push('"');
                            for _ in 0..next(80) {
                                e.push_str(
                                    ["a", "\\\\", "\\\"", "\\n", "{", "]", "é", " "][next(8)],
                                );
                            }
                            e.push('"');
                        }
                        1 if depth < 70 => {
                            e.push_str(["{", "["][next(2)]);
                            depth += 1;
                        }
                        2 if depth > 1 => {
                            e.push_str(["}", "]"][next(2)]);
                            depth -= 1;
                        }
                        _ => e.push_str(pieces[next(pieces.len())]),
                    }
                }
                for _ in 1..depth {
                    e.push('}');
                }
                e.push('}');
                e
            };
            let n = 1 + next(4);
            let elements: Vec<String> = (0..n).map(|_| element(&mut next)).collect();
            let mut s = if round % 2 == 0 {
                format!("[\n{}\n]\n", elements.join(",\n"))
            } else {
                elements.join("\n")
            };
            if round % 3 == 0 {
                // change bytes at random: malformed input of every kind
                let mut b = s.into_bytes();
                for _ in 0..1 + next(3) {
                    let at = next(b.len());
                    if b[at].is_ascii() {
                        b[at] = b"\"\\{}[] x"[next(8)];
                    }
                }
                s = String::from_utf8(b).unwrap();
            }
            let fast = split_with(&s, true);
            let slow = split_with(&s, false);
            assert_eq!(fast, slow, "input {s:?}");
            tried += 1;
            if fast.iter().any(|r| r.is_err()) {
                differed_from_plain += 1;
            }
        }
        assert_eq!(tried, 3000);
        // the malformed rounds did reach the errors
        assert!(
            differed_from_plain > 100,
            "{differed_from_plain} inputs with an error"
        );
    }
}
