//! `distinct-owner`: one value must not belong to two different owners (the
//! same phone number or e-mail listed for two different people).
//!
//! ```toml
//! kind = "distinct-owner"
//! [params]
//! facts = ["contact.phone"]
//! personal_only = false   # true for e-mails: an address whose local part
//!                         # names none of its people ("info@", "research@",
//!                         # "clinicaltrials@") is a shared mailbox, not a slip
//! ```
//!
//! Contacts whose "name" is an office ("Cancer Clinical Trials Office",
//! "GSK Clinical Trials Call Center") are not people and never count.
//!
//! Owners are contact entities; two entries for the same person (matched by
//! name: "Liem Nguyen, PhD" = "Nguyen T Liem, Prof") are one owner.

use super::common::{join_and, owner_name};
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::extract::contacts::People;
use crate::extract::{Fact, Value};
use crate::record::keys;
use crate::record::EntityFields;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use std::collections::hash_map::Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    facts: Vec<FactName>,
    #[serde(default)]
    personal_only: bool,
}

pub struct DistinctOwner {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    Ok(Box::new(DistinctOwner { p: params(table)? }))
}

/// The name of the person a fact belongs to; `None` for no one or an
/// office. Remembered per contact: a contact may hold thousands of facts.
fn person<'a>(
    names: &EntityFields<'a>,
    f: &Fact,
    known: &mut FxHashMap<usize, Option<&'a str>>,
) -> Option<&'a str> {
    let e = f.owner?;
    *known.entry(e).or_insert_with(|| {
        names
            .get(e)
            .map(|n| n.value())
            .filter(|n| !n.is_empty() && !is_office(n))
    })
}

/// A contact "name" that names an office, a team or a service, not a person.
///
/// Each word of the lower-cased name is matched against the office words
/// in one `match`, and the two phrases are searched for: the list was one
/// list of words and phrases, and for each entry `contains(' ')` told a
/// phrase from a word, a `memchr` over the entry for each of the
/// thirty-five entries at each name, and the words were collected into a
/// vector first (distinct-owner: 29.7 → 24.1 million instructions per
/// 1,000 records). A test holds it to the list.
pub fn is_office(name: &str) -> bool {
    const PHRASES: &[&str] = &["clinical trials", "study coordinator"];
    let lower = name.to_lowercase();
    PHRASES.iter().any(|p| lower.contains(p))
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(is_office_word)
}

/// One of the words of [`is_office`].
fn is_office_word(w: &str) -> bool {
    matches!(
        w,
        "office"
            | "center"
            | "centre"
            | "registry"
            | "navigation"
            | "navigator"
            | "team"
            | "department"
            | "unit"
            | "desk"
            | "support"
            | "call"
            | "information"
            | "info"
            | "services"
            | "recruitment"
            | "trial"
            | "trials"
            | "research"
            | "institute"
            | "hospital"
            | "university"
            | "group"
            | "foundation"
            | "program"
            | "programme"
            | "inc"
            | "ltd"
            | "gmbh"
            | "llc"
            | "corporation"
            | "company"
            | "pharma"
    )
}

/// Whether an e-mail's local part names one of these people (a personal
/// mailbox) rather than none (a shared one: "info@", "research@").
fn names_someone(email: &str, people: &[&str]) -> bool {
    let local: String = email.split('@').next().unwrap_or("").to_lowercase();
    people.iter().any(|p| {
        crate::extract::contacts::person_key(p)
            .iter()
            .any(|t| t.chars().count() >= 3 && local.contains(t.as_str()))
    })
}

