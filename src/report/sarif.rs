//! `--format sarif`: SARIF 2.1.0 (OASIS), for code-scanning dashboards.
//!
//! One result per finding: the primary label is the result's location, every
//! other label a related location. Regions give the exact bytes
//! (`byteOffset`/`byteLength`), the characters (`charOffset`/`charLength`,
//! code points, as `columnKind` says) and lines and columns (1-based, end
//! column exclusive). Each check the run used is a rule, with its
//! documentation as the rule's descriptions and help. Inputs that could not
//! be read are tool execution notifications.

use super::records::{primary, Positions};
use crate::check::{Check, Finding, Label, Severity};
use crate::engine::Run;
use serde_json::{json, Map, Value};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF's level for a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A path as a URI reference: absolute paths become `file://` URIs, every
/// byte outside the unreserved set (and `/`) is percent-encoded.
pub fn path_uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let mut out = String::new();
    if p.starts_with('/') {
        out.push_str("file://");
    }
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn text(s: &str) -> Value {
    json!({ "text": s })
}

fn rule(c: &Check) -> Value {
    let d = &c.docs;
    let full = if d.what.trim().is_empty() {
        c.summary.clone()
    } else {
        d.what.trim().to_string()
    };
    let mut plain = Vec::new();
    let mut md = Vec::new();
    if !d.why.trim().is_empty() {
        plain.push(format!("Why it matters: {}", d.why.trim()));
        md.push(format!("**Why it matters.** {}", d.why.trim()));
    }
    if !d.example.trim().is_empty() {
        plain.push(format!("Example:\n{}", d.example.trim_end()));
        let fence = fence_for(&d.example);
        md.push(format!(
            "**Example.**\n\n{fence}text\n{}\n{fence}",
            d.example.trim_end()
        ));
    }
    if !d.fix.trim().is_empty() {
        plain.push(format!("How to fix: {}", d.fix.trim()));
        md.push(format!("**How to fix.** {}", d.fix.trim()));
    }
    if plain.is_empty() {
        plain.push(c.summary.clone());
        md.push(c.summary.clone());
    }
    json!({
        "id": c.name,
        "name": c.name,
        "shortDescription": text(&c.summary),
        "fullDescription": text(&full),
        "help": { "text": plain.join("\n\n"), "markdown": md.join("\n\n") },
        "defaultConfiguration": { "level": level(c.severity) },
        "properties": { "group": c.group, "kind": c.kind_name, "tags": [c.group] },
    })
}

/// A Markdown code fence longer than any run of backticks in `s`.
fn fence_for(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

fn region(pos: &Positions, l: &Label, snippet: &str) -> Value {
    let (sl, sc) = pos.line_col(l.span.start);
    let (el, ec) = pos.line_col(l.span.end.max(l.span.start));
    let mut r = Map::new();
    r.insert("byteOffset".into(), json!(l.span.start));
    r.insert("byteLength".into(), json!(l.span.len()));
    if let (Some(a), Some(b)) = (
        pos.char_offset(l.span.start),
        pos.char_offset(l.span.end.max(l.span.start)),
    ) {
        r.insert("charOffset".into(), json!(a));
        r.insert("charLength".into(), json!(b - a));
    }
    r.insert("startLine".into(), json!(sl));
    r.insert("startColumn".into(), json!(sc));
    r.insert("endLine".into(), json!(el));
    r.insert("endColumn".into(), json!(ec));
    if !snippet.is_empty() {
        r.insert("snippet".into(), text(snippet));
    }
    Value::Object(r)
}

fn location(run: &Run, pos: &Positions, f: &Finding, l: &Label, id: Option<usize>) -> Value {
    let src = &run.sources[f.file];
    let mut loc = Map::new();
    if let Some(id) = id {
        loc.insert("id".into(), json!(id));
    }
    loc.insert(
        "physicalLocation".into(),
        json!({
            "artifactLocation": { "uri": path_uri(&src.path), "index": f.file },
            "region": region(pos, l, src.snippet(l.span)),
        }),
    );
    if !l.message.is_empty() {
        loc.insert("message".into(), text(&l.message));
    }
    Value::Object(loc)
}

/// A stable fingerprint of a finding: its check, record and the text of
/// its labels (not their offsets, so an edit elsewhere keeps it).
fn fingerprint(run: &Run, f: &Finding) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain(std::iter::once(0xff)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    };
    eat(&f.check);
    eat(f.record.as_deref().unwrap_or(""));
    if let Some(src) = run.sources.get(f.file) {
        for l in &f.labels {
            eat(src.snippet(l.span));
        }
    }
    format!("{h:016x}")
}

