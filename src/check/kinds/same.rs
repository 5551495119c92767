//! `same`: a value named in two places must be the same value. Unlike
//! `agree` (numbers, with tolerances), `same` compares normalised strings
//! and sets: the phase field ("1/2") against a phase in the title
//! ("Phase I/IIa" → "1/2"); the sex field ("female") against the one sex the
//! inclusion criteria admit ("male").
//!
//! ```toml
//! kind = "same"
//! [params]
//! reference = "phase.field"   # usually a structured fact; its first value is used
//! compare = ["phase.title"]   # mentions to compare with it
//! need = "any"                # "any": one mention equal to the reference is
//!                             # enough (a title that also names an earlier
//!                             # phase); "each": every mention must be equal
//! skip = "^na$"               # optional: reference values not judged (regex)
//! skip_compare = "^x$"        # optional: mentions not judged (regex)
//! sets = true                 # optional: values are "/"-separated sets, and the
//!                             # mentions in one field count together too (a title
//!                             # naming "Phase 2" and "Phase 3" says 2/3)
//! ```
//!
//! Values are compared as displayed, ignoring case. The finding points at
//! the reference and labels every differing mention; the notes say how text
//! mentions were read.

use super::common::{how_notes, join_and, place, verb, ByPlace};
use super::pattern::regex_param;
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::extract::Fact;
use regex::Regex;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    reference: FactName,
    compare: Vec<FactName>,
    #[serde(default = "any")]
    need: String,
    #[serde(default)]
    skip: Option<String>,
    #[serde(default)]
    skip_compare: Option<String>,
    #[serde(default)]
    sets: bool,
}

fn any() -> String {
    "any".into()
}

pub struct Same {
    p: Params,
    skip: Option<Regex>,
    skip_compare: Option<Regex>,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    if !matches!(p.need.as_str(), "any" | "each") {
        return Err(BuildError::Params(format!(
            "`need` must be \"any\" or \"each\", not {:?}",
            p.need
        )));
    }
    if p.compare.is_empty() {
        return Err(BuildError::Params(
            "`compare` must name at least one fact".into(),
        ));
    }
    let skip = match &p.skip {
        Some(r) => Some(regex_param("skip", r)?),
        None => None,
    };
    let skip_compare = match &p.skip_compare {
        Some(r) => Some(regex_param("skip_compare", r)?),
        None => None,
    };
    Ok(Box::new(Same {
        p,
        skip,
        skip_compare,
    }))
}

impl Kind for Same {
    fn reads(&self) -> Vec<String> {
        let mut v = vec![self.p.reference.to_string()];
        v.extend(self.p.compare.iter().map(|n| n.to_string()));
        v
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        let Some(reference) = cx.facts(&self.p.reference).first() else {
            return;
        };
        let ref_value = reference.value.to_string();
        if self.skip.as_ref().is_some_and(|r| r.is_match(&ref_value)) {
            return;
        }
        let mut mentions: Vec<&Fact> = self
            .p
            .compare
            .iter()
            .flat_map(|n| cx.facts(n))
            .filter(|f| f.span != reference.span)
            .filter(|f| {
                !self
                    .skip_compare
                    .as_ref()
                    .is_some_and(|r| r.is_match(&f.value.to_string()))
            })
            .collect();
        mentions.sort_by_key(|f| f.span.start);
        let equal = |f: &Fact| f.value.to_string().eq_ignore_ascii_case(&ref_value);
        if self.p.need == "any" && mentions.iter().any(|f| equal(f)) {
            return;
        }
        if self.p.sets && self.p.need == "any" {
            // the union of the mentions in each field
            let mut fields: Vec<Vec<&Fact>> = Vec::new();
            let mut at: std::collections::HashMap<usize, usize> = Default::default();
            for f in &mentions {
                let k = *at.entry(f.field).or_insert_with(|| {
                    fields.push(Vec::new());
                    fields.len() - 1
                });
                fields[k].push(f);
            }
            for in_field in fields {
                let mut union: Vec<String> = in_field
                    .iter()
                    .flat_map(|f| {
                        f.value
                            .to_string()
                            .split('/')
                            .map(str::to_string)
                            .collect::<Vec<_>>()
                    })
                    .collect();
                union.sort();
                union.dedup();
                if union.join("/").eq_ignore_ascii_case(&ref_value) {
                    return;
                }
            }
        }
        let differing: Vec<&Fact> = mentions.into_iter().filter(|f| !equal(f)).collect();
        if differing.is_empty() {
            return;
        }
        let ref_place = place(cx, reference);
        let mut labels = vec![Label::primary(
            reference.span,
            format!(
                "{ref_place} {} {ref_value}",
                verb(&ref_place, "says", "say")
            ),
        )];
        let mut said = ByPlace::default();
        for f in &differing {
            let v = f.value.to_string();
            labels.push(Label::secondary(
                f.span,
                format!("\"{}\" ({v}) here", f.quote.trim()),
            ));
            said.add(place(cx, f), v);
        }
        let said: Vec<String> = said
            .into_list()
            .iter()
            .map(|(p, vs)| format!("{p} {} {}", verb(p, "says", "say"), join_and(vs)))
            .collect();
        let said = join_and(&said);
        let mut all = vec![reference];
        all.extend(differing.iter().copied());
        let quotes: Vec<String> = differing
            .iter()
            .map(|f| format!("\"{}\"", f.quote.trim()))
            .collect();
        out.push(
            Draft {
                message: format!(
                    "{ref_place} {} {ref_value}, but {said}",
                    verb(&ref_place, "says", "say")
                ),
                labels,
                notes: how_notes(&all),
                ..Draft::default()
            }
            .var("reference", ref_value.clone())
            .var("reference_quote", reference.quote.trim())
            .var("stated", said)
            .var("quotes", join_and(&quotes)),
        );
    }
}
