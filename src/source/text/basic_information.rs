//! `text:basic-information`: a mirror site that shows each value as a label
//! line, a blank line, and the value line ("Recruitment Status" / "UNKNOWN"),
//! grouped in sections ("Basic Information", "Study Groups", "Central
//! Contacts", ...) that open with a one-sentence blurb of site boilerplate.

use super::lines::{
    blocks, content_lines, cover, email_re, find_phone, find_registry_id, paragraphs, parse_ages,
    split_commas, split_qualifier, sub, Block, Line, Out, R,
};
use crate::record::{keys, EntityKind, Record};
use crate::span::Text;

/// Sections (with a blurb) and single-value labels, by their lower-cased text.
fn lookup(l: &str) -> Option<&'static str> {
    Some(match l {
        // sections
        "study results" => "ignore",
        "basic information" | "study design" => "container",
        "brief summary" => keys::BRIEF_SUMMARY,
        "detailed description" => keys::DETAILED_DESCRIPTION,
        "conditions" => keys::CONDITION,
        "keywords" => keys::KEYWORD,
        "study groups" => "groups",
        "interventions" => "interventions",
        "other intervention names" => "other_names",
        "eligibility criteria" => keys::ELIGIBILITY,
        "sponsors" => "sponsors",
        "collaborators" => keys::COLLABORATOR,
        "responsible party" => "responsible",
        "principal investigators" => "investigators",
        "locations" => "locations",
        "countries" => "countries",
        "central contacts" => "central",
        "facility contacts" => "facility",
        "other identifiers" => "identifiers",
        "more related trials" => "ignore",
        // single values
        "recruitment status" => keys::STATUS,
        "clinical phase" => keys::PHASE,
        "total enrollment" | "enrollment" => keys::ENROLLMENT,
        "study classification" => keys::STUDY_TYPE,
        "study start date" => keys::START_DATE,
        "primary completion date" => keys::PRIMARY_COMPLETION_DATE,
        "study completion date" => keys::COMPLETION_DATE,
        "first submitted" => keys::FIRST_SUBMITTED,
        "first posted" => keys::FIRST_POSTED,
        "last update posted" => keys::LAST_UPDATE_POSTED,
        "allocation method" => keys::ALLOCATION,
        "intervention model" => keys::INTERVENTION_MODEL,
        "primary study purpose" => keys::PRIMARY_PURPOSE,
        "blinding strategy" => keys::MASKING,
        "minimum eligible age" => keys::MIN_AGE,
        "maximum eligible age" => keys::MAX_AGE,
        "eligible sex" => keys::SEX,
        "accepts healthy volunteers" => keys::HEALTHY_VOLUNTEERS,
        "standard age groups" | "age groups" => keys::AGE_GROUP,
        _ => return None,
    })
}

/// Sections whose first paragraph may be the site's blurb.
fn has_blurb(id: &str) -> bool {
    !matches!(
        id,
        keys::STATUS
            | keys::PHASE
            | keys::ENROLLMENT
            | keys::STUDY_TYPE
            | keys::START_DATE
            | keys::PRIMARY_COMPLETION_DATE
            | keys::COMPLETION_DATE
            | keys::FIRST_SUBMITTED
            | keys::FIRST_POSTED
            | keys::LAST_UPDATE_POSTED
            | keys::ALLOCATION
            | keys::INTERVENTION_MODEL
            | keys::PRIMARY_PURPOSE
            | keys::MASKING
            | keys::MIN_AGE
            | keys::MAX_AGE
            | keys::SEX
            | keys::HEALTHY_VOLUNTEERS
            | keys::AGE_GROUP
    )
}

/// A one-sentence site blurb ("Review the sponsor-provided synopsis ...").
fn is_blurb(s: &str, p: R, more_follow: bool, prose: bool) -> bool {
    let t = sub(s, p);
    let one_line = !t.contains('\n');
    let words = t.split_whitespace().count();
    one_line
        && t.ends_with('.')
        && !t.chars().any(|c| c.is_ascii_digit())
        && words >= 6
        && t.len() < 240
        && (more_follow || !prose)
}

