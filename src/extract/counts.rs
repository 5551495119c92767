//! Enrollment counts: the structured enrollment field, numbers of
//! participants stated in prose, and group count × group size.
//!
//! Prose is read sentence by sentence and only where the sentence says that
//! THIS study enrols them ("will be recruited", "a total of", "sample
//! size"). Numbers about earlier studies, per-group counts, percentages,
//! ages, ranges, bounds ("up to 40") and approximations ("approximately
//! 400") are not read as a stated enrollment: a linter that guesses cries wolf.

use super::names;
use super::numbers::{find_nums_into, parse_number, Num};
use super::{Fact, Origin, Value};
use crate::record::{keys, Field, Record};
use regex::Regex;
use std::sync::LazyLock;

use super::sentences;

/// Prose fields read for stated counts and group sizes.
const COUNT_FIELDS: &[&str] = &[
    keys::BRIEF_SUMMARY,
    keys::DETAILED_DESCRIPTION,
    keys::OFFICIAL_TITLE,
    keys::TITLE,
];

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        if f.key == keys::ENROLLMENT {
            enrollment_field(i, f, out);
        } else if COUNT_FIELDS.contains(&f.key.as_ref()) {
            prose(i, f, out);
        }
    }
}

fn enrollment_field(i: usize, f: &Field, out: &mut Vec<Fact>) {
    let t = f.text.as_str();
    // The value is a number, optionally followed by a unit ("158 participants").
    let trimmed = t.trim_start();
    let lead = t.len() - trimmed.len();
    let b = trimmed.as_bytes();
    let mut e = 0;
    while e < b.len()
        && (b[e].is_ascii_digit()
            || (b[e] == b',' && e > 0 && b.get(e + 1).is_some_and(|d| d.is_ascii_digit())))
    {
        e += 1;
    }
    if e == 0 {
        return;
    }
    // "12.5" or "12abc" is not a count
    if b.get(e)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.')
    {
        return;
    }
    // nor is "1 200" read as 1
    if trimmed[e..]
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit())
    {
        return;
    }
    let Some(v) = parse_number(&trimmed[..e]) else {
        return;
    };
    let (s, en) = (lead, lead + e);
    out.push(Fact::new(
        names::ENROLLMENT,
        Value::Int(v),
        f.text.span(s, en),
        i,
        Origin::Field,
        &t[s..en],
    ));
}

// ---------------------------------------------------------------- prose

const NOUNS: &str = r"participants?|patients?|subjects?|volunteers?|men|women|males|females|children|adults|individuals|people|persons|cases|infants|neonates|newborns|adolescents|boys|girls|mothers|students|athletes|smokers|survivors|recipients|donors|residents|workers|elderly|outpatients|inpatients|pregnancies";

#[cfg(test)]
static NOUN_RE: LazyLock<Regex> =
    LazyLock::new(|| crate::extract::patterns::compile(&format!(r"(?i)^(?:{NOUNS})\b")).unwrap());

/// The length of the noun of people `s` starts with: what `NOUN_RE`
/// (`(?i)^(?:NOUNS)\b`, ASCII case folding and word boundary) matches.
///
/// Each of its alternatives is a word of ASCII letters that must be
/// followed by a non-word byte, so a match is the whole run of ASCII word
/// bytes `s` starts with, and that run is one of the words: it is compared
/// in place. The regex ran for every word after every number of every
/// sentence (a search costs some 400 instructions).
fn noun_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let n = b
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
        .unwrap_or(b.len());
    // "participants" is the longest
    if !(3..=12).contains(&n) {
        return None;
    }
    let mut buf = [0u8; 12];
    buf[..n].copy_from_slice(&b[..n]);
    buf[..n].make_ascii_lowercase();
    matches!(
        &buf[..n],
        b"participant"
            | b"participants"
            | b"patient"
            | b"patients"
            | b"subject"
            | b"subjects"
            | b"volunteer"
            | b"volunteers"
            | b"men"
            | b"women"
            | b"males"
            | b"females"
            | b"children"
            | b"adults"
            | b"individuals"
            | b"people"
            | b"persons"
            | b"cases"
            | b"infants"
            | b"neonates"
            | b"newborns"
            | b"adolescents"
            | b"boys"
            | b"girls"
            | b"mothers"
            | b"students"
            | b"athletes"
            | b"smokers"
            | b"survivors"
            | b"recipients"
            | b"donors"
            | b"residents"
            | b"workers"
            | b"elderly"
            | b"outpatients"
            | b"inpatients"
            | b"pregnancies"
    )
    .then_some(n)
}

/// Words allowed between a number and its noun ("40 healthy male volunteers").
fn blocks_noun(w: &str) -> bool {
    // lower-cased on the stack and matched (compiled to a dispatch on the
    // length): the words were compared with each of the list's in turn,
    // and this runs for every word between a number and its noun. None is
    // longer than ten letters; a word with another byte matches none.
    let w = w.as_bytes();
    if w.len() > 10 {
        return false;
    }
    let mut buf = [0u8; 10];
    buf[..w.len()].copy_from_slice(w);
    buf[..w.len()].make_ascii_lowercase();
    matches!(
        &buf[..w.len()],
        b"of"
            | b"per"
            | b"in"
            | b"at"
            | b"to"
            | b"from"
            | b"for"
            | b"with"
            | b"and"
            | b"or"
            | b"by"
            | b"on"
            | b"years"
            | b"year"
            | b"months"
            | b"month"
            | b"weeks"
            | b"week"
            | b"days"
            | b"day"
            | b"hours"
            | b"mg"
            | b"ml"
            | b"kg"
            | b"g"
            | b"sites"
            | b"site"
            | b"centers"
            | b"centres"
            | b"center"
            | b"centre"
            | b"hospitals"
            | b"countries"
            | b"groups"
            | b"group"
            | b"arms"
            | b"arm"
            | b"cohorts"
            | b"times"
            | b"doses"
            | b"visits"
            | b"cells"
            | b"million"
            | b"billion"
            | b"percent"
            | b"the"
            | b"these"
            | b"those"
            | b"more"
            | b"less"
            | b"fewer"
            | b"additional"
            | b"other"
            | b"previous"
            | b"prior"
            | b"that"
            | b"who"
            | b"which"
            | b"whom"
            | b"will"
            | b"are"
            | b"is"
            | b"were"
            | b"was"
            | b"be"
            | b"have"
            | b"has"
            | b"had"
            | b"a"
            | b"an"
            | b"chance"
            | b"ratio"
            | b"out"
            | b"as"
            | b"than"
    )
}

/// The sentence says this study enrols / has enrolled people.
static CUE_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)
        \b(?:will|shall|would|are\s+(?:expected|planned|going|anticipated|estimated)\s+to|is\s+(?:expected|planned|going|anticipated|estimated)\s+to|to\s+be|plan(?:s|ned)?\s+to|aims?\s+to|intends?\s+to)
          \s+(?:be\s+)?(?:\w+\s+){0,2}?
          (?:enrol+(?:ed|ing)?|recruit(?:ed|ing)?|randomi[sz]ed?|includ(?:e|ed|ing)|accru(?:e|ed)|allocated|assigned|participate|take\s+part|involved?|studied|treated|receive|enter(?:ed)?)\b
        | \b(?:we|investigators|this\s+(?:study|trial))\s+(?:will|plan\s+to|aim\s+to|intend\s+to)\s+(?:\w+\s+)?(?:enrol+|recruit|include|randomi[sz]e|study|accrue)\b
        | \b(?:this|the\s+present|the\s+current)\s+(?:study|trial)\s+(?:will\s+)?(?:enrol+s?|recruits?|includes?)\b
        ",
    )
    .unwrap()
});

/// "a total of", "sample size": a cue, unless the verb is a past non-enrolment one.
static TOTAL_CUE_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\ba\s+total\s+of\b|\bsample\s+size\b").unwrap()
});

