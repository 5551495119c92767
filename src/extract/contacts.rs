//! Contacts: phone numbers and e-mail addresses of the people a record lists,
//! and helpers the checks use to compare numbers and names.
//!
//! Phone facts hold the digits only ("+" dropped, a leading international
//! "00" dropped, an extension dropped); the country code stays as written.
//! Numbers and e-mails are read from the contact's phone / e-mail fields and
//! also from its name field, where some registries leave them.

use super::names;
use super::{Fact, Origin, Value};
use crate::record::{keys, Field, Record};
use regex::Regex;
use std::sync::LazyLock;

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        match f.key.as_str() {
            keys::CONTACT_PHONE => {
                phones(i, f, out);
                emails(i, f, out);
            }
            keys::CONTACT_EMAIL => emails(i, f, out),
            keys::CONTACT_NAME => {
                if f.text.as_str().bytes().any(|c| c.is_ascii_digit()) {
                    phones(i, f, out);
                }
                emails(i, f, out);
            }
            _ => {}
        }
    }
}

/// A run that looks like a phone number: an optional "+" / "00", then digits
/// with the usual separators.
static PHONE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\s*\(?\+?\d[\d\s().\-/]{4,}\d").unwrap());
/// Where an extension starts.
static EXT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s*(?:ext\.?|extension|x|#)\s*\d").unwrap());
static EMAIL_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+").unwrap());

fn phones(i: usize, f: &Field, out: &mut Vec<Fact>) {
    let text = f.text.as_str();
    // Cut at an extension: "+1 555 123 4567 ext. 89" keeps the main number.
    let mut pos = 0;
    while pos < text.len() {
        let Some(m) = PHONE_RE.find_at(text, pos) else {
            break;
        };
        pos = m.end();
        // the matched run may hold several numbers: split on " / ", ",", ";"
        for (a, b) in split_numbers(text, m.start(), m.end()) {
            let mut end = b;
            if let Some(x) = EXT_RE.find(&text[a..b]) {
                end = a + x.start();
            }
            let piece = text[a..end].trim_end_matches([' ', '-', '.', '/', '(']);
            let end = a + piece.len();
            // trim a leading "(" that has no closing one, or spaces
            let lead = piece.len() - piece.trim_start_matches([' ', '(']).len();
            let a = if piece[lead..].contains(')') || lead == 0 {
                a + piece.len() - piece.trim_start().len()
            } else {
                a + lead
            };
            if a >= end {
                continue;
            }
            let Some(norm) = normalize_phone(&text[a..end]) else {
                continue;
            };
            out.push(
                Fact::new(
                    names::CONTACT_PHONE,
                    Value::Str(norm),
                    f.text.span(a, end),
                    i,
                    Origin::Field,
                    &text[a..end],
                )
                .with_owner(f.entity),
            );
        }
        // skip an extension's digits so they are not read as a number
        if let Some(x) = EXT_RE.find(&text[pos..]) {
            if x.start() == 0 {
                let rest = &text[pos + x.end() - 1..];
                let d = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                pos += x.end() - 1 + d;
            }
        }
    }
}

/// Split a phone-like run into numbers where it holds several
/// ("+84 914740683 / +84 24 3974 3556").
fn split_numbers(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let s = &text[start..end];
    let mut out = Vec::new();
    let mut a = 0;
    let b = s.as_bytes();
    let mut k = 0;
    while k < b.len() {
        // " / " or "/" between two long digit runs separates numbers
        if b[k] == b'/' {
            let left = digits_in(&s[a..k]);
            let right_end = s[k + 1..].find('/').map(|p| k + 1 + p).unwrap_or(s.len());
            let right = digits_in(&s[k + 1..right_end]);
            if left >= 7 && right >= 7 {
                out.push((start + a, start + k));
                a = k + 1;
            }
        }
        k += 1;
    }
    out.push((start + a, start + s.len()));
    out.into_iter()
        .map(|(x, y)| {
            let seg = &text[x..y];
            let l = seg.len() - seg.trim_start().len();
            let r = seg.trim_end().len();
            (x + l, x + r.max(l))
        })
        .filter(|(x, y)| x < y)
        .collect()
}

fn digits_in(s: &str) -> usize {
    s.bytes().filter(|c| c.is_ascii_digit()).count()
}

fn emails(i: usize, f: &Field, out: &mut Vec<Fact>) {
    let text = f.text.as_str();
    if !text.contains('@') {
        return;
    }
    for m in EMAIL_RE.find_iter(text) {
        let e = m.as_str().trim_end_matches('.');
        let (a, b) = (m.start(), m.start() + e.len());
        out.push(
            Fact::new(
                names::CONTACT_EMAIL,
                Value::Str(e.to_lowercase()),
                f.text.span(a, b),
                i,
                Origin::Field,
                &text[a..b],
            )
            .with_owner(f.entity),
        );
    }
}

// ---------------------------------------------------------------- phones

/// The digits of a phone number: "+" dropped, a leading international "00"
/// dropped, an extension dropped, the country code kept as written.
/// `None` when fewer than 6 digits remain.
pub fn normalize_phone(s: &str) -> Option<String> {
    let s = match EXT_RE.find(s) {
        Some(m) if m.start() > 0 => &s[..m.start()],
        _ => s,
    };
    let t = s.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
    let mut d: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    if !t.starts_with('+') && d.starts_with("00") {
        d.drain(..2);
    }
    if d.len() < 6 || d.len() > 17 {
        return None;
    }
    Some(d)
}

/// Is the number written in international form ("+86 ...", "0086 ...")?
fn is_international(s: &str) -> bool {
    let t = s.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
    t.starts_with('+') || t.starts_with("00")
}

/// Do two written phone numbers name the same line? Equal digits ("+86 25
/// 8310 7188" and "+862583107188"), or a national form equal to an
/// international one once the trunk "0" is dropped and a 1–3 digit country
/// code added ("025 8310 7188" and "+86 25 8310 7188"). Conservative: the
/// national part must have at least 7 digits.
pub fn same_number(a: &str, b: &str) -> bool {
    let (Some(na), Some(nb)) = (normalize_phone(a), normalize_phone(b)) else {
        return false;
    };
    if na == nb {
        return true;
    }
    let (ia, ib) = (is_international(a), is_international(b));
    let (intl, nat) = match (ia, ib) {
        (true, false) => (na, nb),
        (false, true) => (nb, na),
        _ => return false,
    };
    let national = nat.strip_prefix('0').unwrap_or(&nat);
    if national.len() < 7 || !intl.ends_with(national) {
        return false;
    }
    let cc = intl.len() - national.len();
    (1..=3).contains(&cc)
}

// ---------------------------------------------------------------- names

/// Titles, degrees and post-nominals that are not part of a person's name.
const TITLES: &[&str] = &[
    "dr",
    "drs",
    "doctor",
    "prof",
    "professor",
    "assoc",
    "associate",
    "asst",
    "assistant",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sir",
    "md",
    "phd",
    "msc",
    "mba",
    "mph",
    "mbbs",
    "mbchb",
    "mb",
    "bs",
    "bsc",
    "mm",
    "mmed",
    "mmsc",
    "rn",
    "bsn",
    "msn",
    "np",
    "pa",
    "pharmd",
    "dds",
    "dmd",
    "dvm",
    "drph",
    "scd",
    "dsc",
    "frcp",
    "frcpc",
    "frcs",
    "frcsc",
    "facp",
    "facs",
    "facc",
    "mrcp",
    "ccrp",
    "ccrc",
    "crc",
    "cnm",
    "cns",
    "aprn",
    "fnp",
    "dnp",
    "otr",
    "dpt",
    "lpn",
    "mstat",
    "md-phd",
    "mdphd",
    "jr",
    "sr",
    "ii",
    "iii",
    "iv",
    "cra",
];

/// Degrees that are also family names ("Xiaoli Ma"): dropped only after a comma.
const AMBIGUOUS_TITLES: &[&str] = &["ma", "ba", "pa", "pt", "pi", "med"];

/// The parts of a person's name that identify them: lower-case, titles and
/// degrees removed, hyphenated parts joined ("Li-jun" → "lijun"), sorted.
/// Initials are kept as one-letter tokens.
pub fn person_key(name: &str) -> Vec<String> {
    let mut toks: Vec<String> = Vec::new();
    let first_comma = name.find(',').unwrap_or(name.len());
    // split on white space, commas, periods and parentheses; keep hyphens
    let mut pos = 0;
    for raw in name
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '(' | ')' | ';' | '/' | '|'))
    {
        let at = pos;
        pos += raw.len() + 1;
        if raw.is_empty() {
            continue;
        }
        let lower = raw.to_lowercase();
        let joined: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
        if joined.is_empty() {
            continue;
        }
        if TITLES.contains(&joined.as_str()) || TITLES.contains(&lower.trim_matches('-')) {
            continue;
        }
        if at > first_comma && AMBIGUOUS_TITLES.contains(&joined.as_str()) {
            continue;
        }
        // "M.D" split into "m" "d" by the periods: drop such degree letters later
        toks.push(fold(&joined));
    }
    // degrees written with periods ("M.D.", "Ph.D.") leave letter pairs
    drop_dotted_degrees(name, &mut toks);
    toks.sort();
    toks
}

