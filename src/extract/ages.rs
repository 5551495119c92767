//! Age limits: the structured minimum / maximum age fields, and the limits
//! stated in the INCLUSION criteria (the exclusion criteria mean the
//! opposite and are not read).
//!
//! Criteria limits are normalised to inclusive bounds: "< 40 years" is a
//! maximum of 39 whole years, "> 18" or "over 18" a minimum of 19, each with a
//! `how` note saying so. A number is only read as an age where the text says
//! it is one (age / aged / years old / years of age / older / younger / an
//! "Age:" label), so "BMI 18-30" or "for 5-10 years" are not ages.
//!
//! Spans: a range ("aged 18-65") gives a minimum whose span is the first
//! number and a maximum whose span is the second; a comparison gives one
//! bound whose span covers the comparator and the number ("< 40",
//! "at least 18", "18 years or older").
//!
//! When the inclusion criteria state different values for the same bound
//! (two cohorts, a partner's age), no fact is given for that bound.

use super::names;
use super::numbers::parse_number;
use super::{Fact, Origin, Value};
use crate::extract::patterns::is_ascii_word_byte as is_word_byte;
use crate::record::{keys, Field, Record};
use regex::Regex;
use std::cell::Cell;
use std::sync::LazyLock;

/// The facts of `record`; `inclusion` finds its inclusion criteria once
/// for this extractor and `sex` (see [`Inclusion`]).
pub fn extract(record: &Record, inclusion: &Inclusion, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        match f.key.as_ref() {
            keys::MIN_AGE => structured(i, f, names::AGE_MIN, out),
            keys::MAX_AGE => structured(i, f, names::AGE_MAX, out),
            keys::ELIGIBILITY => criteria(i, f, inclusion, out),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------- fields

/// Parse a structured age: "50 Years", "6 Months", "2 Weeks", "28 Days",
/// "18" (years), and the registries' variants "80(Year)", "65years-old",
/// "65+", ">= 20age old". "N/A", "None" and anything else give `None`.
pub fn parse_age(s: &str) -> Option<f64> {
    parse_age_field(s).map(|(v, _)| v)
}

/// [`parse_age`] with a note when a strict comparator was normalised
/// ("> 20" is a minimum of 21 whole years, "< 85" a maximum of 84).
fn parse_age_field(s: &str) -> Option<(f64, Option<String>)> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        crate::extract::patterns::compile(
            r"(?i)^\s*(?P<c>≥|≤|>=|<=|=>|=<|>|<)?\s*(?P<n>\d{1,3}(?:\.\d{1,2})?)\s*(?:\(\s*)?(?P<u>years?|yrs?|y|months?|mos?|m|weeks?|wks?|w|days?|d|hours?|h)?\.?\s*\)?(?:\s*-?\s*(?:age\s*)?old|\s+of\s+age)?\s*(?P<plus>\+)?\s*$",
        )
        .unwrap()
    });
    // The registries' usual form, "50 Years" (one to three digits, one
    // space, a unit word), read without the pattern: it is what the
    // pattern reads there (no comparator, the number, the whole word as
    // the unit, nothing after it), and each field ran it (0.9% of the
    // time samples for two short fields a record).
    if let Some((n, unit)) = plain_age(s) {
        let v = n * unit_factor(unit)?;
        return (0.0..=130.0).contains(&v).then_some((v, None));
    }
    let c = RE.captures(s)?;
    let n: f64 = c["n"].parse().ok()?;
    let unit = c.name("u").map(|m| m.as_str()).unwrap_or("years");
    let f = unit_factor(unit)?;
    let whole = (n - n.round()).abs() < 1e-9;
    let (adj, how) = match c.name("c").map(|m| m.as_str()) {
        Some(">") if whole => (
            n + 1.0,
            Some(format!(
                "'{}' read as a minimum of {} whole {}",
                s.trim(),
                n + 1.0,
                unit_name(unit)
            )),
        ),
        Some("<") if whole => (
            n - 1.0,
            Some(format!(
                "'{}' read as a maximum of {} whole {}",
                s.trim(),
                n - 1.0,
                unit_name(unit)
            )),
        ),
        Some(">") | Some("<") => return None,
        _ => (n, None),
    };
    let v = adj * f;
    (0.0..=130.0).contains(&v).then_some((v, how))
}

/// "50 Years": one to three ASCII digits, a space and one of the unit
/// words the pattern of [`parse_age_field`] reads whole (in any ASCII
/// case, as it folds), and nothing else; the number and the word.
fn plain_age(s: &str) -> Option<(f64, &str)> {
    let (n, unit) = s.split_once(' ')?;
    let plain = (1..=3).contains(&n.len())
        && n.bytes().all(|b| b.is_ascii_digit())
        && [
            "years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour",
        ]
        .iter()
        .any(|w| unit.eq_ignore_ascii_case(w));
    plain
        .then(|| (n.parse().ok(), unit))
        .and_then(|(n, u)| Some((n?, u)))
}

fn structured(i: usize, f: &Field, name: &'static str, out: &mut Vec<Fact>) {
    let t = f.text.as_str();
    let Some((v, how)) = parse_age_field(t) else {
        return;
    };
    // Registries without an "N/A" write 99 (or 100, 120) for "no upper limit".
    if name == names::AGE_MAX && v >= 99.0 {
        return;
    }
    let s = t.len() - t.trim_start().len();
    let e = t.trim_end().len();
    let mut fact = Fact::new(
        name,
        Value::Age(v),
        f.text.span(s, e),
        i,
        Origin::Field,
        &t[s..e],
    );
    if let Some(h) = how {
        fact = fact.with_how(h);
    }
    out.push(fact);
}

fn unit_factor(u: &str) -> Option<f64> {
    let l = u.to_ascii_lowercase();
    let l = l.trim_end_matches('.');
    Some(match l {
        "" | "y" | "yo" | "y/o" | "yr" | "yrs" | "year" | "years" => 1.0,
        "m" | "mo" | "mos" | "month" | "months" => 1.0 / 12.0,
        "w" | "wk" | "wks" | "week" | "weeks" => 7.0 / 365.25,
        "d" | "day" | "days" => 1.0 / 365.25,
        "h" | "hour" | "hours" => 1.0 / (365.25 * 24.0),
        _ => return None,
    })
}

fn unit_name(u: &str) -> &'static str {
    let f = unit_factor(u).unwrap_or(1.0);
    if f == 1.0 {
        "years"
    } else if f == 1.0 / 12.0 {
        "months"
    } else if f == 7.0 / 365.25 {
        "weeks"
    } else if f == 1.0 / 365.25 {
        "days"
    } else {
        "hours"
    }
}

// ---------------------------------------------------------------- criteria

const NUM: &str = r"\b\d{1,3}(?:\.\d{1,2})?|\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b";
const UNIT: &str = r"(?:years?|yrs?\.?|y/o|yo|months?|mos?\.?|weeks?|wks?|days?)\b";
const OLD: &str = r"(?:[\s-]*old\b|\s*-?\s*of\s*-?\s*age\b)";
const SEP: &str = r"\s*(?:-|–|—|~|～|to|and|through)\s*";
const CMP: &str = r"≥|≤|>=|<=|=>|=<|\\?>\s*/?\s*=|\\?<\s*/?\s*=|&gt;=|&lt;=|＞=|＜=|≧|≦|⩾|⩽|\\?>|\\?<|&gt;|&lt;|＞|＜";
const WCMP: &str = r"not\s+less\s+than|no\s+less\s+than|not\s+younger\s+than|no\s+younger\s+than|not\s+more\s+than|no\s+more\s+than|not\s+older\s+than|no\s+older\s+than|not\s+over|not\s+exceeding|at\s+least|at\s+most|up\s+to|minimum(?:\s+of)?|maximum(?:\s+of)?|over|above|older\s+than|more\s+than|greater\s+than|under|below|younger\s+than|less\s+than|lower\s+than";
/// The word "age" and what may stand between it and the number.
const LEAD: &str = r"\bage[ds]?\b(?:\s*\([^)]{0,12}\))?(?:\s*[:=]|\s*\bof\s+(?:the\s+)?(?:patients?|participants?|subjects?)\b|\s+(?:from|between|of|is|range|ranging|must|should|be|in|the|comprised?|limits?|at|screening|enrol+ment|inclusion|entry|within|group|will|was|were|are))*";
const NOUNS: &str = r"men|women|males?|females?|patients?|participants?|subjects?|volunteers?|adults?|children|individuals?|persons?|people|boys|girls|adolescents?|infants?";

fn re(p: &str) -> Regex {
    let p = p
        .replace("{NUM}", NUM)
        .replace("{UNIT}", UNIT)
        .replace("{OLD}", OLD)
        .replace("{SEP}", SEP)
        .replace("{CMP}", CMP)
        .replace("{WCMP}", WCMP)
        .replace("{LEAD}", LEAD)
        .replace("{NOUNS}", NOUNS);
    crate::extract::patterns::compile(&format!("(?i){p}")).unwrap()
}

/// "20 years old ≤ age < 40 years old"
static R_DOUBLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?P<n1>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*(?P<u1>{UNIT})?(?:\s*old)?\s*(?P<c1>{CMP})\s*(?:the\s+)?age\s*(?P<c2>{CMP})\s*(?P<n2>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*(?P<u2>{UNIT})?",
    )
});
/// "aged 50 to 70 years", "Age: 18-75", "age between 18 and 65"
static R_RANGE_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"{LEAD}\s*(?:from\s+|between\s+)?(?P<n1>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u1>{UNIT})?(?:\s*old)?{SEP}(?P<n2>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u2>{UNIT})?",
    )
});
/// "18-80 years old", "between 18 and 65 years of age"
static R_RANGE_OLD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:\bbetween\s+)?(?P<n1>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u1>{UNIT})?(?:\s*old)?{SEP}(?P<n2>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u2>{UNIT}){OLD}",
    )
});
/// "18 to 65 years" at the start of a criterion or after a person noun
static R_RANGE_BARE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^[\s*•·\-]*(?:\(?\d{1,2}[.)]\s+)?|\b(?:{NOUNS})\b[\s,(]*)(?:between\s+)?(?P<n1>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u1>{UNIT})?{SEP}(?P<n2>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u2>years?|yrs?|months?)\b",
    )
});
/// "18 years or older", "18 years of age or older", "aged 40 years and above", "Age 18+"
static R_TRAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?P<lead>{LEAD}\s*)?(?P<n>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u>{UNIT})?(?P<old>{OLD})?\s*(?P<t>(?:or|and)\s+(?:older|above|over|more|greater|younger|below|under|less)\b|\+)",
    )
});
/// "age ≥ 18 years", "aged over 18", "age less than 40"
static R_CMP_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"{LEAD}\s*(?P<c>{WCMP}|{CMP})\s*(?P<n>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u>{UNIT})?",
    )
});
/// "≥18 years of age", "at least 18 years old", "under 40 years of age"
static R_CMP_OLD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?P<c>\b(?:{WCMP})|{CMP})\s*(?P<n>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u>{UNIT}){OLD}",
    )
});
/// "≥ 18 years" at the start of a criterion or after a person noun
/// ("Patients over 18 years;", "Males ≥18 years with ...")
static R_CMP_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^[\s*•·\-]*(?:\(?\d{1,2}[.)]\s+)?|\b(?:{NOUNS})\b\s*,?\s*)(?P<c>\b(?:{WCMP})|{CMP})\s*(?P<n>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u>years|yrs)\b",
    )
});
/// "younger than 40 years", "older than 18 years"
static R_OLDER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?P<c>\b(?:not\s+|no\s+)?(?:older|younger)\s+than)\s*(?P<n>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*-?\s*(?P<u>{UNIT})",
    )
});

/// Where the exclusion criteria start (the reference of [`exclusion_start`]).
#[cfg(test)]
static EXCLUSION_RE: LazyLock<Regex> =
    LazyLock::new(|| crate::extract::patterns::compile(EXCLUSION).unwrap());

/// What [`EXCLUSION_RE`] matches. Its class holds "•", which the pattern
/// cannot hold without Unicode mode, so it is compiled in Unicode mode:
/// `\s` is Unicode white space and `(?i)` also folds "ſ" to "s" and "K"
/// (the Kelvin sign) to "k" (its `\b` is ASCII, see
/// [`compile`](crate::extract::patterns::compile)).
const EXCLUSION: &str = r"(?im)\b(?:exclusion|non[- ]?inclusion)\s+criteri|^[\s*#\-•]*(?:key\s+|main\s+)?exclusions?\b\s*:?\s*$";

/// [`EXCLUSION`] anchored at the start of its haystack, for a haystack
/// that starts at a line start (where `^` holds and `\b` sees the line
/// break before as the haystack's start).
static EXCLUSION_AT_LINE_RE: LazyLock<Regex> =
    LazyLock::new(|| crate::extract::patterns::compile(&format!(r"\A(?:{EXCLUSION})")).unwrap());

/// The first alternative of [`EXCLUSION`] anchored at the start of its
/// haystack, compiled in the same Unicode mode: for a haystack that starts where
/// `\b` holds, after a character that is not an ASCII word character.
static EXCLUSION_AT_WORD_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile_unicode(r"(?i)\A(?:exclusion|non[- ]?inclusion)\s+criteri")
        .unwrap()
});

