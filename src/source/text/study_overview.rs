//! `text:study-overview`: a mirror of the current ClinicalTrials.gov study
//! page: "Study Overview", "Contacts and Locations", "Participation
//! Criteria", "Study Plan", "Study record dates"; labels on their own line,
//! values below, lists as `•` bullets nested by indentation.

use super::lines::{
    blocks, content_lines, cover, email_re, find_phone, is_status, paragraphs, parse_ages,
    split_commas, split_name_affiliation, strip_bullet, sub, trim_range, typed_prefix, Block, Line,
    Out, ARM_TYPES, INTERVENTION_TYPES, R,
};
use crate::record::{keys, EntityKind, Record};
use crate::span::Text;

fn lookup(l: &str) -> Option<&'static str> {
    Some(match l {
        // containers and site headings
        "study overview"
        | "contacts and locations"
        | "participation criteria"
        | "eligibility criteria"
        | "study plan"
        | "how is the study designed?"
        | "what is the study measuring?"
        | "collaborators and investigators"
        | "publications and helpful links"
        | "study record dates"
        | "study major dates"
        | "study registration dates"
        | "study record updates"
        | "more information"
        | "terms related to this study"
        | "plan for individual participant data (ipd)"
        | "drug and device information, study documents"
        | "studies a u.s. fda-regulated drug product"
        | "studies a u.s. fda-regulated device product"
        | "product manufactured in and exported from the u.s."
        | "ipd plan description"
        | "ipd sharing time frame"
        | "ipd sharing access criteria"
        | "ipd sharing supporting information type"
        | "mesh terms"
        | "keywords provided by" => "container",
        "brief summary" => keys::BRIEF_SUMMARY,
        "status" => keys::STATUS,
        "conditions" => keys::CONDITION,
        "keywords" => keys::KEYWORD,
        "detailed description" => keys::DETAILED_DESCRIPTION,
        "study type" => keys::STUDY_TYPE,
        "enrollment" => keys::ENROLLMENT,
        "phase" => keys::PHASE,
        "study contact" => "contact",
        "study contact backup" => "backup",
        "study locations" => "locations",
        "ages eligible for study" => keys::AGE_GROUP,
        "sexes eligible for study" | "genders eligible for study" => keys::SEX,
        "accepts healthy volunteers" => keys::HEALTHY_VOLUNTEERS,
        "description" => keys::ELIGIBILITY,
        "sampling method" => "x.sampling_method",
        "study population" => "x.study_population",
        "design details" => "design",
        "arms and interventions" => "arms",
        "primary outcome measures" => "primary",
        "secondary outcome measures" => "secondary",
        "other outcome measures" => "other",
        "sponsor" => keys::LEAD_SPONSOR,
        "collaborators" => keys::COLLABORATOR,
        "investigators" => "investigators",
        "study start" => keys::START_DATE,
        "primary completion" => keys::PRIMARY_COMPLETION_DATE,
        "study completion" => keys::COMPLETION_DATE,
        "first submitted" => keys::FIRST_SUBMITTED,
        "first submitted that met qc criteria" => keys::FIRST_SUBMITTED_QC,
        "first posted" => keys::FIRST_POSTED,
        "results first submitted" => "x.results_first_submitted",
        "results first posted" => keys::RESULTS_FIRST_POSTED,
        "last update posted" => keys::LAST_UPDATE_POSTED,
        "last update submitted that met qc criteria" => keys::LAST_UPDATE_SUBMITTED,
        "last verified" => keys::VERIFIED_DATE,
        "other study id numbers" => "x.org_study_id",
        "plan to share individual participant data (ipd)?" => "x.ipd_sharing",
        _ => return None,
    })
}

/// Site boilerplate after the record.
fn stop(t: &str) -> bool {
    t.starts_with("This information was retrieved directly from")
}

struct Reader<'a> {
    out: Out<'a>,
    s: &'a str,
    lines: &'a [Line],
    interventions: Vec<(String, usize)>,
}

pub fn read(page: &Text, lines: &[Line]) -> Record {
    let s = page.text.as_str();
    let mut r = Reader {
        out: Out::new(page, "text:study-overview"),
        s,
        lines,
        interventions: Vec::new(),
    };
    r.run();
    r.out.finish()
}

