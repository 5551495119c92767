//! `--format json` follows the contract in DESIGN.md, and every label's
//! start/end are exact byte offsets of the original file.

use std::process::Command;

fn trialint(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trialint"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_output_follows_the_contract() {
    let (code, out, err) = trialint(&[
        "check",
        "fixtures/seeds",
        "--format",
        "json",
        "--as-of",
        "2026-11-21",
        "--fail-on",
        "never",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["as_of"], "2026-11-21");
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 5);
    for f in files {
        for k in ["path", "format", "record", "error"] {
            assert!(f.get(k).is_some(), "file entry lacks {k}: {f}");
        }
        assert!(f["format"].as_str().unwrap().starts_with("text:"), "{f}");
    }
    let summary = &v["summary"];
    for k in ["files", "records", "errors", "warnings", "notes"] {
        assert!(summary[k].is_u64(), "summary.{k}");
    }
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for k in [
            "check", "severity", "message", "record", "path", "labels", "notes", "help",
        ] {
            assert!(f.get(k).is_some(), "finding lacks {k}: {f}");
        }
        let path = f["path"].as_str().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let labels = f["labels"].as_array().unwrap();
        assert_eq!(
            labels.iter().filter(|l| l["primary"] == true).count(),
            1,
            "{f}"
        );
        for l in labels {
            let (s, e) = (
                l["start"].as_u64().unwrap() as usize,
                l["end"].as_u64().unwrap() as usize,
            );
            assert!(
                s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
            );
            // line and column agree with the offset
            let (line, col) = (
                l["line"].as_u64().unwrap() as usize,
                l["column"].as_u64().unwrap() as usize,
            );
            let before = &text[..s];
            assert_eq!(line, before.matches('\n').count() + 1);
            let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
            assert_eq!(col, text[line_start..s].chars().count() + 1);
        }
    }
}

#[test]
fn exit_codes_follow_fail_on() {
    let seed = "fixtures/seeds/000_ee92221881a48b3d.txt";
    let (clean, _, _) = trialint(&["check", seed, "--as-of", "2026-11-21", "--fail-on", "never"]);
    assert_eq!(clean, 0);
    let (strict, _, _) = trialint(&["check", seed, "--as-of", "2026-11-21", "--fail-on", "note"]);
    assert_eq!(strict, 1);
}

#[test]
fn unreadable_input_is_exit_2_and_others_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, "{\"protocolSection\": ").unwrap();
    let (code, out, err) = trialint(&[
        "check",
        bad.to_str().unwrap(),
        "fixtures/seeds/000_ee92221881a48b3d.txt",
        "--format",
        "json",
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("broken.json"), "stderr names the file: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["files"][0]["error"].is_string());
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["record"] == "NCT05345418"));
}
