//! Command-line cases, table-driven (the layout follows trycmd's, as in the
//! typos project): each `tests/cmd/NAME.toml` is one run of the built
//! binary, with its expected standard output in `NAME.stdout`, standard
//! error in `NAME.stderr` and exit code in the TOML file.
//!
//! ```toml
//! args = ["check", "--as-of", "2026-11-21", "record.xml"]
//! status = 1
//! fs = "fixtures/config/project"   # copied into a fresh temporary directory
//! # copy more files or directories of the repository into it (repo path = dest):
//! copy = { "fixtures/config/records" = "records" }
//! cwd = "records"           # run in this subdirectory of it (default: its root)
//! # instead of NAME.stdout, lines the standard output must contain:
//! stdout_contains = ["design-placebo-without-placebo-arm  warning"]
//! # files the run must have written (path in the cwd = expected file in tests/cmd):
//! written = { "out.json" = "baseline-write.json" }
//! ```
//!
//! `TRIALINT_BLESS=1 cargo test --test cli` rewrites the expected outputs
//! (not the exit codes) from the actual ones; `TRIALINT_CASE=NAME` runs one
//! case. Every case passes `--as-of`
//! (or sets `as-of` in its trialint.toml), so outputs are reproducible.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    args: Vec<String>,
    status: i32,
    #[serde(default)]
    fs: Option<String>,
    #[serde(default)]
    copy: BTreeMap<String, String>,
    #[serde(default)]
    written: BTreeMap<String, String>,
    #[serde(default)]
    cwd: Option<String>,
    #[serde(default)]
    stdout_contains: Option<Vec<String>>,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn check_output(path: &Path, actual: &str, bless: bool, failures: &mut Vec<String>) {
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        if bless {
            std::fs::write(path, actual).unwrap();
        } else {
            failures.push(format!(
                "{}: differs\n--- expected\n{expected}\n--- actual\n{actual}",
                path.display()
            ));
        }
    }
}

#[test]
fn cli_cases() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/cmd");
    let bless = std::env::var_os("TRIALINT_BLESS").is_some();
    let only = std::env::var("TRIALINT_CASE").ok();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no cases in tests/cmd");
    let mut failures = Vec::new();
    for case_path in names {
        let stem = case_path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if only.as_deref().is_some_and(|o| o != stem) {
            continue;
        }
        let case: Case = toml::from_str(&std::fs::read_to_string(&case_path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", case_path.display()));
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path().join("work");
        std::fs::create_dir_all(&cwd).unwrap();
        if let Some(fs) = &case.fs {
            copy_dir(&root.join(fs), &cwd);
        }
        for (from, to) in &case.copy {
            let src = root.join(from);
            if src.is_dir() {
                copy_dir(&src, &cwd.join(to));
            } else {
                if let Some(parent) = cwd.join(to).parent() {
                    std::fs::create_dir_all(parent).unwrap();
                }
                std::fs::copy(&src, cwd.join(to)).unwrap();
            }
        }
        let run_in = match &case.cwd {
            Some(sub) => cwd.join(sub),
            None => cwd.clone(),
        };
        let out = Command::new(env!("CARGO_BIN_EXE_trialint"))
            .args(&case.args)
            .current_dir(&run_in)
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let status = out.status.code().unwrap_or(-1);
        if status != case.status {
            failures.push(format!(
                "{stem}: exit code {status}, expected {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
                case.status
            ));
        }
        match &case.stdout_contains {
            Some(lines) => {
                for l in lines {
                    if !stdout.contains(l.as_str()) {
                        failures.push(format!("{stem}: stdout lacks {l:?}\nstdout:\n{stdout}"));
                    }
                }
            }
            None => check_output(
                &dir.join(format!("{stem}.stdout")),
                &stdout,
                bless,
                &mut failures,
            ),
        }
        check_output(
            &dir.join(format!("{stem}.stderr")),
            &stderr,
            bless,
            &mut failures,
        );
        for (written, expected) in &case.written {
            let actual = std::fs::read_to_string(cwd.join(written))
                .unwrap_or_else(|e| format!("(not written: {e})"));
            check_output(&dir.join(expected), &actual, bless, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The guide's worked example is the file the `placebo-example` case runs.
#[test]
fn the_guide_shows_the_tested_example() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/write-your-own-check.md")).unwrap();
    let example =
        std::fs::read_to_string(root.join("examples/user-checks/placebo-without-placebo-arm.toml"))
            .unwrap();
    assert!(
        guide.contains(&format!("```toml\n{example}```")),
        "docs/write-your-own-check.md must show examples/user-checks/placebo-without-placebo-arm.toml verbatim"
    );
}
