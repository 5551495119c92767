//! Reader for saved HTML pages.
//!
//! The page is turned into text with a map back to the HTML bytes
//! ([`html_text`]), then read by layout:
//!
//! | format              | page                                                       |
//! |---------------------|------------------------------------------------------------|
//! | `html:ctgov-classic`| classic ClinicalTrials.gov study / results-submitted pages |
//! | `html:eu-ctr`       | EU Clinical Trials Register trial pages                    |
//! | `html:gsk`          | GSK Clinical Study Register study pages                    |
//! | `html:takeda`       | Takeda Clinical Trials trial summaries                     |
//! | `html:generic`      | anything else: the page text goes to `text::read_page`     |
//!
//! Each layout is a table of labels as the page prints them and the
//! canonical key they fill; a value is the rest of the label's line or, when
//! that is empty, the lines that follow up to the next label.

use crate::record::{keys, EntityKind, Field, Record};
use crate::source::{html_text, text, xml_text};
use crate::span::{Span, Text};
use regex::Regex;
use std::sync::OnceLock;

/// The page's text with its map back to the HTML bytes.
pub fn page_text(html: &str) -> Text {
    html_text::to_text(html)
}

/// The page layouts this reader knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    CtgovClassic,
    EuCtr,
    Gsk,
    Takeda,
    Generic,
}

impl Layout {
    pub fn format(self) -> &'static str {
        match self {
            Layout::CtgovClassic => "html:ctgov-classic",
            Layout::EuCtr => "html:eu-ctr",
            Layout::Gsk => "html:gsk",
            Layout::Takeda => "html:takeda",
            Layout::Generic => "html:generic",
        }
    }
}

/// Recognise the layout from the page text (and a few marks in the HTML).
pub fn detect(html: &str, page: &str) -> Layout {
    let has_line = |p: &str| {
        page.lines()
            .any(|l| l.trim_start_matches([' ', '\u{a0}']).starts_with(p))
    };
    if has_line("ClinicalTrials.gov Identifier:") {
        Layout::CtgovClassic
    } else if has_line("EudraCT Number:") && page.contains("EU Clinical Trials Register") {
        Layout::EuCtr
    } else if html.contains("gsk-clinicalstudyregister.com")
        || (has_line("Clinical Study ID") && page.contains("GlaxoSmithKline"))
    {
        Layout::Gsk
    } else if has_line("Takeda Trial ID") {
        Layout::Takeda
    } else {
        Layout::Generic
    }
}

/// Read every record in the file (a page is one record).
pub fn read(html: &str) -> Result<Vec<Record>, String> {
    let page = page_text(html);
    let layout = detect(html, &page.text);
    let lines = Lines::new(&page);
    // A classic ClinicalTrials.gov page starts the study at its title, above
    // the disclaimer; the glossary before it defines the same labels, so the
    // page-text reader sees only the study part.
    let disclaimer = lines.find(|l| l.starts_with("The safety and scientific validity"));
    let title = disclaimer.and_then(|i| (0..i).rev().find(|&j| !lines.str(j).is_empty()));
    let from = title
        .or_else(|| lines.find(|l| l.starts_with("ClinicalTrials.gov Identifier:")))
        .unwrap_or(0);
    let mut rec = match layout {
        Layout::CtgovClassic => {
            let start = lines.ranges.get(from).map(|r| r.0).unwrap_or(0);
            text::read_page(&page.slice(start, page.text.len()))
        }
        Layout::Generic => text::read_page(&page),
        _ => Record::new(layout.format()),
    };
    rec.format = layout.format().to_string();
    rec.span = Span::new(0, html.len());
    match layout {
        Layout::CtgovClassic => {
            let mut mine = Record::new(layout.format());
            read_labels(&mut mine, &lines, from, CTGOV_CLASSIC, |_| false);
            if let Some(t) = title {
                mine.push(keys::TITLE, lines.text(t));
            }
            merge_missing(&mut rec, mine);
        }
        Layout::EuCtr => read_labels(&mut rec, &lines, 0, EU_CTR, |l| {
            is_eu_code_line(l) || l == "MedDRA Classification"
        }),
        Layout::Gsk => read_labels(&mut rec, &lines, 0, GSK, |l| {
            GSK_OTHER.iter().any(|o| l.starts_with(o))
        }),
        Layout::Takeda => read_labels(&mut rec, &lines, 0, TAKEDA, |l| TAKEDA_STOP.contains(&l)),
        Layout::Generic => {
            // The page's <title> (dropped with the <head> from the text).
            if let Some(t) = html_text::title(html) {
                if !t.text.is_empty() {
                    rec.push("x.page_title", t);
                }
            }
        }
    }
    if layout == Layout::EuCtr && rec.get(keys::ENROLLMENT).is_none() {
        // A national trial gives only the number for its member state.
        if let Some(f) = rec.get("x.enrollment_member_state").cloned() {
            rec.push(keys::ENROLLMENT, f.text);
        }
    }
    if rec.id.is_none() {
        rec.id = rec
            .get(keys::ID)
            .map(|f| f.value().to_string())
            .filter(|s| !s.is_empty());
    }
    Ok(vec![rec])
}

