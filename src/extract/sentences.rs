//! Sentence boundaries in prose, good enough for reading counts: a sentence
//! ends at `.`, `!` or `?` followed by white space and a capital letter, a
//! digit, a bullet or the end, and at a line break (or, for hard-wrapped
//! text, at the end of a logical line: see [`logical_lines`]). Decimals ("1.5"),
//! abbreviations ("e.g.", "approx.", "vs.") and "n=23" do not end one.

// the pattern of [`starts_item`], the tests' reference
#[cfg(test)]
use regex::Regex;
#[cfg(test)]
use std::sync::LazyLock;

/// Byte ranges of the sentences of `text` (untrimmed, non-empty). Lines
/// are first joined into logical lines (a hard-wrapped sentence stays one),
/// then split at sentence ends.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(room(text));
    for (ls, le) in logical_lines(text) {
        // into the one list (a list per logical line was an allocation each)
        split_into(&text[ls..le], ls, false, &mut out);
    }
    out
}

/// Like [`sentences`], but a line break does not end a sentence (for
/// hard-wrapped text already joined into paragraphs).
pub fn sentences_across_lines(text: &str) -> Vec<(usize, usize)> {
    split(text, false)
}

/// Room for the ranges of `text`'s sentences or lines: one per 64 bytes
/// (most are longer), at least the four a list's first push makes room
/// for. Grown from empty, each list was reallocated a few times for a
/// long text (about 12 reallocations a record, each a copy).
fn room(text: &str) -> usize {
    (text.len() / 64).max(4)
}

/// Lines joined where hard-wrapped text goes on: a line continues the
/// previous one unless either is blank, the previous ends a sentence or a
/// heading, or the line starts a new item (a bullet or a number).
pub fn logical_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(room(text));
    let mut pos = 0;
    // the previous line may continue
    let mut prev_open = false;
    // The lines are what `text.split('\n')` gives (the last one after the
    // last line break, empty or not), found with memchr: the split's
    // searcher cost some 115 instructions a line, and eligibility criteria
    // are read here line by line (860 → 856 million instructions per 1,000
    // records, −0.5%). A line is blank, and ends with a stop, as its
    // trimmed end says (trimming its start too changed neither answer).
    let b = text.as_bytes();
    loop {
        let s = pos;
        let e = memchr::memchr(b'\n', &b[s..]).map_or(b.len(), |k| s + k);
        let line = &text[s..e];
        pos = e + 1;
        let t = line.trim_end();
        if t.is_empty() {
            prev_open = false;
        } else {
            match out.last_mut() {
                Some(last) if prev_open && !starts_item(line) => last.1 = e,
                _ => out.push((s, e)),
            }
            prev_open = !t.ends_with(['.', ':', ';']);
        }
        if e == b.len() {
            return out;
        }
    }
}

/// A new item: a bullet or a number. Matched by hand ([`starts_item`]);
/// the pattern is the reference of the tests. (It is compiled in Unicode
/// mode: its bullets are not ASCII, so `\s` is any white space.)
#[cfg(test)]
static ITEM_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"^\s*(?:[-*•·–]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]\s|[ivx]{1,4}[.)]\s)",
    )
    .unwrap()
});

/// Whether `line` starts with what [`ITEM_RE`] matches, answered by hand:
/// after white space, a bullet; or one or two digits (after an optional
/// "("; a third digit where the stop should be fails both cuts) and a
/// stop; or one letter (after an optional "(") or one to four of "ivx"
/// (a fifth fails every cut), a stop and white space. The "(" is taken
/// whenever it is there: without it, the alternative would have to start
/// at the "(", which none can. The pattern ran on every line that may
/// continue the one before it (four a record), each call hundreds of
/// instructions to read a few bytes.
fn starts_item(line: &str) -> bool {
    let t = line.trim_start_matches(char::is_whitespace);
    let r = t.as_bytes();
    if r.starts_with(b"-")
        || r.starts_with(b"*")
        || ["•", "·", "–"].iter().any(|c| t.starts_with(c))
    {
        return true;
    }
    let stop = |i: usize| matches!(r.get(i), Some(b'.' | b')'));
    // `\s` after the stop: white space in Unicode mode
    let space = |i: usize| {
        t.get(i..)
            .and_then(|x| x.chars().next())
            .is_some_and(char::is_whitespace)
    };
    let run = |from: usize, f: fn(&u8) -> bool| {
        r.get(from..)
            .map_or(0, |x| x.iter().take_while(|c| f(c)).count())
    };
    let o = usize::from(r.first() == Some(&b'('));
    let d = run(o, u8::is_ascii_digit);
    if (1..=2).contains(&d) && stop(o + d) {
        return true;
    }
    if r.get(o).is_some_and(u8::is_ascii_alphabetic) && stop(o + 1) && space(o + 2) {
        return true;
    }
    let v = run(0, |c| matches!(c, b'i' | b'v' | b'x'));
    (1..=4).contains(&v) && stop(v) && space(v + 1)
}

