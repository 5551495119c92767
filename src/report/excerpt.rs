//! A view of a source file that holds only the lines a finding labels, with
//! very long lines (JSON free text is often one 5,000-character line) cut to
//! windows around each label. It implements codespan's `Files`, reporting the
//! ORIGINAL line and column numbers, so the rendered diagnostic stays short
//! and its locations stay true. Control characters from record text are
//! replaced so they cannot drive the terminal.

use codespan_reporting::files::{Error, Files};
use std::ops::Range;

/// Lines longer than this (in bytes) are shown as windows around labels.
const LONG_LINE: usize = 200;
/// Bytes of context kept on each side of a label in a long line.
const CONTEXT: usize = 60;
/// A label longer than this in a long line shows only its two ends.
const LONG_LABEL: usize = 160;

struct Piece {
    syn: usize,
    orig: usize,
    len: usize,
}

struct Line {
    range: Range<usize>,
    number: usize,
    orig_start: usize,
    pieces: Vec<Piece>,
}

pub struct Excerpt<'a> {
    name: &'a str,
    orig: &'a str,
    text: String,
    lines: Vec<Line>,
    /// Where `orig` starts in its file (a window of a large file).
    offset: usize,
    first_line: usize,
    /// Characters before `orig` on its first line (a window that starts
    /// in the middle of a line).
    first_col: usize,
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Start offsets of every line of `s`.
pub fn line_starts(s: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', s.as_bytes()).map(|i| i + 1))
        .collect()
}

/// Replace control characters (other than tab) byte for byte, so offsets
/// are unchanged.
fn sanitize(s: &str, out: &mut String) {
    for c in s.chars() {
        if (c.is_control() && c != '\t') || super::is_bidi_control(c) {
            for _ in 0..c.len_utf8() {
                out.push('?');
            }
        } else {
            out.push(c);
        }
    }
}

impl<'a> Excerpt<'a> {
    /// Build the view of `orig` needed to show `spans`.
    pub fn new(
        name: &'a str,
        orig: &'a str,
        starts: &[usize],
        spans: &[Range<usize>],
    ) -> Excerpt<'a> {
        let line_of = |off: usize| starts.partition_point(|&s| s <= off).saturating_sub(1);
        // original line -> byte points that must be visible on it
        let mut wanted: std::collections::BTreeMap<usize, Vec<(usize, usize)>> = Default::default();
        for sp in spans {
            let (s, e) = (
                sp.start.min(orig.len()),
                sp.end.min(orig.len()).max(sp.start.min(orig.len())),
            );
            let (ls, le) = (line_of(s), line_of(e.saturating_sub(1).max(s)));
            if le - ls > 4 {
                // a long multi-line label: its first and last lines suffice
                wanted.entry(ls).or_default().push((s, s));
                wanted.entry(le).or_default().push((e, e));
            } else {
                for l in ls..=le {
                    let lstart = starts[l];
                    let lend = starts.get(l + 1).map(|x| x - 1).unwrap_or(orig.len());
                    wanted
                        .entry(l)
                        .or_default()
                        .push((s.max(lstart), e.min(lend)));
                }
            }
        }
        let mut text = String::new();
        let mut lines = Vec::new();
        for (l, points) in wanted {
            let lstart = starts[l];
            let mut lend = starts.get(l + 1).map(|x| x - 1).unwrap_or(orig.len());
            if lend > lstart && orig.as_bytes()[lend - 1] == b'\r' {
                lend -= 1;
            }
            let syn_start = text.len();
            let mut pieces = Vec::new();
            if lend - lstart <= LONG_LINE {
                pieces.push((lstart, lend));
            } else {
                let mut windows: Vec<(usize, usize)> = Vec::new();
                for (s, e) in points {
                    if e - s > LONG_LABEL {
                        windows.push((s.saturating_sub(CONTEXT), s + LONG_LABEL / 2));
                        windows.push((e - LONG_LABEL / 2, e + CONTEXT));
                    } else {
                        windows.push((s.saturating_sub(CONTEXT), e + CONTEXT));
                    }
                }
                windows.sort();
                for (s, e) in windows {
                    let s = ceil_char(orig, s.max(lstart));
                    let e = floor_char(orig, e.min(lend));
                    match pieces.last_mut() {
                        Some((_, pe)) if s <= *pe + 8 => *pe = (*pe).max(e),
                        _ => pieces.push((s, e)),
                    }
                }
            }
            let mut line_pieces = Vec::new();
            for (k, (s, e)) in pieces.iter().enumerate() {
                if k > 0 || *s > lstart {
                    text.push_str(" … ");
                }
                line_pieces.push(Piece {
                    syn: text.len(),
                    orig: *s,
                    len: e - s,
                });
                sanitize(&orig[*s..*e], &mut text);
            }
            if pieces.last().is_some_and(|(_, e)| *e < lend) {
                text.push_str(" …");
            }
            text.push('\n');
            lines.push(Line {
                range: syn_start..text.len(),
                number: l + 1,
                orig_start: lstart,
                pieces: line_pieces,
            });
        }
        Excerpt {
            name,
            orig,
            text,
            lines,
            offset: 0,
            first_line: 1,
            first_col: 0,
        }
    }

    /// Declare that `orig` is a window starting at byte `offset`, line
    /// `first_line` of its file, so reported positions are the file's.
    pub fn with_position(mut self, offset: usize, first_line: usize) -> Excerpt<'a> {
        self.offset = offset;
        self.first_line = first_line.max(1);
        self
    }

    /// Declare that `orig` starts `first_col` characters into its first line.
    pub fn with_first_col(mut self, first_col: usize) -> Excerpt<'a> {
        self.first_col = first_col;
        self
    }

    /// [`Excerpt::map`] for a FILE offset.
    pub fn map_file(&self, file_offset: usize) -> usize {
        self.map(file_offset.saturating_sub(self.offset))
    }

    /// Where an original byte offset appears in the view (the nearest shown
    /// byte when it falls in a cut).
    pub fn map(&self, off: usize) -> usize {
        let mut best = 0;
        for line in &self.lines {
            for p in &line.pieces {
                if off < p.orig {
                    return if best == 0 { p.syn } else { best };
                }
                if off <= p.orig + p.len {
                    return p.syn + (off - p.orig);
                }
                best = p.syn + p.len;
            }
        }
        best
    }

    fn orig_offset(&self, line: &Line, syn: usize) -> usize {
        for p in &line.pieces {
            if syn >= p.syn && syn <= p.syn + p.len {
                return p.orig + (syn - p.syn);
            }
        }
        line.pieces
            .first()
            .map(|p| p.orig)
            .unwrap_or(line.orig_start)
    }
}

