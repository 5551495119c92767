//! Reading a phone number as the `phonenumber` crate's `parse_with` reads
//! it on the whole metadata, with each region's patterns compiled once and
//! kept (the plans of `phone_plan.rs`).
//!
//! The crate's parser looks every pattern of the metadata up by its text in
//! one mutex-guarded least-recently-used cache of 100 compiled regexes
//! (fixed in its `Database::from`): each parse hashed several long pattern
//! texts and took the lock, and numbers from many regions evicted each
//! other's patterns, so that in the steady state a third of the parser's
//! instructions compiled patterns again (67 M of the run's 867 M per 1,000
//! records went to the crate's parser, 41 M of it in its regex cache).
//!
//! This is the crate's parser (version 0.3.10, `src/parser/`) step by step:
//! the front end that finds the number in the text (RFC 3966 `tel:` forms,
//! then the natural one: `extract` and the extension), normalisation,
//! the country code (`helper::country_code`, `international_prefix`), the
//! national prefix and carrier (`helper::national_number`) and the final
//! checks, with the same patterns (`\d` as `[0-9]`, anchored at the first
//! digit: see `phone_plan::compile`). Only what the phone check reads is
//! kept: the calling code, the national number with its leading zeros, and
//! how the code was found (for the tests); the extension and the carrier
//! are not built. Tests compare the result with the crate's on every
//! example number of the metadata written many ways, on a list of number
//! shapes and on random strings.

use super::phone_plan::{self, Length, Plan};
use phonenumber::country::{Id, Source};
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Why a string is not a number (the crate's `ParseError` kinds that its
/// parser gives; the check only asks whether there is a number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    NoNumber,
    InvalidCountryCode,
    TooShortNsn,
    TooLong,
    MalformedInteger,
}

/// A parsed number: what `PhoneNumber::code`, `country` and `national`
/// give of the crate's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    code: u16,
    source: Source,
    /// The national number's digits, with its leading zeros (as the
    /// crate's `NationalNumber` prints them): at most 17.
    digits: [u8; MAX_LENGTH_FOR_NSN],
    len: u8,
}

impl Number {
    /// The calling code.
    pub fn code(&self) -> u16 {
        self.code
    }

    /// How the calling code was found.
    #[cfg(test)]
    pub fn source(&self) -> Source {
        self.source
    }

    /// The national number as the crate prints it (`n.national()`): its
    /// leading zeros, then the rest of its digits.
    pub fn national(&self) -> &str {
        // only ASCII digits are stored
        std::str::from_utf8(&self.digits[..usize::from(self.len)]).unwrap_or("")
    }
}

const MIN_LENGTH_FOR_NSN: usize = 2;
const MAX_LENGTH_FOR_NSN: usize = 17;
const MAX_LENGTH_FOR_COUNTRY_CODE: usize = 3;

