//! The output formats for CI gates, curators and correction requests:
//! SARIF (validated against the OASIS schema), GitHub workflow commands
//! (escaping), JUnit XML (parsed with an XML parser, structure checked),
//! the HTML report (escaping and structure; the browser test is
//! `tests/html_report_browser.rs`) and correction requests (content, file
//! names, CSV). All from the hand-made run in `tests/support`.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use support::{as_of, catalogue, find, sample_run, PAGE};
use trialint::check::Severity;
use trialint::report::{github, html, junit, sarif};

// ---------------------------------------------------------------- SARIF

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(log: &Value) {
    let v = sarif_validator();
    let errors: Vec<String> = v
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_is_valid_against_the_oasis_schema() {
    let run = sample_run();
    let out = sarif::render(&run, &catalogue(), as_of());
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log);
    // and the validator does reject a broken log
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!sarif_validator().is_valid(&broken));
    let mut broken = log;
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!sarif_validator().is_valid(&broken));
}

#[test]
fn sarif_results_locations_rules_and_properties() {
    let run = sample_run();
    let checks = catalogue();
    let log: Value = serde_json::from_str(&sarif::render(&run, &checks, as_of())).unwrap();
    let r = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(r["properties"]["as_of"], "2026-11-21");
    assert_eq!(r["columnKind"], "unicodeCodePoints");
    let rules = r["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), checks.len());
    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), run.findings.len());
    for (res, f) in results.iter().zip(&run.findings) {
        assert_eq!(res["ruleId"], f.check.as_str());
        let rule = &rules[res["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], f.check.as_str());
        assert_eq!(
            res["level"],
            match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            }
        );
        assert_eq!(res["properties"]["record"], f.record.as_deref().unwrap());
        assert_eq!(res["locations"].as_array().unwrap().len(), 1);
        let related = res["relatedLocations"]
            .as_array()
            .map(|a| a.len())
            .unwrap_or(0);
        assert_eq!(related, f.labels.len() - 1);
        assert!(res["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&f.message));
    }
    // rule documentation from the check file
    let c = checks.iter().find(|c| c.name == "date-order").unwrap();
    let rule = rules.iter().find(|x| x["id"] == "date-order").unwrap();
    assert_eq!(rule["shortDescription"]["text"], c.summary.as_str());
    assert_eq!(rule["fullDescription"]["text"], c.docs.what.trim());
    assert!(rule["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("**How to fix.**"));
    assert_eq!(rule["defaultConfiguration"]["level"], "error");

    // the date-order finding: primary location, exact bytes, characters
    // (the line before has a two-byte É) and lines/columns
    let (fi, f) = run
        .findings
        .iter()
        .enumerate()
        .find(|(_, f)| f.check == "date-order" && f.file == 0)
        .unwrap();
    let region = &results[fi]["locations"][0]["physicalLocation"]["region"];
    let pc = find(PAGE, "2022-12-31", 0);
    assert_eq!(region["byteOffset"], pc.start);
    assert_eq!(region["byteLength"], 10);
    assert_eq!(
        region["charOffset"],
        pc.start - 1,
        "É is two bytes, one character"
    );
    assert_eq!(region["charLength"], 10);
    assert_eq!(region["startLine"], 5);
    assert_eq!(region["startColumn"], 22);
    assert_eq!(region["endLine"], 5);
    assert_eq!(region["endColumn"], 32);
    assert_eq!(region["snippet"]["text"], "2022-12-31");
    let uri = &results[fi]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "records/NCT01234567.txt");
    let related = results[fi]["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), f.labels.len() - 1);
    assert_eq!(related[0]["message"]["text"], "start");
    // a label running past the end of the line ends on the next line
    let last = &related[2]["physicalLocation"]["region"];
    assert_eq!(last["startLine"], 5);
    assert_eq!(last["endLine"], 6);
    assert_eq!(last["endColumn"], 1);
    // the unreadable input is a notification, and the run was not successful
    let inv = &r["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(
        inv["toolExecutionNotifications"].as_array().unwrap().len(),
        1
    );
    assert_eq!(
        inv["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]["uri"],
        "records/bad%20%22file%22.bin"
    );
}

#[test]
fn sarif_paths_are_uris() {
    assert_eq!(sarif::path_uri("a b/ü.json"), "a%20b/%C3%BC.json");
    assert_eq!(sarif::path_uri("/tmp/x.json"), "file:///tmp/x.json");
    assert_eq!(sarif::path_uri("dir\\x#1.xml"), "dir/x%231.xml");
}

#[test]
fn sarif_is_deterministic() {
    let a = sarif::render(&sample_run(), &catalogue(), as_of());
    let b = sarif::render(&sample_run(), &catalogue(), as_of());
    assert_eq!(a, b);
}

// ---------------------------------------------------------------- GitHub

#[test]
fn github_escaping() {
    assert_eq!(
        github::escape_data("50% done\r\nnext"),
        "50%25 done%0D%0Anext"
    );
    assert_eq!(github::escape_data("a:b,c"), "a:b,c");
    assert_eq!(
        github::escape_property("dir:x,y%\n.json"),
        "dir%3Ax%2Cy%25%0A.json"
    );
    // a literal "%0A" in data stays literal after the runner unescapes it
    assert_eq!(github::escape_data("%0A"), "%250A");
    // no raw control character reaches the log
    assert_eq!(github::escape_data("a\u{1b}[31mb"), "a [31mb");
}

/// Undo the runner's escaping (for the round-trip test).
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_annotations() {
    let run = sample_run();
    let out = github::render(&run);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), run.findings.len() + run.errors.len());
    // the read error first
    assert!(lines[0]
        .starts_with("::error file=records/bad \"file\".bin,title=trialint%3A read error::"));
    for (line, f) in lines[1..].iter().zip(&run.findings) {
        let cmd = match f.severity {
            Severity::Error => "::error ",
            Severity::Warning => "::warning ",
            Severity::Note => "::notice ",
        };
        assert!(line.starts_with(cmd), "{line}");
        let (props, message) = line[cmd.len()..].split_once("::").unwrap();
        let props: BTreeMap<&str, String> = props
            .split(',')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k, unescape(v))
            })
            .collect();
        assert_eq!(props["title"], f.check);
        assert!(props.contains_key("line") && props.contains_key("endColumn"));
        let message = unescape(message);
        assert!(
            message.contains(&f.message.replace('\u{1b}', " ")),
            "{message}"
        );
        assert!(!line.contains('\r') && !line.contains('\u{1b}'));
    }
    let date = lines
        .iter()
        .find(|l| l.contains("title=date-order") && l.contains("NCT01234567"))
        .unwrap();
    assert!(date.starts_with(
        "::error file=records/NCT01234567.txt,line=5,col=22,endLine=5,endColumn=32,title=date-order::NCT01234567: primary completion"
    ));
    assert!(date.contains("%0Ahelp: correct one of the two values"));
}