/// Past-tense enrolment is only read with "a total of" or "in this study".
static PAST_CUE_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:\w+\s+)?(?:enrol+ed|recruited|randomi[sz]ed|included|treated|analy[sz]ed|studied|followed)\b").unwrap()
});
static THIS_STUDY_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\ba\s+total\s+of\b|\b(?:in|into)\s+(?:this|the\s+present|the\s+current)\s+(?:study|trial)\b").unwrap()
});

/// The sentence is about other studies or the literature.
static OTHER_STUDY_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)
        \bprevious(?:ly)?\b | \bprior\s+(?:study|studies|trial|trials|research|work)\b | \bearlier\s+(?:study|studies|trial|trials)\b
        | \bet\s+al\b | \bhave\s+shown\b | \bhas\s+shown\b | \bshowed\b | \bdemonstrated\b | \breported\b | \bpublished\b | \bliterature\b
        | \bmeta-?analys | \bin\s+(?:a|one|another|an?\s+\w+)\s+(?:\w+\s+)?(?:study|trial|series|cohort)\s+(?:of|with|involving|including)\b
        | \bin\s+our\s+(?:previous|recent|earlier|prior|pilot|last|phase\s+[i1]\b)
        | \b(?:were|was|had\s+been)\s+treated\b | \bworldwide\b | \bprevalence\b | \bincidence\b | \beach\s+year\b | \bannually\b | \bper\s+year\b
        ",
    )
    .unwrap()
});

/// The sentence is about part of the study (a cohort, a stage, a sub-study,
/// an extra population) or about a calculation rather than the enrolment.
static PART_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)
        \b(?:cohort|part|stage|step|arm|group|period|wave|site|center|centre)\s+(?:[A-H]\b|\d|I{1,3}\b|IV\b|one\b|two\b|three\b|\(\d)
        | \b(?:first|second|third|initial|final|last|next|pilot|feasibility|extension|lead-in|run-in|expansion|escalation)\s+(?:\w+\s+)?(?:phase|stage|part|cohort|period|year|step)\b
        | \bdose[\s-]+(?:expansion|escalation)\b | \binitially\b | \b(?:this|that|each|either)\s+(?:arm|cohort|part|stage|group)\b
        | \balso\b | \badditional(?:ly)?\b | \banother\b | \bfurther\b | \bregistry\b
        | \bamendment\b | \bamended\b | \bportion\b | \bsecondary\b | \bMTD\b | \bmaximum\s+tolerated\b | \bdose\s+levels?\b
        | \bthus\s+far\b | \bso\s+far\b | \bto\s+date\b | \bcurrently\b | \bas\s+part\s+of\b
        | \bfor\s+the\s+(?:[\w-]+\s+){0,4}?(?:study|studies|portion|part|phase|component|trial)\b
        | \bamong\b | \bsubset\b | \bsub-?sample\b | \bsub-?study\b | \bsub-?group\b | \bof\s+(?:these|them|whom|those)\b | \bselected\s+from\b
        | \bneeded\b | \brequired\b | \bnecessary\b | \bpower\b | \bdetect\b | \bevaluable\b | \banaly[sz]able\b | \bcompleters?\b
        | \bif\b | \bunless\b | \bmay\b | \bmight\b | \bcould\b
        | \b\w*-matched\b | \bas\s+(?:a|the)\s+(?:\w+\s+)?(?:comparator|control|reference)\b
        ",
    )
    .unwrap()
});

/// Counted things that are not (only) participants: a sentence that counts
/// these next to participants does not state the enrollment by itself.
static OTHER_COUNTED_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?i)^(?:controls?|couples?|dyads?|pairs?|famil(?:y|ies)|partners?|caregivers?|carers?|members?|staff|physicians?|nurses?|clinicians?|providers?|eyes?|teeth|samples?|specimens?|knees?|lesions?|sites?|cent(?:er|re)s?|hospitals?|clinics?|practices?|schools?|communities|villages?|households?|visits?)\b",
    )
    .unwrap()
});

/// After the noun: "patients and their partners" is not a count of patients alone.
static WITH_OTHERS_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)^\s*,?\s*(?:and|along\s+with|plus|with\s+their|together\s+with|&)\s+(?:their\s+|the\s+)?(?:[A-Za-z-]+\s+){0,2}?(?:partners?|spouses?|caregivers?|carers?|controls?|parents?|families|relatives|mothers|fathers|staff|members|guardians?)\b").unwrap()
});

/// Past tense with a verb that is not enrolment ("were assessed for
/// eligibility", "were recorded in 53 patients"): not the enrolment.
static PAST_OTHER_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?i)\b(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:\w+ly\s+)?([a-z]+)",
    )
    .unwrap()
});

fn past_non_enrol(sent: &str) -> bool {
    PAST_OTHER_RE.captures_iter(sent).any(|c| {
        let w = c[1].to_ascii_lowercase();
        !matches!(
            w.as_str(),
            "enrolled"
                | "enroled"
                | "recruited"
                | "randomized"
                | "randomised"
                | "included"
                | "planned"
                | "expected"
                | "accrued"
                | "allocated"
                | "assigned"
                | "to"
                | "be"
        )
    })
}

/// Another number in the sentence also counts people ("6 mycosis fungoides
/// and/or Sezary syndrome patients"), or counts other things ("20 controls").
fn other_counts(sent: &str, nums: &[Num], cands: &[Cand]) -> bool {
    for n in nums {
        if cands.iter().any(|c| c.num.start == n.start) {
            continue;
        }
        let after = &sent[n.end..];
        // up to six tokens, stopping at punctuation that ends a phrase
        let stop = after
            .find([',', ';', ':', '(', ')', '.', '%'])
            .unwrap_or(after.len());
        let window = &after[..stop];
        let mut toks = 0;
        for w in window.split_whitespace() {
            if w.starts_with(|c: char| c.is_ascii_digit()) {
                break;
            }
            if noun_len(w).is_some() || OTHER_COUNTED_RE.is_match(w) {
                return true;
            }
            toks += 1;
            if toks >= 6 {
                break;
            }
        }
    }
    false
}

/// A past-tense verb right after the noun phrase.
static VERB_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"^\s*(?:who\s+)?(?:[a-z]+ly\s+)?([a-z]+ed|had|did|got|took|went|came)\b",
    )
    .unwrap()
});

/// Right after the noun phrase: a per-group or per-time count, or a subset.
static PER_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)^
        (?: [\s,(]*(?:[A-Za-z'-]+\s+){0,4}?(?:per|each|every)\b
          | -(?:years?|months?|days?|weeks?)\b
          | \s*/
          | \s*'s?\b
          | [\s,]*(?:[A-Za-z'-]+\s+){0,6}?(?:in|into|to|for|at|during)\s+(?:the\s+)?(?:phase|part|stage|cohort|step|arm|group)\s+(?:[0-9]+|[IVX]+|[A-D]|one|two|three)\b
          | [\s,]*(?:[A-Za-z'-]+\s+){0,8}?(?:in|to|into|as)\s+(?:the|a|an|one|each)\s+(?:[A-Za-z'-]+\s+){0,3}?(?:group|arm|cohort)(?:[^s\w]|$)
        )",
    )
    .unwrap()
});

/// Right before the number: bounds, approximations, ranges, labels.
static BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)
        (?: \bup\s+to | \bat\s+least | \bat\s+most | \b(?:more|less|fewer|greater)\s+than | \bover | \bunder | \bbelow | \babove | \bminimum(?:\s+of)?
          | \bmaximum(?:\s+of)? | \bmin\.? | \bmax\.? | \bapproximately | \bapprox\.? | \babout | \baround | \bnearly | \balmost | \broughly | \bestimated\s+at
          | \bsome | \bca\.? | \bbetween | [<>≤≥~≈±] | \bof\s+(?:the|these|those|whom|which) | \bout\s+of
          | \b(?:group|arm|cohort|part|phase|stage|day|days|week|weeks|month|months|year|years|visit|step|type|grade|class|level|study|protocol|version|table|figure|no|number|wave|round|session|period|site|center|centre|step|n|dose)\s*[\#.:=]?
          | \d\s*(?:-|–|—|to|and|or|in)
          | \beach\s+(?:with|of|consisting\s+of|containing|including|having|comprising)? | \b(?:groups?|arms?|cohorts?)\s+(?:of|with)
          | \bscreen(?:ing|ed)?
          | \bfirst | \blast | \binitial | \bremaining | \bnext | \d\s*[x×*]
          | [\#/\-–—]
        )\s*$",
    )
    .unwrap()
});

