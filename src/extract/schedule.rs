//! Schedules: lists of visits or doses written with a unit of time, "day 180
//! ± 14 and day 270 ± 14", "Study Month 7, and Study Month 10", "Weeks 4, 8
//! and 12", "at 3, 6 and 12 months".
//!
//! A list is two or more time points in ONE unit joined by commas, "and" or
//! "&", strictly increasing. A unit written before the number ("Day 180")
//! may be repeated for every point or given once ("Days 1, 8, and 15"); a
//! unit written after the numbers ("3, 6 and 12 months") closes the list.
//! Ranges ("Days 1-5", "from day 1 to day 28", "between 6 and 12 months"),
//! alternatives ("3 or 6 months"), ages ("6 and 12 months of age") and
//! single points are not lists. A visit window after a point ("± 14",
//! "(+/- 3 days)") is skipped.
//!
//! Facts (Schedule; owner: the outcome, arm or intervention):
//! - `schedule.outcome`: lists in an outcome's measure, description or time frame;
//! - `schedule.design`: lists in the brief summary, detailed description,
//!   arm descriptions and intervention descriptions.

use super::numbers::next_digit;
use super::{names, Fact, Origin, Value};
use crate::extract::patterns::is_ascii_word_byte as word_byte;
use crate::record::{keys, Record};
use regex::Regex;
use std::fmt;
use std::sync::LazyLock;

/// The unit a schedule is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    Day,
    Week,
    Month,
    Year,
}

impl TimeUnit {
    fn parse(s: &str) -> Option<TimeUnit> {
        // the first letters compared without case, in place (a lower-cased
        // copy was an allocation per unit word read)
        let u = s.as_bytes();
        let first = u.first()?.to_ascii_lowercase();
        Some(if first == b'd' {
            TimeUnit::Day
        } else if first == b'w' {
            TimeUnit::Week
        } else if u.len() >= 2 && u[..2].eq_ignore_ascii_case(b"mo") {
            TimeUnit::Month
        } else if first == b'y' {
            TimeUnit::Year
        } else {
            return None;
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
            TimeUnit::Year => "year",
        }
    }

    /// Days in one unit, nominally.
    pub fn nominal_days(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 30.44,
            TimeUnit::Year => 365.25,
        }
    }

    /// The days "`self` n" can mean, inclusive, allowing for the usual
    /// conventions: day 0 or day 1 as the first day, a week as its first to
    /// its last day ("Week 2 (Day 8)"), a month of 28 to 31 days ("Month 12
    /// (Day 336)"), a year of 48 weeks to 366 days, plus a few days.
    pub fn day_range(self, n: f64) -> (f64, f64) {
        match self {
            TimeUnit::Day => (n - 1.0, n + 1.0),
            TimeUnit::Week => (7.0 * n - 6.0, 7.0 * n + 1.0),
            TimeUnit::Month => (28.0 * n - 3.0, 31.0 * n + 3.0),
            TimeUnit::Year => (336.0 * n - 7.0, 366.0 * n + 14.0),
        }
    }
}

/// Time points in one unit, in the order written.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    pub unit: TimeUnit,
    pub at: Vec<f64>,
}

impl Schedule {
    /// "day 180 and day 270".
    pub fn describe(&self) -> String {
        let mut out = String::new();
        self.describe_into(&mut out);
        out
    }

    /// [`Schedule::describe`], written at the end of `out`: the points
    /// were a string each, joined into a third (an allocation per point
    /// for every schedule fact's explanation).
    pub fn describe_into(&self, out: &mut String) {
        use std::fmt::Write;
        let k = self.at.len();
        for (j, n) in self.at.iter().enumerate() {
            if j > 0 {
                out.push_str(if j + 1 == k { " and " } else { ", " });
            }
            out.push_str(self.unit.name());
            out.push(' ');
            let _ = write!(out, "{}", Num(*n));
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<String> = self
            .at
            .iter()
            .map(|n| format!("{} {}", self.unit.name(), num(*n)))
            .collect();
        f.write_str(&items.join(", "))
    }
}

fn num(n: f64) -> String {
    Num(n).to_string()
}

/// A point as written in explanations: whole numbers without a fraction.
struct Num(f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        if (n - n.round()).abs() < 1e-9 {
            write!(f, "{}", n.round() as i64)
        } else {
            write!(f, "{n}")
        }
    }
}

