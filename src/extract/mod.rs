//! Extractors: turn a [`Record`]'s fields into typed [`Fact`]s.
//!
//! One module per kind of fact. Each has `pub fn extract(record, out)` and
//! pushes facts whose `span` is the exact source range they were read from.
//! Facts from a structured field have `origin: Field`; facts found inside
//! prose have `origin: Text` and say how they were read (`how`), which the
//! report shows as a note ("'< 40' read as a maximum of 39 whole years").

pub mod age_groups;
pub mod ages;
pub mod cell_source;
pub mod contacts;
pub mod counts;
pub mod dates;
pub mod design;
pub mod durations;
pub mod enrollment_type;
pub mod follow_up;
pub mod numbers;
pub mod orgs;
pub mod patterns;
pub mod schedule;
pub mod sentences;
pub mod sex;
pub mod status;
pub mod user;
pub mod wanted;

pub use wanted::Wanted;

/// The text of every readable file under `fixtures/`: real prose of every
/// format, on which the extractors' tests compare a fast path or a gate
/// with the search it stands for.
#[cfg(test)]
pub(crate) fn fixture_texts() -> Vec<String> {
    walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
        .into_iter()
        .filter_map(|entry| std::fs::read_to_string(entry.unwrap().path()).ok())
        .collect()
}

/// `count` pseudo-random sequences of `pieces` (xorshift from `seed`),
/// each shorter than `max_len`: inputs for the tests that compare a fast
/// path with what it stands for, the same on every run.
#[cfg(test)]
pub(crate) fn random_sequences<T: Clone>(
    pieces: &[T],
    count: usize,
    max_len: u64,
    seed: u64,
) -> Vec<Vec<T>> {
    // xorshift never leaves zero
    let mut rng = crate::testing::Xorshift::new(seed.max(1));
    let mut next = move || rng.next();
    (0..count)
        .map(|_| {
            // the state moves for every sequence, the empty ones too: it
            // once moved only per piece, so after the first empty
            // sequence every one after it was empty
            let len = next() % max_len;
            (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize].clone())
                .collect()
        })
        .collect()
}

/// [`random_sequences`] of text pieces, each sequence joined into one
/// text.
#[cfg(test)]
pub(crate) fn random_texts(pieces: &[&str], count: usize, max_len: u64, seed: u64) -> Vec<String> {
    random_sequences(pieces, count, max_len, seed)
        .into_iter()
        .map(|t| t.concat())
        .collect()
}

#[cfg(test)]
#[test]
fn random_sequences_go_on_after_an_empty_one() {
    let seqs = random_sequences(&["a", "b"], 2_000, 8, 0x5e7);
    let empty = seqs.iter().filter(|s| s.is_empty()).count();
    // one in eight is empty, and the lengths spread over 0..8
    assert!((150..350).contains(&empty), "{empty} empty");
    assert!(seqs.iter().any(|s| s.len() == 7));
    assert!(random_texts(&["a"], 10, 5, 0).iter().any(|t| !t.is_empty()));
}

/// Asserts that every match of `pattern`, in `examples` and in the
/// fixtures' quoted strings, holds one of the words of `gate`: the gate
/// that lets an extractor skip the pattern in a field without them is
/// then exact. The examples must match (at least as many matches as
/// examples), so the test cannot pass on a pattern that finds nothing.
#[cfg(test)]
pub(crate) fn assert_every_match_holds_a_gate_word(
    pattern: &regex::Regex,
    gate: &patterns::Keywords,
    examples: &[&str],
) {
    let mut texts: Vec<String> = examples.iter().map(|t| t.to_string()).collect();
    for text in fixture_texts() {
        texts.extend(text.split('"').map(str::to_string));
    }
    let mut matched = 0;
    for t in &texts {
        for m in pattern.find_iter(t) {
            matched += 1;
            assert!(gate.is_match(m.as_str()), "{:?}", m.as_str());
        }
    }
    assert!(matched >= examples.len(), "{matched}");
}

use crate::record::Record;
use crate::span::{Span, TextStr};
use std::borrow::Cow;
use std::fmt;