/// Where the first match of [`EXCLUSION_RE`] in `text` starts, without
/// running it over the text: it walked all of a text's inclusion
/// criteria (its `^` alternative has no literal for a prefilter to skip
/// to), about 700 bytes a record, its Unicode-mode lazy DFA 0.8% of the
/// time samples.
///
/// Every match holds "exclu" ("exclusion", "exclusions?") or "inclu"
/// ("non[- ]?inclusion"), whose letters fold in ASCII only, and each
/// "clu" is found by [`Clu`]. Around each in order, the places a match
/// can start are tried with an anchored pattern:
///
/// - "exclu" at `c`, the `^` alternative: its match starts at a line
///   start from which only white space, "*#-•" and "key"/"main" come
///   before `c`; every line start in the run of such characters (and
///   their letters in any case, and the Kelvin sign) that ends at `c` is
///   tried with the whole pattern anchored (at a line start `^` and `\b`
///   answer as in the text).
/// - "inclu" at `c`: "non" starts at `c - 4` or `c - 3`; "exclu" at `c`:
///   the first alternative starts at `c`. Each is tried with the first
///   alternative anchored where `\b` holds (the byte before is not an
///   ASCII word character, as the word starts with a letter).
///
/// A match around a later "clu" starts after the letters of an earlier
/// one ("x", "c", "l", "u" are none of the characters walked back over),
/// so the first place that matches is where the pattern's first match
/// starts.
fn exclusion_start(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let word_before = |s: usize| s > 0 && is_word_byte(b[s - 1]);
    for (c, ex) in Clu::new(b) {
        if ex {
            // the run of characters that may stand before "exclu" on the
            // line or lines of a `^` match
            let lo = text[..c]
                .char_indices()
                .rev()
                .take_while(|&(_, ch)| {
                    ch.is_whitespace()
                        || matches!(ch, '*' | '#' | '-' | '•' | '\u{212A}')
                        || "keymainKEYMAIN".contains(ch)
                })
                .last()
                .map_or(c, |(k, _)| k);
            let mut q = lo;
            loop {
                if (q == 0 || b[q - 1] == b'\n') && EXCLUSION_AT_LINE_RE.is_match(&text[q..]) {
                    return Some(q);
                }
                match memchr::memchr(b'\n', &b[q..c]) {
                    Some(k) => q += k + 1,
                    None => break,
                }
            }
            if !word_before(c) && EXCLUSION_AT_WORD_RE.is_match(&text[c..]) {
                return Some(c);
            }
        } else {
            for s in [c.checked_sub(4), c.checked_sub(3)].into_iter().flatten() {
                if b[s..c].first().is_some_and(|&n| n | 0x20 == b'n')
                    && !word_before(s)
                    && EXCLUSION_AT_WORD_RE.is_match(&text[s..])
                {
                    return Some(s);
                }
            }
        }
    }
    None
}

/// Each "inclu" and "exclu" of a text, letters in any ASCII case, in order:
/// where it starts and whether it is "exclu". Each "clu" is found by
/// comparing sixteen positions at a time (with SSE2 on x86-64): "clu"
/// is rare in prose, where the case-insensitive search for "inclu" this
/// replaced stopped at every "i" (its prefilter's first byte; 0.9% of the
/// time samples in `inclusion_headings`).
struct Clu<'t> {
    b: &'t [u8],
    /// Where the next "clu" may start.
    at: usize,
    /// The "clu"s found from `at` on in the block being read, a bit each.
    mask: u32,
    base: usize,
}

impl<'t> Clu<'t> {
    fn new(b: &'t [u8]) -> Clu<'t> {
        Clu {
            b,
            at: 0,
            mask: 0,
            base: 0,
        }
    }

    /// The next "clu" from `self.at` on.
    fn next_clu(&mut self) -> Option<usize> {
        let b = self.b;
        loop {
            if self.mask != 0 {
                let k = self.base + self.mask.trailing_zeros() as usize;
                self.mask &= self.mask - 1;
                return Some(k);
            }
            let at = self.at;
            #[cfg(target_arch = "x86_64")]
            if at + 18 <= b.len() {
                use std::arch::x86_64::*;
                // SAFETY: SSE2 is part of x86-64; the 18 bytes from `at`
                // are in `b`
                let m = unsafe {
                    let p = b.as_ptr().add(at);
                    let lower = _mm_set1_epi8(0x20);
                    let is = |q: *const u8, ch: u8| {
                        let v = _mm_or_si128(_mm_loadu_si128(q.cast()), lower);
                        _mm_cmpeq_epi8(v, _mm_set1_epi8(ch as i8))
                    };
                    let clu = _mm_and_si128(
                        _mm_and_si128(is(p, b'c'), is(p.add(1), b'l')),
                        is(p.add(2), b'u'),
                    );
                    _mm_movemask_epi8(clu) as u32
                };
                self.base = at;
                self.mask = m;
                self.at = at + 16;
                continue;
            }
            // the last bytes (all of them elsewhere) one by one
            let k = (at..b.len().saturating_sub(2)).find(|&k| {
                b[k] | 0x20 == b'c' && b[k + 1] | 0x20 == b'l' && b[k + 2] | 0x20 == b'u'
            });
            self.at = k.map_or(b.len(), |k| k + 1);
            return k;
        }
    }
}

impl Iterator for Clu<'_> {
    type Item = (usize, bool);

    fn next(&mut self) -> Option<(usize, bool)> {
        // `| 0x20` makes "C" "c" and no other byte: a byte that is "c"
        // that way is 0x43 or 0x63 (likewise "l", "u", "i", "n", "e", "x")
        loop {
            let k = self.next_clu()?;
            let Some(two) = k
                .checked_sub(2)
                .map(|s| [self.b[s] | 0x20, self.b[s + 1] | 0x20])
            else {
                continue;
            };
            match &two {
                b"in" => return Some((k - 2, false)),
                b"ex" => return Some((k - 2, true)),
                _ => {}
            }
        }
    }
}

/// The inclusion criteria of an eligibility text: all of it before the
/// exclusion criteria.
fn inclusion_criteria(text: &str) -> &str {
    &text[..exclusion_start(text).unwrap_or(text.len())]
}

/// The inclusion criteria of a record's eligibility field, found at most
/// once per record: this extractor and `sex` both read them, and each
/// searched the whole field for where the exclusion criteria start
/// (`EXCLUSION_RE`, whose `^` alternative no literal prefilter can skip
/// to): 1,436 → 1,432 M instructions per 1,000 records (−0.3%). It
/// holds the last field asked about (a record has one eligibility field;
/// another one is found anew).
#[derive(Default)]
pub struct Inclusion {
    /// The field's index and where its inclusion criteria end.
    last: Cell<Option<(usize, usize)>>,
}

impl Inclusion {
    /// The inclusion criteria of field `i` of the record, `f`.
    pub fn of<'f>(&self, i: usize, f: &'f Field) -> &'f str {
        let text = f.text.as_str();
        let end = match self.last.get() {
            Some((field, end)) if field == i => end,
            _ => {
                let end = inclusion_criteria(text).len();
                self.last.set(Some((i, end)));
                end
            }
        };
        &text[..end]
    }
}

/// A criterion about a thing (a sample, a scan) whose age may be stated: only
/// an explicit "age"/"aged" lead is read there.
static OBJECT_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(?:samples?|specimens?|biops(?:y|ies)|scans?|imaging|MRI|CT|tissue|blocks?|images?|x-rays?|radiographs?|results?|tests?|assessments?|measurements?|labs?|laborator\w+|ECG|EKG|echocardiogra\w+|data|records?|prescriptions?)\b").unwrap()
});

/// A criterion whose ages are not ages of people at entry (the age of a
/// tattoo, at onset, gestational age): not read at all.
static NOT_ENTRY_AGE_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)
        \b(?:exclu\w*|not\s+eligible|ineligible
          |gestational|corrected|post-?natal|bone\s+age|mental\s+age|developmental|post-?menstrual|post-?conception\w*|onset|diagnos\w*\s+(?:at|before|after)
          |(?:before|after|since|until|by)\s+(?:the\s+)?age|age\s+at\s+(?:diagnosis|onset|first|menarche|menopause)|menarche|menopaus\w*|post-?menopaus\w*|amenorrh\w*
          |at\s+(?:the\s+)?(?:time\s+of\s+)?(?:initial\s+|first\s+)?diagnosis|at\s+(?:the\s+)?start\s+of\s+(?:adjuvant|treatment|therapy)
          |(?:tattoo|scar|wound|lesion|tumou?r|disease|injury|implant|device|fracture|graft|stent|sample|skeletal|reading|school)\s+age)\b",
    )
    .unwrap()
});

/// A criterion about someone else (a partner, a donor) or about part of the
/// study or a condition ("for patients < 16", "Part A:", "if", "Lansky"):
/// not read, but its ages still count as disagreement.
static SCOPED_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)
        \b(?:partners?|spouses?|wife|wives|husbands?|caregivers?|carers?|parents?|guardians?|mothers?|fathers?|siblings?|donors?|legal\s+age|age\s+of\s+(?:majority|consent)
          |except|unless|if|when|whose|once|ago|history|duration|childbearing|child-bearing|risk\s+factors?|such\s+as|lansky|karnofsky|performance|weigh|considered
          |for\s+(?:all\s+)?(?:patients|participants|subjects|children|those|women|men|adults|infants|adolescents|ages)
          |(?:in|for)\s+(?:the\s+)?(?:phase|part|stage|cohort|arm|group)\s+(?:[IVX]+|\d|[A-D])
          |(?:in|for)\s+(?:those|patients|participants|subjects|women|men|children)\s+(?:aged|age|over|under|older|younger)
          |for\s+the\s+[\w/-]+\s+(?:group|arm|cohort|stratum)|strat(?:um|a)|portion|sub-?study|or\s+in
          |residents?|citizens?|countr(?:y|ies)|regulations?|jurisdictions?|local\s+law
          |where|permitted|dose\s+levels?|only\s+(?:be\s+)?(?:included|enrolled|eligible)
          |no\s+more\s+than\s+\w+\s+(?:patients?|subjects?|participants?))\b
        | \b(?:arm|cohort|part|group|stage|phase)(?:\s+[A-Z0-9]{1,3})?\s*:
        | :\s*$",
    )
    .unwrap()
});

/// A criterion about another person: items nested under it are about them too.
static SOMEONE_ELSE_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(?:donors?|partners?|spouses?|siblings?|parents?|guardians?|caregivers?|carers?|mothers?|fathers?|wife|husband)\b").unwrap()
});

/// The words of [`SOMEONE_ELSE_RE`], one of which every match holds.
const SOMEONE_ELSE_WORD_LIST: &[&str] = &[
    "donor",
    "partner",
    "spouse",
    "sibling",
    "parent",
    "guardian",
    "caregiver",
    "carer",
    "mother",
    "father",
    "wife",
    "husband",
];

/// The words of [`has_age_word`] and of [`SOMEONE_ELSE_RE`] in the
/// inclusion criteria, found in one pass, for the sentences and the lines
/// asked about in order. Each sentence asked whether it held an age word
/// with an automaton search of its own (about nine a record, over nearly
/// all of the criteria), and the lines' words were found in a second
/// pass over the criteria.
///
/// The words are looked for only where a word of ASCII letters starts
/// (see [`ascii_word_starts`]), which every occurrence the two questions
/// need does: an age word counts only where it does not follow a letter,
/// and every match of [`SOMEONE_ELSE_RE`] starts at an ASCII `\b`. The
/// words fold ASCII case only, as the pattern they stand for does (it is
/// compiled without Unicode mode). This replaced an overlapping
/// Aho-Corasick search of every byte (13.6k instructions a record).
struct CriteriaWords<'t> {
    text: &'t str,
    /// Where an age word starts that does not follow a letter, in order.
    age: Vec<usize>,
    /// Where a word of [`SOMEONE_ELSE_RE`] starts, in order.
    someone: Vec<usize>,
    /// The first of each not passed yet.
    next_age: usize,
    next_someone: usize,
}

