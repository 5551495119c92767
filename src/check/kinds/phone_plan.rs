//! Phone numbers against libphonenumber's numbering plans, fast.
//!
//! The `phonenumber` crate parses well, but its validity test looks each
//! pattern up by its text in one mutex-guarded least-recently-used cache of
//! 100 compiled regexes: a run over records from many countries recompiled
//! patterns for most numbers, and even with the cache widened, hashing the
//! long pattern texts and taking the lock cost a sixth of a whole run.
//!
//! Here the metadata is read once from the vendored file (the crate's own
//! copy, `data/phonenumber/`), with `\d` written `[0-9]` (the parser turns
//! every digit into ASCII first, so this is the same class, and its
//! automata are a fraction of the size of Unicode digits'); each region's
//! patterns are compiled on the first number of that region and kept.
//! [`is_valid`] answers exactly what `PhoneNumber::is_valid` answers (a
//! test compares them).

use phonenumber::country::Id;
use phonenumber::metadata::{Database, Descriptor, Metadata};
use phonenumber::PhoneNumber;
use regex::{Regex, RegexBuilder};
use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

/// The metadata, read on the first number.
static DB: LazyLock<Option<Database>> = LazyLock::new(|| {
    let xml = include_str!("../../../data/phonenumber/PhoneNumberMetadata.xml");
    Database::parse(xml.replace("\\d", "[0-9]")).ok()
});

/// Parse a number with the plan of `region` (`None`: it must be
/// international).
pub fn parse(region: Option<Id>, s: &str) -> Option<PhoneNumber> {
    phonenumber::parse_with(DB.as_ref()?, region, s).ok()
}

/// Whether `n` is a valid number of its country: the same answer as
/// `PhoneNumber::is_valid_with` on the same metadata.
pub fn is_valid(n: &PhoneNumber) -> bool {
    let Some(plans) = PLANS.as_ref() else {
        return false;
    };
    let code = n.country().code();
    let national = n.national().to_string();
    plans
        .source_for(code, &national)
        .is_some_and(|plan| plan.valid(&national))
}

struct Desc {
    re: Regex,
    lengths: Vec<u16>,
}

impl Desc {
    fn new(d: &Descriptor) -> Option<Desc> {
        Some(Desc {
            re: compile(d.national_number().as_str())?,
            lengths: d.possible_length().to_vec(),
        })
    }

    fn is_match(&self, value: &str) -> bool {
        if !self.lengths.is_empty() && !self.lengths.contains(&(value.len() as u16)) {
            return false;
        }
        self.re.find(value).is_some_and(|m| m.start() == 0)
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
    fn new(meta: &Metadata) -> Plan {
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

fn compile(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .ignore_whitespace(true)
        .build()
        .ok()
}

/// Every region's plan, compiled on first use.
struct Plans {
    db: &'static Database,
    by_id: HashMap<&'static str, usize>,
    /// Non-geographic entities ("001"), by country calling code.
    by_code: HashMap<u16, usize>,
    metas: Vec<&'static Metadata>,
    compiled: Vec<OnceLock<Plan>>,
}

static PLANS: LazyLock<Option<Plans>> = LazyLock::new(|| {
    let db: &'static Database = DB.as_ref()?;
    let mut metas: Vec<&'static Metadata> = Vec::new();
    let mut by_id = HashMap::new();
    for m in db.iter() {
        by_id.insert(m.id(), metas.len());
        metas.push(m);
    }
    // Non-geographic entities all have the id "001": by calling code, the
    // first entry (as the crate's validator takes it).
    let mut by_code = HashMap::new();
    for code in 1..1000u16 {
        if db
            .region(&code)
            .is_some_and(|r| r.len() == 1 && r[0] == "001")
        {
            if let Some(m) = db.by_code(&code).and_then(|v| v.into_iter().next()) {
                by_code.insert(code, metas.len());
                metas.push(m);
            }
        }
    }
    let compiled = metas.iter().map(|_| OnceLock::new()).collect();
    Some(Plans {
        db,
        by_id,
        by_code,
        metas,
        compiled,
    })
});

impl Plans {
    fn plan(&self, i: usize) -> &Plan {
        self.compiled[i].get_or_init(|| Plan::new(self.metas[i]))
    }

    fn by_id(&self, id: &str) -> Option<&Plan> {
        self.by_id.get(id).map(|&i| self.plan(i))
    }

    /// The plan a number with this calling code and national number
    /// belongs to (libphonenumber's `source_for`).
    fn source_for(&self, code: u16, national: &str) -> Option<&Plan> {
        let regions = self.db.region(&code)?;
        if regions.len() == 1 {
            if regions[0] == "001" {
                return self.by_code.get(&code).map(|&i| self.plan(i));
            }
            regions[0].parse::<Id>().ok()?;
            return self.by_id(regions[0]);
        }
        for region in regions {
            let plan = self.by_id(region)?;
            let belongs = match &plan.leading_digits {
                Some(ld) => ld.find(national).is_some_and(|m| m.start() == 0),
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
        let db = DB.as_ref().unwrap();
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
        let db = DB.as_ref().unwrap();
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
}