// ---------------------------------------------------------------- JUnit

#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn all(&self, name: &str) -> Vec<&Node> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

/// Parse XML with quick-xml into a tree (fails on any malformed input).
fn parse_xml(xml: &str) -> Node {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack = vec![Node::default()];
    let open = |e: &quick_xml::events::BytesStart| {
        let mut n = Node {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            ..Node::default()
        };
        for a in e.attributes() {
            let a = a.expect("well-formed attribute");
            n.attrs.insert(
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.unescape_value().expect("valid escapes").into_owned(),
            );
        }
        n
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(open(&e)),
            Event::Empty(e) => {
                let n = open(&e);
                stack.last_mut().unwrap().children.push(n);
            }
            Event::End(_) => {
                let n = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(n);
            }
            Event::Text(t) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&t.unescape().expect("valid escapes")),
            Event::CData(t) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&String::from_utf8_lossy(&t)),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut doc = stack.pop().unwrap();
    assert_eq!(doc.children.len(), 1, "one root element");
    doc.children.pop().unwrap()
}

/// Every character of a document must be one XML 1.0 allows.
fn assert_xml_chars(xml: &str) {
    for c in xml.chars() {
        let ok = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
        assert!(ok, "character U+{:04X} is not allowed in XML", c as u32);
    }
}

