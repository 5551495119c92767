//! Shared helpers for the page-text readers: lines with their offsets, an
//! output builder that always slices the input [`Text`] (so spans survive any
//! offset map), and small recognisers (qualifiers, age ranges, contact
//! details, registry ids) that several layouts need.
//!
//! All offsets here are byte offsets into the DECODED page text
//! (`page.text`); they only become source spans through `page.slice`.

use crate::record::{EntityKind, Field, Record};
use crate::span::{Text, TextBuilder};
use regex::Regex;
use std::sync::OnceLock;

/// A byte range `start..end` in the decoded page text.
pub type R = (usize, usize);

/// One line of the page: `raw` is the whole line without its line break,
/// `s..e` the content with surrounding white space removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub raw_start: usize,
    pub raw_end: usize,
    pub s: usize,
    pub e: usize,
}

impl Line {
    pub fn text<'a>(&self, page: &'a str) -> &'a str {
        page.get(self.s..self.e).unwrap_or("")
    }
    pub fn is_blank(&self) -> bool {
        self.s >= self.e
    }
    /// Leading white space, in characters (tabs count as 4).
    pub fn indent(&self, page: &str) -> usize {
        page.get(self.raw_start..self.s)
            .unwrap_or("")
            .chars()
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum()
    }
    pub fn range(&self) -> R {
        (self.s, self.e)
    }
}

/// Split into lines (`\n`, `\r\n` or `\r`).
pub fn split_lines(s: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i <= bytes.len() {
        let at_end = i == bytes.len();
        let brk = !at_end && (bytes[i] == b'\n' || bytes[i] == b'\r');
        if at_end || brk {
            let (ts, te) = trim_range(s, start, i);
            out.push(Line {
                raw_start: start,
                raw_end: i,
                s: ts,
                e: te,
            });
            if at_end {
                break;
            }
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    out
}

/// `s..e` without surrounding white space (Unicode white space, incl. NBSP).
pub fn trim_range(text: &str, s: usize, e: usize) -> R {
    trim_range_by(text, s, e, |c: char| c.is_whitespace())
}

/// `s..e` without surrounding white space and table/list punctuation.
pub fn trim_punct(text: &str, s: usize, e: usize) -> R {
    trim_range_by(text, s, e, |c: char| {
        c.is_whitespace() || matches!(c, '|' | ',' | ';' | ':' | '•')
    })
}

pub fn trim_range_by(text: &str, s: usize, e: usize, f: impl Fn(char) -> bool) -> R {
    let Some(sub) = text.get(s..e) else {
        return (s, s);
    };
    let a = sub.trim_start_matches(&f);
    let ns = s + (sub.len() - a.len());
    let b = a.trim_end_matches(&f);
    (ns, ns + b.len())
}

pub fn sub(text: &str, r: R) -> &str {
    text.get(r.0..r.1).unwrap_or("")
}

/// Strip a list bullet (`•`, `-`, `*`, `·`) at the start of `r`.
pub fn strip_bullet(text: &str, r: R) -> (R, bool) {
    let s = sub(text, r);
    for b in ["• ", "•", "- ", "* ", "· "] {
        if let Some(rest) = s.strip_prefix(b) {
            let ns = r.0 + (s.len() - rest.len());
            return (trim_range(text, ns, r.1), true);
        }
    }
    (r, false)
}

pub fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("valid regex"))
}

/// Builds the record; every field text is a slice of the input page.
pub struct Out<'a> {
    pub page: &'a Text,
    pub rec: Record,
}

impl<'a> Out<'a> {
    pub fn new(page: &'a Text, format: &str) -> Out<'a> {
        let mut rec = Record::new(format);
        rec.span = page.whole_span();
        Out { page, rec }
    }

    pub fn s(&self) -> &'a str {
        &self.page.text
    }

    /// Empty text located at decoded offset `pos`.
    pub fn empty_at(&self, pos: usize) -> Text {
        let src = self.page.span(pos, pos).start;
        let mut b = TextBuilder::new();
        b.synthetic("", src);
        b.finish()
    }

