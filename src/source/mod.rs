//! Reading inputs: detect a format from the content (never from the file
//! name) and hand the bytes to the reader for that format.
//!
//! Every reader returns [`Record`]s whose spans are byte offsets into the
//! ORIGINAL file. One module per format:
//!
//! | module          | format name            | what it reads                                  |
//! |-----------------|------------------------|------------------------------------------------|
//! | `ctgov_json`    | `ctgov-json`           | ClinicalTrials.gov API v2 JSON (study, array, `{"studies":[..]}`, JSON Lines) |
//! | `ctgov_json_v1` | `ctgov-json-v1`        | the retired classic API's JSON (`ProtocolSection`) |
//! | `ctgov_xml`     | `ctgov-xml`            | legacy `<clinical_study>` XML                  |
//! | `ictrp_xml`     | `ictrp-xml`            | WHO ICTRP `<Trial>` export                     |
//! | `html`          | `html:<layout>`        | saved HTML pages (`html_text` extracts text with an offset map) |
//! | `text`          | `text:<layout>`        | page text copied from ClinicalTrials.gov or a mirror site |
//!
//! Shared decoders: `json_text` (JSON string literals and the API's markdown
//! escapes), `xml_text` (entities, CDATA, white-space folding), `xml_scan`
//! (a small element tree over quick-xml with exact spans).

pub mod ctgov_json;
pub mod ctgov_json_v1;
pub mod ctgov_xml;
pub mod html;
pub mod html_text;
pub mod ictrp_xml;
pub mod json_skip;
pub mod json_text;
pub mod stream;
pub mod text;
pub mod xml_scan;
pub mod xml_text;

use crate::record::Record;
use std::fmt;

/// One input, as read from disk or stdin, or a window of one (a single
/// record of a file too large to hold whole). Never modified.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (`-` is shown as `<stdin>`).
    pub path: String,
    /// The content. Inputs must be UTF-8 (a UTF-8 byte-order mark is
    /// allowed and kept, so offsets stay those of the file).
    pub text: String,
    /// Byte offset of `text` in the file (0 unless this is a window).
    pub offset: usize,
    /// Line number of the first line of `text` in the file (1 unless a window).
    pub first_line: usize,
    /// Characters before `text` on its first line (0 unless a window that
    /// starts in the middle of a line, as in a one-line JSON array).
    pub first_col: usize,
    /// Characters before `text` in the file (0 unless a window).
    pub first_char: usize,
    /// Length of the whole file in bytes (`text.len()` unless a window, or
    /// a source whose text was dropped after the run because no finding
    /// points into it).
    pub file_len: usize,
    /// Set when the text was dropped after the run but findings point into
    /// it: the positions and text of every labelled span, which is all the
    /// machine-readable formats need (see [`SourceFile::keep_marks`]).
    pub marks: Option<Box<Marks>>,
}

/// Line, column and character offset of the labelled places of a source
/// whose text is gone, and the text of each labelled span.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// File byte offset → (line, column, characters from the start of the
    /// file), ascending by offset.
    points: Vec<(usize, Position)>,
    /// (start, end) in file bytes → the text there, ascending.
    snippets: Vec<((usize, usize), String)>,
}

/// 1-based line and column (in characters), and characters from the start
/// of the file, of a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub char_offset: usize,
}

impl Marks {
    /// The file offsets whose positions a span's marks keep: its start and
    /// its end (an inverted span's start twice).
    pub fn offsets(sp: crate::span::Span) -> [usize; 2] {
        [sp.start, sp.end.max(sp.start)]
    }

    /// The marks of `spans` in `src` (which must still have its text):
    /// `position` gives the position of a file offset.
    pub fn new(
        src: &SourceFile,
        spans: impl IntoIterator<Item = crate::span::Span>,
        position: impl Fn(usize) -> Position,
    ) -> Marks {
        let mut marks = Marks::default();
        for sp in spans {
            for o in Marks::offsets(sp) {
                marks.points.push((o, position(o)));
            }
            marks
                .snippets
                .push(((sp.start, sp.end), src.snippet(sp).to_string()));
        }
        marks.points.sort_by_key(|p| p.0);
        marks.points.dedup_by_key(|p| p.0);
        marks.snippets.sort_by_key(|s| s.0);
        marks.snippets.dedup_by(|a, b| a.0 == b.0);
        marks
    }

