//! User-declared fact extractors: a regular expression over chosen record
//! fields that yields a typed [`Fact`], so that user checks (`agree`,
//! `order`, `exclusive`, `distinct-owner`, `similar`, `implies`) can work on
//! facts the shipped extractors do not know.
//!
//! Declared as `[[extractor]]` tables, in `trialint.toml` or in a
//! `*.extractor.toml` file of a check directory (same schema in both places):
//!
//! ```toml
//! [[extractor]]
//! name = "enrollment.recruit"                 # the fact name checks refer to
//! fields = ["brief_summary", "detailed_description"]   # or "prose", or "all"
//! pattern = '(?i)recruit\s+(?P<value>\d+)\s+patients'
//! value = "int"                               # int | date | age | str | term
//! how = "read from \"recruit N patients\""    # optional note shown in findings
//! ```
//!
//! The regex must have a named group `value`; an optional group `unit`
//! gives the unit of an age ("years", "months", "weeks", "days"). The fact's
//! span is the exact source range of the `value` group (not of the whole
//! match), mapped back through the field's offset map; its quote is the
//! decoded text of that group. A match whose `value` does not parse as the
//! declared type yields no fact. The fact belongs to the entity of the field
//! it was read from (the arm, the contact), which `distinct-owner` uses.

use super::{Date, DateStatus, Fact, Origin, Value};
use crate::check::load::LoadError;
use crate::record::{keys, Record};
use regex::Regex;
use serde::Deserialize;
use std::borrow::Cow;
use std::ops::Range;
use toml::Spanned;

/// The type a user extractor reads its `value` group as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    Int,
    Date,
    Age,
    Str,
    Term,
}

impl ValueType {
    pub fn parse(s: &str) -> Option<ValueType> {
        match s {
            "int" => Some(ValueType::Int),
            "date" => Some(ValueType::Date),
            "age" => Some(ValueType::Age),
            "str" => Some(ValueType::Str),
            "term" => Some(ValueType::Term),
            _ => None,
        }
    }
}

/// One ready-to-run user extractor.
#[derive(Clone, Debug)]
pub struct UserExtractor {
    pub name: String,
    /// Field keys read; empty means every field.
    pub fields: Vec<String>,
    pub pattern: Regex,
    pub value: ValueType,
    pub how: Option<String>,
    /// The file that declared it (for `trialint checks` and errors).
    pub path: String,
}

/// The `fields` entry: one key / "prose" / "all", or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum RawFields {
    One(String),
    Many(Vec<String>),
}

/// An `[[extractor]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExtractor {
    pub name: Spanned<String>,
    pub fields: Spanned<RawFields>,
    pub pattern: Spanned<String>,
    pub value: Spanned<String>,
    #[serde(default)]
    pub how: Option<String>,
}

/// A file of `[[extractor]]` tables (`*.extractor.toml` in a check directory).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtractorFile {
    #[serde(default)]
    extractor: Vec<RawExtractor>,
}