impl<'t> CriteriaWords<'t> {
    fn new(text: &'t str) -> CriteriaWords<'t> {
        let by_first = &*CRITERIA_WORDS_BY_FIRST;
        let b = text.as_bytes();
        let (mut age, mut someone) = (Vec::new(), Vec::new());
        ascii_word_starts(b, |at| {
            let rest = &b[at..];
            for &(word, is_age) in &by_first[usize::from(b[at].to_ascii_lowercase() - b'a')] {
                if !rest
                    .get(..word.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(word))
                {
                    continue;
                }
                if !is_age {
                    someone.push(at);
                } else if !(at > 0 && b[at - 1] >= 0x80 && after_letter(text, at)) {
                    // a start follows no ASCII letter: only a character
                    // of more bytes before it may still be a letter
                    age.push(at);
                }
            }
        });
        CriteriaWords {
            text,
            age,
            someone,
            next_age: 0,
            next_someone: 0,
        }
    }

    /// [`has_age_word`] of the sentence `s..e` of the text, which follows
    /// the sentences asked about before, starts after a character that is
    /// not a letter (a line break, ';', '.', '!', '?' or none) and ends at
    /// one or where a line or the text ends, as each sentence of
    /// [`criteria`] does. Exact: an occurrence its own search finds is
    /// one found here, and starts after a letter here only where it does
    /// in the sentence (not at its start); one found here but not by its
    /// own search (standard semantics report the occurrence that ends
    /// first and go on after it) starts inside another one, after a
    /// letter (no word holds another, and no word runs out of a
    /// sentence, whose ends are not letters).
    fn age_word_in(&mut self, s: usize, e: usize) -> bool {
        while self.age.get(self.next_age).is_some_and(|&k| k < s) {
            self.next_age += 1;
        }
        self.age.get(self.next_age).is_some_and(|&k| k < e)
    }

    /// Whether [`SOMEONE_ELSE_RE`] matches the line `ls..le`, which
    /// follows the lines asked about before. The pattern was run on every
    /// line of the inclusion criteria; now it runs only on a line where
    /// one of its words starts. Exact: a match holds one of the words,
    /// which holds no line break, so it starts on the line of the match
    /// (a logical line is whole physical lines).
    fn someone_else_on(&mut self, ls: usize, le: usize) -> bool {
        while self.someone.get(self.next_someone).is_some_and(|&k| k < ls) {
            self.next_someone += 1;
        }
        self.someone.get(self.next_someone).is_some_and(|&k| k < le)
            && SOMEONE_ELSE_RE.is_match(&self.text[ls..le])
    }
}

/// The words of [`CriteriaWords`] by their first letter (lower case, `a`
/// at 0), each with whether it is an age word (else a word of
/// [`SOMEONE_ELSE_RE`]).
type WordsByFirst = [Vec<(&'static [u8], bool)>; 26];

static CRITERIA_WORDS_BY_FIRST: LazyLock<WordsByFirst> = LazyLock::new(|| {
    let mut by_first: WordsByFirst = Default::default();
    let words = AGE_WORD_LIST.iter().map(|w| (w, true));
    for (w, is_age) in words.chain(SOMEONE_ELSE_WORD_LIST.iter().map(|w| (w, false))) {
        by_first[usize::from(w.as_bytes()[0] - b'a')].push((w.as_bytes(), is_age));
    }
    by_first
});

/// Calls `found` with each position of `b`, in order, where an ASCII
/// letter does not follow another ASCII letter. Found 64 bytes at a time
/// from bit masks of the letters (about one byte in six starts a word of
/// prose, so `found` runs far less often than a byte-wise search steps).
fn ascii_word_starts(b: &[u8], mut found: impl FnMut(usize)) {
    let mut base = 0;
    let mut carry = 0u64; // whether the byte before the chunk is a letter
    while base < b.len() {
        let letters = match b.get(base..base + 64) {
            Some(c) => ascii_letters(c.try_into().expect("64 bytes")),
            None => {
                // the last chunk padded with spaces, which are no letters
                let mut padded = [b' '; 64];
                padded[..b.len() - base].copy_from_slice(&b[base..]);
                ascii_letters(&padded)
            }
        };
        let mut starts = letters & !((letters << 1) | carry);
        while starts != 0 {
            found(base + starts.trailing_zeros() as usize);
            starts &= starts - 1;
        }
        carry = letters >> 63;
        base += 64;
    }
}

/// The ASCII letters of a chunk, bit `k` for byte `k`.
#[cfg(target_arch = "x86_64")]
fn ascii_letters(c: &[u8; 64]) -> u64 {
    use std::arch::x86_64::*;
    let mut letters = 0u64;
    for k in 0..4 {
        // SAFETY: SSE2 is part of x86-64; the 16 bytes at `16 * k` are in `c`
        let m = unsafe {
            let v = _mm_loadu_si128(c.as_ptr().add(16 * k).cast());
            // signed comparisons: a byte above 0x7f is below every ASCII
            // byte, so it is no letter with the case bit set either
            let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
            let letter = _mm_and_si128(
                _mm_cmpgt_epi8(lower, _mm_set1_epi8((b'a' - 1) as i8)),
                _mm_cmplt_epi8(lower, _mm_set1_epi8((b'z' + 1) as i8)),
            );
            _mm_movemask_epi8(letter) as u32
        };
        letters |= u64::from(m) << (16 * k);
    }
    letters
}

#[cfg(not(target_arch = "x86_64"))]
fn ascii_letters(c: &[u8; 64]) -> u64 {
    ascii_letters_bytewise(c)
}

/// [`ascii_letters`] a byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn ascii_letters_bytewise(c: &[u8; 64]) -> u64 {
    c.iter()
        .enumerate()
        .filter(|(_, x)| x.is_ascii_alphabetic())
        .fold(0, |m, (k, _)| m | 1 << k)
}

/// A heading that opens a set of inclusion criteria, from its word
/// "inclusion" on; what comes before the word on its line is
/// `[^\n]{0,50}\b` (see [`inclusion_heading_at`]).
const INCLUSION_HEADING: &str =
    r"inclusion\s+criteri[a-z]*\b(?:\s*\([^)\n]{0,30}\))?\s*:[^\n]{0,40}$";

/// Every inclusion heading of a text (what [`inclusion_headings`] counts;
/// kept as the test's reference).
#[cfg(test)]
static INCLUSION_HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(&format!(r"(?im)^[^\n]{{0,50}}\b{INCLUSION_HEADING}"))
        .unwrap()
});

/// [`INCLUSION_HEADING`] at the start of its haystack.
static INCLUSION_HEADING_REST_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(&format!(r"(?im)\A{INCLUSION_HEADING}")).unwrap()
});

/// How many inclusion headings ([`INCLUSION_HEADING`]) `text` has, counting to
/// two at most. Every match starts a line holding "inclu", so only those
/// lines are tried, each with the anchored pattern: scanning every
/// criteria text with the whole pattern was 1.5% of a run. The lines are
/// taken in order and a line inside the last match is skipped, which
/// finds the matches `find_iter` would. Each "inclu" is found by [`Clu`]
/// (which finds every one; a case-insensitive automaton for "inclu" did).
fn inclusion_headings(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut count, mut after) = (0, 0);
    for (start, ex) in Clu::new(b) {
        if ex {
            continue;
        }
        let line = memchr::memrchr(b'\n', &b[..start]).map_or(0, |k| k + 1);
        if line < after {
            continue;
        }
        if let Some(end) = inclusion_heading_at(text, line) {
            count += 1;
            after = end;
            if count > 1 {
                break;
            }
        } else {
            // the next "inclu" on this line would try the same line again
            after = memchr::memchr(b'\n', &b[start..]).map_or(text.len(), |k| start + k);
        }
    }
    count
}

/// Where the inclusion heading that starts the line at `line` ends, if it
/// is one: where `^[^\n]{0,50}\b{INCLUSION_HEADING}` matching there
/// ends.
///
/// The pattern starts with `[^\n]{0,50}` before the word: run from the
/// start of the line, its lazy DFA followed every count of up to fifty
/// characters (in Unicode mode) to each "inclusion" (1.0% of the time
/// samples, for two lines a record). The rest of the pattern is run from
/// each "inclu" within fifty characters of the line start where a word
/// starts (the `\b`; "inclu" is ASCII in any case fold), and the greedy
/// prefix makes the match the one from the last of those where the
/// rest matches.
fn inclusion_heading_at(text: &str, line: usize) -> Option<usize> {
    let b = text.as_bytes();
    let line_end = memchr::memchr(b'\n', &b[line..]).map_or(b.len(), |k| line + k);
    let (mut chars, mut end) = (0, None);
    for p in line..line_end {
        if b[p] & 0xC0 == 0x80 {
            continue; // inside a character
        }
        if chars > 50 {
            break;
        }
        chars += 1;
        let word_start = p == 0 || !(b[p - 1].is_ascii_alphanumeric() || b[p - 1] == b'_');
        if word_start
            && b[p..]
                .get(..5)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"inclu"))
        {
            if let Some(m) = INCLUSION_HEADING_REST_RE.find(&text[p..]) {
                end = Some(p + m.end());
            }
        }
    }
    end
}

/// "9-13 years": a range of years with no age word of its own.
static BARE_RANGE_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"\b(\d{1,2})\s*[-–]\s*(\d{1,3})\s*(?:years?|yrs?)\b")
        .unwrap()
});

/// " OR " in capitals joins alternatives ("Age 70 or older OR AML in relapse").
static CAPS_OR_RE: LazyLock<Regex> =
    LazyLock::new(|| crate::extract::patterns::compile(r"\bOR\b").unwrap());

/// A header line after which the criteria are scoped ("Patients may be
/// eligible for the substudy if they:", "Normal Volunteers:", "meeting 1 of
/// the following criteria:"); the reference of [`is_scope_header`].
#[cfg(test)]
static SCOPE_HEADER_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(&format!(r"{SCOPE_WORD}[^\n]{{0,80}}:\s*$")).unwrap()
});

/// The words of a scope header, which a header holds (as a word) within
/// eighty characters of its closing ':' on the same line.
const SCOPE_WORD: &str = r"(?i)\b(?:if|sub-?study|cohort|part|arm|stratum|donors?|volunteers?|controls?|following|either|one\s+of|1\s+of|any\s+of|groups|populations?)\b";

/// [`SCOPE_WORD`] in the Unicode mode of [`SCOPE_HEADER_RE`] (whose
/// negated class keeps it there).
static SCOPE_WORD_RE: LazyLock<Regex> =
    LazyLock::new(|| crate::extract::patterns::compile_unicode(SCOPE_WORD).unwrap());

