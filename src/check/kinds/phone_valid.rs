//! `phone-valid`: phone numbers must be valid numbers for their country
//! (libphonenumber's metadata, through the `phonenumber` crate). A number
//! written without "+" is read in the country of its contact's location, or
//! of the record's locations when they are all in one country; otherwise it
//! is not judged. A number valid as written for callers elsewhere (a US
//! toll-free line listed at a site abroad, a country code without "+") is
//! not reported.
//!
//! ```toml
//! kind = "phone-valid"
//! [params]
//! facts = ["contact.phone"]
//! ```

use super::common::owner_name;
use super::phone_parse::{self, Number};
use super::phone_plan;
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::record::keys;
use crate::record::EntityFields;
use phonenumber::country::Id;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::cell::RefCell;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    facts: Vec<FactName>,
}

pub struct PhoneValid {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    Ok(Box::new(PhoneValid { p: params(table)? }))
}

fn parse_phone(region: Option<Id>, s: &str) -> Option<Number> {
    phone_parse::parse(region, s).ok()
}

fn is_valid(n: &Number) -> bool {
    phone_plan::is_valid(n.code(), n.national())
}

/// ISO 3166 code of a country as registries write its name.
///
/// The name is lower-cased into a buffer on the stack, not a new string
/// (the check asks once for each location of a record and once for each
/// number's location: hundreds of allocations in a large record). A name
/// longer than the buffer is longer than every name below (the longest,
/// "iran, islamic republic of", has 25 bytes), so it has no code either
/// way; ASCII lower-casing leaves other bytes as they are, so the bytes
/// compared are those `to_ascii_lowercase` gave.
pub fn country_code(name: &str) -> Option<&'static str> {
    let name = name.trim().as_bytes();
    let mut buf = [0u8; 32];
    let n = buf.get_mut(..name.len())?;
    n.copy_from_slice(name);
    n.make_ascii_lowercase();
    let Ok(n) = std::str::from_utf8(n) else {
        return None;
    };
    Some(match n {
        "china" | "people's republic of china" | "cn" => "CN",
        "united states" | "usa" | "united states of america" | "us" => "US",
        "canada" => "CA",
        "united kingdom" | "uk" | "great britain" | "england" | "scotland" | "wales" => "GB",
        "vietnam" | "viet nam" => "VN",
        "germany" => "DE",
        "france" => "FR",
        "italy" => "IT",
        "spain" => "ES",
        "portugal" => "PT",
        "netherlands" | "the netherlands" => "NL",
        "belgium" => "BE",
        "switzerland" => "CH",
        "austria" => "AT",
        "sweden" => "SE",
        "norway" => "NO",
        "denmark" => "DK",
        "finland" => "FI",
        "ireland" => "IE",
        "poland" => "PL",
        "czechia" | "czech republic" => "CZ",
        "hungary" => "HU",
        "greece" => "GR",
        "turkey" | "türkiye" | "turkiye" => "TR",
        "israel" => "IL",
        "egypt" => "EG",
        "saudi arabia" => "SA",
        "iran" | "iran, islamic republic of" => "IR",
        "pakistan" => "PK",
        "india" => "IN",
        "bangladesh" => "BD",
        "japan" => "JP",
        "korea, republic of" | "south korea" | "republic of korea" | "korea" => "KR",
        "taiwan" => "TW",
        "hong kong" => "HK",
        "singapore" => "SG",
        "malaysia" => "MY",
        "thailand" => "TH",
        "indonesia" => "ID",
        "philippines" => "PH",
        "australia" => "AU",
        "new zealand" => "NZ",
        "brazil" => "BR",
        "argentina" => "AR",
        "mexico" => "MX",
        "chile" => "CL",
        "colombia" => "CO",
        "peru" => "PE",
        "south africa" => "ZA",
        "nigeria" => "NG",
        "kenya" => "KE",
        "russian federation" | "russia" => "RU",
        "ukraine" => "UA",
        "romania" => "RO",
        "bulgaria" => "BG",
        "serbia" => "RS",
        "croatia" => "HR",
        "slovenia" => "SI",
        "slovakia" => "SK",
        "lithuania" => "LT",
        "latvia" => "LV",
        "estonia" => "EE",
        "tunisia" => "TN",
        "morocco" => "MA",
        "lebanon" => "LB",
        "jordan" => "JO",
        "qatar" => "QA",
        "united arab emirates" => "AE",
        _ => return None,
    })
}

/// A number without "+" that is not valid in the contact's country may
/// still be a valid number written for callers elsewhere: a US or Canadian
/// number (toll-free call centres listed at every site: "877-379-3718"), a
/// number with its country code but no "+", or one dialled from North
/// America ("011 86 20 8733 3300"), punctuation the parser trips on
/// ("+8610-58075763", "+334.67.33.83.55"), or a national number read as
/// international ("00382 380425" for Pavia, Italy: 0382 is its area code).
fn valid_elsewhere(raw: &str, home: Option<&str>) -> bool {
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    let valid = |region: Option<Id>, s: &str| parse_phone(region, s).is_some_and(|n| is_valid(&n));
    let home: Option<Id> = home.and_then(|h| h.parse().ok());
    let national = |s: &str| home.is_some_and(|h| valid(Some(h), s));
    valid(Some(Id::US), raw)
        || valid(None, &format!("+{digits}"))
        || (raw.starts_with("00") && national(&digits[1..]))
        || (!raw.starts_with('+') && national(&format!("0{digits}")))
        || digits
            .strip_prefix("011")
            .is_some_and(|rest| valid(None, &format!("+{rest}")))
}