/// Names of the facts the shipped extractors produce. Checks refer to facts
/// by these names; user extractors add their own.
pub mod names {
    /// Structured enrollment count (Int).
    pub const ENROLLMENT: &str = "enrollment";
    /// A number of participants stated in prose ("40 males will be recruited",
    /// "Twenty-two subjects ... enrolled") (Int).
    pub const ENROLLMENT_STATED: &str = "enrollment.stated";
    /// Group count × group size stated in prose ("two groups (n=23 each)") (Groups).
    pub const ENROLLMENT_GROUPS: &str = "enrollment.groups";
    /// The structured enrollment when its qualifier says Actual (Int);
    /// quoted with the qualifier ("40 (Actual)").
    pub const ENROLLMENT_ACTUAL: &str = "enrollment.actual";
    /// The structured enrollment when its qualifier says Estimated /
    /// Anticipated (Int); quoted with the qualifier.
    pub const ENROLLMENT_ESTIMATED: &str = "enrollment.estimated";

    pub const DATE_START: &str = "date.start";
    pub const DATE_PRIMARY_COMPLETION: &str = "date.primary-completion";
    pub const DATE_COMPLETION: &str = "date.completion";
    pub const DATE_FIRST_SUBMITTED: &str = "date.first-submitted";
    pub const DATE_FIRST_POSTED: &str = "date.first-posted";
    pub const DATE_LAST_UPDATE_SUBMITTED: &str = "date.last-update-submitted";
    pub const DATE_LAST_UPDATE_POSTED: &str = "date.last-update-posted";
    pub const DATE_RESULTS_FIRST_POSTED: &str = "date.results-first-posted";
    pub const DATE_VERIFIED: &str = "date.verified";

    /// Structured age limits (Age).
    pub const AGE_MIN: &str = "age.min";
    pub const AGE_MAX: &str = "age.max";
    /// Age limits stated in the inclusion criteria, normalised to inclusive
    /// bounds ("< 40 years" is a maximum of 39) (Age).
    pub const CRITERIA_AGE_MIN: &str = "criteria.age.min";
    pub const CRITERIA_AGE_MAX: &str = "criteria.age.max";

    /// A contact's phone number, digits only with country code when known (Str);
    /// `owner` is the contact entity.
    pub const CONTACT_PHONE: &str = "contact.phone";
    /// A contact's e-mail, lower-cased (Str); `owner` is the contact entity.
    pub const CONTACT_EMAIL: &str = "contact.email";

    /// Mesenchymal stem/stromal cells said to come from umbilical cord BLOOD (Term).
    pub const CELL_CORD_BLOOD_MSC: &str = "cell-source.cord-blood-msc";
    /// Mesenchymal stem/stromal cells said to come from umbilical cord TISSUE,
    /// Wharton's jelly, or "umbilical cord-derived" (Term).
    pub const CELL_CORD_TISSUE_MSC: &str = "cell-source.cord-tissue-msc";
    /// A phrase naming cord blood and cord-derived MSCs as two products
    /// ("umbilical cord blood & umbilical cord derived MSCs") (Term).
    pub const CELL_COMBINATION: &str = "cell-source.combination";

    /// The overall status, normalised: "recruiting", "not-yet-recruiting",
    /// "active-not-recruiting", "completed", "terminated", "withdrawn", ... (Str).
    pub const STATUS: &str = "status";
    /// The longest duration in a primary outcome's time frame (Days).
    pub const PRIMARY_TIME_FRAME: &str = "outcome.primary.time-frame";
    /// The follow-up a primary outcome's time frame requires of every
    /// participant; none for bounds and averages ("up to 5 years") (Days).
    pub const PRIMARY_FOLLOW_UP: &str = "outcome.primary.follow-up";
    /// An enrollment period stated in the text ("enrolled over a period of 1 year") (Days).
    pub const ENROLLMENT_PERIOD: &str = "enrollment.period";