const UNIT: &str = r"(days?|weeks?|wks?|months?|mos?|years?|yrs?)";
const NUMBER: &str = r"(\d{1,4}(?:\.\d{1,2})?)";
/// ", ", ", and ", " and ", " & ".
const SEP: &str = r"(?:\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*)";

/// A unit of time: the anchor of every list. Not inside a word ("today",
/// "mosquito"), checked by [`unit_word`]; a number may touch it ("day1",
/// "12week"). Matched by hand ([`find_unit_word`]); the pattern is the
/// reference of the tests.
#[cfg(test)]
static UNIT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(&format!(r"(?i)(?:(?-u:\b)|\d){UNIT}(?:(?-u:\b)|\d)"))
        .unwrap()
});

/// Whether `text[s..e]` is a whole unit word: no letter just before or after.
fn unit_word(text: &str, s: usize, e: usize) -> bool {
    let b = text.as_bytes();
    let letter = |i: usize| b[i].is_ascii_alphabetic();
    let before = s > 0 && letter(s - 1);
    let after = e < b.len() && letter(e);
    !before && !after
}

/// The first point after a unit word: "Day 180". Matched by hand
/// ([`first_point`]); the pattern is the reference of the tests.
#[cfg(test)]
static FIRST: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(&format!(r"^[ \t]*{NUMBER}(?-u:\b)")).unwrap()
});

/// The number [`FIRST`] captures at the start of `s`, as its start and
/// end (the end of the match too): spaces and tabs, one to four digits
/// and a decimal part of one or two digits, then a word boundary.
///
/// Answered by hand, as the pattern's leftmost-first match reads: with
/// more than four digits no cut of them is followed by a boundary (a
/// digit follows) nor by a point, so nothing matches; with four or fewer
/// all are taken, for the same reason. The decimal part is taken when a
/// boundary follows its one or two digits (with a third digit after
/// them, neither cut is followed by one); else the match ends before the
/// point, a boundary after a digit. This ran as a captures search of the
/// slow engine for every unit word followed by a digit (three a record).
fn first_point(s: &[u8]) -> Option<(usize, usize)> {
    let digits = |from: usize| {
        s.get(from..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
    };
    let boundary = |i: usize| s.get(i).is_none_or(|&c| !word_byte(c));
    let p = s
        .iter()
        .position(|&c| c != b' ' && c != b'\t')
        .unwrap_or(s.len());
    let d = digits(p);
    if !(1..=4).contains(&d) {
        return None;
    }
    let e = p + d;
    if s.get(e) == Some(&b'.') {
        let f = digits(e + 1);
        if (1..=2).contains(&f) && boundary(e + 1 + f) {
            return Some((p, e + 1 + f));
        }
        return Some((p, e));
    }
    boundary(e).then_some((p, e))
}

/// "Study " before a unit word ("Study Month 7").
static STUDY_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| crate::extract::patterns::compile(r"(?i)(?-u:\b)study\s+$").unwrap());

/// A further point: ", and day 270", ", 8", " and Study Month 10".
static NEXT: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(&format!(
        r"(?i)^{SEP}(?:(?:study\s+)?{UNIT}[ \t]*)?{NUMBER}(?-u:\b)"
    ))
    .unwrap()
});

/// A visit window after a point: " ± 14", " (+/- 3 days)".
static WINDOW: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)^\s*\(?\s*(?:±|\+\s*/\s*-|\+\s*/\s*−|\+-)\s*\d{1,3}(?:\.\d+)?(?:\s*(?:days?|d|weeks?|wks?)(?-u:\b))?(?:\s*\))?").unwrap()
});

/// What may follow a point given without its unit ("Days 1, 8 and 15 of
/// each cycle"); anything else (a unit, "mg", "patients") ends the list
/// before it.
static AFTER_BARE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?i)^(?:\s*$|\s*[,;.:)\]]|\s*(?:±|\+\s*/|\(\s*(?:±|\+))|\s+(?:and|of|after|post|following|respectively|from|since|in|during|then|for|with|at|visits?|postoperative(?:ly)?)(?-u:\b))",
    )
    .unwrap()
});

