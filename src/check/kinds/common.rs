//! Helpers shared by the kinds: how a fact is named and labelled.

use crate::check::Context;
use crate::extract::{Fact, Origin, Value};
use crate::record::keys;

/// The status fact, numbered once (several kinds ask for it per record).
pub static STATUS: std::sync::LazyLock<crate::check::FactName> =
    std::sync::LazyLock::new(|| crate::check::FactName::new(crate::extract::names::STATUS));

/// "the detailed description", "the enrollment field": where a fact was read.
pub fn place(cx: &Context, fact: &Fact) -> String {
    let key = cx
        .record
        .fields
        .get(fact.field)
        .map(|f| f.key.as_ref())
        .unwrap_or("");
    let label = keys::label(key);
    match fact.origin {
        Origin::Field => format!("the {label} field"),
        Origin::Text => format!("the {label}"),
    }
}

/// The value as quoted in a message: the record's own words, plus what they
/// were read as when that differs.
pub fn quoted(fact: &Fact) -> String {
    let q = fact.quote.trim();
    let shown = fact.value.to_string();
    match &fact.value {
        Value::Groups { .. } => format!("\"{q}\" ({shown})"),
        _ if q.is_empty() || q == shown => shown,
        _ => format!("\"{q}\""),
    }
}

/// A number a fact stands for, for numeric comparisons.
pub fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(n) => Some(*n as f64),
        Value::Groups { groups, size } => Some((groups * size) as f64),
        Value::Age(y) => Some(*y),
        _ => None,
    }
}

/// Notes explaining how text facts were read.
pub fn how_notes(facts: &[&Fact]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    facts
        .iter()
        .filter_map(|f| f.how.as_ref())
        .filter(|h| seen.insert(h.as_str()))
        .cloned()
        .collect()
}

/// Values grouped by the place that states them, places and values in the
/// order first met, each value once per place: "the description states 40
/// and 46". (Sets alongside the lists: with thousands of distinct values,
/// looking each up in the list was quadratic.)
#[derive(Default)]
pub struct ByPlace {
    places: Vec<(String, Vec<String>)>,
    seen: std::collections::HashMap<String, (usize, std::collections::HashSet<String>)>,
}

impl ByPlace {
    pub fn add(&mut self, place: String, value: String) {
        match self.seen.get_mut(&place) {
            Some((k, values)) => {
                if values.insert(value.clone()) {
                    self.places[*k].1.push(value);
                }
            }
            None => {
                self.seen.insert(
                    place.clone(),
                    (self.places.len(), std::iter::once(value.clone()).collect()),
                );
                self.places.push((place, vec![value]));
            }
        }
    }

    pub fn into_list(self) -> Vec<(String, Vec<String>)> {
        self.places
    }
}

/// Name of the person or contact a fact belongs to, with where it was
/// listed (each [`shorten`]ed).
pub fn owner_name(cx: &Context, fact: &Fact) -> Option<String> {
    let e = fact.owner?;
    let name = cx
        .record
        .entity_get(e, keys::CONTACT_NAME)
        .map(|f| shorten(f.value()).into_owned());
    let role = cx
        .record
        .entities
        .get(e)
        .and_then(|en| en.role.as_deref())
        .map(|r| shorten(r).into_owned());
    match (name, role) {
        (Some(n), Some(r)) if !n.is_empty() => Some(format!("{n} ({r})")),
        (Some(n), None) if !n.is_empty() => Some(n),
        (_, Some(r)) => Some(format!("an unnamed {r}")),
        _ => None,
    }
}

/// Whether the name of a place takes a plural verb: "the eligibility
/// criteria say", "the conditions are", but "the brief summary says".
pub fn is_plural(place: &str) -> bool {
    let last = place.trim().rsplit(' ').next().unwrap_or("");
    matches!(
        last.to_ascii_lowercase().as_str(),
        "criteria" | "conditions" | "keywords" | "collaborators" | "names"
    )
}

/// The form of a verb that agrees with a place: `verb("the eligibility
/// criteria", "says", "say")` is "say".
pub fn verb<'a>(place: &str, singular: &'a str, plural: &'a str) -> &'a str {
    if is_plural(place) {
        plural
    } else {
        singular
    }
}

/// Record text quoted once per fact (a contact's name, its site) longer
/// than this is cut. A name is a few dozen characters and a site at most
/// 254 on ClinicalTrials.gov; a page of text pasted as the name of a contact
/// with 20,000 phone numbers would otherwise be copied into 20,000 labels
/// (gigabytes of report from a file of a few hundred kilobytes).
pub const MAX_QUOTED: usize = 300;

/// `s` cut to [`MAX_QUOTED`] characters, with "…" when cut.
pub fn shorten(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(MAX_QUOTED) {
        None => s.into(),
        Some((at, _)) => format!("{}…", &s[..at]).into(),
    }
}

/// `s.to_lowercase()`, without a copy when `s` is ASCII with no capital
/// letter (most values compared: addresses, numbers, lower-case words).
pub fn lowercase(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.is_ascii() {
        s.to_lowercase().into()
    } else if s.bytes().any(|b| b.is_ascii_uppercase()) {
        s.to_ascii_lowercase().into()
    } else {
        s.into()
    }
}

/// Join phrases as "a, b and c".
pub fn join_and(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// How a field key is named in messages: its label, or the key itself
/// (dots and underscores as spaces) when it has none ("arm type").
pub fn key_label(key: &str) -> String {
    match keys::label(key) {
        "field" => key.replace(['.', '_'], " "),
        l => l.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_agree_with_places() {
        assert_eq!(verb("the eligibility criteria", "says", "say"), "say");
        assert_eq!(verb("the conditions", "is", "are"), "are");
        assert_eq!(verb("the brief summary", "says", "say"), "says");
        assert_eq!(verb("x exclusion criteria", "says", "say"), "say");
    }
}