/// `phonenumber::parse_with(whole metadata, region, s)`.
pub fn parse(region: Option<Id>, s: &str) -> Result<Number, Error> {
    // the front end: RFC 3966 first, then the natural form
    let (raw, prefix) = match rfc3966(s) {
        Some(found) => found,
        None => (natural(s).ok_or(Error::NoNumber)?, None),
    };
    if !is_viable(raw) {
        return Err(Error::NoNumber);
    }
    let home: Option<&'static Plan> = region.and_then(phone_plan::region);

    // `international_prefix`: the number's digits (every character that
    // is not a digit or a letter is dropped, so the leading plus signs go
    // too), and whether and how it says its calling code
    // (into a buffer on the stack: the digits are at most as many bytes as
    // the text)
    let mut buf = [0u8; 64];
    let heap;
    let mut nat: &str = if raw.len() <= buf.len() {
        normalize_into(raw, &mut buf)
    } else {
        heap = normalize(raw);
        &heap
    };
    let mut source;
    if prefix.is_some() {
        source = Source::Plus;
    } else {
        let pluses = raw.len() - raw.trim_start_matches(['+', '\u{FF0B}']).len();
        let idd_end = home
            .and_then(|p| p.idd())
            .and_then(|re| re.find(nat))
            .map(|m| m.end());
        source = if pluses != 0 {
            Source::Plus
        } else {
            Source::Default
        };
        // (after a plus, the crate strips an IDD only if one is there, as
        // the general case does anyway)
        if let Some(end) = idd_end {
            if !nat[end..].starts_with('0') {
                if source != Source::Plus {
                    source = Source::Idd;
                }
                nat = &nat[end..];
            }
        }
    }

    // `country_code`
    let code: u16 = match source {
        Source::Plus | Source::Idd | Source::Number => {
            if nat.len() <= MIN_LENGTH_FOR_NSN {
                return Err(Error::TooShortNsn);
            }
            if let Some(prefix) = prefix {
                let code = normalize(prefix)
                    .parse::<u16>()
                    .map_err(|_| Error::MalformedInteger)?;
                if !phone_plan::code_exists(code) {
                    return Err(Error::InvalidCountryCode);
                }
                code
            } else {
                if nat.starts_with('0') {
                    return Err(Error::InvalidCountryCode);
                }
                let found = (1..=MAX_LENGTH_FOR_COUNTRY_CODE).find_map(|len| {
                    let code: u16 = nat[..len].parse().ok()?;
                    phone_plan::code_exists(code).then_some((len, code))
                });
                let Some((len, code)) = found else {
                    return Err(Error::InvalidCountryCode);
                };
                nat = &nat[len..];
                code
            }
        }
        Source::Default => {
            if region.is_none() {
                return Err(Error::InvalidCountryCode);
            }
            // (the crate unwraps the region's metadata here: every region
            // asked for has one)
            let plan = home.ok_or(Error::InvalidCountryCode)?;
            let code = plan.country_code();
            let mut buf = [0u8; 5];
            let cc = decimal(code, &mut buf);
            if nat.starts_with(cc)
                && (!plan.general_matches(nat)
                    || !matches!(plan.length(nat.len()), Length::Possible | Length::LocalOnly))
            {
                source = Source::Number;
                nat = &nat[cc.len()..];
            }
            code
        }
    };

    // the region whose national prefix is stripped: the one given (even
    // when the number has another calling code), or the one the number
    // belongs to
    let meta: Option<&'static Plan> = match region {
        Some(_) => home,
        None => phone_plan::source_for(code, nat.trim_start_matches('0')),
    };
    let stripped;
    if let Some(plan) = meta {
        let mut potential = national_number(plan, nat);
        if let Some(p) = plan.national_prefix() {
            if potential.starts_with(p) {
                potential = match potential {
                    Cow::Borrowed(s) => Cow::Borrowed(&s[p.len()..]),
                    Cow::Owned(s) => Cow::Owned(s[p.len()..].to_string()),
                };
            }
        }
        if plan.length(potential.len()) != Length::TooShort {
            stripped = potential;
            nat = &stripped;
        }
    }

    if nat.len() < MIN_LENGTH_FOR_NSN {
        return Err(Error::TooShortNsn);
    }
    if nat.len() > MAX_LENGTH_FOR_NSN {
        return Err(Error::TooLong);
    }
    // `NationalNumber::from_str`: the leading zeros are counted, the rest
    // read as a number below 2^56
    let rest = nat.trim_start_matches('0');
    let value: u64 = rest.parse().map_err(|_| Error::MalformedInteger)?;
    if value >= 1 << 56 {
        return Err(Error::TooLong);
    }
    let mut digits = [0u8; MAX_LENGTH_FOR_NSN];
    digits[..nat.len()].copy_from_slice(nat.as_bytes());
    Ok(Number {
        code,
        source,
        digits,
        len: nat.len() as u8,
    })
}

/// `code` in decimal, written into `buf`.
fn decimal(code: u16, buf: &mut [u8; 5]) -> &str {
    let mut at = buf.len();
    let mut v = code;
    loop {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[at..]).unwrap_or("")
}