/// The indices of the values listed more than once (`None`: not a
/// value), each value's indices in order, the values in the order first
/// met. A value listed once has one owner at most: nothing to compare.
///
/// A value becomes a group only when it comes a second time, and the map
/// is sized once: a group (a vector) for every value and the map's growth
/// were most of this check's allocations, 24 a record (the run: 772.4 →
/// 771.3 million instructions per 1,000 records). The groups are
/// made in the order their second index comes, so they are sorted by their
/// first index, which is distinct for each.
fn repeated_values<'a>(values: impl ExactSizeIterator<Item = Option<&'a str>>) -> Vec<Vec<usize>> {
    /// A value met once (its index), or more (its group).
    enum Met {
        Once(usize),
        Group(usize),
    }
    let mut met: FxHashMap<&str, Met> =
        FxHashMap::with_capacity_and_hasher(values.len(), Default::default());
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (j, v) in values.enumerate() {
        let Some(v) = v else {
            continue;
        };
        match met.entry(v) {
            Entry::Vacant(e) => {
                e.insert(Met::Once(j));
            }
            Entry::Occupied(mut e) => match *e.get() {
                Met::Once(first) => {
                    e.insert(Met::Group(groups.len()));
                    groups.push(vec![first, j]);
                }
                Met::Group(g) => groups[g].push(j),
            },
        }
    }
    groups.sort_unstable_by_key(|g| g[0]);
    groups
}