/// Earlier in the sentence: the count is per trial, per site, per year.
static PER_UNIT_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(?:each|every|per)\s+(?:\w+\s+){0,2}?(?:trial|study|site|centre|center|hospital|country|year|month|wave|round|session|experiment|cohort|phase|stage|part)s?\b").unwrap()
});

/// Just before the number: an earlier item of a list of counts
/// ("100 primiparous and ", "200 parturients, ").
static LIST_ITEM_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?i)\d[\d,]*\s+[\p{L}-]+(?:\s+[\p{L}-]+)?\s*(?:,|;|\band)\s*$",
    )
    .unwrap()
});

/// Right after the number (before the noun): a percentage, a range, a ratio.
fn bad_after_number(rest: &str) -> bool {
    let r = rest.trim_start();
    r.starts_with('%')
        || r.starts_with(':')
        || r.starts_with('/')
        || r.starts_with('.') && r[1..].starts_with(|c: char| c.is_ascii_digit())
        || r.starts_with('-')
            && r[1..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
        || r.starts_with('–')
        || r.starts_with('—')
        || RANGE_AFTER_RE.is_match(r)
}
static RANGE_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)^(?:percent\b|to\s+\d|to\s+(?:twenty|thirty|forty|fifty|sixty|hundred)|or\s+\d|or\s+more\b|\+)").unwrap()
});

/// A candidate stated count in a sentence.
struct Cand {
    num: Num,
    /// End of the noun phrase.
    noun_end: usize,
    total_of: bool,
}

fn prose(i: usize, f: &Field, out: &mut Vec<Fact>) {
    let text = f.text.as_str();
    // cheap prefilter: a digit or a number word must occur at all (the
    // digits looked for eight bytes at a time: a byte at a time, this
    // cost 3 million instructions per 1,000 records more)
    if super::numbers::next_digit(text.as_bytes(), 0).is_none()
        && !super::numbers::has_number_word_in(f)
    {
        return;
    }
    // The numbers are found in the whole field, once, and each one's noun
    // of people with them: only a sentence with a number is read, only
    // [`stated`] with a noun after one and only [`groups`] in a field with
    // "groups" or "arms", so a field with neither is not cut into
    // sentences at all (half of the bytes of prose). The numbers of a
    // sentence are those of the field within it, and they are what a
    // search of the sentence finds: a sentence starts at a line's start or
    // after white space and ends at a line's end or after a stop, so the
    // bytes the search reads around a number (a letter or a decimal point
    // before it, a letter, a comma with digits or a word after it) are the
    // same in the field as in the sentence; a noun is read across single
    // spaces and words of letters, which no sentence ends within
    // (`numbers_of_sentences_are_those_of_the_field`). With the nouns
    // matched in place and `other_population` asked last: 1,299 → 1,281
    // million instructions per 1,000 records (−1.4%).
    let mut nums = Vec::new();
    find_nums_into(text, &mut nums);
    if nums.is_empty() {
        return;
    }
    // Only a number followed by a noun of people ("40 males") can be a
    // candidate in [`stated`]: where each one's noun ends, if it has one.
    // Most numbers have none ("12 weeks", "50 mg").
    let nouns: Vec<Option<usize>> = nums
        .iter()
        .map(|n| {
            let count = (1..=10_000_000).contains(&n.value);
            count
                .then(|| noun_after(&text[n.end..], n.words && n.value == 1))
                .flatten()
        })
        .collect();
    if nouns.iter().all(Option::is_none) && !group_words_in(f) {
        return;
    }
    // the text also enrols another population (controls, an extra cohort):
    // a count in one sentence is then not the study's total. Asked once,
    // and only when a sentence is about to state one: most fields never
    // need the answer, and its patterns read the whole text.
    let mut other_population: Option<bool> = None;
    let mut other = || *other_population.get_or_insert_with(|| self::other_population(f));
    // one list for the numbers of every sentence, from its start
    let mut sent_nums = Vec::new();
    let mut k = 0;
    for (s, e) in sentences::sentences(text) {
        while k < nums.len() && nums[k].start < s {
            k += 1;
        }
        let first = k;
        while k < nums.len() && nums[k].end <= e {
            k += 1;
        }
        if first == k {
            continue;
        }
        let sent = &text[s..e];
        sent_nums.clear();
        sent_nums.extend(nums[first..k].iter().map(|n| Num {
            start: n.start - s,
            end: n.end - s,
            ..*n
        }));
        let found = (&sent_nums[..], &nouns[first..k]);
        stated(i, f, s, sent, found, &mut other, out);
        groups(i, f, s, sent, out);
    }
}

/// Another population enrolled besides the study's: "additional 20",
/// "age-matched", "as a control group", "healthy controls". ("also ...
/// recruited" is [`also_enrols`].)
static OTHER_POPULATION_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)
        \badditional\s+\d | \b\d+\s+(?:additional|more|further|extra)\b
        | \b(?:age|sex|gender|BMI)[-\s]?(?:and[-\s]+\w+[-\s]?)?matched\b
        | \bas\s+(?:a|the)\s+(?:\w+\s+)?(?:comparator|control|reference)\s+group\b
        | \bhealthy\s+controls?\b | \bcontrol\s+subjects\b
        ",
    )
    .unwrap()
});

/// The words every match of [`OTHER_POPULATION_RE`] holds.
pub(super) const OTHER_POPULATION_WORDS: &[&str] = &[
    "additional",
    "more",
    "further",
    "extra",
    "matched",
    "comparator",
    "control",
    "reference",
];

/// The words every match of `also_enrols`' first pattern holds.
pub(super) const ALSO_WORDS: &[&str] = &["also", "addition"];

/// The words a group count needs ([`groups`]).
pub(super) const GROUP_WORDS: &[&str] = &["groups", "arms"];

/// [`GROUP_WORDS`] for [`crate::extract::patterns::holds_any_ci`], each
/// with the index of a pair of its letters rare in prose.
const GROUP_WORD_PAIRS: [(&str, usize); 2] = [("groups", 4), ("arms", 2)];

/// Whether the field enrols another population besides the study's.
fn other_population(f: &Field) -> bool {
    let text = f.text.as_str();
    // Every match of the pattern holds one of these words (ASCII, either
    // case: it is compiled with ASCII case folding); three texts in four
    // have none, and the pattern has no literal to skip ahead with.
    static WORDS: LazyLock<crate::extract::patterns::Keywords> =
        LazyLock::new(|| crate::extract::patterns::keywords(OTHER_POPULATION_WORDS));
    also_enrols(f) || WORDS.in_field(f) && OTHER_POPULATION_RE.is_match(text)
}