/// `helper::national_number`: the national prefix (and carrier) stripped
/// from `n` by the region's rule for parsing, or its transform applied.
fn national_number<'a>(plan: &Plan, n: &'a str) -> Cow<'a, str> {
    let Some(re) = plan.for_parsing() else {
        // no rule: the national prefix as written (a test checks that
        // every region's rule compiles, so this is the crate's branch)
        if let Some(p) = plan.national_prefix() {
            if let Some(rest) = n.strip_prefix(p) {
                return Cow::Borrowed(rest);
            }
        }
        return Cow::Borrowed(n);
    };
    // anchored: a match exactly when the crate's search finds one that
    // starts at the first digit, and then the same one
    let Some(caps) = re.captures(n) else {
        return Cow::Borrowed(n);
    };
    let end = caps.get(0).map_or(0, |m| m.end());
    let last = caps.get(caps.len() - 1);
    match plan.transform_rule() {
        Some(rule) if last.is_some() => {
            let viable = plan.general_matches(n);
            let transformed = re.replace(n, rule).into_owned();
            if viable && !plan.general_matches(&transformed) {
                return Cow::Borrowed(n);
            }
            Cow::Owned(transformed)
        }
        // Without a transform the crate tests the general pattern on the
        // number from the match's start, which is the first digit: the same
        // number whose match it has just computed, so that test never
        // keeps the prefix.
        _ => Cow::Borrowed(&n[end..]),
    }
}

/// `helper::normalize`: every decimal digit (of any script the crate
/// knows) as an ASCII digit, letters as the digits of a phone keypad,
/// anything else dropped.
fn normalize(s: &str) -> String {
    s.chars().filter_map(normal_digit).collect()
}

/// [`normalize`] into `buf`, which holds at least as many bytes as `s`
/// (each character gives at most one ASCII digit).
fn normalize_into<'b>(s: &str, buf: &'b mut [u8]) -> &'b str {
    let mut n = 0;
    for d in s.chars().filter_map(normal_digit) {
        buf[n] = d as u8;
        n += 1;
    }
    std::str::from_utf8(&buf[..n]).unwrap_or("")
}

/// What [`normalize`] writes for a character.
fn normal_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        'A'..='Z' | 'a'..='z' => Some(keypad(c)),
        _ if c.is_ascii() => None,
        _ => wide_digit(c),
    }
}

/// `phonenumber::is_viable` (the crate's `parser::valid`, written with
/// `nom`, half of what this parser cost): two ASCII digits and nothing
/// else, or leading plus signs, three ASCII digits each after any
/// punctuation or "*", then only punctuation, "*", ASCII digits and ASCII
/// letters. (The crate's combinators never backtrack, and none is needed:
/// punctuation, "*" and digits are disjoint.)
fn is_viable(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < MIN_LENGTH_FOR_NSN {
        return false;
    }
    if b.len() == 2 && b.iter().all(u8::is_ascii_digit) {
        return true;
    }
    let mut chars = s.trim_start_matches(['+', '\u{FF0B}']).chars().peekable();
    for _ in 0..3 {
        while chars.next_if(|&c| punctuation(c) || c == '*').is_some() {}
        if chars.next_if(char::is_ascii_digit).is_none() {
            return false;
        }
    }
    chars.all(|c| punctuation(c) || c == '*' || c.is_ascii_alphanumeric())
}

/// `helper::punctuation`: the characters of the crate's list (in which
/// "\u{FF0D}-\u{FF0F}" is three characters, not a range).
fn punctuation(c: char) -> bool {
    matches!(
        c,
        '-' | 'x'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2212}'
            | '\u{30FC}'
            | '\u{FF0D}'
            | '\u{FF0F}'
            | ' '
            | '\u{00A0}'
            | '\u{00AD}'
            | '\u{200B}'
            | '\u{2060}'
            | '\u{3000}'
            | '('
            | ')'
            | '\u{FF08}'
            | '\u{FF09}'
            | '\u{FF3B}'
            | '\u{FF3D}'
            | '.'
            | '['
            | ']'
            | '/'
            | '~'
            | '\u{2053}'
            | '\u{223C}'
            | '\u{FF5E}'
    )
}

