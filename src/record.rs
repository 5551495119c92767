//! The one record model every reader produces.
//!
//! A record is a flat list of [`Field`]s, each a decoded [`Text`] that knows
//! its source bytes, under a canonical key from [`keys`]. Fields that belong
//! together (the name, phone and e-mail of one contact; the label and
//! description of one arm) share an [`Entity`]. Readers for JSON, XML, HTML and
//! page text all emit the same keys, so extractors and checks are written once.

use crate::span::{Span, Text};
use rustc_hash::FxHashMap;
use std::fmt;
use std::sync::Mutex;

/// Canonical field keys. A reader maps whatever its format calls a field onto
/// one of these; the list is the vocabulary user checks can name.
pub mod keys {
    // identification
    pub const ID: &str = "id";
    pub const TITLE: &str = "title";
    pub const OFFICIAL_TITLE: &str = "official_title";
    pub const ACRONYM: &str = "acronym";
    // status
    pub const STATUS: &str = "status";
    pub const WHY_STOPPED: &str = "why_stopped";
    // dates: the qualifier (Actual / Estimated / Anticipated) goes in Field::qualifier
    pub const START_DATE: &str = "start_date";
    pub const PRIMARY_COMPLETION_DATE: &str = "primary_completion_date";
    pub const COMPLETION_DATE: &str = "completion_date";
    pub const FIRST_SUBMITTED: &str = "first_submitted";
    pub const FIRST_SUBMITTED_QC: &str = "first_submitted_qc";
    pub const FIRST_POSTED: &str = "first_posted";
    pub const LAST_UPDATE_SUBMITTED: &str = "last_update_submitted";
    pub const LAST_UPDATE_POSTED: &str = "last_update_posted";
    pub const RESULTS_FIRST_POSTED: &str = "results_first_posted";
    pub const VERIFIED_DATE: &str = "verified_date";
    // design
    pub const ENROLLMENT: &str = "enrollment"; // qualifier: Actual / Estimated
    pub const STUDY_TYPE: &str = "study_type";
    pub const PHASE: &str = "phase"; // may repeat
    pub const ALLOCATION: &str = "allocation";
    pub const INTERVENTION_MODEL: &str = "intervention_model";
    pub const MASKING: &str = "masking";
    pub const PRIMARY_PURPOSE: &str = "primary_purpose";
    // eligibility
    pub const MIN_AGE: &str = "min_age";
    pub const MAX_AGE: &str = "max_age";
    pub const SEX: &str = "sex";
    pub const AGE_GROUP: &str = "age_group"; // may repeat: Child / Adult / Older Adult
    pub const HEALTHY_VOLUNTEERS: &str = "healthy_volunteers";
    pub const GENDER_DESCRIPTION: &str = "gender_description";
    pub const ELIGIBILITY: &str = "eligibility"; // the criteria text
                                                 // descriptions (free text)
    pub const BRIEF_SUMMARY: &str = "brief_summary";
    pub const DETAILED_DESCRIPTION: &str = "detailed_description";
    pub const CONDITION: &str = "condition"; // may repeat
    pub const KEYWORD: &str = "keyword"; // may repeat
                                         // arms (entity kind Arm)
    pub const ARM_LABEL: &str = "arm.label";
    pub const ARM_TYPE: &str = "arm.type";
    pub const ARM_DESCRIPTION: &str = "arm.description";
    pub const ARM_INTERVENTION: &str = "arm.intervention";
    // interventions (entity kind Intervention)
    pub const INTERVENTION_TYPE: &str = "intervention.type";
    pub const INTERVENTION_NAME: &str = "intervention.name";
    pub const INTERVENTION_DESCRIPTION: &str = "intervention.description";
    pub const INTERVENTION_OTHER_NAME: &str = "intervention.other_name";
    // outcomes (entity kind PrimaryOutcome / SecondaryOutcome / OtherOutcome)
    pub const OUTCOME_MEASURE: &str = "outcome.measure";
    pub const OUTCOME_DESCRIPTION: &str = "outcome.description";
    pub const OUTCOME_TIME_FRAME: &str = "outcome.time_frame";
    // people (entity kind Contact; Entity::role says which list they were in)
    pub const CONTACT_NAME: &str = "contact.name";
    pub const CONTACT_PHONE: &str = "contact.phone";
    pub const CONTACT_EMAIL: &str = "contact.email";
    pub const CONTACT_AFFILIATION: &str = "contact.affiliation";
    // organisations
    pub const LEAD_SPONSOR: &str = "sponsor.lead";
    pub const COLLABORATOR: &str = "sponsor.collaborator";
    pub const RESPONSIBLE_PARTY: &str = "responsible_party";
    pub const ORGANIZATION: &str = "organization";
    // locations (entity kind Location)
    pub const LOCATION_FACILITY: &str = "location.facility";
    pub const LOCATION_CITY: &str = "location.city";
    pub const LOCATION_COUNTRY: &str = "location.country";
    pub const LOCATION_STATUS: &str = "location.status";

