#![no_main]
//! Offset maps: build a decoded text from random pieces (verbatim copies,
//! decoded units, synthetic glue, appended texts) over a random source, then
//! check the span invariants for random ranges, slices and trims:
//! - every span lies inside the source and runs forwards;
//! - a verbatim piece maps one to one: its source bytes equal its text;
//! - spans are monotone: a later range never starts before an earlier one
//!   (pieces are laid out in source order here);
//! - a slice keeps the spans of the text it was cut from;
//! - trimming keeps the text's non-space content and its spans.

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use trialint::span::{Span, Text, TextBuilder};

#[derive(Arbitrary, Debug)]
enum Piece {
    /// Copy `len` source bytes (from the current source position).
    Verbatim { len: u8 },
    /// Decode `src_len` source bytes to the text `with`.
    Decoded { src_len: u8, with: String },
    /// Glue with no source.
    Synthetic { with: String },
    /// Skip source bytes (markup dropped by a reader).
    Skip { len: u8 },
}

#[derive(Arbitrary, Debug)]
struct Input {
    source: String,
    pieces: Vec<Piece>,
    ranges: Vec<(u16, u16)>,
}

fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn build(source: &str, pieces: &[Piece]) -> (Text, Vec<(usize, usize, usize)>) {
    let mut b = TextBuilder::new();
    let mut pos = 0;
    let mut verbatims = Vec::new();
    for p in pieces {
        match p {
            Piece::Verbatim { len } => {
                let end = floor(source, pos + *len as usize);
                let dec = b.len();
                b.verbatim(&source[pos..end], pos);
                verbatims.push((dec, pos, end - pos));
                pos = end;
            }
            Piece::Decoded { src_len, with } => {
                let end = floor(source, pos + *src_len as usize);
                b.decoded(with, pos, end);
                pos = end;
            }
            Piece::Synthetic { with } => b.synthetic(with, pos),
            Piece::Skip { len } => pos = floor(source, pos + *len as usize),
        }
    }
    (b.finish(), verbatims)
}

fn inside(span: Span, source: &str) {
    assert!(span.start <= span.end, "backwards span {span:?}");
    assert!(
        span.end <= source.len(),
        "span {span:?} past {}",
        source.len()
    );
}

fuzz_target!(|input: Input| {
    let source = input.source.as_str();
    let (text, verbatims) = build(source, &input.pieces);
    let n = text.text.len();
    inside(text.whole_span(), source);

    // Verbatim pieces map one to one.
    for &(dec, src, len) in &verbatims {
        if len > 0 {
            let span = text.span(dec, dec + len);
            assert_eq!(span, Span::new(src, src + len));
            assert_eq!(&source[span.start..span.end], &text.text[dec..dec + len]);
        }
    }

    // Appending keeps every span.
    let mut b = TextBuilder::new();
    b.append(&text);
    let again = b.finish();
    assert_eq!(again.text, text.text);

    let mut last_start = 0;
    let mut ranges: Vec<(usize, usize)> = input
        .ranges
        .iter()
        .map(|&(a, z)| {
            let a = floor(&text.text, a as usize % (n + 1));
            let z = floor(&text.text, z as usize % (n + 1));
            (a.min(z), a.max(z))
        })
        .collect();
    ranges.sort();
    for (a, z) in ranges {
        let span = text.span(a, z);
        inside(span, source);
        assert_eq!(again.span(a, z), span, "append changed a span");
        assert!(span.start >= last_start, "spans not monotone");
        last_start = span.start;

        let slice = text.slice(a, z);
        assert_eq!(slice.text, &text.text[a..z]);
        if a < z {
            inside(slice.whole_span(), source);
            assert_eq!(slice.whole_span(), span, "slice changed the span");
        }
        let trimmed = slice.trimmed();
        assert_eq!(trimmed.text, slice.text.trim());
        inside(trimmed.whole_span(), source);
        if !trimmed.text.is_empty() {
            let w = trimmed.whole_span();
            assert!(
                w.start >= span.start && w.end <= span.end,
                "trim grew the span"
            );
        }
    }
});
