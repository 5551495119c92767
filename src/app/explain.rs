//! `trialint explain CHECK` and `trialint checks`: the catalogue's own
//! documentation.

use super::*;
use crate::check::{Check, CheckOrigin};

pub(super) fn explain(name: &str, dirs: &[String], config: Option<&str>) -> i32 {
    let setup = match setup(dirs, config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let checks: Vec<Check> = setup.checks.into_iter().chain(setup.off).collect();
    match checks.iter().find(|c| c.name == name) {
        Some(c) => {
            print!("{}", explain_text(c));
            EXIT_CLEAN
        }
        None => {
            let close: Vec<&str> = checks
                .iter()
                .filter(|c| strsim::levenshtein(&c.name, name) <= 3 || c.name.contains(name))
                .map(|c| c.name.as_str())
                .collect();
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", close.join(", "))
            };
            usage_error(&format!(
                "no check named `{name}`{hint}; `trialint checks` lists them"
            ))
        }
    }
}

/// The `explain` page of a check, in Markdown.
pub fn explain_text(c: &Check) -> String {
    let mut s = format!("# {}\n\n", c.name);
    s.push_str(&format!("{}\n\n", c.summary));
    s.push_str(&format!(
        "Severity: {}. Group: {}. Kind: {}. Source: {}.\n\n",
        c.severity, c.group, c.kind_name, c.origin
    ));
    s.push_str(&format!("## What it does\n\n{}\n\n", c.docs.what));
    s.push_str(&format!("## Why it matters\n\n{}\n\n", c.docs.why));
    if !c.docs.example.is_empty() {
        s.push_str("## Example\n\n```text\n");
        s.push_str(&c.docs.example);
        s.push_str("\n```\n\n");
    }
    if !c.docs.fix.is_empty() {
        s.push_str(&format!("## How to fix\n\n{}\n\n", c.docs.fix));
    }
    if !c.docs.precision.is_empty() {
        s.push_str(&format!(
            "## Measured precision\n\n{}\n\n",
            c.docs.precision
        ));
    }
    if !c.request.question.is_empty() {
        s.push_str(&format!(
            "## In a correction request\n\n{}\n",
            c.request.question
        ));
        if !c.request.field.is_empty() {
            s.push_str(&format!("\nField to correct: {}\n", c.request.field));
        }
    }
    s
}

pub(super) fn list(dirs: &[String], config: Option<&str>) -> i32 {
    let setup = match setup(dirs, config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut rows: Vec<(&Check, &str)> = setup
        .checks
        .iter()
        .map(|c| (c, c.severity.as_str()))
        .chain(setup.off.iter().map(|c| (c, "off")))
        .collect();
    rows.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let cfg_path = setup
        .config
        .as_ref()
        .map(|c| c.path.as_str())
        .unwrap_or(crate::config::FILE_NAME);
    let width = rows.iter().map(|(c, _)| c.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (c, sev) in &rows {
        let mut source = match &c.origin {
            CheckOrigin::Shipped(_) => String::new(),
            CheckOrigin::User(p) => format!("  [user: {p}]"),
        };
        let default = setup
            .changed
            .iter()
            .find(|(n, _)| *n == c.name)
            .map(|(_, s)| *s)
            .or_else(|| (*sev == "off").then_some(c.severity));
        if let Some(d) = default {
            source.push_str(&format!("  [severity set in {cfg_path}; default {d}]"));
        }
        out.push_str(&format!(
            "{:width$}  {:7}  {}{}\n",
            c.name, sev, c.summary, source
        ));
    }
    if !setup.extractors.is_empty() {
        out.push_str("\nuser extractors:\n");
        let w = setup
            .extractors
            .iter()
            .map(|x| x.name.len())
            .max()
            .unwrap_or(0);
        for x in &setup.extractors {
            let ty = format!("{:?}", x.value).to_lowercase();
            out.push_str(&format!("{:w$}  {:7}  [user: {}]\n", x.name, ty, x.path));
        }
    }
    print!("{out}");
    EXIT_CLEAN
}