/// A bullet: its indentation, its text without the bullet, its line index.
#[derive(Clone, Copy, Debug)]
struct Bullet {
    indent: usize,
    r: R,
}

impl<'a> Reader<'a> {
    fn run(&mut self) {
        let s = self.s;
        let lines = self.lines;
        let bs = blocks(s, lines, lookup, stop);
        let head_end = bs.first().map(|b| b.at).unwrap_or(lines.len());
        self.header(head_end);
        for b in &bs {
            self.block(b);
        }
    }

    /// Title; "<date> updated by: <who>"; official title; brief summary.
    fn header(&mut self, end: usize) {
        let s = self.s;
        let ps = paragraphs(self.lines, 0, end);
        let mut rest: &[R] = &ps;
        if let Some((title, r)) = rest.split_first() {
            self.out.push(keys::TITLE, *title);
            rest = r;
        }
        if let Some(first) = rest.first() {
            let t = sub(s, *first);
            if let Some(k) = t.find("updated by:") {
                let date = (first.0, first.0 + k);
                let who = (first.0 + k + "updated by:".len(), first.1);
                self.out.push(keys::LAST_UPDATE_SUBMITTED, date);
                self.out.push(keys::ORGANIZATION, who);
                rest = &rest[1..];
            }
        }
        // The official title is a short paragraph without a closing period;
        // the brief summary is what follows.
        if let Some(first) = rest.first() {
            let t = sub(s, *first);
            let no_period = !t.trim_end().ends_with('.');
            if !t.contains('\n') && (no_period || (t.len() < 300 && rest.len() > 1)) {
                self.out.push(keys::OFFICIAL_TITLE, *first);
                rest = &rest[1..];
            }
        }
        if let Some(r) = cover(rest) {
            self.out.push(keys::BRIEF_SUMMARY, r);
        }
    }

    fn heading(&self, b: &Block) -> usize {
        self.lines.get(b.at).map(|l| l.s).unwrap_or(0)
    }

    /// The bullets (or plain lines) of a block.
    fn bullets(&self, b: &Block) -> Vec<Bullet> {
        content_lines(self.lines, b.from, b.to)
            .into_iter()
            .map(|l| {
                let (r, _) = strip_bullet(self.s, l.range());
                Bullet {
                    indent: l.indent(self.s),
                    r,
                }
            })
            .collect()
    }