#[test]
fn junit_structure() {
    let run = sample_run();
    let xml = junit::render(&run, Some(Severity::Error), as_of());
    assert_xml_chars(&xml);
    let root = parse_xml(&xml);
    assert_eq!(root.name, "testsuites");
    let suites = root.all("testsuite");
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    let cases = suite.all("testcase");
    // one per record and one per unreadable input
    assert_eq!(cases.len(), run.records.len() + run.errors.len());
    assert_eq!(suite.attrs["tests"], cases.len().to_string());
    let props = &suite.all("properties")[0].all("property");
    assert!(props
        .iter()
        .any(|p| p.attrs["name"] == "as_of" && p.attrs["value"] == "2026-11-21"));

    // what the Jenkins/Surefire JUnit schema (xunit-plugin junit-10.xsd)
    // allows where (checked with xmllint against it while writing this)
    let allowed = |n: &Node, attrs: &[&str], required: &[&str], children: &[&str]| {
        for a in n.attrs.keys() {
            assert!(attrs.contains(&a.as_str()), "{} may not have @{a}", n.name);
        }
        for a in required {
            assert!(n.attrs.contains_key(*a), "{} needs @{a}", n.name);
        }
        for c in &n.children {
            assert!(
                children.contains(&c.name.as_str()),
                "{} may not hold <{}>",
                n.name,
                c.name
            );
        }
    };
    allowed(
        &root,
        &["name", "time", "tests", "failures", "errors"],
        &[],
        &["testsuite"],
    );
    allowed(
        suite,
        &[
            "name",
            "tests",
            "failures",
            "errors",
            "time",
            "skipped",
            "timestamp",
        ],
        &["name", "tests", "failures", "errors"],
        &["properties", "testcase", "system-out", "system-err"],
    );
    for c in &cases {
        allowed(
            c,
            &["name", "classname", "time"],
            &["name"],
            &["failure", "error", "skipped", "system-out", "system-err"],
        );
        for f in c.all("failure").iter().chain(c.all("error").iter()) {
            allowed(f, &["type", "message"], &[], &[]);
        }
    }

    let by_name: BTreeMap<&str, &Node> = cases
        .iter()
        .map(|c| (c.attrs["name"].as_str(), *c))
        .collect();
    // the unreadable input
    let bad = cases[0];
    assert_eq!(bad.attrs["classname"], "records/bad \"file\".bin");
    assert_eq!(bad.all("error").len(), 1);
    assert!(bad.all("error")[0].attrs["message"].contains("NUL bytes"));
    // the page record: one failure with its one error-level finding; the
    // warnings and notes are in system-out
    let page = by_name["NCT01234567"];
    assert_eq!(page.attrs["classname"], "records/NCT01234567.txt");
    let failures = page.all("failure");
    assert_eq!(failures.len(), 1);
    assert_eq!(
        failures[0].attrs["message"],
        "1 finding at or above error: date-order"
    );
    assert_eq!(failures[0].attrs["type"], "error");
    assert!(failures[0]
        .text
        .contains("primary completion 2022-12-31 is before the start 2023-05-01"));
    assert!(failures[0]
        .text
        .contains("--> records/NCT01234567.txt:5:22"));
    let out = &page.all("system-out")[0].text;
    assert!(out.contains("enrollment 158 disagrees"));
    assert!(out.contains("<script>"), "text unescaped by the parser");
    // the huge record has only a warning: it passes at --fail-on error
    let huge = by_name["../../etc/passwd"];
    assert!(huge.all("failure").is_empty());
    assert_eq!(suite.attrs["failures"], "3");
    assert_eq!(suite.attrs["errors"], "1");
    assert!(by_name.contains_key("NCT1") && by_name.contains_key("nct1"));
}

#[test]
fn junit_fail_on_threshold() {
    let run = sample_run();
    let root = parse_xml(&junit::render(&run, Some(Severity::Note), as_of()));
    let suite = root.all("testsuite")[0];
    assert_eq!(suite.attrs["failures"], "4");
    let page = suite
        .all("testcase")
        .into_iter()
        .find(|c| c.attrs["name"] == "NCT01234567")
        .unwrap();
    let f = page.all("failure");
    assert_eq!(f.len(), 1);
    assert!(f[0].attrs["message"].starts_with("5 findings at or above note: "));
    assert!(page.all("system-out").is_empty());

    let root = parse_xml(&junit::render(&run, None, as_of()));
    let suite = root.all("testsuite")[0];
    assert_eq!(suite.attrs["failures"], "0");
    assert_eq!(suite.attrs["errors"], "1");
}