    /// Keys whose value is prose rather than a structured value. Text
    /// extractors (counts in sentences, ages in criteria, cell-source terms)
    /// read these.
    pub const PROSE: &[&str] = &[
        TITLE,
        OFFICIAL_TITLE,
        BRIEF_SUMMARY,
        DETAILED_DESCRIPTION,
        ELIGIBILITY,
        GENDER_DESCRIPTION,
        ARM_LABEL,
        ARM_DESCRIPTION,
        INTERVENTION_NAME,
        INTERVENTION_DESCRIPTION,
        INTERVENTION_OTHER_NAME,
        OUTCOME_MEASURE,
        OUTCOME_DESCRIPTION,
        OUTCOME_TIME_FRAME,
        WHY_STOPPED,
    ];

    pub fn is_prose(key: &str) -> bool {
        PROSE.contains(&key)
    }

    /// The name a reader of the record would use for a field, for messages.
    pub fn label(key: &str) -> &'static str {
        match key {
            ID => "identifier",
            TITLE => "brief title",
            OFFICIAL_TITLE => "official title",
            STATUS => "overall status",
            START_DATE => "study start date",
            PRIMARY_COMPLETION_DATE => "primary completion date",
            COMPLETION_DATE => "study completion date",
            FIRST_SUBMITTED => "first submitted date",
            FIRST_SUBMITTED_QC => "first submitted (QC) date",
            FIRST_POSTED => "first posted date",
            LAST_UPDATE_SUBMITTED => "last update submitted date",
            LAST_UPDATE_POSTED => "last update posted date",
            RESULTS_FIRST_POSTED => "results first posted date",
            VERIFIED_DATE => "last verified date",
            ENROLLMENT => "enrollment",
            PHASE => "phase",
            MASKING => "masking",
            ALLOCATION => "allocation",
            INTERVENTION_MODEL => "intervention model",
            MIN_AGE => "minimum age",
            MAX_AGE => "maximum age",
            SEX => "sex",
            AGE_GROUP => "age group",
            ELIGIBILITY => "eligibility criteria",
            BRIEF_SUMMARY => "brief summary",
            DETAILED_DESCRIPTION => "detailed description",
            CONDITION => "conditions",
            ARM_LABEL => "arm",
            ARM_DESCRIPTION => "arm description",
            INTERVENTION_NAME => "intervention",
            INTERVENTION_DESCRIPTION => "intervention description",
            INTERVENTION_OTHER_NAME => "intervention other name",
            OUTCOME_MEASURE => "outcome measure",
            OUTCOME_DESCRIPTION => "outcome description",
            OUTCOME_TIME_FRAME => "outcome time frame",
            CONTACT_NAME => "contact name",
            CONTACT_PHONE => "contact phone",
            CONTACT_EMAIL => "contact e-mail",
            LEAD_SPONSOR => "lead sponsor",
            COLLABORATOR => "collaborator",
            RESPONSIBLE_PARTY => "responsible party",
            LOCATION_FACILITY => "facility",
            _ => "field",
        }
    }
}

/// What a group of fields describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Arm,
    Intervention,
    PrimaryOutcome,
    SecondaryOutcome,
    OtherOutcome,
    Contact,
    Location,
}

/// A group of fields that describe one thing (one arm, one contact person).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub kind: EntityKind,
    /// Where the entity was listed, in the record's own words
    /// ("central contact", "site contact: Beijing 302 Hospital",
    /// "overall official", "responsible party").
    pub role: Option<String>,
    /// The enclosing entity (a site contact's location).
    pub parent: Option<usize>,
}

/// One value of the record, decoded, with its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// A key from [`keys`] (readers may add others, prefixed `x.`). Keys
    /// are almost always the constants, so they are borrowed, not copied
    /// into every field (one allocation less per field).
    pub key: std::borrow::Cow<'static, str>,
    pub text: Text,
    /// "Actual", "Estimated", "Anticipated" for dates and enrollment, as written.
    pub qualifier: Option<Text>,
    /// Index into [`Record::entities`].
    pub entity: Option<usize>,
    /// Which of the extractors' gate words the text holds, found on first
    /// use by `extract::patterns::gate_words`.
    pub gate_words: GateWords,
}

