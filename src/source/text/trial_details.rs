//! `text:trial-details`: a mirror page headed "Clinical Trial Details —
//! Status: ...", with sections ("Administrative data", "Study information",
//! "Recruitment information / eligibility", "Intervention", "Locations",
//! "Sponsors (N)", "Outcome") and `Label value` pairs on one line.

use super::lines::{
    find_registry_id, parse_ages, split_commas, split_orgs, split_qualifier, sub, trim_range,
    typed_prefix, Line, Out, INTERVENTION_TYPES, R,
};
use crate::record::{keys, EntityKind, Record};
use crate::span::Text;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Section {
    Labels,
    Summary,
    Description,
    Interventions,
    Locations,
    Sponsors,
    Countries,
    Outcomes,
    Conditions,
    Ignore,
    End,
}

fn section(t: &str) -> Option<Section> {
    let l = t.trim().trim_end_matches(':').to_ascii_lowercase();
    if l.starts_with("sponsors") && (l == "sponsors" || l[8..].trim_start().starts_with('(')) {
        return Some(Section::Sponsors);
    }
    Some(match l.as_str() {
        "administrative data"
        | "study information"
        | "recruitment information / eligibility"
        | "study design" => Section::Labels,
        "clinical trial summary" | "brief summary" => Section::Summary,
        "clinical trial description" | "detailed description" => Section::Description,
        "intervention" | "interventions" => Section::Interventions,
        "locations" => Section::Locations,
        "country where clinical trial is conducted" => Section::Countries,
        "outcome" | "outcomes" => Section::Outcomes,
        "condition" | "conditions" => Section::Conditions,
        "references & publications" | "related conditions & mesh terms" | "keywords" => {
            Section::Ignore
        }
        "see also" => Section::End,
        _ => return None,
    })
}

/// One-line labels, longest first within a shared prefix.
const LABELS: &[(&str, &str)] = &[
    ("nct number", keys::ID),
    ("other study id #", "x.org_study_id"),
    ("secondary id", "x.secondary_id"),
    ("status", keys::STATUS),
    ("phase", keys::PHASE),
    ("first received", keys::FIRST_SUBMITTED),
    ("last updated", keys::LAST_UPDATE_POSTED),
    ("start date", keys::START_DATE),
    ("primary completion date", keys::PRIMARY_COMPLETION_DATE),
    ("completion date", keys::COMPLETION_DATE),
    ("verified date", keys::VERIFIED_DATE),
    ("source", keys::ORGANIZATION),
    ("contact", "contact"),
    ("phone", "phone"),
    ("email", "email"),
    ("is fda regulated", "x.fda_regulated"),
    ("health authority", "x.health_authority"),
    ("study type", keys::STUDY_TYPE),
    ("enrollment", keys::ENROLLMENT),
    ("accepts healthy volunteers", keys::HEALTHY_VOLUNTEERS),
    ("gender", keys::SEX),
    ("sex", keys::SEX),
    ("age group", "ages"),
    ("eligibility", keys::ELIGIBILITY),
    ("allocation", keys::ALLOCATION),
    ("intervention model", keys::INTERVENTION_MODEL),
    ("masking", keys::MASKING),
    ("primary purpose", keys::PRIMARY_PURPOSE),
    ("official title", keys::OFFICIAL_TITLE),
    ("brief title", keys::TITLE),
    ("acronym", keys::ACRONYM),
];