fn split(text: &str, at_line_breaks: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(room(text));
    split_into(text, 0, at_line_breaks, &mut out);
    out
}

/// [`split`], each range moved by `base`, pushed to `out`.
fn split_into(text: &str, base: usize, at_line_breaks: bool, out: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    let mut start = 0;
    // Only a stop or a line break can end a sentence: they are looked for
    // with memchr, which skips the bytes between them many at a time, and
    // each kind's next position is kept until it is passed.
    let stop_from = |i: usize| memchr::memchr3(b'.', b'!', b'?', &b[i..]).map(|k| i + k);
    let break_from = |i: usize| {
        if at_line_breaks {
            memchr::memchr2(b'\n', b'\r', &b[i..]).map(|k| i + k)
        } else {
            None
        }
    };
    let (mut stop, mut line_break) = (stop_from(0), break_from(0));
    while let Some(i) = match (stop, line_break) {
        (Some(s), Some(l)) => Some(s.min(l)),
        (s, l) => s.or(l),
    } {
        if stop == Some(i) {
            stop = stop_from(i + 1);
        }
        let is_break = line_break == Some(i);
        if is_break {
            line_break = break_from(i + 1);
        }
        if is_break || ends_here(text, i) {
            let e = i + 1;
            if text[start..e].trim().len() > 1 {
                out.push((base + start, base + e));
            }
            start = e;
        }
    }
    if start < b.len() && !text[start..].trim().is_empty() {
        out.push((base + start, base + b.len()));
    }
}

fn ends_here(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    // must be followed by white space (or the end)
    let Some(&next) = b.get(i + 1) else {
        return true;
    };
    if !next.is_ascii_whitespace() {
        return false;
    }
    if b[i] == b'.' {
        // the word before the dot
        let ws = text[..i]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphanumeric())
            .map(|(p, c)| p + c.len_utf8())
            .unwrap_or(0);
        // compared without case in place: a lower-cased copy was an
        // allocation per stop
        let word = &text[ws..i];
        const ABBR: &[&str] = &[
            "e.g", "i.e", "eg", "ie", "vs", "approx", "dr", "prof", "no", "fig", "al", "etc", "ca",
            "resp", "min", "max", "mr", "mrs", "ms", "st", "inc", "co", "ltd", "mg", "ml", "kg",
            "g",
        ];
        if ABBR.iter().any(|a| a.eq_ignore_ascii_case(word))
            || (word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic())
        {
            // "e.g." ends in "g"; single letters are initials
            if !word.eq_ignore_ascii_case("etc") {
                return false;
            }
        }
        if text[..i].ends_with("e.g") || text[..i].ends_with("i.e") {
            return false;
        }
    }
    // the next non-space character starts a new sentence?
    let rest = text[i + 1..].trim_start_matches([' ', '\t']);
    match rest.chars().next() {
        None => true,
        Some(ch) => {
            ch.is_uppercase()
                || ch.is_ascii_digit()
                || matches!(ch, '\n' | '\r' | '(' | '[' | '*' | '-' | '•' | '"' | '“')
        }
    }
}