/// The numbers of a unit-last list, before its unit word: "3, 6 and 12 ",
/// "0, 4-".
static UNIT_LAST: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(&format!(
        r"(?i)(?-u:\b){NUMBER}((?:{SEP}\d{{1,4}}(?:\.\d{{1,2}})?)+)[ \t]*-?[ \t]*$"
    ))
    .unwrap()
});

/// Words before a unit-last list that make it a range, an age, a bound or
/// part of a unit-first list.
static BEFORE_UNIT_LAST: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?i)(?:[\d.]|[\-–/+±]\s*|(?-u:\b)(?:between|from|aged?|ages|to|or|than|over|under|within|ranging|range|days?|weeks?|wks?|months?|mos?|years?|yrs?|every|last|past|next|first)\s*)$",
    )
    .unwrap()
});

/// Words after a unit-last list that make it an age ("6 and 12 months of age").
static AFTER_UNIT_LAST: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)^\s*(?:of\s+age|-?\s*old|of\s+life|age)(?-u:\b)")
        .unwrap()
});

/// A numbered unit-first list starts here when the unit is not itself the
/// end of a duration ("for 3 days 5 times").
static DURATION_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| crate::extract::patterns::compile(r"(?:\d\s*-?\s*|-)$").unwrap());

/// At most the last `n` bytes of `text[..end]` (from a char boundary): the
/// words just before a match, for tests anchored at the end.
fn tail(text: &str, end: usize, n: usize) -> &str {
    let mut start = end.saturating_sub(n);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..end]
}

/// One list found in a text: its points and its byte range in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub schedule: Schedule,
    pub start: usize,
    pub end: usize,
}

/// Every schedule list of two or more points in `text`.
///
/// One pass over the unit words: a unit word followed by a number starts a
/// unit-first list; any other closes a unit-last list, read backwards from
/// it (only the few bytes before each unit word are searched).
pub fn lists(text: &str) -> Vec<Found> {
    // (A text without a digit has no unit word near one: [`UnitWords`]
    // yields nothing and no list is read or allocated. The test of every
    // byte for a digit that stood here walked each outcome and design
    // field once more, a byte at a time, before `UnitWords` looked for the
    // same digits eight bytes at a time.)
    lists_of(
        text,
        UnitWords {
            text,
            scanned: 0,
            window_end: 0,
        },
    )
}

/// The matches of [`UNIT_WORD`] that [`lists`] reads: those near a digit.
///
/// A unit word is read only with a number after it across spaces and
/// tabs ("Day 1") or before it across spaces, tabs and hyphens ("12
/// weeks", "12-week"), or touching it ("day1"); [`lists_of`] passes over
/// every other without a trace. A match is a run of ASCII word bytes
/// (digit, letters, digit), inside one word. So only the words around
/// each digit are searched: the digit's word, the word before it across
/// spaces and tabs and the word after it across spaces, tabs and hyphens.
/// Each window starts at the start of a word and ends at the end of one,
/// and the search reads the bytes around it (`find_at` on the text cut
/// after the window: a word's end is a boundary there as in the text), so
/// it finds in each window the matches the search of the whole text finds
/// there, in the same order. The search over every byte of the outcome
/// and design fields was most of a schedule's cost; digits are found
/// sixteen bytes at a time, and a window without the letters of a unit
/// is not searched. 1,433 → 1,428 million instructions per 1,000 records
/// (−0.35%); the windows alone, each searched, saved nothing (a search
/// costs some 400 instructions, about as much as the bytes it skipped).
struct UnitWords<'t> {
    text: &'t str,
    /// Where the next search starts: the end of the last match or window.
    scanned: usize,
    /// The end of the window being searched.
    window_end: usize,
}

impl Iterator for UnitWords<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let b = self.text.as_bytes();
        loop {
            if self.scanned < self.window_end {
                if let Some((s, e)) = find_unit_word(&b[..self.window_end], self.scanned) {
                    self.scanned = e;
                    return Some((s, e));
                }
                self.scanned = self.window_end;
            }
            let d = next_digit(b, self.scanned)?;
            let word = word_byte;
            // the digit's word
            let (mut l, mut r) = (d, d);
            while l > 0 && word(b[l - 1]) {
                l -= 1;
            }
            while r < b.len() && word(b[r]) {
                r += 1;
            }
            // the word before it across spaces and tabs
            let mut p = l;
            while p > 0 && matches!(b[p - 1], b' ' | b'\t') {
                p -= 1;
            }
            if p > 0 && word(b[p - 1]) {
                l = p;
                while l > 0 && word(b[l - 1]) {
                    l -= 1;
                }
            }
            // the word after it across spaces, tabs and hyphens
            let mut q = r;
            while q < b.len() && matches!(b[q], b' ' | b'\t' | b'-') {
                q += 1;
            }
            if q < b.len() && word(b[q]) {
                r = q;
                while r < b.len() && word(b[r]) {
                    r += 1;
                }
            }
            // (a window may begin inside the last one, whose words are read)
            self.scanned = self.scanned.max(l);
            self.window_end = r;
        }
    }
}