struct Reader<'a> {
    out: Out<'a>,
    s: &'a str,
    lines: &'a [Line],
    locations: Vec<usize>,
    interventions: Vec<usize>,
}

pub fn read(page: &Text, lines: &[Line]) -> Record {
    let s = page.text.as_str();
    let mut r = Reader {
        out: Out::new(page, "text:basic-information"),
        s,
        lines,
        locations: Vec::new(),
        interventions: Vec::new(),
    };
    r.run();
    r.out.finish()
}

impl<'a> Reader<'a> {
    /// The paragraphs of a block, without the blurb.
    fn body(&self, b: &Block) -> Vec<R> {
        let mut ps = paragraphs(self.lines, b.from, b.to);
        if has_blurb(b.id) && !ps.is_empty() {
            let prose = matches!(
                b.id,
                keys::BRIEF_SUMMARY | keys::DETAILED_DESCRIPTION | keys::ELIGIBILITY
            );
            if is_blurb(self.s, ps[0], ps.len() > 1, prose) {
                ps.remove(0);
            }
        }
        ps
    }

    /// Each non-blank line of a block, without the blurb.
    fn items(&self, b: &Block) -> Vec<R> {
        let ps = self.body(b);
        let first = ps.first().map(|p| p.0).unwrap_or(usize::MAX);
        content_lines(self.lines, b.from, b.to)
            .into_iter()
            .filter(|l| l.s >= first)
            .map(|l| l.range())
            .collect()
    }

    fn heading_end(&self, b: &Block) -> usize {
        self.lines.get(b.at).map(|l| l.e).unwrap_or(0)
    }

    fn run(&mut self) {
        let s = self.s;
        let lines = self.lines;
        let bs = blocks(s, lines, lookup, |_| false);
        let head_end = bs.first().map(|b| b.at).unwrap_or(lines.len());
        // Header: title, "NCT ID: ...", "Last Updated: ...".
        let mut titled = false;
        for l in lines.iter().take(head_end).filter(|l| !l.is_blank()) {
            let t = l.text(s);
            if !titled {
                titled = true;
                self.out.push(keys::TITLE, l.range());
                continue;
            }
            if let Some(c) = t.find(':') {
                let label = t[..c].trim().to_ascii_lowercase();
                let v = (l.s + c + 1, l.e);
                match label.as_str() {
                    "nct id" | "nct number" | "clinicaltrials.gov identifier" => {
                        if let Some((a, b)) = find_registry_id(sub(s, v)) {
                            self.out.id((v.0 + a, v.0 + b));
                        }
                    }
                    "last updated" | "last update posted" => {
                        self.out.push(keys::LAST_UPDATE_POSTED, v);
                    }
                    "first posted" => {
                        self.out.push(keys::FIRST_POSTED, v);
                    }
                    _ => {}
                }
            }
        }
        for b in &bs {
            self.block(b);
        }
    }

