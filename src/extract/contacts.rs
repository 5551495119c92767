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
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        match f.key.as_ref() {
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
static PHONE_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"\+?\s*\(?\+?\d[\d\s().\-/]{4,}\d").unwrap()
});
/// An extension: "ext. 89", "x89", "#89".
const EXT: &str = r"\s*(?:ext\.?|extension|x|#)\s*\d";
/// Where an extension starts.
static EXT_RE: LazyLock<Regex> =
    LazyLock::new(|| crate::extract::patterns::compile(&format!("(?i){EXT}")).unwrap());
/// An extension right at the start of a text.
static EXT_HERE_RE: LazyLock<Regex> =
    LazyLock::new(|| crate::extract::patterns::compile(&format!("(?i)^(?:{EXT})")).unwrap());
static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+").unwrap()
});

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
        // (An extension is not looked for in a number, nor by
        // `normalize_phone`: every match of `EXT_RE` holds an "x", "X" or
        // "#", and a match of `PHONE_RE` holds none, only digits,
        // spaces and "+().-/". Two searches per number found nothing.)
        for (a, end) in split_numbers(text, m.start(), m.end()) {
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
            let Some(norm) = phone_digits(&text[a..end]) else {
                continue;
            };
            out.push(
                Fact::new(
                    names::CONTACT_PHONE,
                    Value::Str(norm.into()),
                    f.text.span(a, end),
                    i,
                    Origin::Field,
                    &text[a..end],
                )
                .with_owner(f.entity),
            );
        }
        // skip an extension's digits so they are not read as a number (an
        // anchored search: looking for one anywhere in the rest of the text
        // after every number took time quadratic in the text's length).
        if !may_start_extension(&text[pos..]) {
            continue;
        }
        if let Some(x) = EXT_HERE_RE.find(&text[pos..]) {
            let rest = &text[pos + x.end() - 1..];
            let d = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            pos += x.end() - 1 + d;
        }
    }
}

/// Whether [`EXT_HERE_RE`] may match `rest`: after its spaces an extension
/// starts with "e", "x" or "#" (the pattern's `\s` is ASCII: it is
/// compiled without Unicode mode, and folds ASCII case only). Most numbers
/// are followed by none, and the search is not run.
fn may_start_extension(rest: &str) -> bool {
    rest.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r'])
        .bytes()
        .next()
        .is_some_and(|c| matches!(c, b'e' | b'E' | b'x' | b'X' | b'#'))
}

/// Split a phone-like run into numbers where it holds several
/// ("+84 914740683 / +84 24 3974 3556").
fn split_numbers(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let s = &text[start..end];
    let mut out = Vec::new();
    let mut a = 0;
    // digits before each byte, and where the slashes are: counting the
    // digits between two slashes anew at each slash took quadratic time
    // on a long run such as "1/1/1/..."
    let mut digits = Vec::with_capacity(s.len() + 1);
    digits.push(0usize);
    for c in s.bytes() {
        digits.push(digits[digits.len() - 1] + usize::from(c.is_ascii_digit()));
    }
    let slashes: Vec<usize> = s
        .bytes()
        .enumerate()
        .filter(|(_, c)| *c == b'/')
        .map(|(k, _)| k)
        .collect();
    for (n, &k) in slashes.iter().enumerate() {
        // " / " or "/" between two long digit runs separates numbers
        let left = digits[k] - digits[a];
        let right_end = slashes.get(n + 1).copied().unwrap_or(s.len());
        let right = digits[right_end] - digits[k + 1];
        if left >= 7 && right >= 7 {
            out.push((start + a, start + k));
            a = k + 1;
        }
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
                Value::Str(e.to_lowercase().into()),
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
    phone_digits(s)
}

/// [`normalize_phone`] of a text without an extension.
fn phone_digits(s: &str) -> Option<String> {
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
    s.chars().map(fold_char).collect()
}

/// The letter `c` without its accent (see [`fold`]).
fn fold_char(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ' | 'ẫ' | 'ậ'
        | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể' | 'ễ' | 'ệ' | 'ę' | 'ě' => {
            'e'
        }
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ỉ' | 'ĩ' | 'ị' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ơ' | 'ọ' | 'ỏ' | 'ố' | 'ồ' | 'ổ' | 'ỗ' | 'ộ'
        | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => 'o',
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
    }
}

