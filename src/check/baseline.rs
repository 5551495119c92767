//! Baselines: accept today's findings and report only new ones.
//!
//! `--write-baseline FILE` records the findings of a run; `--baseline FILE`
//! hides the findings recorded there. A finding is recognised by its
//! fingerprint, which does not depend on byte offsets, so it survives edits
//! elsewhere in the record (another field changed, the text moved), while a
//! finding whose conflicting values change is new again:
//!
//! ```text
//! fingerprint = FNV-1a 64 over
//!     "trialint-baseline-1" \0 check \0 record \0
//!     for each label, in order: ("P" | "S") \0 normalized text \0
//! ```
//!
//! `record` is the record id (the file path when the record has none);
//! the normalized text is the source text under the label's span with runs
//! of white space folded to one space and trimmed. Label messages and
//! severities are not part of it. Equal fingerprints are counted: a baseline
//! holding one occurrence hides one finding, not two.
//!
//! The file (JSON) is written atomically (a temporary file in the same
//! directory, then a rename):
//!
//! ```json
//! {"version": 1, "as_of": "2026-11-21",
//!  "entries": [{"fingerprint": "9f0c...", "check": "enrollment-mismatch",
//!               "record": "NCT05345418", "message": "..."}]}
//! ```
//!
//! `check`, `record` and `message` are for people reading the file; only the
//! fingerprint is used to match.

use crate::check::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

pub const VERSION: u32 = 1;

/// Largest baseline read: one entry of some 300 bytes per finding, so room
/// for millions of findings.
pub const MAX_BASELINE: u64 = 1 << 30;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub check: String,
    pub record: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub as_of: String,
    pub entries: Vec<Entry>,
}

/// 64-bit FNV-1a (stable across runs, platforms and versions, unlike std's
/// randomized hasher).
pub struct Fnv(u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    pub fn field(&mut self, s: &str) {
        self.write(s.as_bytes());
        self.write(&[0]);
    }
    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv::new()
    }
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fingerprint of a finding in a file whose text is `source` and whose
/// path is `path` (used only when the record has no id).
pub fn fingerprint(f: &Finding, source: &str, path: &str) -> String {
    fingerprint_with(f, path, |s| {
        source.get(s.start.min(s.end)..s.end).unwrap_or("")
    })
}

/// [`fingerprint`] for a finding in a source that may be a window of its
/// file (spans are FILE offsets).
pub fn fingerprint_in(f: &Finding, src: &crate::source::SourceFile) -> String {
    fingerprint_with(f, &src.path, |s| src.snippet(s))
}

fn fingerprint_with<'s>(
    f: &Finding,
    path: &str,
    text_at: impl Fn(crate::span::Span) -> &'s str,
) -> String {
    let mut h = Fnv::new();
    h.field("trialint-baseline-1");
    h.field(&f.check);
    h.field(f.record.as_deref().unwrap_or(path));
    for l in &f.labels {
        h.field(if l.primary { "P" } else { "S" });
        h.field(&normalize(text_at(l.span)));
    }
    format!("{:016x}", h.finish())
}

impl Baseline {
    /// A baseline holding `findings` (with their fingerprints), sorted so
    /// that the file diffs well.
    pub fn new(as_of: chrono::NaiveDate, findings: &[(&Finding, String)]) -> Baseline {
        Baseline::from_entries(
            as_of,
            findings
                .iter()
                .map(|(f, fp)| entry(f, fp.clone()))
                .collect(),
        )
    }

    /// A baseline holding `entries`, sorted so that the file diffs well.
    pub fn from_entries(as_of: chrono::NaiveDate, mut entries: Vec<Entry>) -> Baseline {
        entries.sort_by(|a, b| {
            (&a.record, &a.check, &a.fingerprint, &a.message).cmp(&(
                &b.record,
                &b.check,
                &b.fingerprint,
                &b.message,
            ))
        });
        Baseline {
            version: VERSION,
            as_of: as_of.format("%Y-%m-%d").to_string(),
            entries,
        }
    }

