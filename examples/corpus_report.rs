//! Corpus report: how many records of each format read cleanly, how many
//! findings each check makes per format, and the precision measured in the
//! kept review samples (`review/<check>.tsv`).
//!
//! ```text
//! cargo run --release --example corpus_report -- ../shared/corpus            # print the tables
//! cargo run --release --example corpus_report -- ../shared/corpus --update   # rewrite README.md and docs/precision.md
//! cargo run --release --example corpus_report -- ../shared/corpus --sample CHECK N   # N findings of CHECK to review
//! ```
//!
//! The time-dependent checks run with `--as-of 2026-11-21` so the tables are
//! reproducible.

use std::collections::BTreeMap;
use trialint::check::Severity;
use trialint::engine::{self, Options};

const AS_OF: (i32, u32, u32) = (2026, 11, 21);

fn format_family(format: &str) -> String {
    match format.split_once(':') {
        Some((family, _)) => format!("{family}:*"),
        None => format.to_string(),
    }
}

struct Review {
    reviewed: usize,
    correct: usize,
}

fn reviews() -> BTreeMap<String, Review> {
    let mut out = BTreeMap::new();
    let Ok(rd) = std::fs::read_dir("review") else {
        return out;
    };
    let mut files: Vec<_> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    for f in files {
        let check = f.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let mut r = Review {
            reviewed: 0,
            correct: 0,
        };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 3 {
                continue;
            }
            match cols[1].trim() {
                "correct" => {
                    r.reviewed += 1;
                    r.correct += 1
                }
                "wrong" => r.reviewed += 1,
                _ => {}
            }
        }
        out.insert(check, r);
    }
    out
}