/// The first match of [`UNIT_WORD`] in `b` that starts at `from` or
/// after, as `UNIT_WORD.find_at(b, from)` finds it (the bytes before
/// `from` are read for the boundary, as `find_at` reads them).
///
/// By hand: a match starts with a boundary and a unit's first letter, or
/// with a digit before one ("12week"), so each start in turn is tried
/// (leftmost first) at a letter after a non-word byte and at a digit,
/// with [`unit_at`] after it. The windows of [`UnitWords`] were searched
/// by the regex: 16.7 calls a record, each hundreds of instructions for
/// eight bytes, and its tables among the other patterns' in the caches.
fn find_unit_word(b: &[u8], from: usize) -> Option<(usize, usize)> {
    (from..b.len()).find_map(|p| {
        let c = b[p];
        let q = if c.is_ascii_digit() {
            p + 1
        } else if c.is_ascii_alphabetic() && (p == 0 || !word_byte(b[p - 1])) {
            p
        } else {
            return None;
        };
        unit_at(b, q).map(|e| (p, e))
    })
}

/// The end of the match of `{UNIT}(?:\b|\d)` at `b[q..]`, if one: the
/// alternatives in the pattern's order, each with its "s" first (`s?` is
/// greedy), the first followed by a boundary (after a letter: the end or
/// a non-word byte) or by a digit, which the match takes.
fn unit_at(b: &[u8], q: usize) -> Option<usize> {
    if !b
        .get(q)
        .is_some_and(|c| matches!(c | 0x20, b'd' | b'w' | b'm' | b'y'))
    {
        return None;
    }
    const STEMS: [&[u8]; 7] = [b"day", b"week", b"wk", b"month", b"mo", b"year", b"yr"];
    let ends = |e: usize| match b.get(e) {
        None => Some(e),
        Some(c) if c.is_ascii_digit() => Some(e + 1),
        Some(&c) if !word_byte(c) => Some(e),
        Some(_) => None,
    };
    STEMS.iter().find_map(|stem| {
        let e = q + stem.len();
        if !b.get(q..e).is_some_and(|w| w.eq_ignore_ascii_case(stem)) {
            return None;
        }
        let plural = b.get(e).is_some_and(|c| c | 0x20 == b's');
        plural.then(|| ends(e + 1)).flatten().or_else(|| ends(e))
    })
}