/// Whether a line is a header after which the criteria are scoped
/// ([`SCOPE_HEADER_RE`] on the line without its trailing white space).
/// The pattern ends in ":\s*$" and every `\s` is white space to
/// `trim_end`, so only a line that ends in ':' can match, and only with
/// that ':' (after an earlier one a character that is not white space
/// follows); it is asked of those lines alone.
///
/// Then it matches where a scope word ends on the line of that ':'
/// within eighty characters of it (`[^\n]{0,80}`), and a word ending
/// later is closer: whether the last end of a word answers. The words
/// are found with [`SCOPE_WORD_RE`], from one past the start of each
/// (an overlapping search: "donorſ" hides the word "ſtratum" starting
/// inside it from a search that goes on after each match); a word's
/// match is its longest (`s?` is greedy). The whole pattern was run on
/// the line: its eighty counted characters of any kind made a large
/// lazy DFA (0.9% of the time samples, for about one line a record).
fn is_scope_header(line: &str) -> bool {
    let line = line.trim_end();
    let Some(colon) = line.len().checked_sub(1).filter(|_| line.ends_with(':')) else {
        return false;
    };
    let (mut at, mut end) = (0, None);
    while let Some(m) = SCOPE_WORD_RE.find_at(line, at) {
        end = end.max(Some(m.end()));
        at = m.start() + line[m.start()..].chars().next().map_or(1, char::len_utf8);
    }
    end.is_some_and(|e| {
        let gap = &line[e..colon];
        !gap.contains('\n') && gap.chars().count() <= 80
    })
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Bound {
    Min,
    Max,
}

struct Cand {
    bound: Bound,
    years: f64,
    start: usize,
    end: usize,
    how: Option<String>,
}

fn criteria(i: usize, f: &Field, inclusion: &Inclusion, out: &mut Vec<Fact>) {
    let text = f.text.as_str();
    // cheap prefilter: nothing to read without "age", "old" or "year"
    if !AGE_WORDS.in_field(f) || !has_age_word(text) {
        return;
    }
    let incl = inclusion.of(i, f);
    // one set of inclusion criteria per cohort ("Polyneuropathy Inclusion
    // Criteria:", "Cardiomyopathy Inclusion Criteria:"): the first section's
    // ages are not the study's
    if inclusion_headings(text) > 1 {
        return;
    }
    let mut cands: Vec<Cand> = Vec::new();
    // ages read in scoped criteria: only to see whether the criteria disagree
    let mut shadow: Vec<Cand> = Vec::new();
    let mut scoped_below = false;
    // items nested under a scoped one ("sibling donor available" → "Age 12 to 74")
    let mut scope_indent: Option<usize> = None;
    // under a label that is not about age ("Life expectancy:"), only an
    // explicit "age"/"aged" is read
    let mut under_other_label = false;
    let mut words_of = CriteriaWords::new(incl);
    for (ls, le) in super::sentences::logical_lines(incl) {
        let line_all = &incl[ls..le];
        let indent = line_all.len() - line_all.trim_start_matches([' ', '\t', '\r']).len();
        if scope_indent.is_some_and(|si| indent <= si) {
            scope_indent = None;
        }
        let trimmed = line_all.trim();
        let is_label = trimmed.ends_with(':') && trimmed.len() <= 60;
        if is_label {
            let lower = trimmed.to_ascii_lowercase();
            let criteria_heading = [
                "criteri",
                "inclusion",
                "eligib",
                "characteristics",
                "patients",
                "subjects",
                "participants",
            ]
            .iter()
            .any(|w| lower.contains(w));
            under_other_label = !criteria_heading && !has_age_word(trimmed);
        }
        let nested_scoped = scope_indent.is_some();
        // clauses split at ';' (not the ';' of an entity such as "&lt;"),
        // found with memchr (an ASCII byte is a character of its own)
        let mut cs = 0;
        for k in
            memchr::memchr_iter(b';', line_all.as_bytes()).chain(std::iter::once(line_all.len()))
        {
            if k < line_all.len() && ends_entity(&line_all[..k]) {
                continue;
            }
            let line = &line_all[cs..k];
            // and within a clause, sentence by sentence
            for (a, b) in super::sentences::sentences_across_lines(line) {
                let seg = &line[a..b];
                if seg.trim().is_empty()
                    || !words_of.age_word_in(ls + cs + a, ls + cs + b)
                    || !has_number(seg)
                {
                    continue;
                }
                // What every pattern reads in the sentence, found first:
                // where nothing is read (most sentences), the four
                // questions about the sentence (not an entry age, scoped,
                // "OR", about an object) are not asked, as their answers
                // change nothing. Reading as about an object runs fewer
                // patterns and rejects more of their matches, and a
                // pattern's match is only kept clear of what was read
                // before it; when nothing is read at all, nothing is read
                // there either (so no candidate, no bare range and no
                // shadow). When something is read, this is the reading
                // the object case keeps as disagreement, and the reading
                // of any other sentence, found once instead of twice.
                let base = ls + cs + a;
                let words = Words::of(seg);
                let mut all = Vec::new();
                segment_with(seg, base, false, &words, &mut all);
                if all.is_empty() || NOT_ENTRY_AGE_RE.is_match(seg) {
                    continue;
                }
                let scoped = scoped_below
                    || nested_scoped
                    || SCOPED_RE.is_match(seg)
                    || CAPS_OR_RE.is_match(seg);
                let into = if scoped { &mut shadow } else { &mut cands };
                let objecty = under_other_label || OBJECT_RE.is_match(seg);
                let before = into.len();
                let mut extra: Vec<Cand> = Vec::new();
                if objecty {
                    segment_with(seg, base, true, &words, into);
                } else {
                    into.append(&mut all);
                }
                // another bare range in the same sentence ("9-13 years ... and
                // 16-26 years of age"): a second population, so it counts
                // as disagreement
                if into.len() > before {
                    let read: Vec<(usize, usize)> =
                        into[before..].iter().map(|c| (c.start, c.end)).collect();
                    for m in BARE_RANGE_RE.captures_iter(seg) {
                        let (Some(lo), Some(hi)) = (m.get(1), m.get(2)) else {
                            continue;
                        };
                        let (s0, e0) = (base + lo.start(), base + hi.end());
                        if read.iter().any(|&(rs, re)| rs < e0 && s0 < re) {
                            continue;
                        }
                        if let (Ok(l), Ok(h)) =
                            (lo.as_str().parse::<f64>(), hi.as_str().parse::<f64>())
                        {
                            for (bound, years, st, en) in [
                                (Bound::Min, l, base + lo.start(), base + lo.end()),
                                (Bound::Max, h, base + hi.start(), base + hi.end()),
                            ] {
                                extra.push(Cand {
                                    bound,
                                    years,
                                    start: st,
                                    end: en,
                                    how: None,
                                });
                            }
                        }
                    }
                }
                if objecty {
                    // what the other patterns would read there still counts as disagreement
                    let read: Vec<(usize, usize)> =
                        into[before..].iter().map(|c| (c.start, c.end)).collect();
                    shadow.extend(
                        all.into_iter()
                            .filter(|c| !read.contains(&(c.start, c.end))),
                    );
                }
                shadow.extend(extra);
            }
            cs = k + 1;
        }
        if is_scope_header(line_all) {
            scoped_below = true;
        }
        if scope_indent.is_none() && words_of.someone_else_on(ls, le) {
            scope_indent = Some(indent);
        }
    }
    // a minimum above the maximum: two populations, not limits
    let all = || cands.iter().chain(shadow.iter());
    let min = all()
        .filter(|c| c.bound == Bound::Min)
        .map(|c| c.years)
        .fold(f64::NAN, f64::max);
    let max = all()
        .filter(|c| c.bound == Bound::Max)
        .map(|c| c.years)
        .fold(f64::NAN, f64::min);
    if min > max {
        return;
    }
    // the criteria disagree with themselves about a bound (two arms, two
    // cohorts): neither bound is the study's, do not guess
    let conflict = |bound: Bound| {
        let mut of_bound = all().filter(|c| c.bound == bound);
        of_bound
            .next()
            .is_some_and(|first| of_bound.any(|c| (c.years - first.years).abs() > 1e-6))
    };
    if conflict(Bound::Min) || conflict(Bound::Max) {
        return;
    }
    for bound in [Bound::Min, Bound::Max] {
        let Some(first) = cands.iter().find(|c| c.bound == bound) else {
            continue;
        };
        let name = match bound {
            Bound::Min => names::CRITERIA_AGE_MIN,
            Bound::Max => names::CRITERIA_AGE_MAX,
        };
        let mut fact = Fact::new(
            name,
            Value::Age(first.years),
            f.text.span(first.start, first.end),
            i,
            Origin::Text,
            &text[first.start..first.end],
        );
        if let Some(h) = &first.how {
            fact = fact.with_how(h.clone());
        }
        out.push(fact);
    }
}

/// Does `s` end in an HTML entity name ("&lt", "&#8805") whose ";" follows?
fn ends_entity(s: &str) -> bool {
    let b = s.as_bytes();
    let mut k = b.len();
    while k > 0 && (b[k - 1].is_ascii_alphanumeric() || b[k - 1] == b'#') && b.len() - k <= 8 {
        k -= 1;
    }
    k > 0 && k < b.len() && b[k - 1] == b'&'
}

/// The words of [`has_age_word`].
pub(super) const AGE_WORD_LIST: &[&str] = &["age", "old", "year", "yr", "month", "week", "day"];

static AGE_WORDS: LazyLock<crate::extract::patterns::Keywords> =
    LazyLock::new(|| crate::extract::patterns::keywords(AGE_WORD_LIST));

fn has_age_word(s: &str) -> bool {
    // Every pattern has one of these words at the start of a word (or
    // glued to a number: "18years"); "stage", "threshold" and "today" are
    // not ages, and without this most sentences would go through them all.
    AGE_WORDS.find_iter(s).any(|m| !after_letter(s, m.start()))
}

/// Whether the character before `at` in `s` is a letter.
fn after_letter(s: &str, at: usize) -> bool {
    s[..at].chars().next_back().is_some_and(char::is_alphabetic)
}

/// Whether `s` has a number the patterns can read: a digit or a number
/// word (a superset).
fn has_number(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) || super::numbers::has_number_word(s)
}

/// Parse a matched number ("18", "eighteen", "0.5").
fn num_value(s: &str) -> Option<f64> {
    if s.as_bytes().first()?.is_ascii_digit() {
        s.parse().ok()
    } else {
        parse_number(s).map(|v| v as f64)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    MinIncl,
    MinStrict,
    MaxIncl,
    MaxStrict,
}

fn cmp_kind(c: &str) -> Option<Kind> {
    let l = c.to_ascii_lowercase();
    let l: String = l.split_whitespace().collect::<Vec<_>>().join(" ");
    let l = l.replace(['\\', ' ', '/'], "");
    Some(match l.as_str() {
        "≥" | ">=" | "=>" | "&gt;=" | "＞=" | "≧" | "⩾" => Kind::MinIncl,
        "≤" | "<=" | "=<" | "&lt;=" | "＜=" | "≦" | "⩽" => Kind::MaxIncl,
        ">" | "&gt;" | "＞" => Kind::MinStrict,
        "<" | "&lt;" | "＜" => Kind::MaxStrict,
        "notlessthan" | "nolessthan" | "notyoungerthan" | "noyoungerthan" | "atleast"
        | "minimum" | "minimumof" => Kind::MinIncl,
        "notmorethan" | "nomorethan" | "notolderthan" | "noolderthan" | "notover"
        | "notexceeding" | "atmost" | "upto" | "maximum" | "maximumof" => Kind::MaxIncl,
        "over" | "above" | "olderthan" | "morethan" | "greaterthan" => Kind::MinStrict,
        "under" | "below" | "youngerthan" | "lessthan" | "lowerthan" => Kind::MaxStrict,
        // trailing "or older", "and above", "+": inclusive
        "orolder" | "andolder" | "orabove" | "andabove" | "orover" | "andover" | "ormore"
        | "andmore" | "orgreater" | "andgreater" | "+" => Kind::MinIncl,
        "oryounger" | "andyounger" | "orbelow" | "andbelow" | "orunder" | "andunder" | "orless"
        | "andless" => Kind::MaxIncl,
        _ => return None,
    })
}

/// Display form of a quote for a `how` note: markdown escapes dropped,
/// white space folded.
fn clean(q: &str) -> String {
    q.replace('\\', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Build a candidate from a number, its unit and how it is bounded.
fn cand(
    kind: Kind,
    n: &str,
    unit: Option<&str>,
    start: usize,
    end: usize,
    quote: &str,
    cmp_text: &str,
) -> Option<Cand> {
    let v = num_value(n)?;
    let unit = unit.unwrap_or("years");
    let factor = unit_factor(unit)?;
    let uname = unit_name(unit);
    let whole = (v - v.round()).abs() < 1e-9;
    let (bound, adj) = match kind {
        Kind::MinIncl => (Bound::Min, v),
        Kind::MaxIncl => (Bound::Max, v),
        Kind::MinStrict if whole => (Bound::Min, v + 1.0),
        Kind::MaxStrict if whole => (Bound::Max, v - 1.0),
        _ => return None, // "> 0.5 years": no whole-unit bound to read
    };
    // Out of range before any note is written: the notes (the quote
    // cleaned, the value formatted) were built for every candidate, most
    // of which need none.
    let years = adj * factor;
    if !(0.0..=130.0).contains(&years) {
        return None;
    }
    let mut notes: Vec<String> = Vec::new();
    if !n.as_bytes()[0].is_ascii_digit() {
        notes.push(format!("'{n}' read as {v}"));
    }
    match kind {
        Kind::MinStrict => {
            let q = clean(quote);
            let cl = clean(cmp_text).to_ascii_lowercase();
            if cl.chars().any(|c| c.is_alphabetic()) {
                notes.push(format!(
                    "'{q}' read as '> {v}': a minimum of {adj} whole {uname}"
                ));
            } else {
                notes.push(format!("'{q}' read as a minimum of {adj} whole {uname}"));
            }
        }
        Kind::MaxStrict => notes.push(format!(
            "'{}' read as a maximum of {adj} whole {uname}",
            clean(quote)
        )),
        _ => {}
    }
    if uname != "years" {
        notes.push(format!("{adj} {uname} is {:.2} years", adj * factor));
    }
    Some(Cand {
        bound,
        years,
        start,
        end,
        how: if notes.is_empty() {
            None
        } else {
            Some(notes.join("; "))
        },
    })
}

/// After a number read without a unit: the next word is some other unit
/// ("72 h", "18-30 kg/m2", "> 7 %"), so the number is not an age.
fn foreign_unit_follows(rest: &str) -> bool {
    let r = rest.trim_start();
    if r.starts_with('%')
        || r.starts_with('.') && r[1..].starts_with(|ch: char| ch.is_ascii_digit())
    {
        return true;
    }
    if !r.starts_with(|ch: char| ch.is_alphabetic()) {
        return false;
    }
    let w: String = r
        .chars()
        .take_while(|ch| ch.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    !matches!(
        w.as_str(),
        "and"
            | "or"
            | "inclusive"
            | "both"
            | "with"
            | "who"
            | "male"
            | "female"
            | "males"
            | "females"
            | "men"
            | "women"
            | "at"
            | "in"
            | "on"
            | "of"
            | "are"
            | "is"
            | "will"
            | "must"
            | "to"
            | "but"
            | "including"
            | "included"
            | "incl"
            | "yrs"
            | "years"
            | "year"
            | "y"
            | "yo"
            | "old"
            | "inclusively"
            | "patients"
            | "subjects"
            | "participants"
    )
}

/// After a range: "or 12 months old" makes it one of alternatives.
static ALT_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)^\s*(?:years?\s*|months?\s*)?(?:old\s*)?,?\s*or\s+\d")
        .unwrap()
});

/// A number match cut short of more digits ("100" of "1000").
fn glued(seg: &str, end: usize) -> bool {
    seg[end..].starts_with(|c: char| c.is_ascii_digit())
}

/// Is the text after a bare range about a duration rather than an age?
fn duration_follows(rest: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        crate::extract::patterns::compile(r"(?i)^\s*(?:of\s+(?:[a-z]+)|ago\b|after\b|before\b|since\b|prior\b|previously\b|post\b|from\b|in\s+the\b|duration\b|history\b)").unwrap()
    });
    let r = rest.trim_start();
    if r.to_ascii_lowercase().starts_with("of age") {
        return false;
    }
    RE.is_match(r)
}