    /// The position of a file offset that was marked.
    pub fn position(&self, offset: usize) -> Option<Position> {
        let k = self.points.binary_search_by_key(&offset, |p| p.0).ok()?;
        Some(self.points[k].1)
    }
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        SourceFile {
            path: path.into(),
            file_len: text.len(),
            text,
            offset: 0,
            first_line: 1,
            first_col: 0,
            first_char: 0,
            marks: None,
        }
    }

    /// Whether `text` is the whole file.
    pub fn is_whole(&self) -> bool {
        self.offset == 0 && self.text.len() == self.file_len
    }

    /// Keep only the lines of `text` that hold the byte range `lo..hi`
    /// (FILE offsets), as a window with true file positions. Used to drop
    /// what no finding points into once a record is checked.
    pub fn keep_lines(&mut self, lo: usize, hi: usize) {
        let text = self.text.as_bytes();
        let lo = self.local(lo);
        let hi = self.local(hi).max(lo);
        let start = memchr::memrchr(b'\n', &text[..lo]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &text[hi..]).map_or(text.len(), |i| hi + i + 1);
        if start == 0 && end == text.len() {
            return;
        }
        let before = &self.text[..start];
        let newlines = memchr::memchr_iter(b'\n', before.as_bytes()).count();
        let chars = before.chars().count();
        if newlines > 0 {
            self.first_col = 0;
        } else {
            self.first_col += chars;
        }
        self.first_line += newlines;
        self.first_char += chars;
        self.offset += start;
        self.text = self.text[start..end].to_string();
    }

    /// Drop the text (the source is kept as a name and a length).
    pub fn drop_text(&mut self) {
        self.text = String::new();
        self.offset = 0;
        self.first_line = 1;
        self.first_col = 0;
        self.first_char = 0;
    }

    /// Drop the text but keep `marks` (built from it by [`Marks::new`]).
    /// A run over 100,000 one-line JSON files with findings kept each whole
    /// line otherwise: memory grew with the input.
    pub fn keep_marks(&mut self, marks: Marks) {
        self.drop_text();
        self.marks = Some(Box::new(marks));
    }

    /// The text at a span given in FILE offsets ("" if outside the window
    /// or not on character boundaries).
    pub fn snippet(&self, span: crate::span::Span) -> &str {
        if let Some(m) = &self.marks {
            return m
                .snippets
                .binary_search_by_key(&(span.start, span.end), |s| s.0)
                .map_or("", |k| m.snippets[k].1.as_str());
        }
        let s = span.start.saturating_sub(self.offset);
        let e = span.end.saturating_sub(self.offset);
        self.text.get(s..e.max(s)).unwrap_or("")
    }

    /// A file offset as an offset into `text`.
    pub fn local(&self, file_offset: usize) -> usize {
        file_offset.saturating_sub(self.offset).min(self.text.len())
    }
}

/// Why an input could not be read. Rendered as `path: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub path: String,
    pub reason: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl std::error::Error for ReadError {}

/// The formats trialint can tell apart by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    CtgovJson,
    CtgovJsonV1,
    CtgovXml,
    IctrpXml,
    Html,
    Text,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::CtgovJson => "ctgov-json",
            Format::CtgovJsonV1 => "ctgov-json-v1",
            Format::CtgovXml => "ctgov-xml",
            Format::IctrpXml => "ictrp-xml",
            Format::Html => "html",
            Format::Text => "text",
        }
    }
}

