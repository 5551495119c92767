//! Phone numbers against libphonenumber's numbering plans, fast.
//!
//! The `phonenumber` crate parses well, but its validity test looks each
//! pattern up by its text in one mutex-guarded least-recently-used cache of
//! 100 compiled regexes: a run over records from many countries recompiled
//! patterns for most numbers, and even with the cache widened, hashing the
//! long pattern texts and taking the lock cost a sixth of a whole run.
//!
//! Here the metadata is read from the vendored file (the crate's own copy,
//! `data/phonenumber/`), with `\d` written `[0-9]` (the parser turns every
//! digit into ASCII first, so this is the same class, and its automata are
//! a fraction of the size of Unicode digits'), and only the territories a
//! number needs are read in full (see [`PARTIAL_DATABASES`]); each region's
//! patterns are compiled on the first number of that region and kept.
//! [`is_valid`] answers exactly what `PhoneNumber::is_valid` answers (a
//! test compares them).

use phonenumber::country::Id;
use phonenumber::metadata::{Database, Descriptor, Metadata};
use regex::Regex;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{LazyLock, Mutex, OnceLock};

/// The vendored metadata cut into its territories (one per region or
/// non-geographic entity, in file order).
struct Territories {
    xml: &'static str,
    /// Everything before the first territory, and after the last.
    head: Range<usize>,
    tail: Range<usize>,
    all: Vec<Territory>,
}

struct Territory {
    /// From `<territory` to `</territory>`.
    whole: Range<usize>,
    /// A territory reduced to what says that it exists: its id, calling
    /// code and whether it is the code's main country.
    stub: String,
    id: String,
    code: u16,
}

static TERRITORIES: LazyLock<Territories> = LazyLock::new(|| {
    let xml = include_str!("../../../data/phonenumber/PhoneNumberMetadata.xml");
    let mut all = Vec::new();
    let mut at = 0;
    while let Some(found) = xml[at..].find("<territory ") {
        let start = at + found;
        let Some(tag_len) = xml[start..].find('>') else {
            break;
        };
        let Some(close) = xml[start..].find("</territory>") else {
            break;
        };
        let end = start + close + "</territory>".len();
        let tag = &xml[start..start + tag_len + 1];
        let (Some(id), Some(code)) = (attribute(tag, "id"), attribute(tag, "countryCode")) else {
            break;
        };
        let main = if attribute(tag, "mainCountryForCode") == Some("true") {
            " mainCountryForCode=\"true\""
        } else {
            ""
        };
        all.push(Territory {
            whole: start..end,
            stub: format!("<territory id=\"{id}\" countryCode=\"{code}\"{main}>{STUB_BODY}"),
            id: id.to_string(),
            code: code.parse().unwrap_or(0),
        });
        at = end;
    }
    let head = 0..all.first().map(|t| t.whole.start).unwrap_or(0);
    let tail = all.last().map(|t| t.whole.end).unwrap_or(0)..xml.len();
    Territories {
        xml,
        head,
        tail,
        all,
    }
});

/// The value of `name="..."` in a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
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

/// Reading the whole metadata into a `Database` checks the syntax of its
/// ten thousand patterns: some 60 ms, which was most of the start-up time
/// of a run on a record with a phone number. A number needs the plans of
/// at most two calling codes (its own and its home region's), so a
/// database is first built with only those in full: every other territory
/// is a stub that keeps its start tag (its id, code and attributes, in
/// file order), so that whether a calling code exists and which regions
/// share it are answered as by the whole database. After this many such
/// databases, the run is large enough to pay for the whole one.
const PARTIAL_DATABASES: usize = 12;

#[derive(Default)]
struct Databases {
    /// By the calling codes given in full (sorted).
    partial: HashMap<Vec<u16>, &'static Database>,
    whole: Option<&'static Database>,
}

static DATABASES: LazyLock<Mutex<Databases>> = LazyLock::new(Mutex::default);

/// A database in which the territories of `codes` are complete (the whole
/// one once enough partial ones were built). Databases live as long as the
/// process: at most [`PARTIAL_DATABASES`] + 1 of them.
fn database(codes: &[u16]) -> Option<&'static Database> {
    let mut dbs = DATABASES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(db) = dbs.whole {
        return Some(db);
    }
    let mut key: Vec<u16> = codes.to_vec();
    key.sort_unstable();
    key.dedup();
    if let Some(db) = dbs.partial.get(&key) {
        return Some(db);
    }
    if dbs.partial.len() >= PARTIAL_DATABASES {
        let db = build(None)?;
        dbs.whole = Some(db);
        return Some(db);
    }
    let db = build(Some(&key))?;
    dbs.partial.insert(key, db);
    Some(db)
}

/// The whole metadata (what the tests compare with).
#[cfg(test)]
pub(super) fn whole_database() -> Option<&'static Database> {
    let mut dbs = DATABASES.lock().unwrap_or_else(|e| e.into_inner());
    if dbs.whole.is_none() {
        dbs.whole = Some(build(None)?);
    }
    dbs.whole
}

