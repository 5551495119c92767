//! Output does not depend on how the work is done: the number of threads,
//! whether a large JSON array is streamed element by element or read whole,
//! and how much of the checked sources the run keeps.

use std::path::{Path, PathBuf};
use std::process::Command;

fn trialint(args: &[&str], envs: &[(&str, &str)]) -> (Vec<u8>, Vec<u8>, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trialint"));
    cmd.args(args)
        .env("CI", "true")
        .env_remove("TRIALINT_STREAM_THRESHOLD");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out.stdout, out.stderr, out.status.code().unwrap_or(-1))
}

/// Studies of the API v2 JSON format fixtures (arrays and pages split into their
/// studies), and the first records of the shared corpus when it is there,
/// in a fixed order.
fn studies() -> Vec<serde_json::Value> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new("fixtures/formats")
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    for corpus in [
        "../shared/corpus/ctgov-json",
        "../../shared/corpus/ctgov-json",
    ] {
        let mut more: Vec<PathBuf> = std::fs::read_dir(corpus)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        more.sort();
        if !more.is_empty() {
            paths.extend(more.into_iter().take(20));
            break;
        }
    }
    let mut out = Vec::new();
    for p in paths {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let items = match v {
            serde_json::Value::Array(a) => a,
            serde_json::Value::Object(ref o) if o.contains_key("studies") => {
                o["studies"].as_array().cloned().unwrap_or_default()
            }
            other => vec![other],
        };
        out.extend(
            items
                .into_iter()
                .filter(|s| s.get("protocolSection").is_some()),
        );
    }
    out
}

/// One top-level array of the studies, pretty or as a single line; and the
/// same as JSON Lines.
fn write_multi(dir: &Path) -> (String, String, String) {
    let docs = studies();
    assert!(docs.len() >= 5, "expected JSON fixtures");
    let pretty: Vec<String> = docs
        .iter()
        .map(|d| serde_json::to_string_pretty(d).unwrap())
        .collect();
    let compact: Vec<String> = docs
        .iter()
        .map(|d| serde_json::to_string(d).unwrap())
        .collect();
    let array = dir.join("array.json");
    std::fs::write(&array, format!("[\n{}\n]\n", pretty.join(",\n"))).unwrap();
    let one_line = dir.join("one-line.json");
    std::fs::write(&one_line, format!("\u{feff}[{}]", compact.join(","))).unwrap();
    let lines = dir.join("studies.jsonl");
    std::fs::write(&lines, compact.join("\n") + "\n").unwrap();
    (
        array.to_string_lossy().into_owned(),
        one_line.to_string_lossy().into_owned(),
        lines.to_string_lossy().into_owned(),
    )
}

const FORMATS: &[&str] = &["human", "json", "github", "junit", "sarif", "html"];

#[test]
fn jobs_1_and_jobs_8_give_identical_output() {
    let tmp = tempfile::tempdir().unwrap();
    let (pretty, _, lines) = write_multi(tmp.path());
    for format in FORMATS {
        for stream in ["0", "100000000000"] {
            let base = [
                "check",
                // the seeds (findings of many checks) and one record per
                // format; the whole fixtures/checks tree made this test take
                // minutes in a debug build
                "fixtures/seeds",
                "fixtures/formats",
                &pretty,
                &lines,
                "--as-of",
                "2026-11-21",
                "--fail-on",
                "never",
                "--format",
                format,
            ];
            let env = [("TRIALINT_STREAM_THRESHOLD", stream)];
            let one = trialint(&[&base[..], &["--jobs", "1"]].concat(), &env);
            let eight = trialint(&[&base[..], &["--jobs", "8"]].concat(), &env);
            assert!(!one.0.is_empty());
            assert_eq!(
                String::from_utf8_lossy(&one.0),
                String::from_utf8_lossy(&eight.0),
                "--format {format}, stream threshold {stream}"
            );
            assert_eq!(one.1, eight.1);
            assert_eq!(one.2, eight.2);
        }
    }
}