    fn block(&mut self, b: &Block) {
        let s = self.s;
        let at = self.heading(b);
        let items: Vec<R> = self
            .bullets(b)
            .into_iter()
            .map(|x| x.r)
            .filter(|r| r.0 < r.1)
            .collect();
        match b.id {
            "container" => {}
            keys::BRIEF_SUMMARY
            | keys::DETAILED_DESCRIPTION
            | keys::ELIGIBILITY
            | "x.study_population" => {
                let ps = paragraphs(self.lines, b.from, b.to);
                self.out.push(b.id, cover(&ps).unwrap_or((at, at)));
            }
            keys::AGE_GROUP => {
                if items.is_empty() {
                    self.out.push(b.id, (at, at));
                }
                // Bullets of age groups, or an age range ("18 Years to 65 Years (Adult)").
                for i in items {
                    if !sub(s, i).chars().any(|c| c.is_ascii_digit()) {
                        self.out.push(keys::AGE_GROUP, i);
                        continue;
                    }
                    let a = parse_ages(s, i);
                    if let Some(m) = a.min {
                        self.out.push(keys::MIN_AGE, m);
                    }
                    if let Some(m) = a.max {
                        self.out.push(keys::MAX_AGE, m);
                    }
                    for g in a.groups {
                        self.out.push(keys::AGE_GROUP, g);
                    }
                }
            }
            keys::CONDITION
            | keys::KEYWORD
            | keys::PHASE
            | keys::COLLABORATOR
            | "x.org_study_id" => {
                if items.is_empty() {
                    self.out.push(b.id, (at, at));
                }
                for i in items {
                    self.out.push(b.id, i);
                }
            }
            "contact" | "backup" => {
                let role = if b.id == "contact" {
                    "central contact"
                } else {
                    "central contact backup"
                };
                self.central_contact(role, &items, at);
            }
            "locations" => self.locations(b),
            "design" => {
                for i in items {
                    let t = sub(s, i);
                    let Some(c) = t.find(':') else { continue };
                    let v = trim_range(s, i.0 + c + 1, i.1);
                    let key = match t[..c].trim().to_ascii_lowercase().as_str() {
                        "primary purpose" => keys::PRIMARY_PURPOSE,
                        "allocation" => keys::ALLOCATION,
                        "interventional model" | "intervention model" => keys::INTERVENTION_MODEL,
                        "masking" => keys::MASKING,
                        "observational model" => "x.observational_model",
                        "time perspective" => "x.time_perspective",
                        _ => continue,
                    };
                    self.out.push(key, v);
                }
            }
            "arms" => self.arms(b),
            "primary" => self.outcomes(b, EntityKind::PrimaryOutcome),
            "secondary" => self.outcomes(b, EntityKind::SecondaryOutcome),
            "other" => self.outcomes(b, EntityKind::OtherOutcome),
            "investigators" => {
                for i in items {
                    let t = sub(s, i);
                    let Some(c) = t.find(':') else { continue };
                    let role = match t[..c].trim().to_ascii_lowercase().as_str() {
                        "principal investigator" => "principal investigator",
                        "study director" | "study chair" => "overall official",
                        _ => "overall official",
                    };
                    let e = self.out.entity(EntityKind::Contact, role, None);
                    let (name, aff) = split_name_affiliation(s, trim_range(s, i.0 + c + 1, i.1));
                    self.out.push_in(e, keys::CONTACT_NAME, name);
                    if let Some(a) = aff {
                        self.out.push_in(e, keys::CONTACT_AFFILIATION, a);
                    }
                }
            }
            key => {
                let v = items.first().copied().unwrap_or((at, at));
                self.out.push_q(key, v, b.qual);
            }
        }
    }

    /// "Name: / Phone Number: / Email:" bullets; an empty section still
    /// yields a contact with an empty name located at the heading.
    fn central_contact(&mut self, role: &str, items: &[R], at: usize) {
        let s = self.s;
        let e = self.out.entity(EntityKind::Contact, role, None);
        let mut named = false;
        for i in items {
            let t = sub(s, *i);
            let Some(c) = t.find(':') else {
                if !named {
                    self.out.push_in(e, keys::CONTACT_NAME, *i);
                    named = true;
                }
                continue;
            };
            let v = trim_range(s, i.0 + c + 1, i.1);
            match t[..c].trim().to_ascii_lowercase().as_str() {
                "name" => {
                    self.out.push_in(e, keys::CONTACT_NAME, v);
                    named = true;
                }
                "phone number" | "phone" => {
                    self.out.push_in(e, keys::CONTACT_PHONE, v);
                }
                "email" | "e-mail" => {
                    self.out.push_in(e, keys::CONTACT_EMAIL, v);
                }
                _ => {}
            }
        }
        if !named {
            self.out.push_in(e, keys::CONTACT_NAME, (at, at));
        }
    }