/// "also ... recruited", "in addition, ... will be included": an enrolment
/// word at most 80 characters after "also" in the same sentence and line.
///
/// This was one more alternative of [`OTHER_POPULATION_RE`],
/// `\b(?:also|additionally|in\s+addition)\b[^.\n]{0,80}?\b(?:recruit|enrol|includ|randomi|stud)`;
/// the counted gap made the lazy DFA build new states all along every
/// description (3% of a run). Here the gap is measured by hand: the
/// same matches.
fn also_enrols(f: &Field) -> bool {
    let text = f.text.as_str();
    static ALSO_RE: LazyLock<Regex> = LazyLock::new(|| {
        crate::extract::patterns::compile(r"(?i)\b(?:also|additionally|in\s+addition)\b").unwrap()
    });
    static ENROL_RE: LazyLock<Regex> = LazyLock::new(|| {
        crate::extract::patterns::compile(r"(?i)\b(?:recruit|enrol|includ|randomi|stud)").unwrap()
    });
    // The regex has no literal to skip ahead with ((?i) words have too many
    // case variants); every match holds "also" or "addition" in ASCII
    // letters of either case (it is compiled with ASCII case folding).
    static WORDS: LazyLock<crate::extract::patterns::Keywords> =
        LazyLock::new(|| crate::extract::patterns::keywords(ALSO_WORDS));
    if !WORDS.in_field(f) {
        return false;
    }
    ALSO_RE.find_iter(text).any(|also| {
        // the furthest start: 80 characters on, or the next '.' or line break
        let gap = &text[also.end()..];
        let limit = gap
            .char_indices()
            .take(81)
            .find(|&(_, c)| c == '.' || c == '\n')
            .map(|(k, _)| k)
            .unwrap_or_else(|| gap.char_indices().nth(80).map_or(gap.len(), |(k, _)| k));
        // Only a match that starts within the limit counts, and one is at
        // most 7 bytes long ("randomi"): the search ends there rather than
        // run on to the end of the text for every "also". (find_at reads
        // the word boundary with the text before it.)
        let mut end = (also.end() + limit + 7).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        ENROL_RE
            .find_at(&text[..end], also.end())
            .is_some_and(|m| m.start() - also.end() <= limit)
    })
}

/// `(nums, nouns)`: the numbers of the sentence, and where the noun of
/// people after each one ends, if one does. `other_population`: whether
/// the field enrols another population too (then a sentence states no
/// total); asked only of a sentence that would state one.
fn stated(
    i: usize,
    f: &Field,
    base: usize,
    sent: &str,
    (nums, nouns): (&[Num], &[Option<usize>]),
    other_population: &mut dyn FnMut() -> bool,
    out: &mut Vec<Fact>,
) {
    // most sentences with a number have no noun after one ("12 weeks",
    // "50 mg"), and asking is cheaper than the cue patterns
    if nouns.iter().all(Option::is_none) {
        return;
    }
    let future = CUE_RE.is_match(sent);
    let cue = future
        || TOTAL_CUE_RE.is_match(sent)
        || (PAST_CUE_RE.is_match(sent) && THIS_STUDY_RE.is_match(sent));
    if !cue || OTHER_STUDY_RE.is_match(sent) || PART_RE.is_match(sent) {
        return;
    }
    // "A total of 21 patients were assessed for eligibility"
    if !future && past_non_enrol(sent) {
        return;
    }
    let mut cands: Vec<Cand> = Vec::new();
    for (n, &noun_end) in nums.iter().zip(nouns) {
        let Some(noun_end) = noun_end else {
            continue;
        };
        let before = &sent[..n.start];
        let before_tail = tail(before, 40);
        if BEFORE_RE.is_match(before_tail) {
            continue;
        }
        // "to run each experimental trial, ... will recruit 240": a count per unit
        if PER_UNIT_RE.is_match(before) {
            continue;
        }
        // "200 parturients, 100 primiparous and 100 multiparous women": an item
        // of a list of sub-counts, not the total
        if LIST_ITEM_RE.is_match(before_tail) {
            continue;
        }
        // inside parentheses: a breakdown ("86 (57 transplanted; 29 patients ...)")
        if before.matches('(').count() > before.matches(')').count() {
            continue;
        }
        let after = &sent[n.end..];
        if bad_after_number(after) {
            continue;
        }
        let noun_end = n.end + noun_end;
        // "patient-sibling pairs", "patient-years", "11 patient visits": not a count of people
        if sent[noun_end..].starts_with(['-', '/']) {
            continue;
        }
        if let Some(w) = sent[noun_end..].split_whitespace().next() {
            let w = w.trim_end_matches([',', '.', ';', ':', ')']);
            if OTHER_COUNTED_RE.is_match(w) || NON_PEOPLE_RE.is_match(w) {
                continue;
            }
        }
        // "participants responded", "persons had completed": not enrolment
        if let Some(c) = VERB_AFTER_RE.captures(&sent[noun_end..]) {
            let v = c[1].to_ascii_lowercase();
            if !matches!(
                v.as_str(),
                "enrolled"
                    | "enroled"
                    | "recruited"
                    | "randomized"
                    | "randomised"
                    | "included"
                    | "accrued"
                    | "entered"
                    | "allocated"
                    | "assigned"
                    | "registered"
                    | "planned"
                    | "expected"
                    | "needed"
            ) {
                continue;
            }
        }
        if WITH_OTHERS_RE.is_match(&sent[noun_end..]) {
            return; // "patients and their partners": a mixed population
        }
        if PER_AFTER_RE.is_match(&sent[noun_end..]) {
            continue; // a per-group count
        }
        let total_of = before_tail
            .to_ascii_lowercase()
            .trim_end()
            .ends_with("total of")
            || before_tail
                .to_ascii_lowercase()
                .trim_end()
                .ends_with("total");
        cands.push(Cand {
            num: *n,
            noun_end,
            total_of,
        });
    }
    if other_counts(sent, nums, &cands) {
        return;
    }
    let chosen = match cands.len() {
        0 => return,
        1 => &cands[0],
        _ => {
            if let Some(c) = cands.iter().find(|c| c.total_of) {
                if cands.iter().filter(|c| c.total_of).count() > 1 {
                    return;
                }
                c
            } else {
                // "40 patients: 20 with X and 20 with Y" is a breakdown of 40
                let first = &cands[0];
                let rest: i64 = cands[1..].iter().map(|c| c.num.value).sum();
                if cands.len() >= 3 && rest == first.num.value {
                    first
                } else {
                    return;
                }
            }
        }
    };
    // Whether the field enrols another population too is asked last: it
    // reads the whole field, and the answer only ever stops a sentence
    // that got this far (asked before the cue patterns, it was asked of
    // every field with a number of people: 0.7% of a run).
    if other_population() {
        return;
    }
    let (a, b) = (base + chosen.num.start, base + chosen.num.end);
    let quote = &sent[chosen.num.start..chosen.noun_end];
    let mut fact = Fact::new(
        names::ENROLLMENT_STATED,
        Value::Int(chosen.num.value),
        f.text.span(a, b),
        i,
        Origin::Text,
        quote,
    );
    if chosen.num.words {
        fact = fact.with_how(format!(
            "'{}' read as {}",
            &sent[chosen.num.start..chosen.num.end],
            chosen.num.value
        ));
    }
    out.push(fact);
}

/// The last `max` bytes of `s`, cut at a char boundary.
fn tail(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut k = s.len() - max;
    while !s.is_char_boundary(k) {
        k += 1;
    }
    &s[k..]
}

/// If a participant noun follows within three words, the offset just after it.
fn noun_after(after: &str, immediate: bool) -> Option<usize> {
    let b = after.as_bytes();
    let mut p = 0;
    let max_words = if immediate { 0 } else { 3 };
    let mut words = 0;
    loop {
        // exactly one space between words (a hyphen joins words into one)
        if p >= b.len() || b[p] != b' ' {
            return None;
        }
        p += 1;
        let rest = &after[p..];
        if let Some(n) = noun_len(rest) {
            return Some(p + n);
        }
        if words >= max_words {
            return None;
        }
        // skip one word of letters, hyphens and apostrophes
        let wl = rest
            .find(|c: char| !(c.is_alphabetic() || c == '-' || c == '\''))
            .unwrap_or(rest.len());
        if wl == 0 || blocks_noun(&rest[..wl]) {
            return None;
        }
        p += wl;
        words += 1;
    }
}

// ---------------------------------------------------------------- groups

const NUMW: &str = r"\d{1,3}(?:,\d{3})+\b|\d{1,5}\b|(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:one|two|three|four|five)\s+hundred(?:\s+(?:and\s+)?(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|ten|\w+teen))?";