#[test]
fn streamed_arrays_report_what_whole_reads_report() {
    let tmp = tempfile::tempdir().unwrap();
    let (pretty, one_line, lines) = write_multi(tmp.path());
    // SARIF lists one artifact per source, and a streamed file has one
    // source per element with findings: compared apart below. The HTML
    // report shows a streamed record's text without what shares its
    // first and last lines (the `,` after a `}`): not compared.
    for format in ["human", "json", "github", "junit"] {
        for file in [&pretty, &one_line, &lines] {
            let args = [
                "check",
                file.as_str(),
                "--as-of",
                "2026-11-21",
                "--fail-on",
                "never",
                "--format",
                format,
            ];
            let whole = trialint(&args, &[("TRIALINT_STREAM_THRESHOLD", "100000000000")]);
            let streamed = trialint(&args, &[("TRIALINT_STREAM_THRESHOLD", "0")]);
            assert_eq!(whole.2, 0, "{}", String::from_utf8_lossy(&whole.1));
            assert_eq!(
                String::from_utf8_lossy(&whole.0),
                String::from_utf8_lossy(&streamed.0),
                "--format {format} on {file}"
            );
        }
    }
    // SARIF: the same results (positions, snippets, char offsets) and the
    // same artifacts (one per file, however it was read).
    for file in [&pretty, &one_line] {
        let args = [
            "check",
            file.as_str(),
            "--as-of",
            "2026-11-21",
            "--format",
            "sarif",
        ];
        let run = |env: &str| {
            let out = trialint(&args, &[("TRIALINT_STREAM_THRESHOLD", env)]);
            let v: serde_json::Value = serde_json::from_slice(&out.0).unwrap();
            v["runs"][0].clone()
        };
        let (whole, streamed) = (run("100000000000"), run("0"));
        assert_eq!(whole["results"], streamed["results"], "{file}");
        assert_eq!(whole["artifacts"], streamed["artifacts"], "{file}");
        assert_eq!(whole["artifacts"].as_array().map(Vec::len), Some(1));
    }
}

#[test]
fn a_broken_element_is_reported_and_the_others_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let (pretty, _, _) = write_multi(tmp.path());
    let text = std::fs::read_to_string(&pretty).unwrap();
    let cut = tmp.path().join("cut.json");
    std::fs::write(&cut, &text[..text.len() * 2 / 3]).unwrap();
    let (out, err, code) = trialint(
        &[
            "check",
            cut.to_str().unwrap(),
            "--as-of",
            "2026-11-21",
            "--format",
            "json",
        ],
        &[("TRIALINT_STREAM_THRESHOLD", "0")],
    );
    assert_eq!(code, 2);
    assert!(String::from_utf8_lossy(&err).contains("EOF"));
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(v["summary"]["records"].as_u64().unwrap() > 0);
    assert_eq!(v["summary"]["unreadable"], 1);
}

#[test]
fn kept_lines_render_like_whole_sources() {
    use trialint::engine::{run_keeping, Keep, Options};
    let checks = trialint::app::load_catalogue(&[]).expect("shipped checks load");
    let opts = Options {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        jobs: 1,
    };
    let paths = vec!["fixtures/checks".to_string(), "fixtures/seeds".to_string()];
    let full = run_keeping(&paths, &checks, &opts, &[], &(), Keep::Full);
    let kept = run_keeping(&paths, &checks, &opts, &[], &(), Keep::Labelled);
    assert!(!full.findings.is_empty());
    let as_of = opts.as_of;
    assert_eq!(
        trialint::report::json::render(&full, as_of),
        trialint::report::json::render(&kept, as_of)
    );
    let human = |run: &trialint::engine::Run| {
        let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        trialint::report::human::render(
            run,
            &mut out,
            &trialint::report::human::HumanOptions { quiet: false },
        )
        .unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    };
    assert_eq!(human(&full), human(&kept));
    assert_eq!(
        trialint::report::sarif::render(&full, &checks, as_of),
        trialint::report::sarif::render(&kept, &checks, as_of)
    );
    // Sources without findings keep no text.
    assert!(kept
        .sources
        .iter()
        .enumerate()
        .all(|(i, s)| s.text.is_empty() || kept.findings.iter().any(|f| f.file == i)));
}

/// A directory is read in name order, byte by byte, depth first: what
/// the output lists first does not depend on the order the files were
/// made in (nor on the file system's own order).
#[test]
fn a_directory_is_read_in_name_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(dir.join("c")).unwrap();
    let made = [
        "b.json", "c.json", "a.json", "c/z.json", "a0.json", "A.json", "c/a.json", "a-.json",
    ];
    for name in made {
        std::fs::write(dir.join(name), "{").unwrap();
    }
    let (out, _, code) = trialint(&["check", "--format", "json", dir.to_str().unwrap()], &[]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let listed: Vec<String> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = Path::new(f["path"].as_str().unwrap());
            p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned()
        })
        .collect();
    let want = [
        "A.json", "a-.json", "a.json", "a0.json", "b.json", "c/a.json", "c/z.json", "c.json",
    ];
    assert_eq!(listed, want);
}