    /// Nested bullets: [state •] city line • { status, facility, Contact: •
    /// names, Principal Investigator: • names }.
    fn locations(&mut self, b: &Block) {
        let s = self.s;
        let bs = self.bullets(b);
        let n = bs.len();
        // A location node is a bullet whose children include a leaf that is
        // not a "Contact:" / "Principal Investigator:" heading.
        let children = |i: usize| -> Vec<usize> {
            let mut out = Vec::new();
            let ind = bs[i].indent;
            let mut j = i + 1;
            let mut child_ind = None;
            while j < n && bs[j].indent > ind {
                let ci = *child_ind.get_or_insert(bs[j].indent);
                if bs[j].indent <= ci {
                    out.push(j);
                }
                j += 1;
            }
            out
        };
        let is_role = |r: R| {
            let t = sub(s, r).trim_end();
            t.ends_with(':')
        };
        for i in 0..n {
            let kids = children(i);
            let leaves: Vec<usize> = kids
                .iter()
                .copied()
                .filter(|&k| children(k).is_empty() && !is_role(bs[k].r))
                .collect();
            if kids.is_empty() || leaves.is_empty() || is_role(bs[i].r) {
                continue;
            }
            let e = self.out.plain(EntityKind::Location);
            let parts = split_commas(s, bs[i].r);
            if let Some(c) = parts.first() {
                self.out.push_in(e, keys::LOCATION_CITY, *c);
            }
            if let Some(c) = parts
                .iter()
                .skip(1)
                .rev()
                .find(|p| !sub(s, **p).chars().any(|c| c.is_ascii_digit()))
            {
                self.out.push_in(e, keys::LOCATION_COUNTRY, *c);
            }
            let mut facility: Option<R> = None;
            for &k in &kids {
                let r = bs[k].r;
                if is_role(r) {
                    let label = sub(s, r)
                        .trim_end()
                        .trim_end_matches(':')
                        .trim()
                        .to_ascii_lowercase();
                    let role = if label.contains("investigator") {
                        "principal investigator"
                    } else {
                        "site contact"
                    };
                    for p in children(k) {
                        self.site_person(role, e, bs[p].r);
                    }
                } else if is_status(sub(s, r)) {
                    self.out.push_in(e, keys::LOCATION_STATUS, r);
                } else if facility.is_none() {
                    facility = Some(r);
                    self.out.push_in(e, keys::LOCATION_FACILITY, r);
                }
            }
        }
    }

    fn site_person(&mut self, role: &str, loc: usize, r: R) {
        let s = self.s;
        let t = sub(s, r);
        let c = self.out.entity(EntityKind::Contact, role, Some(loc));
        let mut first = t.len();
        if let Some(m) = email_re().find(t) {
            self.out
                .push_in(c, keys::CONTACT_EMAIL, (r.0 + m.start(), r.0 + m.end()));
            first = first.min(m.start());
        }
        if let Some((a, z)) = find_phone(t) {
            self.out.push_in(c, keys::CONTACT_PHONE, (r.0 + a, r.0 + z));
            first = first.min(a);
        }
        let name = super::lines::trim_punct(s, r.0, r.0 + first);
        self.out.push_in(c, keys::CONTACT_NAME, name);
    }

    /// Arms and Interventions: "Type: label" lines start an arm; the next
    /// plain line is its description; "Drug: name" lines start an
    /// intervention; other lines describe the current intervention; "Other
    /// Names:" bullets are its other names.
    fn arms(&mut self, b: &Block) {
        let s = self.s;
        let lines = content_lines(self.lines, b.from, b.to);
        let mut arm: Option<usize> = None;
        let mut arm_desc: Option<R> = None;
        // The current intervention: (name, type, description lines, other names).
        let mut iv: Option<Iv> = None;
        let mut in_other_names = false;
        for l in lines {
            let r = l.range();
            let t = sub(s, r);
            if t == "Participant Group / Arm" || t == "Intervention / Treatment" {
                continue;
            }
            let (br, bullet) = strip_bullet(s, r);
            if bullet && in_other_names {
                if let Some(v) = iv.as_mut() {
                    v.other.push(br);
                }
                continue;
            }
            in_other_names = false;
            if t.eq_ignore_ascii_case("Other Names:") {
                in_other_names = true;
                if iv.is_none() {
                    iv = Some(Iv::default());
                }
                continue;
            }
            let as_iv = typed_prefix(s, r, INTERVENTION_TYPES);
            let as_arm = typed_prefix(s, r, ARM_TYPES);
            // "Other:" is both an arm type and an intervention type: inside an
            // arm it names an intervention.
            let arm_start = as_arm.is_some() && !(arm.is_some() && as_iv.is_some());
            if arm_start {
                self.flush_arm(arm, arm_desc.take(), iv.take());
                let (ty, label) = as_arm.unwrap_or(((r.0, r.0), r));
                let e = self.out.plain(EntityKind::Arm);
                self.out.push_in(e, keys::ARM_TYPE, ty);
                self.out.push_in(e, keys::ARM_LABEL, label);
                arm = Some(e);
                continue;
            }
            if let Some((ty, name)) = as_iv {
                self.flush_iv(arm, iv.take());
                iv = Some(Iv {
                    line: Some(r),
                    ty: Some(ty),
                    name: Some(name),
                    ..Iv::default()
                });
                continue;
            }
            match iv.as_mut() {
                Some(v) => v.desc.push(r),
                None if arm_desc.is_none() && arm.is_some() => arm_desc = Some(r),
                None => {
                    iv = Some(Iv {
                        desc: vec![r],
                        ..Iv::default()
                    })
                }
            }
        }
        self.flush_arm(arm, arm_desc, iv);
    }

