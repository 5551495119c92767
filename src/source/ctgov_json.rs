//! Reader for ClinicalTrials.gov API v2 JSON.
//!
//! Shapes: one study object; a top-level array of studies (the website's
//! `ctg-studies.json` download); an API page `{"studies": [...],
//! "nextPageToken": ...}`; JSON Lines (one study per line, or any sequence
//! of white-space separated documents).
//!
//! Spans come for free from serde_json: every leaf is deserialized as a
//! borrowed [`RawValue`], a slice of the input, so its byte offset is a
//! pointer difference. Arrays of studies are walked element by element with
//! a `SeqAccess` visitor: each element becomes a [`Record`] before the next
//! one is read, and no JSON tree of the whole input is ever built.
//!
//! The helpers here ([`Fields`], [`for_each_document`], [`for_each_element`],
//! [`parse_at`]) are shared with the v1 reader.

use crate::record::{keys, EntityKind, Record};
use crate::source::json_text;
use crate::span::{Span, Text};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;

pub const FORMAT: &str = "ctgov-json";

const NOT_A_STUDY: &str =
    "JSON document is not a ClinicalTrials.gov API v2 study: no `protocolSection`";

type Raw<'a> = &'a RawValue;

/// Read every record in the file.
pub fn read(input: &str) -> Result<Vec<Record>, String> {
    if let Some(rec) = single_study(input) {
        return Ok(vec![rec]);
    }
    let mut out = Vec::new();
    for_each_document(input, |n, doc| match doc.get().as_bytes().first() {
        Some(b'[') => for_each_element(input, doc, |i, el| {
            let rec = study(input, el, &|| {
                format!("element {} of the top-level array", i + 1)
            })?;
            out.push(rec);
            Ok(())
        }),
        Some(b'{') => {
            let d: Doc = parse_at(input, doc)?;
            if d.protocol_section.is_some() {
                out.push(build(input, raw_span(input, doc), d));
                Ok(())
            } else if let Some(studies) = d.studies {
                if !studies.get().starts_with('[') {
                    return Err(format!(
                        "`studies` is not an array {}",
                        position(input, offset(input, studies))
                    ));
                }
                for_each_element(input, studies, |i, el| {
                    let rec = study(input, el, &|| format!("element {} of `studies`", i + 1))?;
                    out.push(rec);
                    Ok(())
                })
            } else {
                Err(not_a_study(input, doc, &|| document(n)))
            }
        }
        _ => Err(not_a_study(input, doc, &|| document(n))),
    })?;
    Ok(out)
}

/// How to name the `n`th top-level document: nothing for the first (usually
/// the only one), `document N` for later ones (JSON Lines).
pub(crate) fn document(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!("document {} of the file", n + 1)
    }
}

fn not_a_study(input: &str, raw: Raw, what: &dyn Fn() -> String) -> String {
    let what = what();
    let mut msg = NOT_A_STUDY.to_string();
    if !what.is_empty() {
        msg = format!("{msg} ({what}, {})", position(input, offset(input, raw)));
    }
    if raw.get().contains("\"ProtocolSection\"") {
        msg.push_str(" (it looks like the retired v1 API's JSON, with `ProtocolSection`)");
    }
    msg
}

/// One element of an array of studies.
fn study<'a>(input: &'a str, el: Raw<'a>, what: &dyn Fn() -> String) -> Result<Record, String> {
    if !el.get().starts_with('{') {
        return Err(not_a_study(input, el, what));
    }
    let start = offset(input, el);
    let d: Doc = match study_object(input, start) {
        Some((d, end)) => {
            debug_assert_eq!(end, start + el.get().len(), "a raw value is one object");
            d
        }
        None => parse_at(input, el)?,
    };
    if d.protocol_section.is_none() {
        return Err(not_a_study(input, el, what));
    }
    Ok(build(input, raw_span(input, el), d))
}

