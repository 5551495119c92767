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
        }
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
        let chars = s.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        self.chars += chars;
        match memchr::memrchr(b'\n', s) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', s).count();
                self.col = s[last + 1..]
                    .iter()
                    .filter(|&&b| (b & 0xC0) != 0x80)
                    .count();
            }
            None => self.col += chars,
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
        let text = String::from_utf8(bytes).map_err(|e| ReadError {
            path: self.path.clone(),
            reason: format!(
                "the file is not valid UTF-8 (first bad byte at offset {})",
                self.elem_at + e.utf8_error().valid_up_to()
            ),
        })?;
        if memchr::memchr(0, text.as_bytes()).is_some() {
            return Err(ReadError {
                path: self.path.clone(),
                reason: "the file contains NUL bytes: it is binary, not a registry record".into(),
            });
        }
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
        Splitter::new("t", s.as_bytes(), s.len())
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
}