/// A field's gate words (see `extract::patterns::gate_words`): a cache,
/// so it takes no part in comparing fields.
#[derive(Clone, Debug, Default)]
pub struct GateWords(pub std::sync::OnceLock<u64>);

impl PartialEq for GateWords {
    fn eq(&self, _: &GateWords) -> bool {
        true
    }
}

impl Eq for GateWords {}

impl Field {
    pub fn span(&self) -> Span {
        self.text.whole_span()
    }
    pub fn value(&self) -> &str {
        self.text.text.trim()
    }
}

/// One registry record, as read from one source file (a file may hold many).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// The registry identifier (NCT number, EudraCT number, ...), if found.
    pub id: Option<String>,
    /// The reader that produced it: `ctgov-json`, `text:ctgov-classic`, ...
    pub format: String,
    /// The span of the whole record in its file.
    pub span: Span,
    pub fields: Vec<Field>,
    pub entities: Vec<Entity>,
    /// Which fields belong to which entity, for [`Record::entity_get`].
    index: EntityIndex,
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("id", &self.id)
            .field("format", &self.format)
            .field("span", &self.span)
            .field("fields", &self.fields)
            .field("entities", &self.entities)
            .finish()
    }
}

/// The fields of each entity, so that [`Record::entity_get`] does not scan
/// every field: asked for the name of each of 20,000 contacts, a scan would
/// take 20,000 × 100,000 steps. Built on first use and extended as fields
/// are appended (readers ask while they still add fields); rebuilt when the
/// field list was replaced or shortened. Every field a lookup returns is
/// checked against the entity and key asked for, so an index that missed an
/// in-place change of a field's entity could miss that field but never
/// return a wrong one (no reader changes a field's entity once pushed).
///
/// Not part of the record's value: a clone starts with an empty index, and
/// equality and `Debug` ignore it.
#[derive(Default)]
struct EntityIndex(Mutex<IndexState>);

/// What [`EntityIndex`] holds. Each entity's fields are a chain through `next` (one slot per field)
/// from the entity's first field to its last: a list per entity was two or
/// three allocations per entity of every record.
#[derive(Default)]
struct IndexState {
    /// The field list indexed: its buffer's address and how many of its
    /// fields are indexed.
    buffer: usize,
    indexed: usize,
    /// Entity → the first and the last of its fields.
    ends: FxHashMap<usize, (usize, usize)>,
    /// Field → the next field of its entity, or `usize::MAX` (for a field
    /// of no entity too).
    next: Vec<usize>,
}

/// The indices of one entity's fields, in field order: a walk along
/// [`IndexState::next`].
struct Chain<'s> {
    next: &'s [usize],
    at: usize,
}

impl Iterator for Chain<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        let i = self.at;
        self.at = *self.next.get(i)?;
        Some(i)
    }
}

impl EntityIndex {
    /// Run `f` over the indices of `entity`'s fields (in field order,
    /// possibly with stale ones the caller must check), after indexing
    /// whatever was appended since the last call.
    fn with<R>(&self, all: &[Field], entity: usize, f: impl FnOnce(Chain<'_>) -> R) -> R {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let st = &mut *guard;
        let buffer = all.as_ptr() as usize;
        if st.buffer != buffer || st.indexed > all.len() {
            st.ends.clear();
            st.next.clear();
            st.indexed = 0;
            st.buffer = buffer;
        }
        let from = st.indexed;
        st.next.resize(all.len(), usize::MAX);
        for (i, fl) in all[from..].iter().enumerate() {
            let i = from + i;
            if let Some(e) = fl.entity {
                match st.ends.get_mut(&e) {
                    Some((_, last)) => {
                        st.next[*last] = i;
                        *last = i;
                    }
                    None => {
                        st.ends.insert(e, (i, i));
                    }
                }
            }
        }
        st.indexed = all.len();
        let at = st.ends.get(&entity).map_or(usize::MAX, |&(first, _)| first);
        f(Chain { next: &st.next, at })
    }
}

impl Clone for EntityIndex {
    fn clone(&self) -> Self {
        EntityIndex::default()
    }
}

impl PartialEq for EntityIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for EntityIndex {}

impl Record {
    pub fn new(format: impl Into<String>) -> Record {
        Record {
            format: format.into(),
            ..Record::default()
        }
    }