    /// The trimmed slice `r` of the page; an empty text at `r.0` if nothing is left.
    pub fn text(&self, r: R) -> Text {
        let (s, e) = trim_range(&self.page.text, r.0, r.1);
        if s >= e {
            return self.empty_at(r.0.min(self.page.text.len()));
        }
        self.page.slice(s, e)
    }

    pub fn push(&mut self, key: &'static str, r: R) -> usize {
        let t = self.text(r);
        self.rec.push(key, t)
    }

    /// A field with a qualifier (Actual / Estimated / Est. ...).
    pub fn push_q(&mut self, key: &'static str, r: R, q: Option<R>) -> usize {
        let text = self.text(r);
        let qualifier = q.map(|q| self.text(q)).filter(|t| !t.text.is_empty());
        self.rec.push_field(Field {
            key: key.into(),
            text,
            qualifier,
            entity: None,
            gate_words: Default::default(),
        })
    }

    pub fn push_in(&mut self, ent: usize, key: &'static str, r: R) -> usize {
        let t = self.text(r);
        self.rec.push_in(ent, key, t)
    }

    /// An entity with no listing role (arms, interventions, outcomes, locations).
    pub fn plain(&mut self, kind: EntityKind) -> usize {
        self.rec.add_entity(kind, None, None)
    }

    pub fn entity(&mut self, kind: EntityKind, role: &str, parent: Option<usize>) -> usize {
        self.rec.add_entity(kind, Some(role.to_string()), parent)
    }

    /// The record id: the first id wins for `Record::id`, every occurrence is a field.
    pub fn id(&mut self, r: R) {
        let t = self.text(r);
        if t.text.is_empty() {
            return;
        }
        if self.rec.id.is_none() {
            self.rec.id = Some(t.text.to_string());
        }
        self.rec.push(crate::record::keys::ID, t);
    }

    pub fn finish(self) -> Record {
        self.rec
    }
}

/// A date/enrollment qualifier word at the start of `r` ("Actual Study Start
/// Date", "Est. completion date") or in parentheses anywhere ("Enrollment
/// (Estimated)"). Returns the marker's range and `r` without it.
pub fn split_qualifier(text: &str, r: R) -> (Option<R>, R) {
    static PAREN: OnceLock<Regex> = OnceLock::new();
    static PREFIX: OnceLock<Regex> = OnceLock::new();
    let s = sub(text, r);
    let paren = re(
        &PAREN,
        r"(?i)\(\s*(actual|estimated|anticipated|expected|est\.?)\s*\)",
    );
    if let Some(c) = paren.captures(s) {
        if let (Some(m), Some(w)) = (c.get(0), c.get(1)) {
            let q = (r.0 + w.start(), r.0 + w.end());
            // Label without the parenthesised marker: keep the longer side.
            let before = trim_range(text, r.0, r.0 + m.start());
            let after = trim_range(text, r.0 + m.end(), r.1);
            let rest = if before.1 - before.0 >= after.1 - after.0 {
                before
            } else {
                after
            };
            return (Some(q), rest);
        }
    }
    let prefix = re(
        &PREFIX,
        r"(?i)^(actual|estimated|anticipated|expected|est\.)\s+",
    );
    if let Some(m) = prefix.captures(s).and_then(|c| c.get(1)) {
        let q = (r.0 + m.start(), r.0 + m.end());
        return (Some(q), trim_range(text, q.1, r.1));
    }
    (None, r)
}

/// A parsed "Ages Eligible" value.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Ages {
    pub min: Option<R>,
    pub max: Option<R>,
    pub groups: Vec<R>,
}

const AGE_GROUPS: &[&str] = &[
    "child",
    "adult",
    "older adult",
    "children",
    "adults",
    "older adults",
];

fn is_age_group(s: &str) -> bool {
    AGE_GROUPS.contains(&s.trim().to_ascii_lowercase().as_str())
}