/// Drop "m" "d" left over from "M.D." and "p" "h" "d" from "Ph.D.".
fn drop_dotted_degrees(name: &str, toks: &mut Vec<String>) {
    let compact: String = name
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for (deg, parts) in [
        ("m.d", &["m", "d"][..]),
        ("ph.d", &["ph", "d"][..]),
        ("m.s", &["m", "s"][..]),
        ("r.n", &["r", "n"][..]),
    ] {
        if compact.contains(&format!(",{deg}")) || compact.ends_with(deg) {
            for p in parts {
                if let Some(k) = toks.iter().rposition(|t| t == p) {
                    toks.remove(k);
                }
            }
        }
    }
}

/// Fold the accented letters of Vietnamese and European names to ASCII.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ' | 'ẫ'
            | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => 'a',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể' | 'ễ' | 'ệ' | 'ę'
            | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ỉ' | 'ĩ' | 'ị' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ơ' | 'ọ' | 'ỏ' | 'ố' | 'ồ' | 'ổ' | 'ỗ'
            | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ư' | 'ụ' | 'ủ' | 'ũ' | 'ứ' | 'ừ' | 'ử' | 'ữ' | 'ự' => {
                'u'
            }
            'ỳ' | 'ý' | 'ÿ' | 'ỵ' | 'ỷ' | 'ỹ' => 'y',
            'đ' => 'd',
            'ç' | 'ć' | 'č' => 'c',
            'ñ' | 'ń' | 'ň' => 'n',
            'š' | 'ś' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            'ł' => 'l',
            'ř' => 'r',
            other => other,
        })
        .collect()
}