/// [`lists`], reading the unit words `units` gives (the matches of
/// [`UNIT_WORD`], in order; those no number is next to may be left out).
fn lists_of(text: &str, units: impl Iterator<Item = (usize, usize)>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut closing: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    for (ms, me) in units {
        // the match may include a digit touching the unit ("12week", "day1")
        let w = &text[ms..me];
        let ws = ms + (w.len() - w.trim_start_matches(|c: char| c.is_ascii_digit()).len());
        let we = me - (w.len() - w.trim_end_matches(|c: char| c.is_ascii_digit()).len());
        if ws < pos || !unit_word(text, ws, we) {
            continue;
        }
        let b = text.as_bytes();
        let next = b[we..].iter().find(|c| **c != b' ' && **c != b'\t');
        let first = match next {
            Some(c) if c.is_ascii_digit() => first_point(&b[we..]),
            _ => None,
        };
        let Some(first) = first else {
            // a unit-last list ends in a number just before the unit word
            let before = b[..ws]
                .iter()
                .rev()
                .find(|c| !matches!(**c, b' ' | b'\t' | b'-'));
            if before.is_some_and(|c| c.is_ascii_digit()) {
                closing.push((ws, we));
            }
            continue;
        };
        let before = tail(text, ws, 16);
        let study = ends_in_word(before.as_bytes(), b"study");
        let start = match study.then(|| STUDY_BEFORE.find(before)).flatten() {
            Some(m) => ws - (m.end() - m.start()),
            None => ws,
        };
        let (first_start, first_end) = (we + first.0, we + first.1);
        let mut end = first_end;
        pos = end;
        // "for 3 days 5 times": the unit ends a duration
        let before = tail(text, start, 16);
        if may_end_a_duration(before.as_bytes()) && DURATION_BEFORE.is_match(before) {
            continue;
        }
        let (Some(unit), Ok(v)) = (
            TimeUnit::parse(&text[ws..we]),
            text[first_start..first_end].parse::<f64>(),
        ) else {
            continue;
        };
        let mut at = vec![v];
        loop {
            if let Some(win) = window(&text[end..]) {
                end += win;
            }
            let Some(n) = may_start(&text[end..], b",&aA")
                .then(|| NEXT.captures(&text[end..]))
                .flatten()
            else {
                break;
            };
            let whole = n.get(0).unwrap();
            match n.get(1) {
                Some(u) if TimeUnit::parse(u.as_str()) != Some(unit) => break,
                Some(_) => {}
                None => {
                    if !AFTER_BARE.is_match(&text[end + whole.end()..]) {
                        break;
                    }
                }
            }
            let Ok(v) = n[2].parse::<f64>() else { break };
            if v <= *at.last().unwrap() {
                break;
            }
            at.push(v);
            end += whole.end();
        }
        if at.len() > 1 {
            if let Some(win) = window(&text[end..]) {
                end += win;
            }
        }
        pos = pos.max(end);
        if at.len() >= 2 {
            out.push(Found {
                schedule: Schedule { unit, at },
                start,
                end: text[..end].trim_end().len(),
            });
        }
    }
    let covered: Vec<(usize, usize)> = out.iter().map(|f| (f.start, f.end)).collect();
    for (us, ue) in closing {
        // the numbers before the unit word, not starting inside a number
        let mut ws = us.saturating_sub(120);
        while !text.is_char_boundary(ws) {
            ws += 1;
        }
        let b = text.as_bytes();
        let in_number = |i: usize| b[i].is_ascii_digit() || b[i] == b'.';
        while ws > 0 && ws < us && in_number(ws - 1) && in_number(ws) {
            ws += 1;
        }
        let head = &text[ws..us];
        let Some(m) = may_end_a_list(head.as_bytes())
            .then(|| UNIT_LAST.find(head))
            .flatten()
        else {
            continue;
        };
        let (s, e) = (ws + m.start(), ue);
        if covered.iter().any(|&(cs, ce)| s < ce && cs < e) {
            continue;
        }
        if BEFORE_UNIT_LAST.is_match(tail(text, s, 24)) || AFTER_UNIT_LAST.is_match(&text[e..]) {
            continue;
        }
        let Some(unit) = TimeUnit::parse(&text[us..ue]) else {
            continue;
        };
        let mut at: Vec<f64> = Vec::new();
        for n in NUMBERS.find_iter(&text[s..us]) {
            match n.as_str().parse::<f64>() {
                Ok(v) => at.push(v),
                Err(_) => at.clear(),
            }
        }
        if at.len() >= 2 && at.windows(2).all(|w| w[1] > w[0]) {
            out.push(Found {
                schedule: Schedule { unit, at },
                start: s,
                end: e,
            });
        }
    }
    out.sort_by_key(|f| f.start);
    out
}

// Exact byte tests before the patterns a list is read with: each says
// whether its pattern may match, from what every match holds, and most
// unit words near a number ("at week 12", "12 months") are no list, so
// most searches were answered "no" at the cost of a regex call each (some
// 400 instructions, and another pattern's tables in the caches). A byte
// above 0x7f is taken as maybe white space: the patterns read `\s` as
// ASCII white space (compiled without Unicode mode), and a gate that
// keeps looking there is still exact if one were compiled with it.
// 1,107 → 1,101 million instructions per 1,000 records (−0.5%).

/// `\s` of a pattern compiled without Unicode mode.
fn space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Whether `s`, after white space, starts with one of `firsts` or a byte
/// above 0x7f: a match of [`NEXT`] starts with a separator (`,`, `&` or
/// "and" after white space), one of [`WINDOW`] with `(`, `+` or `±`.
fn may_start(s: &str, firsts: &[u8]) -> bool {
    s.bytes()
        .find(|&c| !space(c))
        .is_some_and(|c| c > 0x7f || firsts.contains(&c))
}