/// Add the fields (and entities) of `mine` whose key `rec` lacks.
fn merge_missing(rec: &mut Record, mine: Record) {
    let base = rec.entities.len();
    rec.entities
        .extend(mine.entities.iter().cloned().map(|mut e| {
            e.parent = e.parent.map(|p| p + base);
            e
        }));
    // keys are borrowed constants: cloning them copies no text
    let have: std::collections::HashSet<_> = rec.fields.iter().map(|f| f.key.clone()).collect();
    for mut f in mine.fields {
        if f.entity.is_none() && have.contains(&f.key) {
            continue;
        }
        f.entity = f.entity.map(|e| e + base);
        rec.fields.push(f);
    }
}

/// The page text split into lines, each trimmed (white space and no-break
/// spaces), with their ranges in the text.
struct Lines<'a> {
    page: &'a Text,
    ranges: Vec<(usize, usize)>,
}

fn is_pad(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}'
}

impl<'a> Lines<'a> {
    fn new(page: &'a Text) -> Lines<'a> {
        let s = &page.text;
        let mut ranges = Vec::new();
        let mut start = 0;
        for (i, c) in s.char_indices() {
            if c == '\n' {
                ranges.push(trim_range(s, start, i));
                start = i + 1;
            }
        }
        if start < s.len() {
            ranges.push(trim_range(s, start, s.len()));
        }
        Lines { page, ranges }
    }

    fn len(&self) -> usize {
        self.ranges.len()
    }

    fn str(&self, i: usize) -> &'a str {
        let (s, e) = self.ranges[i];
        &self.page.text[s..e]
    }

    fn text(&self, i: usize) -> Text {
        let (s, e) = self.ranges[i];
        self.page.slice(s, e)
    }

    fn find(&self, f: impl Fn(&str) -> bool) -> Option<usize> {
        (0..self.len()).find(|&i| f(self.str(i)))
    }
}

fn trim_range(s: &str, start: usize, end: usize) -> (usize, usize) {
    let line = &s[start..end];
    let t = line.trim_start_matches(is_pad);
    let s2 = start + (line.len() - t.len());
    let t = t.trim_end_matches(is_pad);
    (s2, s2 + t.len())
}