/// "50 Years to 70 Years (Adult, Older Adult)", "18 Years and older",
/// "up to 17 Years (Child)", "N/A and older", "Adult, Older Adult".
pub fn parse_ages(text: &str, r: R) -> Ages {
    static TO: OnceLock<Regex> = OnceLock::new();
    static OLDER: OnceLock<Regex> = OnceLock::new();
    static UPTO: OnceLock<Regex> = OnceLock::new();
    let mut out = Ages::default();
    let (mut s, mut e) = trim_range(text, r.0, r.1);
    // Trailing "(Adult, Older Adult)".
    let v = sub(text, (s, e));
    if v.ends_with(')') {
        if let Some(open) = v.rfind('(') {
            let inner = (s + open + 1, e - 1);
            let parts = split_commas(text, inner);
            if !parts.is_empty() && parts.iter().all(|p| is_age_group(sub(text, *p))) {
                out.groups = parts;
                let t = trim_range(text, s, s + open);
                s = t.0;
                e = t.1;
            }
        }
    }
    let v = sub(text, (s, e));
    if v.is_empty() {
        return out;
    }
    let to = re(&TO, r"(?i)\s+to\s+");
    let older = re(&OLDER, r"(?i)\s+(and|or)\s+(older|over|above)$");
    let upto = re(&UPTO, r"(?i)^(up\s+to|under|less\s+than)\s+");
    if let Some(m) = older.find(v) {
        out.min = Some(trim_range(text, s, s + m.start()));
    } else if let Some(m) = upto.find(v) {
        out.max = Some(trim_range(text, s + m.end(), e));
    } else if let Some(m) = to.find(v) {
        out.min = Some(trim_range(text, s, s + m.start()));
        out.max = Some(trim_range(text, s + m.end(), e));
    } else {
        let parts = split_commas(text, (s, e));
        if !parts.is_empty() && parts.iter().all(|p| is_age_group(sub(text, *p))) {
            out.groups.extend(parts);
        } else {
            out.min = Some((s, e));
        }
    }
    out
}

/// Comma-separated parts of `r`, trimmed, empty ones dropped.
pub fn split_commas(text: &str, r: R) -> Vec<R> {
    split_on(text, r, ',')
}

pub fn split_on(text: &str, r: R, sep: char) -> Vec<R> {
    let mut out = Vec::new();
    let s = sub(text, r);
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c == sep {
            out.push(trim_range(text, r.0 + start, r.0 + i));
            start = i + c.len_utf8();
        }
    }
    out.push(trim_range(text, r.0 + start, r.1));
    out.retain(|p| p.0 < p.1);
    out
}

/// Organisation names in a comma-separated list, keeping "Co., Ltd." and
/// similar corporate suffixes with the name they belong to.
pub fn split_orgs(text: &str, r: R) -> Vec<R> {
    let mut out: Vec<R> = Vec::new();
    for p in split_commas(text, r) {
        let w = sub(text, p).trim_end_matches('.').to_ascii_lowercase();
        let suffix = matches!(
            w.as_str(),
            "ltd"
                | "inc"
                | "llc"
                | "co"
                | "co. ltd"
                | "corp"
                | "s.a"
                | "sa"
                | "gmbh"
                | "ag"
                | "plc"
                | "l.p"
                | "lp"
                | "s.p.a"
                | "b.v"
                | "bv"
                | "n.v"
                | "pty ltd"
        );
        match out.last_mut() {
            Some(last) if suffix => last.1 = p.1,
            _ => out.push(p),
        }
    }
    out
}

/// The parts of a contact line: "Phuong Nguyen, MSC | +84 914740683 | a@b.c".
#[derive(Default, Debug, PartialEq, Eq)]
pub struct ContactParts {
    pub name: Option<R>,
    pub phone: Option<R>,
    pub email: Option<R>,
}

pub fn email_re() -> &'static Regex {
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    re(
        &EMAIL,
        r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
    )
}

pub fn phone_re() -> &'static Regex {
    static PHONE: OnceLock<Regex> = OnceLock::new();
    re(
        &PHONE,
        r"(?i)\+?\(?\d[\d \-().]{4,}\d(\s*(ext\.?|extension|x)\s*\d+)?",
    )
}

/// A phone number match with at least 6 digits.
pub fn find_phone(s: &str) -> Option<(usize, usize)> {
    phone_re()
        .find_iter(s)
        .find(|m| m.as_str().chars().filter(|c| c.is_ascii_digit()).count() >= 6)
        .map(|m| (m.start(), m.end()))
}

