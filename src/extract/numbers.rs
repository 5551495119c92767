//! Numbers written as digits or English words ("Twenty-two", "forty").
//!
//! [`parse_number`] reads one number; [`find_numbers`] finds every whole
//! number in a text, with its byte range, for the other extractors.

/// Value of a single English number word below one hundred, lower-case.
fn unit_word(w: &str) -> Option<i64> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fourty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn is_tens(v: i64) -> bool {
    v >= 20 && v % 10 == 0
}

/// Parse a number written in digits ("40", "1,200", "1 200" is not accepted)
/// or English words ("Twenty-two", "one hundred and twenty", "two hundred
/// fifty", "a thousand" is not accepted). Case-insensitive; surrounding white
/// space is ignored. Returns `None` for anything else (decimals, mixtures).
pub fn parse_number(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.as_bytes()[0].is_ascii_digit() {
        return parse_digits(s);
    }
    parse_words(s)
}

/// Digits with optional thousands separators in the right places.
fn parse_digits(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if !b.iter().all(|c| c.is_ascii_digit() || *c == b',') {
        return None;
    }
    if b.contains(&b',') {
        let mut groups = s.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 {
            return None;
        }
        for g in groups {
            if g.len() != 3 {
                return None;
            }
        }
    }
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() > 15 {
        return None;
    }
    digits.parse().ok()
}

fn parse_words(s: &str) -> Option<i64> {
    let mut total: i64 = 0; // completed thousands
    let mut current: i64 = 0; // below one thousand
    let mut last: Option<&str> = None; // kind of the last token
    let mut any = false;
    for raw in s.split(|c: char| c == '-' || c.is_whitespace()) {
        if raw.is_empty() {
            continue;
        }
        let w = raw.to_ascii_lowercase();
        match w.as_str() {
            "and" => {
                // only "hundred and twenty", "thousand and five"
                if !matches!(last, Some("hundred") | Some("thousand")) {
                    return None;
                }
                last = Some("and");
                continue;
            }
            "hundred" => {
                if current == 0 || current >= 100 {
                    return None;
                }
                current *= 100;
                last = Some("hundred");
            }
            "thousand" => {
                if current == 0 || total != 0 {
                    return None;
                }
                total = current * 1000;
                current = 0;
                last = Some("thousand");
            }
            _ => {
                let v = unit_word(&w)?;
                let below_hundred = current % 100;
                if below_hundred != 0 {
                    // "twenty two" is fine, "two two" or "twenty thirty" is not
                    if !(is_tens(below_hundred) && v < 10 && v > 0) {
                        return None;
                    }
                }
                current += v;
                last = Some("unit");
            }
        }
        any = true;
    }
    if !any || last == Some("and") {
        return None;
    }
    Some(total + current)
}

/// True for a lower-case word that can be part of a number written in words.
/// Whether `text` may hold a number written as a word: a fast superset
/// ("none" has "one"), the prefilter of the extractors that read them.
pub fn has_number_word(text: &str) -> bool {
    NUMBER_WORDS.is_match(text)
}

/// [`has_number_word`] on a whole field, answered from its gate words.
pub fn has_number_word_in(f: &crate::record::Field) -> bool {
    NUMBER_WORDS.in_field(f)
}

/// The words of [`has_number_word`].
pub(super) const NUMBER_WORD_LIST: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "teen", "twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy", "eighty",
    "ninety", "hundred", "thousand",
];

static NUMBER_WORDS: std::sync::LazyLock<crate::extract::patterns::Keywords> =
    std::sync::LazyLock::new(|| crate::extract::patterns::keywords(NUMBER_WORD_LIST));

pub fn is_number_word(w: &str) -> bool {
    unit_word(w).is_some() || w == "hundred" || w == "thousand"
}

/// A number found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Num {
    pub start: usize,
    pub end: usize,
    pub value: i64,
    /// Written in words ("twenty-two") rather than digits.
    pub words: bool,
}

/// Every number in `text`: runs of digits (with thousands commas, "1,200")
/// that are not part of a decimal, a word or an identifier ("P3", "1.5",
/// "IL-6" is returned as 6 only if preceded by a non-letter: it is not),
/// and runs of whole English number words ("Twenty-two", "one hundred and
/// twenty"). Ranges are byte offsets into `text`.
pub fn find_numbers(text: &str) -> Vec<(usize, usize, i64)> {
    find_nums(text)
        .into_iter()
        .map(|n| (n.start, n.end, n.value))
        .collect()
}