/// Country names of more than one word, for rows that start with a country.
const COUNTRIES: &[&str] = &[
    "United States",
    "United Kingdom",
    "Korea, Republic of",
    "Korea, Democratic People's Republic of",
    "Iran, Islamic Republic of",
    "Russian Federation",
    "Czech Republic",
    "Czechia",
    "Hong Kong",
    "New Zealand",
    "South Africa",
    "Saudi Arabia",
    "United Arab Emirates",
    "Puerto Rico",
    "Costa Rica",
    "Dominican Republic",
    "El Salvador",
    "Sri Lanka",
    "Viet Nam",
    "Taiwan, Province of China",
    "Bosnia and Herzegovina",
    "North Macedonia",
    "Macedonia, The Former Yugoslav Republic of",
    "Moldova, Republic of",
    "Tanzania, United Republic of",
    "Congo, The Democratic Republic of the",
    "Burkina Faso",
    "Sierra Leone",
    "Papua New Guinea",
    "Trinidad and Tobago",
    "Côte D'Ivoire",
];

/// The label at the start of a line: (qualifier, label, key, value).
fn label_of(s: &str, r: R) -> Option<(Option<R>, &'static str, R)> {
    let (q, rest) = split_qualifier(s, r);
    let t = sub(s, rest);
    let lower = t.to_ascii_lowercase();
    for (label, key) in LABELS {
        if !lower.starts_with(label) {
            continue;
        }
        let after = &t[label.len()..];
        if !(after.is_empty() || after.starts_with([' ', ':', '\t']) || after.starts_with('\u{a0}'))
        {
            continue;
        }
        // Skip "completion date" matching the start of "primary completion date" etc.: the list is ordered.
        let v = trim_range(s, rest.0 + label.len(), rest.1);
        let v = if sub(s, v).starts_with(':') {
            trim_range(s, v.0 + 1, v.1)
        } else {
            v
        };
        return Some((q, key, v));
    }
    None
}

struct Reader<'a> {
    out: Out<'a>,
    s: &'a str,
    contact: Option<usize>,
    sponsor_count: Option<usize>,
    iv: Option<usize>,
    iv_desc: Vec<R>,
    iv_need_name: bool,
}

pub fn read(page: &Text, lines: &[Line]) -> Record {
    let s = page.text.as_str();
    let mut r = Reader {
        out: Out::new(page, "text:trial-details"),
        s,
        contact: None,
        sponsor_count: None,
        iv: None,
        iv_desc: Vec::new(),
        iv_need_name: false,
    };
    r.run(lines);
    r.out.finish()
}