#[cfg(test)]
mod tests {
    /// The splitter before it looked for stops with memchr: every byte in
    /// turn. Kept as the reference.
    fn split_bytewise(text: &str, at_line_breaks: bool) -> Vec<(usize, usize)> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut start = 0;
        for (i, &c) in b.iter().enumerate() {
            if (at_line_breaks && (c == b'\n' || c == b'\r'))
                || ((c == b'.' || c == b'!' || c == b'?') && ends_here(text, i))
            {
                let e = i + 1;
                if text[start..e].trim().len() > 1 {
                    out.push((start, e));
                }
                start = e;
            }
        }
        if start < b.len() && !text[start..].trim().is_empty() {
            out.push((start, b.len()));
        }
        out
    }

    #[test]
    fn splits_as_bytewise_on_every_fixture() {
        let mut texts: Vec<String> = ["", ".", "a.\r\nb!? c", "e.g. x. Dr. Y\n\n?", "é. ü!\rZ"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        texts.extend(crate::extract::fixture_texts());
        assert!(texts.len() > 20);
        for t in &texts {
            for lines in [false, true] {
                assert_eq!(split(t, lines), split_bytewise(t, lines), "{t:?}");
            }
        }
    }

    use super::*;

    /// [`logical_lines`] as it was written, over `text.split('\n')`.
    fn logical_lines_split(text: &str) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut pos = 0;
        let mut prev_open = false;
        for line in text.split('\n') {
            let (s, e) = (pos, pos + line.len());
            pos = e + 1;
            let t = line.trim();
            if t.is_empty() {
                prev_open = false;
                continue;
            }
            match out.last_mut() {
                Some(last) if prev_open && !starts_item(line) => last.1 = e,
                _ => out.push((s, e)),
            }
            prev_open = !t.ends_with(['.', ':', ';']);
        }
        out
    }

    #[test]
    fn logical_lines_are_those_of_the_split() {
        let pieces = [
            "\n", "\n\n", " ", "\t", "\r", "\u{a0}", "\u{2003}", "word", "Word", ".", ":", ";",
            "- ", "* ", "1. ", "(a) ", "ii) ", "•", "é", "x",
        ];
        let mut texts = crate::extract::random_texts(&pieces, 20_000, 16, 0x11e5);
        texts.extend(crate::extract::fixture_texts());
        texts.extend(["", "\n", "a\n", "\na", "a.\nb\n\n"].map(String::from));
        let mut joined = 0;
        for t in &texts {
            let want = logical_lines_split(t);
            joined += want
                .iter()
                .filter(|(s, e)| t[*s..*e].contains('\n'))
                .count();
            assert_eq!(logical_lines(t), want, "{t:?}");
        }
        assert!(joined > 1_000, "{joined}");
    }

    #[test]
    fn items_by_hand_are_the_patterns() {
        let pieces = [
            " ", "\t", "\u{a0}", "\u{2003}", "\r", "-", "*", "•", "·", "–", "—", "(", ")", ".",
            "1", "12", "123", "a", "Z", "i", "v", "x", "iv", "xxiv", "é", "_", ",",
        ];
        let mut texts = crate::extract::random_texts(&pieces, 50_000, 7, 0x853c_49e6_748f_ea9b);
        for t in crate::extract::fixture_texts() {
            texts.extend(t.split('\n').map(str::to_string));
        }
        let mut items = 0;
        for t in &texts {
            let want = ITEM_RE.is_match(t);
            items += usize::from(want);
            assert_eq!(starts_item(t), want, "{t:?}");
        }
        assert!(items > 5_000, "{items}");
    }

    #[test]
    fn splits() {
        let t = "A total of 1.5 mg, e.g. this. Next one here! And (n=23 each). Last\nline";
        let s: Vec<&str> = sentences(t).iter().map(|&(a, b)| t[a..b].trim()).collect();
        assert_eq!(
            s,
            vec![
                "A total of 1.5 mg, e.g. this.",
                "Next one here!",
                "And (n=23 each).",
                "Last\nline"
            ]
        );
        let t = "Heading:\n* 40 patients\n* will be\n  enrolled\n\nNew paragraph";
        let s: Vec<&str> = sentences(t).iter().map(|&(a, b)| t[a..b].trim()).collect();
        assert_eq!(
            s,
            vec![
                "Heading:",
                "* 40 patients",
                "* will be\n  enrolled",
                "New paragraph"
            ]
        );
    }
}
