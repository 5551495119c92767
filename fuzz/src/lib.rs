//! Shared assertions for the fuzz targets: whatever a reader returns must
//! point into the input it was given.

use trialint::record::Record;
use trialint::span::{Span, Text};

/// A span must lie inside the input and not run backwards.
pub fn assert_span(input: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= input.len(),
        "{what}: span {span:?} outside the input of {} bytes",
        input.len()
    );
}

/// Every span a text maps to lies inside the input.
pub fn assert_text(input: &str, t: &Text, what: &str) {
    assert_span(input, t.whole_span(), what);
    // Spot-check the map at every char boundary of short texts.
    if t.text.len() <= 256 {
        for (i, _) in t.text.char_indices() {
            assert_span(input, t.span(i, t.text.len()), what);
            assert_span(input, t.span(0, i), what);
        }
    }
}

/// Every span of every field of a record lies inside the input.
pub fn assert_record(input: &str, r: &Record) {
    assert_span(input, r.span, "record");
    for f in &r.fields {
        assert_text(input, &f.text, &f.key);
        if let Some(q) = &f.qualifier {
            assert_text(input, q, &f.key);
        }
        if let Some(e) = f.entity {
            assert!(e < r.entities.len(), "{}: entity {e} out of range", f.key);
        }
    }
    for e in &r.entities {
        if let Some(p) = e.parent {
            assert!(p < r.entities.len(), "entity parent {p} out of range");
        }
    }
}

/// Read with one reader and check what it returned.
pub fn check_reader(data: &[u8], read: fn(&str) -> Result<Vec<Record>, String>) {
    let input = String::from_utf8_lossy(data);
    if let Ok(records) = read(&input) {
        for r in &records {
            assert_record(&input, r);
        }
    }
}

// ------------------------------------------------------------------------
// One function per byte-input fuzz target, so that tests/fuzz_regressions.rs
// at the root replays saved inputs through exactly what the fuzzer ran.

use trialint::source;

pub fn read_text(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let record = source::text::read_text(&input);
    assert_record(&input, &record);
}

pub fn read_html(data: &[u8]) {
    check_reader(data, source::html::read);
}

pub fn read_ctgov_json(data: &[u8]) {
    check_reader(data, source::ctgov_json::read);
}

pub fn read_ctgov_json_v1(data: &[u8]) {
    check_reader(data, source::ctgov_json_v1::read);
}

pub fn read_ctgov_xml(data: &[u8]) {
    check_reader(data, source::ctgov_xml::read);
}

pub fn read_ictrp_xml(data: &[u8]) {
    check_reader(data, source::ictrp_xml::read);
}

/// Raw bytes through `decode` (encoding checks), format detection and the
/// detected reader, as a file on disk goes: errors are fine, panics are not.
pub fn source_read(data: &[u8]) {
    let Ok(src) = source::decode("fuzz", data.to_vec()) else {
        return;
    };
    match source::read(&src) {
        Ok(records) => {
            assert!(!records.is_empty());
            for r in &records {
                assert_record(&src.text, r);
            }
        }
        Err(e) => assert_eq!(e.path, "fuzz"),
    }
}

fn checks() -> &'static [trialint::check::Check] {
    static CHECKS: std::sync::OnceLock<Vec<trialint::check::Check>> = std::sync::OnceLock::new();
    CHECKS.get_or_init(|| trialint::check::catalogue::shipped().expect("shipped checks load"))
}

/// The whole run on one input: read, extract facts, run the shipped checks,
/// render every report format. Machine-readable outputs must parse and the
/// terminal output must hold no escape character.
pub fn pipeline(data: &[u8]) {
    use trialint::engine::{self, Run};
    use trialint::report;
    let Ok(src) = source::decode("fuzz.txt", data.to_vec()) else {
        return;
    };
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let mut run = Run {
        files: 1,
        ..Run::default()
    };
    match source::read(&src) {
        Ok(records) => {
            for r in records {
                assert_record(&src.text, &r);
                let findings = engine::check_record(&r, checks(), as_of, 0);
                for f in &findings {
                    for l in &f.labels {
                        assert_span(&src.text, l.span, &f.check);
                    }
                }
                run.findings.extend(findings);
                run.records.push((0, r));
            }
        }
        Err(e) => run.errors.push(e),
    }
    run.sources.push(src);
    let human = report::human::to_string(&run, &report::human::HumanOptions { quiet: false });
    assert!(
        !human.contains('\u{1b}'),
        "escape character in terminal output"
    );
    let json = report::json::render(&run, as_of);
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
    let sarif = report::sarif::render(&run, checks(), as_of);
    serde_json::from_str::<serde_json::Value>(&sarif).expect("the SARIF log parses");
    let _ = report::junit::render(&run, None, as_of);
    let _ = report::github::render(&run);
    let _ = report::html::render(&run, checks(), as_of);
}

/// The TOML check loader on arbitrary text, as shipped and as a user check.
pub fn check_load(data: &[u8]) {
    use trialint::check::load::load_check_with;
    use trialint::check::CheckOrigin;
    let input = String::from_utf8_lossy(data);
    let known = ["date".to_string(), "count".to_string()];
    for (origin, facts) in [
        (CheckOrigin::Shipped("fuzz.toml".into()), None),
        (CheckOrigin::User("fuzz.toml".into()), Some(&known[..])),
    ] {
        if let Err(e) = load_check_with("fuzz.toml", &input, origin, facts) {
            if let Some(span) = e.span {
                assert!(span.start <= span.end && span.end <= input.len() + 1);
            }
        }
    }
}

/// trialint.toml parsing, and a user extractor file, on arbitrary text.
pub fn config_load(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    if let Err(e) = trialint::config::parse("trialint.toml", &input) {
        if let Some(span) = e.span {
            assert!(span.start <= span.end && span.end <= input.len() + 1);
        }
    }
    let _ = trialint::extract::user::load_file("x.extractor.toml", &input);
}

/// The body of a byte-input target.
pub type Target = fn(&[u8]);

/// The byte-input targets by name.
pub const TARGETS: &[(&str, Target)] = &[
    ("read_text", read_text),
    ("read_html", read_html),
    ("read_ctgov_json", read_ctgov_json),
    ("read_ctgov_json_v1", read_ctgov_json_v1),
    ("read_ctgov_xml", read_ctgov_xml),
    ("read_ictrp_xml", read_ictrp_xml),
    ("source_read", source_read),
    ("pipeline", pipeline),
    ("check_load", check_load),
    ("config_load", config_load),
];
