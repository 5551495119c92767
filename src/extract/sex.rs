//! Sex: the structured sex (gender) field, and the one sex the INCLUSION
//! criteria admit when they define the participants by sex ("Males with
//! sexual hormone deficiency aged 50 to 70 years", "2. Women aged 18-40").
//!
//! Only criteria that name the participants themselves are read: a sex word
//! at the start of a criterion, followed by what defines the participants
//! (an age, "with", "who are", "diagnosed", ...). Rules about some
//! participants ("Women of childbearing potential must use contraception",
//! "Female subjects: negative pregnancy test") are not, nor is anything
//! about a partner, spouse, donor, mother or infant, nor the exclusion
//! criteria ("Male azoospermia" excluded in a female-only trial is about the
//! partner). When the inclusion criteria name both sexes anywhere ("male or
//! female", "men and women", one criterion per sex, "Male ≥ 50 kg, female ≥
//! 45 kg", a pregnancy test), no fact is produced.

use super::{names, Fact, Origin, Value};
use crate::record::{keys, Record};
use regex::Regex;
use std::sync::LazyLock;

/// A criterion that defines the participants by sex.
static SUBJECT_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)
        (?: \A | [;] \s* | \s (?: \d{1,2}[.)] | [-•·] ) \s+ | inclusion\s+criteria\s*:?\s* )
        [\s*\-•·]* (?: \(?\d{1,2}[.)]\s* | [a-z][.)]\s+ )?
        (?: (?:healthy|adult|elderly|young|older|ambulatory|postmenopausal|post-menopausal|premenopausal|pre-menopausal|infertile|hypogonadal|obese|overweight|non-pregnant|nonpregnant|caucasian|chinese|japanese|korean|asian|african|eligible) ,?\s+ )*
        (?P<sex> males? | females? | men | women | man | woman | boys? | girls? ) \b
        (?: \s+ (?:patients?|subjects?|volunteers?|participants?|individuals?|adults?|persons?|people|outpatients?|inpatients?|smokers?|athletes?|workers?) \b )?
        (?P<next> \s* ,? \s* (?: aged?\b | between\b | from\b | \d | with\b | who\s+(?:are|have|is|has|were)\b | diagnosed\b | over\b | above\b | older\b | younger\b | under\b | ≥ | > | ≤ | < | of\s+age\b | at\s+least\b | in\s+(?:the\s+)?age\b | suffering\b | undergoing\b | scheduled\b | presenting\b | requiring\b | having\b | [.;]?\s*$ ) )",
    )
    .unwrap()
});

/// Both sexes named together: the criteria admit either.
static BOTH_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(?:(?:males?|men|boys?|man)\s*(?:and|or|&|/|,|and/or)\s*(?:(?:non-?pregnant|nonlactating|non-lactating)\s+)?(?:females?|women|girls?|woman)|(?:females?|women|girls?|woman)\s*(?:and|or|&|/|,|and/or)\s*(?:males?|men|boys?|man)|both\s+(?:sexes|genders)|either\s+(?:sex|gender)|regardless\s+of\s+(?:sex|gender)|any\s+(?:sex|gender)|all\s+genders)\b").unwrap()
});

/// A criterion about someone other than the participant, or a rule for
/// some participants rather than who the participants are.
static OTHER_PERSON_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(?:partners?|spouses?|wife|wives|husbands?|donors?|mothers?|maternal|infants?|bab(?:y|ies)|newborns?|neonat\w*|offspring|fetus\w*|caregivers?|parents?|child[- ]?bearing|reproductive|contracep\w*|pregnan\w*|sterile|steriliz\w*|amenorrh\w*|menses|potential|must|should|would|if|considered|defined|agree\w*|kg)\b").unwrap()
});

/// A clause about a partner or spouse: its sex words are not about the
/// participants.
static PARTNER_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?i)\b(?:partners?|spouses?|wife|wives|husbands?|couples?|donors?|heterosexual)\b",
    )
    .unwrap()
});

