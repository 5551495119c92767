//! A run built by hand for the output-format tests: three files (a page
//! text with hostile content, one huge JSON line, two records in one file
//! whose ids collide without case), one unreadable input, and findings of
//! every severity with overlapping, secondary and empty labels.

#![allow(dead_code)]

use trialint::check::{Check, Finding, Label, Severity};
use trialint::engine::{FileEntry, Run};
use trialint::record::{keys, EntityKind, Record};
use trialint::source::{ReadError, SourceFile};
use trialint::span::{Span, Text};

pub fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

pub fn catalogue() -> Vec<Check> {
    trialint::app::load_catalogue(&[]).expect("shipped checks load")
}

pub const PAGE: &str = "Study NCT01234567: Émile's <script>alert('x')</script> trial\n\
Estimated Enrollment : 158 participants\n\
Brief Summary: In phase II, 40 males with \"hormone\" deficiency </textarea> will be recruited.\n\
Study Start : 2023-05-01\n\
Primary Completion : 2022-12-31\n\
Contact: Phuong Nguyen | v.phuong@example.org\n\
Contact: Nguyen T Liem | v.phuong@example.org\n\
Control chars: \u{1b}[31mred\u{7} & done\n";

/// Offsets of the `n`-th occurrence (0-based) of `needle` in `hay`.
pub fn find(hay: &str, needle: &str, n: usize) -> Span {
    let mut from = 0;
    for _ in 0..n {
        from += hay[from..].find(needle).unwrap() + needle.len();
    }
    let s = from + hay[from..].find(needle).unwrap();
    Span::new(s, s + needle.len())
}

fn field(r: &mut Record, text: &str, key: &str, value: &str) -> usize {
    let sp = find(text, value, 0);
    r.push(key.to_string(), Text::verbatim(value, sp.start))
}

fn contact(r: &mut Record, text: &str, role: &str, name: &str, email: &str, n: usize) {
    let e = r.add_entity(EntityKind::Contact, Some(role.to_string()), None);
    let sp = find(text, name, 0);
    r.push_in(e, keys::CONTACT_NAME, Text::verbatim(name, sp.start));
    let sp = find(text, email, n);
    r.push_in(e, keys::CONTACT_EMAIL, Text::verbatim(email, sp.start));
}

