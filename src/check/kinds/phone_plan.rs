//! Phone numbers against libphonenumber's numbering plans, fast.
//!
//! The `phonenumber` crate parses well, but its validity test looks each
//! pattern up by its text in one mutex-guarded least-recently-used cache of
//! 100 compiled regexes: a run over records from many countries recompiled
//! patterns for most numbers, and even with the cache widened, hashing the
//! long pattern texts and taking the lock cost a sixth of a whole run.
//!
//! Here the metadata is read from the vendored file (the crate's own copy,
//! `data/phonenumber/`) by hand, a calling code's territories when a number
//! of that code is first met (see [`Meta`]), and each region's patterns are
//! compiled when first needed and kept, with `\d` as `[0-9]` (the parser
//! turns every digit into ASCII first, so this is the same class, and its
//! automata are a fraction of the size of Unicode digits'). [`is_valid`]
//! answers exactly what `PhoneNumber::is_valid` answers, and what the
//! parser (`phone_parse.rs`) reads of a region is what the crate's loader
//! reads (tests compare them).

use phonenumber::country::Id;
use regex::Regex;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{LazyLock, Mutex, OnceLock};

/// libphonenumber's metadata, as the `phonenumber` crate ships it.
const XML: &str = include_str!("../../../data/phonenumber/PhoneNumberMetadata.xml");

/// A territory of the metadata: a region, or a non-geographic entity.
struct Territory {
    /// Its start tag.
    tag: &'static str,
    /// What its start tag and `</territory>` enclose.
    body: Range<usize>,
    id: &'static str,
    code: u16,
    /// Whether it is its calling code's main country.
    main: bool,
}

/// The territories, in file order.
static TERRITORIES: LazyLock<Vec<Territory>> = LazyLock::new(|| {
    let mut all = Vec::new();
    let mut at = 0;
    while let Some(found) = XML[at..].find("<territory ") {
        let start = at + found;
        let Some(tag_len) = XML[start..].find('>') else {
            break;
        };
        let Some(close) = XML[start..].find("</territory>") else {
            break;
        };
        let end = start + close + "</territory>".len();
        let tag = &XML[start..start + tag_len + 1];
        let (Some(id), Some(code)) = (attribute(tag, "id"), attribute(tag, "countryCode")) else {
            break;
        };
        all.push(Territory {
            tag,
            body: start + tag_len + 1..start + close,
            id,
            code: code.parse().unwrap_or(0),
            main: attribute(tag, "mainCountryForCode") == Some("true"),
        });
        at = end;
    }
    all
});

/// The value of `name="..."` in a start tag, as written (the crate's loader
/// does not unescape attribute values either).
fn attribute(tag: &'static str, name: &str) -> Option<&'static str> {
    let key = format!("{name}=\"");
    let mut from = 0;
    while let Some(i) = tag[from..].find(&key) {
        let at = from + i;
        // a whole attribute name, not the end of a longer one
        if tag[..at].ends_with(|c: char| c.is_whitespace()) {
            let value = &tag[at + key.len()..];
            return value.find('"').map(|e| &value[..e]);
        }
        from = at + key.len();
    }
    None
}

/// The elements directly inside `body`, comments skipped, as (name, start
/// tag, content: empty for an empty element).
fn children(body: &'static str) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = body[at..].find('<') {
        let start = at + i;
        let rest = &body[start..];
        if rest.starts_with("<!--") {
            match rest.find("-->") {
                Some(e) => at = start + e + 3,
                None => break,
            }
            continue;
        }
        let Some(gt) = rest.find('>') else {
            break;
        };
        let tag = &rest[..=gt];
        let name_len = tag[1..]
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(0);
        let name = &tag[1..1 + name_len];
        let content = start + gt + 1;
        if tag.ends_with("/>") {
            out.push((name, tag, ""));
            at = content;
            continue;
        }
        let close = format!("</{name}>");
        let Some(c) = body[content..].find(&close) else {
            break;
        };
        out.push((name, tag, &body[content..content + c]));
        at = content + c + close.len();
    }
    out
}

