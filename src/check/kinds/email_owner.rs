//! `email-owner`: an e-mail address whose local part names another person
//! listed in the record, and not the person it is listed for
//! ("Nguyen T Liem ... v.phuongnh9@vinmec.com" while "Phuong Nguyen" is
//! another contact).
//!
//! The local part must be made entirely of the other person's name: every
//! letter run of two letters or more is their name parts and initials run
//! together, plus at most one letter at the end ("phuongnh" = Phuong +
//! N(guyen) + one more initial, "weiweixia" = Weiwei + Xia), with at least
//! one whole name part of `min_name_length` letters and two pieces in all. A
//! first name alone ("virginia@...", "jennifer.sexton" and Jennifer G.
//! Michlitsch) or a word that starts like a name ("clinical.trials" and
//! Maria Tria) is not enough, nor a name that may be the owner's own written
//! differently ("Juan Carlos" / "Juan C Ramos").
//! Contacts named as a role or an office ("Site Public Contact", "Clinical
//! Trials Office") are not people and are skipped.
//!
//! ```toml
//! kind = "email-owner"
//! [params]
//! facts = ["contact.email"]
//! min_name_length = 4     # shorter name parts are too common to be evidence
//! ```

use super::common::{lowercase, owner_name, shorten};
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::extract::contacts::same_person;
use crate::record::EntityFields;
use crate::record::{keys, EntityKind};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::cell::OnceCell;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    facts: Vec<FactName>,
    #[serde(default = "four")]
    min_name_length: usize,
}

fn four() -> usize {
    4
}

pub struct EmailOwner {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    Ok(Box::new(EmailOwner { p: params(table)? }))
}

/// Every listed person of a record, (entity, name) in entity order, and
/// each one's name read, on first need ([`EmailOwner`]'s `run`).
type People<'a> = (Vec<(usize, &'a str)>, Vec<OnceCell<Listed>>);

/// A title or degree written with a name (lower case). A `match`, not a
/// list searched in turn: every part of every contact's name is tested.
fn is_title(t: &str) -> bool {
    matches!(
        t,
        "dr" | "prof"
            | "md"
            | "phd"
            | "msc"
            | "mph"
            | "doctor"
            | "professor"
            | "mr"
            | "mrs"
            | "ms"
            | "rn"
            | "bsc"
            | "mm"
            | "mbbs"
            | "frcp"
            | "facp"
            | "pharmd"
            | "do"
    )
}

/// The lower-case letter tokens of a person's name, without titles and
/// degrees, kept in one string. A `String` per token and a vector of them
/// were four or five allocations a name, and `str::to_lowercase` on every
/// token most of the instructions (`Listed::new` about 2,000 a name, 7,200
/// a record; a token's ASCII letters are now lower-cased as they are
/// copied).
#[derive(Debug, Default)]
struct NameParts {
    /// The tokens one after another.
    lower: String,
    /// Where each token ends in `lower` (each starts where the one before
    /// ends); a name rarely has more than six.
    ends: smallvec::SmallVec<[usize; 6]>,
}

impl NameParts {
    /// The tokens of `name`: those of what precedes its first comma, cut at
    /// every character that is not alphabetic, lower-cased, the empty ones
    /// and titles left out.
    fn of(name: &str) -> NameParts {
        let head = name.split(',').next().unwrap_or(name);
        let mut parts = NameParts {
            lower: String::with_capacity(head.len()),
            ends: smallvec::SmallVec::new(),
        };
        for token in head.split(|c: char| !c.is_alphabetic()) {
            let start = parts.lower.len();
            if token.is_ascii() {
                parts.lower.push_str(token);
                parts.lower[start..].make_ascii_lowercase();
            } else {
                parts.lower.push_str(&token.to_lowercase());
            }
            let lower = &parts.lower[start..];
            if lower.is_empty() || is_title(lower) {
                parts.lower.truncate(start);
            } else {
                parts.ends.push(parts.lower.len());
            }
        }
        parts
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The tokens in name order.
    fn iter(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| &self.lower[start..end])
    }
}