fn replace_between(text: &str, start: &str, end: &str, body: &str) -> Option<String> {
    let s = text.find(start)? + start.len();
    let e = text[s..].find(end)? + s;
    Some(format!("{}\n{}{}", &text[..s], body, &text[e..]))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let corpus = args
        .first()
        .cloned()
        .unwrap_or_else(|| "../shared/corpus".into());
    let update = args.iter().any(|a| a == "--update");
    let sample = args.iter().position(|a| a == "--sample").map(|i| {
        (
            args.get(i + 1).cloned().unwrap_or_default(),
            args.get(i + 2)
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(20),
        )
    });

    let checks = trialint::app::load_catalogue(&[]).expect("shipped checks load");
    let opts = Options {
        as_of: chrono::NaiveDate::from_ymd_opt(AS_OF.0, AS_OF.1, AS_OF.2).unwrap(),
        jobs: 0,
    };
    let run = engine::run(std::slice::from_ref(&corpus), &checks, &opts);

    if let Some((check, n)) = sample {
        // An even spread over the findings, not the first N: the corpus is
        // sorted by source and the first records are not representative.
        let hits: Vec<_> = run.findings.iter().filter(|f| f.check == check).collect();
        let step = (hits.len() as f64 / n.max(1) as f64).max(1.0);
        let mut k = 0.0;
        while (k as usize) < hits.len() {
            let f = hits[k as usize];
            let src = &run.sources[f.file];
            println!(
                "=== {}  {}  [{}]",
                f.record.as_deref().unwrap_or("?"),
                src.path,
                f.severity
            );
            println!("{}", f.message);
            for l in &f.labels {
                let s = l.span.start.min(src.text.len());
                let e = l.span.end.min(src.text.len());
                let mut cs = s.saturating_sub(120);
                while !src.text.is_char_boundary(cs) {
                    cs -= 1;
                }
                let mut ce = (e + 120).min(src.text.len());
                while !src.text.is_char_boundary(ce) {
                    ce += 1;
                }
                let ctx = format!(
                    "{}[[{}]]{}",
                    &src.text[cs..s],
                    &src.text[s..e],
                    &src.text[e..ce]
                )
                .replace('\n', " ");
                println!("  - {}: …{}…", l.message, ctx);
            }
            for note in &f.notes {
                println!("  note: {note}");
            }
            k += step;
        }
        return;
    }

    // formats
    let mut formats: BTreeMap<String, (usize, usize)> = BTreeMap::new(); // family -> (records, files)
    let mut record_family: BTreeMap<(usize, Option<String>), String> = BTreeMap::new();
    let mut files_seen: BTreeMap<String, String> = BTreeMap::new();
    for (si, r) in &run.records {
        let fam = format_family(&r.format);
        formats.entry(fam.clone()).or_default().0 += 1;
        files_seen
            .entry(run.sources[*si].path.clone())
            .or_insert(fam.clone());
        record_family.insert((*si, r.id.clone()), fam);
    }
    for fam in files_seen.values() {
        formats.entry(fam.clone()).or_default().1 += 1;
    }
    let mut per_check: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for f in &run.findings {
        let fam = record_family
            .get(&(f.file, f.record.clone()))
            .cloned()
            .unwrap_or_else(|| "?".into());
        *per_check
            .entry(f.check.clone())
            .or_default()
            .entry(fam)
            .or_default() += 1;
    }
    let fams: Vec<String> = formats.keys().cloned().collect();

    let mut t = String::new();
    t.push_str(&format!(
        "Corpus: `{}` ({} files, {} records, {} read errors), checked with `--as-of {:04}-{:02}-{:02}`.\n\n",
        corpus,
        run.files,
        run.records.len(),
        run.errors.len(),
        AS_OF.0,
        AS_OF.1,
        AS_OF.2
    ));
    t.push_str("| format | files | records read |\n|---|---:|---:|\n");
    for (fam, (records, files)) in &formats {
        t.push_str(&format!("| `{fam}` | {files} | {records} |\n"));
    }
    for e in &run.errors {
        t.push_str(&format!("\nread error: {e}\n"));
    }
    t.push_str("\nFindings per check and format:\n\n| check | severity |");
    for fam in &fams {
        t.push_str(&format!(" `{fam}` |"));
    }
    t.push_str(" per 1,000 records |\n|---|---|");
    for _ in &fams {
        t.push_str("---:|");
    }
    t.push_str("---:|\n");
    for c in &checks {
        let counts = per_check.get(&c.name);
        let total: usize = counts.map(|m| m.values().sum()).unwrap_or(0);
        t.push_str(&format!("| `{}` | {} |", c.name, c.severity));
        for fam in &fams {
            t.push_str(&format!(
                " {} |",
                counts.and_then(|m| m.get(fam)).copied().unwrap_or(0)
            ));
        }
        t.push_str(&format!(
            " {:.1} |\n",
            1000.0 * total as f64 / run.records.len().max(1) as f64
        ));
    }

    // precision from the kept review samples
    let reviews = reviews();
    let mut p = String::from("| check | severity | findings in corpus | per 1,000 records | reviewed | correct | precision |\n|---|---|---:|---:|---:|---:|---:|\n");
    for c in &checks {
        let total: usize = per_check
            .get(&c.name)
            .map(|m| m.values().sum())
            .unwrap_or(0);
        let (reviewed, correct, precision) = match reviews.get(&c.name) {
            Some(r) if r.reviewed > 0 => (
                r.reviewed.to_string(),
                r.correct.to_string(),
                format!("{:.0}%", 100.0 * r.correct as f64 / r.reviewed as f64),
            ),
            _ => ("0".into(), "0".into(), "not reviewed".into()),
        };
        p.push_str(&format!(
            "| `{}` | {} | {} | {:.1} | {} | {} | {} |\n",
            c.name,
            c.severity,
            total,
            1000.0 * total as f64 / run.records.len().max(1) as f64,
            reviewed,
            correct,
            precision
        ));
    }
    let warn_unreviewed: Vec<_> = checks
        .iter()
        .filter(|c| c.severity >= Severity::Warning)
        .filter(|c| {
            per_check
                .get(&c.name)
                .map(|m| m.values().sum::<usize>())
                .unwrap_or(0)
                > 0
        })
        .filter(|c| reviews.get(&c.name).is_none_or(|r| r.reviewed == 0))
        .map(|c| c.name.clone())
        .collect();

    if update {
        let readme = std::fs::read_to_string("README.md").expect("README.md");
        let new = replace_between(
            &readme,
            "<!-- corpus-table:start -->",
            "<!-- corpus-table:end -->",
            &t,
        )
        .expect("README has corpus-table markers");
        let mut list =
            String::from("| check | severity | group | what it finds |\n|---|---|---|---|\n");
        let mut by_group: Vec<&trialint::check::Check> = checks.iter().collect();
        by_group.sort_by(|a, b| a.group.cmp(&b.group).then(a.name.cmp(&b.name)));
        for c in by_group {
            list.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                c.name, c.severity, c.group, c.summary
            ));
        }
        let new = replace_between(
            &new,
            "<!-- checks-table:start -->",
            "<!-- checks-table:end -->",
            &list,
        )
        .expect("README has checks-table markers");
        std::fs::write("README.md", new).expect("write README.md");
        let doc = format!(
            "# Precision of the shipped checks\n\nGenerated by `cargo run --release --example corpus_report -- ../shared/corpus --update` from the review samples in `review/<check>.tsv` (one row per reviewed finding: record, verdict `correct`/`wrong`/`unsure`, reason). A warning or error must reach 90% precision on its sample.\n\n{p}"
        );
        std::fs::create_dir_all("docs").ok();
        std::fs::write("docs/precision.md", doc).expect("write docs/precision.md");
        println!("updated README.md and docs/precision.md");
    } else {
        println!("{t}\n{p}");
    }
    if !warn_unreviewed.is_empty() {
        eprintln!(
            "warning/error checks with findings but no review sample: {}",
            warn_unreviewed.join(", ")
        );
    }
}