/// What the checks read of a territory, as the crate's loader reads it
/// (`metadata/loader.rs`: attribute values and pattern texts as written).
/// Reading the crate's `Database` instead checked the syntax of every
/// pattern it held: building it for the whole metadata took some 700 M
/// instructions, a tenth of a run over 10,000 records, and even databases
/// reduced to the calling codes needed (the others as stubs) cost tens of
/// millions each.
struct Meta {
    prefixes: Prefixes,
    leading_digits: Option<&'static str>,
    general: DescData,
    /// The number types whose match makes a number valid, in the order
    /// the crate's `number_type` tries them (premium rate, toll free,
    /// shared cost, VoIP, personal number, pager, UAN, voicemail, fixed
    /// line, mobile).
    types: Vec<DescData>,
}

/// A territory's prefixes and national prefix rule, as written in its tag
/// (what the parser reads of a region besides its descriptors).
struct Prefixes {
    /// The international (IDD) prefix, a pattern.
    international: Option<&'static str>,
    national: Option<&'static str>,
    /// The national prefix for parsing, a pattern.
    for_parsing: Option<&'static str>,
    transform_rule: Option<&'static str>,
}

/// A number type's descriptor.
#[derive(Default)]
struct DescData {
    pattern: &'static str,
    lengths: Vec<u16>,
    local: Vec<u16>,
}

/// The descriptors of the number types of [`Meta::types`], by element name.
const TYPES: [&str; 10] = [
    "premiumRate",
    "tollFree",
    "sharedCost",
    "voip",
    "personalNumber",
    "pager",
    "uan",
    "voicemail",
    "fixedLine",
    "mobile",
];

impl Meta {
    fn read(t: &Territory) -> Meta {
        let mut types: [Option<DescData>; 10] = Default::default();
        let mut general = DescData::default();
        for (name, _, content) in children(&XML[t.body.clone()]) {
            if name == "generalDesc" {
                general = DescData::read(content);
            } else if let Some(i) = TYPES.iter().position(|&n| n == name) {
                types[i] = Some(DescData::read(content));
            }
        }
        Meta {
            prefixes: Prefixes {
                international: attribute(t.tag, "internationalPrefix"),
                national: attribute(t.tag, "nationalPrefix"),
                for_parsing: attribute(t.tag, "nationalPrefixForParsing"),
                transform_rule: attribute(t.tag, "nationalPrefixTransformRule"),
            },
            leading_digits: attribute(t.tag, "leadingDigits"),
            general,
            types: types.into_iter().flatten().collect(),
        }
    }
}

impl DescData {
    fn read(content: &'static str) -> DescData {
        let mut d = DescData::default();
        for (name, tag, text) in children(content) {
            match name {
                "nationalNumberPattern" => d.pattern = text,
                "possibleLengths" => {
                    if let Some(v) = attribute(tag, "national") {
                        d.lengths = lengths(v);
                    }
                    if let Some(v) = attribute(tag, "localOnly") {
                        d.local = lengths(v);
                    }
                }
                _ => {}
            }
        }
        d
    }
}

/// A list of lengths ("6,8" or "[6-8]" or both, comma-separated), as the
/// crate's loader reads it.
fn lengths(value: &str) -> Vec<u16> {
    let mut result = Vec::new();
    for part in value.split(',').map(str::trim) {
        if part.starts_with('[') {
            let mut parts = part.split('-');
            if let (Some(start), Some(end)) = (parts.next(), parts.next()) {
                let start = start[1..].parse::<u16>();
                let end = end[..end.len().saturating_sub(1)].parse::<u16>();
                if let (Ok(start), Ok(end)) = (start, end) {
                    result.extend(start..=end);
                }
            }
        } else if let Ok(n) = part.parse() {
            result.push(n);
        }
    }
    result
}

/// The whole metadata in the crate's `Database` (what the tests compare
/// with), with `\d` written `[0-9]`.
#[cfg(test)]
pub(super) fn whole_database() -> Option<&'static phonenumber::metadata::Database> {
    static DB: OnceLock<Option<phonenumber::metadata::Database>> = OnceLock::new();
    DB.get_or_init(|| phonenumber::metadata::Database::parse(XML.replace("\\d", "[0-9]")).ok())
        .as_ref()
}