/// Which words and signs the age patterns need occur in a sentence, found
/// in one pass of an automaton and one of the bytes: a pattern that
/// cannot match without one that is absent is not run (most sentences
/// with a number and a unit word hold no age at all).
///
/// Each pattern ran over every sentence its word let through; its lazy
/// DFA walked the whole sentence for the few that held an age, and
/// the nine patterns' tables, walked one after the other, missed the
/// caches (the regex engine's time share is about three times its
/// share of the instructions). The signs below are what each match must
/// hold besides its word ([`Words::of`] says why each is exact).
///
/// Every word is matched ASCII case-insensitively; the patterns match them
/// with case folding, which adds no other letter for these except "ſ"
/// for "s" (in the patterns compiled in Unicode mode), so the words
/// with an "s" are also listed with "ſ" ("K" for "k": none has a "k").
struct Words {
    age: bool,
    old: bool,
    than: bool,
    year: bool,
    month: bool,
    /// A comparison word of `{WCMP}` followed by white space.
    wcmp: bool,
    /// "older" or "younger" followed by white space (`R_OLDER`).
    older: bool,
    /// "or"/"and", white space and a trailing word of `R_TRAIL`.
    trail: bool,
    /// How many signs of `{CMP}` (each match holds at least one).
    cmp: usize,
    /// A '+' (`R_TRAIL`'s other trailer).
    plus: bool,
    /// Two numbers may be read: two runs of digits, or a number word.
    two_nums: bool,
    /// "age" as `\bage[ds]?\b` (what `{LEAD}` starts with).
    lead: bool,
    /// What `{OLD}` may end a match with: "old" after a character that
    /// is not an ASCII word character, or "of", `\s*-?\s*` and "age".
    old_tail: bool,
}

/// The words of [`Words::of`]'s automaton, by what they stand for.
const W_AGE: usize = 0;
const W_OLD: usize = 1;
const W_THAN: usize = 2;
const W_YEAR: std::ops::RangeInclusive<usize> = 3..=4;
const W_MONTH: usize = 5;
/// From here on: words of `{WCMP}` (a trailing word of `R_TRAIL` too up
/// to `W_TRAIL_END`).
const W_CMP: usize = 6;
const W_TRAIL_END: usize = 20;
const WORDS: &[&str] = &[
    "age",
    "old",
    "than",
    "year",
    "yr",
    "month", // the patterns' own words
    "older",
    "younger", // W_CMP: comparison words that also trail
    "above",
    "over",
    "more",
    "greater",
    "below",
    "under",
    "less",
    "le\u{17f}s",
    "les\u{17f}",
    "le\u{17f}\u{17f}", // W_TRAIL_END: comparison words only
    "least",
    "lea\u{17f}t",
    "most",
    "mo\u{17f}t",
    "exceeding",
    "minimum",
    "maximum",
    "lower",
    "up",
];

impl Words {
    /// The words and signs of `seg`. Why each answers for its patterns:
    ///
    /// - `{WCMP}`: every alternative holds one of its words (less,
    ///   younger, more, older, over, exceeding, least, most, up, minimum,
    ///   maximum, above, greater, under, below, lower) followed by white
    ///   space: by `\s+` ("less than", "up to", "minimum of"), or, where
    ///   the alternative ends, because `\s*` and a number follow, and a
    ///   number starts with `\b` and a word character, which cannot come
    ///   right after a letter. White space is tested as `\s` in Unicode
    ///   mode ([`char::is_whitespace`], the same property), which holds
    ///   the ASCII one.
    /// - `R_OLDER`: "older" or "younger", then `\s+than`.
    /// - `R_TRAIL`: a '+' or "(or|and)\s+" and a trailing word ending at
    ///   `\b` (ASCII: the next byte is not a word character).
    /// - `{CMP}`: each alternative holds one of '<', '>', '&' ("&gt;"),
    ///   ≥ ≤ ≧ ≦ (E2 89 A4–A7), ⩽ ⩾ (E2 A9 BD–BE), ＜ ＞ (EF BC 9C, 9E);
    ///   `R_DOUBLE`'s two comparators are two of them.
    /// - Two numbers (the ranges): `{NUM}` is digits or a number word;
    ///   between a range's two numbers stands `{SEP}`, which holds no
    ///   digit, so two numbers of digits are two runs of digits. A
    ///   number word is found by [`has_number_word`](super::numbers::has_number_word)
    ///   (whose words hold every word of `{NUM}`), or may be spelled
    ///   with "ſ" (C5 BF), taken as one.
    /// - `{LEAD}` (`R_RANGE_LEAD`, `R_CMP_LEAD`) starts with
    ///   `\bage[ds]?\b`: "age" after a byte that is not an ASCII word
    ///   byte, then one that is not, or "d"/"s" and one that is not (an
    ///   "ſ" after "age" is not a word byte, and `\b` holds before it).
    ///   A sentence may have "age" only inside a word ("stage",
    ///   "average"), where the two patterns ran for nothing (about 750
    ///   of their 7,800 runs per 10,000 records).
    /// - `{OLD}` (`R_RANGE_OLD`, `R_CMP_OLD`, which end with it after a
    ///   unit): "old" after `[\s-]*` and the unit's `\b`, so after white
    ///   space, '-' or a unit's '.' ("yrs.old"), none an ASCII word
    ///   character; or "of", `\s*-?\s*` and "age" ([`of_before`]). The
    ///   two patterns ran on every sentence with "age" or "old" (8,700
    ///   runs per 10,000 records), 4,900 of them without either.
    fn of(seg: &str) -> Words {
        static AC: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(WORDS)
                .expect("fixed keywords")
        });
        let b = seg.as_bytes();
        let mut w = Words {
            age: false,
            old: false,
            than: false,
            year: false,
            month: false,
            wcmp: false,
            older: false,
            trail: false,
            cmp: 0,
            plus: false,
            two_nums: false,
            lead: false,
            old_tail: false,
        };
        let word_at = |k: usize| b.get(k).is_some_and(|&c| is_word_byte(c));
        let space_after = |e: usize| seg[e..].chars().next().is_some_and(char::is_whitespace);
        // overlapping: "month" must not hide the "than" of "monthan"
        for m in AC.find_overlapping_iter(seg) {
            let k = m.pattern().as_usize();
            match k {
                W_AGE => {
                    w.age = true;
                    let (s, e) = (m.start(), m.end());
                    w.lead |= (s == 0 || !word_at(s - 1))
                        && (!word_at(e) || matches!(b[e] | 0x20, b'd' | b's') && !word_at(e + 1));
                    w.old_tail |= of_before(&seg[..s]);
                }
                W_OLD => {
                    w.old = true;
                    w.old_tail |= m.start() == 0 || !word_at(m.start() - 1);
                }
                W_THAN => w.than = true,
                k if W_YEAR.contains(&k) => w.year = true,
                W_MONTH => w.month = true,
                _ => {
                    if space_after(m.end()) {
                        w.wcmp = true;
                        w.older |= k < W_CMP + 2;
                    }
                    if k < W_TRAIL_END && !w.trail {
                        w.trail = !b
                            .get(m.end())
                            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
                            && trails_or_and(&seg[..m.start()]);
                    }
                }
            }
        }
        let mut runs = 0;
        let mut long_s = false;
        let mut in_digits = false;
        for (i, &c) in b.iter().enumerate() {
            let digit = c.is_ascii_digit();
            runs += usize::from(digit && !in_digits);
            in_digits = digit;
            match c {
                b'<' | b'>' | b'&' => w.cmp += 1,
                b'+' => w.plus = true,
                0xE2 => {
                    w.cmp += usize::from(matches!(
                        (b.get(i + 1), b.get(i + 2)),
                        (Some(0x89), Some(0xA4..=0xA7)) | (Some(0xA9), Some(0xBD..=0xBE))
                    ))
                }
                0xEF => {
                    w.cmp += usize::from(matches!(
                        (b.get(i + 1), b.get(i + 2)),
                        (Some(0xBC), Some(0x9C | 0x9E))
                    ))
                }
                0xC5 => long_s |= b.get(i + 1) == Some(&0xBF),
                _ => {}
            }
        }
        w.two_nums = runs >= 2 || long_s || super::numbers::has_number_word(seg);
        w
    }
}

/// Whether `before` ends in "or" or "and" and at least one white space
/// character (`(?:or|and)\s+` in Unicode mode).
fn trails_or_and(before: &str) -> bool {
    let t = before.trim_end_matches(char::is_whitespace);
    t.len() < before.len() && {
        let t = t.as_bytes();
        let ends = |w: &[u8]| t.len() >= w.len() && t[t.len() - w.len()..].eq_ignore_ascii_case(w);
        ends(b"or") || ends(b"and")
    }
}

/// Whether `before` ends in "of" (in any ASCII case) and `\s*-?\s*`:
/// what stands before "age" in `{OLD}`. The white space is trimmed
/// whole, then a '-', then the white space before it, which takes all of
/// `\s*-?\s*` when it is there.
fn of_before(before: &str) -> bool {
    let t = before.trim_end_matches(char::is_whitespace);
    let t = t
        .strip_suffix('-')
        .map_or(t, |t| t.trim_end_matches(char::is_whitespace));
    t.len() >= 2 && t.as_bytes()[t.len() - 2..].eq_ignore_ascii_case(b"of")
}

#[cfg(test)]
fn segment(seg: &str, base: usize, objecty: bool, out: &mut Vec<Cand>) {
    segment_with(seg, base, objecty, &Words::of(seg), out)
}