/// The parts of a written name: the name proper (before the first comma),
/// what follows a comma (usually degrees or a role, sometimes the given
/// name of a "Last, First" form), and initials.
struct NameParts {
    required: Vec<String>,
    optional: Vec<String>,
    initials: Vec<String>,
    /// More than [`MAX_NAME_PARTS`] parts: not a name, never the same
    /// person as anyone (the lists then hold only the first parts).
    too_long: bool,
}

/// At most this many parts (name parts, comma parts and initials) in a
/// name. A longer "name" is text pasted into the field; comparing two of
/// them part by part would take time quadratic in their length. The
/// longest contact names in the corpus have about 20 parts.
const MAX_NAME_PARTS: usize = 64;

fn name_parts(name: &str) -> NameParts {
    // an e-mail address written as the name: read its local part
    // ("herbert.pichler@stanna.at" is Herbert Pichler)
    if let Some(at) = name.find('@') {
        let start = name[..at]
            .rfind(|c: char| c.is_whitespace())
            .map(|p| p + 1)
            .unwrap_or(0);
        let local = &name[start..at];
        if name[..start].trim().is_empty() {
            let spaced: String = local
                .chars()
                .map(|c| {
                    if c == '.' || c == '_' || c == '-' {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            return name_parts(&spaced);
        }
    }
    let mut parts = NameParts {
        required: Vec::new(),
        optional: Vec::new(),
        initials: Vec::new(),
        too_long: false,
    };
    let all_caps = !name.chars().any(|c| c.is_lowercase());
    let (head, tail) = match name.find([',', ';', '(']) {
        Some(p) => (&name[..p], &name[p..]),
        None => (name, ""),
    };
    let tail_has_dotted_degree = {
        let c: String = tail
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        ["m.d", "ph.d", "m.sc", "b.sc", "m.ph", "m.s", "b.s", "m.b"]
            .iter()
            .any(|d| c.contains(d))
    };
    // a part's letters, lower-cased, and folded: kept from part to part
    // (a string each, and three more for the folding's replacements, were
    // most of the cost of reading a name)
    let (mut letters, mut lower, mut t) = (String::new(), String::new(), String::new());
    for (text, is_head) in [(head, true), (tail, false)] {
        for raw in text.split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '.' | '(' | ')' | ';' | '/' | '|')
        }) {
            letters.clear();
            letters.extend(raw.chars().filter(|c| c.is_alphabetic()));
            if letters.is_empty() {
                continue;
            }
            lower.clear();
            if letters.is_ascii() {
                lower.push_str(&letters);
                lower.make_ascii_lowercase();
            } else {
                lower.push_str(&letters.to_lowercase());
            }
            if TITLES.contains(&lower.as_str())
                || (!is_head && AMBIGUOUS_TITLES.contains(&lower.as_str()))
            {
                continue;
            }
            if !is_head && tail_has_dotted_degree && lower.len() <= 2 {
                continue; // "M. D.", "Ph. D."
            }
            // "SE" in "Sang Eun SE Lee": initials written together
            let n = letters.chars().count();
            if is_head
                && (2..=3).contains(&n)
                && !all_caps
                && letters.chars().all(|c| c.is_uppercase())
            {
                for c in lower.chars() {
                    parts.initials.push(c.to_string());
                }
                continue;
            }
            t.clear();
            fold_ascii_into(&lower, &mut t);
            if t.chars().count() == 1 {
                if is_head {
                    parts.initials.push(t.clone());
                }
                continue;
            }
            let list = if is_head {
                &mut parts.required
            } else {
                &mut parts.optional
            };
            if !list.contains(&t) {
                list.push(t.clone());
            }
            if parts.required.len() + parts.optional.len() + parts.initials.len() > MAX_NAME_PARTS {
                parts.too_long = true;
                return parts;
            }
        }
    }
    parts.too_long =
        parts.required.len() + parts.optional.len() + parts.initials.len() > MAX_NAME_PARTS;
    parts
}