/// What a label fills.
#[derive(Clone, Copy)]
enum Slot {
    /// A plain field.
    Key(&'static str),
    /// A field whose value may run over several lines.
    Block(&'static str),
    /// The qualifier ("Actual") of the last field with this key.
    Qualifier(&'static str),
    /// Ages as written ("18 Years to 65 Years", "20 years and up"): kept as
    /// `x.ages`, and split into `min_age` / `max_age` slices.
    Ages,
    /// One outcome per line (with "Time Frame:" lines or "[Time Frame: ..]").
    Outcomes(EntityKind),
    /// One outcome, the whole value its measure.
    Outcome(EntityKind),
    /// The time frame of the outcome read last.
    TimeFrame,
    /// An EU CTR "Phase" row: the label becomes a `phase` field when the
    /// value is "Yes".
    PhaseIfYes,
    /// A contact entity's field (a new contact starts at `contact.name`).
    Contact(&'static str, &'static str),
    /// The registry identifier.
    Id,
}

type Table = &'static [(&'static str, Slot)];

const CTGOV_CLASSIC: Table = &[
    ("ClinicalTrials.gov Identifier", Slot::Id),
    ("Recruitment Status", Slot::Key(keys::STATUS)),
    ("First Posted", Slot::Key(keys::FIRST_POSTED)),
    ("Last Update Posted", Slot::Key(keys::LAST_UPDATE_POSTED)),
    (
        "Results First Posted",
        Slot::Key(keys::RESULTS_FIRST_POSTED),
    ),
    ("First Submitted Date", Slot::Key(keys::FIRST_SUBMITTED)),
    ("First Posted Date", Slot::Key(keys::FIRST_POSTED)),
    (
        "Last Update Posted Date",
        Slot::Key(keys::LAST_UPDATE_POSTED),
    ),
    ("Study Start Date", Slot::Key(keys::START_DATE)),
    ("Study Start", Slot::Key(keys::START_DATE)),
    (
        "Primary Completion Date",
        Slot::Key(keys::PRIMARY_COMPLETION_DATE),
    ),
    ("Study Completion Date", Slot::Key(keys::COMPLETION_DATE)),
    ("Enrollment", Slot::Key(keys::ENROLLMENT)),
    ("Study Type", Slot::Key(keys::STUDY_TYPE)),
    ("Phase", Slot::Key(keys::PHASE)),
    ("Allocation", Slot::Key(keys::ALLOCATION)),
    ("Intervention Model", Slot::Key(keys::INTERVENTION_MODEL)),
    ("Masking", Slot::Key(keys::MASKING)),
    ("Primary Purpose", Slot::Key(keys::PRIMARY_PURPOSE)),
    ("Ages Eligible for Study", Slot::Ages),
    ("Sexes Eligible for Study", Slot::Key(keys::SEX)),
    (
        "Accepts Healthy Volunteers",
        Slot::Key(keys::HEALTHY_VOLUNTEERS),
    ),
    ("Sponsor", Slot::Key(keys::LEAD_SPONSOR)),
    ("Collaborator", Slot::Key(keys::COLLABORATOR)),
    ("Collaborators", Slot::Key(keys::COLLABORATOR)),
    (
        "Information provided by (Responsible Party)",
        Slot::Key(keys::RESPONSIBLE_PARTY),
    ),
    ("Why Stopped", Slot::Key(keys::WHY_STOPPED)),
];

const EU_CTR: Table = &[
    ("EudraCT Number", Slot::Id),
    ("Trial Status", Slot::Key(keys::STATUS)),
    (
        "Date on which this record was first entered in the EudraCT database",
        Slot::Key(keys::FIRST_SUBMITTED),
    ),
    (
        "Sponsor's Protocol Code Number",
        Slot::Key("x.protocol_code"),
    ),
    (
        "National Competent Authority",
        Slot::Key("x.national_competent_authority"),
    ),
    ("Full title of the trial", Slot::Block(keys::OFFICIAL_TITLE)),
    (
        "Title of the trial for lay people, in easily understood, i.e. non-technical, language",
        Slot::Block(keys::TITLE),
    ),
    (
        "Name or abbreviated title of the trial where available",
        Slot::Block(keys::ACRONYM),
    ),
    ("Name of Sponsor", Slot::Key(keys::LEAD_SPONSOR)),
    (
        "Medical condition(s) being investigated",
        Slot::Block(keys::CONDITION),
    ),
    (
        "Main objective of the trial",
        Slot::Block(keys::BRIEF_SUMMARY),
    ),
    (
        "Principal inclusion criteria",
        Slot::Block(keys::ELIGIBILITY),
    ),
    (
        "Principal exclusion criteria",
        Slot::Block("x.exclusion_criteria"),
    ),
    (
        "Primary end point(s)",
        Slot::Outcome(EntityKind::PrimaryOutcome),
    ),
    (
        "Secondary end point(s)",
        Slot::Outcome(EntityKind::SecondaryOutcome),
    ),
    (
        "Timepoint(s) of evaluation of this end point",
        Slot::TimeFrame,
    ),
    ("Human pharmacology (Phase I)", Slot::PhaseIfYes),
    ("Therapeutic exploratory (Phase II)", Slot::PhaseIfYes),
    ("Therapeutic confirmatory (Phase III)", Slot::PhaseIfYes),
    ("Therapeutic use (Phase IV)", Slot::PhaseIfYes),
    ("Controlled", Slot::Key("x.controlled")),
    ("Randomised", Slot::Key("x.randomised")),
    ("Open", Slot::Key("x.open")),
    ("Single blind", Slot::Key("x.single_blind")),
    ("Double blind", Slot::Key("x.double_blind")),
    (
        "Trial has subjects under 18",
        Slot::Key("x.subjects_under_18"),
    ),
    ("Adults (18-64 years)", Slot::Key("x.adults")),
    ("Elderly (>=65 years)", Slot::Key("x.elderly")),
    ("Female", Slot::Key("x.female")),
    ("Male", Slot::Key("x.male")),
    (
        "In the member state",
        Slot::Key("x.enrollment_member_state"),
    ),
    ("In the EEA", Slot::Key("x.enrollment_eea")),
    ("In the whole clinical trial", Slot::Key(keys::ENROLLMENT)),
    ("End of Trial Status", Slot::Key("x.end_of_trial_status")),
    (
        "Date of the global end of the trial",
        Slot::Key(keys::COMPLETION_DATE),
    ),
];

const GSK: Table = &[
    ("Clinicaltrials.gov Identifier", Slot::Id),
    ("Study ID", Slot::Key("x.study_id")),
    ("Clinical Study ID", Slot::Key("x.clinical_study_id")),
    ("Study Title", Slot::Key(keys::TITLE)),
    ("Official Title", Slot::Key(keys::OFFICIAL_TITLE)),
    ("Sponsor", Slot::Key(keys::LEAD_SPONSOR)),
    ("Collaborators", Slot::Key(keys::COLLABORATOR)),
    ("Phase", Slot::Key(keys::PHASE)),
    ("Study Recruitment Status", Slot::Key(keys::STATUS)),
    ("Generic Name", Slot::Key("x.generic_name")),
    ("Study Indication", Slot::Key(keys::CONDITION)),
    ("Acronym", Slot::Key(keys::ACRONYM)),
    ("Study Type", Slot::Key(keys::STUDY_TYPE)),
    ("Brief Summary", Slot::Block(keys::BRIEF_SUMMARY)),
    (
        "Detailed Description",
        Slot::Block(keys::DETAILED_DESCRIPTION),
    ),
    ("Record Verification Date", Slot::Key(keys::VERIFIED_DATE)),
    ("Why Study Stopped", Slot::Key(keys::WHY_STOPPED)),
    ("Study Start Date", Slot::Key(keys::START_DATE)),
    ("Study Start Date Type", Slot::Qualifier(keys::START_DATE)),
    ("Study Completion Date", Slot::Key(keys::COMPLETION_DATE)),
    (
        "Study Completion Date Type",
        Slot::Qualifier(keys::COMPLETION_DATE),
    ),
    (
        "Primary Completion Date",
        Slot::Key(keys::PRIMARY_COMPLETION_DATE),
    ),
    (
        "Primary Completion Date Type",
        Slot::Qualifier(keys::PRIMARY_COMPLETION_DATE),
    ),
    ("Primary Purpose", Slot::Key(keys::PRIMARY_PURPOSE)),
    ("Allocation", Slot::Key(keys::ALLOCATION)),
    ("Masking", Slot::Key(keys::MASKING)),
    (
        "Study Design (Assignment)",
        Slot::Key(keys::INTERVENTION_MODEL),
    ),
    (
        "Primary Outcomes",
        Slot::Outcomes(EntityKind::PrimaryOutcome),
    ),
    (
        "Secondary Outcomes",
        Slot::Outcomes(EntityKind::SecondaryOutcome),
    ),
    ("Keywords", Slot::Block(keys::KEYWORD)),
    ("Eligibility Criteria:", Slot::Block(keys::ELIGIBILITY)),
    ("Gender", Slot::Key(keys::SEX)),
    ("Minimum Age", Slot::Key(keys::MIN_AGE)),
    ("Maximum Age", Slot::Key(keys::MAX_AGE)),
    ("Enrollment", Slot::Key(keys::ENROLLMENT)),
    ("Enrollment Type", Slot::Qualifier(keys::ENROLLMENT)),
    ("Healthy Volunteers", Slot::Key(keys::HEALTHY_VOLUNTEERS)),
    (
        "Central Contact",
        Slot::Contact(keys::CONTACT_NAME, "central contact"),
    ),
    (
        "Central Contact Phone",
        Slot::Contact(keys::CONTACT_PHONE, "central contact"),
    ),
    (
        "Central Contact Email",
        Slot::Contact(keys::CONTACT_EMAIL, "central contact"),
    ),
    (
        "Overall Study Official",
        Slot::Contact(keys::CONTACT_NAME, "overall official"),
    ),
    (
        "Overall Study Official Affiliation",
        Slot::Contact(keys::CONTACT_AFFILIATION, "overall official"),
    ),
    (
        "Overall Study Official Role",
        Slot::Contact("x.contact.role", "overall official"),
    ),
    (
        "Contact Name",
        Slot::Contact(keys::CONTACT_NAME, "site contact"),
    ),
    (
        "Contact Phone",
        Slot::Contact(keys::CONTACT_PHONE, "site contact"),
    ),
    (
        "Contact Email",
        Slot::Contact(keys::CONTACT_EMAIL, "site contact"),
    ),
];

const TAKEDA: Table = &[
    ("NCT Number", Slot::Id),
    ("Official Title", Slot::Block(keys::OFFICIAL_TITLE)),
    ("Takeda Trial ID", Slot::Key("x.takeda_trial_id")),
    ("Trial Phase", Slot::Key(keys::PHASE)),
    ("Condition", Slot::Key(keys::CONDITION)),
    ("Compound", Slot::Key("x.compound")),
    ("Recruitment Status", Slot::Key(keys::STATUS)),
    ("Other Trial IDs", Slot::Key("x.other_ids")),
    ("Trial Type", Slot::Key(keys::STUDY_TYPE)),
    ("Brief Summary", Slot::Block(keys::BRIEF_SUMMARY)),
    (
        "Detailed Description",
        Slot::Block(keys::DETAILED_DESCRIPTION),
    ),
    (
        "Endpoint Classification",
        Slot::Key("x.endpoint_classification"),
    ),
    ("Intervention Model", Slot::Key(keys::INTERVENTION_MODEL)),
    ("Masking", Slot::Key(keys::MASKING)),
    ("Allocation", Slot::Key(keys::ALLOCATION)),
    ("Primary Purpose", Slot::Key(keys::PRIMARY_PURPOSE)),
    (
        "Primary outcome measures",
        Slot::Outcomes(EntityKind::PrimaryOutcome),
    ),
    (
        "Secondary outcome measures",
        Slot::Outcomes(EntityKind::SecondaryOutcome),
    ),
    ("Gender", Slot::Key(keys::SEX)),
    ("Ages", Slot::Ages),
    (
        "Enrollment/number of participants",
        Slot::Key(keys::ENROLLMENT),
    ),
    ("Locations", Slot::Block("x.locations")),
    ("Responsible party", Slot::Key(keys::RESPONSIBLE_PARTY)),
    ("Trial sponsor", Slot::Key(keys::LEAD_SPONSOR)),
    ("Start date", Slot::Key(keys::START_DATE)),
    ("Completion date", Slot::Key(keys::COMPLETION_DATE)),
    ("Eligibility criteria", Slot::Block(keys::ELIGIBILITY)),
];

/// Lines that end a Takeda value.
const TAKEDA_STOP: &[&str] = &[
    "Read moreRead less",
    "Trial Design",
    "Trial Description",
    "Recruitment Information",
    "Results",
    "Trial arms/groups or cohorts",
    "Search by Location",
    "Trial Description Results",
];

/// An EU CTR row or heading: "E.3\tPrincipal inclusion criteria",
/// "E.5 End points", "B.Sponsor: 1".
fn is_eu_code_line(l: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[A-P]\.(?:[0-9]|[A-Z][A-Za-z]*:|\s)").unwrap())
        .is_match(l)
}

/// Strip an EU CTR row code ("E.8.1.1\t", "D.1.2 and D.1.3\t") from a line.
fn strip_eu_code(l: &str) -> (usize, &str) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^[A-P]\.(?:[0-9][0-9.]*(?: (?:and|to) [A-P]\.[0-9][0-9.]*)?)?\t").unwrap()
    });
    match re.find(l) {
        Some(m) => (m.end(), &l[m.end()..]),
        None => (0, l),
    }
}

