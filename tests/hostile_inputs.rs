//! Hostile inputs, as a CI gate on scraped pages sees them: truncated or
//! binary downloads, wrong encodings, gigantic or deeply nested documents,
//! XML entity bombs and external entities, symlink loops, FIFOs, dangling
//! links, directories where a file is expected.
//!
//! For each: the real binary is run on the hostile input AND a good record,
//! under a time limit (and, for the 200 MB record, a memory limit). The run
//! must end in time with exit code 2, name the hostile file with a clear
//! reason, and still check the good record.
//!
//! The 200 MB record is generated at test time into a temporary directory
//! and checked by the debug binary that `cargo test` builds (it takes a few
//! seconds of CPU; its peak RSS is read from /proc while it runs).

use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GOOD: &str = "fixtures/formats/ctgov-json/NCT02992574.json";

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
    /// Peak resident set size in KiB, when /proc tells it.
    peak_rss_kb: Option<u64>,
}

/// Run trialint with `args` in `dir`; killed (and the test failed) after
/// `limit`.
fn trialint_in(dir: &Path, args: &[&str], limit: Duration) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trialint"))
        .args(args)
        .current_dir(dir)
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start trialint");
    let pipe = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            r.read_to_end(&mut v).ok();
            String::from_utf8_lossy(&v).into_owned()
        })
    };
    let out = pipe(Box::new(child.stdout.take().unwrap()));
    let err = pipe(Box::new(child.stderr.take().unwrap()));
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let start = Instant::now();
    let mut peak = None;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = Some(kb);
            }
        }
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("trialint {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Outcome {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        peak_rss_kb: peak,
    }
}

/// A temporary directory holding `good.json` (a real record).
fn workdir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join(GOOD), tmp.path().join("good.json")).unwrap();
    tmp
}

/// Check `hostile` (a name in `dir`) together with good.json; assert exit
/// code 2, the hostile input named with a reason containing `reason`, and
/// good.json checked. Returns the JSON report.
fn expect_unreadable(dir: &Path, hostile: &str, reason: &str) -> Value {
    let o = trialint_in(
        dir,
        &["check", "--format", "json", hostile, "good.json"],
        Duration::from_secs(60),
    );
    assert_eq!(o.code, 2, "exit code for {hostile}; stderr: {}", o.stderr);
    let report: Value = serde_json::from_str(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON report for {hostile} parses: {e}\n{}", o.stdout));
    let files = report["files"].as_array().unwrap();
    let bad: Vec<&Value> = files
        .iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with(hostile))
        .collect();
    assert!(
        !bad.is_empty(),
        "{hostile} is named in the report: {report}"
    );
    for f in &bad {
        let e = f["error"].as_str().unwrap_or("");
        assert!(
            e.to_lowercase().contains(&reason.to_lowercase()),
            "{hostile}: reason {e:?} should say {reason:?}"
        );
    }
    let good: Vec<&Value> = files.iter().filter(|f| f["path"] == "good.json").collect();
    assert_eq!(good.len(), 1, "good.json still checked: {report}");
    assert!(good[0]["error"].is_null());
    assert_eq!(good[0]["record"], "NCT02992574");
    // and the human report names it too
    let human = trialint_in(
        dir,
        &["check", hostile, "good.json"],
        Duration::from_secs(60),
    );
    assert_eq!(human.code, 2);
    assert!(
        human.stderr.contains(hostile) || human.stdout.contains(hostile),
        "human output names {hostile}:\n{}\n{}",
        human.stdout,
        human.stderr
    );
    report
}

#[test]
fn invalid_utf8() {
    let d = workdir();
    let mut bytes = std::fs::read(d.path().join("good.json")).unwrap();
    bytes.truncate(500);
    bytes.extend_from_slice(b"\xC3\x28 latin-1 caf\xE9");
    std::fs::write(d.path().join("latin1.json"), bytes).unwrap();
    expect_unreadable(d.path(), "latin1.json", "not valid UTF-8");
}