/// A word of a role, an office or an organisation (lower case).
fn is_office_word(w: &str) -> bool {
    matches!(
        w,
        "contact"
            | "public"
            | "office"
            | "department"
            | "dept"
            | "center"
            | "centre"
            | "clinical"
            | "clinic"
            | "trial"
            | "trials"
            | "research"
            | "study"
            | "team"
            | "unit"
            | "hospital"
            | "institute"
            | "university"
            | "registry"
            | "inc"
            | "ltd"
            | "llc"
            | "gmbh"
            | "transparency"
            | "operations"
            | "information"
            | "desk"
            | "line"
            | "program"
            | "programme"
            | "group"
            | "coordinator"
            | "recruitment"
            | "services"
            | "medical"
            | "sponsor"
            | "pharmaceuticals"
            | "pharma"
            | "nordisk"
            | "call"
            | "general"
            | "investigator"
            | "site"
    )
}

/// A contact "name" that is a role, an office or an organisation.
///
/// Each word is lower-cased on the stack: a `String` per word of every
/// contact's name was a tenth of the check's allocations. An ASCII word
/// longer than the buffer is longer than every office word; a non-ASCII
/// word is lower-cased as [`lowercase`] does (the Kelvin sign lower-cases
/// to an ASCII "k").
fn not_a_person(name: &str) -> bool {
    name.split(|c: char| !c.is_alphabetic()).any(|w| {
        if !w.is_ascii() {
            return is_office_word(&lowercase(w));
        }
        let mut buf = [0u8; 16];
        let Some(b) = buf.get_mut(..w.len()) else {
            return false;
        };
        b.copy_from_slice(w.as_bytes());
        b.make_ascii_lowercase();
        std::str::from_utf8(b).is_ok_and(is_office_word)
    })
}

/// How `token` is spelled from the name `parts` and their initials run
/// together (one more letter may end it): the most pieces used, if it can
/// be spelled with at least one whole part of `min_len` letters or more.
fn spelled_from(token: &str, parts: &NameParts, min_len: usize) -> Option<usize> {
    // Byte offsets on char boundaries; no allocation per part: called for
    // every pair of e-mail address and person of a record.
    let first = token.chars().next()?;
    if !parts.iter().any(|p| p.starts_with(first)) {
        return None;
    }
    // reach[i] = (has a whole part, pieces) for the best spelling of token[..i]
    let mut reach: Vec<Option<(bool, usize)>> = vec![None; token.len() + 1];
    reach[0] = Some((false, 0));
    let better = |old: Option<(bool, usize)>, new: (bool, usize)| match old {
        Some(o) if (o.0, o.1) >= (new.0, new.1) => Some(o),
        _ => Some(new),
    };
    for (i, c) in token.char_indices() {
        let Some((full, n)) = reach[i] else { continue };
        let rest = &token[i..];
        for p in parts.iter() {
            let Some(pc) = p.chars().next() else { continue };
            if rest.starts_with(p) {
                let j = i + p.len();
                reach[j] = better(reach[j], (full || p.chars().count() >= min_len, n + 1));
            }
            if c == pc {
                let j = i + c.len_utf8();
                reach[j] = better(reach[j], (full, n + 1));
            }
        }
    }
    // one letter at the end may be the initial of a name not listed
    // ("phuongnh": Phuong + N(guyen) + H)
    let last = token.char_indices().next_back().map_or(0, |(k, _)| k);
    [last, token.len()]
        .into_iter()
        .filter_map(|k| reach[k])
        .filter(|(full, _)| *full)
        .map(|(_, n)| n)
        .max()
}

/// `a` and `b` may name one person ("Juan Carlos" / "Juan C Ramos"): every
/// part of the shorter is a part or an initial of the longer.
fn compatible_names(a: &NameParts, b: &NameParts) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty()
        && short.iter().all(|s| {
            long.iter().any(|l| {
                l == s
                    || (l.chars().count() == 1 && s.starts_with(l))
                    || (s.chars().count() == 1 && l.starts_with(s))
            })
        })
}

