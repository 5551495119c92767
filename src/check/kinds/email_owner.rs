//! `email-owner`: an e-mail address whose local part names another person
//! listed in the record, and not the person it is listed for
//! ("Nguyen T Liem ... v.phuongnh9@vinmec.com" while "Phuong Nguyen" is
//! another contact).
//!
//! ```toml
//! kind = "email-owner"
//! [params]
//! facts = ["contact.email"]
//! min_name_length = 4     # shorter name parts are too common to be evidence
//! ```

use super::common::owner_name;
use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use crate::extract::contacts::same_person;
use crate::record::{keys, EntityKind};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    facts: Vec<String>,
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

/// Lower-case letter tokens of a person's name, without titles and degrees.
fn name_tokens(name: &str) -> Vec<String> {
    const TITLES: &[&str] = &[
        "dr",
        "prof",
        "md",
        "phd",
        "msc",
        "mph",
        "doctor",
        "professor",
        "mr",
        "mrs",
        "ms",
        "rn",
        "bsc",
        "mm",
        "mbbs",
        "frcp",
        "facp",
        "pharmd",
        "do",
    ];
    let head = name.split(',').next().unwrap_or(name);
    head.split(|c: char| !c.is_alphabetic())
        .map(|t| t.to_lowercase())
        .filter(|t| !t.is_empty() && !TITLES.contains(&t.as_str()))
        .collect()
}

/// Letter runs of an e-mail's local part.
fn local_tokens(email: &str) -> Vec<String> {
    let local = email.split('@').next().unwrap_or("");
    local
        .split(|c: char| !c.is_ascii_alphabetic())
        .map(|t| t.to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

impl Kind for EmailOwner {
    fn reads(&self) -> Vec<String> {
        self.p.facts.clone()
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        // every listed person: (entity, name)
        let people: Vec<(usize, &str)> = cx
            .record
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EntityKind::Contact)
            .filter_map(|(i, _)| {
                cx.record
                    .entity_get(i, keys::CONTACT_NAME)
                    .map(|f| (i, f.value()))
            })
            .filter(|(_, n)| !n.is_empty())
            .collect();
        for name in &self.p.facts {
            for f in cx.facts(name) {
                let Some(owner) = f.owner else { continue };
                let Some(owner_name_text) = cx
                    .record
                    .entity_get(owner, keys::CONTACT_NAME)
                    .map(|n| n.value())
                else {
                    continue;
                };
                let own = name_tokens(owner_name_text);
                let local = local_tokens(&f.quote);
                // the address must not be the owner's own
                let mentions = |tokens: &[String], t: &str| {
                    tokens.iter().any(|n| {
                        n.len() >= 2 && (t.starts_with(n.as_str()) || t.ends_with(n.as_str()))
                    })
                };
                if own.is_empty() || local.iter().any(|t| mentions(&own, t)) {
                    continue;
                }
                for (other, other_name) in &people {
                    if *other == owner || same_person(other_name, owner_name_text) {
                        continue;
                    }
                    let theirs: Vec<String> = name_tokens(other_name)
                        .into_iter()
                        .filter(|t| t.chars().count() >= self.p.min_name_length && !own.contains(t))
                        .collect();
                    let Some(hit) = local
                        .iter()
                        .find(|t| theirs.iter().any(|n| t.starts_with(n.as_str())))
                    else {
                        continue;
                    };
                    let matched = theirs
                        .iter()
                        .find(|n| hit.starts_with(n.as_str()))
                        .cloned()
                        .unwrap_or_default();
                    let mut labels = vec![Label::primary(
                        f.span,
                        format!(
                            "listed for {}",
                            owner_name(cx, f).unwrap_or_else(|| owner_name_text.to_string())
                        ),
                    )];
                    if let Some(n) = cx.record.entity_get(*other, keys::CONTACT_NAME) {
                        labels.push(Label::secondary(
                            n.span(),
                            format!("\"{matched}\" is this person's name"),
                        ));
                    }
                    if let Some(n) = cx.record.entity_get(owner, keys::CONTACT_NAME) {
                        labels.push(Label::secondary(n.span(), "the person it is listed for"));
                    }
                    out.push(
                        Draft {
                            message: format!(
                                "the e-mail address {} is listed for {}, but its name part \"{}\" names {}",
                                f.quote.trim(),
                                owner_name_text,
                                hit,
                                other_name
                            ),
                            labels,
                            ..Draft::default()
                        }
                        .var("email", f.quote.trim())
                        .var("owner", owner_name_text)
                        .var("other", *other_name),
                    );
                    break;
                }
            }
        }
    }
}
