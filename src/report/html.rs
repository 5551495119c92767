//! `--format html`: one self-contained page for curators (no network, no
//! external assets; a Content-Security-Policy forbids any fetch and lets
//! only the page's own script and style run, by hash).
//!
//! A summary (counts per check and severity, with an inline SVG bar chart),
//! filters by severity and check (also from the URL:
//! `#severity=warning&check=date-order`), then every record with findings:
//! the findings, and the record's source text with each labelled span
//! highlighted in a `<mark>` linked from its finding. Every byte that comes
//! from a record, a message or a path is escaped.

use super::records::{group, primary, Positions, RecordView};
use crate::check::{Check, Finding, Severity};
use crate::engine::Run;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

const CSS: &str = include_str!("assets/report.css");
const JS: &str = include_str!("assets/report.js");

/// The text of the page's one `<style>` element.
fn style_text() -> String {
    format!("\n{CSS}")
}

/// The text of the page's one `<script>` element.
fn script_text() -> String {
    format!("\n{JS}")
}

/// The page's Content-Security-Policy: nothing is fetched or connected to
/// (`default-src 'none'`; images only as `data:`), and the only script and
/// style that run are the page's own, by their SHA-256 hashes: a record's
/// text that slipped through unescaped could not run a script, nor could
/// an injected `<base>` or form send anything anywhere.
pub fn csp() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        super::sha256::csp_hash(&script_text()),
        super::sha256::csp_hash(&style_text())
    )
}

/// Bytes of context added to a record's shown text to reach a line start
/// or end (more than this and the text is cut mid-line instead).
const LINE_SNAP: usize = 240;

/// Escape text for HTML content and attribute values. Control characters
/// other than tab, line feed and carriage return are shown as their Unicode
/// control pictures (U+2400 block), so nothing invisible is hidden in a
/// record.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(s, &mut out);
    out
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
            '\u{7f}' => out.push('\u{2421}'),
            '\u{80}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

fn sev_counts<'a>(fs: impl Iterator<Item = &'a Finding>) -> [usize; 3] {
    let mut n = [0; 3];
    for f in fs {
        n[sev_index(f.severity)] += 1;
    }
    n
}

fn sev_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Note => 2,
    }
}

const SEVS: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Note];

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The part of the source shown for a record, as offsets into the
/// source's text: the record's span, grown to cover its labels and snapped
/// to whole lines when that adds little.
fn shown_range(run: &Run, v: &RecordView) -> (usize, usize) {
    let Some(src) = v.source else { return (0, 0) };
    let text = &src.text;
    let (mut s, mut e) = match v.record {
        Some(r) if !r.span.is_empty() => (src.local(r.span.start), src.local(r.span.end)),
        _ => (0, text.len()),
    };
    for f in v.findings(run) {
        for l in &f.labels {
            s = s.min(src.local(l.span.start));
            e = e.max(src.local(l.span.end));
        }
    }
    let (s, e) = (floor_char(text, s), floor_char(text, e.max(s)));
    // look for the line ends only within LINE_SNAP bytes
    let back = floor_char(text, s.saturating_sub(LINE_SNAP + 1));
    let s = match text[back..s].rfind('\n') {
        Some(i) => back + i + 1,
        None if back == 0 => 0,
        None => s,
    };
    let ahead = floor_char(text, e + LINE_SNAP + 1);
    let e = match text[e..ahead].find('\n') {
        Some(i) => e + i,
        None if ahead == text.len() => text.len(),
        None => e,
    };
    (s, e)
}

/// One highlighted piece of the shown text: which labels cover it.
struct Piece {
    start: usize,
    end: usize,
    /// (finding index, label index)
    labels: Vec<(usize, usize)>,
}