#[test]
fn utf16_with_bom() {
    let d = workdir();
    for (name, bom, big) in [
        ("le.xml", [0xFF, 0xFE], false),
        ("be.xml", [0xFE, 0xFF], true),
    ] {
        let mut bytes = bom.to_vec();
        for u in "<clinical_study><brief_title>x</brief_title></clinical_study>".encode_utf16() {
            bytes.extend(if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        std::fs::write(d.path().join(name), bytes).unwrap();
        expect_unreadable(d.path(), name, "UTF-16");
    }
}

#[test]
fn nul_bytes() {
    let d = workdir();
    std::fs::write(
        d.path().join("binary.txt"),
        b"Study Overview\n\0\0\x01\x02PK\x03\x04",
    )
    .unwrap();
    expect_unreadable(d.path(), "binary.txt", "NUL");
}

#[test]
fn empty_file() {
    let d = workdir();
    std::fs::write(d.path().join("empty.html"), b"").unwrap();
    expect_unreadable(d.path(), "empty.html", "empty");
    std::fs::write(d.path().join("blank.json"), b"\xEF\xBB\xBF  \n\t\n").unwrap();
    expect_unreadable(d.path(), "blank.json", "white space");
}

#[test]
fn truncated_downloads() {
    let d = workdir();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, from) in [
        ("cut.json", GOOD),
        ("cut.xml", "fixtures/formats/ctgov-xml/NCT00001160.xml"),
        (
            "cut-ictrp.xml",
            "fixtures/formats/ictrp-xml/DRKS00015863.xml",
        ),
    ] {
        let bytes = std::fs::read(root.join(from)).unwrap();
        let mut cut = bytes.len() / 2;
        while std::str::from_utf8(&bytes[..cut]).is_err() {
            cut -= 1;
        }
        std::fs::write(d.path().join(name), &bytes[..cut]).unwrap();
        let report = expect_unreadable(d.path(), name, "");
        let e = report["files"][0]["error"].as_str().unwrap().to_string();
        assert!(!e.is_empty(), "{name}: a reason is given");
    }
}

/// A 200 MB record: checked within bounded time and memory.
#[test]
fn record_of_200_mb() {
    let d = workdir();
    let good = std::fs::read_to_string(d.path().join("good.json")).unwrap();
    // Put 200 MB of prose in the detailed description.
    let key = "\"briefSummary\": \"";
    let at = good.find(key).expect("the fixture has a brief summary") + key.len();
    let sentence = "Participants will be followed for 12 months after enrollment; the study drug is given twice daily. ";
    let mut f = std::io::BufWriter::new(std::fs::File::create(d.path().join("huge.json")).unwrap());
    use std::io::Write;
    f.write_all(&good.as_bytes()[..at]).unwrap();
    let size = 200 * 1024 * 1024;
    for _ in 0..size / sentence.len() {
        f.write_all(sentence.as_bytes()).unwrap();
    }
    f.write_all(&good.as_bytes()[at..]).unwrap();
    f.flush().unwrap();
    drop(f);
    let len = std::fs::metadata(d.path().join("huge.json")).unwrap().len();
    assert!(len >= size as u64);

    let o = trialint_in(
        d.path(),
        &["check", "--format", "json", "huge.json", "good.json"],
        Duration::from_secs(600),
    );
    assert!(o.code == 0 || o.code == 1, "exit {}: {}", o.code, o.stderr);
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(report["summary"]["records"], 2);
    assert_eq!(report["summary"]["unreadable"], 0);
    if let Some(kb) = o.peak_rss_kb {
        eprintln!("200 MB record: peak RSS {} MiB", kb / 1024);
        assert!(
            kb < 2 * 1024 * 1024,
            "peak RSS {} MiB for a 200 MB record",
            kb / 1024
        );
    }
}

#[test]
fn json_nested_100000_levels() {
    let d = workdir();
    let n = 100_000;
    // as the whole document
    let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
    std::fs::write(d.path().join("deep.json"), deep).unwrap();
    expect_unreadable(d.path(), "deep.json", "");
    // inside a study, where a field's value should be
    let deep = format!(
        "{{\"protocolSection\":{{\"identificationModule\":{{\"nctId\":\"NCT00000001\",\"briefTitle\":{}1{}}}}}}}",
        "{\"a\":".repeat(n),
        "}".repeat(n)
    );
    std::fs::write(d.path().join("deep-field.json"), &deep).unwrap();
    let o = trialint_in(
        d.path(),
        &["check", "--format", "json", "deep-field.json", "good.json"],
        Duration::from_secs(60),
    );
    assert!((0..=2).contains(&o.code), "{}", o.stderr);
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(report["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["path"] == "good.json" && f["error"].is_null()));
    // and as JSON Lines
    let lines = format!("{}\n{}\n", "[".repeat(n), "{".repeat(n));
    std::fs::write(d.path().join("deep.jsonl"), lines).unwrap();
    expect_unreadable(d.path(), "deep.jsonl", "");
}

#[test]
fn xml_and_html_nested_deeply() {
    let d = workdir();
    let n = 100_000;
    let xml = format!(
        "<clinical_study>{}{}</clinical_study>",
        "<a>".repeat(n),
        "</a>".repeat(n)
    );
    std::fs::write(d.path().join("deep.xml"), xml).unwrap();
    expect_unreadable(d.path(), "deep.xml", "nested");
    let html = format!(
        "<!DOCTYPE html><html><body>{}NCT00000001{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    std::fs::write(d.path().join("deep.html"), html).unwrap();
    let o = trialint_in(
        d.path(),
        &["check", "--format", "json", "deep.html", "good.json"],
        Duration::from_secs(60),
    );
    assert!((0..=2).contains(&o.code), "{}", o.stderr);
    serde_json::from_str::<Value>(&o.stdout).unwrap();
}

const LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
 <!ENTITY net SYSTEM "http://127.0.0.1:9/never">
]>
"#;

#[test]
fn xml_entity_bombs_and_external_entities_are_never_expanded() {
    use trialint::source::{ctgov_xml, ictrp_xml};
    let ctgov = format!(
        "{LAUGHS}<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><brief_title>A &lol9; B &xxe; C &net;</brief_title><brief_summary><textblock>&xxe;</textblock></brief_summary></clinical_study>"
    );
    let ictrp = format!(
        "{LAUGHS}<Trials_downloaded_from_ICTRP><Trial><TrialID>NCT00000001</TrialID><Public_title>A &lol9; B &xxe;</Public_title></Trial></Trials_downloaded_from_ICTRP>"
    );
    let html = format!("{LAUGHS}<html><body><h1>NCT00000001 &lol9; &xxe;</h1></body></html>");
    let start = Instant::now();
    for records in [ctgov_xml::read(&ctgov), ictrp_xml::read(&ictrp)] {
        for r in records.unwrap_or_default() {
            for f in &r.fields {
                assert!(!f.text.text.contains("lollol"), "{}: expanded", f.key);
                assert!(!f.text.text.contains("root:"), "{}: file read", f.key);
                assert!(f.text.text.len() < 1000);
            }
        }
    }
    assert!(start.elapsed() < Duration::from_secs(10));

    let d = workdir();
    std::fs::write(d.path().join("laughs.xml"), &ctgov).unwrap();
    std::fs::write(d.path().join("laughs-ictrp.xml"), &ictrp).unwrap();
    std::fs::write(d.path().join("laughs.html"), &html).unwrap();
    for name in ["laughs.xml", "laughs-ictrp.xml", "laughs.html"] {
        let o = trialint_in(
            d.path(),
            &["check", "--format", "json", name, "good.json"],
            Duration::from_secs(60),
        );
        assert!((0..=2).contains(&o.code), "{name}: {}", o.stderr);
        assert!(!o.stdout.contains("root:"), "{name}");
        assert!(!o.stdout.contains("lollol"), "{name}");
        let o = trialint_in(d.path(), &["check", name], Duration::from_secs(60));
        assert!(!o.stdout.contains("root:") && !o.stdout.contains("lollol"));
        assert!(o.peak_rss_kb.is_none_or(|kb| kb < 512 * 1024));
    }
}

#[cfg(unix)]
#[test]
fn directory_symlink_loop() {
    let d = workdir();
    let dir = d.path().join("pages");
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::copy(d.path().join("good.json"), dir.join("a/inner.json")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("a/up")).unwrap();
    std::os::unix::fs::symlink("self.json", dir.join("self.json")).unwrap();
    let o = trialint_in(
        d.path(),
        &["check", "--format", "json", "pages", "good.json"],
        Duration::from_secs(60),
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    let error_of = |p: &str| {
        files
            .iter()
            .find(|f| f["path"] == p)
            .unwrap_or_else(|| panic!("{p} in {report}"))["error"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(error_of("pages/a/up").contains("symbolic link to a directory"));
    assert!(error_of("pages/self.json").contains("symbolic link"));
    assert_eq!(error_of("pages/a/inner.json"), "");
    assert_eq!(error_of("good.json"), "");
}

#[cfg(unix)]
#[test]
fn fifo_with_no_writer_does_not_hang() {
    let d = workdir();
    let status = Command::new("mkfifo")
        .arg(d.path().join("pipe.json"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    expect_unreadable(d.path(), "pipe.json", "named pipe");
    // also met while walking a directory
    std::fs::create_dir(d.path().join("dir")).unwrap();
    Command::new("mkfifo")
        .arg(d.path().join("dir/pipe.txt"))
        .status()
        .unwrap();
    expect_unreadable(d.path(), "dir/pipe.txt", "named pipe");
}

/// A named pipe (or a device) given as the configuration, the baseline or
/// a check file, or met as trialint.toml, is refused with its reason (exit
/// 2): opening a pipe with no writer would block forever.
#[cfg(unix)]
#[test]
fn fifo_as_configuration_baseline_or_check_file_does_not_hang() {
    let d = workdir();
    let fifo = |p: &Path| {
        let st = Command::new("mkfifo").arg(p).status().expect("mkfifo");
        assert!(st.success());
    };
    fifo(&d.path().join("pipe.toml"));
    std::fs::create_dir(d.path().join("checks")).unwrap();
    fifo(&d.path().join("checks/pipe.toml"));
    std::os::unix::fs::symlink("/dev/zero", d.path().join("checks/zero.toml")).unwrap();
    let cases: [(&[&str], &str, &str); 4] = [
        (&["--config", "pipe.toml"], "pipe.toml", "named pipe"),
        (&["--baseline", "pipe.toml"], "pipe.toml", "named pipe"),
        (&["--checks", "checks"], "checks/pipe.toml", "named pipe"),
        (&["--checks", "checks"], "checks/zero.toml", "special file"),
    ];
    for (flags, named, reason) in cases {
        let mut args = vec!["check", "--as-of", "2026-11-21"];
        args.extend(flags);
        args.push("good.json");
        let o = trialint_in(d.path(), &args, Duration::from_secs(60));
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(
            o.stderr.contains(named) && o.stderr.contains(reason),
            "{args:?}: the error names {named} and says {reason:?}:\n{}",
            o.stderr
        );
    }
    // found by discovery
    std::fs::create_dir(d.path().join("sub")).unwrap();
    fifo(&d.path().join("sub/trialint.toml"));
    let o = trialint_in(
        &d.path().join("sub"),
        &["check", "--as-of", "2026-11-21", "../good.json"],
        Duration::from_secs(60),
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("trialint.toml") && o.stderr.contains("named pipe"));
}

#[cfg(unix)]
#[test]
fn device_is_not_read() {
    let d = workdir();
    // /dev/zero never ends: reading it would exhaust memory
    std::os::unix::fs::symlink("/dev/zero", d.path().join("zero.json")).unwrap();
    expect_unreadable(d.path(), "zero.json", "not a regular file");
}

#[cfg(unix)]
#[test]
fn dangling_symlink_as_a_file_deleted_while_the_run_starts() {
    let d = workdir();
    std::os::unix::fs::symlink("gone.json", d.path().join("deleted.json")).unwrap();
    expect_unreadable(d.path(), "deleted.json", "no such file");
    std::fs::create_dir(d.path().join("dir")).unwrap();
    std::os::unix::fs::symlink("../gone.json", d.path().join("dir/deleted.json")).unwrap();
    expect_unreadable(d.path(), "dir", "dangling");
}

#[test]
fn missing_file() {
    let d = workdir();
    expect_unreadable(d.path(), "nowhere.json", "no such file");
}

#[test]
fn many_bad_files_at_once_still_check_the_good_one() {
    let d = workdir();
    std::fs::write(d.path().join("a.json"), b"").unwrap();
    std::fs::write(d.path().join("b.json"), b"\xFF\xFE{\0}\0").unwrap();
    std::fs::write(d.path().join("c.json"), b"{\"x\":").unwrap();
    std::fs::write(d.path().join("d.xml"), b"<clinical_study><a></b>").unwrap();
    let o = trialint_in(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "a.json",
            "b.json",
            "good.json",
            "c.json",
            "d.xml",
            "missing.json",
        ],
        Duration::from_secs(60),
    );
    assert_eq!(o.code, 2);
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(report["summary"]["unreadable"], 5, "{report}");
    assert_eq!(report["summary"]["records"], 1);
}

#[test]
fn user_regexes_are_size_limited() {
    use trialint::extract::user::user_regex;
    let start = Instant::now();
    // linear-time matching, but these would compile to gigabytes
    for p in [r"\w{1000}{1000}", r"(?:\pL{500}){500}", &"(".repeat(500)] {
        let e = user_regex(p).expect_err(p);
        assert!(!e.to_string().is_empty());
    }
    assert!(user_regex(&"a".repeat(100_000)).is_err());
    assert!(user_regex(r"(?P<value>\d+) participants").is_ok());
    assert!(start.elapsed() < Duration::from_secs(10));
    // in a user extractor file, the error points at the pattern
    let toml = "[[extractor]]\nname = \"mine.huge\"\nfields = \"prose\"\npattern = '(?P<value>\\w{1000}{1000})'\nvalue = \"number\"\n";
    match trialint::extract::user::load_file("x.extractor.toml", toml) {
        Ok(_) => panic!("a huge regex was accepted"),
        Err(e) => assert!(e.message.contains("regular expression"), "{}", e.message),
    }
}

/// One e-mail address listed for thousands of people: one finding with
/// thousands of labels. The terminal report draws a bounded number of them
/// (drawing all took minutes) and counts the rest.
#[test]
fn thousands_of_contacts_sharing_an_address() {
    let d = workdir();
    // distinct people with letter names (digits are not names); three
    // personal mailboxes, each named after one of them, shared by a third
    let word = |i: usize, salt: usize| -> String {
        let mut x = i * 7919 + salt * 104_729 + 1;
        (0..7)
            .map(|_| {
                x = x.wrapping_mul(31).wrapping_add(17) % 1_000_003;
                (b'a' + (x % 26) as u8) as char
            })
            .collect()
    };
    let contacts: Vec<String> = (0..3000)
        .map(|i| {
            format!(
                "{{\"name\":\"{} {}\",\"phone\":\"+1 555 01{i:05}\",\"email\":\"{}@example.org\"}}",
                word(i, 1),
                word(i, 2),
                word(i % 3, 1)
            )
        })
        .collect();
    let doc = format!(
        "{{\"protocolSection\":{{\"identificationModule\":{{\"nctId\":\"NCT00000001\"}},\"contactsLocationsModule\":{{\"centralContacts\":[{}]}}}}}}",
        contacts.join(",")
    );
    std::fs::write(d.path().join("many.json"), doc).unwrap();
    let o = trialint_in(
        d.path(),
        &["check", "--select", "contact-shared-email", "many.json"],
        Duration::from_secs(120),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.matches("warning[contact-shared-email]").count(), 3);
    assert!(o.stdout.contains("more places not shown here"));
}

/// A made-up name part of 7 letters, different for each (i, salt).
fn word(i: usize, salt: usize) -> String {
    let mut x = (i * 7919 + salt * 104_729 + 1) as u64;
    (0..7)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (b'a' + ((x >> 33) % 26) as u8) as char
        })
        .collect()
}

/// 20,000 sites, each with a contact (a hundred phone numbers shared by
/// 200 people each, e-mail addresses, some named after another contact),
/// and 20,000 outcomes defining abbreviations that other outcomes' texts
/// name: every check that compares contacts, sites or outcomes with each
/// other must finish (comparing every pair took hours).
#[test]
fn twenty_thousand_contacts_sites_and_outcomes() {
    let d = workdir();
    let n = 20_000;
    let locations: Vec<String> = (0..n)
        .map(|i| {
            let (first, last) = (word(i, 1), word(i, 2));
            // every 50th address is named after the contact listed before
            let email = if i % 50 == 1 {
                format!("{}.{}@site{i}.org", word(i - 1, 1), word(i - 1, 2))
            } else {
                format!("{first}.{last}@site{i}.org")
            };
            format!(
                "{{\"facility\":\"Site {}\",\"status\":\"RECRUITING\",\"city\":\"Springfield\",\"country\":\"United States\",\"contacts\":[{{\"name\":\"{first} {last}, MD\",\"role\":\"CONTACT\",\"phone\":\"+1 617 555 {:04}\",\"email\":\"{email}\"}}]}}",
                word(i, 3),
                i % 100
            )
        })
        .collect();
    let abbr = |i: usize| -> String {
        (0..4)
            .map(|k| (b'A' + (i / 26usize.pow(k) % 26) as u8) as char)
            .collect()
    };
    let outcomes: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "{{\"measure\":\"Score on the {} scale ({})\",\"description\":\"Measured with the {} instrument\",\"timeFrame\":\"12 weeks\"}}",
                word(i, 4),
                abbr(i),
                abbr(i + 1)
            )
        })
        .collect();
    let doc = format!(
        "{{\"protocolSection\":{{\"identificationModule\":{{\"nctId\":\"NCT00000002\",\"briefTitle\":\"Many sites\"}},\"statusModule\":{{\"overallStatus\":\"RECRUITING\"}},\"outcomesModule\":{{\"secondaryOutcomes\":[{}]}},\"contactsLocationsModule\":{{\"locations\":[{}]}}}}}}",
        outcomes.join(","),
        locations.join(",")
    );
    std::fs::write(d.path().join("many.json"), doc).unwrap();
    let o = trialint_in(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-11-21",
            "many.json",
        ],
        Duration::from_secs(900),
    );
    assert!(o.code == 0 || o.code == 1, "exit {}: {}", o.code, o.stderr);
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(report["summary"]["records"], 1);
    let count = |check: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["check"] == check)
            .count()
    };
    // each of the hundred numbers is listed for 200 different people
    assert_eq!(count("contact-shared-phone"), 100, "{}", o.stderr);
    let shared = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "contact-shared-phone")
        .unwrap();
    assert!(
        shared["message"]
            .as_str()
            .unwrap()
            .contains("is listed for 200 different people"),
        "{}",
        shared["message"]
    );
    assert_eq!(count("email-names-other-person"), n / 50);
    // each outcome but the last names the next one's abbreviation
    assert_eq!(count("outcome-instrument-mismatch"), n - 1);
}