    /// Room from the start for the fields and entities of a study whose
    /// source is `len` bytes: it has a field per 80 bytes or more in API v2
    /// JSON (99% of the corpus) and fewer than one per 64 in legacy XML,
    /// and fewer entities than one per 256 bytes plus eight (all but 12 of
    /// 6,000 benchmark and corpus XML records; 17 on average). A vector
    /// grown by doubling copies itself into fresh memory at every step: the
    /// largest share of a run's cache misses on writes (cachegrind), and
    /// three reallocations of the entities a legacy XML record.
    ///
    /// At least `fields` fields when the reader knows more (a legacy XML
    /// study's elements: one with thousands of sites has more fields than
    /// one per 64 bytes, and its vector doubled itself, copying, five or
    /// six times).
    pub fn reserve_for(&mut self, len: usize, fields: usize) {
        self.fields.reserve((len / 64 + 16).max(fields));
        self.entities.reserve(len / 256 + 8);
    }

    /// Add a field; empty texts are kept (an empty required section is a
    /// finding in itself), callers skip what they did not find at all.
    pub fn push(&mut self, key: impl Into<std::borrow::Cow<'static, str>>, text: Text) -> usize {
        self.push_field(Field {
            key: key.into(),
            text,
            qualifier: None,
            entity: None,
            gate_words: Default::default(),
        })
    }

    pub fn push_field(&mut self, field: Field) -> usize {
        self.fields.push(field);
        self.fields.len() - 1
    }

    /// Add a field that belongs to an entity.
    pub fn push_in(
        &mut self,
        entity: usize,
        key: impl Into<std::borrow::Cow<'static, str>>,
        text: Text,
    ) -> usize {
        self.push_field(Field {
            key: key.into(),
            text,
            qualifier: None,
            entity: Some(entity),
            gate_words: Default::default(),
        })
    }

    pub fn add_entity(
        &mut self,
        kind: EntityKind,
        role: Option<String>,
        parent: Option<usize>,
    ) -> usize {
        self.entities.push(Entity { kind, role, parent });
        self.entities.len() - 1
    }

    /// The first field with this key.
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Every field with this key.
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields.iter().filter(move |f| f.key == key)
    }

    /// The fields of one entity, in field order.
    pub fn entity_fields(&self, entity: usize) -> impl Iterator<Item = &Field> + '_ {
        let ids: Vec<usize> = self.index.with(&self.fields, entity, |ids| ids.collect());
        ids.into_iter()
            .filter_map(|i| self.fields.get(i))
            .filter(move |f| f.entity == Some(entity))
    }

    /// The value of `key` within an entity: its first field with that key.
    pub fn entity_get(&self, entity: usize, key: &str) -> Option<&Field> {
        let at = self.index.with(&self.fields, entity, |mut ids| {
            ids.find(|&i| {
                self.fields
                    .get(i)
                    .is_some_and(|f| f.entity == Some(entity) && f.key == key)
            })
        });
        at.map(|i| &self.fields[i])
    }

    /// A name for the record in messages: its id, else its format.
    pub fn display_id(&self) -> &str {
        self.id.as_deref().unwrap_or("(no id)")
    }
}

/// The first field with one key of each entity: what
/// [`Record::entity_get`] answers for that key, for every entity, read in
/// one pass over the record's fields.
///
/// `entity_get` indexes every field of every entity on its first call in a
/// record (a hash map of the entities and a chain through their fields),
/// and phone-valid, distinct-owner and email-owner, which ask for a
/// contact's name or a site's country, were the only ones to call it on
/// most records: building the index was about 25,000 instructions a
/// record with contacts. This pass compares each field's key once; a test
/// holds it to the very field `entity_get` finds.
pub struct EntityFields<'r> {
    record: &'r Record,
    key: &'r str,
    /// By entity of the record's list: its first field with the key.
    first: Vec<Option<&'r Field>>,
}