/// Fold accents and the German transliterations ("Fuerst" = "Fürst" =
/// "Furst"), appended to `out`: in one pass what folding the accents
/// and then replacing "ue", "oe" and "ae" in turn (`str::replace`, three
/// strings a name part) gives: an `e` is dropped when the letter before
/// it in `s` is a folded `u`, `o` or `a`. The pairs cannot overlap (none
/// starts with `e`), and a replacement leaves its `u`, `o` or `a` before
/// the next letter, which its own pass does not look at again (an `e`
/// there is kept: "uee" is "ue") and which starts no pair of the passes
/// after it.
fn fold_ascii_into(s: &str, out: &mut String) {
    let mut prev = '\0';
    for c in s.chars().map(fold_char) {
        if !(c == 'e' && matches!(prev, 'u' | 'o' | 'a')) {
            out.push(c);
        }
        prev = c;
    }
}

/// Two name parts that are the same, allowing one typo in a long one.
fn same_token(a: &str, b: &str) -> bool {
    a == b || (a.chars().count() >= 5 && b.chars().count() >= 5 && one_edit_apart(a, b))
}

/// Whether the Levenshtein distance of `a` and `b` (in characters) is at
/// most 1, in linear time: what is left once their common start and end
/// are removed is at most one character on each side. (`strsim` computes
/// the whole distance, in time quadratic in the length: a pasted paragraph
/// as a contact name took seconds.)
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if x.len().abs_diff(y.len()) > 1 {
        return false;
    }
    let pre = x.iter().zip(&y).take_while(|(p, q)| p == q).count();
    let (x, y) = (&x[pre..], &y[pre..]);
    let suf = x
        .iter()
        .rev()
        .zip(y.iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    x.len() - suf <= 1 && y.len() - suf <= 1
}

/// Are two written names the same person? Titles and degrees are ignored,
/// case and token order do not matter ("Liem Nguyen" = "Nguyen T Liem"), an
/// initial may be dropped or stand for a name starting with it, hyphens and
/// accents do not matter ("Li-jun Ding" = "Lijun Ding"), a long part may
/// have one typo, and a middle name may be left out on one side ("Jayant
/// Sastri Goda" = "Jayant Goda"). Names are different when a part of each
/// is left unmatched ("Fu-Sheng Wang" ≠ "Fu-Xiang Wang") or only one part
/// matches ("Phuong Nguyen" ≠ "Nguyen T Liem"). Checks use this to say that
/// two different people share a number, so doubt counts as the same person.
pub fn same_person(a: &str, b: &str) -> bool {
    same_parts(&name_parts(a), &name_parts(b))
}

/// [`same_person`] of two names already split into their parts.
fn same_parts(pa: &NameParts, pb: &NameParts) -> bool {
    if pa.required.is_empty() || pb.required.is_empty() || pa.too_long || pb.too_long {
        return false;
    }
    let mut ra: Vec<&str> = pa.required.iter().map(|s| s.as_str()).collect();
    let mut rb: Vec<&str> = pb.required.iter().map(|s| s.as_str()).collect();
    let mut matched = 0;
    // required parts matched with required parts
    let mut k = 0;
    while k < ra.len() {
        if let Some(p) = rb.iter().position(|t| same_token(t, ra[k])) {
            rb.remove(p);
            ra.remove(k);
            matched += 1;
        } else {
            k += 1;
        }
    }
    // "Li Jun" on one side and "Lijun" on the other
    join_split_names(&mut ra, &mut rb, &mut matched);
    join_split_names(&mut rb, &mut ra, &mut matched);
    // leftovers matched by the other side's comma part ("Nguyen, Phuong")
    for (left, other) in [(&mut ra, &pb.optional), (&mut rb, &pa.optional)] {
        left.retain(|t| {
            if other.iter().any(|o| same_token(o, t)) {
                matched += 1;
                false
            } else {
                true
            }
        });
    }
    if matched == 0 {
        return false;
    }
    // leftovers stood for by an initial on the other side
    let mut by_initial = 0;
    for (left, inits) in [(&mut ra, &pb.initials), (&mut rb, &pa.initials)] {
        let mut inits: Vec<&str> = inits.iter().map(|s| s.as_str()).collect();
        left.retain(|t| match inits.iter().position(|i| t.starts_with(*i)) {
            Some(p) => {
                inits.remove(p);
                by_initial += 1;
                false
            }
            None => true,
        });
    }
    // one part left on each side that is a short form of the other ("Rob" /
    // "Robert"), part of a double surname ("Morel" / "Morel-Journel") or one
    // letter off in a short part ("Lee" / "Leee")
    if matched >= 1 && ra.len() == 1 && rb.len() == 1 && loosely_same(ra[0], rb[0]) {
        ra.clear();
        rb.clear();
        matched += 1;
    }
    let same_initials = {
        let mut x = pa.initials.clone();
        let mut y = pb.initials.clone();
        x.sort();
        y.sort();
        x == y
    };
    match (ra.is_empty(), rb.is_empty()) {
        // everything accounted for: two parts in full, or one and an initial,
        // or one and the same initials ("S J Qiu" twice)
        (true, true) => {
            matched >= 2
                || (matched == 1
                    && (by_initial >= 1
                        || (same_initials
                            && (!pa.initials.is_empty()
                                // one and the same single name ("Surender" twice)
                                || (pa.optional.is_empty() && pb.optional.is_empty())))))
        }
        // a middle name left out on one side only, or a name given as one
        // part that the other name contains ("Surender" / "Surender Rao")
        (true, false) | (false, true) => {
            matched >= 2
                || (matched == 1
                    && ((pa.required.len() == 1 && pa.optional.is_empty())
                        || (pb.required.len() == 1 && pb.optional.is_empty())))
        }
        (false, false) => false,
    }
}

