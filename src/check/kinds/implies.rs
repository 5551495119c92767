//! `implies`: if one thing holds in a record, another must (or must not).
//! Status "Recruiting" implies no actual primary completion date; a brief
//! summary that mentions a placebo implies a placebo-comparator arm.
//!
//! ```toml
//! kind = "implies"
//! message = "the {if_place} mentions \"{if}\", but no arm is a placebo comparator"
//! [params]
//! if = { field = "brief_summary", matches = "(?i)placebo" }
//! then = { field = "arm.type", matches = "(?i)placebo" }        # must hold
//! # then_not = { fact = "date.primary-completion", status = "actual" }   # must not hold
//! # unless = { field = "masking", equals = "None (Open Label)" } # skip the record
//! ```
//!
//! A condition is a table with a target and, optionally, a test:
//!
//! - `field = KEY` (a record key, or "prose" / "all"): holds if a field with
//!   that key is present and not empty; with `matches = REGEX`, if a
//!   field's text matches (the match is the witness); with `equals = TEXT`,
//!   if a field's trimmed value equals TEXT, ignoring case.
//! - `fact = NAME`: holds if the record has such a fact; `status =
//!   "actual" | "estimated" | "unspecified"` narrows date facts; `matches`
//!   and `equals` test the fact's value as displayed (or its quote).
//!
//! `if`, `then` and `then_not` also take a list of conditions: `if` and
//! `then` hold when ALL of theirs hold; `then_not` fails when ANY holds;
//! `unless` skips the record when ANY of its conditions holds.