pub fn finding(
    check: &str,
    severity: Severity,
    message: &str,
    record: Option<&str>,
    file: usize,
    labels: Vec<Label>,
    vars: &[(&'static str, &str)],
) -> Finding {
    Finding {
        check: check.to_string(),
        severity,
        message: message.to_string(),
        record: record.map(str::to_string),
        file,
        labels,
        notes: vec!["compared at day precision".to_string()],
        help: Some("correct one of the two values".to_string()),
        vars: vars.iter().map(|(k, v)| (*k, v.to_string())).collect(),
    }
}

pub fn huge_json() -> String {
    let filler = "lorem ipsum dolor sit amet ".repeat(300);
    format!(
        "{{\"id\": \"../../etc/passwd\", \"summary\": \"{filler} Twenty-two subjects <b>bold</b> {filler}\", \"enrollment\": 20}}"
    )
}

pub const PAIR: &str = "[{\"id\": \"NCT1\", \"start\": \"2020-01-01\", \"end\": \"2019-01-01\"},\n {\"id\": \"nct1\", \"start\": \"2021-01-01\", \"end\": \"2020-01-01\"}]\n";

/// The hand-made run: findings in the engine's order (by file, then by
/// primary label).
pub fn sample_run() -> Run {
    let mut run = Run::default();
    // 0: unreadable input, first as the engine puts walk errors first
    run.errors.push(ReadError {
        path: "records/bad \"file\".bin".into(),
        reason: "the file contains NUL bytes: it is binary, not a registry record".into(),
    });
    run.entries.push(FileEntry {
        path: "records/bad \"file\".bin".into(),
        source: None,
        format: None,
        record: None,
        error: Some(run.errors[0].reason.clone()),
    });

    // source 0: page text
    let page = PAGE.to_string();
    let mut r = Record::new("text:test");
    r.id = Some("NCT01234567".into());
    r.span = Span::new(0, page.len());
    let mut t = Text::verbatim("Émile", find(&page, "Émile", 0).start);
    t.text = "Dr. Émile O'Brien, <Sponsor-Investigator>".into();
    r.push(keys::RESPONSIBLE_PARTY, t);
    let mut t = Text::verbatim("Émile", find(&page, "Émile", 0).start);
    t.text = "=HYPERLINK(\"x\") University".into();
    r.push(keys::LEAD_SPONSOR, t);
    field(&mut r, &page, keys::ENROLLMENT, "158");
    contact(
        &mut r,
        &page,
        "central contact",
        "Phuong Nguyen",
        "v.phuong@example.org",
        0,
    );
    contact(
        &mut r,
        &page,
        "central contact",
        "Nguyen T Liem",
        "v.phuong@example.org",
        1,
    );
    run.sources
        .push(SourceFile::new("records/NCT01234567.txt", page.clone()));
    run.entries.push(FileEntry {
        path: "records/NCT01234567.txt".into(),
        source: Some(0),
        format: Some("text:test".into()),
        record: Some("NCT01234567".into()),
        error: None,
    });
    run.records.push((0, r));

    // source 1: one huge JSON line
    let json = huge_json();
    let mut r = Record::new("ctgov-json");
    r.id = Some("../../etc/passwd".into());
    r.span = Span::new(0, json.len());
    run.sources
        .push(SourceFile::new("records/huge.json", json.clone()));
    run.entries.push(FileEntry {
        path: "records/huge.json".into(),
        source: Some(1),
        format: Some("ctgov-json".into()),
        record: Some("../../etc/passwd".into()),
        error: None,
    });
    run.records.push((1, r));

    // source 2: two records whose ids differ only in case
    let pair = PAIR.to_string();
    for (k, id) in ["NCT1", "nct1"].iter().enumerate() {
        let mut r = Record::new("ctgov-json");
        r.id = Some(id.to_string());
        let start = find(&pair, "{", k).start;
        let end = find(&pair, "}", k).end;
        r.span = Span::new(start, end);
        run.entries.push(FileEntry {
            path: "records/pair.json".into(),
            source: Some(2),
            format: Some("ctgov-json".into()),
            record: Some(id.to_string()),
            error: None,
        });
        run.records.push((2, r));
    }
    run.sources
        .push(SourceFile::new("records/pair.json", pair.clone()));
    run.files = 4;

    // findings, source 0
    let enroll = find(&page, "158", 0);
    let males = find(&page, "40 males", 0);
    let start = find(&page, "2023-05-01", 0);
    let pc = find(&page, "2022-12-31", 0);
    let mail0 = find(&page, "v.phuong@example.org", 0);
    let mail1 = find(&page, "v.phuong@example.org", 1);
    let script = find(&page, "<script>alert('x')</script>", 0);
    let ctrl = find(&page, "\u{1b}[31mred\u{7}", 0);
    run.findings.push(finding(
        "cell-source-conflict",
        Severity::Note,
        "title mentions <script> (a note with \"quotes\" & ampersands)",
        Some("NCT01234567"),
        0,
        vec![Label::primary(script, "here: <b>not bold</b>")],
        &[("a", "<script>"), ("b", "x")],
    ));
    run.findings.push(finding(
        "enrollment-mismatch",
        Severity::Warning,
        "enrollment 158 disagrees with 40 stated in the text",
        Some("NCT01234567"),
        0,
        vec![
            Label::primary(enroll, "the enrollment field says 158"),
            Label::secondary(males, "the summary says 40"),
        ],
        &[("reference", "158"), ("values", "40 (\"40 males\")")],
    ));
    run.findings.push(finding(
        "date-order",
        Severity::Error,
        "primary completion 2022-12-31 is before the start 2023-05-01",
        Some("NCT01234567"),
        0,
        vec![
            Label::secondary(start, "start"),
            Label::primary(pc, "primary completion"),
            // an empty label, and one overlapping the primary
            Label::secondary(Span::new(pc.end, pc.end), "end of the date"),
            Label::secondary(
                Span::new(pc.start + 5, pc.end + 1),
                "month, day and line end",
            ),
        ],
        &[("later", "2022-12-31"), ("earlier", "2023-05-01")],
    ));
    run.findings.push(finding(
        "contact-shared-email",
        Severity::Warning,
        "v.phuong@example.org is listed for Phuong Nguyen and Nguyen T Liem",
        Some("NCT01234567"),
        0,
        vec![
            Label::primary(mail1, "listed for Nguyen T Liem"),
            Label::secondary(mail0, "listed for Phuong Nguyen"),
        ],
        &[
            ("value", "v.phuong@example.org"),
            ("people", "Phuong Nguyen and Nguyen T Liem"),
        ],
    ));
    run.findings.push(finding(
        "age-max-mismatch",
        Severity::Note,
        "control characters \u{1b}[31m in the record",
        Some("NCT01234567"),
        0,
        vec![Label::primary(ctrl, "escape sequence")],
        &[],
    ));
    // source 1: the huge line
    let tw = find(&json, "Twenty-two subjects", 0);
    let en = find(&json, "20}", 0);
    let en = Span::new(en.start, en.start + 2);
    run.findings.push(finding(
        "enrollment-mismatch",
        Severity::Warning,
        "enrollment 20 disagrees with 22 stated in the text",
        Some("../../etc/passwd"),
        1,
        vec![
            Label::secondary(tw, "the summary says 22"),
            Label::primary(en, "the enrollment field says 20"),
        ],
        &[("reference", "20"), ("values", "22")],
    ));
    // source 2: both records
    for (k, id) in ["NCT1", "nct1"].iter().enumerate() {
        let s = find(&pair, "\"start\": \"", k).end;
        let e = find(&pair, "\"end\": \"", k).end;
        run.findings.push(finding(
            "date-order",
            Severity::Error,
            "completion is before the start",
            Some(id),
            2,
            vec![
                Label::primary(Span::new(e, e + 10), "completion"),
                Label::secondary(Span::new(s, s + 10), "start"),
            ],
            &[("later", "the completion"), ("earlier", "the start")],
        ));
    }
    run
}
