//! `text:ctgov-classic`: the classic ClinicalTrials.gov study page (tabular
//! view) copied as text. Values sit in `Label : | value |` rows; the
//! condition and arm tables are `|`-separated with a `---|---|` rule; the
//! outcomes are `- Measure [ Time Frame: X ]Description` lines; contacts and
//! locations are `Contact:` lines and `Facility | Status |` rows.

use super::lines::{
    find_registry_id, is_empty_cells, is_status, parse_ages, re, split_contact,
    split_name_affiliation, split_on, split_qualifier, strip_bullet, sub, trim_punct, trim_range,
    typed_prefix, Line, Out, ARM_TYPES, INTERVENTION_TYPES, R,
};
use crate::record::{keys, EntityKind, Record};
use crate::span::Text;
use regex::Regex;
use std::sync::OnceLock;

/// `Label : | value |`: a label, a colon, then a table cell.
pub fn is_label_row(t: &str) -> bool {
    static ROW: OnceLock<Regex> = OnceLock::new();
    re(&ROW, r"^[^|:]{2,90}:\s*\|").is_match(t)
}

/// What a label stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Slot {
    Key(&'static str),
    Dated(&'static str),
    Ages,
    Person(&'static str),
    Sponsor,
    Collaborators,
    Ignore,
}

fn slot(label: &str) -> Option<Slot> {
    let l = label
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_ascii_lowercase();
    Some(match l.as_str() {
        "clinicaltrials.gov identifier" => Slot::Key(keys::ID),
        "recruitment status" | "overall status" => Slot::Key(keys::STATUS),
        "study type" => Slot::Key(keys::STUDY_TYPE),
        "enrollment" => Slot::Dated(keys::ENROLLMENT),
        "allocation" => Slot::Key(keys::ALLOCATION),
        "intervention model" => Slot::Key(keys::INTERVENTION_MODEL),
        "masking" => Slot::Key(keys::MASKING),
        "primary purpose" => Slot::Key(keys::PRIMARY_PURPOSE),
        "official title" => Slot::Key(keys::OFFICIAL_TITLE),
        "brief title" => Slot::Key(keys::TITLE),
        "acronym" => Slot::Key(keys::ACRONYM),
        "study start date" | "study start" | "start date" => Slot::Dated(keys::START_DATE),
        "primary completion date" => Slot::Dated(keys::PRIMARY_COMPLETION_DATE),
        "study completion date" | "completion date" => Slot::Dated(keys::COMPLETION_DATE),
        "first submitted date" | "first submitted" => Slot::Dated(keys::FIRST_SUBMITTED),
        "first posted" => Slot::Dated(keys::FIRST_POSTED),
        "last update posted" => Slot::Dated(keys::LAST_UPDATE_POSTED),
        "last update submitted date" => Slot::Dated(keys::LAST_UPDATE_SUBMITTED),
        "results first posted" => Slot::Dated(keys::RESULTS_FIRST_POSTED),
        "last verified" => Slot::Dated(keys::VERIFIED_DATE),
        "ages eligible for study" => Slot::Ages,
        "sexes eligible for study" | "genders eligible for study" | "sex" | "gender" => {
            Slot::Key(keys::SEX)
        }
        "gender based eligibility" => Slot::Key("x.gender_based"),
        "gender eligibility description" => Slot::Key(keys::GENDER_DESCRIPTION),
        "accepts healthy volunteers" => Slot::Key(keys::HEALTHY_VOLUNTEERS),
        "responsible party" | "information provided by (responsible party)" => {
            Slot::Key(keys::RESPONSIBLE_PARTY)
        }
        "other study id numbers" => Slot::Key("x.org_study_id"),
        "principal investigator" => Slot::Person("principal investigator"),
        "study director" | "study chair" => Slot::Person("overall official"),
        "sponsor" => Slot::Sponsor,
        "collaborators" | "collaborator" => Slot::Collaborators,
        "plan to share ipd" => Slot::Key("x.ipd_sharing"),
        "why stopped" => Slot::Key(keys::WHY_STOPPED),
        "individual participant data (ipd) sharing statement"
        | "studies a u.s. fda-regulated drug product"
        | "studies a u.s. fda-regulated device product"
        | "condition or disease"
        | "arm"
        | "study design" => Slot::Ignore,
        _ => return None,
    })
}

/// A labelled line: the label (with any qualifier), and the value cells.
struct Labelled {
    qual: Option<R>,
    slot: Slot,
    cells: Vec<R>,
    /// The line had no cells after the label (value may follow).
    bare: bool,
}

fn labelled(s: &str, l: &Line) -> Option<Labelled> {
    let t = l.text(s);
    let colon = t.find(':')?;
    if let Some(bar) = t.find('|') {
        if bar < colon {
            return None;
        }
    }
    let label = (l.s, l.s + colon);
    let (qual, base) = split_qualifier(s, label);
    let slot = slot(sub(s, base))?;
    let rest = (l.s + colon + 1, l.e);
    let cells: Vec<R> = split_on(s, rest, '|');
    let bare = cells.is_empty();
    Some(Labelled {
        qual,
        slot,
        cells,
        bare,
    })
}

/// The date at the start of a value ("April 25, 2022 Key Record Dates").
fn date_prefix(s: &str, r: R) -> R {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let d = re(
        &DATE,
        r"^([A-Z][a-z]+\.? \d{1,2}, \d{4}|[A-Z][a-z]+\.? \d{4}|\d{4}-\d{2}(-\d{2})?|\d{1,2} [A-Z][a-z]+ \d{4})",
    );
    match d.find(sub(s, r)) {
        Some(m) => (r.0, r.0 + m.end()),
        None => r,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Zone {
    Head,
    Conditions,
    Prose,
    Body,
    Arms,
    Eligibility,
    Contacts,
}

struct Reader<'a> {
    out: Out<'a>,
    s: &'a str,
    lines: &'a [Line],
    location: Option<usize>,
    /// The country line of the current location ("United States, Ohio").
    country_line: Option<(usize, R)>,
    central_contacts: usize,
    interventions: Vec<(String, usize)>,
    outcome_kind: EntityKind,
}

pub fn read(page: &Text, lines: &[Line]) -> Record {
    let s = page.text.as_str();
    let mut r = Reader {
        out: Out::new(page, "text:ctgov-classic"),
        s,
        lines,
        location: None,
        country_line: None,
        central_contacts: 0,
        interventions: Vec::new(),
        outcome_kind: EntityKind::PrimaryOutcome,
    };
    r.run();
    r.out.finish()
}

impl<'a> Reader<'a> {
    fn next_nonblank(&self, i: usize) -> Option<usize> {
        (i + 1..self.lines.len()).find(|&j| !self.lines[j].is_blank())
    }

    fn run(&mut self) {
        let s = self.s;
        let lines = self.lines;
        if let Some(first) = lines.iter().find(|l| !l.is_blank()) {
            let t = trim_punct(s, first.s, first.e);
            self.out.push(keys::TITLE, t);
        }
        let mut zone = Zone::Head;
        let mut prose: Vec<R> = Vec::new();
        let mut prose_target: Option<&'static str> = None;
        let mut labelled_prose: Vec<(&'static str, R)> = Vec::new();
        let mut arm_cells: Vec<R> = Vec::new();
        let mut cell: Option<R> = None;
        let mut i = 0;
        while i < lines.len() {
            let l = lines[i];
            let t = l.text(s);
            i += 1;
            if l.is_blank() {
                if zone == Zone::Arms {
                    zone = Zone::Body;
                }
                continue;
            }
            // Tables.
            if t.starts_with("Condition or disease") && t.contains('|') {
                zone = Zone::Conditions;
                continue;
            }
            if t.starts_with("Arm") && t.contains("Intervention/treatment") {
                zone = Zone::Arms;
                continue;
            }
            if t.contains("---")
                && t.chars()
                    .all(|c| c == '-' || c == '|' || c == ':' || c == ' ')
            {
                continue;
            }
            // Outcome lists.
            let lower = t.to_ascii_lowercase();
            if lower.starts_with("primary outcome measure") {
                self.outcome_kind = EntityKind::PrimaryOutcome;
                continue;
            }
            if lower.starts_with("secondary outcome measure") {
                self.outcome_kind = EntityKind::SecondaryOutcome;
                continue;
            }
            if lower.starts_with("other outcome measure") {
                self.outcome_kind = EntityKind::OtherOutcome;
                continue;
            }
            if (t.starts_with('-') || t.starts_with('•')) && t.contains("Time Frame") {
                if zone == Zone::Arms {
                    self.flush_arm_cell(&mut cell, &mut arm_cells);
                    zone = Zone::Body;
                }
                self.outcome(l.range());
                continue;
            }
            if zone == Zone::Arms {
                self.arm_line(l.range(), &mut cell, &mut arm_cells);
                continue;
            }
            if zone == Zone::Conditions {
                if t.contains('|') && !is_label_row(t) {
                    self.condition_row(l.range());
                    continue;
                }
                zone = Zone::Prose;
            }
            // Free-text labels of the description block.
            if lower.starts_with("brief summary")
                && t.trim_end_matches(':').len() <= "brief summary".len()
            {
                prose_target = Some(keys::BRIEF_SUMMARY);
                zone = Zone::Prose;
                continue;
            }
            if lower.starts_with("detailed description")
                && t.trim_end_matches(':').len() <= "detailed description".len()
            {
                prose_target = Some(keys::DETAILED_DESCRIPTION);
                zone = Zone::Prose;
                continue;
            }
            let criteria_head = lower.starts_with("inclusion criteria")
                || (lower.starts_with("exclusion criteria") && zone != Zone::Eligibility);
            if criteria_head && (zone != Zone::Prose || t.len() <= 30) {
                i = self.eligibility(i - 1);
                zone = Zone::Eligibility;
                continue;
            }
            if t.starts_with("Please refer to this study by its") {
                if let Some((a, b)) = find_registry_id(t) {
                    self.out.id((l.s + a, l.s + b));
                }
                zone = Zone::Contacts;
                continue;
            }
            if let Some(lab) = labelled(s, &l) {
                if zone == Zone::Prose {
                    zone = Zone::Body;
                }
                i = self.label(lab, i - 1);
                continue;
            }
            if t.starts_with("Contact:") {
                zone = Zone::Contacts;
                self.contact((l.s + "Contact:".len(), l.e));
                continue;
            }
            match zone {
                Zone::Prose => match prose_target {
                    Some(k) => labelled_prose.push((k, l.range())),
                    None => prose.push(l.range()),
                },
                Zone::Contacts => self.location_line(i - 1),
                _ => {
                    if t.starts_with("ClinicalTrials.gov Identifier") {
                        if let Some((a, b)) = find_registry_id(t) {
                            self.out.id((l.s + a, l.s + b));
                        }
                    }
                }
            }
        }
        // Prose without labels: the first paragraph is the brief summary, the
        // rest the detailed description (the page shows them in that order).
        if let Some(first) = prose.first() {
            self.out.push(keys::BRIEF_SUMMARY, *first);
            if prose.len() > 1 {
                let rest = (prose[1].0, prose[prose.len() - 1].1);
                self.out.push(keys::DETAILED_DESCRIPTION, rest);
            }
        }
        for key in [keys::BRIEF_SUMMARY, keys::DETAILED_DESCRIPTION] {
            let parts: Vec<R> = labelled_prose
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, r)| *r)
                .collect();
            if let (Some(a), Some(b)) = (parts.first(), parts.last()) {
                self.out.push(key, (a.0, b.1));
            }
        }
    }

    /// A labelled line; returns the index of the next line to read.
    fn label(&mut self, lab: Labelled, i: usize) -> usize {
        let s = self.s;
        let mut next = i + 1;
        let mut cells = lab.cells;
        // "Other Study ID Numbers: |" / "Sponsor:": the value is on the next line(s).
        if lab.bare || cells.is_empty() {
            let mut vals = Vec::new();
            let mut j = i + 1;
            while let Some(k) = self.lines.get(j) {
                let t = k.text(s);
                if k.is_blank()
                    || labelled(s, k).is_some()
                    || t.starts_with("Contact:")
                    || is_label_row(t)
                {
                    break;
                }
                vals.extend(split_on(s, k.range(), '|'));
                j += 1;
                if !matches!(lab.slot, Slot::Collaborators | Slot::Key("x.org_study_id")) {
                    break;
                }
            }
            if !vals.is_empty() {
                next = j;
            }
            cells = vals;
        }
        let first = cells.first().copied();
        let line = self.lines.get(i).map(|l| l.range()).unwrap_or((0, 0));
        match lab.slot {
            Slot::Key(keys::ID) => {
                if let Some(c) = first {
                    if let Some((a, b)) = find_registry_id(sub(s, c)) {
                        self.out.id((c.0 + a, c.0 + b));
                    }
                } else if let Some((a, b)) = find_registry_id(sub(s, line)) {
                    self.out.id((line.0 + a, line.0 + b));
                }
            }
            Slot::Key(k) => match first {
                Some(c) => {
                    for c in if k == "x.org_study_id" {
                        cells.clone()
                    } else {
                        vec![c]
                    } {
                        self.out.push(k, c);
                    }
                }
                None => {
                    self.out.push(k, (line.1, line.1));
                }
            },
            Slot::Dated(k) => {
                let v = first.unwrap_or((line.1, line.1));
                let v = if k == keys::ENROLLMENT {
                    v
                } else {
                    date_prefix(s, v)
                };
                self.out.push_q(k, v, lab.qual);
            }
            Slot::Ages => {
                if let Some(c) = first {
                    let ages = parse_ages(s, c);
                    if let Some(m) = ages.min {
                        self.out.push(keys::MIN_AGE, m);
                    }
                    if let Some(m) = ages.max {
                        self.out.push(keys::MAX_AGE, m);
                    }
                    for g in ages.groups {
                        self.out.push(keys::AGE_GROUP, g);
                    }
                }
            }
            Slot::Person(role) => {
                let Some(c) = first else { return next };
                let in_site =
                    self.location.is_some() && cells.len() == 1 && !sub(s, line).contains('|');
                let parent = if in_site { self.location } else { None };
                let e = self.out.entity(EntityKind::Contact, role, parent);
                if cells.len() >= 2 {
                    self.out.push_in(e, keys::CONTACT_NAME, c);
                    let aff = (cells[1].0, cells[cells.len() - 1].1);
                    self.out.push_in(e, keys::CONTACT_AFFILIATION, aff);
                } else {
                    let (name, aff) = split_name_affiliation(s, c);
                    self.out.push_in(e, keys::CONTACT_NAME, name);
                    if let Some(a) = aff {
                        self.out.push_in(e, keys::CONTACT_AFFILIATION, a);
                    }
                }
            }
            Slot::Sponsor => {
                if let Some(c) = first {
                    self.out.push(keys::LEAD_SPONSOR, c);
                }
            }
            Slot::Collaborators => {
                for c in cells {
                    self.out.push(keys::COLLABORATOR, c);
                }
            }
            Slot::Ignore => {}
        }
        next
    }

    fn condition_row(&mut self, r: R) {
        let s = self.s;
        let cells = split_on(s, r, '|');
        // Cells are placed by column: condition | intervention | phase. A
        // row with fewer cells continues the first columns.
        if let Some(c) = cells.first() {
            self.out.push(keys::CONDITION, *c);
        }
        if let Some(c) = cells.get(1) {
            if let Some((ty, name)) = typed_prefix(s, *c, INTERVENTION_TYPES) {
                self.intervention(ty, name, None);
            }
        }
        if let Some(c) = cells.get(2) {
            static PHASE: OnceLock<Regex> = OnceLock::new();
            let p = re(
                &PHASE,
                r"(?i)(early\s+)?phase\s*[0-4](/[0-4])?|not\s+applicable|n/a",
            );
            let v = sub(s, *c);
            let mut any = false;
            for m in p.find_iter(v) {
                self.out.push(keys::PHASE, (c.0 + m.start(), c.0 + m.end()));
                any = true;
            }
            if !any {
                self.out.push(keys::PHASE, *c);
            }
        }
    }

    /// Find or create the intervention entity for a name.
    fn intervention(&mut self, ty: R, name: R, desc: Option<R>) -> usize {
        let s = self.s;
        let key = sub(s, name).trim().to_ascii_lowercase();
        if let Some((_, e)) = self.interventions.iter().find(|(n, _)| *n == key) {
            let e = *e;
            if let Some(d) = desc {
                if self
                    .out
                    .rec
                    .entity_get(e, keys::INTERVENTION_DESCRIPTION)
                    .is_none()
                {
                    self.out.push_in(e, keys::INTERVENTION_DESCRIPTION, d);
                }
            }
            return e;
        }
        let e = self.out.plain(EntityKind::Intervention);
        self.out.push_in(e, keys::INTERVENTION_TYPE, ty);
        self.out.push_in(e, keys::INTERVENTION_NAME, name);
        if let Some(d) = desc {
            self.out.push_in(e, keys::INTERVENTION_DESCRIPTION, d);
        }
        self.interventions.push((key, e));
        e
    }

    /// Arm table lines: cells end at `|`; they alternate arm / interventions.
    fn arm_line(&mut self, r: R, cell: &mut Option<R>, cells: &mut Vec<R>) {
        let s = self.s;
        let t = sub(s, r);
        let mut start = r.0;
        for (k, c) in t.char_indices() {
            if c == '|' {
                let piece = trim_range(s, start, r.0 + k);
                if piece.0 < piece.1 {
                    *cell = Some(match *cell {
                        Some(x) => (x.0, piece.1),
                        None => piece,
                    });
                }
                self.flush_arm_cell(cell, cells);
                start = r.0 + k + 1;
            }
        }
        let piece = trim_range(s, start, r.1);
        if piece.0 < piece.1 {
            *cell = Some(match *cell {
                Some(x) => (x.0, piece.1),
                None => piece,
            });
        }
    }

    fn flush_arm_cell(&mut self, cell: &mut Option<R>, cells: &mut Vec<R>) {
        // An empty cell still counts for the arm / intervention alternation.
        cells.push(cell.take().unwrap_or((0, 0)));
        self.pair_cells(cells);
    }

    fn pair_cells(&mut self, cells: &mut Vec<R>) {
        // Drop leading empty cells (from a `|` on its own before any arm).
        while cells.first().is_some_and(|c| c.0 == c.1) {
            cells.remove(0);
        }
        if cells.len() < 2 {
            return;
        }
        let arm = cells[0];
        let ivs = cells[1];
        cells.clear();
        self.arm(arm, ivs);
    }

    fn arm(&mut self, arm: R, ivs: R) {
        let s = self.s;
        let lines = super::lines::split_lines(sub(s, arm));
        let e = self.out.plain(EntityKind::Arm);
        let mut first = true;
        let mut desc: Option<R> = None;
        for l in lines.iter().filter(|l| !l.is_blank()) {
            let r = (arm.0 + l.s, arm.0 + l.e);
            if first {
                first = false;
                match typed_prefix(s, r, ARM_TYPES) {
                    Some((ty, label)) => {
                        self.out.push_in(e, keys::ARM_TYPE, ty);
                        self.out.push_in(e, keys::ARM_LABEL, label);
                    }
                    None => {
                        self.out.push_in(e, keys::ARM_LABEL, r);
                    }
                }
                continue;
            }
            desc = Some(match desc {
                Some(d) => (d.0, r.1),
                None => r,
            });
        }
        if let Some(d) = desc {
            self.out.push_in(e, keys::ARM_DESCRIPTION, d);
        }
        if ivs.0 >= ivs.1 {
            return;
        }
        // Interventions: "Type: name" lines, each followed by its description.
        let lines = super::lines::split_lines(sub(s, ivs));
        let mut cur: Option<(R, R, Option<R>)> = None;
        let mut done: Vec<(R, R, Option<R>)> = Vec::new();
        for l in lines.iter().filter(|l| !l.is_blank()) {
            let r = (ivs.0 + l.s, ivs.0 + l.e);
            if let Some((ty, name)) = typed_prefix(s, r, INTERVENTION_TYPES) {
                if let Some(c) = cur.take() {
                    done.push(c);
                }
                self.out.push_in(e, keys::ARM_INTERVENTION, r);
                cur = Some((ty, name, None));
            } else if let Some(c) = cur.as_mut() {
                c.2 = Some(match c.2 {
                    Some(d) => (d.0, r.1),
                    None => r,
                });
            }
        }
        done.extend(cur);
        for (ty, name, d) in done {
            self.intervention(ty, name, d);
        }
    }

    /// "- Measure [ Time Frame: X ]Description".
    fn outcome(&mut self, r: R) {
        let s = self.s;
        let (r, _) = strip_bullet(s, r);
        let t = sub(s, r);
        let e = self.out.plain(self.outcome_kind);
        let Some(open) = t.find('[') else {
            self.out.push_in(e, keys::OUTCOME_MEASURE, r);
            return;
        };
        self.out
            .push_in(e, keys::OUTCOME_MEASURE, (r.0, r.0 + open));
        let after = &t[open + 1..];
        let close = after.find(']').map(|c| open + 1 + c).unwrap_or(t.len());
        let inner = (r.0 + open + 1, r.0 + close);
        let it = sub(s, inner);
        let tf = match it.find(':') {
            Some(c) if it[..c].trim().eq_ignore_ascii_case("time frame") => {
                (inner.0 + c + 1, inner.1)
            }
            _ => inner,
        };
        self.out.push_in(e, keys::OUTCOME_TIME_FRAME, tf);
        if close < t.len() {
            let d = trim_range(s, r.0 + close + 1, r.1);
            if d.0 < d.1 {
                self.out.push_in(e, keys::OUTCOME_DESCRIPTION, d);
            }
        }
    }

    /// The criteria text from "Inclusion Criteria:" to the end of the list.
    /// Returns the index of the next line to read.
    fn eligibility(&mut self, i: usize) -> usize {
        let s = self.s;
        let lines = self.lines;
        let start = lines[i].s;
        let mut end = lines[i].e;
        let mut j = i + 1;
        while j < lines.len() {
            let l = lines[j];
            let t = l.text(s);
            if l.is_blank() {
                // Continue over a blank line only into more criteria.
                match self.next_nonblank(j) {
                    Some(k) => {
                        let n = lines[k].text(s).to_ascii_lowercase();
                        if n.starts_with("exclusion criteria")
                            || n.starts_with("- ")
                            || n.starts_with('•')
                        {
                            j = k;
                            continue;
                        }
                        break;
                    }
                    None => break,
                }
            }
            if is_label_row(t)
                || labelled(s, &l).is_some()
                || t.starts_with("Contact")
                || t.starts_with("To learn more about this study")
                || t.starts_with("Choosing to participate")
            {
                break;
            }
            end = l.e;
            j += 1;
        }
        self.out.push(keys::ELIGIBILITY, (start, end));
        j
    }

    /// "Contact: name | phone | e-mail |": central before any location, else a site contact.
    fn contact(&mut self, r: R) {
        let s = self.s;
        let c = split_contact(s, r);
        let (role, parent) = match self.location {
            Some(loc) => ("site contact", Some(loc)),
            None => {
                self.central_contacts += 1;
                ("central contact", None)
            }
        };
        let e = self.out.entity(EntityKind::Contact, role, parent);
        let name = c.name.unwrap_or((r.0, r.0));
        self.out.push_in(e, keys::CONTACT_NAME, name);
        if let Some(p) = c.phone {
            self.out.push_in(e, keys::CONTACT_PHONE, p);
        }
        if let Some(m) = c.email {
            self.out.push_in(e, keys::CONTACT_EMAIL, m);
        }
    }

    /// Lines of the locations block: a country line, a `Facility | Status |`
    /// row, a city line.
    fn location_line(&mut self, i: usize) {
        let s = self.s;
        let l = self.lines[i];
        let t = l.text(s);
        if is_empty_cells(t) {
            return;
        }
        let cells = split_on(s, l.range(), '|');
        if cells.len() >= 2 && is_status(sub(s, cells[cells.len() - 1])) {
            let e = self.out.plain(EntityKind::Location);
            self.location = Some(e);
            let fac = (cells[0].0, cells[cells.len() - 2].1);
            self.out.push_in(e, keys::LOCATION_FACILITY, fac);
            self.out
                .push_in(e, keys::LOCATION_STATUS, cells[cells.len() - 1]);
            // The country line before it.
            if let Some(p) = (0..i).rev().find(|&k| !self.lines[k].is_blank()) {
                let pl = self.lines[p];
                let pc = split_on(s, pl.range(), '|');
                let pt = pl.text(s);
                if pc.len() == 1 && !pt.starts_with("Contact") && labelled(s, &pl).is_none() {
                    self.out.push_in(e, keys::LOCATION_COUNTRY, pc[0]);
                    self.country_line = Some((e, pc[0]));
                }
            }
            return;
        }
        // The city line right after the facility row.
        if let Some(loc) = self.location {
            let prev = (0..i).rev().find(|&k| !self.lines[k].is_blank());
            let prev_is_facility = prev.is_some_and(|p| {
                let pc = split_on(s, self.lines[p].range(), '|');
                pc.len() >= 2 && is_status(sub(s, pc[pc.len() - 1]))
            });
            if prev_is_facility && cells.len() == 1 {
                let parts = super::lines::split_commas(s, cells[0]);
                if let Some(c) = parts.first() {
                    self.out.push_in(loc, keys::LOCATION_CITY, *c);
                }
                self.narrow_country(loc, &parts);
                if self
                    .out
                    .rec
                    .entity_get(loc, keys::LOCATION_COUNTRY)
                    .is_none()
                {
                    if let Some(c) = parts
                        .iter()
                        .skip(1)
                        .rev()
                        .find(|p| !sub(s, **p).chars().any(|c| c.is_ascii_digit()))
                    {
                        self.out.push_in(loc, keys::LOCATION_COUNTRY, *c);
                    }
                }
            }
        }
    }

    /// "United States, Ohio" above "Columbus, Ohio, United States, 43210":
    /// the trailing state is not part of the country.
    fn narrow_country(&mut self, loc: usize, city_parts: &[R]) {
        let s = self.s;
        let Some((l, cr)) = self.country_line else {
            return;
        };
        let cp = super::lines::split_commas(s, cr);
        let (Some(last), true) = (cp.last().copied(), cp.len() >= 2) else {
            return;
        };
        let city_texts: Vec<&str> = city_parts.iter().map(|p| sub(s, *p)).collect();
        let last_alpha = city_parts
            .iter()
            .rev()
            .find(|p| !sub(s, **p).chars().any(|c| c.is_ascii_digit()))
            .map(|p| sub(s, *p));
        let state = sub(s, last);
        if l != loc || !city_texts.contains(&state) || last_alpha == Some(state) {
            return;
        }
        let narrowed = (cr.0, cp[cp.len() - 2].1);
        let text = self.out.text(narrowed);
        if let Some(f) = self
            .out
            .rec
            .fields
            .iter_mut()
            .find(|f| f.entity == Some(loc) && f.key == keys::LOCATION_COUNTRY)
        {
            f.text = text;
        }
    }
}
