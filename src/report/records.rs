//! The run seen record by record, for the formats that report per record
//! (JUnit test cases, the HTML report, correction requests): each record
//! with its findings, and each input that could not be read, in the order
//! of the run.

use crate::check::Finding;
use crate::engine::Run;
use crate::record::Record;
use crate::source::SourceFile;
use std::cell::RefCell;

/// One record of the run (or one input that could not be read).
pub struct RecordView<'a> {
    /// The path of the file the record was read from.
    pub path: &'a str,
    /// Index of the source in [`Run::sources`].
    pub source_index: Option<usize>,
    pub source: Option<&'a SourceFile>,
    pub record: Option<&'a Record>,
    /// Position of the record among the records of its file (0-based).
    pub ordinal: usize,
    /// Why the input could not be read.
    pub error: Option<&'a str>,
    /// Indices into [`Run::findings`], in run order.
    pub findings: Vec<usize>,
}

impl<'a> RecordView<'a> {
    /// The record's identifier, if it has one.
    pub fn id(&self) -> Option<&'a str> {
        self.record.and_then(|r| r.id.as_deref())
    }

    /// A name for the record in reports: its id, else its position.
    pub fn name(&self) -> String {
        match (self.id(), self.record) {
            (Some(id), _) => id.to_string(),
            (None, Some(_)) => format!("record {}", self.ordinal + 1),
            (None, None) => "(unreadable)".to_string(),
        }
    }

    /// The reader that produced the record.
    pub fn format(&self) -> Option<&'a str> {
        self.record.map(|r| r.format.as_str())
    }

    pub fn findings<'r>(&'r self, run: &'a Run) -> impl Iterator<Item = &'a Finding> + 'r {
        self.findings.iter().map(move |&i| &run.findings[i])
    }
}

/// Every record and every unreadable input of the run, in run order, with
/// the findings of each record.
pub fn group(run: &Run) -> Vec<RecordView<'_>> {
    let mut views: Vec<RecordView> = Vec::new();
    let mut used = vec![false; run.records.len()];
    let mut ordinals: std::collections::HashMap<usize, usize> = Default::default();
    let mut next = 0usize;
    for e in &run.entries {
        if let Some(err) = &e.error {
            views.push(RecordView {
                path: &e.path,
                source_index: e.source,
                source: None,
                record: None,
                ordinal: 0,
                error: Some(err),
                findings: Vec::new(),
            });
            continue;
        }
        // Entries of readable inputs follow the order of `run.records`;
        // look further only if that ever stops being true.
        let k = if next < run.records.len()
            && !used[next]
            && Some(run.records[next].0) == e.source
            && run.records[next].1.id == e.record
        {
            Some(next)
        } else {
            (0..run.records.len()).find(|&k| {
                !used[k] && Some(run.records[k].0) == e.source && run.records[k].1.id == e.record
            })
        };
        if let Some(k) = k {
            used[k] = true;
            next = k + 1;
            push_record(&mut views, &mut ordinals, run, k);
        }
    }
    // Records without an entry (runs built by hand).
    for (k, done) in used.iter().enumerate() {
        if !done {
            push_record(&mut views, &mut ordinals, run, k);
        }
    }
    for v in &mut views {
        v.source = v.source_index.and_then(|i| run.sources.get(i));
        if v.record.is_some() && v.path.is_empty() {
            v.path = v.source.map(|s| s.path.as_str()).unwrap_or("");
        }
    }
    // Findings to records: same source, same id, and the record whose span
    // holds the primary label when several match.
    type Key<'k> = (usize, Option<&'k str>);
    let mut by_id: std::collections::HashMap<Key, Vec<usize>> = Default::default();
    let mut by_source: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (vi, v) in views.iter().enumerate() {
        if let (Some(si), Some(r)) = (v.source_index, v.record) {
            by_id.entry((si, r.id.as_deref())).or_default().push(vi);
            by_source.entry(si).or_default().push(vi);
        }
    }
    for (fi, f) in run.findings.iter().enumerate() {
        let pool = match by_id.get(&(f.file, f.record.as_deref())) {
            Some(p) => p,
            None => match by_source.get(&f.file) {
                Some(p) => p,
                None => continue,
            },
        };
        let at = primary(f).map(|l| l.span.start);
        let chosen = if pool.len() == 1 {
            pool[0]
        } else {
            pool.iter()
                .copied()
                .find(|&vi| {
                    let r = views[vi].record.expect("record views only");
                    at.is_some_and(|a| !r.span.is_empty() && r.span.start <= a && a <= r.span.end)
                })
                .unwrap_or(pool[0])
        };
        views[chosen].findings.push(fi);
    }
    views
}