    /// Masking level: "none", "single", "double", "triple", "quadruple" (Str).
    pub const MASKING: &str = "design.masking";
    /// Allocation: "randomized" or "non-randomized" (Str).
    pub const ALLOCATION: &str = "design.allocation";
    /// A placebo, sham or dummy in an arm or intervention (Term); owner: the arm/intervention.
    pub const PLACEBO: &str = "design.placebo";
    /// "double-blind", "placebo-controlled" in the title (Term).
    pub const BLINDING_CLAIMED: &str = "design.blinding-claimed";
    /// The number of groups the text says participants are divided into (Int).
    pub const GROUPS_STATED: &str = "design.groups-stated";
    /// The phase field as a set of phase numbers: "1/2", "3", or "na" (Str).
    pub const PHASE_FIELD: &str = "phase.field";
    /// A phase named in the title, same form (Str).
    pub const PHASE_TITLE: &str = "phase.title";
    /// An intervention of type Drug or Biological (Term); owner: the intervention.
    pub const DRUG_INTERVENTION: &str = "intervention.drug";
    /// An organisation's name as listed (sponsor, facility, affiliation) (Str).
    pub const ORG_NAME: &str = "org.name";
    /// The sex field: "all", "male" or "female" (Str).
    pub const SEX: &str = "sex";
    /// The one sex the inclusion criteria define the participants by
    /// ("Males with ... aged 50 to 70"): "male" or "female" (Str).
    pub const CRITERIA_SEX: &str = "criteria.sex";
    /// A list of two or more visits or doses in one unit of time in an
    /// outcome's measure, description or time frame ("Day 180 and Day 270",
    /// "at 3, 6 and 12 months") (Schedule); owner: the outcome.
    pub const SCHEDULE_OUTCOME: &str = "schedule.outcome";
    /// The same in the brief summary, detailed description, arm and
    /// intervention descriptions (Schedule); owner: the arm or intervention.
    pub const SCHEDULE_DESIGN: &str = "schedule.design";
    /// An age group the record lists (Child, Adult, Older Adult),
    /// normalised: "child", "adult" or "older-adult" (Str).
    pub const AGE_GROUP: &str = "age.group";

    /// Every name above (user checks may only read these, names read by a
    /// shipped check, and names a user extractor produces).
    pub const ALL: &[&str] = &[
        ENROLLMENT,
        ENROLLMENT_STATED,
        ENROLLMENT_GROUPS,
        ENROLLMENT_ACTUAL,
        ENROLLMENT_ESTIMATED,
        DATE_START,
        DATE_PRIMARY_COMPLETION,
        DATE_COMPLETION,
        DATE_FIRST_SUBMITTED,
        DATE_FIRST_POSTED,
        DATE_LAST_UPDATE_SUBMITTED,
        DATE_LAST_UPDATE_POSTED,
        DATE_RESULTS_FIRST_POSTED,
        DATE_VERIFIED,
        AGE_MIN,
        AGE_MAX,
        CRITERIA_AGE_MIN,
        CRITERIA_AGE_MAX,
        CONTACT_PHONE,
        CONTACT_EMAIL,
        CELL_CORD_BLOOD_MSC,
        CELL_CORD_TISSUE_MSC,
        CELL_COMBINATION,
        STATUS,
        PRIMARY_TIME_FRAME,
        PRIMARY_FOLLOW_UP,
        ENROLLMENT_PERIOD,
        MASKING,
        ALLOCATION,
        PLACEBO,
        BLINDING_CLAIMED,
        GROUPS_STATED,
        PHASE_FIELD,
        PHASE_TITLE,
        DRUG_INTERVENTION,
        ORG_NAME,
        SEX,
        CRITERIA_SEX,
        SCHEDULE_OUTCOME,
        SCHEDULE_DESIGN,
        AGE_GROUP,
    ];
}

/// Where a fact was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The whole value of a structured field.
    Field,
    /// Found inside free text.
    Text,
}

/// Whether a date is reported as having happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateStatus {
    Actual,
    /// "Estimated", "Anticipated", "Expected".
    Estimated,
    Unspecified,
}

/// A calendar date as precise as the record gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub status: DateStatus,
}

impl Date {
    /// Compare at the precision both dates share: `2022-06` and
    /// `2022-06-01` are equal, `2022-06` is before `2022-07-01`.
    pub fn cmp_common(&self, other: &Date) -> std::cmp::Ordering {
        let a = (self.year, self.month, self.day);
        let b = (other.year, other.month, other.day);
        match a.0.cmp(&b.0) {
            std::cmp::Ordering::Equal => {}
            o => return o,
        }
        match (a.1, b.1) {
            (Some(x), Some(y)) if x != y => return x.cmp(&y),
            (Some(_), Some(_)) => {}
            _ => return std::cmp::Ordering::Equal,
        }
        match (a.2, b.2) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => std::cmp::Ordering::Equal,
        }
    }

    /// The earliest calendar day the date can mean.
    pub fn first_day(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The latest calendar day the date can mean.
    pub fn last_day(&self) -> Option<chrono::NaiveDate> {
        let month = self.month.unwrap_or(12);
        if let Some(d) = self.day {
            return chrono::NaiveDate::from_ymd_opt(self.year, month, d);
        }
        let (ny, nm) = if month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, month + 1)
        };
        chrono::NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{:02}", m)?;
            if let Some(d) = self.day {
                write!(f, "-{:02}", d)?;
            }
        }
        Ok(())
    }
}