/// The common case, a file holding one study object, parsed in one pass
/// ([`study_object`]). The general path in [`read`] first scans each
/// document as a raw value to find where it ends, then parses it again
/// (the scan was 9% of a run). Anything else, and any error, takes the
/// general path, so errors read the same.
fn single_study(input: &str) -> Option<Record> {
    const WS: [char; 4] = [' ', '\t', '\n', '\r'];
    let base = if input.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &input[base..];
    let start = base + body.len() - body.trim_start_matches(WS).len();
    if input.as_bytes().get(start) != Some(&b'{') {
        return None;
    }
    let (d, end) = study_object(input, start)?;
    if !input[end..].trim_start_matches(WS).is_empty() {
        return None;
    }
    Some(build(input, Span::new(start, end), d))
}

/// The study object that opens at `input[start]` and where it ends: serde
/// parses its `protocolSection`, every other member is stepped over
/// ([`json_skip`]: serde_json's own skipping of the results and derived
/// sections was a tenth of a run). `None` when the general path must read
/// it: invalid JSON anywhere in it (the general path words the error), no
/// `protocolSection` or two, a `studies` member (an API page), an escaped
/// key. The one difference from serde_json: the protocol section is parsed
/// on its own, so its nesting limit (128) counts from it, not from the
/// study object (only a protocol section nested 127 deep could tell).
fn study_object(input: &str, start: usize) -> Option<(Doc<'_>, usize)> {
    use super::json_skip::{member, skip_value, skip_ws};
    let b = input.as_bytes();
    let mut protocol = None;
    let mut at = skip_ws(b, start + 1);
    loop {
        let (key, value) = member(b, at)?;
        let key = &input[key];
        at = value;
        match key {
            "protocolSection" if protocol.is_none() => {
                let mut one =
                    serde_json::Deserializer::from_str(&input[at..]).into_iter::<Protocol>();
                protocol = Some(one.next()?.ok()?);
                at += one.byte_offset();
            }
            "protocolSection" | "studies" => return None,
            _ if key.contains('\\') => return None,
            _ => at = skip_value(b, at)?,
        }
        at = skip_ws(b, at);
        match b.get(at) {
            Some(b',') => at = skip_ws(b, at + 1),
            Some(b'}') => {
                let d = Doc {
                    protocol_section: Some(protocol?),
                    studies: None,
                };
                return Some((d, at + 1));
            }
            _ => return None,
        }
    }
}

/// Where a raw value lies in `input`.
pub(crate) fn raw_span(input: &str, raw: Raw) -> Span {
    let start = offset(input, raw);
    Span::new(start, start + raw.get().len())
}

// ---------------------------------------------------------------------------
// Shared helpers (also used by the v1 reader)

/// Byte offset of a borrowed raw value in `input`.
pub(crate) fn offset(input: &str, raw: &RawValue) -> usize {
    let p = raw.get().as_ptr() as usize;
    let base = input.as_ptr() as usize;
    debug_assert!(
        p >= base && p <= base + input.len(),
        "raw value not borrowed from the input"
    );
    p.wrapping_sub(base).min(input.len())
}

/// `at line L column C` for a byte offset, counted the way serde_json does.
pub(crate) fn position(input: &str, at: usize) -> String {
    let (l, c) = line_col(input, at);
    format!("at line {l} column {c}")
}

fn line_col(input: &str, at: usize) -> (usize, usize) {
    let at = at.min(input.len());
    let before = &input.as_bytes()[..at];
    let sol = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let line = 1 + memchr::memchr_iter(b'\n', before).count();
    (line, at - sol + 1)
}