/// The keypad digit of an ASCII letter (`consts::ALPHA_MAPPINGS`).
fn keypad(c: char) -> char {
    match c.to_ascii_uppercase() {
        'A'..='C' => '2',
        'D'..='F' => '3',
        'G'..='I' => '4',
        'J'..='L' => '5',
        'M'..='O' => '6',
        'P'..='S' => '7',
        'T'..='V' => '8',
        _ => '9',
    }
}

/// The decimal digits of other scripts the crate reads (`AsCharExt::
/// as_dec_digit`), as ASCII: each script's ten digits are consecutive code
/// points from its zero.
fn wide_digit(c: char) -> Option<char> {
    /// The zeros: Arabic-Indic, extended Arabic-Indic, N'Ko, Devanagari,
    /// Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada,
    /// Malayalam, Thai, Lao and full-width digits.
    const ZEROS: [u32; 15] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0E50, 0x0ED0, 0xFF10,
    ];
    let c = u32::from(c);
    ZEROS.iter().find_map(|&zero| {
        let digit = c.wrapping_sub(zero);
        (digit < 10).then(|| char::from(b'0' + digit as u8))
    })
}

/// `rfc3966::phone_number`: `[tel:][+code]number[;name=value...]` without
/// spaces, as (the number, its calling code if given: after "+" or as the
/// `phone-context` parameter). What follows the parameters is ignored, as
/// the crate ignores it.
fn rfc3966(i: &str) -> Option<(&str, Option<&str>)> {
    if i.contains(' ') {
        return None;
    }
    let mut rest = i;
    // `tag_no_case("Tel:")`: no character other than these ASCII ones
    // lower-cases to "t", "e", "l" or ":"
    if rest.len() >= 4 && rest.as_bytes()[..4].eq_ignore_ascii_case(b"tel:") {
        rest = &rest[4..];
    }
    let separator = |c: char| matches!(c, '-' | '.' | '(' | ')');
    let mut prefix = None;
    if let Some(after) = rest.strip_prefix('+') {
        // `take_till1(separator)`
        let n = after.find(separator).unwrap_or(after.len());
        if n > 0 {
            prefix = Some(&after[..n]);
            rest = &after[n..];
        }
    }
    // `take_while1(number)`: hexadecimal digits and separators
    let n = rest
        .find(|c: char| !(c.is_ascii_hexdigit() || separator(c)))
        .unwrap_or(rest.len());
    if n == 0 {
        return None;
    }
    let national = &rest[..n];
    rest = &rest[n..];
    if !(rest.is_empty() || rest.starts_with(';')) {
        return None;
    }
    // `many1(parameter)` into a map: the last "phone-context" counts
    let mut context = None;
    while let Some((key, value, after)) = parameter(rest) {
        if key == "phone-context" {
            context = Some(value);
        }
        rest = after;
    }
    let prefix = prefix.or_else(|| context.map(|s: &str| s.strip_prefix('+').unwrap_or(s)));
    Some((national, prefix))
}

/// `;name=value` (`rfc3966::parameter`): (name, value, what follows).
fn parameter(i: &str) -> Option<(&str, &str, &str)> {
    let i = i.strip_prefix(';')?;
    let pname = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let k = i.find(|c: char| !pname(c)).unwrap_or(i.len());
    let (key, i) = i.split_at(k);
    let i = i.strip_prefix('=')?;
    let pchar = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '[' | ']'
                    | '/'
                    | ':'
                    | '&'
                    | '+'
                    | '$'
                    | '-'
                    | '_'
                    | '.'
                    | '!'
                    | '~'
                    | '*'
                    | '\''
                    | '('
                    | ')'
            )
    };
    let v = i.find(|c: char| !pchar(c)).unwrap_or(i.len());
    Some((key, &i[..v], &i[v..]))
}

/// `natural::phone_number`: the number found by `extract`, without its
/// extension (`None` when the crate's extension pattern matches without its
/// second group, which it reports as no number).
fn natural(i: &str) -> Option<&str> {
    let found = extract(i)?;
    if !may_have_extension(found) {
        return Some(found);
    }
    match EXTN_PATTERN.captures(found) {
        Some(c) => {
            c.get(2)?;
            Some(&found[..c.get(0)?.start()])
        }
        None => Some(found),
    }
}