impl<'r> EntityFields<'r> {
    pub fn new(record: &'r Record, key: &'r str) -> EntityFields<'r> {
        let mut first = vec![None; record.entities.len()];
        for f in &record.fields {
            if let Some(slot) = f.entity.and_then(|e| first.get_mut(e)) {
                if slot.is_none() && f.key == key {
                    *slot = Some(f);
                }
            }
        }
        EntityFields { record, key, first }
    }

    /// The entity's first field with the key. (A field can name an entity
    /// the record does not list; no reader makes one, and `entity_get`
    /// answers for it.)
    pub fn get(&self, entity: usize) -> Option<&'r Field> {
        match self.first.get(entity) {
            Some(f) => *f,
            None => self.record.entity_get(entity, self.key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `EntityFields` gives the field `entity_get` gives, the same one, for
    /// every key and entity of 5,000 random records: fields of entities
    /// in any order, repeated keys, fields of no entity and of entities
    /// the record does not list.
    #[test]
    fn entity_fields_are_what_entity_get_finds() {
        use crate::span::Text;
        let keys = [
            keys::CONTACT_NAME,
            keys::CONTACT_PHONE,
            keys::LOCATION_COUNTRY,
            "x.other",
        ];
        let mut rng = crate::testing::Xorshift::new(0x853c_49e6_748f_ea9b);
        let (mut found, mut missing) = (0, 0);
        for _ in 0..5_000 {
            let mut r = Record::new("test");
            let entities = rng.below(8) as usize;
            for _ in 0..entities {
                r.add_entity(EntityKind::Contact, None, None);
            }
            for k in 0..rng.below(40) {
                let key = keys[rng.below(keys.len() as u64) as usize];
                let text = Text::verbatim(&k.to_string(), 0);
                match rng.below(entities as u64 + 3) as usize {
                    0 => r.push(key, text),
                    e => r.push_in(e - 1, key, text),
                };
            }
            for key in keys {
                let ours = EntityFields::new(&r, key);
                for e in 0..entities + 3 {
                    let (a, b) = (ours.get(e), r.entity_get(e, key));
                    assert!(
                        match (a, b) {
                            (Some(a), Some(b)) => std::ptr::eq(a, b),
                            (None, None) => true,
                            _ => false,
                        },
                        "{key} {e}: {a:?} {b:?}"
                    );
                    if a.is_some() {
                        found += 1;
                    } else {
                        missing += 1;
                    }
                }
            }
        }
        assert!(found > 20_000 && missing > 20_000, "{found} {missing}");
    }

    fn scan<'a>(r: &'a Record, e: usize, key: &str) -> Option<&'a Field> {
        r.fields
            .iter()
            .find(|f| f.entity == Some(e) && f.key == key)
    }

    #[test]
    fn entity_lookups_follow_the_fields_as_they_change() {
        let mut r = Record::new("test");
        let t = |s: &str| Text::verbatim(s, 0);
        let a = r.add_entity(EntityKind::Contact, None, None);
        r.push_in(a, keys::CONTACT_NAME, t("A"));
        // asked while the record is still being read
        assert_eq!(r.entity_get(a, keys::CONTACT_NAME).unwrap().value(), "A");
        assert!(r.entity_get(a, keys::CONTACT_PHONE).is_none());
        let b = r.add_entity(EntityKind::Contact, None, None);
        r.push_in(b, keys::CONTACT_NAME, t("B"));
        r.push(keys::TITLE, t("title"));
        r.push_in(a, keys::CONTACT_PHONE, t("1"));
        r.push_in(a, keys::CONTACT_PHONE, t("2"));
        for _ in 0..100 {
            r.push_in(b, keys::CONTACT_EMAIL, t("b@x.org"));
        }
        for (e, k) in [
            (a, keys::CONTACT_NAME),
            (a, keys::CONTACT_PHONE),
            (b, keys::CONTACT_NAME),
            (b, keys::CONTACT_EMAIL),
            (b, keys::CONTACT_PHONE),
            (7, keys::CONTACT_NAME),
        ] {
            assert_eq!(r.entity_get(e, k), scan(&r, e, k), "{e} {k}");
        }
        let phones: Vec<&str> = r.entity_fields(a).map(|f| f.value()).collect();
        assert_eq!(phones, ["A", "1", "2"]);
        // a clone, a shortened and a replaced field list
        let c = r.clone();
        assert_eq!(c.entity_get(a, keys::CONTACT_PHONE).unwrap().value(), "1");
        assert_eq!(c, r);
        r.fields.truncate(1);
        assert!(r.entity_get(a, keys::CONTACT_PHONE).is_none());
        assert_eq!(r.entity_fields(b).count(), 0);
        r.fields = c.fields.iter().rev().cloned().collect();
        assert_eq!(r.entity_get(a, keys::CONTACT_PHONE).unwrap().value(), "2");
        assert_eq!(r.entity_fields(b).count(), 101);
    }
}