/// A database with the territories of `full` complete and stubs for the
/// others (`None`: every territory complete). Patterns are written with
/// `[0-9]` for `\d` (see the module's documentation).
fn build(full: Option<&[u16]>) -> Option<&'static Database> {
    let t = &*TERRITORIES;
    let mut xml = String::with_capacity(if full.is_none() {
        t.xml.len()
    } else {
        64 << 10
    });
    xml.push_str(&t.xml[t.head.clone()]);
    for territory in &t.all {
        if full.is_none_or(|codes| codes.contains(&territory.code)) {
            xml.push_str(&t.xml[territory.whole.clone()].replace("\\d", "[0-9]"));
        } else {
            xml.push_str(&territory.stub);
        }
        xml.push('\n');
    }
    xml.push_str(&t.xml[t.tail.clone()]);
    Some(Box::leak(Box::new(Database::parse(xml).ok()?)))
}

/// The body of a territory whose plan no number being read needs.
const STUB_BODY: &str = "<generalDesc><nationalNumberPattern>[0-9]{1,17}</nationalNumberPattern></generalDesc></territory>";

/// Calling codes by region id, and which codes exist (what the
/// database's `by_id` and `by_code` answer about a territory's existence).
struct Codes {
    by_id: HashMap<&'static str, u16>,
    exists: Vec<bool>,
}

static CODES: LazyLock<Codes> = LazyLock::new(|| {
    let t = &*TERRITORIES;
    let mut by_id = HashMap::new();
    let mut exists = vec![false; 1000];
    for territory in &t.all {
        by_id.insert(territory.id.as_str(), territory.code);
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
    let i = plans.metas.iter().position(|(r, _)| *r == id)?;
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
    fn new(d: &'static Descriptor) -> Desc {
        Desc {
            pattern: d.national_number().as_str(),
            re: OnceLock::new(),
            lengths: d.possible_length().to_vec(),
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
    meta: &'static Metadata,
    general: Desc,
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
    fn new(meta: &'static Metadata) -> Plan {
        let d = meta.descriptors();
        let types = [
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
        Plan {
            meta,
            general: Desc::new(d.general()),
            types: types.into_iter().flatten().map(Desc::new).collect(),
            leading_digits: meta.leading_digits().and_then(|r| compile(r.as_str())),
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
        self.meta.country_code()
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
        let general = self.meta.descriptors().general();
        let local = general.possible_local_length();
        let possible = general.possible_length();
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
            .get_or_init(|| {
                self.meta
                    .international_prefix()
                    .and_then(|r| compile(r.as_str()))
            })
            .as_ref()
    }

    /// The national prefix for parsing, anchored at the first digit.
    pub(super) fn for_parsing(&self) -> Option<&Regex> {
        self.for_parsing
            .get_or_init(|| {
                self.meta
                    .national_prefix_for_parsing()
                    .and_then(|r| compile(r.as_str()))
            })
            .as_ref()
    }

    pub(super) fn national_prefix(&self) -> Option<&'static str> {
        self.meta.national_prefix()
    }

    pub(super) fn transform_rule(&self) -> Option<&'static str> {
        self.meta.national_prefix_transform_rule()
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
    /// (region id, its metadata) in the order of the database's regions;
    /// for a non-geographic code ("001"), the code's first entry.
    metas: Vec<(&'static str, &'static Metadata)>,
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
    let db = database(&[code])?;
    let regions = db.region(&code)?;
    let metas: Vec<(&'static str, &'static Metadata)> = if regions.len() == 1 && regions[0] == "001"
    {
        // Non-geographic entities all have the id "001": by calling code,
        // the first entry (as the crate's validator takes it).
        vec![("001", db.by_code(&code)?.into_iter().next()?)]
    } else {
        regions
            .into_iter()
            .filter_map(|r| db.by_id(r).map(|m| (r, m)))
            .collect()
    };
    let compiled = metas.iter().map(|_| OnceLock::new()).collect();
    let p: &'static CodePlans = Box::leak(Box::new(CodePlans { metas, compiled }));
    plans.insert(code, p);
    Some(p)
}

impl CodePlans {
    fn plan(&'static self, i: usize) -> &'static Plan {
        self.compiled[i].get_or_init(|| Plan::new(self.metas[i].1))
    }

    /// The plan a national number of this code belongs to
    /// (libphonenumber's `source_for`).
    fn source_for(&'static self, national: &str) -> Option<&'static Plan> {
        if self.metas.len() == 1 {
            let (id, _) = self.metas[0];
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

    /// Every pattern of every region compiles as `compile` writes it: a
    /// pattern that did not would never match here, where the crate's
    /// matches (and the parser reads a region without a national prefix
    /// rule as the crate reads one that has none).
    #[test]
    fn every_pattern_compiles() {
        let db = whole_database().unwrap();
        let mut compiled = 0;
        for meta in db.iter() {
            let d = meta.descriptors();
            let descs = [
                Some(d.general()),
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
            let patterns = descs
                .into_iter()
                .flatten()
                .map(|d| d.national_number())
                .chain(meta.leading_digits())
                .chain(meta.international_prefix())
                .chain(meta.national_prefix_for_parsing());
            for p in patterns {
                assert!(
                    compile(p.as_str()).is_some(),
                    "{}: {}",
                    meta.id(),
                    p.as_str()
                );
                compiled += 1;
            }
        }
        assert!(compiled > 1500, "{compiled} compiled");
    }
}