/// The text without its clauses about a partner, spouse or donor: its
/// clauses (split at "\n", ";" and ".") that hold no match of
/// [`PARTNER_RE`], joined with "\n".
///
/// One search of the whole text finds the clauses to drop (it was one
/// search per clause, and a `Vec` of them joined: 4 M instructions per
/// 1,000 records, and the function's time samples 1.5% → 1.0%). The same clauses are
/// dropped: a match is letters only, so it lies inside one clause, and the
/// pattern's ASCII `\b` reads a separator next to a clause as it reads
/// the clause's edge; a clause that holds a match holds the leftmost
/// match found from its start, so the search finds one in it.
fn without_partners(text: &str) -> String {
    let mut partners = PARTNER_RE.find_iter(text).map(|m| m.start()).peekable();
    let mut own = String::with_capacity(text.len());
    let mut first = true;
    let mut start = 0;
    for clause in text.split(['\n', ';', '.']) {
        let end = start + clause.len();
        // the matches before this clause were in dropped clauses
        while partners.next_if(|&p| p < start).is_some() {}
        let dropped = partners.peek().is_some_and(|&p| p < end);
        if !dropped {
            if !first {
                own.push('\n');
            }
            own.push_str(clause);
            first = false;
        }
        start = end + 1;
    }
    own
}

/// [`without_partners`] as it was written: the clauses filtered one by
/// one.
#[cfg(test)]
fn without_partners_slow(text: &str) -> String {
    text.split(['\n', ';', '.'])
        .filter(|c| !PARTNER_RE.is_match(c))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Any word naming men or boys, and any naming women or girls (including
/// what only women are): when the inclusion criteria use both, they are
/// not read as admitting one sex.
static MALE_WORD_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(?:males?|men|man|boys?)\b").unwrap()
});
static FEMALE_WORD_RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(?:femal\w*|wom[ae]n|girls?|pregnan\w*|lactat\w*|breast-?feeding|child[- ]?bearing|(?:pre|post|peri)-?menopaus\w*|menstrua\w*)").unwrap()
});

/// The sex words of [`sex_word_starts`].
pub(super) const SEX_WORD_LIST: &[&str] = &[
    "female", "male", "women", "men", "woman", "man", "boy", "girl",
];

static SEX_WORDS: LazyLock<crate::extract::patterns::Keywords> =
    LazyLock::new(|| crate::extract::patterns::keywords(SEX_WORD_LIST));

/// Whether `text` has a word [`SUBJECT_RE`] could read as a sex: one of
/// its sex words not glued to a letter before it ("treatment" holds "men",
/// "human" "man"), or glued to the "criteria" of its `inclusion criteria:`
/// lead, which may end without a space. Without one nothing is read, and
/// the partner clauses and the patterns need not be looked at. (The
/// words have no letter that Unicode case folding maps outside ASCII.)
/// The gate before [`criteria_sex`], which finds these words' starts.
#[cfg(test)]
fn names_a_sex(text: &str) -> bool {
    let b = text.as_bytes();
    // every occurrence, also one inside another ("wo|men")
    SEX_WORDS.find_overlapping_iter(text).any(|m| {
        let s = m.start();
        s == 0
            || !b[s - 1].is_ascii_alphabetic()
            || b[..s].len() >= 8 && b[s - 8..s].eq_ignore_ascii_case(b"criteria")
    })
}

fn sex_of(word: &str) -> &'static str {
    let w = word.to_ascii_lowercase();
    if matches!(
        w.as_str(),
        "male" | "males" | "men" | "man" | "boy" | "boys"
    ) {
        "male"
    } else {
        "female"
    }
}

/// The structured sex field, normalised: "all", "male" or "female".
pub fn field_sex(s: &str) -> Option<&'static str> {
    match s.trim().to_ascii_lowercase().as_str() {
        "all" | "both" | "male and female" | "female and male" | "m/f" => Some("all"),
        "male" | "males" | "men" | "m" => Some("male"),
        "female" | "females" | "women" | "f" => Some("female"),
        _ => None,
    }
}

/// Where a sex word starts that [`SUBJECT_RE`] could read as a sex (see
/// [`names_a_sex`]): every occurrence, also one inside another ("wo|men"),
/// in no particular order.
///
/// Found by two `memchr3` passes over the key letters "m", "b" and "g" in
/// either case (every word holds one: "male", "fe|male", "men", "wo|men",
/// "man", "wo|man", "boy", "girl"), each compared with the words it may be
/// part of, instead of an overlapping search with [`SEX_WORDS`] (the same
/// starts, a test says so; the automaton stepped every byte and was 1% of
/// the time samples). The words are compared in ASCII case only, as the
/// automaton does.
fn sex_word_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let at =
        |s: usize, w: &[u8]| b.len() - s >= w.len() && b[s..s + w.len()].eq_ignore_ascii_case(w);
    let mut starts = Vec::new();
    for i in
        memchr::memchr3_iter(b'm', b'b', b'g', b).chain(memchr::memchr3_iter(b'M', b'B', b'G', b))
    {
        match b[i] | 0x20 {
            b'm' => {
                // "male", "men" or "man" here, and "fe"/"wo" before it
                let m = if at(i, b"male") {
                    b"fe"
                } else if at(i, b"men") || at(i, b"man") {
                    b"wo"
                } else {
                    continue;
                };
                starts.push(i);
                if i >= 2 && b[i - 2..i].eq_ignore_ascii_case(m) {
                    starts.push(i - 2);
                }
            }
            b'b' if at(i, b"boy") => starts.push(i),
            b'g' if at(i, b"girl") => starts.push(i),
            _ => {}
        }
    }
    starts.retain(|&s| {
        s == 0
            || !b[s - 1].is_ascii_alphabetic()
            || b[..s].len() >= 8 && b[s - 8..s].eq_ignore_ascii_case(b"criteria")
    });
    starts
}