/// Two name parts that are plausibly one written two ways.
fn loosely_same(x: &str, y: &str) -> bool {
    let (lx, ly) = (x.chars().count(), y.chars().count());
    if lx.min(ly) < 3 {
        return false;
    }
    x.starts_with(y) || y.starts_with(x) || one_edit_apart(x, y)
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

// ---------------------------------------------------------------- many names

/// The distinct people among names met one at a time: a name is a new
/// person unless [`same_person`] says it is someone met before. Decides
/// exactly as
///
/// ```text
/// if !people.iter().any(|q| same_person(name, q)) { people.push(name) }
/// ```
///
/// but without comparing each name with everyone met (quadratic: minutes for
/// one phone number listed for 20,000 contacts). Each distinct name is read
/// once, and compared only with the people that share a key with it:
/// `same_person` needs at least one part matched, which means a part of one
/// name equal to a part of the other or one letter off it (both then share
/// the part itself or the part with one letter deleted), or a part of one
/// that two parts of the other make when joined (it then starts with the
/// first of those two). A name met again is not compared again with people
/// it was already compared with.
///
/// After [`People::BUDGET`] comparisons (names made to share parts, never a
/// real record: the most people sharing one number in the corpus is 30) a
/// name is only matched with the same name written the same way, and
/// [`People::exhausted`] says so.
#[derive(Default)]
pub struct People<'a> {
    ids: FxHashMap<&'a str, usize>,
    names: Vec<Known>,
    /// Part (or a part with one letter deleted) → people with it.
    parts: FxHashMap<u64, Vec<usize>>,
    /// Whole part → people with it; start of a part → people with it.
    whole: FxHashMap<u64, Vec<usize>>,
    starts: FxHashMap<u64, Vec<usize>>,
    /// How many names have become people.
    people: usize,
    comparisons: usize,
    exhausted: bool,
    /// Names met since the last [`People::clear`].
    met: Vec<usize>,
}

/// One distinct name met.
struct Known {
    parts: NameParts,
    /// Hashes of its parts and of each long part with one letter deleted.
    part_keys: Vec<u64>,
    /// Hashes of its required parts, and of their starts.
    whole_keys: Vec<u64>,
    start_keys: Vec<u64>,
    /// Its number among people (`None`: not a person of its own).
    person: Option<usize>,
    /// Known to be the same as someone met.
    matched: bool,
    /// Compared, without a match, with every person numbered below this.
    compared_below: usize,
    /// Met since the last [`People::clear`].
    met: bool,
}

impl<'a> People<'a> {
    /// Comparisons made before names are only matched exactly.
    pub const BUDGET: usize = 200_000;