/// Split `[lo, hi)` at every label boundary; pieces covered by no label are
/// left out. Empty labels become empty pieces at their position.
fn pieces(
    text: &str,
    lo: usize,
    hi: usize,
    labels: &[(usize, usize, usize, usize)], // (finding, label, start, end) in text offsets
) -> Vec<Piece> {
    let mut cuts: Vec<usize> = vec![lo, hi];
    for &(_, _, s, e) in labels {
        for x in [s, e] {
            if x > lo && x < hi {
                cuts.push(floor_char(text, x));
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        // empty labels at `a`
        let empties: Vec<(usize, usize)> = labels
            .iter()
            .filter(|&&(_, _, s, e)| s == e && s == a)
            .map(|&(f, l, _, _)| (f, l))
            .collect();
        if !empties.is_empty() {
            out.push(Piece {
                start: a,
                end: a,
                labels: empties,
            });
        }
        let covering: Vec<(usize, usize)> = labels
            .iter()
            .filter(|&&(_, _, s, e)| s < e && s <= a && b <= e)
            .map(|&(f, l, _, _)| (f, l))
            .collect();
        if !covering.is_empty() {
            out.push(Piece {
                start: a,
                end: b,
                labels: covering,
            });
        }
    }
    // empty labels at the very end
    let at_end: Vec<(usize, usize)> = labels
        .iter()
        .filter(|&&(_, _, s, e)| s == e && s == hi && hi > lo)
        .map(|&(f, l, _, _)| (f, l))
        .collect();
    if !at_end.is_empty() {
        out.push(Piece {
            start: hi,
            end: hi,
            labels: at_end,
        });
    }
    out
}

fn chart(rows: &[(&str, [usize; 3])]) -> String {
    let max = rows
        .iter()
        .map(|(_, n)| n.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let (name_w, bar_w, row_h) = (200.0, 250.0, 26.0);
    let width = name_w + bar_w + 50.0;
    let height = row_h * rows.len().max(1) as f64 + 8.0;
    let mut s = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"Findings per check and severity\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    if rows.is_empty() {
        s.push_str("<text x=\"4\" y=\"18\">no findings</text>");
    }
    let colors = ["#c62828", "#e08a00", "#1f5fa8"];
    for (i, (name, n)) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let total: usize = n.iter().sum();
        let _ = write!(
            s,
            "<a href=\"#check={}\"><title>{}: {} error, {} warning, {} note</title><rect class=\"bg\" x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{row_h}\" fill=\"transparent\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            escape(&encode_component(name)),
            escape(name),
            n[0],
            n[1],
            n[2],
            name_w - 8.0,
            y + 16.0,
            escape(name)
        );
        let mut x = name_w;
        for k in 0..3 {
            if n[k] == 0 {
                continue;
            }
            let w = bar_w * n[k] as f64 / max as f64;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"/>",
                y + 4.0,
                row_h - 8.0,
                colors[k]
            );
            x += w;
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\">{total}</text></a>",
            x + 6.0,
            y + 16.0
        );
    }
    s.push_str("</svg>");
    s
}