/// "two groups", "3 arms", "both groups", "two equal treatment groups".
static GCOUNT_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?i)\b(two|three|four|five|six|both|[2-9])\s+(?:[A-Za-z-]+\s+){0,3}?(?:groups|arms)\b",
    )
    .unwrap()
});
/// "... groups and a control group": the count above is not the total.
static EXTRA_GROUP_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)^\s*(?:,|and|plus|as\s+well\s+as)\s*(?:and\s+)?(?:a|an|one|the)\s+(?:[A-Za-z-]+\s+){0,3}?(?:group|arm|cohort)\b").unwrap()
});

static SIZE_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let n = NUMW;
    let nouns = NOUNS;
    [
        // (n=23 each), n = 30 per group, n=20 in each arm
        r"(?i)\bn\s*=\s*(\d{1,5})\s*(?:,\s*)?(?:each\b|per\s+(?:group|arm|cohort)\b|(?:in|for)\s+each\b)".to_string(),
        // allocated to two groups (A & B) each with 30 participants
        format!(r"(?i)\b(?:groups|arms|cohorts)\s*(?:\([^)]{{0,20}}\)\s*)?,?\s*each\s+(?:with|of|consisting\s+of|containing|including|comprising|having)\s+({n})\b"),
        // two groups of 23 (patients), 3 arms of 20
        format!(r"(?i)\b(?:groups|arms|cohorts)\s+(?:each\s+)?(?:of|with)\s+({n})\b(?:\s+(?:[A-Za-z-]+\s+){{0,2}}?(?:{nouns}))?(?:\s+each)?"),
        // 23 patients in each of the two groups, 30 subjects per group, 20 in each arm
        format!(
            r"(?i)\b({n})\s+(?:(?:[A-Za-z-]+\s+){{0,3}}?(?:{nouns})\s+)?(?:(?:will\s+be\s+)?(?:\w+\s+){{0,2}}?)?(?:(?:in|for|to)\s+each|per|each)\s+(?:of\s+the\s+(?:(?:two|three|four|both|[2-9])\s+)?)?(?:[A-Za-z-]+\s+)?(?:group|arm|cohort)s?\b"
        ),
        // each group will consist of 20 patients
        format!(
            r"(?i)\beach\s+(?:group|arm|cohort)\s+(?:will\s+)?(?:consists?\s+of|consisting\s+of|include|includes|including|contains?|comprises?|of|has|with|will\s+have|enrol+s?)\s+({n})\s+(?:[A-Za-z-]+\s+){{0,2}}?(?:{nouns})\b"
        ),
    ]
    .iter()
    .map(|p| crate::extract::patterns::compile(p).unwrap())
    .collect()
});

fn group_word_value(s: &str) -> Option<i64> {
    let l = s.to_ascii_lowercase();
    if l == "both" {
        return Some(2);
    }
    parse_number(&l)
}

static GROUP_AC: LazyLock<crate::extract::patterns::Keywords> =
    LazyLock::new(|| crate::extract::patterns::keywords(GROUP_WORDS));

/// Whether the field holds "groups" or "arms": [`groups`] reads nothing
/// in a field without either.
fn group_words_in(f: &Field) -> bool {
    GROUP_AC.in_field(f)
}

fn groups(i: usize, f: &Field, base: usize, sent: &str, out: &mut Vec<Fact>) {
    // Nothing is read without a group count, and its pattern
    // (GCOUNT_RE) needs "groups" or "arms" as a word after white space:
    // "arm" alone is in "pharmacy" and "harm".
    // (the sentence is part of the field: a field without either word
    // has none to look for)
    if !group_words_in(f) {
        return;
    }
    // Most sentences of such a field hold neither word: `holds_any_ci`
    // says so from the rare pairs "ps" and "ms", sixteen bytes a step,
    // where the automaton's search cost some 2,000 instructions a
    // sentence (3.1 million per 1,000 records). It finds every
    // occurrence in either case, so a sentence it rejects is one the
    // search finds nothing in.
    if !crate::extract::patterns::holds_any_ci(sent, &GROUP_WORD_PAIRS) {
        return;
    }
    let b = sent.as_bytes();
    if !GROUP_AC.find_iter(sent).any(|m| {
        m.start() > 0
            && matches!(b[m.start() - 1], b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
            && !b
                .get(m.end())
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    }) {
        return;
    }
    if OTHER_STUDY_RE.is_match(sent) || GROUP_SKIP_RE.is_match(sent) {
        return;
    }
    // group count: one value, stated in this sentence
    let mut gcount: Option<(i64, usize, usize)> = None;
    for c in GCOUNT_RE.captures_iter(sent) {
        let m = c.get(1).unwrap();
        let Some(g) = group_word_value(m.as_str()) else {
            continue;
        };
        let whole = c.get(0).unwrap();
        if EXTRA_GROUP_RE.is_match(&sent[whole.end()..]) {
            return;
        }
        match gcount {
            None => gcount = Some((g, m.start(), m.end())),
            Some((g0, _, _)) if g0 == g => {}
            Some(_) => return, // conflicting group counts: do not guess
        }
    }
    let Some((g, gs, ge)) = gcount else { return };
    // group size: one value
    let mut size: Option<(i64, usize, usize)> = None;
    for re in SIZE_RES.iter() {
        for c in re.captures_iter(sent) {
            let m = c.get(1).unwrap();
            // not a percentage or a ratio
            let after = &sent[m.end()..];
            if after.starts_with('%')
                || after.starts_with(':')
                || after.trim_start().starts_with("percent")
            {
                continue;
            }
            // bounds before the size ("up to 20 per group") are not sizes
            if BOUND_BEFORE_RE.is_match(tail(&sent[..m.start()], 20)) {
                continue;
            }
            let Some(v) = parse_number(m.as_str()) else {
                continue;
            };
            if v < 1 {
                continue;
            }
            // "groups of 18 schools": not people
            if after
                .split_whitespace()
                .take(3)
                .any(|w| OTHER_COUNTED_RE.is_match(w) || NON_PEOPLE_RE.is_match(w))
            {
                continue;
            }
            match size {
                None => size = Some((v, m.start(), m.end())),
                Some((v0, _, _)) if v0 == v => {}
                Some(_) => return,
            }
        }
    }
    let Some((sz, ss, se)) = size else { return };
    if (ss, se) == (gs, ge) {
        return;
    }
    let (a, b) = (gs.min(ss), ge.max(se));
    let fact = Fact::new(
        names::ENROLLMENT_GROUPS,
        Value::Groups {
            groups: g,
            size: sz,
        },
        f.text.span(base + a, base + b),
        i,
        Origin::Text,
        &sent[a..b],
    )
    .with_how(format!("read as {g} groups × {sz} = {}", g * sz));
    out.push(fact);
}

/// A group sentence about a subsample, a calculation, or a condition.
static GROUP_SKIP_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)
        \bamong\b | \bsubset\b | \bsub-?sample\b | \bsub-?study\b | \bof\s+(?:these|them|whom|those)\b | \bselected\s+from\b
        | \bneeded\b | \brequired\b | \bnecessary\b | \bpower\b | \bdetect\b | \bevaluable\b | \banaly[sz]able\b
        | \bif\b | \bunless\b | \bmay\b | \bmight\b | \bcould\b | \bup\s+to\b | \bat\s+least\b
        | \b(?:part|cohort|stage|step)\s+(?:[0-9IVX]+[A-Z]?|[A-H])\b | \bdose\s+(?:levels?|escalation)\b | \bescalat\w* | \bMTD\b
        | \b(?:first|second|third|another|additional|pilot|amendment)\b
        ",
    )
    .unwrap()
});

/// Units that are not people, after a group size.
static NON_PEOPLE_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)^(?:units?|clusters?|wards?|classes|classrooms?|teams?|doses?|mg|ml|g|kg|cells?|days?|weeks?|months?|years?|hours?|times|sessions?|mice|rats|animals?)\b").unwrap()
});