use super::common::{key_label, verb};
use super::pattern::regex_param;
use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use crate::extract::user::expand_fields;
use crate::extract::{DateStatus, Value};
use crate::span::Span;
use regex::Regex;
use serde::Deserialize;

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawCond {
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    fact: Option<String>,
    #[serde(default)]
    matches: Option<String>,
    #[serde(default)]
    equals: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

/// One condition or a list of them.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
pub enum RawConds {
    One(RawCond),
    Many(Vec<RawCond>),
}

impl RawConds {
    fn list(&self) -> Vec<RawCond> {
        match self {
            RawConds::One(c) => vec![c.clone()],
            RawConds::Many(v) => v.clone(),
        }
    }
}

enum Target {
    /// Field keys (empty: every field) and how the condition was written.
    Field(Vec<String>, String),
    Fact(crate::check::FactName),
}

enum Test {
    Present,
    Matches(Regex),
    Equals(String),
}

/// A built condition.
pub struct Cond {
    target: Target,
    test: Test,
    status: Option<DateStatus>,
}

/// Where a condition held: the span and the text there.
#[derive(Clone, Debug)]
pub struct Witness {
    pub span: Span,
    pub text: String,
    /// What the text is ("brief summary", "arm type", "date.start").
    pub place: String,
}

impl Cond {
    pub fn build(raw: &RawCond, what: &str) -> Result<Cond, BuildError> {
        let target = match (&raw.field, &raw.fact) {
            (Some(f), None) => {
                let keys = expand_fields(std::slice::from_ref(f)).map_err(|bad| {
                    BuildError::Params(format!(
                        "unknown field key `{bad}` in `{what}` (a record key such as `status` or `arm.type`, or \"prose\" / \"all\")"
                    ))
                })?;
                Target::Field(keys, f.clone())
            }
            (None, Some(f)) => Target::Fact(crate::check::FactName::new(f)),
            _ => {
                return Err(BuildError::Params(format!(
                    "`{what}` needs exactly one of `field` or `fact`"
                )))
            }
        };
        let test = match (&raw.matches, &raw.equals) {
            (Some(_), Some(_)) => {
                return Err(BuildError::Params(format!(
                    "`{what}` takes `matches` or `equals`, not both"
                )))
            }
            (Some(re), None) => Test::Matches(regex_param(&format!("{what}.matches"), re)?),
            (None, Some(v)) => Test::Equals(v.trim().to_string()),
            (None, None) => Test::Present,
        };
        let status = match raw.status.as_deref() {
            None => None,
            Some(s) if matches!(target, Target::Field(..)) => {
                return Err(BuildError::Params(format!(
                    "`{what}.status` ({s:?}) applies to a `fact`, not a `field`"
                )))
            }
            Some("actual") => Some(DateStatus::Actual),
            Some("estimated") => Some(DateStatus::Estimated),
            Some("unspecified") => Some(DateStatus::Unspecified),
            Some(s) => {
                return Err(BuildError::Params(format!(
                "`{what}.status` must be \"actual\", \"estimated\" or \"unspecified\", not `{s}`"
            )))
            }
        };
        Ok(Cond {
            target,
            test,
            status,
        })
    }

    /// The fact this condition reads, if any.
    pub fn fact(&self) -> Option<&str> {
        match &self.target {
            Target::Fact(f) => Some(f),
            Target::Field(..) => None,
        }
    }

    /// Whether the condition holds anywhere: exactly whether
    /// [`Cond::witnesses`] would list a place, without building the list
    /// (each witness copies its text and names its place). Most records
    /// make no finding, and every `implies` check asked for its witnesses
    /// first: 19 allocations a record.
    pub fn holds(&self, cx: &Context) -> bool {
        match &self.target {
            Target::Field(keys, _) => cx.record.fields.iter().any(|f| {
                (keys.is_empty() || keys.iter().any(|k| *k == f.key))
                    && match &self.test {
                        Test::Present => !f.value().is_empty(),
                        Test::Equals(v) => f.value().eq_ignore_ascii_case(v),
                        // `find` finds a match exactly when there is one
                        Test::Matches(re) => re.is_match(&f.text.text),
                    }
            }),
            Target::Fact(name) => cx.facts(name).iter().any(|f| {
                if let Some(st) = self.status {
                    match &f.value {
                        Value::Date(d) if d.status == st => {}
                        _ => return false,
                    }
                }
                match &self.test {
                    Test::Present => true,
                    Test::Equals(v) => {
                        shown(&f.value).eq_ignore_ascii_case(v)
                            || f.quote.trim().eq_ignore_ascii_case(v)
                    }
                    Test::Matches(re) => re.is_match(&shown(&f.value)) || re.is_match(&f.quote),
                }
            }),
        }
    }

    /// Every place the condition holds, in source order.
    pub fn witnesses(&self, cx: &Context) -> Vec<Witness> {
        let mut out = Vec::new();
        match &self.target {
            Target::Field(keys, _) => {
                for f in &cx.record.fields {
                    if !keys.is_empty() && !keys.iter().any(|k| *k == f.key) {
                        continue;
                    }
                    let place = key_label(&f.key);
                    match &self.test {
                        Test::Present => {
                            if !f.value().is_empty() {
                                out.push(Witness {
                                    span: f.text.trimmed_view().whole_span(),
                                    text: f.value().to_string(),
                                    place,
                                });
                            }
                        }
                        Test::Equals(v) => {
                            if f.value().eq_ignore_ascii_case(v) {
                                out.push(Witness {
                                    span: f.text.trimmed_view().whole_span(),
                                    text: f.value().to_string(),
                                    place,
                                });
                            }
                        }
                        Test::Matches(re) => {
                            if let Some(m) = re.find(&f.text.text) {
                                out.push(Witness {
                                    span: f.text.span(m.start(), m.end()),
                                    text: m.as_str().to_string(),
                                    place,
                                });
                            }
                        }
                    }
                }
            }
            Target::Fact(name) => {
                for f in cx.facts(name) {
                    if let Some(st) = self.status {
                        match &f.value {
                            Value::Date(d) if d.status == st => {}
                            _ => continue,
                        }
                    }
                    let shown = shown(&f.value);
                    let ok = match &self.test {
                        Test::Present => true,
                        Test::Equals(v) => {
                            shown.eq_ignore_ascii_case(v) || f.quote.trim().eq_ignore_ascii_case(v)
                        }
                        Test::Matches(re) => re.is_match(&shown) || re.is_match(&f.quote),
                    };
                    if ok {
                        out.push(Witness {
                            span: f.span,
                            text: f.quote.trim().to_string(),
                            place: cx
                                .record
                                .fields
                                .get(f.field)
                                .map(|fl| key_label(&fl.key))
                                .unwrap_or_else(|| name.to_string()),
                        });
                    }
                }
            }
        }
        out.sort_by_key(|w| (w.span.start, w.span.end));
        out
    }

    /// "a arm type matching /(?i)placebo/", for messages.
    pub fn describe(&self) -> String {
        let target = match &self.target {
            Target::Field(_, k) => key_label(k),
            Target::Fact(f) => format!("`{f}` fact"),
        };
        let status = match self.status {
            Some(DateStatus::Actual) => " (actual)",
            Some(DateStatus::Estimated) => " (estimated)",
            Some(DateStatus::Unspecified) => " (unspecified)",
            None => "",
        };
        match &self.test {
            Test::Present => format!("{target}{status}"),
            Test::Equals(v) => format!("{target}{status} equal to \"{v}\""),
            Test::Matches(re) => format!("{target}{status} matching /{}/", re.as_str()),
        }
    }

    /// Field keys this condition looks at, for labelling what is there instead.
    fn field_keys(&self) -> Option<&[String]> {
        match &self.target {
            Target::Field(k, _) => Some(k),
            Target::Fact(_) => None,
        }
    }
}

/// A fact's value as displayed: the text itself for text values (what
/// their `Display` writes), without a copy.
fn shown(v: &Value) -> std::borrow::Cow<'_, str> {
    match v {
        Value::Str(s) | Value::Term(s) => s.as_str().into(),
        _ => v.to_string().into(),
    }
}