/// Find the longest table label that the line starts with, followed by the
/// end of the line, a colon, a tab or spaces. Returns the slot, where the
/// label starts and where the value starts (in line bytes), and the
/// qualifier word before the label, if any ("Actual", "Estimated").
/// A label found on a line: what it fills, where the label and the value
/// start, and the qualifier word's range.
type LabelMatch = (Slot, usize, usize, Option<(usize, usize)>);

fn match_label(line: &str, table: Table) -> Option<LabelMatch> {
    let (code_end, rest) = strip_eu_code(line);
    let mut qual = None;
    let mut body = rest;
    let mut body_start = code_end;
    for q in ["Actual ", "Estimated ", "Anticipated "] {
        if let Some(r) = rest.strip_prefix(q) {
            qual = Some((code_end, code_end + q.len() - 1));
            body = r;
            body_start = code_end + q.len();
        }
    }
    let mut best: Option<(Slot, usize, usize)> = None;
    for (label, slot) in table {
        let lab = label.trim_end_matches(':');
        if body.len() < lab.len()
            || !body.is_char_boundary(lab.len())
            || !body[..lab.len()].eq_ignore_ascii_case(lab)
        {
            continue;
        }
        let after = &body[lab.len()..];
        let sep = after.len() - after.trim_start_matches([' ', '\t', '\u{a0}', ':']).len();
        if !(after.is_empty() || sep > 0) {
            continue;
        }
        // "Phase" must not match "Phase 1" as a label with value "1" when
        // nothing separates them other than a space... it may: values are
        // separated by tabs or colons on these pages, spaces only for Takeda
        // design lines ("Masking: Double Blind"). Require ':' or '\t' unless
        // the line is the label alone.
        let sep_str = &after[..sep];
        if !after.is_empty() && !sep_str.contains([':', '\t']) {
            continue;
        }
        if best.is_none_or(|(_, l, _)| lab.len() > l) {
            best = Some((*slot, lab.len(), body_start + lab.len() + sep));
        }
    }
    let (slot, _, value_start) = best?;
    let qual = if matches!(slot, Slot::Key(k) if is_date_or_count(k)) {
        qual
    } else {
        None
    };
    if qual.is_none() && body_start != code_end {
        // A qualifier word before a label that does not take one: no match.
        return None;
    }
    Some((slot, body_start, value_start, qual))
}