static BOUND_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)(?:\bup\s+to|\bat\s+least|\bat\s+most|\bmore\s+than|\bless\s+than|\bfewer\s+than|\bminimum(?:\s+of)?|\bmaximum(?:\s+of)?|[<>≤≥~]|\bapproximately|\babout|\d\s*(?:-|–|to))\s*$").unwrap()
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Text;

    fn rec(key: &str, text: &str) -> Record {
        let mut r = Record::new("test");
        r.push(key.to_string(), Text::verbatim(text, 1000));
        r
    }

    fn facts(key: &str, text: &str) -> Vec<Fact> {
        let mut out = Vec::new();
        extract(&rec(key, text), &mut out);
        out
    }

    fn stated(text: &str) -> Vec<i64> {
        facts(keys::DETAILED_DESCRIPTION, text)
            .iter()
            .filter(|f| f.name == names::ENROLLMENT_STATED)
            .filter_map(|f| f.value.as_count())
            .collect()
    }

    fn groups(text: &str) -> Vec<(i64, i64, String)> {
        facts(keys::DETAILED_DESCRIPTION, text)
            .iter()
            .filter(|f| f.name == names::ENROLLMENT_GROUPS)
            .map(|f| match f.value {
                Value::Groups { groups, size } => (groups, size, f.quote.to_string()),
                _ => unreachable!(),
            })
            .collect()
    }

    const SEED000: &str = "The aim of this clinical trial was to assess the safety. In phase II, 40 males with hormone deficiency will be recruited and divided randomly into two groups (n=23 each). The group A will receive UC-MSCs intravenously at day 0 and day 90 ± 7.";

    #[test]
    fn enrollment_field() {
        let mut r = Record::new("t");
        r.push(keys::ENROLLMENT, Text::verbatim("158 participants", 50));
        r.push(keys::ENROLLMENT, Text::verbatim("1,200", 80));
        r.push(keys::ENROLLMENT, Text::verbatim("N/A", 90));
        r.push(keys::ENROLLMENT, Text::verbatim("12.5", 95));
        r.push(keys::ENROLLMENT, Text::verbatim("1 200", 99));
        let mut out = Vec::new();
        extract(&r, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].value, Value::Int(158));
        assert_eq!(out[0].span, crate::span::Span::new(50, 53));
        assert_eq!(out[0].origin, Origin::Field);
        assert_eq!(out[1].value, Value::Int(1200));
    }

    #[test]
    fn seed000_stated_and_groups() {
        let f = facts(keys::BRIEF_SUMMARY, SEED000);
        let st: Vec<&Fact> = f
            .iter()
            .filter(|f| f.name == names::ENROLLMENT_STATED)
            .collect();
        assert_eq!(st.len(), 1);
        assert_eq!(st[0].value, Value::Int(40));
        let off = SEED000.find("40 males").unwrap();
        assert_eq!(
            st[0].span,
            crate::span::Span::new(1000 + off, 1000 + off + 2)
        );
        assert_eq!(st[0].origin, Origin::Text);
        let g: Vec<&Fact> = f
            .iter()
            .filter(|f| f.name == names::ENROLLMENT_GROUPS)
            .collect();
        assert_eq!(g.len(), 1);
        assert_eq!(
            g[0].value,
            Value::Groups {
                groups: 2,
                size: 23
            }
        );
        assert_eq!(g[0].quote, "two groups (n=23");
        assert_eq!(g[0].how.as_deref(), Some("read as 2 groups × 23 = 46"));
    }

    #[test]
    fn seed003_words() {
        let t = "Twenty-two subjects with end-stage liver disease attending the Department of Gastroenterology of the General Hospital of the Northern Theatre of Operations are expected to be enrolled over a period of 1 year. The participants will be randomly divided into a low-dose stem cell group (1×10^6cells/kg per infusion) and a medium-high-dose stem cell group.";
        let f = facts(keys::DETAILED_DESCRIPTION, t);
        let st: Vec<&Fact> = f
            .iter()
            .filter(|f| f.name == names::ENROLLMENT_STATED)
            .collect();
        assert_eq!(st.len(), 1);
        assert_eq!(st[0].value, Value::Int(22));
        assert_eq!(st[0].span, crate::span::Span::new(1000, 1010));
        assert!(f.iter().all(|f| f.name != names::ENROLLMENT_GROUPS));
    }

    #[test]
    fn stated_positives() {
        assert_eq!(
            stated("A total of 120 adults will be enrolled in this study."),
            vec![120]
        );
        assert_eq!(
            stated(
                "60 type II diabetic men with erectile dysfunction will be enrolled in this trial."
            ),
            vec![60]
        );
        assert_eq!(
            stated("In this crossover study design, 20 healthy male subjects will be enrolled."),
            vec![20]
        );
        assert_eq!(stated("The sample size is 64 patients."), vec![64]);
        assert_eq!(
            stated("We will enroll one hundred and twenty participants."),
            vec![120]
        );
        assert_eq!(
            stated("A total of 60 patients were enrolled in this study."),
            vec![60]
        );
        assert_eq!(
            stated("Fifty patients will be included, 25 in the nucleoplasty arm."),
            vec![50]
        );
        assert_eq!(
            stated("A total of 150 subjects, 75 per group, are being sought for this study."),
            vec![150]
        );
    }

    #[test]
    fn stated_negatives() {
        // other studies, the literature, the past
        assert!(
            stated("In our previous trial of 40 patients, 10 patients will be enrolled.")
                .is_empty()
        );
        assert!(
            stated("In a study of 40 patients, MSCs were safe. We will enroll more.").is_empty()
        );
        assert!(stated("40 patients were treated with MSCs and 12 patients responded.").is_empty());
        assert!(stated("Smith et al. reported that 30 patients will be enrolled.").is_empty());
        // per group
        assert!(stated("23 patients in each group will be enrolled.").is_empty());
        assert!(stated("30 patients per group will be recruited.").is_empty());
        assert!(stated("20 patients will be randomized to the treatment group.").is_empty());
        // percentages, ages, doses, ranges, bounds, sites
        assert!(stated("Of those enrolled, 40% patients will be randomized.").is_empty());
        assert!(stated("Patients aged 50 years will be enrolled.").is_empty());
        assert!(stated("Patients will be enrolled and receive 40 mg daily.").is_empty());
        assert!(stated("Between 20 and 40 patients will be enrolled.").is_empty());
        assert!(stated("20-40 patients will be enrolled.").is_empty());
        assert!(stated("20 to 40 patients will be enrolled.").is_empty());
        assert!(stated("Up to 160 patients will take part in this study.").is_empty());
        assert!(stated("Approximately 400 subjects will be enrolled.").is_empty());
        assert!(stated("Patients will be recruited from 12 sites in 3 countries.").is_empty());
        assert!(stated("24 patients will be enrolled in Phase I of the study.").is_empty());
        // no enrolment cue
        assert!(stated("The trial compares 40 patients with a control.").is_empty());
        assert!(stated("Cohort 2 patients will be enrolled after review.").is_empty());
        // two separate populations
        assert!(
            stated("10 migraine patients and 5 cluster headache patients will be enrolled.")
                .is_empty()
        );
        // "one of the"
        assert!(stated("One of the patients will be randomized first.").is_empty());
        // a count per trial, and the items of a breakdown
        assert!(stated(
            "To run each experimental trial, the investigators will recruit 240 participants."
        )
        .is_empty());
        assert!(stated(
            "The study will include 200 parturients, 100 primiparous and 100 multiparous women."
        )
        .is_empty());
        // percentages in words
        assert!(stated("We will recruit 40 percent women.").is_empty());
    }

    #[test]
    fn group_positives() {
        assert_eq!(
            groups("Patients will be divided into two groups of 23 patients.")[0].0
                ..=groups("Patients will be divided into two groups of 23 patients.")[0].1,
            2..=23
        );
        let g =
            groups("46 patients will be randomized with 23 patients in each of the two groups.");
        assert_eq!((g[0].0, g[0].1), (2, 23));
        assert_eq!(g[0].2, "23 patients in each of the two");
        let g = groups("Subjects will be randomized into 3 arms of 20.");
        assert_eq!((g[0].0, g[0].1), (3, 20));
        let g = groups("Two treatment groups will be compared, n = 30 per group.");
        assert_eq!((g[0].0, g[0].1), (2, 30));
        let g = groups("Each group will consist of 15 patients, and both groups receive saline.");
        assert_eq!((g[0].0, g[0].1), (2, 15));
    }

    #[test]
    fn group_negatives() {
        // group count not stated in the sentence
        assert!(groups("A total of 150 subjects, 75 per group, are being sought.").is_empty());
        assert!(groups(
            "Approximately 180 subjects (about 90 per treatment group) will be enrolled."
        )
        .is_empty());
        // unequal groups
        assert!(groups("Two groups: 20 in group A and 10 in group B.").is_empty());
        // conflicting counts
        assert!(groups("Two intervention groups and a control group, n=20 each.").is_empty());
        // bounds
        assert!(groups("Two groups with up to 20 patients per group.").is_empty());
        // percentages
        assert!(groups("two groups of 50% each").is_empty());
    }

    #[test]
    fn no_panic() {
        for t in [
            "",
            "n=",
            "two groups (n=",
            "ü 40 ü patients will be enrolled",
            "Twenty-",
            "1,",
            "groups of twenty-",
            "a total of",
        ] {
            let _ = facts(keys::BRIEF_SUMMARY, t);
            let _ = facts(keys::ENROLLMENT, t);
        }
    }
}

