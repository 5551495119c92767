//! `count`: how many entities of a kind the record lists (arms,
//! interventions, outcomes), against bounds or a number stated elsewhere,
//! optionally only when a field matches (allocation "Randomized" needs at
//! least two arms).
//!
//! ```toml
//! kind = "count"
//! [params]
//! entity = "arm"                  # arm | intervention | primary-outcome | secondary-outcome | contact | location
//! when = { field = "allocation", matches = "(?i)^randomi[sz]ed$" }   # optional
//! min = 2                         # optional
//! max = 1                         # optional
//! stated = "design.groups-stated" # optional: a fact giving the number in words
//! stated_when = "more"            # optional: report a stated number only when it is
//!                                 # "more" or "fewer" than listed (default "any")
//! unless = { field = "intervention_model", matches = "(?i)crossover" }  # optional:
//!                                 # skip the record when any condition holds (see `implies`)
//! skip_empty = true               # optional: a record listing none is not judged
//!                                 # (old records often list no arms at all)
//! ```

use super::implies::{conds, Cond, RawConds};
use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use crate::record::EntityKind;
use regex::Regex;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct When {
    field: String,
    matches: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    entity: String,
    #[serde(default)]
    when: Option<When>,
    #[serde(default)]
    min: Option<usize>,
    #[serde(default)]
    max: Option<usize>,
    #[serde(default)]
    stated: Option<crate::check::FactName>,
    #[serde(default = "any")]
    stated_when: String,
    #[serde(default)]
    skip_empty: bool,
    #[serde(default)]
    unless: Option<RawConds>,
}

fn any() -> String {
    "any".into()
}

pub struct Count {
    p: Params,
    /// The entity as messages name it ("primary outcome").
    what: String,
    kind: EntityKind,
    when: Option<(String, Regex)>,
    unless: Vec<Cond>,
}

pub fn entity_kind(name: &str) -> Option<EntityKind> {
    Some(match name {
        "arm" => EntityKind::Arm,
        "intervention" => EntityKind::Intervention,
        "primary-outcome" => EntityKind::PrimaryOutcome,
        "secondary-outcome" => EntityKind::SecondaryOutcome,
        "other-outcome" => EntityKind::OtherOutcome,
        "contact" => EntityKind::Contact,
        "location" => EntityKind::Location,
        _ => return None,
    })
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    let kind = entity_kind(&p.entity)
        .ok_or_else(|| BuildError::Params(format!("unknown entity {:?}", p.entity)))?;
    let when = match &p.when {
        Some(w) => Some((
            w.field.clone(),
            crate::extract::user::user_regex(&w.matches)
                .map_err(|e| BuildError::Params(format!("bad `when.matches` regex: {e}")))?,
        )),
        None => None,
    };
    if !matches!(p.stated_when.as_str(), "any" | "more" | "fewer") {
        return Err(BuildError::Params(format!(
            "`stated_when` must be \"any\", \"more\" or \"fewer\", not {:?}",
            p.stated_when
        )));
    }
    if p.min.is_none() && p.max.is_none() && p.stated.is_none() {
        return Err(BuildError::Params(
            "set at least one of `min`, `max`, `stated`".into(),
        ));
    }
    let unless = match &p.unless {
        Some(u) => conds(u, "unless")?,
        None => Vec::new(),
    };
    Ok(Box::new(Count {
        what: p.entity.replace('-', " "),
        p,
        kind,
        when,
        unless,
    }))
}

impl Kind for Count {
    fn reads(&self) -> Vec<String> {
        self.p
            .stated
            .iter()
            .map(|n| n.to_string())
            .chain(
                self.unless
                    .iter()
                    .filter_map(|c| c.fact().map(str::to_string)),
            )
            .collect()
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        // The `when` field is asked first: one short value (the allocation,
        // the intervention model), where an `unless` condition reads every
        // field; either ends the check with nothing, so the order does not
        // change what is found. A condition is asked whether it holds,
        // not for its witnesses (the same answer, `Cond::holds`), and the
        // counted entities are labelled only for a finding: most records
        // have none, and each of these built lists for every record.
        // (its label is written only for a finding)
        let mut cond_field = None;
        if let Some((field, re)) = &self.when {
            let Some(f) = cx.record.all(field).find(|f| re.is_match(f.value())) else {
                return;
            };
            cond_field = Some((field, f));
        }
        if self.unless.iter().any(|c| c.holds(cx)) {
            return;
        }
        let counted = || {
            cx.record
                .entities
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == self.kind)
                .map(|(i, _)| i)
        };
        let n = counted().count();
        if n == 0 && self.p.skip_empty {
            return;
        }
        let what = &self.what;
        let plural = |k: usize| {
            if k == 1 {
                what.clone()
            } else {
                format!("{what}s")
            }
        };
        let mut problem = None;
        if let Some(min) = self.p.min {
            if n < min {
                problem = Some(format!(
                    "the record lists {n} {}, fewer than the {min} its design needs",
                    plural(n)
                ));
            }
        }
        if let Some(max) = self.p.max {
            if n > max {
                problem = Some(format!(
                    "the record lists {n} {}, more than the {max} its design allows",
                    plural(n)
                ));
            }
        }
        let mut stated_label = None;
        if let Some(name) = &self.p.stated {
            if let Some(f) = cx.facts(name).first() {
                if let Some(k) = f.value.as_count() {
                    let k_n = k as usize;
                    let reported = match self.p.stated_when.as_str() {
                        "more" => k_n > n,
                        "fewer" => k_n < n,
                        _ => k_n != n,
                    };
                    if n > 0 && reported {
                        problem = Some(format!(
                            "the text states {k} {} (\"{}\"), but the record lists {n}",
                            plural(k as usize),
                            f.quote.trim()
                        ));
                        stated_label = Some(Label::secondary(f.span, format!("{k} stated here")));
                    }
                }
            }
        }
        let Some(message) = problem else { return };
        // the entities' first fields, to label what was counted
        let entity_spans: Vec<_> = counted()
            .filter_map(|i| cx.record.entity_fields(i).next().map(|f| f.span()))
            .collect();
        let mut labels = Vec::new();
        if let Some((field, f)) = cond_field {
            labels.push(Label::primary(
                f.span(),
                format!("{}: {}", crate::record::keys::label(field), f.value()),
            ));
        }
        if let Some(s) = stated_label {
            if labels.is_empty() {
                labels.push(Label { primary: true, ..s });
            } else {
                labels.push(s);
            }
        }
        for (k, sp) in entity_spans.iter().enumerate() {
            let l = Label::secondary(*sp, format!("{} {}", what, k + 1));
            if labels.is_empty() {
                labels.push(Label { primary: true, ..l });
            } else {
                labels.push(l);
            }
        }
        if labels.is_empty() {
            return;
        }
        out.push(
            Draft {
                message,
                labels,
                ..Draft::default()
            }
            .var("count", n.to_string()),
        );
    }
}