    fn block(&mut self, b: &Block) {
        let s = self.s;
        let at = self.heading_end(b);
        match b.id {
            "ignore" | "container" => {}
            keys::BRIEF_SUMMARY | keys::DETAILED_DESCRIPTION | keys::ELIGIBILITY => {
                let body = self.body(b);
                let r = cover(&body).unwrap_or((at, at));
                self.out.push(b.id, r);
            }
            keys::CONDITION | keys::KEYWORD | keys::COLLABORATOR | keys::AGE_GROUP => {
                let items = self.items(b);
                if items.is_empty() {
                    self.out.push(b.id, (at, at));
                }
                for i in items {
                    self.out.push(b.id, i);
                }
            }
            keys::PHASE => {
                let items = self.items(b);
                match items.first() {
                    Some(v) => {
                        for p in split_commas(s, *v) {
                            self.out.push(keys::PHASE, p);
                        }
                    }
                    None => {
                        self.out.push(keys::PHASE, (at, at));
                    }
                }
            }
            keys::MASKING => {
                let items = self.items(b);
                let v = items.first().copied().unwrap_or((at, at));
                self.out.push(keys::MASKING, v);
                if let Some(who) = items.get(1) {
                    self.out.push("x.masking_who", *who);
                }
            }
            keys::MIN_AGE | keys::MAX_AGE => {
                let items = self.items(b);
                let v = items.first().copied().unwrap_or((at, at));
                // "18 Years to 65 Years" in a single-age slot is still split.
                let ages = parse_ages(s, v);
                let pick = if b.id == keys::MIN_AGE {
                    ages.min.or(ages.max)
                } else {
                    ages.max.or(ages.min)
                };
                self.out.push(b.id, pick.unwrap_or(v));
            }
            "groups" => self.groups(b),
            "interventions" => self.interventions(b),
            "other_names" => self.other_names(b),
            "sponsors" => self.sponsors(b),
            "responsible" => self.responsible(b),
            "investigators" => self.people(b, "principal investigator", false),
            "central" => self.people(b, "central contact", false),
            "facility" => self.people(b, "facility contact", true),
            "locations" => self.locations(b),
            "countries" => {
                for i in self.items(b) {
                    self.out.push("x.country", i);
                }
            }
            "identifiers" => self.identifiers(b),
            key => {
                // A single value: enrollment and dates may carry a qualifier,
                // on the label ("Total Enrollment (Estimated)") or the value.
                let items = self.items(b);
                let v = items.first().copied().unwrap_or((at, at));
                let (vq, vr) = split_qualifier(s, v);
                let q = b.qual.or(vq);
                let v = if vq.is_some() { vr } else { v };
                self.out.push_q(key, v, q);
            }
        }
    }

    /// Study Groups: label, description, "Group Type X", then for each
    /// intervention: name, "Intervention Type Y", description.
    fn groups(&mut self, b: &Block) {
        let s = self.s;
        let ps = self.body(b);
        let is_gt = |p: &R| sub(s, *p).starts_with("Group Type");
        let is_it = |p: &R| sub(s, *p).starts_with("Intervention Type");
        let mut i = 0;
        let mut arm: Option<usize> = None;
        while i < ps.len() {
            let p = ps[i];
            // An arm starts with its label, then an optional description, then "Group Type".
            // (Where that is ambiguous, label + description + type wins.)
            let plain = !is_gt(&p) && !is_it(&p);
            let label_then_type = ps.get(i + 1).is_some_and(is_gt);
            let label_desc_type =
                ps.get(i + 2).is_some_and(is_gt) && !ps.get(i + 1).is_some_and(is_it);
            let starts_arm = plain && (label_then_type || label_desc_type);
            if starts_arm {
                let e = self.out.plain(EntityKind::Arm);
                arm = Some(e);
                self.out.push_in(e, keys::ARM_LABEL, p);
                let mut j = i + 1;
                if !ps.get(j).is_some_and(is_gt) {
                    if let Some(d) = ps.get(j) {
                        self.out.push_in(e, keys::ARM_DESCRIPTION, *d);
                    }
                    j += 1;
                }
                if let Some(gt) = ps.get(j) {
                    let v = (gt.0 + "Group Type".len(), gt.1);
                    self.out.push_in(e, keys::ARM_TYPE, v);
                }
                i = j + 1;
                continue;
            }
            // An intervention of the current arm: name, "Intervention Type", description.
            if ps.get(i + 1).is_some_and(is_it) {
                if let Some(e) = arm {
                    self.out.push_in(e, keys::ARM_INTERVENTION, p);
                }
                i += 2;
                // Its description, unless the next paragraph starts an arm or another intervention.
                if let Some(d) = ps.get(i) {
                    let next_starts = ps.get(i + 1).is_some_and(|x| is_it(x) || is_gt(x))
                        || ps.get(i + 2).is_some_and(is_gt);
                    if !is_it(d) && !is_gt(d) && !next_starts {
                        i += 1;
                    }
                }
                continue;
            }
            i += 1;
        }
    }