/// Whether the crate's extension pattern may match `s`: each of its
/// alternatives holds ";" (";ext="), "#" (digits then "#"), or else one of
/// "x" ("ext", "xtn", "anexo", "x"), "i" ("int"), ",", ";", "#", "~" or a
/// full-width character; case is folded, and no character outside ASCII
/// folds to an ASCII "x" or "i". So an ASCII string with none of these
/// characters has no extension, and the search (a Unicode pattern, with
/// captures) is skipped.
fn may_have_extension(s: &str) -> bool {
    !s.is_ascii()
        || s.bytes()
            .any(|b| matches!(b, b';' | b'#' | b',' | b'~' | b'x' | b'X' | b'i' | b'I'))
}

/// `helper::extract`: from the first plus sign or digit, without trailing
/// characters that are neither numbers, letters nor "#", and cut before a
/// second number ("/ x" or "\ x"). An ASCII string is read by bytes: there
/// the crate's classes are "+" or an ASCII digit for a start, and
/// anything but ASCII letters, digits and "#" at the end.
fn extract(value: &str) -> Option<&str> {
    let mut result = if value.is_ascii() {
        let start = value
            .bytes()
            .position(|b| b == b'+' || b.is_ascii_digit())?;
        let result = &value[start..];
        let keep = result
            .bytes()
            .rposition(|b| b.is_ascii_alphanumeric() || b == b'#')
            .map_or(0, |i| i + 1);
        &result[..keep]
    } else {
        let start = VALID_START_CHAR.find(value)?.start();
        let result = &value[start..];
        match UNWANTED_END_CHARS.find(result) {
            Some(m) => &result[..m.start()],
            None => result,
        }
    };
    if let Some(m) = second_number_start(result) {
        result = &result[..m];
    }
    (!result.is_empty()).then_some(result)
}

/// Where `[\\/] *x` first matches.
fn second_number_start(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| {
        matches!(b[i], b'\\' | b'/') && {
            let rest = &b[i + 1..];
            let spaces = rest.iter().take_while(|&&c| c == b' ').count();
            rest.get(spaces) == Some(&b'x')
        }
    })
}

/// The crate's patterns (`consts.rs`), for strings the byte tests above do
/// not read.
static VALID_START_CHAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\+\x{FF0B}\p{Nd}]").expect("valid pattern"));

