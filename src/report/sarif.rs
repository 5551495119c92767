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
use super::spool::{placeholder, splice, JsonArray};
use super::Summary;
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

fn location(
    run: &Run,
    pos: &Positions,
    f: &Finding,
    l: &Label,
    artifact: usize,
    id: Option<usize>,
) -> Value {
    let src = &run.sources[f.file];
    let mut loc = Map::new();
    if let Some(id) = id {
        loc.insert("id".into(), json!(id));
    }
    loc.insert(
        "physicalLocation".into(),
        json!({
            "artifactLocation": { "uri": path_uri(&src.path), "index": artifact },
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
    let mut s = Stream::new(checks, as_of);
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = s
        .add(run)
        .and_then(|()| s.finish(&super::summarize(run), &mut out));
    String::from_utf8(out).unwrap_or_default()
}

/// The SARIF log written piece by piece (see [`super::spool`]).
pub struct Stream {
    as_of: chrono::NaiveDate,
    rules: Vec<Value>,
    rule_names: Vec<String>,
    /// One artifact per input file (the windows of a streamed file are
    /// one artifact), and the path of the last one.
    artifacts: JsonArray,
    artifact_count: usize,
    last_path: Option<String>,
    results: JsonArray,
    notifications: JsonArray,
}

impl Stream {
    pub fn new(checks: &[Check], as_of: chrono::NaiveDate) -> Stream {
        Stream {
            as_of,
            rules: checks.iter().map(rule).collect(),
            rule_names: checks.iter().map(|c| c.name.clone()).collect(),
            artifacts: JsonArray::new(8),
            artifact_count: 0,
            last_path: None,
            results: JsonArray::new(8),
            notifications: JsonArray::new(12),
        }
    }

    /// Render one piece of the run.
    pub fn add(&mut self, run: &Run) -> std::io::Result<()> {
        for e in &run.errors {
            self.notifications.push(&json!({
                "level": "error",
                "message": text(&format!("{}: {}", e.path, e.reason)),
                "descriptor": { "id": "read-error" },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": path_uri(&e.path) } } }],
            }))?;
        }
        // The artifact of each source: consecutive sources of one path
        // (the windows of a streamed file) share one.
        let mut artifact_of = Vec::with_capacity(run.sources.len());
        for src in &run.sources {
            if self.last_path.as_deref() != Some(src.path.as_str()) {
                let mut a = json!({
                    "location": { "uri": path_uri(&src.path) },
                    "encoding": "utf-8",
                });
                a["length"] = json!(src.file_len);
                self.artifacts.push(&a)?;
                self.artifact_count += 1;
                self.last_path = Some(src.path.clone());
            }
            artifact_of.push(self.artifact_count - 1);
        }
        let mut positions: Vec<Option<Positions>> = Vec::new();
        positions.resize_with(run.sources.len(), || None);
        let mut formats: std::collections::HashMap<(usize, Option<&str>), &str> =
            Default::default();
        for (si, r) in &run.records {
            formats.entry((*si, r.id.as_deref())).or_insert(&r.format);
        }
        for f in &run.findings {
            let Some(src) = run.sources.get(f.file) else {
                continue;
            };
            let rule_index = match self.rule_names.iter().position(|n| *n == f.check) {
                Some(i) => i,
                None => {
                    self.rule_names.push(f.check.clone());
                    self.rules
                        .push(json!({ "id": f.check, "shortDescription": text(&f.check) }));
                    self.rule_names.len() - 1
                }
            };
            let pos = positions[f.file].get_or_insert_with(|| Positions::new(src));
            let artifact = artifact_of[f.file];
            let prim = primary(f);
            let locations: Vec<Value> = prim
                .map(|l| vec![location(run, pos, f, l, artifact, None)])
                .unwrap_or_default();
            let related: Vec<Value> = f
                .labels
                .iter()
                .filter(|l| prim.is_none_or(|p| !std::ptr::eq(*l, p)))
                .enumerate()
                .map(|(i, l)| location(run, pos, f, l, artifact, Some(i + 1)))
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
            self.results.push(&Value::Object(result))?;
        }
        Ok(())
    }

    /// Write the whole log, with the totals of the run.
    pub fn finish(self, s: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let log = json!({
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "trialint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": self.rules,
                }},
                "invocations": [{
                    "executionSuccessful": s.unreadable == 0,
                    "toolExecutionNotifications": placeholder("notifications"),
                }],
                "columnKind": "unicodeCodePoints",
                "artifacts": placeholder("artifacts"),
                "results": placeholder("results"),
                "properties": {
                    "as_of": self.as_of.format("%Y-%m-%d").to_string(),
                    "files": s.files,
                    "records": s.records,
                    "errors": s.errors,
                    "warnings": s.warnings,
                    "notes": s.notes,
                    "unreadable": s.unreadable,
                },
            }],
        });
        let skeleton = serde_json::to_string_pretty(&log).map_err(std::io::Error::from)?;
        splice(
            &skeleton,
            vec![
                ("notifications", self.notifications),
                ("artifacts", self.artifacts),
                ("results", self.results),
            ],
            out,
        )?;
        out.write_all(b"\n")
    }
}