/// Are two written names the same person? Titles and degrees are ignored,
/// case and token order do not matter ("Liem Nguyen" = "Nguyen T Liem"), an
/// initial may be dropped or stand for a name starting with it, hyphens do
/// not matter ("Li-jun Ding" = "Lijun Ding"). Every full name part on each
/// side must be matched, and at least two must match in full, so "Phuong
/// Nguyen" ≠ "Nguyen T Liem" and "Fu-Sheng Wang" ≠ "Fu-Xiang Wang".
pub fn same_person(a: &str, b: &str) -> bool {
    let ka = person_key(a);
    let kb = person_key(b);
    if ka.is_empty() || kb.is_empty() {
        return false;
    }
    let (mut fa, ia): (Vec<&str>, Vec<&str>) = split_initials(&ka);
    let (mut fb, ib): (Vec<&str>, Vec<&str>) = split_initials(&kb);
    // full names matched in full
    let mut matched = 0;
    let mut k = 0;
    while k < fa.len() {
        if let Some(p) = fb.iter().position(|t| *t == fa[k]) {
            fb.remove(p);
            fa.remove(k);
            matched += 1;
        } else {
            k += 1;
        }
    }
    // "Li Jun" on one side and "Lijun" on the other
    join_split_names(&mut fa, &mut fb, &mut matched);
    join_split_names(&mut fb, &mut fa, &mut matched);
    if matched == 0 {
        return false;
    }
    // what is left must be stood for by an initial on the other side
    let mut ib = ib;
    for t in &fa {
        match ib.iter().position(|i| t.starts_with(*i)) {
            Some(p) => {
                ib.remove(p);
            }
            None => return false,
        }
    }
    let mut ia = ia;
    for t in &fb {
        match ia.iter().position(|i| t.starts_with(*i)) {
            Some(p) => {
                ia.remove(p);
            }
            None => return false,
        }
    }
    // a surname alone ("Nguyen") is not enough to call two people the same
    matched >= 2
        || (matched == 1 && (ka.len() >= 2 && kb.len() >= 2) && (!fa.is_empty() || !fb.is_empty()))
}