/// Calling codes by region id, and which codes exist (what the
/// database's `by_id` and `by_code` answer about a territory's existence).
struct Codes {
    by_id: HashMap<&'static str, u16>,
    exists: Vec<bool>,
}

static CODES: LazyLock<Codes> = LazyLock::new(|| {
    let mut by_id = HashMap::new();
    let mut exists = vec![false; 1000];
    for territory in TERRITORIES.iter() {
        by_id.insert(territory.id, territory.code);
        if let Some(e) = exists.get_mut(usize::from(territory.code)) {
            *e = true;
        }
    }
    Codes { by_id, exists }
});

/// The calling code of a region.
fn code_of(region: Id) -> Option<u16> {
    CODES.by_id.get(region.as_ref()).copied()
}

/// Whether some territory has the calling code `code` (the database's
/// `by_code(code).is_some()`).
pub(super) fn code_exists(code: u16) -> bool {
    CODES.exists.get(usize::from(code)) == Some(&true)
}

/// The plan of a region (the database's `by_id`).
pub(super) fn region(id: Id) -> Option<&'static Plan> {
    let plans = plans_for(code_of(id)?)?;
    let id: &str = id.as_ref();
    let i = plans.metas.iter().position(|t| t.id == id)?;
    Some(plans.plan(i))
}

/// The plan a national number of the calling code `code` belongs to
/// (libphonenumber's `source_for`, then the region's metadata).
pub(super) fn source_for(code: u16, national: &str) -> Option<&'static Plan> {
    plans_for(code)?.source_for(national)
}

/// Whether the national number `national` (digits, with its leading
/// zeros) of the calling code `code` is valid: the same answer as
/// `PhoneNumber::is_valid_with` on the whole metadata.
pub fn is_valid(code: u16, national: &str) -> bool {
    source_for(code, national).is_some_and(|p| p.valid(national))
}

/// One number type's pattern, compiled when a number of one of its
/// lengths first needs it (most numbers are decided by their length or by
/// the first types tried). A pattern that does not compile never matches.
struct Desc {
    pattern: &'static str,
    re: OnceLock<Option<Regex>>,
    lengths: Vec<u16>,
}

impl Desc {
    fn new(d: DescData) -> Desc {
        Desc {
            pattern: d.pattern,
            re: OnceLock::new(),
            lengths: d.lengths,
        }
    }

    fn is_match(&self, value: &str) -> bool {
        if !self.lengths.is_empty() && !self.lengths.contains(&(value.len() as u16)) {
            return false;
        }
        self.re
            .get_or_init(|| compile(self.pattern))
            .as_ref()
            .is_some_and(|re| re.is_match(value))
    }
}

/// One region's compiled plan: what validation reads, and what the parser
/// reads of the region (`phone_parse.rs`), its patterns compiled on first
/// use and kept.
pub(super) struct Plan {
    code: u16,
    prefixes: Prefixes,
    general: Desc,
    /// The general descriptor's lengths of numbers only dialled locally.
    general_local: Vec<u16>,
    /// The number types whose match makes a number valid.
    types: Vec<Desc>,
    leading_digits: Option<Regex>,
    /// The international (IDD) prefix and the national prefix for parsing.
    idd: OnceLock<Option<Regex>>,
    for_parsing: OnceLock<Option<Regex>>,
}

/// What libphonenumber's `validator::length` answers for the general
/// descriptor (what the parser asks it).
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(super) enum Length {
    Possible,
    LocalOnly,
    TooShort,
    TooLong,
    Invalid,
}

impl Plan {
    fn new(t: &Territory) -> Plan {
        let meta = Meta::read(t);
        let general_local = meta.general.local.clone();
        Plan {
            code: t.code,
            prefixes: meta.prefixes,
            general: Desc::new(meta.general),
            general_local,
            types: meta.types.into_iter().map(Desc::new).collect(),
            leading_digits: meta.leading_digits.and_then(compile),
            idd: OnceLock::new(),
            for_parsing: OnceLock::new(),
        }
    }