pub fn split_contact(text: &str, r: R) -> ContactParts {
    let s = sub(text, r);
    let mut out = ContactParts::default();
    let mut first = s.len();
    if let Some(m) = email_re().find(s) {
        out.email = Some((r.0 + m.start(), r.0 + m.end()));
        first = first.min(m.start());
    }
    // Look for the phone outside the e-mail address.
    let masked: String = match out.email {
        Some((a, b)) => {
            let (a, b) = (a - r.0, b - r.0);
            let mut m = String::with_capacity(s.len());
            m.push_str(&s[..a]);
            m.extend(std::iter::repeat_n('x', b - a));
            m.push_str(&s[b..]);
            m
        }
        None => s.to_string(),
    };
    if let Some((a, b)) = find_phone(&masked) {
        if s.is_char_boundary(a) && s.is_char_boundary(b) {
            out.phone = Some((r.0 + a, r.0 + b));
            first = first.min(a);
        }
    }
    let name = trim_punct(text, r.0, r.0 + first);
    if name.0 < name.1 {
        out.name = Some(name);
    }
    out
}

/// A registry identifier anywhere in `s` (first match), NCT ids preferred.
pub fn find_registry_id(s: &str) -> Option<(usize, usize)> {
    static NCT: OnceLock<Regex> = OnceLock::new();
    static OTHER: OnceLock<Regex> = OnceLock::new();
    let nct = re(&NCT, r"\bNCT\d{8}\b");
    if let Some(m) = nct.find(s) {
        return Some((m.start(), m.end()));
    }
    let other = re(
        &OTHER,
        r"\b(\d{4}-\d{6}-\d{2}|ISRCTN\d{8}|ChiCTR[\w-]*\d{6,}|ACTRN\d{14}|DRKS\d{8}|CTRI/\d{4}/\d{2,3}/\d{6}|jRCT\w?\d{9,}|UMIN\d{9}|KCT\d{7}|IRCT\w+N\d+|EUCTR\d{4}-\d{6}-\d{2}(-\w{2})?|CTIS\d{4}-\d{6}-\d{2}-\d{2}|PACTR\d{15}|NL-?\d{4,}|TCTR\d{11}|RBR-\w+|SLCTR/\d{4}/\d+|PER-\d{3}-\d{2})\b",
    );
    other.find(s).map(|m| (m.start(), m.end()))
}

/// Recruitment status words as ClinicalTrials.gov shows them.
pub fn is_status(s: &str) -> bool {
    let l = s.trim().to_ascii_lowercase().replace('_', " ");
    matches!(
        l.as_str(),
        "recruiting"
            | "not yet recruiting"
            | "active, not recruiting"
            | "active not recruiting"
            | "completed"
            | "enrolling by invitation"
            | "suspended"
            | "terminated"
            | "withdrawn"
            | "unknown"
            | "unknown status"
            | "available"
            | "no longer available"
            | "temporarily not available"
            | "approved for marketing"
            | "withheld"
    )
}

/// "Experimental: label" and the other arm types.
pub const ARM_TYPES: &[&str] = &[
    "Experimental",
    "Active Comparator",
    "Placebo Comparator",
    "Sham Comparator",
    "No Intervention",
    "Other",
];

/// "Drug: name" and the other intervention types.
pub const INTERVENTION_TYPES: &[&str] = &[
    "Drug",
    "Biological",
    "Device",
    "Procedure",
    "Procedure/Surgery",
    "Radiation",
    "Behavioral",
    "Genetic",
    "Dietary Supplement",
    "Combination Product",
    "Diagnostic Test",
    "Other",
];

/// If the line `r` starts with one of `types` followed by a colon, the type
/// and the rest (possibly empty).
pub fn typed_prefix(text: &str, r: R, types: &[&str]) -> Option<(R, R)> {
    let s = sub(text, r);
    for t in types {
        if let Some(head) = s.get(..t.len()) {
            if head.eq_ignore_ascii_case(t) && s[t.len()..].trim_start().starts_with(':') {
                let colon = t.len() + s[t.len()..].find(':').unwrap_or(0);
                let rest = trim_range(text, r.0 + colon + 1, r.1);
                return Some(((r.0, r.0 + t.len()), rest));
            }
        }
    }
    None
}