fn push_record<'r>(
    views: &mut Vec<RecordView<'r>>,
    ordinals: &mut std::collections::HashMap<usize, usize>,
    run: &'r Run,
    k: usize,
) {
    let (si, ref r) = run.records[k];
    let ord = ordinals.entry(si).or_insert(0);
    views.push(RecordView {
        path: run.sources.get(si).map(|s| s.path.as_str()).unwrap_or(""),
        source_index: Some(si),
        source: None,
        record: Some(r),
        ordinal: *ord,
        error: None,
        findings: Vec::new(),
    });
    *ord += 1;
}

/// The primary label of a finding (the first label if none is marked).
pub fn primary(f: &Finding) -> Option<&crate::check::Label> {
    f.labels
        .iter()
        .find(|l| l.primary)
        .or_else(|| f.labels.first())
}

/// Positions of one source file: 1-based line and column (in characters)
/// of a FILE byte offset, and the character offset from the start of the
/// file when it is known (not for a window of a larger file). Character
/// counts are checkpointed, so a position costs at most a few kilobytes of
/// counting even on a one-line JSON file of many megabytes. Checkpoints are
/// laid only as far as the furthest offset asked for: the labels of most
/// findings are in the protocol section, near the start of a file whose
/// results section may be most of it.
pub struct Positions<'a> {
    src: &'a SourceFile,
    /// Ascending, one every [`CHECKPOINT`] bytes from the start.
    checkpoints: RefCell<Vec<Checkpoint>>,
}

/// What is known at a byte offset (a char boundary) of the text.
#[derive(Clone, Copy)]
struct Checkpoint {
    byte: usize,
    /// characters before it
    chars: usize,
    /// line breaks before it
    lines: usize,
    /// where its line starts
    line_start: usize,
}

/// Bytes between character-count checkpoints.
const CHECKPOINT: usize = 1024;

