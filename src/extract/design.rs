//! Design facts: masking level, allocation, whether a placebo or sham is
//! used, blinding claimed in the title, the number of groups stated in the
//! text, and the phase as a set of numbers from the phase field and from
//! the title ("Phase I/IIa" → 1/2).

use super::numbers::parse_number;
use super::{names, Fact, Origin, Value};
use crate::extract::patterns::holds_any_ci;
use crate::record::{keys, Record};
use regex::Regex;
use std::sync::LazyLock;

static PLACEBO: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?i)\b(placebos?|sham|dummy|vehicle[- ]controlled|simulated (?:treatment|procedure))\b",
    )
    .unwrap()
});
static BLIND_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b((?:double|triple|quadruple|single)[- ]?(?:blind(?:ed)?|mask(?:ed)?)|placebo[- ]controlled)\b").unwrap()
});
static GROUPS: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(?:divided|randomi[sz]ed|allocated|assigned|randomly assigned|split)\b(?:\s+\w+){0,6}?\s+(?:into|to)\s+(?:(?:one|1)\s+of\s+(?:the\s+)?)?(\d+|two|three|four|five|six)\s+(?:\w+\s+){0,2}?(groups|arms|cohorts)\b").unwrap()
});
static PHASE_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\bphase[- ]?(I{1,3}V?|IV|[0-4])([ab])?(?:\s*(?:/|-|–|and|to)\s*(?:phase[- ]?)?(I{1,3}V?|IV|[0-4])([ab])?)?\b").unwrap()
});

/// A gate before [`BLIND_TITLE`]: every match holds "blind", "mask" or
/// "placebo", and before [`PHASE_TITLE`]: every match holds "phase", in
/// ASCII letters of either case (both are compiled without Unicode mode, so
/// that `(?i)` folds ASCII letters only: "ſ" is not an "s"; a test says
/// so). Most titles hold none of them, and the searches (each with its
/// prefilter's many case variants of short prefixes, which common words
/// start) are not run: they were 1.1% of the time samples. Each word is
/// given with where a pair of its letters rarer than most starts
/// ([`holds_any_ci`]).
const BLIND_WORDS: &[(&str, usize); 3] = &[("blind", 0), ("placebo", 4), ("mask", 2)];
const PHASE_WORDS: &[(&str, usize); 1] = &[("phase", 0)];

/// The gate before [`PLACEBO`]: every match holds one of these words in
/// ASCII letters of either case (compiled without Unicode mode, as above),
/// and most arm and intervention texts hold none.
const PLACEBO_WORDS: &[(&str, usize); 5] = &[
    ("placebo", 4),
    ("sham", 0),
    ("dummy", 2),
    ("vehicle", 1),
    ("simulated", 2),
];

/// The words every match of [`GROUPS`] holds (it is compiled without
/// Unicode mode: ASCII letters of either case).
pub(super) const GROUP_COUNT_WORDS: &[&str] = &["groups", "arms", "cohorts"];

static GROUP_COUNT: LazyLock<crate::extract::patterns::Keywords> =
    LazyLock::new(|| crate::extract::patterns::keywords(GROUP_COUNT_WORDS));

fn roman(s: &str) -> Option<u32> {
    // compared without case in place (an upper-cased copy was an
    // allocation per phase read)
    [
        ("I", 1),
        ("1", 1),
        ("II", 2),
        ("2", 2),
        ("III", 3),
        ("3", 3),
    ]
    .into_iter()
    .chain([("IV", 4), ("4", 4), ("0", 0)])
    .find(|(r, _)| r.eq_ignore_ascii_case(s))
    .map(|(_, n)| n)
}

/// Whether `s` starts with the lower-case ASCII `w`, ignoring ASCII case:
/// `s.to_ascii_lowercase().starts_with(w)` without the copy.
fn starts_with_ci(s: &str, w: &str) -> bool {
    s.len() >= w.len() && s.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes())
}

/// Masking level: "none", "single", "double", "triple", "quadruple".
pub fn masking_level(s: &str) -> Option<&'static str> {
    for (w, n) in [
        ("quadruple", "quadruple"),
        ("triple", "triple"),
        ("double", "double"),
        ("single", "single"),
    ] {
        if starts_with_ci(s, w) {
            return Some(n);
        }
    }
    if starts_with_ci(s, "none") || holds_any_ci(s, &[("open label", 0), ("open-label", 0)]) {
        return Some("none");
    }
    None
}