impl<'a> Files<'a> for Excerpt<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, _: ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, _: (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .partition_point(|l| l.range.end <= byte_index)
            .min(self.lines.len().saturating_sub(1)))
    }

    fn line_number(&'a self, _: (), line_index: usize) -> Result<usize, Error> {
        self.lines
            .get(line_index)
            .map(|l| l.number + self.first_line - 1)
            .ok_or(Error::LineTooLarge {
                given: line_index,
                max: self.lines.len(),
            })
    }

    fn line_range(&'a self, _: (), line_index: usize) -> Result<Range<usize>, Error> {
        self.lines
            .get(line_index)
            .map(|l| l.range.clone())
            .ok_or(Error::LineTooLarge {
                given: line_index,
                max: self.lines.len(),
            })
    }

    fn column_number(
        &'a self,
        _: (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let line = self.lines.get(line_index).ok_or(Error::LineTooLarge {
            given: line_index,
            max: self.lines.len(),
        })?;
        let o = floor_char(self.orig, self.orig_offset(line, byte_index));
        let start = line.orig_start.min(o);
        let before = if line.orig_start == 0 {
            self.first_col
        } else {
            0
        };
        Ok(self.orig[start..o].chars().count() + 1 + before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_become_windows_with_true_positions() {
        let long = format!(
            "{{\"a\": \"{}TARGET{}\"}}",
            "x".repeat(3000),
            "y".repeat(3000)
        );
        let src = format!("line one\n{long}\n");
        let starts = line_starts(&src);
        let at = src.find("TARGET").unwrap();
        let ex = Excerpt::new("f.json", &src, &starts, std::slice::from_ref(&(at..at + 6)));
        assert!(ex.text.len() < 300, "{}", ex.text.len());
        let m = ex.map(at);
        assert_eq!(&ex.text[m..m + 6], "TARGET");
        let li = ex.line_index((), m).unwrap();
        assert_eq!(ex.line_number((), li).unwrap(), 2);
        assert_eq!(ex.column_number((), li, m).unwrap(), at - 9 + 1);
    }

    #[test]
    fn control_characters_are_neutralised() {
        let src = "a\u{1b}[31mred\n";
        let ex = Excerpt::new("f", src, &line_starts(src), std::slice::from_ref(&(0..3)));
        assert!(!ex.text.contains('\u{1b}'));
    }
}