    /// Interventions: name, description, "Intervention Type X" (the type
    /// closes each entry; a type right after the name is also accepted).
    fn interventions(&mut self, b: &Block) {
        let s = self.s;
        let ps = self.body(b);
        let mut pending: Vec<R> = Vec::new();
        for p in ps {
            let t = sub(s, p);
            if t.starts_with("Intervention Type") {
                let ty = (p.0 + "Intervention Type".len(), p.1);
                let e = self.out.plain(EntityKind::Intervention);
                self.interventions.push(e);
                self.out.push_in(e, keys::INTERVENTION_TYPE, ty);
                if let Some(name) = pending.first() {
                    self.out.push_in(e, keys::INTERVENTION_NAME, *name);
                }
                if let Some(d) = cover(pending.get(1..).unwrap_or(&[])) {
                    self.out.push_in(e, keys::INTERVENTION_DESCRIPTION, d);
                }
                pending.clear();
            } else {
                pending.push(p);
            }
        }
        // Entries without a type line.
        if let Some(name) = pending.first() {
            let e = self.out.plain(EntityKind::Intervention);
            self.interventions.push(e);
            self.out.push_in(e, keys::INTERVENTION_NAME, *name);
            if let Some(d) = cover(pending.get(1..).unwrap_or(&[])) {
                self.out.push_in(e, keys::INTERVENTION_DESCRIPTION, d);
            }
        }
    }

    /// Other names, attached to the intervention whose initials they spell,
    /// or to the only intervention; otherwise to none.
    fn other_names(&mut self, b: &Block) {
        let s = self.s;
        for item in self.items(b) {
            let on = sub(s, item).trim().to_ascii_lowercase();
            let mut owner = None;
            for &e in &self.interventions {
                if let Some(f) = self.out.rec.entity_get(e, keys::INTERVENTION_NAME) {
                    let initials: String = f
                        .text
                        .text
                        .split(|c: char| c.is_whitespace() || c == '-')
                        .filter_map(|w| w.chars().next())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if initials == on {
                        owner = Some(e);
                    }
                }
            }
            if owner.is_none() && self.interventions.len() == 1 {
                owner = self.interventions.first().copied();
            }
            match owner {
                Some(e) => {
                    self.out.push_in(e, keys::INTERVENTION_OTHER_NAME, item);
                }
                None => {
                    self.out.push(keys::INTERVENTION_OTHER_NAME, item);
                }
            }
        }
    }

    /// Sponsors: name, class, "Sponsor Role lead|collaborator".
    fn sponsors(&mut self, b: &Block) {
        let s = self.s;
        let mut pending: Vec<R> = Vec::new();
        for p in self.items(b) {
            let t = sub(s, p);
            if let Some(role) = t.strip_prefix("Sponsor Role") {
                let key = if role.trim().eq_ignore_ascii_case("lead") {
                    keys::LEAD_SPONSOR
                } else {
                    keys::COLLABORATOR
                };
                if let Some(name) = pending.first() {
                    self.out.push(key, *name);
                }
                pending.clear();
            } else {
                pending.push(p);
            }
        }
        if let Some(name) = pending.first() {
            self.out.push(keys::LEAD_SPONSOR, *name);
        }
    }

    /// Responsible Party: name, title, "Responsibility Role X".
    fn responsible(&mut self, b: &Block) {
        let s = self.s;
        let items = self.items(b);
        let Some(name) = items.first().copied() else {
            let at = self.heading_end(b);
            self.out.push(keys::RESPONSIBLE_PARTY, (at, at));
            return;
        };
        self.out.push(keys::RESPONSIBLE_PARTY, name);
        let person = items
            .iter()
            .skip(1)
            .any(|p| sub(s, *p).to_ascii_lowercase().contains("investigator"));
        if person {
            let e = self
                .out
                .entity(EntityKind::Contact, "responsible party", None);
            self.out.push_in(e, keys::CONTACT_NAME, name);
            if let Some(title) = items.get(1) {
                if !sub(s, *title).starts_with("Responsibility Role") {
                    self.out.push_in(e, "x.contact.title", *title);
                }
            }
        }
    }