/// Like [`find_numbers`] but says whether each number was written in words.
pub fn find_nums(text: &str) -> Vec<Num> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let start = i;
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || (b[j] == b',' && comma_group(b, j))) {
                j += 1;
            }
            let end = j;
            i = j;
            // glued to a letter/identifier before or after, or part of a decimal
            let prev = if start > 0 { Some(b[start - 1]) } else { None };
            let next = b.get(end).copied();
            let glued_before = matches!(prev, Some(p) if p.is_ascii_alphabetic() || p == b'_');
            let glued_after = matches!(next, Some(n) if n.is_ascii_alphabetic() || n == b'_');
            let decimal_before = start >= 2
                && matches!(prev, Some(b'.') | Some(b','))
                && b[start - 2].is_ascii_digit();
            let decimal_after = matches!(next, Some(b'.') | Some(b','))
                && b.get(end + 1).is_some_and(|d| d.is_ascii_digit());
            if glued_before || glued_after || decimal_before || decimal_after {
                continue;
            }
            if let Some(v) = parse_digits(&text[start..end]) {
                out.push(Num {
                    start,
                    end,
                    value: v,
                    words: false,
                });
            }
            continue;
        }
        if c.is_ascii_alphabetic() && (i == 0 || !is_word_byte(b[i - 1])) {
            // a run of number words joined by spaces, hyphens or "and"
            let start = i;
            let mut end = i;
            let mut j = i;
            let mut words = 0;
            loop {
                let ws = j;
                while j < b.len() && b[j].is_ascii_alphabetic() {
                    j += 1;
                }
                if j < b.len() && is_word_byte(b[j]) {
                    break; // "one2", "twofold" handled by lookup failing
                }
                // lower-cased on the stack: no number word is longer than
                // nine letters, and this runs on every word of every text
                let mut buf = [0u8; 12];
                let w = &b[ws..j];
                let lw = if w.len() <= buf.len() {
                    buf[..w.len()].copy_from_slice(w);
                    buf[..w.len()].make_ascii_lowercase();
                    std::str::from_utf8(&buf[..w.len()]).unwrap_or("")
                } else {
                    ""
                };
                let ok = if lw == "and" {
                    words > 0
                } else {
                    is_number_word(lw)
                };
                if !ok {
                    break;
                }
                if lw != "and" {
                    end = j;
                    words += 1;
                }
                // separator: one space or one hyphen, then another word
                if j < b.len()
                    && (b[j] == b' ' || b[j] == b'-')
                    && j + 1 < b.len()
                    && b[j + 1].is_ascii_alphabetic()
                {
                    j += 1;
                    continue;
                }
                break;
            }
            if words > 0 {
                // trim back to the longest prefix that parses
                let mut e = end;
                loop {
                    if let Some(v) = parse_words(&text[start..e]) {
                        out.push(Num {
                            start,
                            end: e,
                            value: v,
                            words: true,
                        });
                        break;
                    }
                    match text[start..e].rfind([' ', '-']) {
                        Some(p) if p > 0 => e = start + p,
                        _ => break,
                    }
                    // drop a trailing "and"
                    if text[start..e].to_ascii_lowercase().ends_with(" and") {
                        e -= 4;
                    }
                }
                i = end.max(i + 1);
                continue;
            }
            while i < b.len() && is_word_byte(b[i]) {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    out
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// A comma at `j` that separates thousands: followed by exactly three digits.
fn comma_group(b: &[u8], j: usize) -> bool {
    j > 0
        && b[j - 1].is_ascii_digit()
        && b.len() >= j + 4
        && b[j + 1..j + 4].iter().all(|d| d.is_ascii_digit())
        && !b.get(j + 4).is_some_and(|d| d.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits() {
        assert_eq!(parse_number("40"), Some(40));
        assert_eq!(parse_number("1,200"), Some(1200));
        assert_eq!(parse_number(" 158 "), Some(158));
        assert_eq!(parse_number("1,20"), None);
        assert_eq!(parse_number("1.5"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn words() {
        assert_eq!(parse_number("Twenty-two"), Some(22));
        assert_eq!(parse_number("forty"), Some(40));
        assert_eq!(parse_number("FORTY"), Some(40));
        assert_eq!(parse_number("one hundred and twenty"), Some(120));
        assert_eq!(parse_number("two hundred fifty"), Some(250));
        assert_eq!(parse_number("twenty two"), Some(22));
        assert_eq!(parse_number("three thousand five hundred"), Some(3500));
        assert_eq!(parse_number("two two"), None);
        assert_eq!(parse_number("twenty thirty"), None);
        assert_eq!(parse_number("and"), None);
        assert_eq!(parse_number("hundred"), None);
        assert_eq!(parse_number("one of"), None);
    }

    #[test]
    fn finder() {
        let t =
            "Twenty-two subjects, 1,200 cells, 1.5 mg, P3, one hundred and twenty people and two";
        let n = find_numbers(t);
        let vals: Vec<i64> = n.iter().map(|x| x.2).collect();
        assert_eq!(vals, vec![22, 1200, 120, 2]);
        assert_eq!(&t[n[0].0..n[0].1], "Twenty-two");
        assert_eq!(&t[n[2].0..n[2].1], "one hundred and twenty");
        assert!(find_numbers("someone, onerous, tone").is_empty());
        assert_eq!(
            find_numbers("n=23 each")
                .iter()
                .map(|x| x.2)
                .collect::<Vec<_>>(),
            vec![23]
        );
        assert_eq!(
            find_numbers("18-65")
                .iter()
                .map(|x| x.2)
                .collect::<Vec<_>>(),
            vec![18, 65]
        );
    }

    #[test]
    fn no_panic_on_odd_input() {
        for s in [
            "",
            ",",
            "1,",
            "ünë twö",
            "one-",
            "-one",
            "and one",
            "9999999999999999999999",
        ] {
            let _ = find_numbers(s);
            let _ = parse_number(s);
        }
    }
}
