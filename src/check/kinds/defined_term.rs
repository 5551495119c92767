//! `defined-term`: within one entity, the body must speak of what the title
//! names. An outcome titled "... Sexual Quality of Life Questionnaire
//! (SQoL-M)" whose description says "IIEF includes 11 items" describes
//! another outcome's instrument.
//!
//! ```toml
//! kind = "defined-term"
//! [params]
//! title = "outcome.measure"
//! body = "outcome.description"
//! ```
//!
//! Terms are abbreviations defined in parentheses in any title of the record
//! ("International Index of Erectile Function (IIEF)"). Reported when the
//! body names another entity's term (one its own title does not name) and
//! none of its own, the two terms are
//! not one inside the other ("IIEF" / "IIEF-EF", "HDL-C" / "Non-HDL-C"), and
//! the body looks copied from the other entity's body: at least
//! `min_copy_similarity` of their words are shared (Jaccard, 0 turns the
//! test off). Without the copy test most findings are one measure defined
//! through another ("Minimal symptom expression (MSE): MG-ADL of 0 or 1").
//!
//! ```toml
//! min_copy_similarity = 0.5   # optional, default 0.5
//! ```

use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use std::sync::LazyLock;

/// An abbreviation in parentheses: 2-12 characters, at least two capitals.
static DEFINED: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"\(([A-Za-z0-9][A-Za-z0-9\-]{1,11})\)").unwrap()
});

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    title: String,
    body: String,
    #[serde(default = "half")]
    min_copy_similarity: f64,
}

fn half() -> f64 {
    0.5
}