    fn flush_arm(&mut self, arm: Option<usize>, desc: Option<R>, iv: Option<Iv>) {
        if let (Some(e), Some(d)) = (arm, desc) {
            self.out.push_in(e, keys::ARM_DESCRIPTION, d);
        }
        self.flush_iv(arm, iv);
    }

    /// One intervention entity per distinct name (or, unnamed, per distinct description).
    fn flush_iv(&mut self, arm: Option<usize>, iv: Option<Iv>) {
        let s = self.s;
        let Some(iv) = iv else { return };
        let desc = cover(&iv.desc);
        let ident = match (iv.name, desc) {
            (Some(n), _) => sub(s, n).trim().to_ascii_lowercase(),
            (None, Some(d)) => sub(s, d).trim().to_ascii_lowercase(),
            (None, None) => match iv.other.first() {
                Some(o) => sub(s, *o).trim().to_ascii_lowercase(),
                None => return,
            },
        };
        if let (Some(a), Some(line)) = (arm, iv.line) {
            self.out.push_in(a, keys::ARM_INTERVENTION, line);
        }
        if self.interventions.iter().any(|(n, _)| *n == ident) {
            return;
        }
        let e = self.out.plain(EntityKind::Intervention);
        self.interventions.push((ident, e));
        if let Some(t) = iv.ty {
            self.out.push_in(e, keys::INTERVENTION_TYPE, t);
        }
        if let Some(n) = iv.name {
            self.out.push_in(e, keys::INTERVENTION_NAME, n);
        }
        if let Some(d) = desc {
            self.out.push_in(e, keys::INTERVENTION_DESCRIPTION, d);
        }
        for o in iv.other {
            self.out.push_in(e, keys::INTERVENTION_OTHER_NAME, o);
        }
    }

    /// Outcome table: measure, "Time Frame: X", description lines, X again.
    fn outcomes(&mut self, b: &Block, kind: EntityKind) {
        let s = self.s;
        let lines: Vec<R> = content_lines(self.lines, b.from, b.to)
            .into_iter()
            .map(|l| l.range())
            .filter(|r| {
                !matches!(
                    sub(s, *r),
                    "Outcome Measure" | "Measure Description" | "Time Frame"
                )
            })
            .collect();
        let tf_at: Vec<usize> = (0..lines.len())
            .filter(|&i| sub(s, lines[i]).starts_with("Time Frame:"))
            .collect();
        for (k, &i) in tf_at.iter().enumerate() {
            let e = self.out.plain(kind);
            if i > 0 {
                self.out.push_in(e, keys::OUTCOME_MEASURE, lines[i - 1]);
            }
            let tf = trim_range(s, lines[i].0 + "Time Frame:".len(), lines[i].1);
            self.out.push_in(e, keys::OUTCOME_TIME_FRAME, tf);
            let tf_text = sub(s, tf);
            // Description runs to the repeated time frame, or to the next measure.
            let limit = tf_at
                .get(k + 1)
                .map(|&n| n.saturating_sub(1))
                .unwrap_or(lines.len());
            let mut desc: Vec<R> = Vec::new();
            for r in lines.iter().take(limit).skip(i + 1) {
                if sub(s, *r) == tf_text {
                    break;
                }
                desc.push(*r);
            }
            if let Some(d) = cover(&desc) {
                self.out.push_in(e, keys::OUTCOME_DESCRIPTION, d);
            }
        }
    }
}

#[derive(Default)]
struct Iv {
    line: Option<R>,
    ty: Option<R>,
    name: Option<R>,
    desc: Vec<R>,
    other: Vec<R>,
}