fn is_date_or_count(k: &str) -> bool {
    matches!(
        k,
        keys::START_DATE | keys::PRIMARY_COMPLETION_DATE | keys::COMPLETION_DATE | keys::ENROLLMENT
    )
}

/// Fill `rec` from label/value lines.
fn read_labels(
    rec: &mut Record,
    lines: &Lines,
    from: usize,
    table: Table,
    boundary: impl Fn(&str) -> bool,
) {
    let n = lines.len();
    let is_label = |i: usize| {
        let l = lines.str(i);
        boundary(l) || match_label(l, table).is_some()
    };
    let mut seen: Vec<&'static str> = Vec::new();
    let mut contact: Option<(usize, &'static str)> = None;
    let mut last_outcome: Option<usize> = None;
    let mut i = from;
    while i < n {
        let line = lines.str(i);
        let Some((slot, _label_start, value_start, qual)) = match_label(line, table) else {
            i += 1;
            continue;
        };
        let (ls, le) = lines.ranges[i];
        let inline = value_start < line.len() && !line[value_start..].starts_with("Click to view");
        // The value: the rest of the line, else the following lines.
        let (value, next) = if inline {
            (
                xml_text::trim(&lines.page.slice(ls + value_start, le)),
                i + 1,
            )
        } else {
            let multi = matches!(
                slot,
                Slot::Block(_) | Slot::Outcomes(_) | Slot::Outcome(_) | Slot::TimeFrame
            );
            let mut j = i + 1;
            // skip empty lines
            while j < n && lines.str(j).is_empty() {
                j += 1;
            }
            if j >= n || is_label(j) {
                (empty_at(lines.page, le), i + 1)
            } else if !multi {
                (lines.text(j), j + 1)
            } else {
                let first = j;
                let mut last = j;
                // Pages that show a value twice (in full, then cut short
                // behind "Read more") repeat its first line: stop there.
                let first_line = lines.str(first);
                while j < n
                    && j - first < 400
                    && !is_label(j)
                    && !(j > first && lines.str(j) == first_line)
                {
                    if !lines.str(j).is_empty() {
                        last = j;
                    }
                    j += 1;
                }
                (
                    lines
                        .page
                        .slice(lines.ranges[first].0, lines.ranges[last].1),
                    last + 1,
                )
            }
        };
        let qualifier = qual.map(|(a, b)| lines.page.slice(ls + a, ls + b));
        match slot {
            Slot::Id => {
                if rec.id.is_none() && !value.text.is_empty() {
                    rec.id = Some(value.text.to_string());
                    rec.push(keys::ID, value);
                }
            }
            Slot::Block(keys::KEYWORD) => {
                // One keyword per line.
                for l in value.text.split('\n').scan(0usize, |at, l| {
                    let s = *at;
                    *at += l.len() + 1;
                    Some((s, s + l.len()))
                }) {
                    let kw = xml_text::trim(&value.slice(l.0, l.1));
                    if !kw.text.is_empty() {
                        rec.push(keys::KEYWORD, kw);
                    }
                }
            }
            Slot::Key(k) | Slot::Block(k) => {
                let repeatable = matches!(
                    k,
                    keys::COLLABORATOR | keys::CONDITION | keys::KEYWORD | keys::PHASE
                );
                if repeatable || !seen.contains(&k) {
                    seen.push(k);
                    rec.push_field(Field {
                        key: k.into(),
                        text: value,
                        qualifier,
                        entity: None,
                        gate_words: Default::default(),
                    });
                }
            }
            Slot::Qualifier(k) => {
                if let Some(f) = rec.fields.iter_mut().rev().find(|f| f.key == k) {
                    if f.qualifier.is_none() && !value.text.is_empty() {
                        f.qualifier = Some(value);
                    }
                }
            }
            Slot::Ages => {
                let (min, max) = split_ages(&value);
                let groups = age_groups(&value);
                rec.push("x.ages", value);
                if let Some(m) = min {
                    rec.push(keys::MIN_AGE, m);
                }
                if let Some(m) = max {
                    rec.push(keys::MAX_AGE, m);
                }
                for g in groups {
                    rec.push(keys::AGE_GROUP, g);
                }
            }
            Slot::Outcomes(kind) => outcomes(rec, kind, &value),
            Slot::Outcome(kind) => {
                let e = rec.add_entity(kind, None, None);
                last_outcome = Some(e);
                rec.push_in(e, keys::OUTCOME_MEASURE, value);
            }
            Slot::TimeFrame => {
                if let Some(e) = last_outcome {
                    rec.push_in(e, keys::OUTCOME_TIME_FRAME, value);
                }
            }
            Slot::PhaseIfYes => {
                if value.text.eq_ignore_ascii_case("yes") {
                    let (_, body) = strip_eu_code(line);
                    let start = ls + (line.len() - body.len());
                    let label_end = body.find('\t').unwrap_or(body.len());
                    rec.push(
                        keys::PHASE,
                        xml_text::trim(&lines.page.slice(start, start + label_end)),
                    );
                }
            }
            Slot::Contact(k, role) => {
                let e = match contact {
                    Some((e, r))
                        if r == role
                            && !(k == keys::CONTACT_NAME && rec.entity_get(e, k).is_some()) =>
                    {
                        e
                    }
                    _ => rec.add_entity(EntityKind::Contact, Some(role.to_string()), None),
                };
                contact = Some((e, role));
                if !value.text.is_empty() {
                    rec.push_in(e, k, value);
                }
            }
        }
        i = next.max(i + 1);
    }
}

/// An empty text placed at decoded offset `at` of the page.
fn empty_at(page: &Text, at: usize) -> Text {
    let mut b = crate::span::TextBuilder::new();
    b.synthetic("", page.span(at, at).start);
    b.finish()
}

/// GSK rows that this reader does not map: they end the value before them.
const GSK_OTHER: &[&str] = &[
    "Secondary IDs",
    "FDA Regulated Intervention?",
    "Section 801 Clinical Trial",
    "Delayed Posting",
    "IND/IDE Protocol",
    "Has Expanded Access",
    "Oversight Authority",
    "Arms",
    "Interventions",
    "Document Title",
    "Citation",
    "Location Name",
    "Trade Name",
    "☰",
];

/// Outcomes, one per line; "Time Frame: ..." lines and "[Time Frame: ...]"
/// suffixes become the time frame of the outcome before them.
fn outcomes(rec: &mut Record, kind: EntityKind, value: &Text) {
    static TF: OnceLock<Regex> = OnceLock::new();
    let tf = TF.get_or_init(|| Regex::new(r"\[Time Frame:\s*([^\]]*)\]").unwrap());
    let mut current: Option<usize> = None;
    let s = &value.text;
    let mut start = 0;
    let mut push_line = |rec: &mut Record, a: usize, b: usize| {
        let (a, b) = trim_range(s, a, b);
        if a >= b {
            return;
        }
        let line = &s[a..b];
        if let Some(r) = line.strip_prefix("Time Frame:") {
            if let Some(e) = current {
                let off = b - r.trim_start().len();
                rec.push_in(
                    e,
                    keys::OUTCOME_TIME_FRAME,
                    xml_text::trim(&value.slice(off, b)),
                );
            }
            return;
        }
        if line.starts_with("Safety Issue:") {
            return;
        }
        let e = rec.add_entity(kind, None, None);
        current = Some(e);
        match tf.captures(line) {
            Some(c) => {
                let m = c.get(0).map(|m| m.start()).unwrap_or(line.len());
                rec.push_in(
                    e,
                    keys::OUTCOME_MEASURE,
                    xml_text::trim(&value.slice(a, a + m)),
                );
                if let Some(g) = c.get(1) {
                    rec.push_in(
                        e,
                        keys::OUTCOME_TIME_FRAME,
                        xml_text::trim(&value.slice(a + g.start(), a + g.end())),
                    );
                }
            }
            None => {
                rec.push_in(e, keys::OUTCOME_MEASURE, value.slice(a, b));
            }
        }
    };
    for (i, c) in s.char_indices() {
        if c == '\n' {
            push_line(rec, start, i);
            start = i + 1;
        }
    }
    push_line(rec, start, s.len());
}

/// Split "18 Years to 65 Years (Adult, Older Adult)", "20 years and up",
/// "18 Years and older", "up to 17 Years" into minimum and maximum slices.
fn split_ages(v: &Text) -> (Option<Text>, Option<Text>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:(?P<min>\d+(?:\.\d+)?\s*[a-z]+)\s*(?:to|-|–)\s*(?P<max>\d+(?:\.\d+)?\s*[a-z]+)|(?P<min2>\d+(?:\.\d+)?\s*[a-z]+)\s+(?:and\s+(?:up|older|over|above)|or\s+older)|(?:up\s+to|under)\s+(?P<max2>\d+(?:\.\d+)?\s*[a-z]+))",
        )
        .unwrap()
    });
    let Some(c) = re.captures(&v.text) else {
        return (None, None);
    };
    let g = |n: &str| c.name(n).map(|m| v.slice(m.start(), m.end()));
    (
        g("min").or_else(|| g("min2")),
        g("max").or_else(|| g("max2")),
    )
}