/// A fact's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    /// `groups` groups of `size` each.
    Groups {
        groups: i64,
        size: i64,
    },
    Date(Date),
    /// An age in years (fractional for months, weeks, days).
    Age(f64),
    /// A normalised string (phone digits, lower-cased e-mail, a status).
    Str(TextStr),
    /// A term class was mentioned; the string is the class name.
    Term(TextStr),
    /// A length of time in days (fractional for months and years).
    Days(f64),
    /// Time points in one unit ("day 180, day 270").
    Schedule(schedule::Schedule),
}

impl Value {
    /// The number a count-like value stands for (groups × size for Groups).
    pub fn as_count(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            Value::Groups { groups, size } => Some(groups * size),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(n) => write!(f, "{n}"),
            Value::Groups { groups, size } => {
                write!(f, "{groups} groups × {size} = {}", groups * size)
            }
            Value::Date(d) => write!(f, "{d}"),
            Value::Age(y) => {
                if (y - y.round()).abs() < 1e-9 {
                    write!(f, "{} years", y.round() as i64)
                } else {
                    write!(f, "{:.1} years", y)
                }
            }
            Value::Str(s) | Value::Term(s) => write!(f, "{s}"),
            Value::Days(d) => write!(f, "{d:.0} days"),
            Value::Schedule(s) => write!(f, "{s}"),
        }
    }
}

/// One typed fact with its source.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub name: Cow<'static, str>,
    pub value: Value,
    /// Exact source bytes the fact was read from.
    pub span: Span,
    /// Index into `Record::fields` of the field it was read from.
    pub field: usize,
    pub origin: Origin,
    /// The entity the fact belongs to (the contact a phone number is listed
    /// for), if any.
    pub owner: Option<usize>,
    /// The decoded text that was read, as shown in messages. Most are short
    /// (a date, a number, a status) and are kept in the fact itself
    /// ([`TextStr`]): a `String` was an allocation for every fact.
    pub quote: TextStr,
    /// How the value was read, when that is not obvious from the quote.
    pub how: Option<String>,
}

impl Fact {
    pub fn new(
        name: &'static str,
        value: Value,
        span: Span,
        field: usize,
        origin: Origin,
        quote: impl Into<TextStr>,
    ) -> Fact {
        Fact {
            name: Cow::Borrowed(name),
            value,
            span,
            field,
            origin,
            owner: None,
            quote: quote.into(),
            how: None,
        }
    }
    pub fn with_owner(mut self, owner: Option<usize>) -> Fact {
        self.owner = owner;
        self
    }
    pub fn with_how(mut self, how: impl Into<String>) -> Fact {
        self.how = Some(how.into());
        self
    }
}

/// A shipped extractor: its name, the names of the facts it gives (a test
/// holds it to them), and how it runs. `inclusion` finds a record's
/// inclusion criteria once for `ages` and `sex`, which both read them.
pub struct Extractor {
    pub name: &'static str,
    pub gives: &'static [&'static str],
    run: fn(record: &Record, inclusion: &ages::Inclusion, out: &mut Vec<Fact>),
}