    /// libphonenumber's "number type is not Unknown".
    fn valid(&self, national: &str) -> bool {
        self.general.is_match(national) && self.types.iter().any(|t| t.is_match(national))
    }

    /// The region's calling code.
    pub(super) fn country_code(&self) -> u16 {
        self.code
    }

    /// Whether the general descriptor matches `value` (its lengths, then
    /// its pattern from the first digit: `Descriptor::is_match`).
    pub(super) fn general_matches(&self, value: &str) -> bool {
        self.general.is_match(value)
    }

    /// `validator::length(meta, number, Type::Unknown)` for a national
    /// number of `len` digits. (The crate picks the general descriptor's
    /// possible lengths whichever branch its test takes, and reads them
    /// as sorted: its first is the minimum, its last the maximum.)
    pub(super) fn length(&self, len: usize) -> Length {
        let local = &self.general_local;
        let possible = &self.general.lengths;
        let Some((&minimum, &maximum)) = possible.first().zip(possible.last()) else {
            return Length::Invalid;
        };
        let len = len as u16;
        if local.contains(&len) {
            Length::LocalOnly
        } else if len == minimum {
            Length::Possible
        } else if len < minimum {
            Length::TooShort
        } else if len > maximum {
            Length::TooLong
        } else if possible.contains(&len) {
            Length::Possible
        } else {
            Length::Invalid
        }
    }

    /// The international prefix, anchored at the first digit.
    pub(super) fn idd(&self) -> Option<&Regex> {
        self.idd
            .get_or_init(|| self.prefixes.international.and_then(compile))
            .as_ref()
    }

    /// The national prefix for parsing, anchored at the first digit.
    pub(super) fn for_parsing(&self) -> Option<&Regex> {
        self.for_parsing
            .get_or_init(|| self.prefixes.for_parsing.and_then(compile))
            .as_ref()
    }

    pub(super) fn national_prefix(&self) -> Option<&'static str> {
        self.prefixes.national
    }

    pub(super) fn transform_rule(&self) -> Option<&'static str> {
        self.prefixes.transform_rule
    }
}

/// A plan's pattern, over ASCII digits: `\d` as `[0-9]` and without Unicode
/// mode, which keeps the lazy DFA small (see `extract/patterns.rs`).
///
/// Anchored at the start: libphonenumber asks whether a pattern matches from
/// the number's first digit, which is what a search for a match that starts
/// there answers. The search for the leftmost match anywhere (then tested to
/// start at 0) ran an unanchored automaton, every state of which carries the
/// pattern's start again, and a reverse one to find the start: building
/// their states was a third of a run over records whose numbers had not
/// been met (a plan's pattern is a large alternation of digit prefixes, and
/// nearly every new number walks into states not built yet).
fn compile(pattern: &str) -> Option<Regex> {
    // the line break ends a `#` comment the pattern might hold (the
    // patterns are read with white space and comments ignored)
    let anchored = format!("^(?:{pattern}\n)");
    crate::extract::patterns::build(&anchored, |b| b.ignore_whitespace(true)).ok()
}

/// The plans of one calling code's regions, compiled on first use.
struct CodePlans {
    /// The code's territories in the order of the crate's `region(code)`
    /// and `by_code(code)`: file order, its main country first.
    metas: Vec<&'static Territory>,
    compiled: Vec<OnceLock<Plan>>,
}

/// The plans of each calling code met, kept for the rest of the run (at
/// most one per calling code).
static PLANS: LazyLock<Mutex<HashMap<u16, &'static CodePlans>>> = LazyLock::new(Mutex::default);

/// The plans of a calling code.
fn plans_for(code: u16) -> Option<&'static CodePlans> {
    let mut plans = PLANS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(p) = plans.get(&code) {
        return Some(p);
    }
    let metas = territories_of(code);
    if metas.is_empty() {
        return None;
    }
    let compiled = metas.iter().map(|_| OnceLock::new()).collect();
    let p: &'static CodePlans = Box::leak(Box::new(CodePlans { metas, compiled }));
    plans.insert(code, p);
    Some(p)
}