static UNWANTED_END_CHARS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[[\P{N}&&\P{L}]&&[^#]]+$").expect("valid pattern"));

static EXTN_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    let capturing_extn_digits = r"(\p{Nd}{0,7})";
    let parsing = format!(
        r"{rfc3966_extn_prefix}{capturing_extn_digits}|[ \x{{00A0}}\t,]*(?:e?xt(?:ensi(?:o\x{{0301}}?|\x{{00F3}}))?n?|\x{{FF45}}?\x{{FF58}}\x{{FF54}}\x{{FF4E}}?|[{symbols}]|int|anexo|\x{{FF49}}\x{{FF4E}}\x{{FF54}})[:\.\x{{FF0E}}]?[ \x{{00A0}}\t,-]*{capturing_extn_digits}#?|[- ]+({digits}{{1,5}})#",
        rfc3966_extn_prefix = ";ext=",
        capturing_extn_digits = capturing_extn_digits,
        symbols = r",;x\x{FF58}#\x{FF03}~\x{FF5E}",
        digits = r"\p{Nd}"
    );
    regex::RegexBuilder::new(&format!(r"(?:{parsing})$"))
        .case_insensitive(true)
        .build()
        .expect("valid pattern")
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Xorshift;
    use phonenumber::metadata::Database;
    use phonenumber::ParseError;

    type Parsed = Result<(u16, Source, String), Error>;

    /// The crate's parser on the whole metadata.
    fn theirs(db: &Database, region: Option<Id>, s: &str) -> Parsed {
        match phonenumber::parse_with(db, region, s) {
            Ok(n) => Ok((
                n.code().value(),
                n.code().source(),
                n.national().to_string(),
            )),
            Err(e) => Err(match e {
                ParseError::NoNumber => Error::NoNumber,
                ParseError::InvalidCountryCode => Error::InvalidCountryCode,
                ParseError::TooShortNsn => Error::TooShortNsn,
                ParseError::TooLong => Error::TooLong,
                ParseError::MalformedInteger(_) => Error::MalformedInteger,
                ParseError::TooShortAfterIdd => panic!("{s}: the crate's parser never says this"),
            }),
        }
    }

    fn ours(region: Option<Id>, s: &str) -> Parsed {
        parse(region, s).map(|n| (n.code(), n.source(), n.national().to_string()))
    }

    /// The regions every string is read with, besides its own.
    const REGIONS: [Option<Id>; 12] = [
        None,
        Some(Id::US),
        Some(Id::DE),
        Some(Id::GB),
        Some(Id::CN),
        Some(Id::IT),
        Some(Id::FR),
        Some(Id::BR),
        Some(Id::IN),
        Some(Id::JP),
        Some(Id::RU),
        Some(Id::AU),
    ];

    /// Compares the two parsers on `s` read with each region; counts the
    /// numbers both read.
    fn compare(db: &Database, regions: &[Option<Id>], s: &str, read: &mut usize) {
        for &r in regions {
            let expected = theirs(db, r, s);
            assert_eq!(ours(r, s), expected, "{s:?} ({r:?})");
            *read += usize::from(expected.is_ok());
        }
    }

    /// A number written with keypad letters for its last digits.
    fn lettered(s: &str) -> String {
        let keep = s.len().saturating_sub(3);
        let letters: String = s[keep..]
            .bytes()
            .map(|b| match b {
                b'2' => 'A',
                b'3' => 'd',
                b'4' => 'G',
                b'5' => 'j',
                b'6' => 'M',
                b'7' => 's',
                b'8' => 'T',
                b'9' => 'w',
                _ => '-',
            })
            .collect();
        format!("{}{letters}", &s[..keep])
    }

    /// Every example number of every region, written many ways (national,
    /// international with "+", "00" or "011", the code without "+", a
    /// national "0" added, a digit dropped or added, two numbers, an
    /// extension, letters, RFC 3966 forms), read with its own region, none
    /// and eleven others: the crate's answer.
    #[test]
    fn agrees_with_the_crate_on_every_example_number() {
        let db = phone_plan::whole_database().unwrap();
        let mut read = 0;
        let mut compared = 0;
        for meta in db.iter() {
            let own: Option<Id> = meta.id().parse().ok();
            let mut regions = vec![own];
            regions.extend(REGIONS);
            let cc = meta.country_code();
            let d = meta.descriptors();
            let descs = [
                Some(d.general()),
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.shared_cost(),
                d.personal_number(),
                d.voip(),
                d.pager(),
                d.uan(),
                d.voicemail(),
            ];
            for ex in descs.into_iter().flatten().filter_map(|d| d.example()) {
                let international = format!("+{cc} {ex}");
                let (head, tail) = ex.split_at(ex.len().min(3));
                for s in [
                    international.clone(),
                    ex.to_string(),
                    format!("00{cc} {ex}"),
                    format!("011 {cc} {ex}"),
                    format!("{cc}{ex}"),
                    format!("0{ex}"),
                    format!("+{cc} (0) {ex}"),
                    international[..international.len() - 1].to_string(),
                    format!("{international}7"),
                    ex[1..].to_string(),
                    format!("{ex} / {ex}"),
                    format!("{international} ext. 123"),
                    format!("{ex} x45"),
                    format!("({head}) {tail}-"),
                    lettered(&international),
                    lettered(ex),
                    format!("+{cc}-{ex}"),
                    format!("+{cc}.{head}.{tail}"),
                    format!("tel:+{cc}-{ex}"),
                    format!("tel:{ex};phone-context=+{cc}"),
                    format!("{head}-{tail};phone-context={cc};ext=12"),
                ] {
                    compare(db, &regions, &s, &mut read);
                    compared += regions.len();
                }
            }
        }
        assert!(
            compared > 100_000 && read > 50_000,
            "{compared} compared, {read} read"
        );
    }

    /// Number shapes as registries write them (one of each shape of the
    /// corpus's numbers, digits after the fourth replaced at random).
    #[test]
    fn agrees_with_the_crate_on_number_shapes() {
        let db = phone_plan::whole_database().unwrap();
        let mut regions = REGIONS.to_vec();
        regions.extend([Some(Id::CA), Some(Id::ES), Some(Id::TW), Some(Id::NL)]);
        let mut read = 0;
        let shapes = include_str!("phone_parse_shapes.txt");
        for s in shapes.lines() {
            compare(db, &regions, s, &mut read);
            // as the check reads a number written with "00"
            if let Some(rest) = s.strip_prefix("00") {
                compare(db, &regions, &format!("+{rest}"), &mut read);
            }
        }
        assert!(shapes.lines().count() > 400 && read > 3_000, "{read} read");
    }

    /// `is_viable` as the crate's, on random strings of the characters it
    /// reads (every punctuation character, "+", "*", digits of two scripts,
    /// letters, others).
    #[test]
    fn is_viable_as_the_crate() {
        let alphabet: Vec<char> = "0123456789012345678901234567890+*#;aZx\u{FF0B}\u{FF10}\u{FF0E}é-\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{2015}\u{2212}\u{30FC}\u{FF0D}\u{FF0F} \u{00A0}\u{00AD}\u{200B}\u{2060}\u{3000}()\u{FF08}\u{FF09}\u{FF3B}\u{FF3D}.[]/~\u{2053}\u{223C}\u{FF5E}"
            .chars()
            .collect();
        let mut rng = Xorshift::new(0x2545_f491_4f6c_dd1d);
        let mut viable = 0;
        for _ in 0..100_000 {
            let len = rng.below(9);
            let s: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(is_viable(&s), phonenumber::is_viable(&s), "{s:?}");
            viable += usize::from(is_viable(&s));
        }
        assert!(viable > 5_000, "{viable} viable");
    }

    /// Random strings of digits, punctuation, letters, extension words,
    /// RFC 3966 parts and digits of other scripts, half of them after a
    /// calling code: the crate's answer.
    #[test]
    fn agrees_with_the_crate_on_random_strings() {
        let db = phone_plan::whole_database().unwrap();
        let pieces: &[&str] = &[
            "0",
            "1",
            "2",
            "3",
            "4",
            "5",
            "6",
            "7",
            "8",
            "9",
            "0",
            "1",
            "5",
            "9",
            " ",
            " ",
            "-",
            "-",
            ".",
            "(",
            ")",
            "/",
            "+",
            "x",
            "X",
            " ext. ",
            "ext",
            "#",
            ";",
            ",",
            "~",
            "*",
            "a",
            "Z",
            "i",
            "tel:",
            ";phone-context=",
            ";ext=",
            "+49",
            "\u{FF10}",
            "\u{0663}",
            "\u{00A0}",
            "\u{FF0B}",
            "é",
            "\\",
            " x",
            "00",
            "011",
            "(0)",
            "int",
        ];
        let codes = [
            "1", "7", "20", "33", "39", "44", "49", "52", "54", "55", "61", "81", "86", "91", "98",
            "212", "234", "358", "380", "590", "800", "808", "870", "882", "883", "979", "999",
            "0",
        ];
        let mut rng = Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let mut read = 0;
        for i in 0..6_000 {
            let mut s = String::new();
            match i % 4 {
                0 => {}
                1 => {
                    s.push('+');
                    s.push_str(codes[rng.below(codes.len() as u64) as usize]);
                }
                2 => {
                    s.push_str("00");
                    s.push_str(codes[rng.below(codes.len() as u64) as usize]);
                }
                _ => s.push('0'),
            }
            for _ in 0..rng.below(16) {
                if rng.below(3) == 0 {
                    s.push_str(pieces[rng.below(pieces.len() as u64) as usize]);
                } else {
                    s.push(char::from(b'0' + rng.below(10) as u8));
                }
            }
            let r = REGIONS[rng.below(REGIONS.len() as u64) as usize];
            compare(db, &[r, None], &s, &mut read);
        }
        assert!(read > 2_000, "{read} read");
    }
}
