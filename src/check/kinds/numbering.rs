//! `numbering`: a numbered list in free text must not repeat an item number
//! ("3. No serious AIDS related events. 3. could understand and sign ...").
//!
//! ```toml
//! kind = "numbering"
//! [params]
//! fields = ["eligibility"]
//! ```
//!
//! Item markers are a number and "." or ")" at the start of a line or after
//! the end of a sentence, followed by a word. A list may restart at 1 (the
//! exclusion criteria after the inclusion criteria).

use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)(?:^|[.;:]\s+)[ \t\-•*]*(\d{1,2})[.)]\s+\p{L}").unwrap());

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    fields: Vec<String>,
}

pub struct Numbering {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    Ok(Box::new(Numbering { p: params(table)? }))
}

impl Kind for Numbering {
    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        for field in cx
            .record
            .fields
            .iter()
            .filter(|f| self.p.fields.contains(&f.key))
        {
            let text = &field.text.text;
            let mut prev: Option<(u32, usize, usize)> = None;
            for c in MARKER.captures_iter(text) {
                let Some(m) = c.get(1) else { continue };
                let Ok(n) = m.as_str().parse::<u32>() else {
                    continue;
                };
                let end = (m.end() + 1).min(text.len());
                if let Some((p, ps, pe)) = prev {
                    if n == p && n != 1 {
                        out.push(
                            Draft {
                                message: format!("item number {n}. appears twice in a row in the {}", crate::record::keys::label(&field.key)),
                                labels: vec![
                                    Label::primary(field.text.span(m.start(), end), format!("{n}. again")),
                                    Label::secondary(field.text.span(ps, pe), format!("{n}. first")),
                                ],
                                notes: vec!["an item was probably split in two, or a number mistyped; later items may be misnumbered".into()],
                                ..Draft::default()
                            }
                            .var("number", n.to_string()),
                        );
                    }
                }
                prev = Some((n, m.start(), end));
            }
        }
    }
}