#[test]
fn junit_escapes_what_xml_cannot_hold() {
    assert_eq!(junit::escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
    assert_eq!(junit::escape("x\u{1b}y\u{0}"), "x\u{fffd}y\u{fffd}");
    assert_eq!(junit::escape("1\n2"), "1&#10;2");
}

// ---------------------------------------------------------------- HTML

#[test]
fn html_escapes_every_byte_of_record_text_and_messages() {
    let run = sample_run();
    let page = html::render(&run, &catalogue(), as_of());
    // nothing from a record becomes markup
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(!page.contains("</textarea>"));
    assert!(!page.contains("<b>not bold</b>") && !page.contains("<b>bold</b>"));
    assert!(!page.contains('\u{1b}') && !page.contains('\u{7}'));
    assert!(page.contains("\u{241b}[31mred\u{2407}"), "control pictures");
    // exactly one script element: ours
    assert_eq!(page.matches("<script").count(), 1);
    assert_eq!(page.matches("</script>").count(), 1);
    // self-contained: nothing is fetched
    for bad in [
        "src=\"http",
        "href=\"http",
        "url(",
        "@import",
        "<link",
        "<iframe",
        "<img",
    ] {
        assert!(!page.contains(bad), "{bad}");
    }
    // the Content-Security-Policy: no network at all, and only the page's
    // own script and style, by hash
    let csp = page
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a Content-Security-Policy meta tag");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    assert!(directives.contains(&"default-src 'none'"), "{csp}");
    assert!(
        !csp.contains("unsafe") && !csp.contains("connect-src") && !csp.contains("http"),
        "{csp}"
    );
    let inner = |tag: &str| {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        let a = page.find(&open).unwrap() + open.len();
        let b = page[a..].find(&close).unwrap() + a;
        page[a..b].to_string()
    };
    use trialint::report::sha256::csp_hash;
    assert!(
        directives.contains(&format!("script-src {}", csp_hash(&inner("script"))).as_str()),
        "{csp}"
    );
    assert!(
        directives.contains(&format!("style-src {}", csp_hash(&inner("style"))).as_str()),
        "{csp}"
    );
    assert!(page.find("Content-Security-Policy").unwrap() < page.find("<style>").unwrap());
}

#[test]
fn html_structure() {
    let run = sample_run();
    let page = html::render(&run, &catalogue(), as_of());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        page.matches("<li class=\"finding ").count(),
        run.findings.len()
    );
    assert_eq!(page.matches("<section class=\"record\"").count(), 4);
    // every label that is shown has a link to its first highlight
    let labels: usize = run.findings.iter().map(|f| f.labels.len()).sum();
    assert_eq!(page.matches("<a class=\"lbl").count(), labels);
    // an empty label is an empty mark
    assert!(page.contains(" empty\" data-f="));
    // the huge JSON line is shown whole, wrapped by CSS
    assert!(page.contains("white-space: pre-wrap"));
    assert!(page.contains("Twenty-two subjects"));
    // the chart has a bar per check with findings
    assert!(page.contains("<svg class=\"chart\""));
    assert!(page.contains("<a href=\"#check=date-order\">"));
    // unreadable inputs are listed
    assert!(page.contains("records/bad &quot;file&quot;.bin"));
    assert_eq!(page, html::render(&run, &catalogue(), as_of()));
}

// ---------------------------------------------------------------- requests

#[test]
fn correction_requests_and_csv() {
    use trialint::request::write_requests;
    let run = sample_run();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let written = write_requests(&run, &catalogue(), &dir, as_of()).unwrap();
    let files: Vec<&str> = written.iter().map(|w| w.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "NCT01234567.md",
            "_._.._etc_passwd.md",
            "NCT1.md",
            "nct1-2.md"
        ]
    );
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            "NCT01234567.md",
            "NCT1.md",
            "_._.._etc_passwd.md",
            "nct1-2.md",
            "requests.csv"
        ],
        "nothing else, no temporary file left"
    );
    // nothing escaped DIR
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);

    let md = std::fs::read_to_string(dir.join("NCT01234567.md")).unwrap();
    if std::env::var_os("SHOW_MD").is_some() {
        eprintln!("{md}");
    }
    assert!(md.starts_with("# Correction request: NCT01234567\n"));
    assert!(md.contains("**To:** Dr. Émile O'Brien, \\<Sponsor-Investigator\\>\n"));
    assert!(md.contains("- Central contact: Phuong Nguyen, v.phuong@example.org\n"));
    assert!(md.contains("5 inconsistencies"));
    // the question with the finding's values, and the field
    assert!(md.contains(
        "**Question:** The record gives the number of participants as 158 in the enrollment field, but the text states 40 (\"40 males\"). What is the planned (or actual) enrollment?"
    ));
    assert!(md.contains("**Field to correct:** Enrollment"));
    // the conflicting text, quoted and escaped
    assert!(md.contains(
        "> “158” (the enrollment field says 158) — line 2, column 24\n>\n> “40 males” (the summary says 40) — line 3, column 29\n\n"
    ));
    assert!(md.contains("“\\<script\\>alert('x')\\</script\\>”"));
    assert!(md.contains("(here: \\<b\\>not bold\\</b\\>)"));
    assert!(!md.contains("<script>") && !md.contains('\u{1b}'));
    // a question whose values the finding lacks falls back to the message
    assert!(md.contains(
        "**Question:** control characters \\[31m in the record. Correct one of the two values"
    ));
    assert!(!md.contains("{reference}"));

    let csv = std::fs::read_to_string(dir.join("requests.csv")).unwrap();
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(rows[0], "record,recipient,email,issues,file");
    assert_eq!(
        rows[1],
        "NCT01234567,\"Dr. Émile O'Brien, <Sponsor-Investigator>\",v.phuong@example.org,5,NCT01234567.md"
    );
    assert_eq!(rows[2], "../../etc/passwd,,,1,_._.._etc_passwd.md");
    assert_eq!(rows.len(), 6, "four rows, a header and the final line end");
}

