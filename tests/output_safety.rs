//! Outputs are safe to open whatever the records say:
//! - the terminal report holds no escape sequence, bell or bidi control,
//!   from record text, record ids or file names;
//! - JSON, SARIF and JUnit stay valid for any record text (property test);
//! - correction-request files stay inside the output directory whatever the
//!   record id says;
//! - a run never writes to its inputs (bytes and mtimes unchanged).
//!
//! The HTML report in a browser (no script from a record runs) is
//! `html_report_browser.rs`.

mod support;

use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use trialint::check::{Label, Severity};
use trialint::engine::{FileEntry, Run};
use trialint::record::Record;
use trialint::report::{github, json, junit, sarif};
use trialint::source::{ReadError, SourceFile};
use trialint::span::Span;

const AGE_FAIL: &str =
    "fixtures/checks/age-min-mismatch/fail/handmade-001-min-18-vs-20-years-old.txt";

/// What must never reach a terminal from a record or a file name.
fn assert_terminal_safe(s: &str) {
    for (i, c) in s.char_indices() {
        let bad =
            (c.is_control() && c != '\n' && c != '\t') || trialint::report::is_bidi_control(c);
        assert!(
            !bad,
            "control character {c:?} at byte {i} in terminal output:\n{}",
            &s[i.saturating_sub(200)..(i + 50).min(s.len())]
        );
    }
}

/// The age fixture with hostile text on the line a finding points at.
fn hostile_page() -> String {
    let page = std::fs::read_to_string(AGE_FAIL).unwrap();
    let payload = "2. Married <script>document.title='pwned'</script><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"></textarea>\"'&amp; \u{1b}[2J\u{1b}]0;owned\u{7}\u{202e}gnp.exe\u{9b}31m,";
    assert!(page.contains("2. Married,"));
    page.replacen("2. Married,", payload, 1)
}

#[test]
fn terminal_output_escapes_record_text_ids_and_file_names() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "page \u{1b}[31mred\u{7}\u{202e}.txt";
    std::fs::write(tmp.path().join(name), hostile_page()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trialint"))
        .args(["check", name, "missing \u{1b}[1m.json"])
        .current_dir(tmp.path())
        .env("CI", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.contains("age-min-mismatch"),
        "the finding is still reported:\n{stdout}"
    );
    assert!(stdout.contains("20 years stated here"), "{stdout}");
    assert!(stdout.contains("?[2J?]0;owned"), "{stdout}");
    assert_terminal_safe(&stdout);
    assert_terminal_safe(&stderr);
    // the same run in the other formats, on stderr too
    for format in ["json", "sarif", "junit", "github", "html"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_trialint"))
            .args(["check", "--format", format, name, "missing \u{1b}[1m.json"])
            .current_dir(tmp.path())
            .env("CI", "true")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert_terminal_safe(&String::from_utf8(out.stderr).unwrap());
        let stdout = String::from_utf8(out.stdout).unwrap();
        if format == "json" || format == "sarif" {
            serde_json::from_str::<Value>(&stdout).unwrap();
        }
        if format == "github" || format == "html" || format == "junit" {
            assert!(!stdout.contains('\u{1b}'), "{format}");
        }
    }
}

// ------------------------------------------------- any text, valid output

/// A run over one source of arbitrary text, with a finding whose labels,
/// message and notes quote it, and a read error with an arbitrary path.
fn run_over(text: &str, id: &str, path: &str, quote: &str) -> Run {
    let mut run = Run::default();
    run.errors.push(ReadError {
        path: path.to_string(),
        reason: format!("not valid: {quote}"),
    });
    run.entries.push(FileEntry {
        path: path.to_string(),
        source: None,
        format: None,
        record: None,
        error: Some(format!("not valid: {quote}")),
    });
    let mut r = Record::new("text:test");
    r.id = Some(id.to_string());
    r.span = Span::new(0, text.len());
    run.sources.push(SourceFile::new(path, text));
    run.entries.push(FileEntry {
        path: path.to_string(),
        source: Some(0),
        format: Some("text:test".into()),
        record: Some(id.to_string()),
        error: None,
    });
    // spans on char boundaries, as readers make them
    let mut cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    cuts.push(text.len());
    let a = cuts[cuts.len() / 3];
    let b = cuts[cuts.len() * 2 / 3];
    let mut f = support::finding(
        "date-order",
        Severity::Error,
        &format!("the value {quote:?} is wrong"),
        Some(id),
        0,
        vec![
            Label::primary(Span::new(a, b), format!("read as {quote}")),
            Label::secondary(Span::new(0, a), quote.to_string()),
            Label::secondary(Span::new(b, b), "empty"),
        ],
        &[("value", quote)],
    );
    f.notes.push(quote.to_string());
    f.help = Some(quote.to_string());
    run.findings.push(f);
    run.records.push((0, r));
    run.files = 2;
    run
}