/// Turn raw bytes into a [`SourceFile`], or say why not.
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<SourceFile, ReadError> {
    let err = |reason: String| ReadError {
        path: path.to_string(),
        reason,
    };
    if bytes.is_empty() {
        return Err(err("the file is empty".into()));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(err(
            "the file is UTF-16 (byte-order mark found); trialint reads UTF-8: convert it with `iconv -f UTF-16 -t UTF-8`".into(),
        ));
    }
    // one pass for both questions ([`utf8_nul`]): whether the bytes are
    // UTF-8, and whether they hold a NUL
    let Some(nul) = utf8_nul(&bytes) else {
        let e = std::str::from_utf8(&bytes).expect_err("utf8_nul refuses only what is not UTF-8");
        return Err(err(format!(
            "the file is not valid UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        )));
    };
    // SAFETY: `utf8_nul` found the bytes to be UTF-8
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    if content_start(&text) == text.len() {
        return Err(err(
            "the file holds only white space (an empty or failed download?)".into(),
        ));
    }
    if nul {
        return Err(err(
            "the file contains NUL bytes: it is binary, not a registry record".into(),
        ));
    }
    Ok(SourceFile::new(path, text))
}

/// `None` if `b` is not UTF-8, else whether it holds a NUL byte: the
/// validation of `str::from_utf8` and a search for a NUL in one pass.
/// The standard validation looks at sixteen bytes a step, and the NUL
/// search (memchr) was a second pass over the file; here 64 bytes a step
/// are asked both questions at once with SSE2 (on every x86-64): their OR
/// has no high bit if all are ASCII, and the running minimum of every
/// byte seen is 0 once a NUL was. A block with a byte above 0x7F (13 in
/// a study of 30,000 bytes) is validated by `str::from_utf8`, with the
/// continuation bytes that follow it, so the pieces validated apart are
/// cut where a character must start (after an ASCII byte, or before a byte
/// that is no continuation byte): the whole is UTF-8 exactly when every
/// piece is, so this refuses exactly what `str::from_utf8` refuses (a test
/// compares them).
pub(crate) fn utf8_nul(b: &[u8]) -> Option<bool> {
    // everything before `at` is UTF-8 and ends on a character boundary
    #[allow(unused_mut)]
    let mut at = 0;
    #[cfg(not(target_arch = "x86_64"))]
    let nul = false;
    #[cfg(target_arch = "x86_64")]
    let nul = {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86-64; every load reads 16 of the 64
        // bytes at `at`, which are in `b` (`at + 64 <= b.len()`)
        unsafe {
            let mut least = _mm_set1_epi8(-1);
            while at + 64 <= b.len() {
                let p = b.as_ptr().add(at).cast::<__m128i>();
                let (v0, v1) = (_mm_loadu_si128(p), _mm_loadu_si128(p.add(1)));
                let (v2, v3) = (_mm_loadu_si128(p.add(2)), _mm_loadu_si128(p.add(3)));
                least = _mm_min_epu8(
                    least,
                    _mm_min_epu8(_mm_min_epu8(v0, v1), _mm_min_epu8(v2, v3)),
                );
                let any = _mm_or_si128(_mm_or_si128(v0, v1), _mm_or_si128(v2, v3));
                if _mm_movemask_epi8(any) == 0 {
                    at += 64;
                    continue;
                }
                let mut end = at + 64;
                while b.get(end).is_some_and(|&c| c & 0xC0 == 0x80) {
                    end += 1;
                }
                std::str::from_utf8(&b[at..end]).ok()?;
                // the bytes after the block are continuation bytes: no NUL
                at = end;
            }
            _mm_movemask_epi8(_mm_cmpeq_epi8(least, _mm_setzero_si128())) != 0
        }
    };
    let rest = &b[at..];
    std::str::from_utf8(rest).ok()?;
    // memchr's vector search: `str::contains` looks one word at a time
    Some(nul || memchr::memchr(0, rest).is_some())
}

/// The characters (bytes that do not continue a UTF-8 sequence) and the
/// line breaks of a piece of text, counted in one pass with byte-wide sums
/// over pieces of 255 bytes, which the compiler turns into vector code:
/// faster than finding each break when lines are short (a pretty-printed
/// JSON file). Used to place spans (report) and streamed elements.
pub fn chars_and_lines(b: &[u8]) -> (usize, usize) {
    let (mut chars, mut lines) = (0usize, 0usize);
    for piece in b.chunks(255) {
        let (mut c, mut l) = (0u8, 0u8);
        for &x in piece {
            c += u8::from((x as i8) >= -64);
            l += u8::from(x == b'\n');
        }
        chars += usize::from(c);
        lines += usize::from(l);
    }
    (chars, lines)
}

/// Offset of the first byte after a UTF-8 byte-order mark and white space.
pub fn content_start(text: &str) -> usize {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skipped = text.len() - body.len();
    skipped + (body.len() - body.trim_start().len())
}

/// Decide the format from the content.
pub fn detect(text: &str) -> Format {
    let start = content_start(text);
    let head = &text[start..];
    // Look at a bounded prefix only: detection must be cheap on huge files.
    let probe = prefix(head, 64 * 1024);
    match head.as_bytes().first() {
        Some(b'{') | Some(b'[') => {
            if probe.contains("\"protocolSection\"") || !probe.contains("\"ProtocolSection\"") {
                Format::CtgovJson
            } else {
                Format::CtgovJsonV1
            }
        }
        Some(b'<') => {
            if tag_in(probe, "<clinical_study") {
                Format::CtgovXml
            } else if probe.contains("<Trial>")
                || probe.contains("<Trial ")
                || probe.contains("<Trials_downloaded_from")
            {
                Format::IctrpXml
            } else if tag_in(probe, "<html")
                || tag_in(probe, "<!doctype html")
                || tag_in(probe, "<body")
                || tag_in(probe, "<div")
            {
                Format::Html
            } else {
                Format::Text
            }
        }
        _ => Format::Text,
    }
}

/// Whether `hay` holds `tag` (a `<` and lower-case ASCII) in any ASCII
/// case: what `hay.to_ascii_lowercase().contains(tag)` says (lowering
/// ASCII moves no byte), without the copy. That copy was of the whole of
/// an XML record (the probe is its first 64 KiB) and its search: 14,000
/// instructions a legacy XML record, and an allocation.
fn tag_in(hay: &str, tag: &str) -> bool {
    let (hay, tag) = (hay.as_bytes(), tag.as_bytes());
    debug_assert!(tag.first() == Some(&b'<') && !tag.iter().any(u8::is_ascii_uppercase));
    memchr::memchr_iter(b'<', hay).any(|at| {
        hay.get(at..at + tag.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(tag))
    })
}

/// The longest prefix of `s` of at most `n` bytes that ends on a char boundary.
pub fn prefix(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Read every record in a source file.
pub fn read(src: &SourceFile) -> Result<Vec<Record>, ReadError> {
    let fmt = detect(&src.text);
    let result = match fmt {
        Format::CtgovJson => ctgov_json::read(&src.text),
        Format::CtgovJsonV1 => ctgov_json_v1::read(&src.text),
        Format::CtgovXml => ctgov_xml::read(&src.text),
        Format::IctrpXml => ictrp_xml::read(&src.text),
        Format::Html => html::read(&src.text),
        Format::Text => Ok(vec![text::read_text(&src.text)]),
    };
    let records = result.map_err(|reason| ReadError {
        path: src.path.clone(),
        reason,
    })?;
    if records.is_empty() {
        return Err(ReadError {
            path: src.path.clone(),
            reason: format!("no registry record found (read as {})", fmt.name()),
        });
    }
    Ok(records)
}

/// The JSON files among the fixtures, with their text, for the readers'
/// tests that compare two ways of reading every real record.
#[cfg(test)]
pub(crate) fn fixture_json() -> Vec<(std::path::PathBuf, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| {
            Some((
                e.path().to_path_buf(),
                std::fs::read_to_string(e.path()).ok()?,
            ))
        })
        .collect()
}

/// The files of the shared corpus's sets (`../shared/corpus/<set>`), with
/// their text, for the readers' tests that compare two ways of reading
/// every real record; none when the corpus is not there.
#[cfg(test)]
pub(crate) fn corpus_files(sets: &[&str]) -> Vec<(std::path::PathBuf, String)> {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    sets.iter()
        .filter_map(|set| std::fs::read_dir(corpus.join(set)).ok())
        .flat_map(|dir| dir.flatten())
        .filter_map(|f| Some((f.path(), std::fs::read_to_string(f.path()).ok()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn tags_are_found_as_in_a_lowered_copy() {
        let tags = [
            "<clinical_study",
            "<html",
            "<!doctype html",
            "<body",
            "<div",
        ];
        let pieces = [
            "<",
            "<C",
            "<clinical",
            "_STUDY",
            "<clinical_study",
            "<CLINICAL_STUDY>",
            "<Html",
            "<!DOCTYPE HTML>",
            "<!doctype",
            " html",
            "<BoDy",
            "<di",
            "v",
            "<DIV ",
            "é",
            "İ",
            "\u{212a}",
            "x",
            " ",
            "<<",
            "\n",
        ];
        let mut found = 0;
        for hay in crate::extract::random_texts(&pieces, 20_000, 7, 0x9e37_79b9_7f4a_7c15) {
            for tag in tags {
                let want = hay.to_ascii_lowercase().contains(tag);
                assert_eq!(tag_in(&hay, tag), want, "{tag} in {hay:?}");
                if want {
                    found += 1;
                }
            }
        }
        // both answers are asked for often
        assert!((5_000..95_000).contains(&found), "{found} of 100,000");
    }

    #[test]
    fn detects_by_content() {
        assert_eq!(detect("  {\"protocolSection\": {}}"), Format::CtgovJson);
        assert_eq!(detect("{\"FullStudiesResponse\": {\"FullStudies\":[{\"Study\":{\"ProtocolSection\":{}}}]}}"), Format::CtgovJsonV1);
        assert_eq!(
            detect("\u{feff}<?xml version=\"1.0\"?>\n<clinical_study>"),
            Format::CtgovXml
        );
        assert_eq!(
            detect("<Trials_downloaded_from_ICTRP><Trial>"),
            Format::IctrpXml
        );
        assert_eq!(detect("<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(detect("Study Overview\nStatus\nRecruiting"), Format::Text);
    }

    /// `utf8_nul` answers as `str::from_utf8` and a search for a NUL on
    /// every file of the fixtures and on texts made of ASCII runs, NULs,
    /// characters of every length and broken ones, placed at and around
    /// the 64-byte blocks' edges.
    #[test]
    fn utf8_nul_agrees_with_from_utf8() {
        let slow = |b: &[u8]| std::str::from_utf8(b).ok().map(|_| b.contains(&0));
        let mut seen = 0;
        for e in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let b = std::fs::read(e.path()).unwrap();
            assert_eq!(utf8_nul(&b), slow(&b), "{}", e.path().display());
            seen += 1;
        }
        assert!(seen > 50, "only {seen} fixtures");
        let pieces: [&[u8]; 14] = [
            b"a",
            b"\0",
            "é".as_bytes(),
            "日".as_bytes(),
            "😀".as_bytes(),
            b"\x80",
            b"\xbf",
            b"\xc3",
            b"\xe6\x97",
            b"\xf0\x9f\x98",
            b"\xff",
            b"\xed\xa0\x80",
            b"\xc0\xaf",
            b"\n",
        ];
        let mut rng = crate::testing::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let mut next = || rng.next();
        let (mut valid, mut refused) = (0, 0);
        for _ in 0..20_000 {
            let mut b = Vec::new();
            let len = (next() % 300) as usize;
            while b.len() < len {
                let r = next();
                if r % 8 < 6 {
                    // an ASCII run, to reach a block's edge
                    b.resize(b.len() + (r >> 8) as usize % 70, b'x');
                } else {
                    // a rare piece, so that many texts are still UTF-8
                    let k = (r >> 8) as usize % pieces.len();
                    if k < 5 || r >> 20 & 7 == 0 {
                        b.extend_from_slice(pieces[k]);
                    }
                }
            }
            let got = utf8_nul(&b);
            assert_eq!(got, slow(&b), "{:?}", String::from_utf8_lossy(&b));
            if got.is_some() {
                valid += 1;
            } else {
                refused += 1;
            }
        }
        assert!(
            valid > 5_000 && refused > 2_000,
            "{valid} valid, {refused} refused"
        );
    }

    #[test]
    fn rejects_binary_and_bad_encodings() {
        assert!(decode("a", vec![]).is_err());
        assert!(decode("a", vec![0xFF, 0xFE, 0x41, 0x00])
            .unwrap_err()
            .reason
            .contains("UTF-16"));
        assert!(decode("a", vec![0x41, 0xC3])
            .unwrap_err()
            .reason
            .contains("UTF-8"));
        assert!(decode("a", b"a\0b".to_vec())
            .unwrap_err()
            .reason
            .contains("NUL"));
    }
}