/// Every field key a reader produces (see [`crate::record::keys`]); readers
/// may add their own keys prefixed `x.`.
pub const KNOWN_KEYS: &[&str] = &[
    keys::ID,
    keys::TITLE,
    keys::OFFICIAL_TITLE,
    keys::ACRONYM,
    keys::STATUS,
    keys::WHY_STOPPED,
    keys::START_DATE,
    keys::PRIMARY_COMPLETION_DATE,
    keys::COMPLETION_DATE,
    keys::FIRST_SUBMITTED,
    keys::FIRST_SUBMITTED_QC,
    keys::FIRST_POSTED,
    keys::LAST_UPDATE_SUBMITTED,
    keys::LAST_UPDATE_POSTED,
    keys::RESULTS_FIRST_POSTED,
    keys::VERIFIED_DATE,
    keys::ENROLLMENT,
    keys::STUDY_TYPE,
    keys::PHASE,
    keys::ALLOCATION,
    keys::INTERVENTION_MODEL,
    keys::MASKING,
    keys::PRIMARY_PURPOSE,
    keys::MIN_AGE,
    keys::MAX_AGE,
    keys::SEX,
    keys::AGE_GROUP,
    keys::HEALTHY_VOLUNTEERS,
    keys::GENDER_DESCRIPTION,
    keys::ELIGIBILITY,
    keys::BRIEF_SUMMARY,
    keys::DETAILED_DESCRIPTION,
    keys::CONDITION,
    keys::KEYWORD,
    keys::ARM_LABEL,
    keys::ARM_TYPE,
    keys::ARM_DESCRIPTION,
    keys::ARM_INTERVENTION,
    keys::INTERVENTION_TYPE,
    keys::INTERVENTION_NAME,
    keys::INTERVENTION_DESCRIPTION,
    keys::INTERVENTION_OTHER_NAME,
    keys::OUTCOME_MEASURE,
    keys::OUTCOME_DESCRIPTION,
    keys::OUTCOME_TIME_FRAME,
    keys::CONTACT_NAME,
    keys::CONTACT_PHONE,
    keys::CONTACT_EMAIL,
    keys::CONTACT_AFFILIATION,
    keys::LEAD_SPONSOR,
    keys::COLLABORATOR,
    keys::RESPONSIBLE_PARTY,
    keys::ORGANIZATION,
    keys::LOCATION_FACILITY,
    keys::LOCATION_CITY,
    keys::LOCATION_COUNTRY,
    keys::LOCATION_STATUS,
];

/// Whether `key` names a record field (or a field group: `prose`, `all`).
pub fn known_key(key: &str) -> bool {
    KNOWN_KEYS.contains(&key) || key.starts_with("x.")
}

/// Expand `prose` / `all` in a list of field keys; `Err(key)` names the
/// first key no reader produces. An empty result means every field.
pub fn expand_fields(list: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for k in list {
        match k.as_str() {
            "all" => return Ok(Vec::new()),
            "prose" => out.extend(keys::PROSE.iter().map(|s| s.to_string())),
            k if known_key(k) => out.push(k.to_string()),
            k => return Err(k.to_string()),
        }
    }
    out.dedup();
    Ok(out)
}

/// Byte range of the first occurrence of `needle` as a quoted TOML string
/// inside `within` of `source` (to point an error at a value), else `within`.
pub fn locate(source: &str, within: Range<usize>, needle: &str) -> Range<usize> {
    let end = within.end.min(source.len());
    let start = within.start.min(end);
    let hay = &source[start..end];
    for q in ['"', '\''] {
        let pat = format!("{q}{needle}{q}");
        if let Some(i) = hay.find(&pat) {
            return start + i..start + i + pat.len();
        }
    }
    start..end
}

/// Where in `within` an error message is about: the first `name` it
/// quotes, found as a quoted value or as a key (`name = ...`, to the end of
/// its line); else all of `within`.
pub fn point_at(source: &str, within: Range<usize>, message: &str) -> Range<usize> {
    let end = within.end.min(source.len());
    let start = within.start.min(end);
    let mut rest = message;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        let token = &after[..close];
        rest = &after[close + 1..];
        if token.is_empty() {
            continue;
        }
        let quoted = locate(source, start..end, token);
        if quoted != (start..end) {
            return quoted;
        }
        let key = token.rsplit('.').next().unwrap_or(token);
        if let Ok(re) = Regex::new(&format!(
            r"(?m)(^|[\s{{,])({})\s*=[^\n]*",
            regex::escape(key)
        )) {
            if let Some(c) = re.captures(&source[start..end]) {
                let m = c.get(0).unwrap();
                let k = c.get(2).unwrap();
                return start + k.start()..start + m.end();
            }
        }
    }
    start..end
}