    /// People listed as name, "Role: X", then phone / e-mail / affiliation lines.
    fn people(&mut self, b: &Block, role: &str, at_site: bool) {
        let s = self.s;
        let items = self.items(b);
        let roles: Vec<usize> = (0..items.len())
            .filter(|&i| sub(s, items[i]).starts_with("Role:"))
            .collect();
        let parent = if at_site && self.locations.len() == 1 {
            self.locations.first().copied()
        } else {
            None
        };
        if roles.is_empty() {
            // No role lines: one person per line group is unknowable; take each line as a name.
            for it in items {
                let e = self.out.entity(EntityKind::Contact, role, parent);
                self.out.push_in(e, keys::CONTACT_NAME, it);
            }
            return;
        }
        for (k, &ri) in roles.iter().enumerate() {
            let e = self.out.entity(EntityKind::Contact, role, parent);
            if ri > 0 {
                self.out.push_in(e, keys::CONTACT_NAME, items[ri - 1]);
            }
            let rv = (items[ri].0 + "Role:".len(), items[ri].1);
            self.out.push_in(e, "x.contact.role", rv);
            // Details up to the next person's name (the line before the next role).
            let end = roles.get(k + 1).map(|&n| n - 1).unwrap_or(items.len());
            for it in items.iter().take(end).skip(ri + 1) {
                let t = sub(s, *it);
                if let Some(m) = email_re().find(t) {
                    self.out
                        .push_in(e, keys::CONTACT_EMAIL, (it.0 + m.start(), it.0 + m.end()));
                } else if let Some((a, z)) =
                    find_phone(t).filter(|(a, z)| z - a + 4 >= t.trim().len())
                {
                    self.out
                        .push_in(e, keys::CONTACT_PHONE, (it.0 + a, it.0 + z));
                } else {
                    self.out.push_in(e, keys::CONTACT_AFFILIATION, *it);
                }
            }
        }
    }

    /// Locations: facility, city line, "Site Status X".
    fn locations(&mut self, b: &Block) {
        let s = self.s;
        let mut pending: Vec<R> = Vec::new();
        let items = self.items(b);
        for p in items {
            let t = sub(s, p);
            if let Some(st) = t.strip_prefix("Site Status") {
                let e = self.out.plain(EntityKind::Location);
                self.locations.push(e);
                if let Some(f) = pending.first() {
                    self.out.push_in(e, keys::LOCATION_FACILITY, *f);
                }
                if let Some(c) = pending.get(1) {
                    self.city_line(e, *c);
                }
                let v = (p.0 + (t.len() - st.len()), p.1);
                self.out.push_in(e, keys::LOCATION_STATUS, v);
                pending.clear();
            } else {
                pending.push(p);
            }
        }
        if let Some(f) = pending.first() {
            let e = self.out.plain(EntityKind::Location);
            self.locations.push(e);
            self.out.push_in(e, keys::LOCATION_FACILITY, *f);
            if let Some(c) = pending.get(1) {
                self.city_line(e, *c);
            }
        }
    }

    fn city_line(&mut self, e: usize, r: R) {
        let s = self.s;
        let parts = split_commas(s, r);
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
    }

    /// Other Identifiers: id, "Identifier Type: X", "Identifier Source: Y".
    fn identifiers(&mut self, b: &Block) {
        let s = self.s;
        let mut pending: Option<R> = None;
        for p in self.items(b) {
            let t = sub(s, p);
            if t.starts_with("Identifier Type") {
                continue;
            }
            if let Some(src) = t.strip_prefix("Identifier Source:") {
                let key = if src.trim() == "org_study_id" {
                    "x.org_study_id"
                } else {
                    "x.secondary_id"
                };
                if let Some(id) = pending.take() {
                    self.out.push(key, id);
                }
                continue;
            }
            if let Some(id) = pending.replace(p) {
                self.out.push("x.secondary_id", id);
            }
        }
        if let Some(id) = pending {
            self.out.push("x.secondary_id", id);
        }
    }
}