/// An e-mail's local part in ASCII lower case, whose letter runs
/// [`letter_runs`] reads (one copy per address, not one per run).
fn local_part(email: &str) -> String {
    email.split('@').next().unwrap_or("").to_ascii_lowercase()
}

/// Letter runs of a local part.
fn letter_runs(local: &str) -> Vec<&str> {
    local
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|t| !t.is_empty())
        .collect()
}

/// A listed contact's name, read once.
struct Listed {
    tokens: NameParts,
    /// A person (not a role or an office), whose name has at most
    /// [`Listed::MAX_TOKENS`] parts.
    person: bool,
}

impl Listed {
    /// More name parts than this: text pasted as a name, not a person's
    /// name (and spelling addresses from it would take time quadratic in
    /// its length).
    const MAX_TOKENS: usize = 64;

    fn new(name: &str) -> Listed {
        let tokens = NameParts::of(name);
        let person = tokens.len() <= Self::MAX_TOKENS && !not_a_person(name);
        Listed { tokens, person }
    }
}

/// The listed people by the whole name parts a local part must contain for
/// their name to spell it (a part of `min_name_length` letters or more), so
/// that each address is tried only on the people whose parts it contains,
/// not on everyone (20,000 contacts with an address each: 400 million
/// tries).
///
/// The parts are looked up by hash, each substring of a letter run with the
/// length of some part: local parts are short, and building an automaton of
/// the parts for every record cost more than all the look-ups.
struct Others<'a> {
    /// Every listed person, as in the record's list.
    listed: Vec<&'a Listed>,
    /// Each part (lower-case ASCII) → its index in `people`.
    ids: FxHashMap<&'a str, usize>,
    /// The lengths of the parts, each once.
    lengths: Vec<usize>,
    /// For each part: the people with it, in the order listed.
    people: Vec<Vec<usize>>,
}

impl<'a> Others<'a> {
    /// Tried per address at most: an address that holds the name parts of
    /// more people than this names no one in particular. (Real records: a
    /// handful at most.)
    const MAX_TRIED: usize = 64;