/// The length of the visit window `s` starts with ([`WINDOW`]), if any.
fn window(s: &str) -> Option<usize> {
    may_start(s, b"(+")
        .then(|| WINDOW.find(s))
        .flatten()
        .map(|m| m.end())
}

/// Whether `s` ends in `word` (ASCII letters, either case) and white
/// space after it: every match of [`STUDY_BEFORE`] does.
fn ends_in_word(s: &[u8], word: &[u8]) -> bool {
    let mut p = s.len();
    while p > 0 && space(s[p - 1]) {
        p -= 1;
    }
    (p < s.len() && p >= word.len() && s[p - word.len()..p].eq_ignore_ascii_case(word))
        || p > 0 && s[p - 1] > 0x7f
}

/// Whether [`DURATION_BEFORE`] (`(?:\d\s*-?\s*|-)$`) may match `s`: its
/// last byte but white space is a digit or a hyphen.
fn may_end_a_duration(s: &[u8]) -> bool {
    match s.iter().rev().find(|&&c| !space(c)) {
        Some(&c) => c.is_ascii_digit() || c == b'-' || c > 0x7f,
        None => false,
    }
}

/// Whether [`UNIT_LAST`] may match `s`: a match ends in a number, then
/// spaces, tabs and a hyphen (`[ \t]*-?[ \t]*$`), and the number (digits
/// and a point: the longest such run before the end, as a separator
/// holds neither) follows a separator, which ends in white space after
/// ",", "&" or "and" (or in "," or "&").
fn may_end_a_list(s: &[u8]) -> bool {
    let blank = |c: u8| c == b' ' || c == b'\t';
    let mut p = s.len();
    while p > 0 && blank(s[p - 1]) {
        p -= 1;
    }
    if p > 0 && s[p - 1] == b'-' {
        p -= 1;
        while p > 0 && blank(s[p - 1]) {
            p -= 1;
        }
    }
    if p == 0 || !s[p - 1].is_ascii_digit() {
        return false;
    }
    while p > 0 && (s[p - 1].is_ascii_digit() || s[p - 1] == b'.') {
        p -= 1;
    }
    while p > 0 && space(s[p - 1]) {
        p -= 1;
    }
    p > 0
        && (matches!(s[p - 1], b',' | b'&')
            || s[p - 1] > 0x7f
            || p >= 3 && s[p - 3..p].eq_ignore_ascii_case(b"and"))
}

static NUMBERS: LazyLock<Regex> =
    LazyLock::new(|| crate::extract::patterns::compile(r"\d+(?:\.\d+)?").unwrap());

/// Fields whose lists describe one outcome.
const OUTCOME_KEYS: &[&str] = &[
    keys::OUTCOME_MEASURE,
    keys::OUTCOME_DESCRIPTION,
    keys::OUTCOME_TIME_FRAME,
];

