//! `trialint request PATH... --out DIR`: one correction request per record
//! with findings, in Markdown, addressed to the people the record itself
//! names (responsible party, lead sponsor, contacts), plus an index
//! `DIR/requests.csv`.
//!
//! Each issue quotes the conflicting text (the source at every label of the
//! finding), asks the check's question with the finding's values filled in,
//! and names the registry field to correct.
//!
//! Files are named from record ids, made safe whatever the record says
//! (`[A-Za-z0-9._-]` only, no leading dot, at most [`MAX_NAME`] bytes,
//! collisions numbered), written atomically (a temporary file in DIR, then a
//! rename), and never anywhere but DIR.

use crate::check::{render_template, Check, Finding};
use crate::engine::Run;
use crate::record::{keys, EntityKind, Record};
use crate::report::records::{group, Positions, RecordView};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Longest file stem, in bytes (before `.md` and a collision number).
pub const MAX_NAME: usize = 80;

/// Longest quotation of record text in a request, in characters.
const MAX_QUOTE: usize = 400;

/// A person or organisation named by the record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Who a record's correction request goes to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recipients {
    pub responsible_party: Vec<String>,
    pub lead_sponsor: Option<String>,
    pub contacts: Vec<Contact>,
}

impl Recipients {
    /// The addressee: the responsible party, else the lead sponsor, else
    /// the first contact.
    pub fn addressee(&self) -> String {
        if !self.responsible_party.is_empty() {
            return self.responsible_party.join("; ");
        }
        if let Some(s) = &self.lead_sponsor {
            return s.clone();
        }
        self.contacts
            .iter()
            .find(|c| !c.name.is_empty())
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }

    /// Every distinct e-mail address, in record order.
    pub fn emails(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for c in &self.contacts {
            if let Some(e) = &c.email {
                if !v.iter().any(|x| x.eq_ignore_ascii_case(e)) {
                    v.push(e.clone());
                }
            }
        }
        v
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The recipients as the record names them.
pub fn recipients(record: &Record) -> Recipients {
    let mut r = Recipients {
        responsible_party: record
            .all(keys::RESPONSIBLE_PARTY)
            .map(|f| one_line(f.value()))
            .filter(|s| !s.is_empty())
            .collect(),
        lead_sponsor: record
            .get(keys::LEAD_SPONSOR)
            .map(|f| one_line(f.value()))
            .filter(|s| !s.is_empty()),
        contacts: Vec::new(),
    };
    for (i, e) in record.entities.iter().enumerate() {
        if e.kind != EntityKind::Contact {
            continue;
        }
        let get = |k: &str| {
            record
                .entity_get(i, k)
                .map(|f| one_line(f.value()))
                .filter(|s| !s.is_empty())
        };
        let c = Contact {
            name: get(keys::CONTACT_NAME).unwrap_or_default(),
            role: e.role.as_deref().map(one_line),
            email: get(keys::CONTACT_EMAIL),
            phone: get(keys::CONTACT_PHONE),
        };
        if (c.name.is_empty() && c.email.is_none() && c.phone.is_none()) || r.contacts.contains(&c)
        {
            continue;
        }
        r.contacts.push(c);
    }
    r
}

/// Escape text for Markdown: the characters that could start markup
/// anywhere in a line (emphasis, code, links, HTML, tables, headings,
/// strikethrough, entities, math) are backslash-escaped, line breaks become
/// spaces and control characters are dropped, so record text can neither
/// format nor inject. Text is always placed after a prefix on its line, so
/// line-start markers (`-`, `+`, `1.`) need no escape.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn quote(s: &str) -> String {
    let flat = one_line(s);
    let mut q: String = flat.chars().take(MAX_QUOTE).collect();
    if q.len() < flat.len() {
        q.push('…');
    }
    md_escape(&q)
}

/// A safe file stem for a record id: `[A-Za-z0-9._-]` only (others become
/// `_`), no leading dot, at most [`MAX_NAME`] bytes, never empty or a name
/// Windows reserves.
pub fn safe_stem(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    while s.starts_with('.') {
        s.replace_range(0..1, "_");
    }
    s.truncate(MAX_NAME);
    let s = s.trim_end_matches('.').to_string();
    let base = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit());
    if s.is_empty() {
        "record".to_string()
    } else if reserved {
        format!("_{s}")
    } else {
        s
    }
}