    fn new(people: Vec<&'a Listed>, min_name_length: usize) -> Others<'a> {
        let mut ids: FxHashMap<&str, usize> = FxHashMap::default();
        let mut with: Vec<Vec<usize>> = Vec::new();
        for (k, p) in people.iter().enumerate().filter(|(_, p)| p.person) {
            for t in p.tokens.iter() {
                // local parts are ASCII letters: other parts never occur in them
                if t.chars().count() < min_name_length.max(1) || !t.is_ascii() {
                    continue;
                }
                let id = *ids.entry(t).or_insert_with(|| {
                    with.push(Vec::new());
                    with.len() - 1
                });
                if with[id].last() != Some(&k) {
                    with[id].push(k);
                }
            }
        }
        let mut lengths: Vec<usize> = ids.keys().map(|t| t.len()).collect();
        lengths.sort_unstable();
        lengths.dedup();
        Others {
            listed: people,
            ids,
            lengths,
            people: with,
        }
    }

    /// The people (indices into the list, in order) one of whose parts the
    /// letter runs of a local part contain: the only ones whose name can
    /// spell it with a whole part, as a finding needs. At most
    /// [`Others::MAX_TRIED`], the first listed.
    fn candidates(&self, local: &[&str]) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for t in local.iter().filter(|t| t.len() >= 2) {
            // every occurrence of every part: each substring of a part's
            // length (the runs are ASCII, so any byte range is a substring)
            for &len in self.lengths.iter().take_while(|&&len| len <= t.len()) {
                for start in 0..=t.len() - len {
                    if let Some(&id) = self.ids.get(&t[start..start + len]) {
                        out.extend(self.people[id].iter().take(Self::MAX_TRIED));
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out.truncate(Self::MAX_TRIED);
        out
    }
}

impl Kind for EmailOwner {
    fn reads(&self) -> Vec<String> {
        self.p.facts.iter().map(|n| n.to_string()).collect()
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        // Built on first need, each once per record: the listed people, each
        // person's name read ([`Listed`]), and the index of their parts.
        // Most records list no address, and most addresses hold their own
        // contact's name, which needs only that contact read; building all
        // three for every record was 30 allocations a record and 5% of the
        // checks' instructions.
        // the contacts' names, read once when the first address comes
        let names: OnceCell<EntityFields> = OnceCell::new();
        let names = || names.get_or_init(|| EntityFields::new(cx.record, keys::CONTACT_NAME));
        let all: OnceCell<People> = OnceCell::new();
        let all = || {
            all.get_or_init(|| {
                // every listed person: (entity, name), in entity order
                let people: Vec<(usize, &str)> = cx
                    .record
                    .entities
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.kind == EntityKind::Contact)
                    .filter_map(|(i, _)| names().get(i).map(|f| (i, f.value())))
                    .filter(|(_, n)| !n.is_empty())
                    .collect();
                let listed = people.iter().map(|_| OnceCell::new()).collect();
                (people, listed)
            })
        };
        let others: OnceCell<Others> = OnceCell::new();
        // owners that are not among the people above (not a contact, or
        // with an empty name), read once each
        let mut strangers: FxHashMap<usize, Listed> = FxHashMap::default();
        for name in &self.p.facts {
            for f in cx.facts(name) {
                let Some(owner) = f.owner else { continue };
                let Some(owner_name_text) = names().get(owner).map(|n| n.value()) else {
                    continue;
                };
                let (people, listed) = all();
                // the person's own entry when listed: the same name read
                // the same way (`people` is in entity order)
                let me = match people.binary_search_by_key(&owner, |(e, _)| *e) {
                    Ok(k) => listed[k].get_or_init(|| Listed::new(people[k].1)),
                    Err(_) => strangers
                        .entry(owner)
                        .or_insert_with(|| Listed::new(owner_name_text)),
                };
                let own = &me.tokens;
                let local = local_part(&f.quote);
                let local = letter_runs(&local);
                // the address must not be the owner's own
                let mentions = |tokens: &NameParts, t: &str| {
                    tokens
                        .iter()
                        .any(|n| n.len() >= 2 && (t.starts_with(n) || t.ends_with(n)))
                };
                if own.is_empty() || local.iter().any(|t| mentions(own, t)) {
                    continue;
                }
                if !me.person {
                    continue;
                }
                let others = others.get_or_init(|| {
                    let every = people
                        .iter()
                        .zip(listed)
                        .map(|((_, n), l)| l.get_or_init(|| Listed::new(n)))
                        .collect();
                    Others::new(every, self.p.min_name_length)
                });
                for k in others.candidates(&local) {
                    let (other, other_name) = &people[k];
                    if *other == owner
                        || !others.listed[k].person
                        || same_person(other_name, owner_name_text)
                    {
                        continue;
                    }
                    let theirs = &others.listed[k].tokens;
                    if compatible_names(own, theirs) {
                        continue;
                    }
                    // every run of two letters or more spelled from their
                    // name, with two pieces at least (a first name alone is
                    // too common: "virginia@..." and Virginia G. Kaklamani)
                    let long: Vec<&str> = local.iter().copied().filter(|t| t.len() >= 2).collect();
                    let spelled: Vec<Option<usize>> = long
                        .iter()
                        .map(|t| {
                            spelled_from(t, theirs, 1).map(|n| {
                                n.max(spelled_from(t, theirs, self.p.min_name_length).unwrap_or(0))
                            })
                        })
                        .collect();
                    let pieces: usize = spelled.iter().map(|n| n.unwrap_or(0)).sum();
                    if long.is_empty() || spelled.iter().any(|n| n.is_none()) || pieces < 2 {
                        continue;
                    }
                    let Some(hit) = long
                        .iter()
                        .find(|t| spelled_from(t, theirs, self.p.min_name_length).is_some())
                        .map(|t| t.to_string())
                    else {
                        continue;
                    };
                    let matched = theirs
                        .iter()
                        .filter(|n| n.chars().count() >= self.p.min_name_length && hit.contains(*n))
                        .max_by_key(|n| n.len())
                        .map(str::to_string)
                        .unwrap_or_default();
                    let mut labels = vec![Label::primary(
                        f.span,
                        format!(
                            "listed for {}",
                            owner_name(cx, f)
                                .unwrap_or_else(|| shorten(owner_name_text).into_owned())
                        ),
                    )];
                    if let Some(n) = names().get(*other) {
                        labels.push(Label::secondary(
                            n.span(),
                            format!("\"{matched}\" is this person's name"),
                        ));
                    }
                    if let Some(n) = names().get(owner) {
                        labels.push(Label::secondary(n.span(), "the person it is listed for"));
                    }
                    out.push(
                        Draft {
                            message: format!(
                                "the e-mail address {} is listed for {}, but its name part \"{}\" names {}",
                                f.quote.trim(),
                                shorten(owner_name_text),
                                hit,
                                shorten(other_name)
                            ),
                            labels,
                            ..Draft::default()
                        }
                        .var("email", f.quote.trim())
                        .var("owner", shorten(owner_name_text))
                        .var("other", shorten(other_name)),
                    );
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens as they were read before [`NameParts`]: a lower-cased
    /// `String` per token, titles left out.
    fn name_tokens(name: &str) -> Vec<String> {
        let head = name.split(',').next().unwrap_or(name);
        head.split(|c: char| !c.is_alphabetic())
            .map(|t| t.to_lowercase())
            .filter(|t| !t.is_empty() && !is_title(t))
            .collect()
    }

    /// [`NameParts::of`] reads the tokens [`name_tokens`] reads, on
    /// generated names (capitals, titles, degrees, commas, initials,
    /// non-ASCII letters whose lower case is longer or depends on the
    /// letters around them) and on every line of the fixtures.
    #[test]
    fn name_parts_are_the_tokens_read_one_by_one() {
        let pieces = [
            "Maria",
            "R.",
            " ",
            "TRIA",
            "Tirona",
            ", MD",
            ",",
            "Dr",
            "dr.",
            "PhD",
            "Ph.D.",
            "-",
            "O'Brien",
            "Ünal",
            "ÉLODIE",
            "İlker",
            "ΟΔΥΣΣΕΑΣ",
            "ß",
            "Σ",
            "x",
            "42",
            "\t",
            "Mc",
            "Do",
            "MSc",
            "  ",
        ];
        let mut names = crate::extract::random_texts(&pieces, 20_000, 9, 0xe3a1);
        for text in crate::extract::fixture_texts() {
            names.extend(text.lines().take(2_000).map(str::to_string));
        }
        let mut compared = 0;
        for name in &names {
            let parts = NameParts::of(name);
            let tokens = name_tokens(name);
            assert_eq!(parts.iter().collect::<Vec<_>>(), tokens, "{name:?}");
            assert_eq!(parts.len(), tokens.len());
            assert_eq!(parts.is_empty(), tokens.is_empty());
            compared += usize::from(!tokens.is_empty());
        }
        assert!(compared > 10_000, "{compared} names with a token");
    }

    #[test]
    fn local_parts_spelled_from_a_name() {
        let phuong = NameParts::of("Phuong Nguyen, MSC");
        assert_eq!(spelled_from("phuongnh", &phuong, 4), Some(2));
        let xia = NameParts::of("Weiwei Xia, Ph.D.");
        assert_eq!(spelled_from("weiweixia", &xia, 4), Some(2));
        let tria = NameParts::of("Maria R. Tria Tirona");
        assert_eq!(spelled_from("trials", &tria, 4), None);
        let jennifer = NameParts::of("Jennifer G. Michlitsch");
        assert_eq!(spelled_from("jennifer", &jennifer, 4), Some(1));
        assert_eq!(spelled_from("sexton", &jennifer, 1), None);
        assert!(compatible_names(
            &NameParts::of("Juan Carlos, MD"),
            &NameParts::of("Juan C Ramos, MD")
        ));
        assert!(not_a_person("Site Public Contact"));
        assert!(!not_a_person("Nguyen T Liem, Prof"));
    }
}