/// Build a list of conditions.
pub fn conds(raw: &RawConds, what: &str) -> Result<Vec<Cond>, BuildError> {
    let list = raw.list();
    if list.is_empty() {
        return Err(BuildError::Params(format!(
            "`{what}` must hold at least one condition"
        )));
    }
    list.iter().map(|c| Cond::build(c, what)).collect()
}

/// "the overall status says \"Recruiting\"", or "the contact name is
/// empty" for a witness with no text (a field that is there but empty).
fn says(w: &Witness) -> String {
    if w.text.trim().is_empty() {
        format!("the {} {} empty", w.place, verb(&w.place, "is", "are"))
    } else {
        format!(
            "the {} {} \"{}\"",
            w.place,
            verb(&w.place, "says", "say"),
            w.text
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(rename = "if")]
    if_: RawConds,
    #[serde(default)]
    then: Option<RawConds>,
    #[serde(default)]
    then_not: Option<RawConds>,
    #[serde(default)]
    unless: Option<RawConds>,
    /// Secondary labels shown at most.
    #[serde(default = "four")]
    max_labels: usize,
}

fn four() -> usize {
    4
}

pub struct Implies {
    if_: Vec<Cond>,
    then: Vec<Cond>,
    then_not: Vec<Cond>,
    unless: Vec<Cond>,
    max_labels: usize,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    if p.then.is_none() && p.then_not.is_none() {
        return Err(BuildError::Params(
            "give `then` (what must hold) or `then_not` (what must not hold)".into(),
        ));
    }
    Ok(Box::new(Implies {
        if_: conds(&p.if_, "if")?,
        then: match &p.then {
            Some(t) => conds(t, "then")?,
            None => Vec::new(),
        },
        then_not: match &p.then_not {
            Some(t) => conds(t, "then_not")?,
            None => Vec::new(),
        },
        unless: match &p.unless {
            Some(t) => conds(t, "unless")?,
            None => Vec::new(),
        },
        max_labels: p.max_labels,
    }))
}

impl Kind for Implies {
    fn reads(&self) -> Vec<String> {
        self.if_
            .iter()
            .chain(&self.then)
            .chain(&self.then_not)
            .chain(&self.unless)
            .filter_map(|c| c.fact().map(str::to_string))
            .collect()
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        // Whether there is a finding is decided first, from whether each
        // condition holds; the witnesses, their text and the messages are
        // built only for a finding. (Each is a pure function of the
        // record, so the order they are asked in changes nothing.)
        if !self.if_.iter().all(|c| c.holds(cx)) || self.unless.iter().any(|c| c.holds(cx)) {
            return;
        }
        // `then`: every condition must hold.
        let failed: Vec<&Cond> = self.then.iter().filter(|c| !c.holds(cx)).collect();
        // `then_not`: no condition may hold.
        if failed.is_empty() && !self.then_not.iter().any(|c| c.holds(cx)) {
            return;
        }
        // Every `if` condition holds; the first witness of the first
        // condition is where the finding points.
        let if_witnesses: Vec<Witness> = self
            .if_
            .iter()
            .map(|c| c.witnesses(cx).swap_remove(0))
            .collect();
        let first = &if_witnesses[0];
        let mut labels = vec![Label::primary(first.span, says(first))];
        for w in &if_witnesses[1..] {
            labels.push(Label::secondary(w.span, says(w)));
        }
        let if_desc = if_witnesses.iter().map(says).collect::<Vec<_>>();
        let if_desc = super::common::join_and(&if_desc);
        let base_vars = |d: Draft| {
            d.var("if", first.text.clone())
                .var("if_place", first.place.clone())
        };

        if !failed.is_empty() {
            let mut labels = labels.clone();
            let mut shown = 0;
            for c in &failed {
                // Show what the record has instead (the arm types it lists).
                if let Some(keys) = c.field_keys() {
                    for f in &cx.record.fields {
                        if shown >= self.max_labels {
                            break;
                        }
                        if (keys.is_empty() || keys.iter().any(|k| *k == f.key))
                            && !f.value().is_empty()
                        {
                            labels.push(Label::secondary(
                                f.text.trimmed_view().whole_span(),
                                format!("{} is \"{}\"", key_label(&f.key), f.value()),
                            ));
                            shown += 1;
                        }
                    }
                }
            }
            let missing = failed.iter().map(|c| c.describe()).collect::<Vec<_>>();
            let missing = super::common::join_and(&missing);
            out.push(base_vars(
                Draft {
                    message: format!("{if_desc}, but the record has no {missing}"),
                    labels,
                    ..Draft::default()
                }
                .var("then", missing.clone())
                .var("missing", missing),
            ));
            return;
        }

        let mut hits = Vec::new();
        for c in &self.then_not {
            hits.extend(c.witnesses(cx));
        }
        hits.sort_by_key(|w| (w.span.start, w.span.end));
        for w in hits.iter().take(self.max_labels) {
            labels.push(Label::secondary(w.span, format!("but {}", says(w))));
        }
        let h = &hits[0];
        out.push(base_vars(
            Draft {
                message: format!("{if_desc}, but {}", says(h)),
                labels,
                ..Draft::default()
            }
            .var("then", h.text.clone())
            .var("then_place", h.place.clone()),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Date, Fact, Origin};
    use crate::record::{keys, Record};
    use crate::span::Text;

    /// [`Cond::holds`] answers exactly whether [`Cond::witnesses`] lists a
    /// place, for every kind of target and test, on values whose display
    /// and quote differ, empty fields and dates of each status.
    #[test]
    fn a_condition_holds_exactly_when_it_has_a_witness() {
        let mut r = Record::new("test");
        r.push(
            keys::BRIEF_SUMMARY,
            Text::verbatim("A placebo-controlled study", 0),
        );
        r.push("official_title", Text::verbatim("", 30));
        r.push("status", Text::verbatim("  Completed ", 40));
        let date = |status| {
            Value::Date(Date {
                year: 2020,
                month: Some(1),
                day: None,
                status,
            })
        };
        let span = |a, b| Span { start: a, end: b };
        let mut facts = vec![
            Fact::new(
                "status",
                Value::Term("completed".into()),
                span(40, 52),
                2,
                Origin::Field,
                " Completed ",
            ),
            Fact::new(
                "enrollment.actual",
                Value::Int(12),
                span(60, 62),
                2,
                Origin::Text,
                "twelve",
            ),
            Fact::new(
                "enrollment.actual",
                Value::Int(0),
                span(63, 64),
                2,
                Origin::Text,
                "0",
            ),
            Fact::new(
                "date.completion",
                date(DateStatus::Estimated),
                span(70, 77),
                2,
                Origin::Field,
                "Jan 2020",
            ),
            Fact::new(
                "date.start",
                date(DateStatus::Actual),
                span(80, 87),
                2,
                Origin::Field,
                "2020-01",
            ),
        ];
        Context::sort(&mut facts);
        let cx = Context::new(
            &r,
            &facts,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        );
        let raw = |field: Option<&str>,
                   fact: Option<&str>,
                   matches: Option<&str>,
                   equals: Option<&str>,
                   status: Option<&str>| RawCond {
            field: field.map(str::to_string),
            fact: fact.map(str::to_string),
            matches: matches.map(str::to_string),
            equals: equals.map(str::to_string),
            status: status.map(str::to_string),
        };
        let mut conds = Vec::new();
        for field in [
            "brief_summary",
            "official_title",
            "status",
            "prose",
            "all",
            "arm.type",
        ] {
            for (m, e) in [
                (None, None),
                (Some("(?i)placebo"), None),
                (Some("^$"), None),
                (Some("^"), None),
                (None, Some("completed")),
                (None, Some("")),
            ] {
                conds.push(raw(Some(field), None, m, e, None));
            }
        }
        for fact in [
            "status",
            "enrollment.actual",
            "date.completion",
            "date.start",
            "date.none",
        ] {
            for status in [None, Some("actual"), Some("estimated"), Some("unspecified")] {
                if status.is_some() && !fact.starts_with("date") {
                    continue;
                }
                for (m, e) in [
                    (None, None),
                    (Some("^[1-9]"), None),
                    (Some("^twelve$"), None),
                    (Some("^(completed|terminated)$"), None),
                    (Some("2020"), None),
                    (None, Some("completed")),
                    (None, Some("12")),
                    (None, Some("twelve")),
                    (None, Some("0")),
                ] {
                    conds.push(raw(None, Some(fact), m, e, status));
                }
            }
        }
        let mut held = 0;
        for c in &conds {
            let built = Cond::build(c, "if").unwrap();
            let w = built.witnesses(&cx);
            assert_eq!(built.holds(&cx), !w.is_empty(), "{}", built.describe());
            held += usize::from(!w.is_empty());
        }
        // both answers are met
        assert!(
            held > 20 && held < conds.len() - 20,
            "{held} of {}",
            conds.len()
        );
    }
}