/// Render a serde_json error raised while parsing `slice` (which starts at
/// byte `base` of `input`) with its line and column in `input`.
pub(crate) fn error_at(input: &str, base: usize, slice: &str, e: serde_json::Error) -> String {
    let full = e.to_string();
    let (line, col) = (e.line(), e.column());
    let suffix = format!(" at line {line} column {col}");
    let msg = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    let kind = match e.classify() {
        serde_json::error::Category::Data => "JSON does not have the expected structure",
        _ => "malformed JSON",
    };
    if line == 0 {
        return format!("{kind}: {msg}");
    }
    // Index of the error in `slice` (serde_json: column = index - start of line).
    let bytes = slice.as_bytes();
    let mut sol = 0;
    if line > 1 {
        match memchr::memchr_iter(b'\n', bytes).nth(line - 2) {
            Some(i) => sol = i + 1,
            None => sol = bytes.len(),
        }
    }
    let idx = (sol + col).min(bytes.len());
    let abs = base + idx;
    let (aline, acol) = line_col(input, abs);
    format!("{kind}: {msg} at line {aline} column {}", acol - 1)
}

/// Parse a raw value (a slice of `input`) into `T`, with errors placed in
/// `input`.
pub(crate) fn parse_at<'a, T: Deserialize<'a>>(input: &'a str, raw: Raw<'a>) -> Result<T, String> {
    let s: &'a str = raw.get();
    serde_json::from_str(s).map_err(|e| error_at(input, offset(input, raw), s, e))
}

/// Call `f` with every top-level JSON document of `input`, and its index, (one for a plain
/// JSON file, one per line for JSON Lines). A UTF-8 byte-order mark is
/// skipped.
pub(crate) fn for_each_document<'a>(
    input: &'a str,
    mut f: impl FnMut(usize, Raw<'a>) -> Result<(), String>,
) -> Result<(), String> {
    let base = if input.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &input[base..];
    let stream = serde_json::Deserializer::from_str(body).into_iter::<Raw<'a>>();
    for (n, doc) in stream.enumerate() {
        let doc = doc.map_err(|e| error_at(input, base, body, e))?;
        f(n, doc)?;
    }
    Ok(())
}

/// Call `f` with each element of the JSON array `array` (a slice of
/// `input`), one at a time, without collecting them.
pub(crate) fn for_each_element<'a>(
    input: &'a str,
    array: Raw<'a>,
    mut f: impl FnMut(usize, Raw<'a>) -> Result<(), String>,
) -> Result<(), String> {
    struct Elements<'f, F> {
        f: &'f mut F,
        failed: &'f mut Option<String>,
    }
    impl<'de, F> Visitor<'de> for Elements<'_, F>
    where
        F: FnMut(usize, Raw<'de>) -> Result<(), String>,
    {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of studies")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut i = 0;
            while let Some(el) = seq.next_element::<Raw<'de>>()? {
                if let Err(e) = (self.f)(i, el) {
                    *self.failed = Some(e);
                    return Err(de::Error::custom("stopped"));
                }
                i += 1;
            }
            Ok(())
        }
    }
    let s: &'a str = array.get();
    let mut failed = None;
    let mut de = serde_json::Deserializer::from_str(s);
    let r = de.deserialize_seq(Elements {
        f: &mut f,
        failed: &mut failed,
    });
    if let Some(e) = failed {
        return Err(e);
    }
    r.map_err(|e| error_at(input, offset(input, array), s, e))
}

/// Decoded text of a leaf value: a string (decoded, spans inside the quotes),
/// a number or boolean (its literal), nothing for `null`, objects and arrays.
pub(crate) fn leaf_text(input: &str, raw: &RawValue, markdown: bool) -> Option<Text> {
    let s = raw.get();
    let at = offset(input, raw);
    match s.as_bytes().first()? {
        b'"' => Some(if markdown {
            json_text::decode(s, at)
        } else {
            json_text::decode_json(s, at)
        }),
        b'n' | b'{' | b'[' => None,
        _ => Some(Text::verbatim(s, at)),
    }
}

/// Builds a record from raw leaves.
pub(crate) struct Fields<'i> {
    pub input: &'i str,
    pub markdown: bool,
    pub rec: Record,
}