/// "Fu-Sheng Wang, Doctor, Beijing 302 Hospital": the name with its degrees,
/// and the affiliation after them.
pub fn split_name_affiliation(text: &str, r: R) -> (R, Option<R>) {
    let parts = split_commas(text, r);
    let Some(first) = parts.first().copied() else {
        return (r, None);
    };
    let mut name = first;
    let mut i = 1;
    while i < parts.len() {
        let p = sub(text, parts[i]);
        let degree = !p.contains(' ') && p.chars().count() <= 12
            || p.split_whitespace().all(|w| {
                w.len() <= 5
                    && w.chars().next().is_some_and(|c| c.is_uppercase())
                    && w.chars().filter(|c| c.is_uppercase()).count()
                        >= w.chars().filter(|c| c.is_alphabetic()).count().min(2)
            });
        if !degree {
            break;
        }
        name.1 = parts[i].1;
        i += 1;
    }
    let aff = parts.get(i).map(|p| (p.0, r.1));
    (name, aff.map(|a| trim_range(text, a.0, a.1)))
}

/// A labelled block: a line that is exactly a known label, and the lines
/// after it up to the next such line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// Index of the label line.
    pub at: usize,
    /// What the label means (the lookup's answer).
    pub id: &'static str,
    /// "Actual" in "Study Start (Actual)".
    pub qual: Option<R>,
    /// Content lines `from..to`.
    pub from: usize,
    pub to: usize,
}

/// Split a page into labelled blocks. `lookup` gets a label without its
/// qualifier, lower-cased; `stop` ends the page (site boilerplate after it).
pub fn blocks(
    s: &str,
    lines: &[Line],
    lookup: impl Fn(&str) -> Option<&'static str>,
    stop: impl Fn(&str) -> bool,
) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut end = lines.len();
    for (i, l) in lines.iter().enumerate() {
        if l.is_blank() {
            continue;
        }
        let t = l.text(s);
        if stop(t) {
            end = i;
            break;
        }
        if t.len() > 90 {
            continue;
        }
        let (qual, base) = split_qualifier(s, l.range());
        let key = sub(s, base).trim_end_matches(':').trim().to_lowercase();
        if let Some(id) = lookup(&key) {
            if let Some(prev) = out.last_mut() {
                prev.to = i;
            }
            out.push(Block {
                at: i,
                id,
                qual,
                from: i + 1,
                to: i + 1,
            });
        }
    }
    if let Some(prev) = out.last_mut() {
        prev.to = end.max(prev.from);
    }
    out
}

/// Runs of consecutive non-blank lines in `from..to`, as ranges.
pub fn paragraphs(lines: &[Line], from: usize, to: usize) -> Vec<R> {
    let mut out = Vec::new();
    let mut cur: Option<R> = None;
    for l in lines.get(from..to.min(lines.len())).unwrap_or(&[]) {
        if l.is_blank() {
            out.extend(cur.take());
        } else {
            cur = Some(match cur {
                Some(c) => (c.0, l.e),
                None => (l.s, l.e),
            });
        }
    }
    out.extend(cur);
    out
}

/// Non-blank lines in `from..to`.
pub fn content_lines(lines: &[Line], from: usize, to: usize) -> Vec<Line> {
    lines
        .get(from..to.min(lines.len()))
        .unwrap_or(&[])
        .iter()
        .filter(|l| !l.is_blank())
        .copied()
        .collect()
}

/// The range from the first to the last of some ranges.
pub fn cover(parts: &[R]) -> Option<R> {
    match (parts.first(), parts.last()) {
        (Some(a), Some(b)) => Some((a.0, b.1)),
        _ => None,
    }
}