#[test]
fn file_names_are_safe() {
    use trialint::request::{csv_field, safe_stem, unique_names};
    assert_eq!(safe_stem("NCT05345418"), "NCT05345418");
    assert_eq!(safe_stem("../../x"), "_._.._x");
    assert_eq!(safe_stem(".hidden"), "_hidden");
    assert_eq!(safe_stem("a/b\\c:d*e?f\u{0}g é"), "a_b_c_d_e_f_g__");
    assert_eq!(safe_stem(""), "record");
    assert_eq!(safe_stem("CON"), "_CON");
    assert_eq!(safe_stem("lpt1.x"), "_lpt1.x");
    assert_eq!(
        safe_stem(&"x".repeat(500)).len(),
        trialint::request::MAX_NAME
    );
    let long = "é".repeat(100);
    assert!(safe_stem(&long).len() <= trialint::request::MAX_NAME);
    let names = unique_names(&["A".into(), "a".into(), "a".into(), "requests".into()]);
    assert_eq!(names, ["A.md", "a-2.md", "a-3.md", "requests.md"]);
    assert_eq!(csv_field("plain"), "plain");
    assert_eq!(csv_field("a,b"), "\"a,b\"");
    assert_eq!(csv_field("say \"hi\"\n"), "\"say \"\"hi\"\"\n\"");
    assert_eq!(csv_field("=1+1"), "'=1+1");
}

#[test]
fn requests_never_write_outside_dir() {
    use trialint::request::write_atomic;
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["../x.md", "a/b.md", "..", ".", "", "/etc/x"] {
        assert!(write_atomic(tmp.path(), bad, b"x").is_err(), "{bad:?}");
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    // a symlink in DIR is replaced, not followed
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("victim.md");
        std::fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, tmp.path().join("NCT9.md")).unwrap();
        write_atomic(tmp.path(), "NCT9.md", b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("NCT9.md")).unwrap(),
            "new"
        );
    }
}

// ---------------------------------------------------------------- progress

#[test]
fn progress_counts_every_input_and_stays_hidden() {
    use trialint::engine::{run_with_progress, Options};
    let bar = trialint::progress::Bar::with(false);
    let opts = Options {
        as_of: as_of(),
        jobs: 2,
    };
    let paths = vec![
        "fixtures/checks/date-order".to_string(),
        "fixtures/checks/age-max-mismatch".to_string(),
    ];
    let run = run_with_progress(&paths, &catalogue(), &opts, &bar);
    assert!(run.files > 0);
    assert_eq!(bar.position() as usize, run.files);
}

// ---------------------------------------------------------------- CLI

fn trialint(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_trialint"))
        .args(args)
        .env("CI", "true")
        .output()
        .unwrap()
}

#[test]
fn cli_formats_end_to_end() {
    let inputs = [
        "fixtures/checks/date-order",
        "fixtures/checks/age-max-mismatch",
    ];
    let base = |fmt: &str| {
        let mut v = vec!["check", "--as-of", "2026-11-21", "--format"];
        v.push(Box::leak(fmt.to_string().into_boxed_str()));
        v.extend(inputs);
        v
    };
    let out = trialint(&base("sarif"));
    assert!(out.status.code().unwrap() <= 1, "{out:?}");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&log);
    assert!(out.stderr.is_empty(), "no progress bar in CI");

    let out = trialint(&base("junit"));
    let root = parse_xml(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(root.all("testsuite").len(), 1);

    let out = trialint(&base("html"));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("<!DOCTYPE html>"));

    let out = trialint(&base("github"));
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        assert!(line.starts_with("::"), "{line}");
    }
}

#[test]
fn cli_request_command() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("requests");
    let out = trialint(&[
        "request",
        "fixtures/checks/date-order",
        "--as-of",
        "2026-11-21",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let csv = std::fs::read_to_string(dir.join("requests.csv")).unwrap();
    assert!(csv.starts_with("record,recipient,email,issues,file\r\n"));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("wrote "), "{stdout}");
}