impl<'i> Fields<'i> {
    pub fn new(input: &'i str, format: &str, span: Span, markdown: bool) -> Fields<'i> {
        let mut rec = Record::new(format);
        rec.span = span;
        // Room for every field from the start: a study has one per 80
        // bytes or more (99% of the corpus), and a vector grown by
        // doubling copies itself into fresh memory, the largest share of
        // a run's cache misses on writes (cachegrind).
        let len = span.end.saturating_sub(span.start);
        rec.fields.reserve(len / 64 + 16);
        rec.entities.reserve(len / 256 + 8);
        Fields {
            input,
            markdown,
            rec,
        }
    }

    pub fn text(&self, raw: Option<Raw>) -> Option<Text> {
        leaf_text(self.input, raw?, self.markdown)
    }

    /// Push `key` if the value is present.
    pub fn put(&mut self, key: &'static str, raw: Option<Raw>) -> Option<usize> {
        let t = self.text(raw)?;
        Some(self.rec.push(key, t))
    }

    /// Push `key` with a qualifier (Actual / Estimated ...).
    pub fn put_q(
        &mut self,
        key: &'static str,
        raw: Option<Raw>,
        qualifier: Option<Raw>,
    ) -> Option<usize> {
        let i = self.put(key, raw)?;
        self.rec.fields[i].qualifier = self.text(qualifier);
        Some(i)
    }

    /// Push `key` into an entity.
    pub fn put_in(&mut self, entity: usize, key: &'static str, raw: Option<Raw>) -> Option<usize> {
        let t = self.text(raw)?;
        Some(self.rec.push_in(entity, key, t))
    }

    /// Push one `key` per list entry.
    pub fn put_each(&mut self, key: &'static str, list: Option<&Vec<Raw>>) {
        for raw in list.into_iter().flatten() {
            self.put(key, Some(raw));
        }
    }

    pub fn put_each_in(&mut self, entity: usize, key: &'static str, list: Option<&Vec<Raw>>) {
        for raw in list.into_iter().flatten() {
            self.put_in(entity, key, Some(raw));
        }
    }

    pub fn entity(
        &mut self,
        kind: EntityKind,
        role: Option<String>,
        parent: Option<usize>,
    ) -> usize {
        self.rec.add_entity(kind, role, parent)
    }

    /// Set the record id from the decoded identifier.
    pub fn set_id(&mut self, raw: Option<Raw>) {
        if let Some(t) = self.text(raw) {
            let id = t.text.trim();
            if !id.is_empty() {
                self.rec.id = Some(id.to_string());
            }
        }
    }
}

/// A site contact's role text: `site contact: <facility>`.
pub(crate) fn site_role(facility: Option<&Text>) -> String {
    match facility.map(|t| t.text.trim()).filter(|s| !s.is_empty()) {
        Some(f) => format!("site contact: {f}"),
        None => "site contact".to_string(),
    }
}

// ---------------------------------------------------------------------------
// The v2 schema, as far as trialint maps it. Leaves are raw slices.

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Doc<'a> {
    #[serde(borrow)]
    protocol_section: Option<Protocol<'a>>,
    /// An API page of studies.
    #[serde(borrow)]
    studies: Option<Raw<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Protocol<'a> {
    #[serde(borrow)]
    identification_module: Option<Identification<'a>>,
    #[serde(borrow)]
    status_module: Option<Status<'a>>,
    #[serde(borrow)]
    sponsor_collaborators_module: Option<Sponsors<'a>>,
    #[serde(borrow)]
    description_module: Option<Description<'a>>,
    #[serde(borrow)]
    conditions_module: Option<Conditions<'a>>,
    #[serde(borrow)]
    design_module: Option<Design<'a>>,
    #[serde(borrow)]
    arms_interventions_module: Option<ArmsInterventions<'a>>,
    #[serde(borrow)]
    outcomes_module: Option<Outcomes<'a>>,
    #[serde(borrow)]
    eligibility_module: Option<Eligibility<'a>>,
    #[serde(borrow)]
    contacts_locations_module: Option<ContactsLocations<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Identification<'a> {
    #[serde(borrow)]
    nct_id: Option<Raw<'a>>,
    #[serde(borrow)]
    brief_title: Option<Raw<'a>>,
    #[serde(borrow)]
    official_title: Option<Raw<'a>>,
    #[serde(borrow)]
    acronym: Option<Raw<'a>>,
    #[serde(borrow)]
    organization: Option<Organization<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Organization<'a> {
    #[serde(borrow)]
    full_name: Option<Raw<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DateStruct<'a> {
    #[serde(borrow)]
    date: Option<Raw<'a>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Raw<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status<'a> {
    #[serde(borrow)]
    status_verified_date: Option<Raw<'a>>,
    #[serde(borrow)]
    overall_status: Option<Raw<'a>>,
    #[serde(borrow)]
    why_stopped: Option<Raw<'a>>,
    #[serde(borrow)]
    start_date_struct: Option<DateStruct<'a>>,
    #[serde(borrow)]
    primary_completion_date_struct: Option<DateStruct<'a>>,
    #[serde(borrow)]
    completion_date_struct: Option<DateStruct<'a>>,
    #[serde(borrow)]
    study_first_submit_date: Option<Raw<'a>>,
    #[serde(borrow)]
    study_first_submit_qc_date: Option<Raw<'a>>,
    #[serde(borrow)]
    study_first_post_date_struct: Option<DateStruct<'a>>,
    #[serde(borrow)]
    last_update_submit_date: Option<Raw<'a>>,
    #[serde(borrow)]
    last_update_post_date_struct: Option<DateStruct<'a>>,
    #[serde(borrow)]
    results_first_post_date_struct: Option<DateStruct<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Named<'a> {
    #[serde(borrow)]
    name: Option<Raw<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResponsibleParty<'a> {
    #[serde(borrow)]
    investigator_full_name: Option<Raw<'a>>,
    #[serde(borrow)]
    investigator_affiliation: Option<Raw<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sponsors<'a> {
    #[serde(borrow)]
    responsible_party: Option<ResponsibleParty<'a>>,
    #[serde(borrow)]
    lead_sponsor: Option<Named<'a>>,
    #[serde(borrow)]
    collaborators: Option<Vec<Named<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Description<'a> {
    #[serde(borrow)]
    brief_summary: Option<Raw<'a>>,
    #[serde(borrow)]
    detailed_description: Option<Raw<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Conditions<'a> {
    #[serde(borrow)]
    conditions: Option<Vec<Raw<'a>>>,
    #[serde(borrow)]
    keywords: Option<Vec<Raw<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Design<'a> {
    #[serde(borrow)]
    study_type: Option<Raw<'a>>,
    #[serde(borrow)]
    phases: Option<Vec<Raw<'a>>>,
    #[serde(borrow)]
    design_info: Option<DesignInfo<'a>>,
    #[serde(borrow)]
    enrollment_info: Option<Enrollment<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DesignInfo<'a> {
    #[serde(borrow)]
    allocation: Option<Raw<'a>>,
    #[serde(borrow)]
    intervention_model: Option<Raw<'a>>,
    #[serde(borrow)]
    primary_purpose: Option<Raw<'a>>,
    #[serde(borrow)]
    masking_info: Option<MaskingInfo<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MaskingInfo<'a> {
    #[serde(borrow)]
    masking: Option<Raw<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Enrollment<'a> {
    #[serde(borrow)]
    count: Option<Raw<'a>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Raw<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArmsInterventions<'a> {
    #[serde(borrow)]
    arm_groups: Option<Vec<Arm<'a>>>,
    #[serde(borrow)]
    interventions: Option<Vec<Intervention<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Arm<'a> {
    #[serde(borrow)]
    label: Option<Raw<'a>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Raw<'a>>,
    #[serde(borrow)]
    description: Option<Raw<'a>>,
    #[serde(borrow)]
    intervention_names: Option<Vec<Raw<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Intervention<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Raw<'a>>,
    #[serde(borrow)]
    name: Option<Raw<'a>>,
    #[serde(borrow)]
    description: Option<Raw<'a>>,
    #[serde(borrow)]
    other_names: Option<Vec<Raw<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Outcomes<'a> {
    #[serde(borrow)]
    primary_outcomes: Option<Vec<Outcome<'a>>>,
    #[serde(borrow)]
    secondary_outcomes: Option<Vec<Outcome<'a>>>,
    #[serde(borrow)]
    other_outcomes: Option<Vec<Outcome<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Outcome<'a> {
    #[serde(borrow)]
    measure: Option<Raw<'a>>,
    #[serde(borrow)]
    description: Option<Raw<'a>>,
    #[serde(borrow)]
    time_frame: Option<Raw<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Eligibility<'a> {
    #[serde(borrow)]
    eligibility_criteria: Option<Raw<'a>>,
    #[serde(borrow)]
    healthy_volunteers: Option<Raw<'a>>,
    #[serde(borrow)]
    sex: Option<Raw<'a>>,
    #[serde(borrow)]
    gender_description: Option<Raw<'a>>,
    #[serde(borrow)]
    minimum_age: Option<Raw<'a>>,
    #[serde(borrow)]
    maximum_age: Option<Raw<'a>>,
    #[serde(borrow)]
    std_ages: Option<Vec<Raw<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContactsLocations<'a> {
    #[serde(borrow)]
    central_contacts: Option<Vec<Contact<'a>>>,
    #[serde(borrow)]
    overall_officials: Option<Vec<Official<'a>>>,
    #[serde(borrow)]
    locations: Option<Vec<Location<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Contact<'a> {
    #[serde(borrow)]
    name: Option<Raw<'a>>,
    #[serde(borrow)]
    phone: Option<Raw<'a>>,
    #[serde(borrow)]
    email: Option<Raw<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Official<'a> {
    #[serde(borrow)]
    name: Option<Raw<'a>>,
    #[serde(borrow)]
    affiliation: Option<Raw<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(borrow)]
    facility: Option<Raw<'a>>,
    #[serde(borrow)]
    status: Option<Raw<'a>>,
    #[serde(borrow)]
    city: Option<Raw<'a>>,
    #[serde(borrow)]
    country: Option<Raw<'a>>,
    #[serde(borrow)]
    contacts: Option<Vec<Contact<'a>>>,
}

// ---------------------------------------------------------------------------
// Mapping onto canonical keys

fn build(input: &str, span: Span, d: Doc) -> Record {
    let mut f = Fields::new(input, FORMAT, span, true);
    let p = d.protocol_section.unwrap_or_default();

    if let Some(m) = &p.identification_module {
        f.set_id(m.nct_id);
        f.put(keys::ID, m.nct_id);
        f.put(keys::TITLE, m.brief_title);
        f.put(keys::OFFICIAL_TITLE, m.official_title);
        f.put(keys::ACRONYM, m.acronym);
    }
    if let Some(m) = &p.status_module {
        f.put(keys::STATUS, m.overall_status);
        f.put(keys::WHY_STOPPED, m.why_stopped);
        let date = |f: &mut Fields, key: &'static str, ds: &Option<DateStruct>| {
            if let Some(ds) = ds {
                f.put_q(key, ds.date, ds.kind);
            }
        };
        date(&mut f, keys::START_DATE, &m.start_date_struct);
        date(
            &mut f,
            keys::PRIMARY_COMPLETION_DATE,
            &m.primary_completion_date_struct,
        );
        date(&mut f, keys::COMPLETION_DATE, &m.completion_date_struct);
        f.put(keys::FIRST_SUBMITTED, m.study_first_submit_date);
        f.put(keys::FIRST_SUBMITTED_QC, m.study_first_submit_qc_date);
        date(&mut f, keys::FIRST_POSTED, &m.study_first_post_date_struct);
        f.put(keys::LAST_UPDATE_SUBMITTED, m.last_update_submit_date);
        date(
            &mut f,
            keys::LAST_UPDATE_POSTED,
            &m.last_update_post_date_struct,
        );
        date(
            &mut f,
            keys::RESULTS_FIRST_POSTED,
            &m.results_first_post_date_struct,
        );
        f.put(keys::VERIFIED_DATE, m.status_verified_date);
    }
    if let Some(m) = &p.design_module {
        f.put(keys::STUDY_TYPE, m.study_type);
        f.put_each(keys::PHASE, m.phases.as_ref());
        if let Some(e) = &m.enrollment_info {
            f.put_q(keys::ENROLLMENT, e.count, e.kind);
        }
        if let Some(di) = &m.design_info {
            f.put(keys::ALLOCATION, di.allocation);
            f.put(keys::INTERVENTION_MODEL, di.intervention_model);
            if let Some(mi) = &di.masking_info {
                f.put(keys::MASKING, mi.masking);
            }
            f.put(keys::PRIMARY_PURPOSE, di.primary_purpose);
        }
    }
    if let Some(m) = &p.eligibility_module {
        f.put(keys::MIN_AGE, m.minimum_age);
        f.put(keys::MAX_AGE, m.maximum_age);
        f.put(keys::SEX, m.sex);
        f.put_each(keys::AGE_GROUP, m.std_ages.as_ref());
        f.put(keys::HEALTHY_VOLUNTEERS, m.healthy_volunteers);
        f.put(keys::GENDER_DESCRIPTION, m.gender_description);
        f.put(keys::ELIGIBILITY, m.eligibility_criteria);
    }
    if let Some(m) = &p.description_module {
        f.put(keys::BRIEF_SUMMARY, m.brief_summary);
        f.put(keys::DETAILED_DESCRIPTION, m.detailed_description);
    }
    if let Some(m) = &p.conditions_module {
        f.put_each(keys::CONDITION, m.conditions.as_ref());
        f.put_each(keys::KEYWORD, m.keywords.as_ref());
    }
    if let Some(m) = &p.arms_interventions_module {
        for a in m.arm_groups.iter().flatten() {
            let e = f.entity(EntityKind::Arm, None, None);
            f.put_in(e, keys::ARM_LABEL, a.label);
            f.put_in(e, keys::ARM_TYPE, a.kind);
            f.put_in(e, keys::ARM_DESCRIPTION, a.description);
            f.put_each_in(e, keys::ARM_INTERVENTION, a.intervention_names.as_ref());
        }
        for i in m.interventions.iter().flatten() {
            let e = f.entity(EntityKind::Intervention, None, None);
            f.put_in(e, keys::INTERVENTION_TYPE, i.kind);
            f.put_in(e, keys::INTERVENTION_NAME, i.name);
            f.put_in(e, keys::INTERVENTION_DESCRIPTION, i.description);
            f.put_each_in(e, keys::INTERVENTION_OTHER_NAME, i.other_names.as_ref());
        }
    }
    if let Some(m) = &p.outcomes_module {
        for (kind, list) in [
            (EntityKind::PrimaryOutcome, &m.primary_outcomes),
            (EntityKind::SecondaryOutcome, &m.secondary_outcomes),
            (EntityKind::OtherOutcome, &m.other_outcomes),
        ] {
            for o in list.iter().flatten() {
                let e = f.entity(kind, None, None);
                f.put_in(e, keys::OUTCOME_MEASURE, o.measure);
                f.put_in(e, keys::OUTCOME_DESCRIPTION, o.description);
                f.put_in(e, keys::OUTCOME_TIME_FRAME, o.time_frame);
            }
        }
    }
    if let Some(m) = &p.contacts_locations_module {
        for c in m.central_contacts.iter().flatten() {
            let e = f.entity(EntityKind::Contact, Some("central contact".into()), None);
            contact(&mut f, e, c);
        }
        for o in m.overall_officials.iter().flatten() {
            let e = f.entity(EntityKind::Contact, Some("overall official".into()), None);
            f.put_in(e, keys::CONTACT_NAME, o.name);
            f.put_in(e, keys::CONTACT_AFFILIATION, o.affiliation);
        }
        for l in m.locations.iter().flatten() {
            let e = f.entity(EntityKind::Location, None, None);
            let facility = f.put_in(e, keys::LOCATION_FACILITY, l.facility);
            f.put_in(e, keys::LOCATION_CITY, l.city);
            f.put_in(e, keys::LOCATION_COUNTRY, l.country);
            f.put_in(e, keys::LOCATION_STATUS, l.status);
            if l.contacts.as_ref().is_some_and(|c| !c.is_empty()) {
                let role = site_role(facility.map(|i| &f.rec.fields[i].text));
                for c in l.contacts.iter().flatten() {
                    let ce = f.entity(EntityKind::Contact, Some(role.clone()), Some(e));
                    contact(&mut f, ce, c);
                }
            }
        }
    }
    if let Some(m) = &p.sponsor_collaborators_module {
        if let Some(l) = &m.lead_sponsor {
            f.put(keys::LEAD_SPONSOR, l.name);
        }
        for c in m.collaborators.iter().flatten() {
            f.put(keys::COLLABORATOR, c.name);
        }
        if let Some(rp) = &m.responsible_party {
            if rp.investigator_full_name.is_some() || rp.investigator_affiliation.is_some() {
                let e = f.entity(EntityKind::Contact, Some("responsible party".into()), None);
                f.put_in(e, keys::RESPONSIBLE_PARTY, rp.investigator_full_name);
                f.put_in(e, keys::CONTACT_AFFILIATION, rp.investigator_affiliation);
            }
        }
    }
    if let Some(m) = &p.identification_module {
        if let Some(o) = &m.organization {
            f.put(keys::ORGANIZATION, o.full_name);
        }
    }
    f.rec
}