fn assert_outputs_valid(run: &Run) {
    let as_of = support::as_of();
    let checks = support::catalogue();
    let j: Value = serde_json::from_str(&json::render(run, as_of)).expect("JSON parses");
    assert_eq!(j["findings"].as_array().unwrap().len(), 1);
    let s: Value = serde_json::from_str(&sarif::render(run, &checks, as_of)).expect("SARIF parses");
    assert_eq!(s["runs"][0]["results"].as_array().unwrap().len(), 1);
    let x = junit::render(run, None, as_of);
    let mut reader = quick_xml::Reader::from_str(&x);
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.unescape().expect("JUnit text unescapes");
            }
            Ok(_) => {}
            Err(e) => panic!("JUnit XML does not parse: {e}\n{x}"),
        }
    }
    assert_eq!(depth, 0);
    for c in x.chars() {
        // XML 1.0 allows only these characters
        let ok = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}');
        assert!(ok, "{c:?} is not allowed in XML");
    }
    // one workflow command per line
    for line in github::render(run).lines() {
        assert!(line.starts_with("::") || line.is_empty(), "{line:?}");
    }
    assert_terminal_safe(&trialint::report::human::to_string(
        run,
        &trialint::report::human::HumanOptions { quiet: false },
    ));
}

fn nasty_text() -> impl Strategy<Value = String> {
    // control characters, quotes, markup, bidi, non-characters, astral
    prop::collection::vec(
        prop_oneof![
            any::<char>().prop_map(|c| c.to_string()),
            prop::sample::select(vec![
                "\u{0}",
                "\u{1b}[31m",
                "\u{7}",
                "\u{8}",
                "\r\n",
                "\u{7f}",
                "\u{85}",
                "\u{9b}",
                "\u{2028}",
                "\u{2029}",
                "\u{202e}",
                "\u{feff}",
                "\u{fffe}",
                "\u{ffff}",
                "\u{10ffff}",
                "\"",
                "'",
                "\\",
                "<",
                ">",
                "&",
                "]]>",
                "</textarea>",
                "<script>alert(1)</script>",
                "%0A",
                "::error ::",
                "\\ud800",
                "\n",
                "\t",
            ])
            .prop_map(str::to_string),
        ],
        1..40,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn machine_outputs_stay_valid_for_any_record_text(
        text in nasty_text(),
        id in nasty_text(),
        path in nasty_text(),
        quote in nasty_text(),
    ) {
        assert_outputs_valid(&run_over(&text, &id, &path, &quote));
    }
}

#[test]
fn lone_surrogates_in_json_records_stay_escaped() {
    // The reader decodes `\ud800` to U+FFFD; the outputs stay valid.
    let doc = r#"{"protocolSection":{"identificationModule":{"nctId":"NCT0\ud8001","briefTitle":"a \udc00 b \u0000 c \u001b[31m"},"descriptionModule":{"briefSummary":"x \ud83d\ude00 \ud800"}}}"#;
    let records = trialint::source::ctgov_json::read(doc).unwrap();
    assert_eq!(records.len(), 1);
    let r = &records[0];
    let mut run = Run::default();
    run.sources.push(SourceFile::new("s.json", doc));
    run.records.push((0, r.clone()));
    let title = r.get("title").unwrap().text.text.clone();
    let f = support::finding(
        "date-order",
        Severity::Warning,
        &title,
        r.id.as_deref(),
        0,
        vec![Label::primary(
            r.get("title").unwrap().span(),
            title.clone(),
        )],
        &[],
    );
    run.findings.push(f);
    run.files = 1;
    assert_outputs_valid(&run);
}

// ------------------------------------------------- correction requests

#[test]
fn request_files_stay_in_the_output_directory_whatever_the_id() {
    let hostile_ids = [
        "../../etc/x",
        "..\\..\\windows\\system32",
        "/etc/passwd",
        "CON",
        "con.md",
        "NUL",
        "a/b",
        "a\u{0}b",
        ".",
        "..",
        "",
        "requests.csv",
        "REQUESTS",
        "\u{202e}dm.exe",
        "é漢字🙂",
        "-rf",
        &"x".repeat(5000),
        &"é".repeat(3000),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path();
    let out = parent.join("out");
    let text = "NCT1 start 2020 end 2019";
    let mut run = Run::default();
    for (i, id) in hostile_ids.iter().enumerate() {
        let mut r = Record::new("text:test");
        r.id = Some(id.to_string());
        r.span = Span::new(0, text.len());
        run.sources
            .push(SourceFile::new(format!("in/{i}.txt"), text));
        run.entries.push(FileEntry {
            path: format!("in/{i}.txt"),
            source: Some(i),
            format: Some("text:test".into()),
            record: Some(id.to_string()),
            error: None,
        });
        run.findings.push(support::finding(
            "date-order",
            Severity::Error,
            "end before start",
            Some(id),
            i,
            vec![Label::primary(Span::new(10, 14), "start")],
            &[],
        ));
        run.records.push((i, r));
    }
    run.files = hostile_ids.len();
    let written =
        trialint::request::write_requests(&run, &support::catalogue(), &out, support::as_of())
            .unwrap();
    assert_eq!(written.len(), hostile_ids.len());
    // nothing but `out` was created next to it
    let around: Vec<PathBuf> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(around, vec![out.clone()]);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            assert!(e.file_type().unwrap().is_file());
            e.file_name().into_string().unwrap()
        })
        .collect();
    names.sort();
    assert_eq!(names.len(), hostile_ids.len() + 1, "{names:?}");
    for n in &names {
        assert!(n.len() <= trialint::request::MAX_NAME + 8, "{n}");
        assert!(
            !n.starts_with('.') && !n.starts_with('-') || n.starts_with("-rf"),
            "{n}"
        );
        assert!(
            n.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
            "{n}"
        );
        let stem = n.split('.').next().unwrap().to_ascii_uppercase();
        assert!(
            !["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str()),
            "{n}"
        );
    }
    assert!(names.contains(&"requests.csv".to_string()));
    for w in &written {
        assert!(Path::new(&w.file).components().count() == 1);
        assert!(out.join(&w.file).is_file());
    }
}

// ------------------------------------------------- inputs never written

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut v = Vec::new();
    for e in walk(dir) {
        let m = std::fs::symlink_metadata(&e).unwrap();
        if m.is_file() {
            v.push((e.clone(), std::fs::read(&e).unwrap(), m.modified().unwrap()));
        }
    }
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if std::fs::symlink_metadata(&p).unwrap().is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_run_never_writes_to_its_inputs() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let before = snapshot(&fixtures);
    assert!(before.len() > 20);
    let tmp = tempfile::tempdir().unwrap();
    let baseline = tmp.path().join("baseline.json");
    let requests = tmp.path().join("requests");
    let bin = env!("CARGO_BIN_EXE_trialint");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("CI", "true")
            .output()
            .unwrap()
    };
    for format in ["human", "json", "sarif", "junit", "github", "html"] {
        let o = run(&[
            "check",
            "--format",
            format,
            "fixtures/formats",
            "fixtures/checks",
        ]);
        assert!(o.status.code().is_some());
    }
    let o = run(&[
        "check",
        "--write-baseline",
        baseline.to_str().unwrap(),
        "fixtures/checks",
    ]);
    assert!(o.status.code().is_some());
    assert!(baseline.is_file());
    let o = run(&[
        "check",
        "--baseline",
        baseline.to_str().unwrap(),
        "fixtures/checks",
    ]);
    assert!(o.status.code().is_some());
    let o = run(&[
        "request",
        "--out",
        requests.to_str().unwrap(),
        "fixtures/checks",
    ]);
    assert!(
        o.status.code().is_some(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(requests.join("requests.csv").is_file());
    // no temporary files left behind
    for e in walk(tmp.path()) {
        let n = e.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!n.ends_with(".tmp"), "left behind: {n}");
    }
    let after = snapshot(&fixtures);
    assert_eq!(
        before.len(),
        after.len(),
        "files added or removed under fixtures/"
    );
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0);
        assert!(b.1 == a.1, "{} changed", b.0.display());
        assert_eq!(b.2, a.2, "{} modified", b.0.display());
    }
}