impl Kind for DistinctOwner {
    fn reads(&self) -> Vec<String> {
        self.p.facts.iter().map(|n| n.to_string()).collect()
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        let mut known = FxHashMap::default();
        // the contacts' names, read when a value first comes twice
        let contact_names = std::cell::OnceCell::new();
        let mut seen = People::new();
        for name in &self.p.facts {
            let facts = cx.facts(name);
            let groups = repeated_values(facts.iter().map(|f| match &f.value {
                Value::Str(v) => Some(v.as_str()),
                _ => None,
            }));
            for group in &groups {
                let i = group[0];
                let Value::Str(v) = &facts[i].value else {
                    continue;
                };
                // the distinct people among them; one contact is one person,
                // even when its name does not tell ("Dr", "Nguyen, Phuong")
                seen.clear();
                let mut owners = FxHashSet::default();
                let mut people: Vec<(&str, usize)> = Vec::new();
                for &j in group {
                    let contacts = contact_names
                        .get_or_init(|| EntityFields::new(cx.record, keys::CONTACT_NAME));
                    let Some(p) = person(contacts, &facts[j], &mut known) else {
                        continue;
                    };
                    if !owners.insert(facts[j].owner) {
                        continue;
                    }
                    if seen.add(p) {
                        people.push((p, j));
                    }
                }
                if people.len() < 2 {
                    continue;
                }
                if self.p.personal_only {
                    let names: Vec<&str> = people.iter().map(|(n, _)| *n).collect();
                    if !names_someone(v, &names) {
                        continue;
                    }
                }
                let what = if name.contains("email") {
                    "e-mail address"
                } else {
                    "phone number"
                };
                let shown = facts[i].quote.trim().to_string();
                let names: Vec<String> = people
                    .iter()
                    .map(|(_, j)| owner_name(cx, &facts[*j]).unwrap_or_default())
                    .collect();
                let mut labels = Vec::new();
                for (k, &j) in group.iter().enumerate() {
                    let who = owner_name(cx, &facts[j]).unwrap_or_else(|| "a contact".into());
                    let msg = format!("listed for {who}");
                    labels.push(if k == 0 {
                        Label::primary(facts[j].span, msg)
                    } else {
                        Label::secondary(facts[j].span, msg)
                    });
                }
                // label the people's names too: the conflict is between them
                for (_, j) in &people {
                    if let Some(e) = facts[*j].owner {
                        let contacts = contact_names
                            .get_or_init(|| EntityFields::new(cx.record, keys::CONTACT_NAME));
                        if let Some(n) = contacts.get(e) {
                            labels.push(Label::secondary(n.span(), "this person"));
                        }
                    }
                }
                let message = format!(
                    "the {what} {shown} is listed for {} different people: {}",
                    people.len(),
                    join_and(&names)
                );
                let mut notes = vec![format!(
                    "two people sharing one {what} is usually a copy-and-paste slip; an office line shared on purpose is worth marking as such"
                )];
                if seen.exhausted() {
                    notes.push(format!(
                        "too many names to compare them all: after {} comparisons, only names written the same way were taken for one person",
                        People::BUDGET
                    ));
                }
                out.push(
                    Draft {
                        message,
                        labels,
                        notes,
                        ..Draft::default()
                    }
                    .var("value", shown)
                    .var("people", join_and(&names)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The groups as they were made before `repeated_values`: a group for
    /// every value, in the order first met, those of two or more kept.
    fn repeated_values_listed(values: &[Option<&str>]) -> Vec<Vec<usize>> {
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of: FxHashMap<&str, usize> = FxHashMap::default();
        for (j, v) in values.iter().enumerate() {
            let Some(v) = v else {
                continue;
            };
            let g = *group_of.entry(v).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(j);
        }
        groups.retain(|g| g.len() >= 2);
        groups
    }

    /// `repeated_values` gives the groups the list of every value gave, on
    /// 20,000 random lists of up to 40 values drawn from few (so that
    /// most repeat), with gaps (`None`) among them.
    #[test]
    fn repeated_values_are_the_groups_of_two_or_more() {
        let words = ["1", "2", "3", "+1 555", "a@b", "", "x", "y", "z", "w"];
        let mut rng = crate::testing::Xorshift::new(0x2545_f491_4f6c_dd1d);
        let mut with_groups = 0;
        for _ in 0..20_000 {
            let len = rng.below(41) as usize;
            let kinds = 1 + rng.below(words.len() as u64) as usize;
            let values: Vec<Option<&str>> = (0..len)
                .map(|_| match rng.below(kinds as u64 + 1) as usize {
                    0 => None,
                    k => Some(words[k - 1]),
                })
                .collect();
            let want = repeated_values_listed(&values);
            with_groups += usize::from(want.len() >= 2);
            assert_eq!(repeated_values(values.iter().copied()), want, "{values:?}");
        }
        assert!(with_groups > 5_000, "{with_groups}");
    }

    /// `is_office` as it was: one list of words and phrases.
    fn is_office_listed(name: &str) -> bool {
        const WORDS: &[&str] = &[
            "office",
            "center",
            "centre",
            "registry",
            "navigation",
            "navigator",
            "team",
            "department",
            "unit",
            "desk",
            "support",
            "call",
            "clinical trials",
            "information",
            "info",
            "services",
            "recruitment",
            "study coordinator",
            "trial",
            "trials",
            "research",
            "institute",
            "hospital",
            "university",
            "group",
            "foundation",
            "program",
            "programme",
            "inc",
            "ltd",
            "gmbh",
            "llc",
            "corporation",
            "company",
            "pharma",
        ];
        let lower = name.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        WORDS.iter().any(|w| {
            if w.contains(' ') {
                lower.contains(w)
            } else {
                words.contains(w)
            }
        })
    }

    /// `is_office` says what the list said, on names made of its words,
    /// parts and near misses of them, names and separators (non-ASCII
    /// letters and upper case among them), and on the fixtures' contact
    /// names; both answers must come up often.
    #[test]
    fn is_office_is_the_list() {
        let pieces = [
            "Office",
            "CENTER",
            "centre",
            "Trial",
            "trials",
            "clinical",
            "Clinical Trials",
            "study",
            "coordinator",
            "Study  Coordinator",
            "inc",
            "Inc.",
            "GmbH",
            "llc",
            "info",
            "informations",
            "Céntre",
            "İnc",
            "Dr",
            "Maria",
            "Nguyen",
            "Liem",
            "PhD",
            " ",
            ",",
            "-",
            "/",
            "",
            "é",
            "ß",
            "unitary",
            "Kunit",
            "pharmacy",
            "Pharma",
            "K",
            "team",
            "steam",
        ];
        let mut names = crate::extract::random_texts(&pieces, 20_000, 6, 0x0ff1_ce00_5eed_0001);
        names.extend(crate::extract::fixture_texts());
        let (mut yes, mut no) = (0, 0);
        for n in &names {
            let want = is_office_listed(n);
            assert_eq!(is_office(n), want, "{n:?}");
            if want {
                yes += 1;
            } else {
                no += 1;
            }
        }
        assert!(yes > 1_000 && no > 1_000, "{yes} {no}");
    }
}
