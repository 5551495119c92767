//! `--format junit`: a JUnit XML report for CI systems that show test
//! results (GitLab, Jenkins, Azure Pipelines, ...).
//!
//! One test suite; one test case per record (`classname` = the file's path,
//! `name` = the record id). A record fails (one `<failure>` listing every
//! finding at or above `--fail-on`) when it has such findings; findings
//! below the threshold go to its `<system-out>`. An input that could not be
//! read is a test case with an `<error>`.

use super::records::{group, primary, Positions, RecordView};
use super::spool::Spool;
use crate::check::{Finding, Severity};
use crate::engine::Run;
use std::io::Write;

/// Escape text for XML content and attribute values. Characters XML 1.0
/// does not allow at all (most control characters, U+FFFE, U+FFFF) become
/// U+FFFD; line breaks and tabs in attributes are written as references so
/// parsers keep them.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Escape for element content, where line breaks stay as they are.
fn escape_text(s: &str) -> String {
    escape(s)
        .replace("&#10;", "\n")
        .replace("&#9;", "\t")
        .replace("&#13;", "")
}

fn describe(run: &Run, pos: &[Positions], f: &Finding) -> String {
    let mut s = format!("{}[{}]: {}", f.severity, f.check, f.message);
    if let (Some(l), Some(src)) = (primary(f), run.sources.get(f.file)) {
        let (line, col) = pos[f.file].line_col(l.span.start);
        s.push_str(&format!("\n  --> {}:{line}:{col}", src.path));
    }
    for l in &f.labels {
        if let Some(src) = run.sources.get(f.file) {
            let (line, _) = pos[f.file].line_col(l.span.start);
            let quoted: String = src.snippet(l.span).chars().take(200).collect();
            s.push_str(&format!("\n  line {line}: {:?}", quoted));
            if !l.message.is_empty() {
                s.push_str(&format!(" ({})", l.message));
            }
        }
    }
    for n in &f.notes {
        s.push_str(&format!("\n  note: {n}"));
    }
    if let Some(h) = &f.help {
        s.push_str(&format!("\n  help: {h}"));
    }
    s
}

/// Render the run as JUnit XML. `fail_on`: the lowest severity that fails
/// a record (`None`: nothing fails, as with `--fail-on never`).
pub fn render(run: &Run, fail_on: Option<Severity>, as_of: chrono::NaiveDate) -> String {
    let mut s = Stream::new(fail_on, as_of);
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = s.add(run).and_then(|()| s.finish(&mut out));
    String::from_utf8(out).unwrap_or_default()
}

fn failing<'r>(run: &'r Run, v: &RecordView<'r>, fail_on: Option<Severity>) -> Vec<&'r Finding> {
    v.findings(run)
        .filter(|f| fail_on.is_some_and(|t| f.severity >= t))
        .collect()
}

/// The JUnit report written piece by piece (see [`super::spool`]): the
/// test cases are spooled, the counts in the header are known at the end.
pub struct Stream {
    fail_on: Option<Severity>,
    as_of: chrono::NaiveDate,
    tests: usize,
    failures: usize,
    errors: usize,
    cases: Spool,
}

impl Stream {
    pub fn new(fail_on: Option<Severity>, as_of: chrono::NaiveDate) -> Stream {
        Stream {
            fail_on,
            as_of,
            tests: 0,
            failures: 0,
            errors: 0,
            cases: Spool::new(),
        }
    }

    /// Render one piece of the run: one test case per record.
    pub fn add(&mut self, run: &Run) -> std::io::Result<()> {
        let fail_on = self.fail_on;
        let views = group(run);
        let pos: Vec<Positions> = run.sources.iter().map(Positions::new).collect();
        let mut out = String::new();
        for v in &views {
            self.tests += 1;
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
                escape(v.path),
                escape(&v.name())
            ));
            if let Some(err) = v.error {
                self.errors += 1;
                out.push_str(">\n");
                out.push_str(&format!(
                    "      <error message=\"{}\" type=\"read-error\">{}</error>\n",
                    escape(err),
                    escape_text(&format!("{}: {err}", v.path))
                ));
                out.push_str("    </testcase>\n");
                continue;
            }
            let fail = failing(run, v, fail_on);
            let rest: Vec<&Finding> = v
                .findings(run)
                .filter(|f| !fail.iter().any(|g| std::ptr::eq(*g, *f)))
                .collect();
            if !fail.is_empty() {
                self.failures += 1;
            }
            if fail.is_empty() && rest.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            if !fail.is_empty() {
                let worst = fail
                    .iter()
                    .map(|f| f.severity)
                    .max()
                    .unwrap_or(Severity::Note);
                let mut names: Vec<&str> = Vec::new();
                for f in &fail {
                    if !names.contains(&f.check.as_str()) {
                        names.push(&f.check);
                    }
                }
                let message = format!(
                    "{} finding{} at or above {}: {}",
                    fail.len(),
                    if fail.len() == 1 { "" } else { "s" },
                    fail_on.map(|s| s.as_str()).unwrap_or("never"),
                    names.join(", ")
                );
                let text: Vec<String> = fail.iter().map(|f| describe(run, &pos, f)).collect();
                out.push_str(&format!(
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                    escape(&message),
                    worst.as_str(),
                    escape_text(&text.join("\n\n"))
                ));
            }
            if !rest.is_empty() {
                let text: Vec<String> = rest.iter().map(|f| describe(run, &pos, f)).collect();
                out.push_str(&format!(
                    "      <system-out>{}</system-out>\n",
                    escape_text(&text.join("\n\n"))
                ));
            }
            out.push_str("    </testcase>\n");
        }
        self.cases.write_all(out.as_bytes())
    }

    /// Write the whole report.
    pub fn finish(self, w: &mut dyn Write) -> std::io::Result<()> {
        let Stream {
            fail_on,
            as_of,
            tests,
            failures,
            errors,
            cases,
        } = self;
        // `skipped` only on the suite: the common JUnit schemas (Jenkins,
        // Surefire) do not allow it on <testsuites>.
        let counts =
            format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"0\"");
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!("<testsuites name=\"trialint\" {counts}>\n"));
        out.push_str(&format!(
            "  <testsuite name=\"trialint\" {counts} skipped=\"0\" timestamp=\"{}T00:00:00\">\n",
            as_of.format("%Y-%m-%d")
        ));
        out.push_str("    <properties>\n");
        out.push_str(&format!(
            "      <property name=\"as_of\" value=\"{}\"/>\n",
            as_of.format("%Y-%m-%d")
        ));
        out.push_str(&format!(
            "      <property name=\"fail_on\" value=\"{}\"/>\n",
            fail_on.map(|s| s.as_str()).unwrap_or("never")
        ));
        out.push_str("    </properties>\n");
        w.write_all(out.as_bytes())?;
        cases.copy_to(w)?;
        w.write_all(b"  </testsuite>\n</testsuites>\n")
    }
}