/// Build extractors from raw tables read from `path` (whose text is `source`).
pub fn build_all(
    raws: Vec<RawExtractor>,
    path: &str,
    source: &str,
) -> Result<Vec<UserExtractor>, LoadError> {
    let err = |message: String, span: Range<usize>| LoadError {
        path: path.to_string(),
        message,
        span: Some(span),
        source: source.to_string(),
    };
    let mut out = Vec::new();
    for raw in raws {
        let name = raw.name.get_ref().trim().to_string();
        let valid = !name.is_empty()
            && name.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_')
            });
        if !valid {
            return Err(err(
                format!("fact name `{name}` must be lower-case letters, digits, `.`, `-` and `_`"),
                raw.name.span(),
            ));
        }
        let list = match raw.fields.get_ref() {
            RawFields::One(s) => vec![s.clone()],
            RawFields::Many(v) => v.clone(),
        };
        if list.is_empty() {
            return Err(err(
                "`fields` must name at least one field key (or \"prose\", or \"all\")".into(),
                raw.fields.span(),
            ));
        }
        let fields = expand_fields(&list).map_err(|bad| {
            err(
                format!("unknown field key `{bad}`: expected a record key such as `brief_summary`, `arm.type`, or \"prose\" / \"all\""),
                locate(source, raw.fields.span(), &bad),
            )
        })?;
        let pattern = user_regex(raw.pattern.get_ref()).map_err(|e| {
            err(
                format!("invalid regular expression: {}", regex_error(&e)),
                raw.pattern.span(),
            )
        })?;
        if !pattern.capture_names().any(|n| n == Some("value")) {
            return Err(err(
                "the pattern has no named group `value`: write `(?P<value>...)` around the part that is the fact".into(),
                raw.pattern.span(),
            ));
        }
        let value = ValueType::parse(raw.value.get_ref()).ok_or_else(|| {
            err(
                format!(
                    "unknown value type `{}`: expected \"int\", \"date\", \"age\", \"str\" or \"term\"",
                    raw.value.get_ref()
                ),
                raw.value.span(),
            )
        })?;
        out.push(UserExtractor {
            name,
            fields,
            pattern,
            value,
            how: raw.how,
            path: path.to_string(),
        });
    }
    Ok(out)
}

/// Parse a `*.extractor.toml` file.
pub fn load_file(path: &str, source: &str) -> Result<Vec<UserExtractor>, LoadError> {
    let file: ExtractorFile = toml::from_str(source).map_err(|e| LoadError {
        path: path.to_string(),
        message: e.message().to_string(),
        span: e.span(),
        source: source.to_string(),
    })?;
    if file.extractor.is_empty() {
        return Err(LoadError {
            path: path.to_string(),
            message: "no `[[extractor]]` table in an extractor file".into(),
            span: Some(0..0),
            source: source.to_string(),
        });
    }
    build_all(file.extractor, path, source)
}

/// Largest compiled program of a regex from a user's file (check params,
/// extractor patterns). The regex crate matches in linear time, but a
/// pattern such as `\w{1000}{1000}` compiles to a huge program: such a
/// pattern is refused with an error instead of exhausting memory.
pub const USER_REGEX_SIZE_LIMIT: usize = 8 << 20;
/// Cache of the lazy DFA of one user regex.
pub const USER_REGEX_DFA_LIMIT: usize = 8 << 20;
/// Longest pattern text accepted from a user's file.
pub const USER_REGEX_MAX_LEN: usize = 64 * 1024;