fn contact(f: &mut Fields, e: usize, c: &Contact) {
    f.put_in(e, keys::CONTACT_NAME, c.name);
    f.put_in(e, keys::CONTACT_PHONE, c.phone);
    f.put_in(e, keys::CONTACT_EMAIL, c.email);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_leaves_point_into_the_input() {
        let input = r#"{"protocolSection": {"identificationModule": {"nctId": "NCT01234567", "briefTitle": "A \\< B"},
 "designModule": {"enrollmentInfo": {"count": 42, "type": "ACTUAL"}}}}"#;
        let recs = read(input).unwrap();
        assert_eq!(recs.len(), 1);
        let r = &recs[0];
        assert_eq!(r.id.as_deref(), Some("NCT01234567"));
        assert_eq!(r.span, Span::new(0, input.len()));
        let t = r.get(keys::TITLE).unwrap();
        assert_eq!(t.text.text, "A < B");
        let s = t.span();
        assert_eq!(&input[s.start..s.end], r"A \\< B");
        let e = r.get(keys::ENROLLMENT).unwrap();
        assert_eq!(&input[e.span().start..e.span().end], "42");
        assert_eq!(e.qualifier.as_ref().unwrap().text, "ACTUAL");
    }

    #[test]
    fn errors_are_placed_in_the_file() {
        let input =
            "[\n{\"protocolSection\": {}},\n{\"protocolSection\": {\"statusModule\": 3}}\n]";
        let e = read(input).unwrap_err();
        assert!(e.contains("line 3"), "{e}");
    }
}