/// [`sex_word_starts`] by an overlapping search with [`SEX_WORDS`].
#[cfg(test)]
fn sex_word_starts_slow(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    SEX_WORDS
        .find_overlapping_iter(text)
        .map(|m| m.start())
        .filter(|&s| {
            s == 0
                || !b[s - 1].is_ascii_alphabetic()
                || b[..s].len() >= 8 && b[s - 8..s].eq_ignore_ascii_case(b"criteria")
        })
        .collect()
}

/// The criteria of the inclusion criteria `incl` that define the
/// participants by sex, when the criteria admit one sex: each as where
/// its sex word starts, where its quote ends and the sex.
///
/// The criteria are read first and the rest only when they give one sex
/// (it was the other way round: the partner clauses, [`BOTH_RE`] and the
/// sex words of each sex were looked for in every inclusion criteria with
/// a sex word, half the records, while about one in ten has a criterion
/// that defines the participants by sex); the questions have no effects,
/// so the order of asking changes no answer. And [`SUBJECT_RE`] is run
/// only over the logical lines where a sex word starts that it could read
/// ([`sex_word_starts`]): the byte before the `sex` group of a match is in
/// the match (a space, ";", "*", "-", a bullet's last byte, ".", ")", ":"
/// or the "a" of "criteria") or the line's start, after a "\n" or at the
/// text's start, so a line without such a start holds no match. The sex
/// words are the group's words without their plural "s", and the pattern
/// folds ASCII case only, as the automaton does.
fn criteria_sex(incl: &str) -> Vec<(usize, usize, &'static str)> {
    let mut starts = sex_word_starts(incl);
    if starts.is_empty() {
        return Vec::new();
    }
    starts.sort_unstable();
    let mut found: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut next = starts.iter().copied().peekable();
    // criteria start logical lines (a hard-wrapped criterion is one), or
    // follow an item number or ";" inside one
    for (ls, le) in super::sentences::logical_lines(incl) {
        // the starts before this line were in lines before it
        while next.next_if(|&s| s < ls).is_some() {}
        if next.peek().is_none_or(|&s| s >= le) {
            continue;
        }
        for c in SUBJECT_RE.captures_iter(&incl[ls..le]) {
            if let Some(hit) = subject_hit(incl, ls, le, &c) {
                found.push(hit);
            }
        }
    }
    // criteria that name both sexes (one per cohort) say nothing
    if found.is_empty() || found.iter().any(|h| h.2 != found[0].2) {
        return Vec::new();
    }
    let own = without_partners(incl);
    if BOTH_RE.is_match(&own) || (MALE_WORD_RE.is_match(&own) && FEMALE_WORD_RE.is_match(&own)) {
        return Vec::new();
    }
    found
}

/// What a match `c` of [`SUBJECT_RE`] in the logical line `ls..le` of
/// `incl` reads: where its sex word starts, where its quote ends and the
/// sex; None when its criterion is about someone else or a rule.
fn subject_hit(
    incl: &str,
    ls: usize,
    le: usize,
    c: &regex::Captures,
) -> Option<(usize, usize, &'static str)> {
    let (sex, next) = (c.name("sex")?, c.name("next")?);
    let (sex_start, sex_end, next_start) = (ls + sex.start(), ls + sex.end(), ls + next.start());
    // the criterion: up to the end of its logical line or clause
    let rest = &incl[sex_start..le];
    let clause_end = rest.find(';').map(|e| sex_start + e).unwrap_or(le);
    if OTHER_PERSON_RE.is_match(&incl[sex_start..clause_end]) {
        return None;
    }
    let quote = incl[sex_start..next_start].trim_end();
    Some((
        sex_start,
        sex_start + quote.len(),
        sex_of(&incl[sex_start..sex_end]),
    ))
}