#[cfg(test)]
mod fast_paths {
    use super::*;
    use crate::extract::numbers::find_nums;

    #[test]
    fn group_word_pairs_answer_as_the_automaton() {
        let words: Vec<&str> = GROUP_WORD_PAIRS.iter().map(|p| p.0).collect();
        assert_eq!(words, GROUP_WORDS);
        // the words in odd cases, cut short and inside other words, next
        // to the pairs alone, across the sixteen-byte steps of the search
        let pieces = [
            "groups", "GROUPS", "Groups", "group", "roups", "arms", "ARMS", "Arms", "arm", "rms",
            "harms", "ps", "PS", "ms", "MS", "s", "two", "patients", " ", "  ", ".", "\n", "(",
            "\u{e9}",
        ];
        let mut texts = crate::extract::fixture_texts();
        texts.extend(crate::extract::random_texts(&pieces, 20_000, 24, 0x6a095));
        let (mut sents, mut hits) = (0, 0);
        for t in &texts {
            for (s, e) in sentences::sentences(t) {
                let sent = &t[s..e];
                let want = GROUP_AC.find_iter(sent).next().is_some();
                sents += 1;
                hits += usize::from(want);
                assert_eq!(
                    crate::extract::patterns::holds_any_ci(sent, &GROUP_WORD_PAIRS),
                    want,
                    "{sent:?}"
                );
            }
        }
        assert!(hits > 5_000 && sents - hits > 5_000, "{hits} of {sents}");
    }

    /// Fixture texts, the noun test's words in odd cases and pieces of
    /// number phrases cut at every place a sentence can end.
    fn texts() -> Vec<String> {
        let mut texts = crate::extract::fixture_texts();
        let pieces = [
            "40",
            "1,200",
            "1.5",
            "twenty",
            "Two",
            "-",
            " ",
            "  ",
            ".",
            ". ",
            "\n",
            "\n\n",
            "\r\n",
            "patients",
            "PATIENTS",
            "Men",
            "women",
            "participant",
            "subjectsx",
            "\u{17f}ubjects",
            "smo\u{212a}ers",
            "healthy",
            "of",
            "and",
            "é",
            "_",
            "e.g.",
            "A",
            "- ",
            "(",
            "1)",
            "!",
            "?",
        ];
        texts.extend(crate::extract::random_texts(
            &pieces,
            4000,
            24,
            0x2545_f491_4f6c_dd1d,
        ));
        texts
    }

    #[test]
    fn noun_len_is_the_nouns_pattern() {
        let mut found = 0;
        for t in texts() {
            for (k, _) in t.char_indices() {
                let want = NOUN_RE.find(&t[k..]).map(|m| m.end());
                found += usize::from(want.is_some());
                assert_eq!(noun_len(&t[k..]), want, "{:?}", &t[k..]);
            }
        }
        assert!(found > 1000, "{found} nouns");
    }

    #[test]
    fn blocks_noun_is_the_list() {
        const STOP: &[&str] = &[
            "of",
            "per",
            "in",
            "at",
            "to",
            "from",
            "for",
            "with",
            "and",
            "or",
            "by",
            "on",
            "years",
            "year",
            "months",
            "month",
            "weeks",
            "week",
            "days",
            "day",
            "hours",
            "mg",
            "ml",
            "kg",
            "g",
            "sites",
            "site",
            "centers",
            "centres",
            "center",
            "centre",
            "hospitals",
            "countries",
            "groups",
            "group",
            "arms",
            "arm",
            "cohorts",
            "times",
            "doses",
            "visits",
            "cells",
            "million",
            "billion",
            "percent",
            "the",
            "these",
            "those",
            "more",
            "less",
            "fewer",
            "additional",
            "other",
            "previous",
            "prior",
            "that",
            "who",
            "which",
            "whom",
            "will",
            "are",
            "is",
            "were",
            "was",
            "be",
            "have",
            "has",
            "had",
            "a",
            "an",
            "chance",
            "ratio",
            "out",
            "as",
            "than",
        ];
        let mut words: Vec<String> = STOP.iter().map(|w| w.to_ascii_uppercase()).collect();
        words.extend(
            [
                "Additional",
                "additionals",
                "",
                "ö",
                "The\u{17f}",
                "ofs",
                "o",
            ]
            .map(String::from),
        );
        for t in crate::extract::fixture_texts() {
            words.extend(t.split(|c: char| !c.is_alphabetic()).map(String::from));
        }
        let mut blocked = 0;
        for w in &words {
            let want = STOP.iter().any(|s| s.eq_ignore_ascii_case(w));
            blocked += usize::from(want);
            assert_eq!(blocks_noun(w), want, "{w:?}");
        }
        assert!(blocked > 1000, "{blocked}");
    }

    /// [`prose`] finds the numbers and their nouns in the whole field and
    /// hands each sentence those within it: what a search of the sentence
    /// finds.
    #[test]
    fn numbers_of_sentences_are_those_of_the_field() {
        let mut compared = 0;
        for t in texts() {
            let whole = find_nums(&t);
            let mut in_sentences = 0;
            for (s, e) in sentences::sentences(&t) {
                let sent = &t[s..e];
                let own = find_nums(sent);
                let from_field: Vec<Num> = whole
                    .iter()
                    .filter(|n| n.start >= s && n.end <= e)
                    .map(|n| Num {
                        start: n.start - s,
                        end: n.end - s,
                        ..*n
                    })
                    .collect();
                assert_eq!(own, from_field, "{sent:?} in {t:?}");
                // none straddles the sentence's ends
                assert!(whole
                    .iter()
                    .all(|n| n.end <= s || n.start >= e || (n.start >= s && n.end <= e)));
                for n in &own {
                    let immediate = n.words && n.value == 1;
                    assert_eq!(
                        noun_after(&sent[n.end..], immediate),
                        noun_after(&t[s + n.end..], immediate),
                        "{sent:?}"
                    );
                    compared += 1;
                }
                in_sentences += own.len();
            }
            // every number is in a sentence
            assert_eq!(in_sentences, whole.len(), "{t:?}");
        }
        assert!(compared > 10_000, "{compared}");
    }
}

#[cfg(test)]
mod corpus_cases {
    use super::*;
    use crate::span::Text;

    fn facts(text: &str) -> Vec<(String, String)> {
        let mut r = Record::new("test");
        r.push(keys::DETAILED_DESCRIPTION, Text::verbatim(text, 0));
        let mut out = Vec::new();
        extract(&r, &mut out);
        out.iter()
            .map(|f| (f.name.to_string(), f.value.to_string()))
            .collect()
    }