    pub fn new() -> Self {
        People::default()
    }

    /// Forget the people met, but not how their names read: for the
    /// next group of names, when the same names come again and again (one
    /// contact in every group).
    pub fn clear(&mut self) {
        for id in self.met.drain(..) {
            let k = &mut self.names[id];
            k.met = false;
            k.person = None;
            k.matched = false;
            k.compared_below = 0;
        }
        for index in [&mut self.parts, &mut self.whole, &mut self.starts] {
            if !index.is_empty() {
                *index = FxHashMap::default();
            }
        }
        self.people = 0;
        self.comparisons = 0;
        self.exhausted = false;
    }

    /// Meet `name`: true when it is a new person (the caller keeps it),
    /// false when it is someone met before.
    pub fn add(&mut self, name: &'a str) -> bool {
        let id = self.intern(name);
        if !self.names[id].met {
            self.names[id].met = true;
            self.met.push(id);
        }
        if self.names[id].matched {
            return false;
        }
        if !self.exhausted {
            let from = self.names[id].compared_below;
            let k = &self.names[id];
            let mut candidates: Vec<usize> = Vec::new();
            for (keys, index) in [
                (&k.part_keys, &self.parts),
                (&k.whole_keys, &self.starts),
                (&k.start_keys, &self.whole),
            ] {
                for key in keys {
                    if let Some(ids) = index.get(key) {
                        candidates.extend(
                            ids.iter()
                                .copied()
                                .filter(|&c| self.names[c].person.is_some_and(|n| n >= from)),
                        );
                    }
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            for c in candidates {
                if self.comparisons >= Self::BUDGET {
                    self.exhausted = true;
                    break;
                }
                self.comparisons += 1;
                if same_parts(&self.names[id].parts, &self.names[c].parts) {
                    self.names[id].matched = true;
                    return false;
                }
            }
            if !self.exhausted {
                self.names[id].compared_below = self.people;
            }
        }
        if self.exhausted && self.names[id].person.is_some() {
            return false; // the same name written the same way
        }
        if self.names[id].person.is_none() {
            self.names[id].person = Some(self.people);
            self.people += 1;
            let k = &self.names[id];
            for (keys, index) in [
                (&k.part_keys, &mut self.parts),
                (&k.whole_keys, &mut self.whole),
                (&k.start_keys, &mut self.starts),
            ] {
                for key in keys {
                    let ids = index.entry(*key).or_default();
                    if ids.last() != Some(&id) {
                        ids.push(id);
                    }
                }
            }
        }
        true
    }

    /// Whether names stopped being compared (see [`People::BUDGET`]).
    pub fn exhausted(&self) -> bool {
        self.exhausted
    }

    fn intern(&mut self, name: &'a str) -> usize {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let parts = name_parts(name);
        let (mut part_keys, mut whole_keys, mut start_keys) = (Vec::new(), Vec::new(), Vec::new());
        // a name that can match no one has no keys
        if !parts.required.is_empty() && !parts.too_long {
            for t in parts.required.iter().chain(&parts.optional) {
                let h = PartHash::new(t);
                part_keys.push(h.whole());
                if h.len() >= 5 {
                    part_keys.extend((0..h.len()).map(|i| h.without(i)));
                }
            }
            for t in &parts.required {
                let h = PartHash::new(t);
                whole_keys.push(h.whole());
                // two joined parts of at least two letters each
                start_keys.extend((2..=h.len().saturating_sub(2)).map(|n| h.start(n)));
            }
        }
        let id = self.names.len();
        self.names.push(Known {
            parts,
            part_keys,
            whole_keys,
            start_keys,
            person: None,
            matched: false,
            compared_below: 0,
            met: false,
        });
        self.ids.insert(name, id);
        id
    }
}

/// Polynomial hashes of a name part's characters, for its whole, its starts
/// and its one-letter deletions in constant time each. Equal strings hash
/// equal; a collision only adds a comparison.
struct PartHash {
    /// `pre[k]`: hash of the first `k` characters.
    pre: PartVec,
    /// `pow[k]`: the base to the power `k`.
    pow: PartVec,
}

/// Kept inline for a part of up to 31 characters (nearly all): two
/// allocations, and their growth, per part hashed were spent otherwise.
type PartVec = smallvec::SmallVec<[u64; 32]>;

impl PartHash {
    const BASE: u64 = 0x100_0000_01b3;

    fn new(s: &str) -> PartHash {
        let mut pre: PartVec = smallvec::smallvec![0u64];
        let mut pow: PartVec = smallvec::smallvec![1u64];
        for c in s.chars() {
            let h = pre[pre.len() - 1];
            pre.push(h.wrapping_mul(Self::BASE).wrapping_add(u64::from(c) + 1));
            pow.push(pow[pow.len() - 1].wrapping_mul(Self::BASE));
        }
        PartHash { pre, pow }
    }

    /// Its length in characters.
    fn len(&self) -> usize {
        self.pre.len() - 1
    }

    fn whole(&self) -> u64 {
        self.pre[self.len()]
    }

    /// The first `n` characters.
    fn start(&self, n: usize) -> u64 {
        self.pre[n]
    }

    /// Without the character at `i`.
    fn without(&self, i: usize) -> u64 {
        let n = self.len();
        let rest = self.pre[n].wrapping_sub(self.pre[i + 1].wrapping_mul(self.pow[n - 1 - i]));
        self.pre[i]
            .wrapping_mul(self.pow[n - 1 - i])
            .wrapping_add(rest)
    }
}

#[cfg(test)]
mod tests {
    /// The one-pass folding gives what folding and then three replacements
    /// gave, on generated strings of the letters that take part.
    #[test]
    fn folding_in_one_pass_is_folding_then_replacing() {
        let pieces = [
            "u", "e", "o", "a", "ü", "ë", "é", "ö", "ä", "x", "ue", "É", "İ", "ß",
        ];
        let mut changed = 0;
        for s in crate::extract::random_texts(&pieces, 50_000, 9, 0xf01d) {
            let reference = super::fold(&s)
                .replace("ue", "u")
                .replace("oe", "o")
                .replace("ae", "a");
            let mut t = String::new();
            super::fold_ascii_into(&s, &mut t);
            assert_eq!(t, reference, "{s:?}");
            changed += usize::from(t.len() < super::fold(&s).len());
        }
        assert!(changed > 10_000, "{changed}");
    }

    #[test]
    fn same_person_in_the_corpus_variants() {
        assert!(super::same_person("S J Qiu, MD", "S J Qiu, MD"));
        assert!(super::same_person(
            "F m dabnon, master",
            "F m dabnon, master"
        ));
        assert!(super::same_person("Mr Surender, PhD", "Surender Rao, Msc"));
        assert!(super::same_person(
            "Robert Ostfeld, MD, MSc",
            "Rob Ostfeld, MD, MSc"
        ));
        assert!(super::same_person("Nicolas MOREL-JOURNEL", "Nicolas MOREL"));
        assert!(super::same_person("Gauhar NUKENOVA, MD", "NUKENOVa, MD"));
        assert!(super::same_person("Peilin Leee, M.D.", "Peilin Lee, M.D."));
        assert!(super::same_person("Mr Surender, M.Sc", "Surender, MSc"));
        // still different
        assert!(!super::same_person("S J Qiu", "X Y Qiu"));
        assert!(!super::same_person(
            "Mahmoud Ab Khalaf",
            "Mahmoud Al Khodiry"
        ));
        assert!(!super::same_person(
            "Phuong Nguyen, MSC",
            "Nguyen T Liem, Prof"
        ));
        assert!(!super::same_person("Fu-Sheng Wang", "Fu-Xiang Wang"));
        assert!(!super::same_person("Haixiang Sun", "Lijun Ding"));
    }

    use super::*;
    use crate::record::EntityKind;
    use crate::span::{Span, Text};

    /// The extension searches left out of `phones` find nothing: no match
    /// of `PHONE_RE` holds an extension, and `EXT_HERE_RE` matches only
    /// where `may_start_extension` says it may (its `\s` is ASCII), on
    /// the fixtures and on generated contact texts.
    #[test]
    fn extension_searches_left_out_find_nothing() {
        const PIECES: &[&str] = &[
            "+1 555 123 4567",
            "0084 914",
            "(555)",
            "123-4567",
            "89",
            "7",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{a0}",
            " / ",
            ",",
            ";",
            "ext. 89",
            "Ext 12",
            "EXTENSION 3",
            "x89",
            "X 5",
            "#12",
            "e",
            "tel",
            ".",
            "-",
            "+",
            "é",
        ];
        let mut texts = crate::extract::fixture_texts();
        texts.extend(crate::extract::random_texts(PIECES, 20_000, 12, 0x51d3));
        let (mut numbers, mut extensions) = (0, 0);
        for t in &texts {
            let mut pos = 0;
            while let Some(m) = PHONE_RE.find_at(t, pos) {
                numbers += 1;
                assert!(EXT_RE.find(m.as_str()).is_none(), "{:?}", m.as_str());
                pos = m.end();
                let here = EXT_HERE_RE.is_match(&t[pos..]);
                assert!(!here || may_start_extension(&t[pos..]), "{:?}", &t[pos..]);
                extensions += usize::from(here);
            }
        }
        assert!(
            numbers > 10_000 && extensions > 1_000,
            "{numbers} {extensions}"
        );
        // a space outside ASCII does not lead to an extension
        assert!(!EXT_HERE_RE.is_match("\u{a0}x1") && EXT_HERE_RE.is_match(" x1"));
    }

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
        // a name written as one part that the other name contains may be the
        // same person ("Mr Surender" / "Surender Rao"): doubt counts as same
        assert!(same_person("Nguyen", "Nguyen T Liem"));
        assert!(!same_person("Dr", "Dr"));
        assert!(!same_person("Tan Sinh Nguyen, Dr", "Nguyen T Liem"));
        assert_eq!(person_key("Phuong Nguyen, MSC"), vec!["nguyen", "phuong"]);
        // corpus cases: degrees and roles after the comma, initials run together,
        // repeated parts, typos, transliterations, a middle name left out
        assert!(same_person(
            "Lauro G Gomez, MD",
            "Lauro G Gomez, MD.Uro-Andro"
        ));
        assert!(same_person(
            "Arturo Rodriguez, MD",
            "Arturo R Rodriguez, MD-Urology"
        ));
        assert!(same_person(
            "Sang Eun SE Lee, Professor",
            "Sang Eun Lee, Professor"
        ));
        assert!(same_person(
            "Yoram Vardi Vardi, Prof. MD",
            "Yoram Vardi, Prof. MD"
        ));
        assert!(same_person("MOHAMAD HABOUS, M.D;FEBU", "Mohamad Habous"));
        assert!(same_person("Oren Furst, Ph.D.", "Oren Fuerst, Ph.D."));
        assert!(same_person("Jayant Sastri Goda, M.D", "Jayant Goda, M.D."));
        assert!(same_person(
            "Sherief Abd-Elsalam, MD",
            "Sherief Abdelsalam, lecturer"
        ));
        assert!(same_person(
            "Hongshengq Zhou, MD, Ph.D",
            "Hongsheng Zhou, PhD, MD"
        ));
        assert!(same_person("Melissa CS Vieira, MSc", "Melissa Vieira, MsC"));
        assert!(same_person(
            "Fernando Grover Páez, PhD",
            "fernando Grover, PhD"
        ));
        assert!(same_person("Nguyen, Phuong", "Phuong Nguyen"));
        assert!(same_person(
            "Herbert Pichler, MD",
            "herbert.pichler@stanna.at"
        ));
        assert!(!same_person("Smith, John", "Smith, Jane"));
        assert!(!same_person("Smith, John", "Jane Smith"));
        assert!(!same_person("Yutian Dai, M.D.", "LeiLei Zhu, M.D."));
        assert!(!same_person("Ilan Gruenwald, MD", "Yoram Vardi, Prof"));
        assert!(!same_person("Zhifeng Xiao, Ph.D", "Sufang Han, Ph.D"));
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

    /// A made-up word of 7 letters, different for each `i`.
    fn word(i: usize) -> String {
        let mut x = i as u64 * 7919 + 1;
        (0..7)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (b'a' + ((x >> 33) % 26) as u8) as char
            })
            .collect()
    }