/// The age groups of an "Ages Eligible" value: "18 Years to 65 Years
/// (Adult, Older Adult)" or "Child, Adult"; each trimmed, with its own span.
/// None unless every part names an age group.
fn age_groups(v: &Text) -> Vec<Text> {
    const GROUPS: &[&str] = &[
        "child",
        "children",
        "adult",
        "adults",
        "older adult",
        "older adults",
    ];
    let t = v.text.trim_end();
    let (start, end) = match t.strip_suffix(')') {
        Some(inner) => match inner.rfind('(') {
            Some(open) => (open + 1, inner.len()),
            None => return Vec::new(),
        },
        None => (v.text.len() - v.text.trim_start().len(), t.len()),
    };
    let mut out = Vec::new();
    let mut s = start;
    for part in t[start..end].split(',') {
        let lead = part.len() - part.trim_start().len();
        let name = part.trim();
        if !GROUPS.contains(&name.to_ascii_lowercase().as_str()) {
            return Vec::new();
        }
        out.push(v.slice(s + lead, s + lead + name.len()));
        s += part.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_groups_of_an_ages_value() {
        let names = |s: &str| -> Vec<String> {
            age_groups(&Text::verbatim(s, 0))
                .into_iter()
                .map(|t| t.text.to_string())
                .collect()
        };
        assert_eq!(
            names("18 Years to 65 Years \u{a0} (Adult, Older Adult)"),
            vec!["Adult", "Older Adult"]
        );
        assert_eq!(names("Child, Adult"), vec!["Child", "Adult"]);
        assert!(names("18 Years and older").is_empty());
        assert!(names("18 Years (see criteria)").is_empty());
    }

    #[test]
    fn ages_split() {
        let t = Text::verbatim("18 Years to 65 Years   (Adult, Older Adult)", 0);
        let (a, b) = split_ages(&t);
        assert_eq!(a.unwrap().text, "18 Years");
        assert_eq!(b.unwrap().text, "65 Years");
        let (a, b) = split_ages(&Text::verbatim("20 years and up", 0));
        assert_eq!(a.unwrap().text, "20 years");
        assert!(b.is_none());
    }

    #[test]
    fn labels() {
        assert!(match_label(
            "Actual Primary Completion Date :\tMarch 2, 2017",
            CTGOV_CLASSIC
        )
        .is_some());
        assert!(match_label("Phase 1", GSK).is_none());
        assert!(match_label("Phase\tPhase 1", GSK).is_some());
        assert!(match_label("E.3\tPrincipal inclusion criteria\t", EU_CTR).is_some());
    }
}