/// Shared words of two texts over all their words (lower-cased).
fn word_similarity(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> std::collections::BTreeSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect()
    };
    let (x, y) = (words(a), words(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

/// One term inside the other ("IIEF" / "IIEF-EF", "PRO" / "PROs").
fn nested(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a.contains(&b) || b.contains(&a)
}

pub struct DefinedTerm {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    Ok(Box::new(DefinedTerm { p: params(table)? }))
}

fn is_abbreviation(s: &str) -> bool {
    s.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2
        && !s.chars().all(|c| c.is_ascii_digit() || c == '-')
}

/// Bodies compared with one body at most: beyond, a term defined by that
/// many other entities is no one entity's instrument. (Real records: a
/// term is defined once or twice.)
const MAX_COMPARED: usize = 256;

/// Up to this many distinct terms in a record, each is searched for in a
/// body; past it, the body's words are gathered and the terms looked up
/// (see [`DefinedTerm::run_with`]).
const FEW_TERMS: usize = 16;

/// Every word of `text` that [`find_word`] could find as a term: a run of
/// 2 to 12 ASCII letters, digits and hyphens, starting a word (no letter or
/// digit before it) and ending one (no letter, digit or hyphen after it).
/// Inside a hyphenated run each part after a hyphen starts a word too.
fn whole_words(text: &str) -> FxHashSet<&str> {
    let b = text.as_bytes();
    let mut out = FxHashSet::default();
    let mut prev: Option<char> = None;
    for (s, c) in text.char_indices() {
        let starts = prev.is_none_or(|p| !p.is_alphanumeric());
        prev = Some(c);
        if !starts || !c.is_ascii_alphanumeric() {
            continue;
        }
        let run = b[s..]
            .iter()
            .take_while(|x| x.is_ascii_alphanumeric() || **x == b'-')
            .take(13)
            .count();
        if !(2..=12).contains(&run) {
            continue;
        }
        let e = s + run;
        if text[e..]
            .chars()
            .next()
            .is_none_or(|n| !n.is_alphanumeric() && n != '-')
        {
            out.insert(&text[s..e]);
        }
    }
    out
}

/// Whole-word occurrences of `term` in `text`.
fn find_word(text: &str, term: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(term) {
        let s = from + i;
        let e = s + term.len();
        let before = text[..s]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = text[e..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '-');
        if before && after {
            return Some(s);
        }
        from = e;
    }
    None
}

impl Kind for DefinedTerm {
    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        self.run_with(cx, out, FEW_TERMS);
    }
}

impl DefinedTerm {
    /// [`Kind::run`], searching each body for the terms one by one up to
    /// `few_terms` distinct terms in the record (a parameter so that tests
    /// can compare the two ways).
    fn run_with(&self, cx: &Context, out: &mut Vec<Draft>, few_terms: usize) {
        // (entity, term, title field index, offset) for every defined term;
        // the term borrowed from its title, not copied
        let mut defined: Vec<(usize, &str, usize, usize)> = Vec::new();
        for (i, f) in cx.record.fields.iter().enumerate() {
            if f.key != self.p.title {
                continue;
            }
            let Some(e) = f.entity else { continue };
            let text = f.text.text.as_str();
            // The term is the match without its parentheses (the pattern's
            // group 1 is all but its first and last byte, each a literal
            // parenthesis), so the matches are found without the slower
            // capturing search; and a title with no "(" has none.
            if memchr::memchr(b'(', text.as_bytes()).is_none() {
                continue;
            }
            for m in DEFINED.find_iter(text) {
                let (start, end) = (m.start() + 1, m.end() - 1);
                let term = &text[start..end];
                if is_abbreviation(term) {
                    defined.push((e, term, i, start));
                }
            }
        }
        // an entity that defines no term is never reported, nor then a
        // record that defines none (most records)
        if defined.is_empty() {
            return;
        }
        // the terms each entity defines, the entries of each term, the
        // titles and the first body of each entity: looked up, not searched
        // for among all fields for each body (cubic in the number of
        // outcomes: a record with 2,000 took seconds, 20,000 never ended)
        let mut own_of: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        let mut by_term: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (k, d) in defined.iter().enumerate() {
            own_of.entry(d.0).or_default().push(k);
            by_term.entry(d.1).or_default().push(k);
        }
        let mut titles_of: FxHashMap<usize, Vec<&str>> = FxHashMap::default();
        let mut body_of: FxHashMap<usize, &str> = FxHashMap::default();
        // only those of the entities that define a term are ever asked
        // for: a list per titled entity (every outcome) was most of this
        // check's allocations
        for g in &cx.record.fields {
            let Some(e) = g.entity else { continue };
            let (title, body) = (g.key == self.p.title, g.key == self.p.body);
            if !(title || body) || !own_of.contains_key(&e) {
                continue;
            }
            if title {
                titles_of.entry(e).or_default().push(g.text.text.as_str());
            }
            if body {
                body_of.entry(e).or_insert(g.text.text.as_str());
            }
        }
        for f in cx.record.fields.iter().filter(|f| f.key == self.p.body) {
            let Some(e) = f.entity else { continue };
            let own: Vec<&(usize, &str, usize, usize)> = own_of
                .get(&e)
                .map(|ks| ks.iter().map(|&k| &defined[k]).collect())
                .unwrap_or_default();
            // an entity with no term of its own is never reported: skip
            // reading its body (most outcomes define none)
            if own.is_empty() {
                continue;
            }
            let body = f.text.text.as_str();
            // A term counts only where `find_word` finds it in the body.
            // With few distinct terms in the record each is searched for in
            // the body; with many, the body's words are gathered once (a set
            // that holds every term `find_word` can find, so the answers are
            // the same) and the terms looked up among them: searching for
            // each of 20,000 terms in each of 20,000 bodies would not end.
            // Gathering the words of every body was most of this check's
            // time, in records that define two or three terms.
            let words = if by_term.len() > few_terms {
                Some(whole_words(body))
            } else {
                None
            };
            let named = |t: &str| match &words {
                Some(w) => w.contains(t) && find_word(body, t).is_some(),
                None => find_word(body, t).is_some(),
            };
            if own.iter().any(|d| named(d.1)) {
                continue;
            }
            let own_titles: &[&str] = titles_of.get(&e).map(Vec::as_slice).unwrap_or(&[]);
            // the first term, in the order defined, that another entity
            // defines, is not one of its own (nor inside one), is not in its
            // own titles, and that the body names; in a body that looks
            // copied from that entity's body (a term the body does not name
            // is passed over below whatever else holds, so only the ones it
            // names are candidates)
            let mut candidates: Vec<usize> = match &words {
                Some(w) => w
                    .iter()
                    .filter_map(|w| by_term.get(w))
                    .flatten()
                    .copied()
                    .collect(),
                None => by_term
                    .iter()
                    .filter(|(t, _)| named(t))
                    .flat_map(|(_, ks)| ks.iter().copied())
                    .collect(),
            };
            candidates.sort_unstable();
            let mut term_at: FxHashMap<&str, Option<usize>> = FxHashMap::default();
            let mut compared = 0;
            let mut found = None;
            for k in candidates {
                let d = &defined[k];
                if d.0 == e {
                    continue;
                }
                let at = *term_at.entry(d.1).or_insert_with(|| {
                    if own.iter().any(|o| o.1 == d.1 || nested(o.1, d.1))
                        || own_titles.iter().any(|t| find_word(t, d.1).is_some())
                    {
                        return None;
                    }
                    find_word(body, d.1)
                });
                let Some(at) = at else { continue };
                if self.p.min_copy_similarity > 0.0 {
                    if compared == MAX_COMPARED {
                        break;
                    }
                    compared += 1;
                    if !body_of
                        .get(&d.0)
                        .is_some_and(|b| word_similarity(b, body) >= self.p.min_copy_similarity)
                    {
                        continue;
                    }
                }
                found = Some((d, at));
                break;
            }
            let Some((other, at)) = found else {
                continue;
            };
            let own_term = &own[0];
            let own_field = &cx.record.fields[own_term.2];
            let other_field = &cx.record.fields[other.2];
            out.push(
                Draft {
                    message: format!("an outcome titled with \"{}\" is described in terms of \"{}\", the instrument of another outcome", own_term.1, other.1),
                    labels: vec![
                        Label::primary(f.text.span(at, at + other.1.len()), format!("\"{}\" here", other.1)),
                        Label::secondary(own_field.text.span(own_term.3, own_term.3 + own_term.1.len()), "this outcome's instrument"),
                        Label::secondary(other_field.text.span(other.3, other.3 + other.1.len()), format!("\"{}\" is defined for this outcome", other.1)),
                    ],
                    notes: vec!["the description was probably copied from another outcome and not edited".into()],
                    ..Draft::default()
                }
                .var("title_term", own_term.1)
                .var("body_term", other.1),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{keys, EntityKind, Record};
    use crate::span::Text;

    /// The terms searched for one by one in each body and looked up among
    /// the body's words give the same findings, on records of outcomes
    /// made of a few terms, their near misses and shared words.
    #[test]
    fn searching_for_the_terms_finds_what_looking_them_up_finds() {
        const TITLES: &[&str] = &[
            "Index of Erectile Function (IIEF)",
            "Erectile function domain (IIEF-EF)",
            "Sexual quality of life (SQoL-M)",
            "Cholesterol (HDL-C)",
            "Other cholesterol (Non-HDL-C)",
            "Pain",
            "Score (AB)",
            "(x1) (EF)",
        ];
        const BODIES: &[&str] = &[
            "IIEF includes 15 items scored 1 to 5",
            "IIEF-EF includes 6 items scored 1 to 5",
            "SQoL-M includes 18 items",
            "measured as HDL-C in mg/dL",
            "Non-HDL-C in mg/dL",
            "items scored 1 to 5 (AB) EF",
            "xIIEF and EFx are not terms",
            "",
        ];
        let cx_as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let kind = DefinedTerm {
            p: Params {
                title: keys::OUTCOME_MEASURE.into(),
                body: keys::OUTCOME_DESCRIPTION.into(),
                min_copy_similarity: 0.3,
            },
        };
        let mut x: u64 = 7;
        let mut next = |m: usize| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            (x >> 33) as usize % m
        };
        let mut found = 0;
        for _ in 0..3_000 {
            let mut r = Record::new("test");
            let mut at = 0;
            for _ in 0..1 + next(6) {
                let e = r.add_entity(EntityKind::PrimaryOutcome, None, None);
                for (key, list) in [
                    (keys::OUTCOME_MEASURE, TITLES),
                    (keys::OUTCOME_DESCRIPTION, BODIES),
                ] {
                    let text = list[next(list.len())];
                    r.push_in(e, key, Text::verbatim(text, at));
                    at += text.len() + 1;
                }
            }
            let cx = Context::new(&r, &[], cx_as_of);
            let (mut searched, mut looked_up) = (Vec::new(), Vec::new());
            kind.run_with(&cx, &mut searched, usize::MAX);
            kind.run_with(&cx, &mut looked_up, 0);
            assert_eq!(searched, looked_up);
            found += searched.len();
        }
        assert!(found > 20, "{found} findings");
    }

    /// Every term (2 to 12 characters) `find_word` finds is among the
    /// body's whole words.
    #[test]
    fn whole_words_hold_every_term_found() {
        const PIECES: &[&str] = &[
            "IIEF",
            "IIEF-EF",
            "EF",
            "-",
            " ",
            "(",
            ")",
            "é",
            "x",
            "HDL-C",
            "Non-HDL-C",
            "A-A",
            "1",
            "SQoL-M",
            ".",
            "ABCDEFGHIJKL",
            "M",
            "é-",
            "日本",
        ];
        let terms = [
            "IIEF",
            "IIEF-EF",
            "EF",
            "HDL-C",
            "Non-HDL-C",
            "A-A",
            "SQoL-M",
            "ABCDEFGHIJKL",
            "EFx",
            "xIIEF",
            "A-A-A",
            "IIEF-",
            "HDL",
        ];
        let mut x: u64 = 3;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..8 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                text.push_str(PIECES[(x >> 33) as usize % PIECES.len()]);
            }
            let words = whole_words(&text);
            for t in terms {
                if find_word(&text, t).is_some() {
                    assert!(words.contains(t), "{t:?} in {text:?}: {words:?}");
                }
            }
        }
    }
}