    /// The people `People` finds are those the plain comparison with
    /// everyone met finds, name by name.
    #[test]
    fn people_decides_as_comparing_with_everyone() {
        const POOL: &[&str] = &[
            "Li",
            "Jun",
            "Lijun",
            "Junli",
            "Ding",
            "Nguyen",
            "Nguyenn",
            "Nguyễn",
            "Liem",
            "T",
            "Phuong",
            "Smith",
            "John",
            "Jon",
            "Johnny",
            "J.",
            "Jane",
            "Wang",
            "Fu-Sheng",
            "Fusheng",
            "Sheng",
            "Rob",
            "Robert",
            "Morel",
            "Morel-Journel",
            "Lee",
            "Leee",
            "SE",
            "MD",
            "PhD",
            "Dr.",
            "Prof",
            "M.D.",
            "Fuerst",
            "Fürst",
            "Ma",
            "Xiaoli",
            ",",
            ",",
            "(",
            "herbert.pichler@x.at",
            "Herbert",
            "Pichler",
            "Anand",
            "Anil",
            "K",
        ];
        let mut x: u64 = 7;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) as usize) % n
        };
        let rounds: Vec<Vec<String>> = (0..40)
            .map(|_| {
                (0..150)
                    .map(|_| {
                        let k = 1 + next(4);
                        let mut v: Vec<&str> = (0..k).map(|_| POOL[next(POOL.len())]).collect();
                        if next(3) == 0 {
                            v.push(",");
                            v.push(POOL[next(POOL.len())]);
                        }
                        v.join(" ").replace(" ,", ",")
                    })
                    .collect()
            })
            .collect();
        let (mut met, mut new_people) = (0, 0);
        // names are read once for every round: `clear` forgets the people
        let mut people = People::new();
        for (round, names) in rounds.iter().enumerate() {
            people.clear();
            let mut plain: Vec<&str> = Vec::new();
            for n in names {
                let new = !plain.iter().any(|q| same_person(n, q));
                if new {
                    plain.push(n);
                    new_people += 1;
                } else {
                    met += 1;
                }
                assert_eq!(people.add(n), new, "round {round}: {n:?} after {plain:?}");
            }
            assert!(!people.exhausted());
        }
        // both answers, often
        assert!(met > 1000 && new_people > 1000, "{met} {new_people}");
        // past the budget, only the same name written the same way matches
        let mut people = People::new();
        let names: Vec<String> = (0..1000).map(|i| format!("{} Smith", word(i))).collect();
        let new = names.iter().filter(|n| people.add(n)).count();
        assert!(people.exhausted());
        assert_eq!(new, 1000);
        assert!(!people.add(&names[999]));
        people.clear();
        assert!(!people.exhausted());
        assert!(people.add(&names[999]));
        assert!(!people.add(&names[999]));
    }

    #[test]
    fn one_edit_apart_is_levenshtein_at_most_one() {
        let words = [
            "", "a", "ab", "ba", "abc", "acb", "abd", "xbc", "abcd", "abxcd", "abccd", "aabc",
            "nguyen", "nguyễn", "ngyen", "nguyne", "leee", "lee", "le",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    one_edit_apart(a, b),
                    strsim::levenshtein(a, b) <= 1,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn long_runs_are_read_in_linear_time() {
        let start = std::time::Instant::now();
        let mut r = Record::new("t");
        let e = r.add_entity(EntityKind::Contact, None, None);
        r.push_in(
            e,
            keys::CONTACT_NAME,
            Text::verbatim(&"1/".repeat(100_000), 0),
        );
        r.push_in(
            e,
            keys::CONTACT_PHONE,
            Text::verbatim(&"+1 555 0100 ".repeat(20_000), 0),
        );
        let mut out = Vec::new();
        extract(&r, &mut out);
        // 20,000 numbers; the run of 100,000 digits is none
        assert_eq!(out.len(), 20_000);
        let long = "a".repeat(50_000);
        assert!(!same_person(&long, &format!("{long}b c")));
        // a paragraph as a name is no one's name
        let para: Vec<String> = (0..10_000).map(word).collect();
        let para = para.join(" ");
        assert!(same_person("ab ab ab cd", "ab cd"));
        assert!(!same_person(&para, &para));
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
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