impl<'a> Positions<'a> {
    pub fn new(src: &'a SourceFile) -> Positions<'a> {
        let start = Checkpoint {
            byte: 0,
            chars: 0,
            lines: 0,
            line_start: 0,
        };
        Positions {
            src,
            checkpoints: RefCell::new(vec![start]),
        }
    }

    /// The last checkpoint at or before byte `b`, laying checkpoints up to
    /// it first.
    fn checkpoint(&self, b: usize) -> Checkpoint {
        let text = &self.src.text;
        let mut checkpoints = self.checkpoints.borrow_mut();
        let mut at = *checkpoints
            .last()
            .expect("the first checkpoint is laid at creation");
        while at.byte + CHECKPOINT <= b && at.byte + CHECKPOINT < text.len() {
            let mut next = at.byte + CHECKPOINT;
            while !text.is_char_boundary(next) {
                next += 1;
            }
            let block = &text[at.byte..next];
            let (chars, lines) = crate::source::chars_and_lines(block.as_bytes());
            at = Checkpoint {
                byte: next,
                chars: at.chars + chars,
                lines: at.lines + lines,
                line_start: memchr::memrchr(b'\n', block.as_bytes())
                    .map_or(at.line_start, |k| at.byte + k + 1),
            };
            checkpoints.push(at);
        }
        let k = checkpoints.partition_point(|c| c.byte <= b) - 1;
        checkpoints[k]
    }

    /// Characters before a byte offset of the text (a char boundary).
    fn chars_at(&self, b: usize) -> usize {
        let c = self.checkpoint(b);
        c.chars + self.src.text[c.byte..b].chars().count()
    }

    /// Of a byte offset of the text (a char boundary): its 0-based line,
    /// its 0-based column in characters, and the characters before it,
    /// counted from one checkpoint.
    fn locate(&self, b: usize) -> (usize, usize, usize) {
        let text = &self.src.text;
        let c = self.checkpoint(b);
        let block = &text[c.byte..b];
        let (block_chars, block_lines) = crate::source::chars_and_lines(block.as_bytes());
        let chars = c.chars + block_chars;
        let column = match memchr::memrchr(b'\n', block.as_bytes()) {
            Some(k) => block[k + 1..].chars().count(),
            // a line that starts before the checkpoint
            None => chars - self.chars_at(c.line_start),
        };
        (c.lines + block_lines, column, chars)
    }

    /// A file offset as a char boundary of the text.
    fn local(&self, offset: usize) -> usize {
        let text = &self.src.text;
        let mut o = self.src.local(offset).min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// The full position of a file offset.
    pub fn position(&self, offset: usize) -> crate::source::Position {
        if let Some(m) = &self.src.marks {
            return m.position(offset).unwrap_or(crate::source::Position {
                line: 1,
                column: 1,
                char_offset: 0,
            });
        }
        let (line, column, chars) = self.locate(self.local(offset));
        let (line, column) = self.numbered(line, column);
        crate::source::Position {
            line,
            column,
            char_offset: self.src.first_char + chars,
        }
    }

    /// The full positions of file offsets given in ascending order, counted
    /// in one pass over the text up to the last of them. ([`position`]
    /// lays checkpoints up to the furthest offset and then counts again
    /// from a checkpoint for each offset, up to a kilobyte each, and its
    /// column from the line's start: 5,000 instructions a record of the
    /// 13,000 that positions cost.) An offset out of order is counted the
    /// [`position`] way.
    ///
    /// [`position`]: Positions::position
    pub fn ascending(&self, offsets: &[usize]) -> Vec<crate::source::Position> {
        if self.src.marks.is_some() {
            return offsets.iter().map(|&o| self.position(o)).collect();
        }
        let text = self.src.text.as_bytes();
        // what is known at byte `at`: characters and line breaks before it,
        // and characters before the start of its line
        let (mut at, mut chars, mut lines, mut line_start_chars) = (0, 0, 0, 0);
        let mut out = Vec::with_capacity(offsets.len());
        for &o in offsets {
            let b = self.local(o);
            if b < at {
                out.push(self.position(o));
                continue;
            }
            let block = &text[at..b];
            let (block_chars, block_lines) = crate::source::chars_and_lines(block);
            if let Some(k) = memchr::memrchr(b'\n', block) {
                let (after_break, _) = crate::source::chars_and_lines(&block[k + 1..]);
                line_start_chars = chars + block_chars - after_break;
            }
            (at, chars, lines) = (b, chars + block_chars, lines + block_lines);
            let (line, column) = self.numbered(lines, chars - line_start_chars);
            out.push(crate::source::Position {
                line,
                column,
                char_offset: self.src.first_char + chars,
            });
        }
        out
    }

    /// A 0-based line and column of the text in the file's 1-based numbering.
    fn numbered(&self, line: usize, column: usize) -> (usize, usize) {
        // a window may start in the middle of its first line
        let column = column + 1 + if line == 0 { self.src.first_col } else { 0 };
        (line + self.src.first_line.max(1), column)
    }

    /// Line and column of a file offset (in the file's numbering).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let p = self.position(offset);
        (p.line, p.column)
    }

    /// Offset in characters from the start of the file, if known (not for
    /// an offset a source without its text did not mark).
    pub fn char_offset(&self, offset: usize) -> Option<usize> {
        match &self.src.marks {
            Some(m) => m.position(offset).map(|p| p.char_offset),
            None => Some(self.position(offset).char_offset),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the position tests: multi-byte characters and line
    /// breaks at every distance from each other.
    fn mixed_text() -> String {
        (0..3000)
            .map(|i| match i % 7 {
                0 => "é".to_string(),
                1 => "\n".to_string(),
                2 => "日本".to_string(),
                _ => "ab".to_string(),
            })
            .collect()
    }

    /// Offsets counted in one pass are where [`Positions::position`] puts
    /// them: every char boundary, every 37th, and runs with repeats, out of
    /// order offsets and offsets past the end; in a whole file and in a
    /// window of one.
    #[test]
    fn ascending_positions_agree_with_position() {
        let text = mixed_text();
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&o| text.is_char_boundary(o))
            .collect();
        let sparse: Vec<usize> = bounds.iter().step_by(37).copied().collect();
        let repeats: Vec<usize> = bounds.iter().flat_map(|&o| [o, o]).take(500).collect();
        let disordered: Vec<usize> = vec![10, 5000, 20, 20, 7000, 3, text.len() + 50];
        let cut = (1000..).find(|&o| text.is_char_boundary(o)).unwrap();
        let mut window = SourceFile::new("w", text[cut..].to_string());
        window.offset = cut;
        window.first_line = 40;
        window.first_col = 3;
        window.first_char = 900;
        window.file_len = text.len();
        let whole = SourceFile::new("t", text.clone());
        for src in [&whole, &window] {
            for offsets in [&bounds, &sparse, &repeats, &disordered] {
                let reference = Positions::new(src);
                let want: Vec<_> = offsets.iter().map(|&o| reference.position(o)).collect();
                assert_eq!(Positions::new(src).ascending(offsets), want);
            }
        }
    }

    #[test]
    fn positions_agree_with_counting() {
        let text = mixed_text();
        let src = SourceFile::new("t", text.clone());
        let starts = super::super::excerpt::line_starts(&text);
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&o| text.is_char_boundary(o))
            .collect();
        // asked in order, backwards, and from the far end first: the
        // checkpoints are laid as far as the furthest offset asked for
        let backwards: Vec<usize> = bounds.iter().rev().copied().collect();
        let far_first: Vec<usize> = bounds
            .iter()
            .step_by(97)
            .rev()
            .chain(&bounds)
            .copied()
            .collect();
        for order in [&bounds, &backwards, &far_first] {
            let pos = Positions::new(&src);
            for &o in order {
                assert_eq!(
                    pos.line_col(o),
                    super::super::line_col(&text, &starts, o),
                    "{o}"
                );
                assert_eq!(pos.char_offset(o), Some(text[..o].chars().count()));
            }
        }
    }
}