/// The shipped extractors, in the order they run.
pub const SHIPPED: &[Extractor] = &[
    Extractor {
        name: "counts",
        gives: &[
            names::ENROLLMENT,
            names::ENROLLMENT_STATED,
            names::ENROLLMENT_GROUPS,
        ],
        run: |r, _, out| counts::extract(r, out),
    },
    Extractor {
        name: "dates",
        gives: &[
            names::DATE_START,
            names::DATE_PRIMARY_COMPLETION,
            names::DATE_COMPLETION,
            names::DATE_FIRST_SUBMITTED,
            names::DATE_FIRST_POSTED,
            names::DATE_LAST_UPDATE_SUBMITTED,
            names::DATE_LAST_UPDATE_POSTED,
            names::DATE_RESULTS_FIRST_POSTED,
            names::DATE_VERIFIED,
        ],
        run: |r, _, out| dates::extract(r, out),
    },
    Extractor {
        name: "ages",
        gives: &[
            names::AGE_MIN,
            names::AGE_MAX,
            names::CRITERIA_AGE_MIN,
            names::CRITERIA_AGE_MAX,
        ],
        run: ages::extract,
    },
    Extractor {
        name: "contacts",
        gives: &[names::CONTACT_PHONE, names::CONTACT_EMAIL],
        run: |r, _, out| contacts::extract(r, out),
    },
    Extractor {
        name: "cell_source",
        gives: &[
            names::CELL_CORD_BLOOD_MSC,
            names::CELL_CORD_TISSUE_MSC,
            names::CELL_COMBINATION,
        ],
        run: |r, _, out| cell_source::extract(r, out),
    },
    Extractor {
        name: "status",
        gives: &[names::STATUS],
        run: |r, _, out| status::extract(r, out),
    },
    Extractor {
        name: "design",
        gives: &[
            names::MASKING,
            names::ALLOCATION,
            names::PLACEBO,
            names::BLINDING_CLAIMED,
            names::GROUPS_STATED,
            names::PHASE_FIELD,
            names::PHASE_TITLE,
            names::DRUG_INTERVENTION,
        ],
        run: |r, _, out| design::extract(r, out),
    },
    Extractor {
        name: "orgs",
        gives: &[names::ORG_NAME],
        run: |r, _, out| orgs::extract(r, out),
    },
    Extractor {
        name: "time_frames",
        gives: &[names::PRIMARY_TIME_FRAME],
        run: |r, _, out| durations::time_frames(r, out),
    },
    Extractor {
        name: "enrollment_periods",
        gives: &[names::ENROLLMENT_PERIOD],
        run: |r, _, out| durations::enrollment_periods(r, out),
    },
    Extractor {
        name: "enrollment_type",
        gives: &[names::ENROLLMENT_ACTUAL, names::ENROLLMENT_ESTIMATED],
        run: |r, _, out| enrollment_type::extract(r, out),
    },
    Extractor {
        name: "follow_up",
        gives: &[names::PRIMARY_FOLLOW_UP],
        run: |r, _, out| follow_up::extract(r, out),
    },
    Extractor {
        name: "sex",
        gives: &[names::SEX, names::CRITERIA_SEX],
        run: sex::extract,
    },
    Extractor {
        name: "schedule",
        gives: &[names::SCHEDULE_OUTCOME, names::SCHEDULE_DESIGN],
        run: |r, _, out| schedule::extract(r, out),
    },
    Extractor {
        name: "age_groups",
        gives: &[names::AGE_GROUP],
        run: |r, _, out| age_groups::extract(r, out),
    },
];

/// Run every shipped extractor over a record.
pub fn extract(record: &Record) -> Vec<Fact> {
    extract_for(record, Wanted::ALL)
}

/// Run the shipped extractors `wanted` asks for over a record.
pub fn extract_for(record: &Record, wanted: Wanted) -> Vec<Fact> {
    // room for a fact per field (most fields give none, a few several):
    // the list grew from nothing by doubling, each step a copy of every
    // fact so far
    let mut out = Vec::with_capacity(record.fields.len());
    let inclusion = ages::Inclusion::default();
    for (i, e) in SHIPPED.iter().enumerate() {
        if wanted.has(i) {
            (e.run)(record, &inclusion, &mut out);
        }
    }
    out
}

/// Run every shipped extractor, then the user's extractors, over a record.
pub fn extract_with(record: &Record, user_extractors: &[user::UserExtractor]) -> Vec<Fact> {
    extract_with_for(record, user_extractors, Wanted::ALL)
}

/// Run the shipped extractors `wanted` asks for, then every user extractor,
/// over a record.
pub fn extract_with_for(
    record: &Record,
    user_extractors: &[user::UserExtractor],
    wanted: Wanted,
) -> Vec<Fact> {
    let mut out = extract_for(record, wanted);
    user::extract(record, user_extractors, &mut out);
    out
}