/// What is wrong with the number `raw` read with the plan of `region`
/// (`None`: international), or `None` if it is valid there or reads as a
/// valid number another usual way (see [`valid_elsewhere`]).
fn verdict(raw: &str, region: Option<&str>, home: Option<&str>) -> Option<String> {
    let id: Option<Id> = region.and_then(|r| r.parse().ok());
    let normalized = if let Some(rest) = raw.strip_prefix("00") {
        format!("+{rest}")
    } else {
        raw.to_string()
    };
    match parse_phone(id, &normalized) {
        Some(n) if is_valid(&n) => None,
        _ if valid_elsewhere(raw, home) => None,
        Some(n) => Some(format!("it reads as country code +{} and national number {}, which is not a valid number there", n.code(), n.national())),
        None => Some("it cannot be read as a phone number".to_string()),
    }
}

/// Owned key of [`remembered_verdict`]: (number, region, home country).
type VerdictKey = (String, Option<&'static str>, Option<&'static str>);

/// [`verdict`], remembered across records: the same central numbers and
/// sites recur (the corpus's 1,627 API v2 records list 8,243 numbers,
/// 5,087 distinct ones; one sponsor's number is listed 413 times), and
/// parsing a number is most of this check's cost. A verdict depends only on
/// its key, so what is remembered cannot change an answer. (The benchmark
/// shifts the digits of each copy's numbers, so that its copies of the
/// corpus do not make this memo look better than the real data does:
/// `scripts/bench_corpus.py`.) Each worker thread keeps its own memo; it is
/// emptied when it grows past `MAX` entries, to bound memory on huge runs.
fn remembered_verdict(
    raw: &str,
    region: Option<&'static str>,
    home: Option<&'static str>,
) -> Option<String> {
    const MAX: usize = 100_000;
    thread_local! {
        static MEMO: RefCell<FxHashMap<VerdictKey, Option<String>>> =
            RefCell::new(FxHashMap::default());
    }
    MEMO.with_borrow_mut(|memo| {
        let key = (raw.to_string(), region, home);
        if let Some(v) = memo.get(&key) {
            return v.clone();
        }
        let v = verdict(raw, region, home);
        if memo.len() >= MAX {
            memo.clear();
        }
        memo.insert(key, v.clone());
        v
    })
}

impl Kind for PhoneValid {
    fn reads(&self) -> Vec<String> {
        self.p.facts.iter().map(|n| n.to_string()).collect()
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        let mut facts = self.p.facts.iter().map(|n| cx.facts(n)).peekable();
        // no numbers: nothing to judge, and the countries are not needed
        while facts.peek().is_some_and(|f| f.is_empty()) {
            facts.next();
        }
        if facts.peek().is_none() {
            return;
        }
        // The one country all locations share, if any: the first code
        // found if every other equals it. This is what the list of the
        // codes, sorted and without repeats, of length one gave; that list
        // and its sort (a stable sort of a few hundred names in a large
        // record) were 0.5% of a run's instructions.
        let mut codes = cx
            .record
            .all(keys::LOCATION_COUNTRY)
            .filter_map(|f| country_code(f.value()));
        let record_country = match codes.next() {
            Some(first) if codes.all(|c| c == first) => Some(first),
            _ => None,
        };
        let countries = EntityFields::new(cx.record, keys::LOCATION_COUNTRY);
        for facts in facts {
            for f in facts {
                let raw = f.quote.trim();
                if raw.is_empty() {
                    continue;
                }
                let own_country = f
                    .owner
                    .and_then(|e| cx.record.entities.get(e))
                    .and_then(|e| e.parent)
                    .and_then(|loc| countries.get(loc))
                    .and_then(|c| country_code(c.value()));
                let region = if raw.starts_with('+') || raw.starts_with("00") {
                    None
                } else {
                    own_country.or(record_country)
                };
                if region.is_none() && !raw.starts_with('+') && !raw.starts_with("00") {
                    continue; // no way to tell which country's rules apply
                }
                let home = own_country.or(record_country);
                let Some(verdict) = remembered_verdict(raw, region, home) else {
                    continue;
                };
                let who = owner_name(cx, f)
                    .map(|n| format!(" (listed for {n})"))
                    .unwrap_or_default();
                let place = region.map(|r| format!(" for {r}")).unwrap_or_default();
                out.push(
                    Draft {
                        message: format!("the phone number \"{raw}\"{who} is not a valid number{place}"),
                        labels: vec![Label::primary(f.span, verdict.clone())],
                        notes: vec![match region {
                            Some(r) => format!("read with the numbering plan of {r}, the country of the contact's location"),
                            None => "read as an international number".to_string(),
                        }],
                        ..Draft::default()
                    }
                    .var("value", raw),
                );
            }
        }
    }
}