/// [`segment`] with the words and signs of `seg` known.
fn segment_with(seg: &str, base: usize, objecty: bool, words: &Words, out: &mut Vec<Cand>) {
    // what each pattern cannot match without: "age" in {LEAD} and in
    // R_DOUBLE, {OLD} ("old", "of age"), "than", the units "years"/"yrs"
    // (and "months"); the ranges two numbers, the comparisons a
    // comparator (see Words::of)
    let lead = words.lead;
    let old = words.old_tail;
    let cmp = words.cmp > 0 || words.wcmp;
    let bare = (words.year || words.month) && words.two_nums;
    let person = words.year && cmp;
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let overlaps = |taken: &Vec<(usize, usize)>, a: usize, b: usize| {
        taken.iter().any(|&(s, e)| a < e && s < b)
    };

    // "20 years old ≤ age < 40 years old"
    if words.age && words.cmp >= 2 {
        for c in R_DOUBLE.captures_iter(seg) {
            let m = c.get(0).unwrap();
            if overlaps(&taken, m.start(), m.end()) {
                continue;
            }
            let (n1, c1, c2, n2) = (
                c.name("n1").unwrap(),
                c.name("c1").unwrap(),
                c.name("c2").unwrap(),
                c.name("n2").unwrap(),
            );
            if glued(seg, n1.end()) || glued(seg, n2.end()) {
                continue;
            }
            let (Some(k1), Some(k2)) = (cmp_kind(c1.as_str()), cmp_kind(c2.as_str())) else {
                continue;
            };
            let u = c.name("u2").or(c.name("u1")).map(|u| u.as_str());
            // "a ≤ age < b": the left number is the minimum
            let (lk, rk) = match (k1, k2) {
                (Kind::MaxIncl, Kind::MaxIncl | Kind::MaxStrict) => (Kind::MinIncl, k2),
                (Kind::MaxStrict, Kind::MaxIncl | Kind::MaxStrict) => (Kind::MinStrict, k2),
                (Kind::MinIncl, Kind::MinIncl | Kind::MinStrict) => (Kind::MaxIncl, k2),
                (Kind::MinStrict, Kind::MinIncl | Kind::MinStrict) => (Kind::MaxStrict, k2),
                _ => continue,
            };
            let (ls, le) = (n1.start(), c1.end());
            let (rs, re_) = (c2.start(), n2.end());
            let l = cand(
                lk,
                n1.as_str(),
                u,
                base + ls,
                base + le,
                &format!(
                    "{} {}",
                    if matches!(lk, Kind::MinStrict) {
                        ">"
                    } else {
                        "≥"
                    },
                    n1.as_str()
                ),
                "",
            );
            let r = cand(
                rk,
                n2.as_str(),
                u,
                base + rs,
                base + re_,
                &seg[rs..re_],
                c2.as_str(),
            );
            if let (Some(mut l), Some(r)) = (l, r) {
                // the left side reads "a ≤ age": say so in the quote of the note
                if let Some(h) = &mut l.how {
                    *h = h.replacen(
                        &format!("'> {}'", n1.as_str()),
                        &format!("'{} < age'", n1.as_str()),
                        1,
                    );
                }
                out.push(l);
                out.push(r);
                taken.push((m.start(), m.end()));
            }
        }
    }

    // ranges
    for (rx, bare, can_match) in [
        (&*R_RANGE_LEAD, false, lead && words.two_nums),
        (&*R_RANGE_OLD, false, old && words.two_nums),
        (&*R_RANGE_BARE, true, bare),
    ] {
        if !can_match || objecty && !std::ptr::eq(rx, &*R_RANGE_LEAD) {
            continue;
        }
        for c in rx.captures_iter(seg) {
            let m = c.get(0).unwrap();
            let (n1, n2) = (c.name("n1").unwrap(), c.name("n2").unwrap());
            if glued(seg, n1.end())
                || glued(seg, n2.end())
                || overlaps(&taken, n1.start(), n2.end())
            {
                continue;
            }
            if bare && duration_follows(&seg[m.end()..]) {
                continue;
            }
            // a range followed by a unit that makes it something else ("18-65 kg")
            let rest = &seg[m.end()..];
            if c.name("u2").is_none() && foreign_unit_follows(rest) {
                continue;
            }
            // "7 to 9 months old or 12 months old": alternatives, not a range
            if ALT_AFTER_RE.is_match(rest) {
                continue;
            }
            let u2 = c.name("u2").map(|u| u.as_str());
            let u1 = c.name("u1").map(|u| u.as_str()).or(u2);
            let (Some(v1), Some(v2)) = (num_value(n1.as_str()), num_value(n2.as_str())) else {
                continue;
            };
            let f1 = unit_factor(u1.unwrap_or("years")).unwrap_or(1.0);
            let f2 = unit_factor(u2.unwrap_or("years")).unwrap_or(1.0);
            if v1 * f1 >= v2 * f2 {
                continue; // not a range of ages
            }
            let a = cand(
                Kind::MinIncl,
                n1.as_str(),
                u1,
                base + n1.start(),
                base + n1.end(),
                n1.as_str(),
                "",
            );
            let b = cand(
                Kind::MaxIncl,
                n2.as_str(),
                u2,
                base + n2.start(),
                base + n2.end(),
                n2.as_str(),
                "",
            );
            if let (Some(a), Some(b)) = (a, b) {
                out.push(a);
                out.push(b);
                taken.push((m.start(), m.end()));
            }
        }
    }

    // "18 years or older", "Age 18+"
    let trailer = words.plus || words.trail;
    for c in trailer
        .then(|| R_TRAIL.captures_iter(seg))
        .into_iter()
        .flatten()
    {
        let n = c.name("n").unwrap();
        let t = c.name("t").unwrap();
        if glued(seg, n.end()) || overlaps(&taken, n.start(), t.end()) {
            continue;
        }
        // "18 years old and younger than 70" is not "18 and younger"
        if seg[t.end()..]
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("than")
        {
            continue;
        }
        let has_lead = c.name("lead").is_some();
        if objecty && !has_lead {
            continue;
        }
        // "over 40 years of age and under 70 years": "and under" belongs to 70
        if seg[t.end()..]
            .trim_start()
            .starts_with(|ch: char| ch.is_ascii_digit())
        {
            continue;
        }
        let has_old = c.name("old").is_some();
        let u = c.name("u").map(|u| u.as_str());
        let tl = t.as_str().to_ascii_lowercase();
        let agey = tl.ends_with("older") || tl.ends_with("younger");
        if !(has_lead || has_old || (agey && u.is_some())) {
            continue;
        }
        if tl == "+" && !has_lead {
            continue;
        }
        let Some(k) = cmp_kind(t.as_str()) else {
            continue;
        };
        let (s, e) = (n.start(), t.end());
        if let Some(x) = cand(k, n.as_str(), u, base + s, base + e, &seg[s..e], t.as_str()) {
            out.push(x);
            taken.push((s, e));
        }
    }

    // comparisons
    for (rx, need_unit, can_match) in [
        (&*R_CMP_LEAD, false, lead && cmp),
        (&*R_CMP_OLD, true, old && cmp),
        (&*R_OLDER, true, words.than && words.older),
        (&*R_CMP_PERSON, true, person),
    ] {
        if !can_match || objecty && !std::ptr::eq(rx, &*R_CMP_LEAD) {
            continue;
        }
        for c in rx.captures_iter(seg) {
            let cm = c.name("c").unwrap();
            let n = c.name("n").unwrap();
            if glued(seg, n.end()) || overlaps(&taken, cm.start(), n.end()) {
                continue;
            }
            let u = c.name("u").map(|u| u.as_str());
            if need_unit && u.is_none() {
                continue;
            }
            // "≥ 1 year after surgery", "at least 2 year history": durations
            if std::ptr::eq(rx, &*R_CMP_PERSON) && duration_follows(&seg[c.get(0).unwrap().end()..])
            {
                continue;
            }
            // "age <= 72 h" is not an age in years; "age > 18 and < 65" is
            if u.is_none() && foreign_unit_follows(&seg[n.end()..]) {
                continue;
            }
            let Some(k) = cmp_kind(cm.as_str()) else {
                continue;
            };
            let (s, e) = (cm.start(), n.end());
            if let Some(x) = cand(
                k,
                n.as_str(),
                u,
                base + s,
                base + e,
                &seg[s..e],
                cm.as_str(),
            ) {
                out.push(x);
                taken.push((s, e));
            }
        }
    }

    // "age > 18 and < 65": a second comparator right after a read bound
    // (only when the first one was read from an "age" lead)
    static R_AND_CMP: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^\s*(?:{UNIT}\s*)?(?:{OLD})?\s*(?:,\s*)?(?:and|&|but)\s*(?P<c>{WCMP}|{CMP})\s*(?P<n>{NUM})(?:\s*\(\s*\d{1,3}\s*\))?\s*(?P<u>{UNIT})?",
        )
    });
    // (R_AND_CMP needs a comparator too)
    let prior: Vec<(usize, usize)> = if cmp { taken.clone() } else { Vec::new() };
    for (_, e) in prior {
        let rest = &seg[e..];
        if let Some(c) = R_AND_CMP.captures(rest) {
            let cm = c.name("c").unwrap();
            let n = c.name("n").unwrap();
            let Some(k) = cmp_kind(cm.as_str()) else {
                continue;
            };
            let (s, en) = (e + cm.start(), e + n.end());
            if glued(seg, en) || overlaps(&taken, s, en) {
                continue;
            }
            let u = c.name("u").map(|u| u.as_str());
            if u.is_none() && foreign_unit_follows(&rest[n.end()..]) {
                continue;
            }
            if let Some(x) = cand(
                k,
                n.as_str(),
                u,
                base + s,
                base + en,
                &seg[s..en],
                cm.as_str(),
            ) {
                out.push(x);
                taken.push((s, en));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Text;

    #[test]
    fn inclusion_headings_are_the_matches_of_the_whole_pattern() {
        let lines = [
            "Inclusion Criteria:",
            "  * Key inclusion criteria (cohort A): ",
            "Polyneuropathy Inclusion\nCriteria:",
            "inclusion criteria: age 18",
            "Inclusion of patients: adults",
            "Non-inclusion criteria:",
            "INCLUSION CRITERIA FOR THE DONOR: all",
            "exclusion criteria:",
            "- age 18 or more; inclusion inclusion criteria:",
            "",
            "A very long line that mentions the inclusion criteria only after fifty characters:",
            "A line of 49 characters before its word xxxxxxxx inclusion criteria: x",
            "A line of 50 characters before its word xxxxxxxxx inclusion criteria: x",
            "A line of 51 characters before its word xxxxxxxxxx inclusion criteria: x",
            "Thé lïne of 50 charactérs before its word ééééééé inclusion criteria: x",
            "Thé lïne of 51 charactérs before its word éééééééé inclusion criteria: x",
            "inclusion inclusion criteria: x inclusion criteria:",
            "Inclusion criteria: inclusion criteria: a long text after the colon, more than forty",
            "Incluſion criteria:",
            "xinclusion criteria:",
            "_inclusion criteria:",
            "- inclusion criteria (age\n) :",
            "INCLUSION CRITERIA (cohort B)\n:",
        ];
        // every sequence of up to three lines, with both line breaks
        for t in &line_triples(&lines, "") {
            let want = INCLUSION_HEADING_RE.find_iter(t).count().min(2);
            assert_eq!(inclusion_headings(t).min(2), want, "{t:?}");
        }
    }

    /// Where the exclusion criteria start, the inclusion headings, the
    /// "clu"s and the scope headers, found by hand, are what the
    /// patterns find: on every fixture (whole, and each line) and on
    /// made-up texts of the pieces each looks at ("ſ", the Kelvin sign,
    /// non-ASCII white space, the `^` alternative's marks before a word
    /// on the lines before it, words glued to others, long lines for
    /// eighty characters and the sixteen-byte blocks).
    #[test]
    fn hand_searches_find_what_the_patterns_find() {
        const PIECES: &[&str] = &[
            "Exclusion",
            "exclusion",
            "EXCLUSIONS",
            "excluſion",
            "exclu",
            "Non-inclusion",
            "non inclusion",
            "noninclusion",
            "Inclusion",
            "inclu",
            "incluſion",
            "clu",
            "criteria",
            " criteria",
            "CRITERI",
            "\u{3000}criteria",
            " Criteria:",
            "\n",
            "\r\n",
            " ",
            "  * ",
            "#",
            "-",
            "•",
            "key ",
            "Key\t",
            "\u{212A}EY ",
            "main ",
            "s",
            "ſ",
            ":",
            ": ",
            "x",
            "a",
            "_",
            "é",
            "\u{a0}",
            "\u{85}",
            "(cohort A)",
            " (age) ",
            "0123456789",
            "sub-study",
            "substudy",
            "ſubstudy",
            "if",
            "If",
            "Donors",
            "donorſ",
            "ſtratum",
            "stratum",
            "Volunteers",
            "controls",
            "FOLLOWING",
            "either",
            "one",
            " of",
            "1",
            "any",
            "\u{3000}of",
            "groups",
            "population",
            "part",
            "arm",
        ];
        let mut texts = crate::extract::random_texts(PIECES, 40_000, 14, 0xa9e5);
        texts.extend(crate::extract::random_texts(PIECES, 5_000, 60, 0x17ab));
        for t in crate::extract::fixture_texts() {
            texts.extend(t.lines().map(str::to_string));
            texts.push(t);
        }
        texts.push("x".repeat(15) + "clu" + &"inclu".repeat(9) + "exclu");
        let mut found = [0usize; 4];
        for t in &texts {
            let want = EXCLUSION_RE.find(t).map(|m| m.start());
            assert_eq!(exclusion_start(t), want, "{t:?}");
            found[0] += usize::from(want.is_some());
            let want = INCLUSION_HEADING_RE.find_iter(t).count().min(2);
            assert_eq!(inclusion_headings(t).min(2), want, "{t:?}");
            found[1] += want;
            let b = t.as_bytes();
            let clu: Vec<(usize, bool)> = (0..b.len())
                .filter_map(|k| {
                    let w = b.get(k..k + 5)?.to_ascii_lowercase();
                    (w == b"inclu" || w == b"exclu").then_some((k, w[0] == b'e'))
                })
                .collect();
            assert_eq!(Clu::new(b).collect::<Vec<_>>(), clu, "{t:?}");
            found[2] += clu.len();
            let want = SCOPE_HEADER_RE.is_match(t.trim_end());
            assert_eq!(is_scope_header(t), want, "{t:?}");
            found[3] += usize::from(want);
        }
        // the texts hold many of each
        assert!(found.iter().all(|&n| n > 250), "{found:?}");
    }

    /// Whether each sentence of the criteria holds an age word, answered
    /// from the one search of the criteria, is what a search of the
    /// sentence answers: every sentence [`criteria`] reads, of every
    /// fixture and of made-up texts (words glued to others and to each
    /// other, after letters that are not ASCII, sentence and clause ends
    /// next to them).
    #[test]
    fn age_words_of_the_criteria_are_those_of_each_sentence() {
        const PIECES: &[&str] = &[
            "age", "Aged", "stage", "old", "OLD", "year", "yr", "months", "week", "day", "today",
            "dayear", "yrold", "éage", "ſ", " ", "; ", "&lt;", ";", ". ", ".", "! ", "? ", "\n",
            "\n\n", "- ", "18", "e.g. ", "A", "x", ":", "donor", "partners", "mother", "wife",
        ];
        let mut texts = crate::extract::random_texts(PIECES, 30_000, 16, 0xa6e);
        texts.extend(crate::extract::fixture_texts());
        let (mut with, mut without) = (0, 0);
        for t in &texts {
            let mut words_of = CriteriaWords::new(t);
            for (ls, le) in super::super::sentences::logical_lines(t) {
                let line_all = &t[ls..le];
                let mut cs = 0;
                for k in memchr::memchr_iter(b';', line_all.as_bytes())
                    .chain(std::iter::once(line_all.len()))
                {
                    if k < line_all.len() && ends_entity(&line_all[..k]) {
                        continue;
                    }
                    let line = &line_all[cs..k];
                    for (a, b) in super::super::sentences::sentences_across_lines(line) {
                        let seg = &line[a..b];
                        if seg.trim().is_empty() {
                            continue;
                        }
                        let want = has_age_word(seg);
                        assert_eq!(
                            words_of.age_word_in(ls + cs + a, ls + cs + b),
                            want,
                            "{seg:?} in {t:?}"
                        );
                        (with, without) = if want {
                            (with + 1, without)
                        } else {
                            (with, without + 1)
                        };
                    }
                    cs = k + 1;
                }
            }
        }
        assert!(with > 10_000 && without > 10_000, "{with} {without}");
    }

    /// The word-start scan of [`CriteriaWords`] gates [`SOMEONE_ELSE_RE`]
    /// on exactly the lines it matches, on made-up texts of its words
    /// inside others, in both cases, after non-ASCII letters and across
    /// the 64-byte chunks of [`ascii_word_starts`], and on every fixture.
    #[test]
    fn someone_else_gate_passes_every_match() {
        const PIECES: &[&str] = &[
            "donor",
            "Partners",
            "SPOUSE",
            "sibling",
            "parents",
            "guardian",
            "caregiver",
            "carers",
            "mother",
            "father",
            "wife",
            "husband",
            "grand",
            "step",
            "age",
            "é",
            "ſ",
            "_",
            "9",
            " ",
            "\n",
            "; ",
            "-",
            "the patient ",
            "x",
        ];
        let mut texts = crate::extract::random_texts(PIECES, 20_000, 40, 0x5e1f);
        texts.extend(crate::extract::fixture_texts());
        let (mut matched, mut not) = (0, 0);
        for t in &texts {
            let mut words_of = CriteriaWords::new(t);
            for (ls, le) in super::super::sentences::logical_lines(t) {
                let want = SOMEONE_ELSE_RE.is_match(&t[ls..le]);
                assert_eq!(
                    words_of.someone_else_on(ls, le),
                    want,
                    "{:?} in {t:?}",
                    &t[ls..le]
                );
                (matched, not) = if want {
                    (matched + 1, not)
                } else {
                    (matched, not + 1)
                };
            }
        }
        assert!(matched > 5_000 && not > 5_000, "{matched} {not}");
    }

    /// The letter masks of [`ascii_word_starts`] are those of the bytes,
    /// and its starts are each letter that follows none, on made-up texts
    /// of letters, digits and non-ASCII bytes of every length up to three
    /// chunks.
    #[test]
    fn word_starts_are_letters_after_no_letter() {
        let texts =
            crate::extract::random_texts(&["a", "Z", "é", "1", " ", "ab", "\n"], 3_000, 200, 0x57a);
        let mut chunks = 0;
        for t in &texts {
            let b = t.as_bytes();
            for c in b.chunks_exact(64) {
                let c: &[u8; 64] = c.try_into().unwrap();
                assert_eq!(ascii_letters(c), ascii_letters_bytewise(c), "{t:?}");
                chunks += 1;
            }
            let want: Vec<usize> = (0..b.len())
                .filter(|&k| {
                    b[k].is_ascii_alphabetic() && (k == 0 || !b[k - 1].is_ascii_alphabetic())
                })
                .collect();
            let mut got = Vec::new();
            ascii_word_starts(b, |k| got.push(k));
            assert_eq!(got, want, "{t:?}");
        }
        assert!(chunks > 1_000, "{chunks}");
    }

    /// Every sequence of three of `lines`, joined by "\n" and again by
    /// "\r\n" and a blank line, the middle line then indented by `indent`.
    fn line_triples(lines: &[&str], indent: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for a in lines {
            for b in lines {
                for c in lines {
                    texts.push(format!("{a}\n{b}\n{c}"));
                    texts.push(format!("{a}\r\n{indent}{b}\n\n{c}"));
                }
            }
        }
        texts
    }

    #[test]
    fn line_gates_answer_as_the_patterns_do() {
        let lines = [
            "Inclusion Criteria:",
            "  * Sibling donor available",
            "Patients eligible for the substudy if they:  ",
            "Healthy Volunteers:\t",
            "one of the following: \u{a0}",
            "Any of the following:x",
            "Cohort A: age 18",
            "- Parents/GUARDIANS must consent",
            "- grandparents and stepfathers, caregivers",
            "- his WIFE",
            "- or husband,",
            "- CARERS",
            "- of the spouse",
            "- mother; father",
            "- partnership, donorship, Siblingship",
            "age 18-65 (SPOUSES: any age)",
            "",
            "   ",
        ];
        for t in &line_triples(&lines, "  ") {
            let mut words_of = CriteriaWords::new(t);
            for (ls, le) in super::super::sentences::logical_lines(t) {
                let line = &t[ls..le];
                assert_eq!(
                    is_scope_header(line),
                    SCOPE_HEADER_RE.is_match(line.trim_end()),
                    "{line:?}"
                );
                assert_eq!(
                    words_of.someone_else_on(ls, le),
                    SOMEONE_ELSE_RE.is_match(line),
                    "{line:?} in {t:?}"
                );
            }
        }
    }

    /// The words and signs of a sentence let through every pattern that
    /// matches it: the candidates are those of running every pattern, on
    /// every sentence of the fixtures and on made-up sentences of the
    /// pieces each gate looks at (words inside others, "ſ", non-ASCII
    /// white space and comparators).
    #[test]
    fn word_gates_skip_only_patterns_that_cannot_match() {
        let all = Words {
            age: true,
            old: true,
            than: true,
            year: true,
            month: true,
            wcmp: true,
            older: true,
            trail: true,
            cmp: 2,
            plus: true,
            two_nums: true,
            lead: true,
            old_tail: true,
        };
        let key = |c: &Cand| (c.bound, c.years.to_bits(), c.start, c.end, c.how.clone());
        let pieces = [
            "age ",
            "Aged ",
            "18",
            "65",
            "0.5",
            "-",
            " to ",
            "–",
            " and ",
            "or ",
            "older",
            "OVER",
            "overall",
            " over",
            "above",
            "under",
            "less",
            "le\u{17f}s",
            "lea\u{17f}t",
            "+",
            "≥",
            "≤",
            "<",
            ">",
            "=",
            "&gt;",
            "&lt;",
            "＞",
            "⩾",
            "≦",
            " than ",
            "younger",
            "years",
            "yrs",
            "months",
            " old",
            "of age",
            "at least ",
            "at mo\u{17f}t ",
            "up",
            "up to ",
            "group ",
            "exceeding",
            "not ",
            "no more",
            "minimum ",
            "patients ",
            "Men ",
            ", ",
            " ",
            "\n",
            "\u{a0}",
            "\u{3000}",
            "eighteen",
            "\u{17f}ixty",
            "twenty-one",
            "(",
            ")",
            ":",
            "12",
            "* ",
            "1. ",
            "between ",
            "than18",
            "years-old",
            "aged 18 ",
            "18 to 65 years ",
            "≥18 years ",
            "18 years or older",
            "older than 18 years",
            "Patients aged 18-65 ",
            "at least 18 years old",
            "under 40 years of age",
            "Age: 18+",
            "18 < age <= 65",
            "stage ",
            "average",
            "ages ",
            "age\u{17f}",
            "Ageds",
            "yrs.old",
            "of - age",
            "of\u{a0}age",
            "ofage",
            "gold",
            "-old",
            "women ",
            "treatment",
            "Subjects",
            "\u{17f}ubject ",
            "per\u{17f}ons",
            "boys,",
            "girls (",
            "adolescents",
            "volunteer",
            "(2) ",
            "12) ",
            "123. ",
            "•",
            "·",
            "twelve",
            "Between\u{a0}",
            "fifteen",
            "not less than ",
            "\\>",
            "= ",
        ];
        // one to twelve pieces each (xorshift)
        let mut rng = crate::testing::Xorshift::new(0x5eed);
        let mut next = move || rng.next() as usize;
        let mut texts: Vec<String> = (0..30_000)
            .map(|_| {
                let n = 1 + next() % 12;
                (0..n).map(|_| pieces[next() % pieces.len()]).collect()
            })
            .collect();
        for t in crate::extract::fixture_texts() {
            for (a, b) in crate::extract::sentences::sentences_across_lines(&t) {
                texts.push(t[a..b].to_string());
            }
        }
        let (mut found, mut skipped) = (0, 0);
        for t in &texts {
            let mut read = [0; 2];
            for objecty in [false, true] {
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                segment(t, 0, objecty, &mut fast);
                segment_with(t, 0, objecty, &all, &mut slow);
                let fast: Vec<_> = fast.iter().map(key).collect();
                let slow: Vec<_> = slow.iter().map(key).collect();
                assert_eq!(fast, slow, "{t:?}");
                found += slow.len();
                read[usize::from(objecty)] = slow.len();
            }
            // `criteria` asks nothing more of a sentence where nothing is
            // read: then nothing is read as about an object either
            assert!(read[0] > 0 || read[1] == 0, "{t:?}");
            let w = Words::of(t);
            skipped += usize::from(!w.trail && !w.plus)
                + usize::from(w.cmp == 0 && !w.wcmp)
                + usize::from(w.age && !w.lead)
                + usize::from((w.age || w.old) && !w.old_tail);
        }
        // the inputs hold ages, and sentences the gates skip
        assert!(found > 10_000 && skipped > 10_000, "{found} {skipped}");
    }

    /// What [`Words`] assumes of the patterns' `(?i)` in Unicode mode: of the characters that are not
    /// ASCII, it folds only "ſ" and the Kelvin sign to an ASCII letter.
    #[test]
    fn case_folding_adds_only_long_s_and_kelvin_to_ascii_letters() {
        let letters = crate::extract::patterns::compile_unicode("(?i)^[a-z]$").unwrap();
        let folded: Vec<char> = (0x80..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|c| letters.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(folded, ['\u{17f}', '\u{212a}']);
    }

    fn run(criteria: &str) -> (Option<f64>, Option<f64>, Vec<Fact>) {
        let mut r = Record::new("test");
        r.push(keys::ELIGIBILITY, Text::verbatim(criteria, 0));
        let mut out = Vec::new();
        extract(&r, &Inclusion::default(), &mut out);
        let get = |n: &str| {
            out.iter().find(|f| f.name == n).map(|f| match f.value {
                Value::Age(a) => a,
                _ => unreachable!(),
            })
        };
        (
            get(names::CRITERIA_AGE_MIN),
            get(names::CRITERIA_AGE_MAX),
            out.clone(),
        )
    }

    fn mm(criteria: &str) -> (Option<f64>, Option<f64>) {
        let (a, b, _) = run(criteria);
        (a, b)
    }

    #[test]
    fn structured_ages() {
        assert_eq!(parse_age("50 Years"), Some(50.0));
        assert_eq!(parse_age("6 Months"), Some(0.5));
        assert_eq!(parse_age("28 Days"), Some(28.0 / 365.25));
        assert_eq!(parse_age("2 Weeks"), Some(14.0 / 365.25));
        assert_eq!(parse_age("18"), Some(18.0));
        assert_eq!(parse_age("N/A"), None);
        assert_eq!(parse_age("80(Year)"), Some(80.0));
        assert_eq!(parse_age("65years-old"), Some(65.0));
        assert_eq!(parse_age("65+"), Some(65.0));
        assert_eq!(parse_age(">= 20age old"), Some(20.0));
        assert_eq!(parse_age("<= 85age old"), Some(85.0));
        assert_eq!(parse_age("< 85 years"), Some(84.0));
        assert_eq!(parse_age("Not applicable"), None);
        assert_eq!(parse_age("18 Years and older"), None);
        assert_eq!(parse_age("None"), None);
        assert_eq!(parse_age(""), None);
        let mut r = Record::new("t");
        r.push(keys::MIN_AGE, Text::verbatim(" 18 Years", 10));
        r.push(keys::MAX_AGE, Text::verbatim("N/A", 30));
        let mut out = Vec::new();
        extract(&r, &Inclusion::default(), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].name, names::AGE_MIN);
        assert_eq!(out[0].span, crate::span::Span::new(11, 19));
        assert_eq!(out[0].origin, Origin::Field);
    }

    #[test]
    fn seed001_double_inequality() {
        let t = "Inclusion Criteria\n\n1. Those who meet the POF diagnostic criteria and have no spontaneous follicular activity;\n2. Married, 20 years old ≤ age \\< 40 years old;\n3. The average diameter of each ovary is \\> 10 mm;\n\nExclusion Criteria\n\n1. Female chromosomal abnormalities;";
        let (a, b, f) = run(t);
        assert_eq!((a, b), (Some(20.0), Some(39.0)));
        let max = f
            .iter()
            .find(|f| f.name == names::CRITERIA_AGE_MAX)
            .unwrap();
        assert_eq!(max.quote, "\\< 40");
        assert_eq!(
            max.how.as_deref(),
            Some("'< 40' read as a maximum of 39 whole years")
        );
        let min = f
            .iter()
            .find(|f| f.name == names::CRITERIA_AGE_MIN)
            .unwrap();
        assert_eq!(min.quote, "20 years old ≤");
        assert_eq!(min.how, None);
        // decoded form
        assert_eq!(
            mm("Inclusion Criteria\n2. Married, 20 years old ≤ age < 40 years old;"),
            (Some(20.0), Some(39.0))
        );
        assert_eq!(mm("2. 18 < age <= 65"), (Some(19.0), Some(65.0)));
    }

    #[test]
    fn seeds_000_002_003() {
        let (a, b, f) = run("Inclusion Criteria:\n- Males with sexual hormone deficiency aged 50 to 70 years\n- AMS score ≥ 27\n- IIEF < 14\n- SQoL-M ≤ 87\nExclusion Criteria:\n- Endocrine impairment due to diabetes (HBA1c > 7)");
        assert_eq!((a, b), (Some(50.0), Some(70.0)));
        assert_eq!(
            f.iter()
                .find(|f| f.name == names::CRITERIA_AGE_MIN)
                .unwrap()
                .quote,
            "50"
        );
        assert_eq!(
            f.iter()
                .find(|f| f.name == names::CRITERIA_AGE_MAX)
                .unwrap()
                .quote,
            "70"
        );
        assert_eq!(mm("Inclusion Criteria:\n\n  1. Confirmed HIV infection, aged 18-65, both genders\n  2. CD4+T count less than 350 cells/ul at baseline."), (Some(18.0), Some(65.0)));
        assert_eq!(mm("Inclusion Criteria:\n\n  1. 18-80 years old\n  2. End-stage liver disease\n\nExclusion Criteria:\n\n  8. Participation in other clinical trials within 30 days"), (Some(18.0), Some(80.0)));
    }

    #[test]
    fn forms() {
        assert_eq!(
            mm("* between 18 and 65 years of age"),
            (Some(18.0), Some(65.0))
        );
        assert_eq!(mm("* Age ≥ 18 years"), (Some(18.0), None));
        assert_eq!(mm("* ≥18 years of age"), (Some(18.0), None));
        assert_eq!(mm("* 18 years or older"), (Some(18.0), None));
        assert_eq!(mm("* Be 18 years of age or older"), (Some(18.0), None));
        assert_eq!(mm("* at least 18 years old"), (Some(18.0), None));
        assert_eq!(mm("* age > 18"), (Some(19.0), None));
        assert_eq!(mm("* Age \\> 18 years of age"), (Some(19.0), None));
        assert_eq!(mm("* Age \\>= 18 years."), (Some(18.0), None));
        assert_eq!(mm("* Men \\>/= 18 years of age"), (Some(18.0), None));
        assert_eq!(mm("* younger than 40 years"), (None, Some(39.0)));
        assert_eq!(mm("* under 40 years of age"), (None, Some(39.0)));
        assert_eq!(mm("* aged up to 65 years"), (None, Some(65.0)));
        assert_eq!(mm("* 18 to 65 years"), (Some(18.0), Some(65.0)));
        assert_eq!(mm("* Age: 18-75"), (Some(18.0), Some(75.0)));
        assert_eq!(mm("* age 18 to 50"), (Some(18.0), Some(50.0)));
        assert_eq!(mm("* Age 18+"), (Some(18.0), None));
        assert_eq!(
            mm("* Male ethnic Chinese aged 18 or above"),
            (Some(18.0), None)
        );
        assert_eq!(mm("* Males 45-75 years of age"), (Some(45.0), Some(75.0)));
        assert_eq!(
            mm("* Age comprise between 45 and 80 years old;"),
            (Some(45.0), Some(80.0))
        );
        assert_eq!(
            mm("* Patients older than 18 years old and younger than 70 years."),
            (Some(19.0), Some(69.0))
        );
        assert_eq!(mm("* Age over 18"), (Some(19.0), None));
        assert_eq!(mm("* age ≥ 18 and ≤ 65 years"), (Some(18.0), Some(65.0)));
        assert_eq!(mm("* Men aged 20 years and over"), (Some(20.0), None));
        assert_eq!(mm("* Age not less than 18 years"), (Some(18.0), None));
        assert_eq!(
            mm("* Participants' age: 18 - 75 years."),
            (Some(18.0), Some(75.0))
        );
        assert_eq!(mm("* Eighteen years of age or older"), (Some(18.0), None));
        let (a, b, f) = run("* Infants aged 6-24 months");
        assert_eq!(a, Some(0.5));
        assert_eq!(b, Some(2.0));
        assert!(f[0].how.as_deref().unwrap().contains("months"));
        let (_, _, f) = run("* Age over 18");
        assert_eq!(
            f[0].how.as_deref(),
            Some("'over 18' read as '> 18': a minimum of 19 whole years")
        );
        assert_eq!(f[0].quote, "over 18");
    }

    #[test]
    fn not_ages() {
        for t in [
            "* BMI 18-30",
            "* BMI 18-30 kg/m2",
            "* HbA1c > 7",
            "* within 18-65 hours of onset",
            "* smoking for 5-10 years",
            "* AMS score ≥ 27",
            "* IIEF < 14",
            "* diabetes for at least 5 years",
            "* history of smoking 10 years or more",
            "* follow-up up to 5 years",
            "* a stable female partner at least 21 years of age for at least 6 months",
            "* donor aged 18-40",
            "* Be male, 18 years of age with no upper age limit",
            "* treated 6-12 months ago",
            "* Age of onset < 40 years",
            "* gestational age < 32 weeks",
        ] {
            assert_eq!(mm(t), (None, None), "{t}");
        }
    }

    #[test]
    fn corpus_cases() {
        for t in [
            "2. Performance status: Karnofsky performance status (for patients \\>12 years of age) or Lansky Play score (for patients ≤12 years of age) ≥ 50%",
            "* As above, men with one risk factor for ED such as age\\>55, diabetes, hyperlipidemia",
            "* Women \\<50 years old will be considered postmenopausal if they have been amenorrheic for 12 months",
            "* Tattoo age between 1 and 20 years.",
            "* Provision of FFPE tumor sample that is no older than 3 years",
            "* Patient with Modic I lateralized disc disease seen on an MRI less than 6 months old.",
            "6. Pre-BD FEV1 ≥40% and \\<80% (\\<90% for participants 12 to 17 years of age) of predicted.",
            "1. Children between 1 year (≥ 12 months) and 18 years of age at diagnosis. Patients under 6 years old must weigh at least 7 kg.",
            "5. Lansky (age \\<16 years at the time of assent) or Karnofsky (age ≥16 years at the time of assent) performance status ≥70",
        ] {
            assert_eq!(mm(t), (None, None), "{t}");
        }
        assert_eq!(
            mm("1. Patients over 40 years of age and under 70 years"),
            (Some(41.0), Some(69.0))
        );
        assert_eq!(mm("* Aged 18-50 years old"), (Some(18.0), Some(50.0)));
        // a minimum above the maximum is two populations
        assert_eq!(
            mm("* children aged > 12 years\n* infants aged < 2 years"),
            (None, None)
        );
    }

    #[test]
    fn spans_map_through_escapes() {
        // source: `2. Married, 20 years old ≤ age \< 40 years old` with `\<` decoded to `<`
        use crate::span::{Span, TextBuilder};
        let mut b = TextBuilder::new();
        b.verbatim("2. Married, 20 years old ≤ age ", 500);
        let esc_at = 500 + "2. Married, 20 years old ≤ age ".len();
        b.decoded("<", esc_at, esc_at + 2);
        b.verbatim(" 40 years old", esc_at + 2);
        let mut r = Record::new("ctgov-json");
        r.push(keys::ELIGIBILITY, b.finish());
        let mut out = Vec::new();
        extract(&r, &Inclusion::default(), &mut out);
        let max = out
            .iter()
            .find(|f| f.name == names::CRITERIA_AGE_MAX)
            .unwrap();
        assert_eq!(max.quote, "< 40");
        assert_eq!(max.span, Span::new(esc_at, esc_at + 5));
        assert_eq!(
            mm("* 20 years old ≤ age &lt; 40 years old"),
            (Some(20.0), Some(39.0))
        );
    }

    #[test]
    fn xml_corpus_cases() {
        for t in [
            "In the Phase I trial, Black children with sickle cell anemia aged 3 months to 3 years.",
            "* postnatal age <= 72 h",
            "* age <= 72 h",
            "* exam performed in patients aged 50 and older and in those with potential cardiac disease",
            "* Relapsed AML Age 70 or older OR AML in first relapse",
            "* Age: 35 and under for oral contraceptive stratum (premenopausal)",
            "* Age 42 to 69 years (randomized portion of study)",
            "* who are healthy 7 to 9 months old or 12 months old (inclusive plus 14 days)",
            "* Age 65-70 years:",
            "Patients may be eligible for the substudy if they:\n- Are at least 18 years old.",
            "AML meeting 1 of the following criteria:\n- At least 60 years of age and not a candidate",
            "* An interocular acuity difference in children (3-7 years of age) or in older children and adults",
        ] {
            assert_eq!(mm(t), (None, None), "{t}");
        }
        // a scoped line that disagrees suppresses the rest
        assert_eq!(mm("* Individuals age 8 and older.\n* Individuals age 6-8 with a family member, if ..."), (None, None));
        assert_eq!(
            mm("* Age: 18 and over.\n* Performance status: ECOG 0-2."),
            (Some(18.0), None)
        );
        assert_eq!(
            mm("* Age ≥ 18 years\n* Karnofsky ≥ 70 for patients ≥ 18 years"),
            (Some(18.0), None)
        );
    }

    #[test]
    fn wrapped_lines() {
        let t = "  -  An acuity difference in children (3-7 years of age)\n     or in older children and adults\n  -  Age 18 to 60";
        assert_eq!(crate::extract::sentences::logical_lines(t).len(), 2);
        assert_eq!(mm(t), (None, None));
        assert_eq!(
            mm("  -  Males and females aged\n     18-70 years willing to consent\n  -  Other"),
            (Some(18.0), Some(70.0))
        );
        assert_eq!(
            mm("  -  Patients will be within 21\n     to 90 years of age.\n  -  Other"),
            (Some(21.0), Some(90.0))
        );
    }

    #[test]
    fn comparison_after_person_noun() {
        assert_eq!(mm("* Patients over 18 years;"), (Some(19.0), None));
        assert_eq!(
            mm("1. Adults ≥ 18 years and diagnosed with cirrhosis."),
            (Some(18.0), None)
        );
        assert_eq!(
            mm("* Males ≥18 years with erectile dysfunction"),
            (Some(18.0), None)
        );
        assert_eq!(mm("* at least 50 years"), (Some(50.0), None));
        assert_eq!(mm("1. Above 35 years men"), (Some(36.0), None));
        assert_eq!(mm("* ≥ 1 year after phalloplasty"), (None, None));
        assert_eq!(
            mm("* At least 2 year history of episodic cluster headache"),
            (None, None)
        );
        assert_eq!(mm("* diabetes for at least 5 years"), (None, None));
        assert_eq!(mm("* HbA1c ≥ 7 years"), (None, None));
    }

    #[test]
    fn more_corpus_cases() {
        // a criterion about a test still disagrees with the other one
        assert_eq!(
            mm("1. A male older than 21 years of age who is not enrolled (2 male adults to test the calibration).\n2. A male older than 40 years of age who has cancer."),
            (None, None)
        );
        assert_eq!(
            mm("* residents who are nineteen (19) years or older"),
            (None, None)
        );
        assert_eq!(
            mm("* Subjects nineteen (19) years or older"),
            (Some(19.0), None)
        );
    }

    #[test]
    fn exclusion_not_read() {
        assert_eq!(
            mm("Inclusion Criteria:\n* Healthy\nExclusion Criteria:\n* Age < 18 years"),
            (None, None)
        );
        assert_eq!(
            mm("Inclusion Criteria: 1. aged 18-65; Exclusion Criteria: 1. Age > 70"),
            (Some(18.0), Some(65.0))
        );
    }

    #[test]
    fn conflicting_bounds_not_guessed() {
        assert_eq!(
            mm("* Healthy volunteers aged 18-55\n* Patients aged 18-75"),
            (None, None)
        );
        assert_eq!(mm("* Part A: aged 18-55"), (None, None));
        assert_eq!(mm("* Pediatric arm: aged 1 to 17 years old."), (None, None));
    }

    #[test]
    fn corpus_false_positives_stay_fixed() {
        // life expectancy under its own label
        assert_eq!(mm("PATIENT CHARACTERISTICS:\n\nAge:\n\n  - 18 and over\n\nLife expectancy:\n\n  - Greater than 2 years\n"), (None, None));
        // ages of several eligible groups listed under a header
        assert_eq!(mm("Eligible higher risk groups:\n\n  -  Young adults (ages 16-28 permitted) who attended a clinic.\n\n  -  Injection drug users (ages 18-60).\n"), (None, None));
        // two ranges for two populations in one sentence
        assert_eq!(mm("- A female between, and including, 9-13 years (before 14th birthday) and 16-26 years of age.\n"), (None, None));
        // a mention of the inclusion criteria is not a second set
        assert_eq!(mm("Inclusion Criteria:\n\n* Age more than 18 years.\n\nExclusion Criteria:\n\n* Not eligible as per the above inclusion criteria"), (Some(19.0), None));
        // one set of inclusion criteria per cohort
        assert_eq!(mm("INCLUSION CRITERIA: Pacemaker\n\nChildren aged 5 to 15 years.\n\nINCLUSION CRITERIA: Cohort Study\n\nChildren, 5 to 20 years.\n"), (None, None));
        // a duration, not an age
        assert_eq!(
            mm("3. Duration of diabetes\n\n4. more than one year.\n"),
            (None, None)
        );
        // a restriction on a subset of patients
        assert_eq!(mm("NOTE:\n  - No more than one patient over 50 years of age is permitted at each dose level.\n"), (None, None));
        assert_eq!(
            mm("- Subjects under 18 years of age were only included where legally allowed.\n"),
            (None, None)
        );
        // the donor's age, nested under the donor criterion
        assert_eq!(mm("  -  HLA identical sibling donor available\n\n       -  Not an identical twin\n\n       -  Age 12 to 74\n\n  -  No ocular melanoma\n"), (None, None));
        // the donor's 12 to 74 still counts as disagreement with the
        // patients' 18 to 65: no bound is guessed
        assert_eq!(
            mm("  -  Sibling donor available\n\n       -  Age 12 to 74\n\n  -  Age 18 to 65 years\n"),
            (None, None)
        );
    }

    #[test]
    fn no_panic() {
        for t in [
            "",
            "age",
            "age ≥",
            "≤ age <",
            "aged -",
            "ü aged ü 18-",
            "18 years or",
            "Age: 999-1000",
            "age > 0.5",
            "aged 65-18",
        ] {
            let _ = run(t);
        }
    }
}