/// Fields whose lists describe the study's design (dosing, visits).
const DESIGN_KEYS: &[&str] = &[
    keys::BRIEF_SUMMARY,
    keys::DETAILED_DESCRIPTION,
    keys::ARM_DESCRIPTION,
    keys::INTERVENTION_DESCRIPTION,
];

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        let name = if OUTCOME_KEYS.contains(&f.key.as_ref()) {
            names::SCHEDULE_OUTCOME
        } else if DESIGN_KEYS.contains(&f.key.as_ref()) {
            names::SCHEDULE_DESIGN
        } else {
            continue;
        };
        for l in lists(&f.text.text) {
            let quote = &f.text.text[l.start..l.end];
            // written into one string: the quote's words were collected
            // into a vector and joined, and each point was a string of its
            // own ([`Schedule::describe_into`])
            let mut how = String::with_capacity(quote.len() + 16 + 12 * l.schedule.at.len());
            how.push('"');
            for (k, w) in quote.split_whitespace().enumerate() {
                if k > 0 {
                    how.push(' ');
                }
                how.push_str(w);
            }
            how.push_str("\" read as ");
            l.schedule.describe_into(&mut how);
            out.push(
                Fact::new(
                    name,
                    Value::Schedule(l.schedule),
                    f.text.span(l.start, l.end),
                    i,
                    Origin::Text,
                    quote,
                )
                .with_owner(f.entity)
                .with_how(how),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(t: &str) -> Vec<(String, String)> {
        lists(t)
            .into_iter()
            .map(|f| (f.schedule.to_string(), t[f.start..f.end].to_string()))
            .collect()
    }

    /// The lists as read from every match of the whole text.
    fn lists_whole(t: &str) -> Vec<Found> {
        if !t.bytes().any(|b| b.is_ascii_digit()) {
            return Vec::new();
        }
        lists_of(t, UNIT_WORD.find_iter(t).map(|m| (m.start(), m.end())))
    }

    /// The byte tests before the list patterns say "maybe" wherever the
    /// pattern matches: on texts made of the pieces the patterns read, and
    /// on pieces of the fixtures, the ends of which are cut anywhere.
    #[test]
    fn list_gates_hold_every_match() {
        let pieces = [
            " ", "\t", "\n", ",", "&", "and", "AND", "an", "(", ")", "+", "±", "/", "-", "−", "1",
            "12", "3.5", ".", "study", "Study", "day", "days", "x", "é", "\u{a0}", "Month",
        ];
        let mut texts = crate::extract::random_texts(&pieces, 20_000, 12, 0x5deece66d);
        for t in crate::extract::fixture_texts() {
            let starts: Vec<usize> = (0..t.len()).filter(|&k| t.is_char_boundary(k)).collect();
            for w in starts.windows(24).step_by(5) {
                texts.push(t[w[0]..w[23]].to_string());
            }
        }
        let mut matched = [0; 5];
        for t in &texts {
            let b = t.as_bytes();
            if NEXT.is_match(t) {
                matched[0] += 1;
                assert!(may_start(t, b",&aA"), "{t:?}");
            }
            assert_eq!(window(t), WINDOW.find(t).map(|m| m.end()), "{t:?}");
            matched[1] += usize::from(window(t).is_some());
            if STUDY_BEFORE.is_match(t) {
                matched[2] += 1;
                assert!(ends_in_word(b, b"study"), "{t:?}");
            }
            if DURATION_BEFORE.is_match(t) {
                matched[3] += 1;
                assert!(may_end_a_duration(b), "{t:?}");
            }
            if UNIT_LAST.is_match(t) {
                matched[4] += 1;
                assert!(may_end_a_list(b), "{t:?}");
            }
        }
        assert!(matched.iter().all(|&m| m > 50), "{matched:?}");
    }

    /// Texts of the pieces the unit words and first points are made of,
    /// and short cuts of the fixtures.
    fn unit_texts() -> Vec<String> {
        let pieces = [
            "day", "DAYS", "s", "S", "week", "Wk", "wks", "month", "Mo", "mos", "monthly", "year",
            "yrs", "y", "d", "1", "12", "3.5", ".", "0.25", "12345", " ", "\t", "-", "_", "x", "é",
            ",", "today",
        ];
        let mut texts = crate::extract::random_texts(&pieces, 20_000, 10, 0x2545_f491_4f6c_dd1d);
        for t in crate::extract::fixture_texts() {
            let starts: Vec<usize> = (0..t.len()).filter(|&k| t.is_char_boundary(k)).collect();
            for w in starts.windows(20).step_by(7) {
                texts.push(t[w[0]..w[19]].to_string());
            }
        }
        texts
    }

    /// The hand matcher finds what the pattern finds, from every start
    /// and with the text cut at every end.
    #[test]
    fn unit_words_by_hand_are_the_patterns() {
        let mut found = 0;
        for t in unit_texts() {
            for end in (0..=t.len()).filter(|&k| t.is_char_boundary(k)) {
                let hay = &t[..end];
                for from in (0..=end).filter(|&k| t.is_char_boundary(k)) {
                    let want = UNIT_WORD.find_at(hay, from).map(|m| (m.start(), m.end()));
                    found += usize::from(want.is_some());
                    assert_eq!(find_unit_word(hay.as_bytes(), from), want, "{hay:?} {from}");
                }
            }
        }
        assert!(found > 100_000, "{found}");
    }

    #[test]
    fn first_points_by_hand_are_the_patterns() {
        let mut found = 0;
        for t in unit_texts() {
            for from in (0..=t.len()).filter(|&k| t.is_char_boundary(k)) {
                let s = &t[from..];
                let want = FIRST.captures(s).map(|c| {
                    let n = c.get(1).unwrap();
                    assert_eq!(c.get(0).unwrap().end(), n.end());
                    (n.start(), n.end())
                });
                found += usize::from(want.is_some());
                assert_eq!(first_point(s.as_bytes()), want, "{s:?}");
            }
        }
        assert!(found > 10_000, "{found}");
    }

    #[test]
    fn windows_read_what_the_whole_text_gives() {
        let mut texts: Vec<String> = [
            "day 1 day 2 day 3",
            "Day1day2 3day4 12week 5-week6, 7 -\tweeks and 8 weeks",
            "Days 1, 8, and 15 of each cycle; weeks 2 and 4",
            "at 0, 4, 8, 12week; 3 6 9 months",
            "x1day 2 day_3 day 4 é5 days, 6 days",
            "week  \t 1 and 3 weeks",
            "12\t-\tmonths and 18 months, years 1 and 2",
            "Month 6 and Month 12 (+/- 3 days), Study Month 7, and Study Month 10",
            "1 2 3 4 5 days",
            "yr1,yr2 and yr 3",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for text in crate::extract::fixture_texts() {
            texts.extend(text.split('"').map(str::to_string));
        }
        // and pseudo-random texts of units, numbers and separators
        let pieces = [
            "day", "Days", "week", "wk", "months", "mo", "yr", "1", "12", "3.5", " ", "\t", "-",
            ",", " and ", "&", "x", "_", "é", "study ", "(", "±", ".",
        ];
        texts.extend(crate::extract::random_texts(
            &pieces,
            5000,
            30,
            0x9e37_79b9_7f4a_7c15,
        ));
        let mut found = 0;
        for t in &texts {
            let whole = lists_whole(t);
            found += whole.len();
            assert_eq!(lists(t), whole, "{t:?}");
        }
        assert!(found > 300, "{found} lists");
    }

    #[test]
    fn unit_first_lists() {
        assert_eq!(
            read("infused at day 180 ± 14 and day 270 ± 14. Each group"),
            vec![(
                "day 180, day 270".into(),
                "day 180 ± 14 and day 270 ± 14".into()
            )]
        );
        assert_eq!(
            read("on their Study Month 7, and Study Month 10\n|"),
            vec![(
                "month 7, month 10".into(),
                "Study Month 7, and Study Month 10".into()
            )]
        );
        assert_eq!(
            read("given on Days 1, 8, and 15 of each cycle"),
            vec![("day 1, day 8, day 15".into(), "Days 1, 8, and 15".into())]
        );
        assert_eq!(
            read("Baseline, Week 4, Week 8, Month 6 and Month 12"),
            vec![
                ("week 4, week 8".into(), "Week 4, Week 8".into()),
                ("month 6, month 12".into(), "Month 6 and Month 12".into())
            ]
        );
    }

    #[test]
    fn units_touching_numbers_and_capitals() {
        assert_eq!(
            read("on day1,day2,day4 and"),
            vec![("day 1, day 2, day 4".into(), "day1,day2,day4".into())]
        );
        assert_eq!(
            read("at 0, 4, 8, 12week"),
            vec![(
                "week 0, week 4, week 8, week 12".into(),
                "0, 4, 8, 12week".into()
            )]
        );
        assert_eq!(
            read("at 4 AND 8 Weeks"),
            vec![("week 4, week 8".into(), "4 AND 8 Weeks".into())]
        );
        assert!(read("today 5, 6 and the weekly 3 and 4 mosquito").is_empty());
    }

    #[test]
    fn unit_last_lists() {
        assert_eq!(
            read("assessed at 3, 6 and 12 months"),
            vec![(
                "month 3, month 6, month 12".into(),
                "3, 6 and 12 months".into()
            )]
        );
    }

    #[test]
    fn not_lists() {
        for t in [
            "Days 1-5 of each cycle",
            "from day 1 to day 28",
            "between 6 and 12 months",
            "children aged 6 and 12 months",
            "infants 6 and 12 months of age",
            "3 or 6 months",
            "Day 1, 200 mg",
            "treated for 3 days 5 and 6",
            "Week 12",
            "day 90, day 30",
        ] {
            assert!(read(t).is_empty(), "{t}: {:?}", read(t));
        }
    }
}