fn split_initials(k: &[String]) -> (Vec<&str>, Vec<&str>) {
    let mut full = Vec::new();
    let mut init = Vec::new();
    for t in k {
        if t.chars().count() == 1 {
            init.push(t.as_str());
        } else {
            full.push(t.as_str());
        }
    }
    (full, init)
}

/// Two leftover parts on one side that, joined in either order, make one
/// leftover part on the other side.
fn join_split_names(x: &mut Vec<&str>, y: &mut Vec<&str>, matched: &mut usize) {
    if x.len() < 2 || y.is_empty() {
        return;
    }
    for i in 0..x.len() {
        for j in 0..x.len() {
            if i == j {
                continue;
            }
            let joined = format!("{}{}", x[i], x[j]);
            if let Some(p) = y.iter().position(|t| *t == joined) {
                y.remove(p);
                let (hi, lo) = if i > j { (i, j) } else { (j, i) };
                x.remove(hi);
                x.remove(lo);
                *matched += 2;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::EntityKind;
    use crate::span::{Span, Text};

    #[test]
    fn normalise() {
        assert_eq!(
            normalize_phone("+84 914740683").as_deref(),
            Some("84914740683")
        );
        assert_eq!(
            normalize_phone("0084 914740683").as_deref(),
            Some("84914740683")
        );
        assert_eq!(
            normalize_phone("+1 (555) 123-4567 ext. 89").as_deref(),
            Some("15551234567")
        );
        assert_eq!(
            normalize_phone("86-18753103739").as_deref(),
            Some("8618753103739")
        );
        assert_eq!(normalize_phone("12"), None);
        assert_eq!(normalize_phone(""), None);
    }

    #[test]
    fn same_numbers() {
        assert!(same_number("+86 25 8310 7188", "+862583107188"));
        assert!(same_number("025 8310 7188", "+86 25 8310 7188"));
        assert!(same_number("+84 914740683", "+84914740683"));
        assert!(same_number("0084 914740683", "+84914740683"));
        assert!(!same_number("+862883107188", "+862583107188"));
        assert!(!same_number("025 8310 7188", "026 8310 7188"));
        // both national, different: not the same
        assert!(!same_number("8310 7188", "+86 25 8310 7188"));
        assert!(!same_number("", ""));
    }

    #[test]
    fn same_people() {
        assert!(same_person("Liem Nguyen", "Nguyen T Liem"));
        assert!(same_person("Liem Nguyen, PhD", "Nguyen T Liem, Prof"));
        assert!(same_person("Li-jun Ding", "Lijun Ding"));
        assert!(same_person("Lijun Ding, phD", "Li-jun Ding"));
        assert!(same_person("Haixiang Sun", "Haixiang Sun, phD"));
        assert!(same_person("Fu-Sheng Wang, Doctor", "Fu-Sheng Wang"));
        assert!(same_person("J. Smith", "John Smith, M.D."));
        assert!(same_person("Li Jun Ding", "Lijun Ding"));
        assert!(same_person("Mengfan Ruan, MM", "mengfan ruan"));
        assert!(same_person("Nguyễn Thanh Liêm", "Liem Nguyen Thanh"));
        assert!(!same_person("Phuong Nguyen", "Nguyen T Liem"));
        assert!(!same_person("Phuong Nguyen, MSC", "Liem Nguyen, PhD"));
        assert!(!same_person("Fu-Sheng Wang", "Fu-Xiang Wang"));
        assert!(!same_person("Haixiang Sun", "Lijun Ding"));
        assert!(!same_person("Nguyen", "Nguyen T Liem"));
        assert!(!same_person("Dr", "Dr"));
        assert!(!same_person("Tan Sinh Nguyen, Dr", "Nguyen T Liem"));
        assert_eq!(person_key("Phuong Nguyen, MSC"), vec!["nguyen", "phuong"]);
        assert_eq!(person_key("Guangshu Han, phD"), vec!["guangshu", "han"]);
    }

    #[test]
    fn facts_from_fields() {
        let mut r = Record::new("t");
        let e = r.add_entity(EntityKind::Contact, Some("central contact".into()), None);
        r.push_in(
            e,
            keys::CONTACT_NAME,
            Text::verbatim("Phuong Nguyen, MSC", 0),
        );
        r.push_in(e, keys::CONTACT_PHONE, Text::verbatim("+84 914740683", 100));
        r.push_in(
            e,
            keys::CONTACT_EMAIL,
            Text::verbatim("V.Phuongnh9@vinmec.com", 200),
        );
        let e2 = r.add_entity(EntityKind::Contact, Some("site contact".into()), None);
        r.push_in(
            e2,
            keys::CONTACT_NAME,
            Text::verbatim(
                "Nguyen T Liem, Prof +84914740683 v.phuongnh9@vinmec.com",
                300,
            ),
        );
        let e3 = r.add_entity(EntityKind::Contact, None, None);
        r.push_in(
            e3,
            keys::CONTACT_PHONE,
            Text::verbatim("+86 10 1234 5678 / +86 139 1234 5678, ext. 12", 400),
        );
        let mut out = Vec::new();
        extract(&r, &mut out);
        let ph: Vec<(&str, Option<usize>, Span, &str)> = out
            .iter()
            .filter(|f| f.name == names::CONTACT_PHONE)
            .map(|f| match &f.value {
                Value::Str(s) => (s.as_str(), f.owner, f.span, f.quote.as_str()),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            ph[0],
            ("84914740683", Some(e), Span::new(100, 113), "+84 914740683")
        );
        assert_eq!(ph[1].0, "84914740683");
        assert_eq!(ph[1].1, Some(e2));
        assert_eq!(ph[1].3, "+84914740683");
        assert_eq!(ph[2].0, "861012345678");
        assert_eq!(ph[3].0, "8613912345678");
        assert_eq!(ph.len(), 4);
        let em: Vec<&Fact> = out
            .iter()
            .filter(|f| f.name == names::CONTACT_EMAIL)
            .collect();
        assert_eq!(em.len(), 2);
        assert_eq!(em[0].value, Value::Str("v.phuongnh9@vinmec.com".into()));
        assert_eq!(em[0].span, Span::new(200, 222));
        assert_eq!(em[1].owner, Some(e2));
    }

    #[test]
    fn no_panic() {
        for s in [
            "",
            "+",
            "((((",
            "ext 12",
            "+84 9147 ext",
            "ü@ü",
            "@@",
            "0000000",
            "a, , b",
        ] {
            let _ = normalize_phone(s);
            let _ = person_key(s);
            let _ = same_person(s, s);
            let _ = same_number(s, s);
            let mut r = Record::new("t");
            r.push(keys::CONTACT_PHONE, Text::verbatim(s, 0));
            r.push(keys::CONTACT_NAME, Text::verbatim(s, 0));
            let mut out = Vec::new();
            extract(&r, &mut out);
        }
    }
}