/// File names for a list of stems: `STEM.md`, numbered `STEM-2.md`, ... on
/// collisions (compared without case, for case-insensitive file systems).
pub fn unique_names(stems: &[String]) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    taken.insert("requests.csv".into());
    let mut out = Vec::new();
    for stem in stems {
        let mut n = 1;
        loop {
            let name = if n == 1 {
                format!("{stem}.md")
            } else {
                format!("{stem}-{n}.md")
            };
            if taken.insert(name.to_ascii_lowercase()) {
                out.push(name);
                break;
            }
            n += 1;
        }
    }
    out
}

/// One CSV field, quoted when needed; a value a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@` first) is prefixed with `'`.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The Markdown request for one record.
pub fn render_request(
    run: &Run,
    checks: &[Check],
    v: &RecordView,
    positions: &Positions,
    as_of: chrono::NaiveDate,
) -> String {
    let rec = v.record.map(recipients).unwrap_or_default();
    let mut s = String::new();
    let title = v.name();
    s.push_str(&format!(
        "# Correction request: {}\n\n",
        md_escape(&one_line(&title))
    ));
    let to = rec.addressee();
    s.push_str(&format!(
        "**To:** {}\n\n",
        if to.is_empty() {
            "the responsible party of this record (the record names none)".to_string()
        } else {
            md_escape(&to)
        }
    ));
    if !rec.responsible_party.is_empty() || rec.lead_sponsor.is_some() || !rec.contacts.is_empty() {
        s.push_str("As named in the record:\n\n");
        for p in &rec.responsible_party {
            s.push_str(&format!("- Responsible party: {}\n", md_escape(p)));
        }
        if let Some(l) = &rec.lead_sponsor {
            s.push_str(&format!("- Lead sponsor: {}\n", md_escape(l)));
        }
        for c in &rec.contacts {
            let mut line = String::from("- ");
            line.push_str(&match &c.role {
                Some(r) => format!("{}: ", capitalise(&md_escape(r))),
                None => "Contact: ".to_string(),
            });
            line.push_str(&if c.name.is_empty() {
                "(no name)".to_string()
            } else {
                md_escape(&c.name)
            });
            if let Some(e) = &c.email {
                line.push_str(&format!(", {}", md_escape(e)));
            }
            if let Some(p) = &c.phone {
                line.push_str(&format!(", {}", md_escape(p)));
            }
            s.push_str(&line);
            s.push('\n');
        }
        s.push('\n');
    }
    let findings: Vec<&Finding> = v.findings(run).collect();
    s.push_str(&format!(
        "Record **{}** ({}) was checked on {} and we found {} that we ask you to resolve. For each, please tell us which value is right and correct the record.\n\n",
        md_escape(&one_line(&title)),
        md_escape(v.path),
        as_of.format("%Y-%m-%d"),
        if findings.len() == 1 {
            "one inconsistency".to_string()
        } else {
            format!("{} inconsistencies", findings.len())
        }
    ));
    for (i, f) in findings.iter().enumerate() {
        let check = checks.iter().find(|c| c.name == f.check);
        s.push_str(&format!(
            "## {}. {}\n\n",
            i + 1,
            md_escape(&one_line(&f.message))
        ));
        s.push_str("What the record says:\n\n");
        let src = v.source;
        let quotes: Vec<String> = f
            .labels
            .iter()
            .map(|l| {
                let (line, col) = positions.line_col(l.span.start);
                let text = src.map(|x| x.snippet(l.span)).unwrap_or("");
                let what = if l.message.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", md_escape(&one_line(&l.message)))
                };
                if text.trim().is_empty() {
                    format!("> at line {line}, column {col}{what}")
                } else {
                    format!("> “{}”{what} — line {line}, column {col}", quote(text))
                }
            })
            .collect();
        s.push_str(&quotes.join("\n>\n"));
        s.push_str("\n\n");
        let question = check
            .map(|c| c.request.question.as_str())
            .filter(|q| !q.is_empty())
            .map(|q| render_template(q, &f.vars))
            // a question whose values the finding does not give is not asked
            .filter(|q| !has_placeholder(q))
            .unwrap_or_else(|| {
                format!(
                    "{}. {}",
                    f.message.trim_end_matches('.'),
                    f.help
                        .as_deref()
                        .map(capitalise)
                        .unwrap_or_else(|| "Which value is correct?".to_string())
                )
            });
        s.push_str(&format!(
            "**Question:** {}\n\n",
            md_escape(&one_line(&question))
        ));
        if let Some(field) = check
            .map(|c| c.request.field.as_str())
            .filter(|x| !x.is_empty())
        {
            s.push_str(&format!("**Field to correct:** {}\n\n", md_escape(field)));
        }
        s.push_str(&format!(
            "<sub>Check: {} ({}).</sub>\n\n",
            md_escape(&f.check),
            f.severity
        ));
    }
    s.push_str("Thank you for keeping the registry accurate.\n");
    s
}