impl<'a> Reader<'a> {
    fn run(&mut self, lines: &[Line]) {
        let s = self.s;
        let mut sec = Section::Ignore;
        let mut prose: Vec<R> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let l = lines[i];
            i += 1;
            if l.is_blank() {
                continue;
            }
            let t = l.text(s);
            if t.starts_with("Clinical Trial Details") {
                // "Clinical Trial Details — Status: Recruiting"
                if let Some(k) = t.find("Status:") {
                    self.out
                        .push(keys::STATUS, (l.s + k + "Status:".len(), l.e));
                }
                continue;
            }
            if let Some(next) = section(t) {
                self.close(sec, &mut prose);
                if next == Section::Sponsors {
                    self.sponsor_count = t
                        .split(['(', ')'])
                        .nth(1)
                        .and_then(|n| n.trim().parse::<usize>().ok());
                }
                sec = next;
                if sec == Section::End {
                    break;
                }
                continue;
            }
            match sec {
                Section::Labels => {
                    if let Some((q, key, v)) = label_of(s, l.range()) {
                        // A long value (eligibility) may run on over the next lines.
                        let mut v = v;
                        if key == keys::ELIGIBILITY {
                            while let Some(n) = lines.get(i) {
                                if n.is_blank()
                                    || label_of(s, n.range()).is_some()
                                    || section(n.text(s)).is_some()
                                {
                                    break;
                                }
                                v.1 = n.e;
                                i += 1;
                            }
                        }
                        let at = if v.0 < v.1 { v } else { (l.s, l.s) };
                        self.label(q, key, at);
                    }
                }
                Section::Summary | Section::Description | Section::Conditions => {
                    prose.push(l.range())
                }
                Section::Interventions => self.intervention_line(l.range()),
                Section::Locations => self.location_row(l.range()),
                Section::Sponsors => self.sponsor_line(l.range()),
                Section::Countries => {
                    for c in split_commas(s, l.range()) {
                        self.out.push("x.country", c);
                    }
                }
                Section::Outcomes => self.outcome_row(l.range()),
                Section::Ignore | Section::End => {}
            }
        }
        self.close(sec, &mut prose);
    }

    fn close(&mut self, sec: Section, prose: &mut Vec<R>) {
        match sec {
            Section::Summary | Section::Description => {
                if let (Some(a), Some(b)) = (prose.first(), prose.last()) {
                    let key = if sec == Section::Summary {
                        keys::BRIEF_SUMMARY
                    } else {
                        keys::DETAILED_DESCRIPTION
                    };
                    self.out.push(key, (a.0, b.1));
                }
            }
            Section::Conditions => {
                for p in prose.iter() {
                    self.out.push(keys::CONDITION, *p);
                }
            }
            Section::Interventions => self.flush_iv(),
            _ => {}
        }
        prose.clear();
    }

    fn label(&mut self, q: Option<R>, key: &'static str, v: R) {
        let s = self.s;
        match key {
            keys::ID => match find_registry_id(sub(s, v)) {
                Some((a, b)) => self.out.id((v.0 + a, v.0 + b)),
                None => {
                    self.out.push(keys::ID, v);
                }
            },
            "contact" => {
                let e = self
                    .out
                    .entity(EntityKind::Contact, "central contact", None);
                self.contact = Some(e);
                self.out.push_in(e, keys::CONTACT_NAME, v);
            }
            "phone" | "email" => {
                let e = match self.contact {
                    Some(e) => e,
                    None => {
                        let e = self
                            .out
                            .entity(EntityKind::Contact, "central contact", None);
                        self.contact = Some(e);
                        e
                    }
                };
                let k = if key == "phone" {
                    keys::CONTACT_PHONE
                } else {
                    keys::CONTACT_EMAIL
                };
                self.out.push_in(e, k, v);
            }
            "ages" => {
                let a = parse_ages(s, v);
                if let Some(m) = a.min {
                    self.out.push(keys::MIN_AGE, m);
                }
                if let Some(m) = a.max {
                    self.out.push(keys::MAX_AGE, m);
                }
                for g in a.groups {
                    self.out.push(keys::AGE_GROUP, g);
                }
                if a.min.is_none() && a.max.is_none() && v.0 == v.1 {
                    self.out.push(keys::MIN_AGE, v);
                }
            }
            _ => {
                self.out.push_q(key, v, q);
            }
        }
    }

    /// "Drug:" then the name on the next line, then its description; or
    /// "Drug: name" on one line.
    fn intervention_line(&mut self, r: R) {
        if let Some((ty, name)) = typed_prefix(self.s, r, INTERVENTION_TYPES) {
            self.flush_iv();
            let e = self.out.plain(EntityKind::Intervention);
            self.iv = Some(e);
            self.out.push_in(e, keys::INTERVENTION_TYPE, ty);
            if name.0 < name.1 {
                self.out.push_in(e, keys::INTERVENTION_NAME, name);
                self.iv_need_name = false;
            } else {
                self.iv_need_name = true;
            }
            return;
        }
        let e = match self.iv {
            Some(e) => e,
            None => {
                let e = self.out.plain(EntityKind::Intervention);
                self.iv = Some(e);
                self.iv_need_name = true;
                e
            }
        };
        if self.iv_need_name {
            self.out.push_in(e, keys::INTERVENTION_NAME, r);
            self.iv_need_name = false;
        } else {
            self.iv_desc.push(r);
        }
    }

    fn flush_iv(&mut self) {
        if let (Some(e), Some(a), Some(b)) = (self.iv, self.iv_desc.first(), self.iv_desc.last()) {
            let d = (a.0, b.1);
            self.out.push_in(e, keys::INTERVENTION_DESCRIPTION, d);
        }
        self.iv = None;
        self.iv_desc.clear();
        self.iv_need_name = false;
    }

    /// "China Weihai Municipal Hospital Weihai Shandong": the country, then
    /// the rest of the row (name, city and state, not separable) as facility.
    fn location_row(&mut self, r: R) {
        let s = self.s;
        let t = sub(s, r);
        if t.starts_with("Country") && t.contains("Name") {
            return;
        }
        let country_len = COUNTRIES
            .iter()
            .find(|c| t.len() > c.len() && t.starts_with(**c) && t[c.len()..].starts_with(' '))
            .map(|c| c.len())
            .or_else(|| t.find(' '));
        let e = self.out.plain(EntityKind::Location);
        match country_len {
            Some(n) => {
                self.out.push_in(e, keys::LOCATION_COUNTRY, (r.0, r.0 + n));
                self.out.push_in(e, keys::LOCATION_FACILITY, (r.0 + n, r.1));
            }
            None => {
                self.out.push_in(e, keys::LOCATION_FACILITY, r);
            }
        }
    }

    /// "Lead Sponsor Collaborator" header, then the lead sponsor followed by
    /// the comma-separated collaborators.
    fn sponsor_line(&mut self, r: R) {
        let s = self.s;
        let t = sub(s, r);
        if t.starts_with("Lead Sponsor") {
            return;
        }
        if self.out.rec.get(keys::LEAD_SPONSOR).is_some() {
            for c in split_orgs(s, r) {
                self.out.push(keys::COLLABORATOR, c);
            }
            return;
        }
        // The lead sponsor's name: the "Source" organisation when the line
        // starts with it; else up to the first sentence-like break.
        let source = self
            .out
            .rec
            .get(keys::ORGANIZATION)
            .map(|f| f.text.text.clone());
        let lead_len = match source {
            Some(src) if !src.is_empty() && t.starts_with(src.as_str()) => Some(src.len()),
            _ => None,
        };
        let lead_len = lead_len.or_else(|| {
            if self.sponsor_count == Some(1) || !t.contains(',') {
                return Some(t.len());
            }
            // "Acme Co., Ltd. Next Hospital, ...": a ". " before a capital.
            let first_comma = t.find(", ").unwrap_or(t.len());
            let mut window = t.len().min(first_comma + 12);
            while !t.is_char_boundary(window) {
                window -= 1;
            }
            t[..window]
                .match_indices(". ")
                .find(|(k, _)| t[k + 2..].starts_with(|c: char| c.is_uppercase()))
                .map(|(k, _)| k + 1)
                .or(Some(first_comma))
        });
        let n = lead_len.unwrap_or(t.len()).min(t.len());
        self.out.push(keys::LEAD_SPONSOR, (r.0, r.0 + n));
        let rest = trim_range(s, r.0 + n, r.1);
        let rest = if sub(s, rest).starts_with(',') {
            trim_range(s, rest.0 + 1, rest.1)
        } else {
            rest
        };
        if rest.0 < rest.1 {
            for c in split_orgs(s, rest) {
                self.out.push(keys::COLLABORATOR, c);
            }
        }
    }

    /// "Primary Objective Response Rate (ORR) To evaluate ... Up to two years".
    fn outcome_row(&mut self, r: R) {
        let s = self.s;
        let t = sub(s, r);
        if t.starts_with("Type ") && t.contains("Measure") {
            return;
        }
        let (kind, word) = if t.starts_with("Primary") {
            (EntityKind::PrimaryOutcome, "Primary")
        } else if t.starts_with("Secondary") {
            (EntityKind::SecondaryOutcome, "Secondary")
        } else if t.starts_with("Other") {
            (EntityKind::OtherOutcome, "Other")
        } else {
            return;
        };
        let e = self.out.plain(kind);
        self.out
            .push_in(e, keys::OUTCOME_MEASURE, (r.0 + word.len(), r.1));
    }
}