    /// Read a baseline file (a regular file of at most [`MAX_BASELINE`] bytes).
    pub fn load(path: &str) -> Result<Baseline, String> {
        // a baseline lists every finding of a corpus: tens of megabytes
        let text = crate::files::read_text(path, MAX_BASELINE)
            .map_err(|why| format!("cannot read the baseline {path}: {why}"))?;
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{path} is not a trialint baseline: {e}"))?;
        if b.version != VERSION {
            return Err(format!(
                "{path}: baseline version {} is not supported (expected {VERSION})",
                b.version
            ));
        }
        Ok(b)
    }

    /// Write atomically: a temporary file next to `path`, then a rename.
    pub fn write(&self, path: &str) -> std::io::Result<()> {
        let target = Path::new(path);
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => Path::new(".").to_path_buf(),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "baseline".into());
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        let result = (|| {
            // A new file, never one found there (a planted link is not
            // followed): a stale temporary of this process id is removed.
            let _ = std::fs::remove_file(&tmp);
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, target)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Occurrences of each fingerprint.
    pub fn counts(&self) -> HashMap<String, usize> {
        let mut m = HashMap::new();
        for e in &self.entries {
            *m.entry(e.fingerprint.clone()).or_insert(0) += 1;
        }
        m
    }
}

/// The baseline entry of a finding.
pub fn entry(f: &Finding, fingerprint: String) -> Entry {
    Entry {
        fingerprint,
        check: f.check.clone(),
        record: f.record.clone(),
        message: f.message.clone(),
    }
}

/// Drops the findings a baseline holds, piece by piece of a run, as a
/// multiset: each entry of the baseline hides one finding, the first met.
pub struct Filter {
    counts: HashMap<String, usize>,
}

impl Filter {
    pub fn new(baseline: &Baseline) -> Filter {
        Filter {
            counts: baseline.counts(),
        }
    }

    /// Drop from `findings` those the baseline still holds; returns how
    /// many were dropped. `fps[i]` is the fingerprint of `findings[i]`.
    pub fn apply(&mut self, findings: &mut Vec<Finding>, fps: &[String]) -> usize {
        let counts = &mut self.counts;
        let mut hidden = 0;
        let mut i = 0;
        findings.retain(|_| {
            let fp = &fps[i];
            i += 1;
            match counts.get_mut(fp) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    hidden += 1;
                    false
                }
                _ => true,
            }
        });
        hidden
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Label, Severity};
    use crate::span::Span;

    fn finding(spans: &[(usize, usize)]) -> Finding {
        Finding {
            check: "enrollment-mismatch".into(),
            severity: Severity::Warning,
            message: "m".into(),
            record: Some("NCT1".into()),
            file: 0,
            labels: spans
                .iter()
                .enumerate()
                .map(|(i, (s, e))| Label {
                    span: Span::new(*s, *e),
                    primary: i == 0,
                    message: format!("at {s}"),
                })
                .collect(),
            notes: vec![],
            help: None,
            vars: vec![],
        }
    }

    #[test]
    fn fingerprints_ignore_offsets_and_spacing() {
        let a = "enrollment 120 ... recruit 80";
        let b = "xx enrollment 120 ... recruit  80";
        let fa = fingerprint(&finding(&[(11, 14), (27, 29)]), a, "a");
        let fb = fingerprint(&finding(&[(14, 17), (30, 33)]), b, "b");
        assert_eq!(fa, fb);
        let c = "enrollment 120 ... recruit 90";
        assert_ne!(fa, fingerprint(&finding(&[(11, 14), (27, 29)]), c, "a"));
        // FNV-1a is fixed: this value must never change between versions.
        let mut h = Fnv::new();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn equal_fingerprints_are_counted() {
        let b = Baseline::new(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            &[(&finding(&[]), "x".to_string())],
        );
        let mut fs = vec![finding(&[]), finding(&[])];
        let hidden = Filter::new(&b).apply(&mut fs, &["x".into(), "x".into()]);
        assert_eq!((hidden, fs.len()), (1, 1));
    }
}