/// The territories of a calling code, as the crate's `Database::from`
/// orders them: in file order, a main country moved to the front.
fn territories_of(code: u16) -> Vec<&'static Territory> {
    let mut metas = Vec::new();
    for t in TERRITORIES.iter().filter(|t| t.code == code) {
        if t.main {
            metas.insert(0, t);
        } else {
            metas.push(t);
        }
    }
    metas
}

impl CodePlans {
    fn plan(&'static self, i: usize) -> &'static Plan {
        self.compiled[i].get_or_init(|| Plan::new(self.metas[i]))
    }

    /// The plan a national number of this code belongs to
    /// (libphonenumber's `source_for`). A code's only territory, when it is
    /// a non-geographic entity ("001"), is the code's first entry, which the
    /// crate's validator takes; no code has two of them (its `by_id("001")`
    /// would then give one of another code).
    fn source_for(&'static self, national: &str) -> Option<&'static Plan> {
        if self.metas.len() == 1 {
            let id = self.metas[0].id;
            if id != "001" {
                id.parse::<Id>().ok()?;
            }
            return Some(self.plan(0));
        }
        for i in 0..self.metas.len() {
            let plan = self.plan(i);
            let belongs = match &plan.leading_digits {
                Some(ld) => ld.is_match(national),
                None => plan.valid(national),
            };
            if belongs {
                return Some(plan);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_crate() {
        let db = whole_database().unwrap();
        let cases: &[(Option<Id>, &str)] = &[
            (Some(Id::US), "+1 6502530000"),
            (Some(Id::IT), "+39 0236618300"),
            (Some(Id::FR), "+330631966543"),
            (None, "+44 7912345678"),
            (None, "+800 12345678"),
            (None, "+979 123456789"),
            (None, "+64 21387835"),
            (None, "+1 2530000"),
            (None, "+44 791234567"),
            (None, "+49 1234"),
            (None, "+64 3316005"),
            (None, "+3923 2366"),
            (None, "+800 123456789"),
            (Some(Id::CN), "8610-13671005510"),
            (Some(Id::CN), "13671005510"),
            (Some(Id::CN), "025-83106666"),
            (Some(Id::RU), "8(812)123-45-67"),
            (Some(Id::CA), "416-340-4800"),
            (Some(Id::CA), "416-340-480"),
            (Some(Id::DE), "030 12345678"),
            (Some(Id::JP), "03-1234-5678"),
            (None, "+7 495 123 45 67"),
            (None, "+1 809 123 4567"),
            (None, "+290 8123"),
        ];
        let mut valid = 0;
        for (region, s) in cases {
            let Ok(n) = phonenumber::parse_with(db, *region, s) else {
                continue;
            };
            let ours = is_valid(n.code().value(), &n.national().to_string());
            assert_eq!(ours, n.is_valid_with(db), "{s} ({region:?})");
            valid += usize::from(ours);
        }
        assert!(valid >= 8, "too few valid numbers: {valid}");
    }

    /// Every example number of every region's plan, and each with a digit
    /// dropped and one added: the same verdict as the crate's validator.
    #[test]
    fn agrees_with_the_crate_on_every_example_number() {
        let db = whole_database().unwrap();
        let (mut compared, mut valid) = (0, 0);
        for meta in db.iter() {
            let region: Option<Id> = meta.id().parse().ok();
            let d = meta.descriptors();
            let descs = [
                Some(d.general()),
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.voip(),
                d.uan(),
            ];
            for ex in descs.into_iter().flatten().filter_map(|d| d.example()) {
                let national = format!("+{} {ex}", meta.country_code());
                let local = ex.to_string();
                for s in [
                    national.clone(),
                    local.clone(),
                    national[..national.len() - 1].to_string(),
                    format!("{national}7"),
                ] {
                    for r in [region, None] {
                        let Ok(n) = phonenumber::parse_with(db, r, &s) else {
                            continue;
                        };
                        let ours = is_valid(n.code().value(), &n.national().to_string());
                        assert_eq!(ours, n.is_valid_with(db), "{s} ({r:?})");
                        compared += 1;
                        valid += usize::from(ours);
                    }
                }
            }
        }
        assert!(
            compared > 2000 && valid > 1000,
            "{compared} compared, {valid} valid"
        );
    }

    /// Every pattern of every territory compiles as `compile` writes it:
    /// a pattern that did not would never match here, where the crate's
    /// matches (and the parser reads a region without a national prefix
    /// rule as the crate reads one that has none).
    #[test]
    fn every_pattern_compiles() {
        let mut compiled = 0;
        for t in TERRITORIES.iter() {
            let meta = Meta::read(t);
            let patterns = std::iter::once(meta.general.pattern)
                .chain(meta.types.iter().map(|d| d.pattern))
                .chain(meta.leading_digits)
                .chain(meta.prefixes.international)
                .chain(meta.prefixes.for_parsing);
            for p in patterns {
                assert!(compile(p).is_some(), "{}: {p}", t.id);
                compiled += 1;
            }
        }
        assert!(compiled > 1500, "{compiled} compiled");
    }

    /// What is read of each territory by hand is what the crate's loader
    /// reads (its `Database` built from the same file): the regions of
    /// each calling code in order, and of each territory its prefixes and
    /// rules, and each descriptor's pattern and lengths.
    #[test]
    fn metadata_read_as_the_crate_reads_it() {
        let db = whole_database().unwrap();
        let same_pattern = |ours: &str, theirs: &str| {
            assert_eq!(ours.replace("\\d", "[0-9]"), theirs);
        };
        let mut descriptors = 0;
        let mut codes: Vec<u16> = TERRITORIES.iter().map(|t| t.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert!(codes.len() > 200, "{} codes", codes.len());
        for code in codes {
            let ours: Vec<&str> = territories_of(code).iter().map(|t| t.id).collect();
            assert_eq!(Some(ours), db.region(&code), "{code}");
            let theirs = db.by_code(&code).unwrap();
            for (t, m) in territories_of(code).into_iter().zip(theirs) {
                assert_eq!(
                    (t.id, t.code, t.main),
                    (m.id(), m.country_code(), m.is_main_country_for_code())
                );
                let meta = Meta::read(t);
                assert_eq!(meta.prefixes.national, m.national_prefix(), "{}", t.id);
                assert_eq!(
                    meta.prefixes.transform_rule,
                    m.national_prefix_transform_rule(),
                    "{}",
                    t.id
                );
                let fix = |p: Option<&str>| p.map(|p| p.replace("\\d", "[0-9]"));
                assert_eq!(
                    fix(meta.prefixes.international),
                    m.international_prefix().map(|r| r.as_str().to_string()),
                    "{}",
                    t.id
                );
                assert_eq!(
                    fix(meta.prefixes.for_parsing),
                    m.national_prefix_for_parsing()
                        .map(|r| r.as_str().to_string()),
                    "{}",
                    t.id
                );
                assert_eq!(
                    fix(meta.leading_digits),
                    m.leading_digits().map(|r| r.as_str().to_string()),
                    "{}",
                    t.id
                );
                let d = m.descriptors();
                let theirs_types = [
                    d.premium_rate(),
                    d.toll_free(),
                    d.shared_cost(),
                    d.voip(),
                    d.personal_number(),
                    d.pager(),
                    d.uan(),
                    d.voicemail(),
                    d.fixed_line(),
                    d.mobile(),
                ];
                let theirs_types: Vec<_> = theirs_types.into_iter().flatten().collect();
                assert_eq!(meta.types.len(), theirs_types.len(), "{}", t.id);
                let pairs = std::iter::once((&meta.general, d.general()))
                    .chain(meta.types.iter().zip(theirs_types));
                for (ours, theirs) in pairs {
                    same_pattern(ours.pattern, theirs.national_number().as_str());
                    assert_eq!(ours.lengths, theirs.possible_length(), "{}", t.id);
                    assert_eq!(ours.local, theirs.possible_local_length(), "{}", t.id);
                    descriptors += 1;
                }
            }
        }
        assert!(descriptors > 1000, "{descriptors} descriptors");
    }
}