/// Whether a template still has a `{name}` placeholder.
fn has_placeholder(s: &str) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j)
                if j > 0
                    && after[..j]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
            {
                return true
            }
            _ => rest = after,
        }
    }
    false
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// What [`write_requests`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub record: String,
    pub recipient: String,
    pub emails: Vec<String>,
    pub issues: usize,
    /// The file name inside DIR.
    pub file: String,
}

/// Write `content` to `dir/name` atomically: a new temporary file in `dir`,
/// synced, then renamed over the name. `name` must be a plain file name.
pub fn write_atomic(dir: &Path, name: &str, content: &[u8]) -> std::io::Result<PathBuf> {
    if name.is_empty()
        || name.contains(['/', '\\', '\0'])
        || name == "."
        || name == ".."
        || Path::new(name).components().count() != 1
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not a plain file name: {name:?}"),
        ));
    }
    let target = dir.join(name);
    let mut n = 0u32;
    let (tmp_path, mut tmp) = loop {
        let tmp_path = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp_path)
        {
            Ok(f) => break (tmp_path, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(e),
        }
    };
    let result = tmp
        .write_all(content)
        .and_then(|_| tmp.sync_all())
        .and_then(|_| std::fs::rename(&tmp_path, &target));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(e);
    }
    Ok(target)
}

/// Write one request per record with findings, and `requests.csv`, into
/// `dir` (created if missing).
pub fn write_requests(
    run: &Run,
    checks: &[Check],
    dir: &Path,
    as_of: chrono::NaiveDate,
) -> std::io::Result<Vec<Written>> {
    std::fs::create_dir_all(dir)?;
    let views: Vec<RecordView> = group(run)
        .into_iter()
        .filter(|v| v.error.is_none() && !v.findings.is_empty() && v.source.is_some())
        .collect();
    let stems: Vec<String> = views
        .iter()
        .map(|v| match v.id() {
            Some(id) => safe_stem(id),
            None => {
                let file = Path::new(v.path)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                safe_stem(&format!("{file}-record-{}", v.ordinal + 1))
            }
        })
        .collect();
    let names = unique_names(&stems);
    let mut positions: std::collections::HashMap<usize, Positions> = Default::default();
    let mut written = Vec::new();
    for (v, name) in views.iter().zip(names) {
        let src = v.source.expect("filtered above");
        let pos = positions
            .entry(v.source_index.unwrap_or(usize::MAX))
            .or_insert_with(|| Positions::new(src));
        let text = render_request(run, checks, v, pos, as_of);
        write_atomic(dir, &name, text.as_bytes())?;
        let rec = v.record.map(recipients).unwrap_or_default();
        written.push(Written {
            record: v.name(),
            recipient: rec.addressee(),
            emails: rec.emails(),
            issues: v.findings.len(),
            file: name,
        });
    }
    let mut csv = String::from("record,recipient,email,issues,file\r\n");
    for w in &written {
        csv.push_str(&format!(
            "{},{},{},{},{}\r\n",
            csv_field(&w.record),
            csv_field(&w.recipient),
            csv_field(&w.emails.join("; ")),
            w.issues,
            csv_field(&w.file)
        ));
    }
    write_atomic(dir, "requests.csv", csv.as_bytes())?;
    Ok(written)
}
