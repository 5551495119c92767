//! Suppressions: `[[suppress]]` entries of `trialint.toml` that accept a
//! known finding for a record (a glob over record ids) and a check (a name,
//! group, prefix or `all`), with a required reason and an optional expiry.
//!
//! A suppressed finding is not reported; the summary counts it. A
//! suppression whose `expires` date is before `--as-of` no longer hides
//! anything and is itself reported (`expired-suppression`, a warning); one
//! that hid nothing although its check ran on a record it names is reported
//! as `unused-suppression` (a note). Both are diagnostics on standard error
//! pointing into `trialint.toml`, not record findings: they are about the
//! configuration, not about a record.

use crate::check::Finding;
use crate::config::At;
use std::ops::Range;

/// One `[[suppress]]` entry.
#[derive(Clone, Debug)]
pub struct Suppression {
    /// Record id or glob (`*` any run, `?` one character).
    pub record: At,
    /// Check name, group, prefix or `all`.
    pub check: At,
    pub reason: String,
    pub expires: Option<chrono::NaiveDate>,
    pub expires_span: Option<Range<usize>>,
    /// The whole entry in the file.
    pub span: Range<usize>,
}

impl Suppression {
    pub fn expired(&self, as_of: chrono::NaiveDate) -> bool {
        self.expires.is_some_and(|e| e < as_of)
    }

    pub fn matches_record(&self, record: Option<&str>) -> bool {
        record.is_some_and(|r| glob(&self.record.value, r))
    }
}

/// What applying the suppressions did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Findings hidden.
    pub suppressed: usize,
    /// Per suppression (same order): findings it hid.
    pub hits: Vec<usize>,
}

/// Remove the findings an active suppression covers. `check_matches(name,
/// pattern)` says whether a check pattern selects a check by name.
pub fn apply(
    findings: &mut Vec<Finding>,
    suppressions: &[Suppression],
    as_of: chrono::NaiveDate,
    check_matches: &dyn Fn(&str, &str) -> bool,
) -> Outcome {
    let mut out = Outcome {
        suppressed: 0,
        hits: vec![0; suppressions.len()],
    };
    findings.retain(|f| {
        let hit = suppressions.iter().position(|s| {
            !s.expired(as_of)
                && s.matches_record(f.record.as_deref())
                && check_matches(&f.check, &s.check.value)
        });
        match hit {
            Some(i) => {
                out.hits[i] += 1;
                out.suppressed += 1;
                false
            }
            None => true,
        }
    });
    out
}

/// Glob match with `*` (any run of characters) and `?` (one character).
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("NCT0534*", "NCT05345418"));
        assert!(glob("NCT05345418", "NCT05345418"));
        assert!(glob("NCT0?345418", "NCT05345418"));
        assert!(glob("*", "x"));
        assert!(!glob("NCT0534*", "NCT0535"));
        assert!(!glob("NCT0534", "NCT05345418"));
    }
}
