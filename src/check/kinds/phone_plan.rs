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
use phonenumber::PhoneNumber;
use regex::Regex;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

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

/// The whole metadata.
fn whole_database() -> Option<&'static Database> {
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

/// The calling code of a region.
fn code_of(region: Id) -> Option<u16> {
    let id: &str = region.as_ref();
    TERRITORIES.all.iter().find(|t| t.id == id).map(|t| t.code)
}

/// Parse a number with the plan of `region` (`None`: it must be
/// international): exactly what `phonenumber::parse_with` answers on the
/// whole metadata (a test compares them).
pub fn parse(region: Option<Id>, s: &str) -> Option<PhoneNumber> {
    parse_using(region, s, &database, &whole_database)
}

/// [`parse`] with the databases `partial` (complete for the given calling
/// codes) and `whole` gives.
fn parse_using(
    region: Option<Id>,
    s: &str,
    partial: &dyn Fn(&[u16]) -> Option<&'static Database>,
    whole: &dyn Fn() -> Option<&'static Database>,
) -> Option<PhoneNumber> {
    use phonenumber::ParseError;
    let home: Vec<u16> = match region {
        Some(r) => vec![code_of(r)?],
        None => Vec::new(),
    };
    // Which calling code the number has depends only on the home region's
    // plan and on which codes exist: a first parse with the home region in
    // full finds it.
    match phonenumber::parse_with(partial(&home)?, region, s) {
        Ok(n) if home.contains(&n.code().value()) => Some(n),
        Ok(n) => {
            let codes = [home.as_slice(), &[n.code().value()]].concat();
            phonenumber::parse_with(partial(&codes)?, region, s).ok()
        }
        // Failures before any plan is consulted are the same everywhere.
        Err(ParseError::NoNumber | ParseError::InvalidCountryCode) => None,
        // Others may depend on the plan of the number's code: ask the whole
        // metadata.
        Err(_) => phonenumber::parse_with(whole()?, region, s).ok(),
    }
}

/// Whether `n` is a valid number of its country: the same answer as
/// `PhoneNumber::is_valid_with` on the whole metadata.
pub fn is_valid(n: &PhoneNumber) -> bool {
    let code = n.country().code();
    let national = n.national().to_string();
    plans_for(code).is_some_and(|plans| {
        plans
            .source_for(&national)
            .is_some_and(|p| p.valid(&national))
    })
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
    fn new(d: &'static Descriptor) -> Option<Desc> {
        Some(Desc {
            pattern: d.national_number().as_str(),
            re: OnceLock::new(),
            lengths: d.possible_length().to_vec(),
        })
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

/// One region's compiled plan.
struct Plan {
    general: Option<Desc>,
    /// The number types whose match makes a number valid.
    types: Vec<Desc>,
    leading_digits: Option<Regex>,
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
            general: Desc::new(d.general()),
            types: types.into_iter().flatten().filter_map(Desc::new).collect(),
            leading_digits: meta.leading_digits().and_then(|r| compile(r.as_str())),
        }
    }

    /// libphonenumber's "number type is not Unknown".
    fn valid(&self, national: &str) -> bool {
        self.general.as_ref().is_some_and(|g| g.is_match(national))
            && self.types.iter().any(|t| t.is_match(national))
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

static PLANS: LazyLock<Mutex<HashMap<u16, Arc<CodePlans>>>> = LazyLock::new(Mutex::default);

/// The plans of a calling code.
fn plans_for(code: u16) -> Option<Arc<CodePlans>> {
    let mut plans = PLANS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(p) = plans.get(&code) {
        return Some(p.clone());
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
    let p = Arc::new(CodePlans { metas, compiled });
    plans.insert(code, p.clone());
    Some(p)
}

impl CodePlans {
    fn plan(&self, i: usize) -> &Plan {
        self.compiled[i].get_or_init(|| Plan::new(self.metas[i].1))
    }

    /// The plan a national number of this code belongs to
    /// (libphonenumber's `source_for`).
    fn source_for(&self, national: &str) -> Option<&Plan> {
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
            let Some(n) = parse(*region, s) else {
                continue;
            };
            assert_eq!(is_valid(&n), n.is_valid_with(db), "{s} ({region:?})");
            valid += usize::from(is_valid(&n));
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
                        let Some(n) = parse(r, &s) else { continue };
                        assert_eq!(is_valid(&n), n.is_valid_with(db), "{s} ({r:?})");
                        compared += 1;
                        valid += usize::from(is_valid(&n));
                    }
                }
            }
        }
        assert!(
            compared > 2000 && valid > 1000,
            "{compared} compared, {valid} valid"
        );
    }

    /// Parsing with databases complete only for the calling codes involved
    /// gives what parsing with the whole metadata gives: every example
    /// number of every region, with a digit dropped or added, written
    /// nationally and internationally, read with its own region, with none,
    /// and with regions of other codes.
    #[test]
    fn partial_databases_parse_as_the_whole_one() {
        let whole = whole_database().unwrap();
        let cache: Mutex<HashMap<Vec<u16>, &'static Database>> = Mutex::default();
        let partial = |codes: &[u16]| -> Option<&'static Database> {
            let mut key = codes.to_vec();
            key.sort_unstable();
            key.dedup();
            let mut c = cache.lock().unwrap();
            if let Some(db) = c.get(&key) {
                return Some(*db);
            }
            let db = build(Some(&key))?;
            c.insert(key, db);
            Some(db)
        };
        let mut compared = 0;
        for meta in whole.iter() {
            let own: Option<Id> = meta.id().parse().ok();
            let d = meta.descriptors();
            for ex in [Some(d.general()), d.fixed_line(), d.mobile(), d.toll_free()]
                .into_iter()
                .flatten()
                .filter_map(|d| d.example())
            {
                let international = format!("+{} {ex}", meta.country_code());
                for s in [
                    international.clone(),
                    ex.to_string(),
                    format!("00{} {ex}", meta.country_code()),
                    format!("0{ex}"),
                    international[..international.len() - 1].to_string(),
                    format!("{international}7"),
                    format!("{ex} / {ex}"),
                ] {
                    for r in [own, None, Some(Id::US), Some(Id::DE), Some(Id::GB)] {
                        let expected = phonenumber::parse_with(whole, r, &s).ok();
                        let got = parse_using(r, &s, &partial, &|| Some(whole));
                        assert_eq!(got, expected, "{s} ({r:?})");
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 10_000, "{compared} compared");
    }
}