/// Render the run as a SARIF 2.1.0 log. `checks` are the checks the run
/// used (their documentation becomes the rules).
pub fn render(run: &Run, checks: &[Check], as_of: chrono::NaiveDate) -> String {
    let mut rules: Vec<Value> = checks.iter().map(rule).collect();
    let mut rule_names: Vec<String> = checks.iter().map(|c| c.name.clone()).collect();
    let positions: Vec<Positions> = run.sources.iter().map(Positions::new).collect();
    let mut formats: std::collections::HashMap<(usize, Option<&str>), &str> = Default::default();
    for (si, r) in &run.records {
        formats.entry((*si, r.id.as_deref())).or_insert(&r.format);
    }

    let mut results = Vec::new();
    for f in &run.findings {
        if run.sources.get(f.file).is_none() {
            continue;
        }
        let rule_index = match rule_names.iter().position(|n| *n == f.check) {
            Some(i) => i,
            None => {
                rule_names.push(f.check.clone());
                rules.push(json!({ "id": f.check, "shortDescription": text(&f.check) }));
                rule_names.len() - 1
            }
        };
        let pos = &positions[f.file];
        let prim = primary(f);
        let locations: Vec<Value> = prim
            .map(|l| vec![location(run, pos, f, l, None)])
            .unwrap_or_default();
        let related: Vec<Value> = f
            .labels
            .iter()
            .filter(|l| prim.is_none_or(|p| !std::ptr::eq(*l, p)))
            .enumerate()
            .map(|(i, l)| location(run, pos, f, l, Some(i + 1)))
            .collect();
        let mut message = f.message.clone();
        for n in &f.notes {
            message.push_str("\nnote: ");
            message.push_str(n);
        }
        if let Some(h) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        let mut props = Map::new();
        props.insert("record".into(), json!(f.record));
        if let Some(format) = formats.get(&(f.file, f.record.as_deref())) {
            props.insert("format".into(), json!(format));
        }
        props.insert("notes".into(), json!(f.notes));
        if let Some(h) = &f.help {
            props.insert("help".into(), json!(h));
        }
        let mut result = Map::new();
        result.insert("ruleId".into(), json!(f.check));
        result.insert("ruleIndex".into(), json!(rule_index));
        result.insert("level".into(), json!(level(f.severity)));
        result.insert("message".into(), text(&message));
        result.insert("locations".into(), json!(locations));
        if !related.is_empty() {
            result.insert("relatedLocations".into(), json!(related));
        }
        result.insert(
            "partialFingerprints".into(),
            json!({ "trialintFinding/v1": fingerprint(run, f) }),
        );
        result.insert("properties".into(), Value::Object(props));
        results.push(Value::Object(result));
    }

    let artifacts: Vec<Value> = run
        .sources
        .iter()
        .map(|s| {
            let mut a = json!({
                "location": { "uri": path_uri(&s.path) },
                "encoding": "utf-8",
            });
            a["length"] = json!(s.file_len);
            a
        })
        .collect();
    let notifications: Vec<Value> = run
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": text(&format!("{}: {}", e.path, e.reason)),
                "descriptor": { "id": "read-error" },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": path_uri(&e.path) } } }],
            })
        })
        .collect();
    let s = super::summarize(run);
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "trialint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": run.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
            "properties": {
                "as_of": as_of.format("%Y-%m-%d").to_string(),
                "files": s.files,
                "records": s.records,
                "errors": s.errors,
                "warnings": s.warnings,
                "notes": s.notes,
                "unreadable": s.unreadable,
            },
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