/// A line that is only punctuation / empty table cells.
pub fn is_empty_cells(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || c == '|')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_trim() {
        let s = "a \r\n  b\n\nc";
        let l = split_lines(s);
        assert_eq!(l.len(), 4);
        assert_eq!(l[0].text(s), "a");
        assert_eq!(l[1].text(s), "b");
        assert_eq!(l[1].indent(s), 2);
        assert!(l[2].is_blank());
        assert_eq!(l[3].text(s), "c");
    }

    #[test]
    fn qualifiers() {
        let s = "Actual Study Start Date";
        let (q, rest) = split_qualifier(s, (0, s.len()));
        assert_eq!(sub(s, q.unwrap()), "Actual");
        assert_eq!(sub(s, rest), "Study Start Date");
        let s = "Enrollment (Estimated)";
        let (q, rest) = split_qualifier(s, (0, s.len()));
        assert_eq!(sub(s, q.unwrap()), "Estimated");
        assert_eq!(sub(s, rest), "Enrollment");
        let s = "Est. completion date";
        let (q, rest) = split_qualifier(s, (0, s.len()));
        assert_eq!(sub(s, q.unwrap()), "Est.");
        assert_eq!(sub(s, rest), "completion date");
    }

    #[test]
    fn ages() {
        let s = "50 Years to 70 Years (Adult, Older Adult)";
        let a = parse_ages(s, (0, s.len()));
        assert_eq!(sub(s, a.min.unwrap()), "50 Years");
        assert_eq!(sub(s, a.max.unwrap()), "70 Years");
        assert_eq!(a.groups.len(), 2);
        let s = "N/A and older";
        let a = parse_ages(s, (0, s.len()));
        assert_eq!(sub(s, a.min.unwrap()), "N/A");
        assert!(a.max.is_none());
        let s = "up to 17 Years (Child)";
        let a = parse_ages(s, (0, s.len()));
        assert_eq!(sub(s, a.max.unwrap()), "17 Years");
        assert!(a.min.is_none());
    }

    #[test]
    fn contacts() {
        let s = "Nguyen T Liem, Prof +84914740683 v.phuongnh9@vinmec.com |";
        let c = split_contact(s, (0, s.len()));
        assert_eq!(sub(s, c.name.unwrap()), "Nguyen T Liem, Prof");
        assert_eq!(sub(s, c.phone.unwrap()), "+84914740683");
        assert_eq!(sub(s, c.email.unwrap()), "v.phuongnh9@vinmec.com");
        let s = "Liem Nguyen, PhD | v.liemnt@vinmec.com |";
        let c = split_contact(s, (0, s.len()));
        assert_eq!(sub(s, c.name.unwrap()), "Liem Nguyen, PhD");
        assert!(c.phone.is_none());
    }

    #[test]
    fn names_and_orgs() {
        let s = "Fu-Sheng Wang, Doctor, Beijing 302 Hospital";
        let (n, a) = split_name_affiliation(s, (0, s.len()));
        assert_eq!(sub(s, n), "Fu-Sheng Wang, Doctor");
        assert_eq!(sub(s, a.unwrap()), "Beijing 302 Hospital");
        let s = "Mengfan Ruan, MM, The General Hospital of Northern Theater Command";
        let (n, a) = split_name_affiliation(s, (0, s.len()));
        assert_eq!(sub(s, n), "Mengfan Ruan, MM");
        assert_eq!(
            sub(s, a.unwrap()),
            "The General Hospital of Northern Theater Command"
        );
        let s = "A Co., Ltd., B Hospital, C Inc.";
        let o: Vec<&str> = split_orgs(s, (0, s.len()))
            .iter()
            .map(|r| sub(s, *r))
            .collect();
        assert_eq!(o, vec!["A Co., Ltd.", "B Hospital", "C Inc."]);
    }

    #[test]
    fn no_panic_on_odd_text() {
        for s in ["", "\r", "é\n•", "• ", "(", "a (b", "Contact: é@é"] {
            let _ = split_lines(s);
            let _ = parse_ages(s, (0, s.len()));
            let _ = split_contact(s, (0, s.len()));
            let _ = split_name_affiliation(s, (0, s.len()));
            let _ = split_qualifier(s, (0, s.len()));
        }
    }
}