    #[test]
    fn real_phrasings() {
        // per-group size after "each with"
        assert_eq!(
            facts("The included participants will be randomized by gold fish randomization method and allocated to two groups (A \\& B) each with 30 participants."),
            vec![(names::ENROLLMENT_GROUPS.to_string(), "2 groups × 30 = 60".to_string())]
        );
        for t in [
            "There is a 1 in 2 chance that participants will be assigned to placebo.",
            "A total of twenty-one patients were assessed for eligibility.",
            "During the study, a total of 79 emergent AEs were recorded in 53 patients (30.6%).",
            "In order to detect a 6-month improvement, a total of 93 patients will be needed.",
            "Cohort A (omeprazole): This is an open-label crossover study design, in which 20 healthy male subjects will be enrolled.",
            "In this observational case-control study 40 eyes of 40 patients affected by erectile dysfunction and 20 healthy age-matched controls will be enrolled.",
            "144 patients and partners will participate in the study.",
            "The pilot study will recruit 36 early-stage prostate cancer patients and their partners.",
            "We will increase the sample size to 6000 if the study group sample sizes are not achieved by screening 5000 participants.",
            "We will continue to recruit 44 patients at the dose expansion stage.",
            "As such, four subjects will initially be randomized and administered their agents.",
            "Sixty patients will be screened for this study.",
            "Eight patients/year/center are expected to be recruited in 2 years.",
            "The first phase will enroll 60 participants and participants will be randomized.",
            "Forty-five age-matched healthy subjects will be included as a comparator group.",
            "13 patients will be treated at Stage 1 with up to 15 patients treated at Stage 2.",
            "This study will involve 10 patients, recruited over 5 months and 25 member of care team.",
            "We map emotional dynamics in 6 mycosis fungoides and/or Sezary syndrome patients and 6 chronic cluster headache patients, who will be treated with corticosteroids.",
            "Planned sample size will be 40 subjects evaluable for the primary analysis.",
            "A clinical registry will also be enrolling the same population (100 patients).",
        ] {
            assert!(facts(t).is_empty(), "{t}: {:?}", facts(t));
        }
        assert!(facts("50 patients who will be selected from the two study groups, with 25 per study arm, among those enrolled.").is_empty());
        for t in [
            "Part 1A: Twenty p24+ patients with AIDS are randomized to 4 dosing groups of 5 patients each.",
            "Two cohorts of 4 patients enter each dose level.",
            "A second cohort of 10 individuals will serve as a pilot of 2 arms of 5 patients each.",
            "Per 07/28/92 amendment, 18 volunteers will receive 200 mcg gp160.",
            "The sample size will be adjusted based on the rate of positive staining in the first 100 patients.",
            "During the phase II portion of the study, 25 patients will be treated at the maximum tolerated dose.",
            "A total of 10 patients will be treated at the dose determined to be the MTD.",
            "For the pilot study of mitomycin C modulation, 12 patients will be accrued.",
            "PROJECTED ACCRUAL: A maximum of 86 (57 transplanted; 29 patients nontransplanted) patients will be accrued.",
            "PROJECTED ACCRUAL: This study will accrue 1,000 patient-sibling pairs for breast cancer.",
            "A total of 825 patients (275 per arm) have been accrued for this study thus far.",
            "Ten people in this study will be recruited to participate in a secondary investigation.",
            "A total of 109,413 participants responded to the 1978 questionnaire.",
            "In 1986, a total of 5,085 persons had completed the first screening examination.",
            "It involves investigation of four cohorts, each with 4,000 adults ages 45 to 65.",
            "The schools were divided into three groups of 18 schools each.",
            "From both cohorts a total of 1802 men are, based on their ages, currently Medicare eligible.",
            "As part of the Menstrual Cycle Pilot Study, we will recruit 25 volunteers to assist in training.",
            "The study will consist of a total of 11 patient visits.",
            "The minimum sample size is 2 x 100 patients.",
            "We will recruit 30 patients on a pilot study basis. We will also recruit 20 age- and BMI-matched controls.",
            "The trial will include 75 hypertensive men. Forty-five age-matched healthy subjects will be included as a comparator group.",
        ] {
            assert!(facts(t).is_empty(), "{t}: {:?}", facts(t));
        }
        assert_eq!(
            facts("PROJECTED ACCRUAL: A total of 200 patients (100 per arm) will be accrued for this study within 3 years."),
            vec![(names::ENROLLMENT_STATED.to_string(), "200".to_string())]
        );
        assert_eq!(
            facts("Four groups of 20 subjects/group of subjects will be randomly assigned to receive CoQ10."),
            vec![(names::ENROLLMENT_GROUPS.to_string(), "4 groups × 20 = 80".to_string())]
        );
    }
}

#[cfg(test)]
mod fuzz {
    use crate::record::{keys, EntityKind, Record};
    use crate::span::{Text, TextBuilder};
    use proptest::prelude::*;

    const TOKENS: &[&str] = &[
        "40",
        "1,200",
        "Twenty-two",
        "one hundred and",
        "patients",
        "males",
        "will be enrolled",
        "a total of",
        "two groups",
        "(n=23 each)",
        "per group",
        "aged",
        "age",
        "≥",
        "≤",
        "\\<",
        "<",
        ">",
        "&lt;",
        "years old",
        "of age",
        "18-65",
        "to",
        "months",
        "or older",
        "Exclusion Criteria",
        "umbilical cord",
        "blood",
        "mesenchymal stem cells",
        "UC-MSC",
        "(UC-MSC)",
        "UCB&UC-MSCs",
        "Wharton's jelly",
        "+84 914740683",
        "ext. 12",
        "a@b.co",
        "June 1, 2022",
        "2022-06",
        "20/05/2014",
        ".",
        ";",
        "\n",
        "ü",
        "–",
        "€",
        "é",
        " ",
        "-",
        "(",
        ")",
        "%",
        "ages",
        "Part A:",
    ];

    fn record(pieces: &[(usize, String)]) -> Record {
        let mut r = Record::new("ictrp-xml");
        let e = r.add_entity(EntityKind::Contact, None, None);
        let keys_all = [
            keys::ENROLLMENT,
            keys::BRIEF_SUMMARY,
            keys::DETAILED_DESCRIPTION,
            keys::TITLE,
            keys::ELIGIBILITY,
            keys::MIN_AGE,
            keys::MAX_AGE,
            keys::START_DATE,
            keys::CONTACT_PHONE,
            keys::CONTACT_NAME,
            keys::CONTACT_EMAIL,
            keys::INTERVENTION_NAME,
        ];
        for (k, text) in pieces {
            let key = keys_all[k % keys_all.len()];
            // mix verbatim and decoded segments so spans go through the map
            let mut b = TextBuilder::new();
            let mut src = 0;
            for (j, part) in text.split('|').enumerate() {
                if j % 2 == 0 {
                    b.verbatim(part, src);
                    src += part.len();
                } else {
                    b.decoded(part, src, src + 3);
                    src += 3;
                }
            }
            let t: Text = b.finish();
            r.push_in(e, key, t);
        }
        r
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn extractors_never_panic(pieces in proptest::collection::vec((0usize..12, proptest::collection::vec((0usize..TOKENS.len(), any::<bool>(), any::<char>()), 0..40)), 1..6)) {
            let pieces: Vec<(usize, String)> = pieces
                .into_iter()
                .map(|(k, toks)| {
                    let mut s = String::new();
                    for (t, sep, c) in toks {
                        s.push_str(TOKENS[t]);
                        if sep { s.push(c) } else { s.push(' ') }
                        if c == 'x' { s.push('|') }
                    }
                    (k, s)
                })
                .collect();
            let r = record(&pieces);
            let facts = crate::extract::extract(&r);
            for f in facts {
                prop_assert!(f.span.start <= f.span.end);
                prop_assert!(f.field < r.fields.len());
            }
        }
    }
}