/// Compile a regex written by a user, within the limits above.
pub fn user_regex(pattern: &str) -> Result<Regex, regex::Error> {
    if pattern.len() > USER_REGEX_MAX_LEN {
        return Err(regex::Error::Syntax(format!(
            "the pattern is {} bytes long; at most {USER_REGEX_MAX_LEN} are accepted",
            pattern.len()
        )));
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(USER_REGEX_SIZE_LIMIT)
        .dfa_size_limit(USER_REGEX_DFA_LIMIT)
        .nest_limit(100)
        .build()
}

/// A regex error in one line: what is wrong, without the multi-line
/// picture of the pattern (the diagnostic already points at it).
pub fn regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    let what = text
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error:").map(str::trim))
        .map(str::to_string);
    what.unwrap_or_else(|| {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Run the user extractors over a record.
pub fn extract(record: &Record, extractors: &[UserExtractor], out: &mut Vec<Fact>) {
    for x in extractors {
        for (i, field) in record.fields.iter().enumerate() {
            if !x.fields.is_empty() && !x.fields.iter().any(|k| *k == field.key) {
                continue;
            }
            let text = &field.text.text;
            for caps in x.pattern.captures_iter(text) {
                let Some(m) = caps.name("value") else {
                    continue;
                };
                let unit = caps.name("unit").map(|u| u.as_str());
                let Some(value) = parse_value(x.value, m.as_str(), unit, field) else {
                    continue;
                };
                let whole = m.as_str().trim() == field.value() && !field.value().is_empty();
                let origin = if whole && !keys::is_prose(&field.key) {
                    Origin::Field
                } else {
                    Origin::Text
                };
                let (s, e) = trim_range(text, m.start(), m.end());
                let mut fact = Fact {
                    name: Cow::Owned(x.name.clone()),
                    value,
                    span: field.text.span(s, e),
                    field: i,
                    origin,
                    owner: field.entity,
                    quote: text[s..e].into(),
                    how: None,
                };
                if let Some(h) = &x.how {
                    fact.how = Some(h.clone());
                }
                out.push(fact);
            }
        }
    }
}

/// The range without leading and trailing white space.
fn trim_range(text: &str, s: usize, e: usize) -> (usize, usize) {
    let piece = &text[s..e];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail >= piece.len() {
        return (s, e);
    }
    (s + lead, e - trail)
}

fn parse_value(
    ty: ValueType,
    raw: &str,
    unit: Option<&str>,
    field: &crate::record::Field,
) -> Option<Value> {
    let s = raw.trim();
    match ty {
        ValueType::Int => parse_int(s).map(Value::Int),
        ValueType::Str => {
            let norm = s.split_whitespace().collect::<Vec<_>>().join(" ");
            (!norm.is_empty()).then_some(Value::Str(norm.into()))
        }
        ValueType::Term => {
            let norm = s.split_whitespace().collect::<Vec<_>>().join(" ");
            (!norm.is_empty()).then(|| Value::Term(norm.to_lowercase().into()))
        }
        ValueType::Age => parse_age(s, unit).map(Value::Age),
        ValueType::Date => {
            let status = match field
                .qualifier
                .as_ref()
                .map(|q| q.text.to_ascii_lowercase())
            {
                Some(q) if q.contains("actual") => DateStatus::Actual,
                Some(q)
                    if q.contains("estimated")
                        || q.contains("anticipated")
                        || q.contains("expected") =>
                {
                    DateStatus::Estimated
                }
                _ => DateStatus::Unspecified,
            };
            parse_date(s).map(|(year, month, day)| {
                Value::Date(Date {
                    year,
                    month,
                    day,
                    status,
                })
            })
        }
    }
}

/// "120", "1,200", "1 200" (digits with thousands separators).
fn parse_int(s: &str) -> Option<i64> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// "18", "18 years", "6 months" (with the unit in the `value` group or the
/// `unit` group); years when no unit is given.
fn parse_age(s: &str, unit: Option<&str>) -> Option<f64> {
    let num_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let n: f64 = s[..num_end].parse().ok()?;
    let unit = unit
        .map(|u| u.trim().to_ascii_lowercase())
        .unwrap_or_else(|| s[num_end..].trim().to_ascii_lowercase());
    let factor = if unit.is_empty() || unit.starts_with("y") {
        1.0
    } else if unit.starts_with("mo") {
        1.0 / 12.0
    } else if unit.starts_with("w") {
        7.0 / 365.25
    } else if unit.starts_with("d") {
        1.0 / 365.25
    } else {
        return None;
    };
    Some(n * factor)
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| w.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// "2022-06-01", "2022-06", "2022", "June 2022", "June 1, 2022", "1 June 2022".
fn parse_date(s: &str) -> Option<(i32, Option<u32>, Option<u32>)> {
    let valid = |y: i32, m: Option<u32>, d: Option<u32>| {
        let ok = match (m, d) {
            (Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(y, m, d).is_some(),
            (Some(m), None) => (1..=12).contains(&m),
            (None, None) => true,
            (None, Some(_)) => false,
        };
        (ok && (1000..=9999).contains(&y)).then_some((y, m, d))
    };
    let parts: Vec<&str> = s.split('-').collect();
    if parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let y = parts.first()?.parse().ok()?;
        let m = parts.get(1).and_then(|p| p.parse().ok());
        let d = parts.get(2).and_then(|p| p.parse().ok());
        if parts.len() > 3 || parts[0].len() != 4 {
            return None;
        }
        return valid(y, m, d);
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [m, y] => valid(y.parse().ok()?, Some(month_of(m)?), None),
        [m, d, y] if month_of(m).is_some() => {
            valid(y.parse().ok()?, Some(month_of(m)?), Some(d.parse().ok()?))
        }
        [d, m, y] => valid(y.parse().ok()?, Some(month_of(m)?), Some(d.parse().ok()?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Text;

    fn ex(src: &str) -> Vec<UserExtractor> {
        load_file("x.extractor.toml", src).unwrap()
    }

    #[test]
    fn facts_span_the_value_group() {
        let xs = ex(r#"
[[extractor]]
name = "enrollment.recruit"
fields = "prose"
pattern = '(?i)recruit\s+(?P<value>[\d,]+)\s+patients'
value = "int"
"#);
        let src = "we will recruit 1,200 patients";
        let mut r = Record::new("test");
        r.push(keys::BRIEF_SUMMARY, Text::verbatim(src, 10));
        let mut out = Vec::new();
        extract(&r, &xs, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].value, Value::Int(1200));
        assert_eq!(out[0].span, crate::span::Span::new(26, 31));
        assert_eq!(out[0].quote, "1,200");
        assert_eq!(out[0].origin, Origin::Text);
    }

    #[test]
    fn values_parse() {
        assert_eq!(parse_date("June 1, 2022"), Some((2022, Some(6), Some(1))));
        assert_eq!(parse_date("1 June 2022"), Some((2022, Some(6), Some(1))));
        assert_eq!(parse_date("2022-06"), Some((2022, Some(6), None)));
        assert_eq!(parse_date("2022-13"), None);
        assert_eq!(parse_age("6 months", None), Some(0.5));
        assert_eq!(parse_age("18", Some("Years")), Some(18.0));
        assert_eq!(parse_int("12a"), None);
    }

    #[test]
    fn malformed_extractors_point_at_the_value() {
        let src = "[[extractor]]\nname = \"a\"\nfields = [\"brief_summary\", \"breif_summary\"]\npattern = '(?P<value>\\d+)'\nvalue = \"int\"\n";
        let e = load_file("x.extractor.toml", src).unwrap_err();
        let span = e.span.unwrap();
        assert_eq!(&src[span], "\"breif_summary\"");
        let src =
            "[[extractor]]\nname = \"a\"\nfields = \"prose\"\npattern = '(\\d+'\nvalue = \"int\"\n";
        let e = load_file("x.extractor.toml", src).unwrap_err();
        assert_eq!(&src[e.span.unwrap()], "'(\\d+'");
        let src = "[[extractor]]\nname = \"a\"\nfields = \"prose\"\npattern = '(\\d+)'\nvalue = \"int\"\n";
        assert!(load_file("x.extractor.toml", src)
            .unwrap_err()
            .message
            .contains("named group `value`"));
    }
}