/// [`criteria_sex`] as it was asked: whether a sex word could be read,
/// the partner clauses, both sexes, then every logical line.
#[cfg(test)]
fn criteria_sex_slow(incl: &str) -> Vec<(usize, usize, &'static str)> {
    if !names_a_sex(incl) {
        return Vec::new();
    }
    let own = without_partners(incl);
    if BOTH_RE.is_match(&own) || (MALE_WORD_RE.is_match(&own) && FEMALE_WORD_RE.is_match(&own)) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (ls, le) in super::sentences::logical_lines(incl) {
        for c in SUBJECT_RE.captures_iter(&incl[ls..le]) {
            found.extend(subject_hit(incl, ls, le, &c));
        }
    }
    if found
        .iter()
        .all(|h: &(usize, usize, &str)| h.2 == found[0].2)
    {
        found
    } else {
        Vec::new()
    }
}

/// The facts of `record`; `inclusion` finds its inclusion criteria once
/// for this extractor and `ages`.
pub fn extract(record: &Record, inclusion: &super::ages::Inclusion, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        match f.key.as_ref() {
            keys::SEX => {
                let t = f.text.trimmed_view();
                if let Some(s) = field_sex(t.text) {
                    out.push(Fact::new(
                        names::SEX,
                        Value::Str(s.into()),
                        t.whole_span(),
                        i,
                        Origin::Field,
                        t.text,
                    ));
                }
            }
            keys::ELIGIBILITY => {
                // (no sex word in the field: none in its inclusion criteria)
                if !SEX_WORDS.in_field(f) {
                    continue;
                }
                let incl = inclusion.of(i, f);
                for (sex_start, quote_end, s) in criteria_sex(incl) {
                    let quote = &incl[sex_start..quote_end];
                    out.push(
                        Fact::new(
                            names::CRITERIA_SEX,
                            Value::Str(s.into()),
                            f.text.span(sex_start, quote_end),
                            i,
                            Origin::Text,
                            quote,
                        )
                        .with_how(format!(
                            "\"{quote}\" at the start of an inclusion criterion read as: {s} participants only"
                        )),
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(criteria: &str) -> Vec<String> {
        let mut r = Record::new("test");
        r.push(keys::ELIGIBILITY, crate::span::Text::verbatim(criteria, 0));
        let mut out = Vec::new();
        extract(&r, &crate::extract::ages::Inclusion::default(), &mut out);
        out.iter()
            .filter(|f| f.name == names::CRITERIA_SEX)
            .map(|f| format!("{}={}", f.quote, f.value))
            .collect()
    }

    #[test]
    fn participants_defined_by_sex() {
        assert_eq!(
            read("Inclusion Criteria:\n- Males with sexual hormone deficiency aged 50 to 70 years\n- AMS score ≥ 27\nExclusion Criteria:\n- Diabetes"),
            vec!["Males=male"]
        );
        assert_eq!(
            read("Inclusion Criteria: 1. Healthy women aged 18-40; 2. BMI 18-30"),
            vec!["women=female"]
        );
        assert_eq!(
            read("Inclusion Criteria:\n* Postmenopausal women\n* HbA1c > 7"),
            vec!["women=female"]
        );
        // a partner named elsewhere does not make the criteria two-sexed
        assert_eq!(
            read("Inclusion Criteria:\n1. Male aged between 18 and 70 years.\n2. In a stable relationship with a female partner."),
            vec!["Male=male"]
        );
    }

    #[test]
    fn not_about_who_the_participants_are() {
        // the partner, in the exclusion criteria (seed 001)
        assert!(read("Inclusion Criteria\n1. POF diagnosis\nExclusion Criteria\n1. Male azoospermia or severe oligozoospermia").is_empty());
        // a rule for some participants
        assert!(read("Inclusion Criteria:\n* Adults with asthma\n* Women of childbearing potential must use contraception").is_empty());
        assert!(read("Inclusion Criteria:\n* Female subjects: negative pregnancy test").is_empty());
        // both sexes
        assert!(read("Inclusion Criteria:\n* Men and women aged 18-65").is_empty());
        assert!(read("Inclusion Criteria:\n* Male or female, aged 18 or older").is_empty());
        assert!(read(
            "Inclusion Criteria:\n* Men aged 40-70 (cohort A)\n* Women aged 40-70 (cohort B)"
        )
        .is_empty());
        assert!(read("Inclusion Criteria:\n1. Male≥50kg，femal≥45kg").is_empty());
        assert!(read("Inclusion Criteria:\n* Women who are of child bearing potential must have a negative pregnancy test").is_empty());
        assert!(read("Inclusion Criteria:\n* Postmenopausal women under the age of 50 may also be considered postmenopausal if amenorrheic").is_empty());
        // a hard-wrapped rule whose second line starts with a sex word
        assert!(read("Inclusion Criteria:\n  -  Surgically sterile, or\n     females who are post-menopausal").is_empty());
        // someone else
        assert!(read("Inclusion Criteria:\n* Women whose partner has azoospermia").is_empty());
        assert!(read("Inclusion Criteria:\n* Mothers with infants aged 0-6 months").is_empty());
    }

    /// Pieces of criteria for the generated texts of the gate tests: sex
    /// words glued to letters and "criteria" or not, the separators and
    /// bullets the patterns read, partner words.
    const PIECES: &[&str] = &[
        "Women",
        "men",
        "MALE",
        "females",
        "boy",
        "girls",
        "man",
        "woman",
        "wo",
        "hu",
        "treatment",
        "Inclusion Criteria:",
        "criteria",
        "Criteria",
        " ",
        " ",
        "\n",
        "\n",
        ";",
        ".",
        ":",
        ")",
        "1. ",
        "- ",
        "• ",
        "* ",
        "a) ",
        "aged 18",
        "with",
        "who are",
        "partner",
        "Spouse",
        "donor",
        "wife",
        " and ",
        " or ",
        "healthy ",
        "postmenopausal ",
        "é",
        "≥",
        ",",
        "12",
        "kg",
        "pregnant",
    ];

    fn generated_and_fixture_texts() -> Vec<String> {
        let mut texts = crate::extract::fixture_texts();
        // a sex word glued to its lead's "criteria", and one at the start
        texts.extend(
            [
                "inclusion criteriamen aged 18",
                "Inclusion criteriaWOMEN\n",
                "men with",
            ]
            .map(String::from),
        );
        // one text per seed: a sequence of length 0 ends a run of them
        for seed in 1..=20_000u64 {
            let seed = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            texts.extend(crate::extract::random_texts(PIECES, 1, 24, seed));
            // short ones, in which one word decides whether a line is read
            texts.extend(crate::extract::random_texts(PIECES, 1, 6, seed ^ 1));
        }
        texts
    }

    #[test]
    fn partner_clauses_dropped_as_one_by_one() {
        let mut dropped = 0;
        for t in generated_and_fixture_texts() {
            let own = without_partners(&t);
            assert_eq!(own, without_partners_slow(&t), "{t:?}");
            dropped += (own.len() + 1 < t.len()) as usize;
        }
        assert!(dropped > 1000, "{dropped}");
    }

    #[test]
    fn sex_word_starts_as_the_automaton_finds_them() {
        let mut found = 0;
        let mut texts = generated_and_fixture_texts();
        texts.extend(
            [
                "FEMALE", "woMEN", "xfemale", "fe male", "wowomen", "boygirl",
            ]
            .map(String::from),
        );
        for t in texts {
            let (mut fast, mut slow) = (sex_word_starts(&t), sex_word_starts_slow(&t));
            fast.sort_unstable();
            slow.sort_unstable();
            assert_eq!(fast, slow, "{t:?}");
            found += fast.len();
        }
        assert!(found > 20_000, "{found}");
    }

    /// The criteria read first, and only on the lines where a sex word
    /// could be read, give what the gate, the partner clauses, both sexes
    /// and every line gave.
    #[test]
    fn criteria_sex_as_asked_before() {
        let (mut read, mut lines_skipped) = (0, 0);
        for t in generated_and_fixture_texts() {
            // each text, and the text as the inclusion criteria of a
            // record (a lead, a criterion per line)
            for t in [
                t.clone(),
                format!("Inclusion Criteria:\n- {}", t.replace(';', "\n- ")),
            ] {
                let fast = criteria_sex(&t);
                assert_eq!(fast, criteria_sex_slow(&t), "{t:?}");
                read += !fast.is_empty() as usize;
                let starts = sex_word_starts(&t);
                lines_skipped += crate::extract::sentences::logical_lines(&t)
                    .iter()
                    .filter(|&&(ls, le)| !starts.iter().any(|&s| (ls..le).contains(&s)))
                    .count();
            }
        }
        assert!(
            read > 500 && lines_skipped > 10_000,
            "{read} {lines_skipped}"
        );
    }
}