/// The phases a phase field names, as a sorted list like "1/2", or "na".
pub fn field_phases(values: &[&str]) -> Option<String> {
    let mut nums: Vec<u32> = Vec::new();
    let mut na = false;
    for v in values {
        let l = v.to_ascii_lowercase().replace(['_', '-'], " ");
        if l.contains("not applicable") || l.trim() == "na" || l.trim() == "n/a" {
            na = true;
            continue;
        }
        let early = l.contains("early");
        // EU CTR lists every phase with a yes / no answer
        // ("Therapeutic confirmatory - (Phase III): yes"): read the yes lines
        let answered = l.contains("): yes") || l.contains("): no");
        let read: String = if answered {
            l.lines()
                .filter(|line| line.trim_end().ends_with("yes"))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            l.clone()
        };
        for tok in read.split(|c: char| !c.is_ascii_alphanumeric()) {
            let t = tok.trim_start_matches("phase");
            if let Some(n) = roman(t) {
                nums.push(if early && n == 1 { 1 } else { n });
            }
        }
    }
    nums.sort();
    nums.dedup();
    if !nums.is_empty() {
        Some(
            nums.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join("/"),
        )
    } else if na {
        Some("na".into())
    } else {
        None
    }
}

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    let mut phase_fields: Vec<(usize, &str)> = Vec::new();
    for (i, f) in record.fields.iter().enumerate() {
        let text = &f.text.text;
        match f.key.as_ref() {
            keys::MASKING => {
                if let Some(m) = masking_level(text.trim()) {
                    let t = f.text.trimmed_view();
                    out.push(Fact::new(
                        names::MASKING,
                        Value::Str(m.into()),
                        t.whole_span(),
                        i,
                        Origin::Field,
                        t.text,
                    ));
                }
            }
            keys::ALLOCATION => {
                // `l` is the value lower-cased with '_' and '-' read as
                // spaces, compared in place (it was two copies)
                let l = text.trim();
                let norm = |c: u8| match c {
                    b'_' | b'-' => b' ',
                    c => c.to_ascii_lowercase(),
                };
                let starts = |w: &str| {
                    l.len() >= w.len() && l.bytes().zip(w.bytes()).all(|(c, w)| norm(c) == w)
                };
                let v = if starts("randomi") {
                    "randomized"
                } else if starts("non randomi") || starts("nonrandomi") {
                    "non-randomized"
                } else {
                    continue;
                };
                let t = f.text.trimmed_view();
                out.push(Fact::new(
                    names::ALLOCATION,
                    Value::Str(v.into()),
                    t.whole_span(),
                    i,
                    Origin::Field,
                    t.text,
                ));
            }
            keys::ARM_TYPE if holds_any_ci(text, &[("placebo", 4), ("sham", 0)]) => {
                let t = f.text.trimmed_view();
                out.push(
                    Fact::new(
                        names::PLACEBO,
                        Value::Term("placebo".into()),
                        t.whole_span(),
                        i,
                        Origin::Field,
                        t.text,
                    )
                    .with_owner(f.entity),
                );
            }
            keys::ARM_LABEL
            | keys::ARM_DESCRIPTION
            | keys::INTERVENTION_NAME
            | keys::INTERVENTION_OTHER_NAME
            | keys::INTERVENTION_DESCRIPTION => {
                if !holds_any_ci(text, PLACEBO_WORDS) {
                    continue;
                }
                if let Some(m) = PLACEBO.find(text) {
                    // "no placebo" / "without placebo" says the opposite
                    let before = &text[..m.start()];
                    let negated = before.trim_end().to_ascii_lowercase().ends_with("no")
                        || before.trim_end().to_ascii_lowercase().ends_with("without");
                    if !negated {
                        out.push(
                            Fact::new(
                                names::PLACEBO,
                                Value::Term("placebo".into()),
                                f.text.span(m.start(), m.end()),
                                i,
                                Origin::Text,
                                m.as_str(),
                            )
                            .with_owner(f.entity),
                        );
                    }
                }
            }
            keys::TITLE | keys::OFFICIAL_TITLE => {
                let blind = if holds_any_ci(text, BLIND_WORDS) {
                    BLIND_TITLE.find(text)
                } else {
                    None
                };
                if let Some(m) = blind {
                    out.push(Fact::new(
                        names::BLINDING_CLAIMED,
                        Value::Term(m.as_str().to_ascii_lowercase().into()),
                        f.text.span(m.start(), m.end()),
                        i,
                        Origin::Text,
                        m.as_str(),
                    ));
                }
                if !holds_any_ci(text, PHASE_WORDS) {
                    continue;
                }
                for c in PHASE_TITLE.captures_iter(text) {
                    let (Some(m), Some(a)) = (c.get(0), c.get(1)) else {
                        continue;
                    };
                    let Some(x) = roman(a.as_str()) else { continue };
                    let y = c.get(3).and_then(|b| roman(b.as_str()));
                    let mut v = vec![x];
                    if let Some(y) = y {
                        v.extend((x + 1)..=y.max(x));
                    }
                    v.sort();
                    v.dedup();
                    let s = v
                        .iter()
                        .map(|n| n.to_string())
                        .collect::<Vec<_>>()
                        .join("/");
                    out.push(
                        Fact::new(
                            names::PHASE_TITLE,
                            Value::Str(s.as_str().into()),
                            f.text.span(m.start(), m.end()),
                            i,
                            Origin::Text,
                            m.as_str(),
                        )
                        .with_how(format!("\"{}\" read as phase {s}", m.as_str())),
                    );
                }
            }
            keys::DETAILED_DESCRIPTION | keys::BRIEF_SUMMARY => {
                // Not searched when the field's gate words, if another gate
                // has asked for them, say it holds none of the words (the
                // search reads every byte; the gate words are not searched
                // for this alone, which costs more than the pattern)
                if GROUP_COUNT.known_in_field(f) == Some(false) {
                    continue;
                }
                for c in GROUPS.captures_iter(text) {
                    let (Some(m), Some(n)) = (c.get(0), c.get(1)) else {
                        continue;
                    };
                    let Some(k) = parse_number(n.as_str()).or_else(|| n.as_str().parse().ok())
                    else {
                        continue;
                    };
                    if !(1..=12).contains(&k) {
                        continue;
                    }
                    let end = c.get(2).map(|g| g.end()).unwrap_or(m.end());
                    out.push(Fact::new(
                        names::GROUPS_STATED,
                        Value::Int(k),
                        f.text.span(n.start(), end),
                        i,
                        Origin::Text,
                        &text[n.start()..end],
                    ));
                }
            }
            keys::PHASE => phase_fields.push((i, text.as_str())),
            keys::INTERVENTION_TYPE => {
                let l = text.trim();
                if l.eq_ignore_ascii_case("drug") || l.eq_ignore_ascii_case("biological") {
                    let l = l.to_ascii_lowercase();
                    let t = f.text.trimmed_view();
                    out.push(
                        Fact::new(
                            names::DRUG_INTERVENTION,
                            Value::Term(l.into()),
                            t.whole_span(),
                            i,
                            Origin::Field,
                            t.text,
                        )
                        .with_owner(f.entity),
                    );
                }
            }
            _ => {}
        }
    }
    if !phase_fields.is_empty() {
        let values: Vec<&str> = phase_fields.iter().map(|(_, t)| *t).collect();
        if let Some(p) = field_phases(&values) {
            let first = phase_fields[0].0;
            let last = phase_fields[phase_fields.len() - 1].0;
            let span = record.fields[first]
                .span()
                .cover(record.fields[last].span());
            out.push(Fact::new(
                names::PHASE_FIELD,
                Value::Str(p.into()),
                span,
                first,
                Origin::Field,
                values.join(", "),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stated_group_count_holds_a_gate_word() {
        crate::extract::assert_every_match_holds_a_gate_word(
            &GROUPS,
            &GROUP_COUNT,
            &[
                "Patients will be RANDOMIZED into TWO ARMS.",
                "split into 3 cohorts",
                "divided to one of the four treatment groups",
            ],
        );
    }

    /// The gates before the title and placebo patterns pass every text
    /// the patterns match, on the fixtures and on generated texts; and the
    /// patterns fold ASCII case only.
    #[test]
    fn title_and_placebo_gates_pass_every_match() {
        const PIECES: &[&str] = &[
            "Phase",
            "PHASE",
            "phase",
            "pha",
            "se",
            " ",
            "-",
            "/",
            "I",
            "II",
            "IIa",
            "2",
            "3",
            "b",
            "Double",
            "blind",
            "BLINDED",
            "Masked",
            "mask",
            "single",
            "placebo",
            "Placebo",
            "controlled",
            "sham",
            "SHAM",
            "Dummy",
            "vehicle",
            "Vehicle-controlled",
            "simulated",
            "treatment",
            "procedure",
            "no",
            "without",
            "é",
            "ſ",
            "and",
        ];
        let mut texts = crate::extract::fixture_texts();
        for t in crate::extract::fixture_texts() {
            texts.extend(t.split('"').map(str::to_string));
        }
        texts.extend(crate::extract::random_texts(PIECES, 30_000, 10, 0xd51a));
        let mut matched = [0; 3];
        for t in &texts {
            type Gate<'a> = (&'a Regex, &'a dyn Fn(&str) -> bool);
            let gates: [Gate; 3] = [
                (&BLIND_TITLE, &|t| holds_any_ci(t, BLIND_WORDS)),
                (&PHASE_TITLE, &|t| holds_any_ci(t, PHASE_WORDS)),
                (&PLACEBO, &|t| holds_any_ci(t, PLACEBO_WORDS)),
            ];
            for (k, (re, gate)) in gates.into_iter().enumerate() {
                if re.is_match(t) {
                    matched[k] += 1;
                    assert!(gate(t), "{t:?}");
                }
            }
        }
        assert!(matched.iter().all(|&n| n > 100), "{matched:?}");
        assert!(!PHASE_TITLE.is_match("pha\u{17f}e 2") && PHASE_TITLE.is_match("phase 2"));
        assert!(
            !BLIND_TITLE.is_match("double ma\u{17f}ked")
                && !BLIND_TITLE.is_match("double mas\u{212a}ed")
        );
        assert!(!holds_any_ci("blin mas k placeb phas", BLIND_WORDS));
    }

    #[test]
    fn phases_from_fields_and_titles() {
        assert_eq!(field_phases(&["Phase 1 Phase 2"]).as_deref(), Some("1/2"));
        assert_eq!(field_phases(&["PHASE1", "PHASE2"]).as_deref(), Some("1/2"));
        assert_eq!(field_phases(&["Phase 1/Phase 2"]).as_deref(), Some("1/2"));
        assert_eq!(field_phases(&["NA"]).as_deref(), Some("na"));
        assert_eq!(field_phases(&["Not Applicable"]).as_deref(), Some("na"));
        assert_eq!(
            field_phases(&["Human pharmacology (Phase I): no\nTherapeutic exploratory (Phase II): no\nTherapeutic confirmatory - (Phase III): yes\nTherapeutic use (Phase IV): no"]).as_deref(),
            Some("3")
        );
        let mut r = Record::new("test");
        r.push(
            keys::OFFICIAL_TITLE,
            crate::span::Text::verbatim("A Phase I/IIa Randomised Crossover Trial", 0),
        );
        let mut out = Vec::new();
        extract(&r, &mut out);
        let p: Vec<_> = out
            .iter()
            .filter(|f| f.name == names::PHASE_TITLE)
            .map(|f| f.value.to_string())
            .collect();
        assert_eq!(p, vec!["1/2"]);
    }

    #[test]
    fn masking_levels() {
        assert_eq!(masking_level("None (Open Label)"), Some("none"));
        assert_eq!(masking_level("TRIPLE"), Some("triple"));
        assert_eq!(
            masking_level("Double (Participant, Investigator)"),
            Some("double")
        );
    }

    #[test]
    fn stated_groups() {
        let mut r = Record::new("test");
        r.push(
            keys::DETAILED_DESCRIPTION,
            crate::span::Text::verbatim(
                "the subjects were randomly divided into two groups by computer randomization",
                0,
            ),
        );
        let mut out = Vec::new();
        extract(&r, &mut out);
        assert!(
            out.iter()
                .any(|f| f.name == names::GROUPS_STATED && f.value == Value::Int(2)),
            "{out:?}"
        );
        // "randomized to 1 of 2 arms" states two arms, not one
        let mut r = Record::new("test");
        r.push(
            keys::DETAILED_DESCRIPTION,
            crate::span::Text::verbatim("Patients are randomized to 1 of 2 arms.", 0),
        );
        let mut out = Vec::new();
        extract(&r, &mut out);
        let stated: Vec<_> = out
            .iter()
            .filter(|f| f.name == names::GROUPS_STATED)
            .map(|f| f.value.clone())
            .collect();
        assert_eq!(stated, vec![Value::Int(2)]);
    }
}
