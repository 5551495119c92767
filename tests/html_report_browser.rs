//! The HTML report in a real headless browser (Debian's `chromium`): the
//! page's script runs, filters given in the URL hide the right findings and
//! their highlights, a finding given in the URL has its spans highlighted,
//! and a screenshot is taken.
//!
//! Needs chromium (`apt-get install -y chromium`; or set TRIALINT_CHROMIUM
//! to a browser binary). Without one the test fails when CI is set and is
//! skipped (with a message) otherwise. Set TRIALINT_KEEP_REPORT=DIR to keep
//! the report, the dumped DOMs and the screenshot for a look.

mod support;

use regex::Regex;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn find_browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TRIALINT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Run the browser headless with a fresh profile; its stdout. Killed after
/// 90 seconds.
fn browser(bin: &Path, profile: &Path, args: &[String]) -> String {
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--virtual-time-budget=2000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("start the browser");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the browser did not finish within 90 s: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

struct Dom {
    html: String,
}

impl Dom {
    /// Opening tags of the finding items: (id, hidden).
    fn findings(&self) -> Vec<(String, bool)> {
        let tag = Regex::new(r#"<li class="finding[^"]*"[^>]*>"#).unwrap();
        let id = Regex::new(r#" id="([^"]+)""#).unwrap();
        tag.find_iter(&self.html)
            .map(|m| {
                let t = m.as_str();
                (
                    id.captures(t).unwrap()[1].to_string(),
                    t.contains(" hidden"),
                )
            })
            .collect()
    }
    fn shown(&self) -> Vec<String> {
        self.findings()
            .into_iter()
            .filter(|(_, h)| !h)
            .map(|(i, _)| i)
            .collect()
    }
    /// Opening tags of the highlights.
    fn marks(&self) -> Vec<String> {
        let tag = Regex::new(r"<mark [^>]*>").unwrap();
        tag.find_iter(&self.html)
            .map(|m| m.as_str().to_string())
            .collect()
    }
    fn body_attr(&self, name: &str) -> Option<String> {
        let body = Regex::new(r"<body[^>]*>").unwrap().find(&self.html)?;
        let re = Regex::new(&format!(r#"{name}="([^"]*)""#)).unwrap();
        re.captures(body.as_str()).map(|c| c[1].to_string())
    }
}

/// The finding ids of a highlight (its `data-f`).
fn data_f(tag: &str) -> Vec<String> {
    static RE: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r#"data-f="([^"]*)""#).unwrap());
    RE.captures(tag)
        .map(|c| c[1].split(' ').map(str::to_string).collect())
        .unwrap_or_default()
}

fn class_has(tag: &str, class: &str) -> bool {
    Regex::new(r#"class="([^"]*)""#)
        .unwrap()
        .captures(tag)
        .is_some_and(|c| c[1].split(' ').any(|x| x == class))
}

#[test]
fn html_report_in_headless_chromium() {
    let Some(bin) = find_browser() else {
        let msg = "chromium is not installed: install it with `apt-get install -y chromium` (or set TRIALINT_CHROMIUM)";
        if in_ci() {
            panic!("{msg}");
        }
        eprintln!("SKIPPED html_report_in_headless_chromium: {msg}");
        return;
    };
    let run = support::sample_run();
    let page = trialint::report::html::render(&run, &support::catalogue(), support::as_of());
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.html");
    std::fs::write(&report, &page).unwrap();
    let url = format!("file://{}", report.display());
    let dump = |hash: &str, profile: &str| -> Dom {
        let p = tmp.path().join(profile);
        std::fs::create_dir_all(&p).unwrap();
        Dom {
            html: browser(&bin, &p, &["--dump-dom".into(), format!("{url}{hash}")]),
        }
    };
    let sev = |id: &str| {
        let n: usize = id[1..].parse().unwrap();
        run.findings[n].severity.as_str()
    };
    let check = |id: &str| {
        let n: usize = id[1..].parse().unwrap();
        run.findings[n].check.clone()
    };
    let n = run.findings.len();
    let static_marks = page.matches("<mark ").count();

    // 1. no filter: the script ran, everything is shown and highlighted
    let all = dump("", "p1");
    assert_eq!(
        all.body_attr("data-ready").as_deref(),
        Some("yes"),
        "the page script ran"
    );
    assert_eq!(all.findings().len(), n);
    assert_eq!(all.shown().len(), n);
    assert_eq!(all.body_attr("data-shown"), Some(n.to_string()));
    let marks = all.marks();
    assert_eq!(marks.len(), static_marks);
    assert!(marks.len() >= run.findings.iter().map(|f| f.labels.len()).sum::<usize>() - 2);
    assert!(marks.iter().all(|m| !class_has(m, "off")));
    // the record text stayed text
    assert!(!all.html.contains("<script>alert"));
    assert!(all.html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));

    // 2. #severity=warning: only the warnings
    let warn = dump("#severity=warning", "p2");
    let shown = warn.shown();
    let expected: Vec<String> = warn
        .findings()
        .iter()
        .map(|(i, _)| i.clone())
        .filter(|i| sev(i) == "warning")
        .collect();
    assert_eq!(shown, expected);
    assert_eq!(shown.len(), 3);
    assert_eq!(warn.body_attr("data-shown").as_deref(), Some("3"));
    assert!(warn.html.contains("<b id=\"shown-count\">3</b>"));
    // highlights of hidden findings are switched off, the others stay on
    for m in warn.marks() {
        let visible = data_f(&m).iter().any(|id| sev(id) == "warning");
        assert_eq!(!class_has(&m, "off"), visible, "{m}");
    }
    // 3. #check=date-order: only that check, in every record
    let dates = dump("#check=date-order", "p3");
    let shown = dates.shown();
    assert_eq!(shown.len(), 3);
    assert!(shown.iter().all(|i| check(i) == "date-order"));
    // the record with only an enrollment warning is hidden
    assert!(Regex::new(
        r#"<section class="record" id="r\d+" data-record="\.\./\.\./etc/passwd" hidden"#
    )
    .unwrap()
    .is_match(&dates.html));

    // 4. both, with two checks
    let both = dump(
        "#severity=warning&check=date-order,contact-shared-email",
        "p4",
    );
    let shown = both.shown();
    assert_eq!(shown.len(), 1);
    assert_eq!(check(&shown[0]), "contact-shared-email");

    // 5. #finding=fN highlights that finding's spans
    let (fi, f) = run
        .findings
        .iter()
        .enumerate()
        .find(|(_, f)| f.check == "date-order" && f.file == 0)
        .unwrap();
    let focus = dump(&format!("#finding=f{fi}"), "p5");
    let hl: Vec<String> = focus
        .marks()
        .into_iter()
        .filter(|m| class_has(m, "hl"))
        .collect();
    assert!(!hl.is_empty());
    let me = format!("f{fi}");
    assert!(hl.iter().all(|m| { data_f(m).contains(&me) }));
    let covering = focus
        .marks()
        .iter()
        .filter(|m| data_f(m).contains(&me))
        .count();
    assert_eq!(
        hl.len(),
        covering,
        "every span of the finding is highlighted"
    );
    assert!(f.labels.len() <= covering + 1);
    assert!(Regex::new(&format!(
        r#"<li class="finding sev-error active" id="{me}""#
    ))
    .unwrap()
    .is_match(&focus.html));

    // 6. a screenshot at laptop size
    let png = tmp.path().join("report.png");
    let p6 = tmp.path().join("p6");
    browser(
        &bin,
        &p6,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,900".into(),
            url.clone(),
        ],
    );
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10 * 1024, "screenshot too small: {size} bytes");
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");

    if let Some(keep) = std::env::var_os("TRIALINT_KEEP_REPORT") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&report, keep.join("report.html")).unwrap();
        std::fs::copy(&png, keep.join("report.png")).unwrap();
        std::fs::write(keep.join("dom-warning.html"), &warn.html).unwrap();
    }
}

/// Record text that is markup, script and control characters stays inert
/// text in the report: in the browser no script from the record runs (the
/// title and the body keep their values), and the payload is shown as text.
#[test]
fn record_text_cannot_script_the_report() {
    let Some(bin) = find_browser() else {
        let msg = "chromium is not installed: install it with `apt-get install -y chromium` (or set TRIALINT_CHROMIUM)";
        if in_ci() {
            panic!("{msg}");
        }
        eprintln!("SKIPPED record_text_cannot_script_the_report: {msg}");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let fixture = "fixtures/checks/age-min-mismatch/fail/handmade-001-min-18-vs-20-years-old.txt";
    let page = std::fs::read_to_string(fixture).unwrap();
    let payload = "2. Married <script>document.title='pwned'</script><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"><svg onload=\"document.title='pwned2'\"></svg></textarea></pre><iframe srcdoc=\"<script>parent.document.title='pwned3'</script>\"></iframe>\"' \u{1b}[31m\u{7}\u{202e},";
    // a file name is scraped input too (no `/` in a file name)
    let name = "rec<img src=x onerror=\"document.title='pwned4'\">&amp;.txt";
    std::fs::write(
        tmp.path().join(name),
        page.replacen("2. Married,", payload, 1),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_trialint"))
        .args(["check", "--format", "html", name])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("age-min-mismatch"), "the finding is shown");
    assert!(!html.contains("<script>document"), "payload escaped");
    assert!(!html.contains("<img src=x"));
    let report = tmp.path().join("report.html");
    std::fs::write(&report, &html).unwrap();
    let profile = tmp.path().join("profile");
    std::fs::create_dir_all(&profile).unwrap();
    let dom = Dom {
        html: browser(
            &bin,
            &profile,
            &["--dump-dom".into(), format!("file://{}", report.display())],
        ),
    };
    // the report's own script ran; the record's did not
    assert_eq!(dom.body_attr("data-ready").as_deref(), Some("yes"));
    assert_eq!(dom.body_attr("data-pwned"), None, "an onerror handler ran");
    let title = Regex::new(r"<title>([^<]*)</title>")
        .unwrap()
        .captures(&dom.html)
        .map(|c| c[1].to_string())
        .unwrap_or_default();
    assert!(
        !title.contains("pwned"),
        "a record script set the title: {title}"
    );
    assert!(!dom.html.contains("<img src=\"x\""));
    assert!(!dom.html.contains("<iframe"));
    assert!(!dom.html.contains("<svg onload"));
    // the payload is there, as text
    assert!(dom
        .html
        .contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"));
    assert!(dom.html.contains("&lt;/textarea&gt;"));
    assert!(!dom.html.contains('\u{1b}'));
}

/// The report of the five seed pages: every finding is shown and every one
/// of its labels is highlighted in the record text.
#[test]
fn seed_pages_report_in_headless_chromium() {
    let Some(bin) = find_browser() else {
        let msg = "chromium is not installed: install it with `apt-get install -y chromium` (or set TRIALINT_CHROMIUM)";
        if in_ci() {
            panic!("{msg}");
        }
        eprintln!("SKIPPED seed_pages_report_in_headless_chromium: {msg}");
        return;
    };
    let checks = support::catalogue();
    let opts = trialint::engine::Options {
        as_of: support::as_of(),
        jobs: 1,
    };
    let run = trialint::engine::run(&["fixtures/seeds".to_string()], &checks, &opts);
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    let n = run.findings.len();
    assert!(n >= 20, "the seeds carry many findings, got {n}");
    let page = trialint::report::html::render(&run, &checks, support::as_of());
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("seeds.html");
    std::fs::write(&report, &page).unwrap();
    let profile = tmp.path().join("profile");
    std::fs::create_dir_all(&profile).unwrap();
    let dom = Dom {
        html: browser(
            &bin,
            &profile,
            &["--dump-dom".into(), format!("file://{}", report.display())],
        ),
    };
    assert_eq!(
        dom.body_attr("data-ready").as_deref(),
        Some("yes"),
        "the page script ran"
    );
    assert_eq!(dom.findings().len(), n);
    assert_eq!(dom.shown().len(), n);
    // every finding has its spans highlighted
    let marks = dom.marks();
    for i in 0..n {
        let id = format!("f{i}");
        assert!(
            marks.iter().any(|m| data_f(m).contains(&id)),
            "finding {id} ({}: {}) has no highlight",
            run.findings[i].check,
            run.findings[i].message
        );
    }
    let labels: usize = run.findings.iter().map(|f| f.labels.len()).sum();
    assert!(
        marks.len() * 2 >= labels,
        "{} highlights for {labels} labels",
        marks.len()
    );
}