/// Percent-encode for a URL fragment value (as JavaScript's
/// encodeURIComponent).
fn encode_component(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn plural(n: usize, w: &str) -> String {
    format!("{n} {w}{}", if n == 1 { "" } else { "s" })
}

/// Render the run as one self-contained HTML page. `checks` are the checks
/// the run used (their summaries label the table).
pub fn render(run: &Run, checks: &[Check], as_of: chrono::NaiveDate) -> String {
    let views = group(run);
    let summary = super::summarize(run);
    let positions: Vec<Positions> = run.sources.iter().map(Positions::new).collect();
    let mut h = String::with_capacity(64 * 1024);
    let as_of = as_of.format("%Y-%m-%d").to_string();

    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        h,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        csp()
    );
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(h, "<title>trialint report ({})</title>", escape(&as_of));
    let _ = writeln!(
        h,
        "<style>{}</style>\n</head>\n<body>\n<main>",
        style_text()
    );

    // Header and totals.
    let total = run.findings.len();
    let _ = writeln!(
        h,
        "<header><h1>trialint report</h1><p class=\"muted\">Checked as of {} with {} · trialint {}</p>",
        escape(&as_of),
        plural(checks.len(), "check"),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        h,
        "<ul class=\"totals\" id=\"totals\"><li><b>{}</b> files</li><li><b>{}</b> records</li><li><b id=\"total-findings\">{}</b> findings</li><li><span class=\"badge sev-error\">error</span> <b>{}</b></li><li><span class=\"badge sev-warning\">warning</span> <b>{}</b></li><li><span class=\"badge sev-note\">note</span> <b>{}</b></li><li><b>{}</b> unreadable</li></ul></header>",
        summary.files, summary.records, total, summary.errors, summary.warnings, summary.notes, summary.unreadable
    );

    // Summary per check.
    let mut per_check: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for c in checks {
        per_check.insert(&c.name, [0; 3]);
    }
    for f in &run.findings {
        per_check.entry(&f.check).or_insert([0; 3])[sev_index(f.severity)] += 1;
    }
    let rows: Vec<(&str, [usize; 3])> = per_check
        .iter()
        .filter(|(_, n)| n.iter().sum::<usize>() > 0)
        .map(|(k, n)| (*k, *n))
        .collect();
    h.push_str(
        "<section class=\"card\" id=\"summary\"><h2>Summary</h2><div class=\"summary-grid\"><div>",
    );
    h.push_str(&chart(&rows));
    h.push_str("</div><div><table><thead><tr><th>check</th><th class=\"n\">error</th><th class=\"n\">warning</th><th class=\"n\">note</th></tr></thead><tbody>");
    let mut quiet = Vec::new();
    for (name, n) in &per_check {
        let summary = checks
            .iter()
            .find(|c| c.name == *name)
            .map(|c| c.summary.as_str())
            .unwrap_or("");
        if n.iter().sum::<usize>() == 0 {
            quiet.push(*name);
            continue;
        }
        let _ = write!(
            h,
            "<tr><td><a href=\"#check={}\" title=\"{}\"><code>{}</code></a><div class=\"muted small\">{}</div></td>",
            escape(&encode_component(name)),
            escape(summary),
            escape(name),
            escape(summary)
        );
        for k in n {
            let _ = write!(h, "<td class=\"n\">{k}</td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    if !quiet.is_empty() {
        let _ = write!(
            h,
            "<p class=\"muted small\" id=\"quiet-checks\">No findings from {}: {}</p>",
            plural(quiet.len(), "other check"),
            quiet
                .iter()
                .map(|n| format!("<code>{}</code>", escape(n)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    h.push_str("</div></div></section>\n");

    // Filters.
    h.push_str("<form class=\"filters\" id=\"filters\" onsubmit=\"return false\"><fieldset><legend>Severity</legend>");
    for s in SEVS {
        let n = run.findings.iter().filter(|f| f.severity == s).count();
        let _ = write!(
            h,
            "<label><input type=\"checkbox\" name=\"severity\" value=\"{0}\" checked> <span class=\"badge sev-{0}\">{0}</span> {n}</label>",
            s.as_str()
        );
    }
    h.push_str("</fieldset><fieldset><legend>Check</legend>");
    for (name, n) in &rows {
        let _ = write!(
            h,
            "<label><input type=\"checkbox\" name=\"check\" value=\"{}\" checked> <code>{}</code> {}</label>",
            escape(name),
            escape(name),
            n.iter().sum::<usize>()
        );
    }
    let _ = writeln!(
        h,
        "</fieldset><button type=\"button\" id=\"reset\">Show all</button><span class=\"muted\">Showing <b id=\"shown-count\">{total}</b> of {total} findings</span></form>"
    );

    // Unreadable inputs.
    let unreadable: Vec<&RecordView> = views.iter().filter(|v| v.error.is_some()).collect();
    if !unreadable.is_empty() {
        h.push_str("<section class=\"card errors\" id=\"unreadable\"><h2>Inputs that could not be read</h2><ul>");
        for v in &unreadable {
            let _ = write!(
                h,
                "<li><code>{}</code>: {}</li>",
                escape(v.path),
                escape(v.error.unwrap_or(""))
            );
        }
        h.push_str("</ul></section>\n");
    }

    // Records with findings.
    h.push_str("<div id=\"records\">\n");
    for (ri, v) in views.iter().enumerate() {
        if v.error.is_some() || v.findings.is_empty() {
            continue;
        }
        record_section(&mut h, run, &positions, ri, v);
    }
    h.push_str("</div>\n");

    // Records without findings.
    let clean: Vec<&RecordView> = views
        .iter()
        .filter(|v| v.error.is_none() && v.findings.is_empty())
        .collect();
    if !clean.is_empty() {
        let _ = write!(
            h,
            "<section class=\"card\" id=\"clean\"><details><summary>{} without findings</summary><ul class=\"clean\">",
            plural(clean.len(), "record")
        );
        for v in clean {
            let _ = write!(
                h,
                "<li><b>{}</b> <span class=\"muted\">{}</span></li>",
                escape(&v.name()),
                escape(v.path)
            );
        }
        h.push_str("</ul></details></section>\n");
    }
    let _ = writeln!(
        h,
        "<footer>Generated by trialint {}. Click a finding to highlight its spans in the record; click a highlight to find its finding. Filters are kept in the address (e.g. <code>#severity=error,warning&amp;check=date-order</code>).</footer>",
        env!("CARGO_PKG_VERSION")
    );
    let _ = write!(
        h,
        "</main>\n<script>{}</script>\n</body>\n</html>\n",
        script_text()
    );
    h
}

fn record_section(h: &mut String, run: &Run, positions: &[Positions], ri: usize, v: &RecordView) {
    let Some(src) = v.source else { return };
    let pos = &positions[v.source_index.unwrap_or(0)];
    let counts = sev_counts(v.findings(run));
    let _ = write!(
        h,
        "<section class=\"record\" id=\"r{ri}\" data-record=\"{}\"><header><h3>{}</h3><span class=\"mono muted\">{}</span>",
        escape(&v.name()),
        escape(&v.name()),
        escape(v.path)
    );
    if let Some(fmt) = v.format() {
        let _ = write!(h, "<span class=\"muted\">read as {}</span>", escape(fmt));
    }
    for (k, s) in SEVS.iter().enumerate() {
        if counts[k] > 0 {
            let _ = write!(
                h,
                "<span class=\"badge sev-{0}\">{1} {0}</span>",
                s.as_str(),
                counts[k]
            );
        }
    }
    h.push_str("</header>\n");

    // The shown text and its highlighted pieces.
    let (lo, hi) = shown_range(run, v);
    let text = &src.text;
    let mut labels = Vec::new();
    for &fi in &v.findings {
        for (li, l) in run.findings[fi].labels.iter().enumerate() {
            let (s, e) = (src.local(l.span.start), src.local(l.span.end));
            let (s, e) = (floor_char(text, s), floor_char(text, e.max(s)));
            if s >= lo && e <= hi {
                labels.push((fi, li, s, e));
            }
        }
    }
    let pieces = pieces(text, lo, hi, &labels);
    let mut first_piece: HashMap<(usize, usize), usize> = HashMap::new();
    for (pi, p) in pieces.iter().enumerate() {
        for &k in &p.labels {
            first_piece.entry(k).or_insert(pi);
        }
    }

    h.push_str("<ol class=\"findings\">\n");
    for &fi in &v.findings {
        let f = &run.findings[fi];
        let _ = write!(
            h,
            "<li class=\"finding sev-{0}\" id=\"f{fi}\" data-check=\"{1}\" data-severity=\"{0}\"><div class=\"fhead\"><span class=\"badge sev-{0}\">{0}</span><code class=\"check\">{1}</code><span class=\"msg\">{2}</span></div><ul class=\"labels\">",
            f.severity.as_str(),
            escape(&f.check),
            escape(&f.message)
        );
        let prim = primary(f);
        for (li, l) in f.labels.iter().enumerate() {
            let (line, col) = pos.line_col(l.span.start);
            let is_primary = prim.is_some_and(|p| std::ptr::eq(p, l));
            let class = if is_primary { "lbl primary" } else { "lbl" };
            let quote: String = {
                let q = src.snippet(l.span);
                let mut c: String = q.chars().take(160).collect();
                if c.len() < q.len() {
                    c.push('…');
                }
                c
            };
            h.push_str("<li>");
            match first_piece.get(&(fi, li)) {
                Some(pi) => {
                    let _ = write!(
                        h,
                        "<a class=\"{class}\" href=\"#r{ri}-m{pi}\" data-l=\"f{fi}.{li}\">line {line}, column {col}</a>"
                    );
                }
                None => {
                    let _ = write!(
                        h,
                        "<span class=\"{class}\">line {line}, column {col}</span>"
                    );
                }
            }
            if !quote.is_empty() {
                let _ = write!(h, " <q class=\"quote\">{}</q>", escape(&quote));
            }
            if !l.message.is_empty() {
                let _ = write!(h, " — {}", escape(&l.message));
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>");
        for n in &f.notes {
            let _ = write!(h, "<p class=\"notes\">note: {}</p>", escape(n));
        }
        if let Some(help) = &f.help {
            let _ = write!(h, "<p class=\"help\">help: {}</p>", escape(help));
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ol>\n");

    let (first_line, _) = pos.line_col(src.offset + lo);
    let (last_line, _) = pos.line_col(src.offset + hi);
    let _ = write!(
        h,
        "<details class=\"source\" open><summary>Record text ({}, lines {first_line}–{last_line}{})</summary><pre class=\"text\">",
        escape(v.path),
        if src.offset + lo > 0 || src.offset + hi < src.file_len.max(text.len()) {
            ", excerpt"
        } else {
            ""
        }
    );
    let mut at = lo;
    for (pi, p) in pieces.iter().enumerate() {
        escape_into(&text[at..p.start.max(at)], h);
        let worst = p
            .labels
            .iter()
            .map(|&(fi, _)| run.findings[fi].severity)
            .max()
            .unwrap_or(Severity::Note);
        let mut fids: Vec<String> = p.labels.iter().map(|&(fi, _)| format!("f{fi}")).collect();
        fids.dedup();
        let lids: Vec<String> = p
            .labels
            .iter()
            .map(|&(fi, li)| format!("f{fi}.{li}"))
            .collect();
        let title: Vec<String> = p
            .labels
            .iter()
            .map(|&(fi, li)| {
                let f = &run.findings[fi];
                let m = &f.labels[li].message;
                if m.is_empty() {
                    f.check.clone()
                } else {
                    format!("{}: {m}", f.check)
                }
            })
            .collect();
        let empty = if p.start == p.end { " empty" } else { "" };
        let _ = write!(
            h,
            "<mark id=\"r{ri}-m{pi}\" class=\"sev-{}{empty}\" data-f=\"{}\" data-l=\"{}\" title=\"{}\">",
            worst.as_str(),
            fids.join(" "),
            lids.join(" "),
            escape(&title.join("\n"))
        );
        escape_into(&text[p.start..p.end], h);
        h.push_str("</mark>");
        at = p.end;
    }
    escape_into(&text[at.min(hi)..hi], h);
    h.push_str("</pre></details>\n</section>\n");
}
