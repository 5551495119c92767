//! Where a record says its mesenchymal stem/stromal cells come from.
//!
//! - cord blood MSC: cord blood directly qualifies the MSC noun phrase
//!   ("umbilical cord blood(-derived) mesenchymal stem cells", "UCB-MSCs",
//!   "MSCs derived from umbilical cord blood").
//! - cord tissue MSC: "umbilical cord(-derived) mesenchymal stem cells",
//!   "umbilical cord tissue MSCs", "Wharton's jelly MSCs", "WJ-MSCs",
//!   "UC-MSCs" (unless the record defines UC-MSC as cord blood: then its
//!   UC-MSCs are cord blood MSCs, and the fact says so).
//! - combination: cord blood named as a product of its own next to
//!   cord-derived MSCs ("umbilical cord blood & umbilical cord derived
//!   mesenchymal stem cells", "UCB&UC-MSCs", "UCB in combination with
//!   UC-MSCs"); the cord-derived MSCs inside such a phrase give no other fact.

use super::names;
use super::{Fact, Origin, Value};
use crate::record::{keys, Record};
use regex::Regex;
use std::sync::LazyLock;

const TERM_BLOOD: &str = "cord blood MSC";
const TERM_TISSUE: &str = "cord tissue MSC";
const TERM_COMBINATION: &str = "cord blood + cord-derived MSC";

const MSC: &str = r"(?:mesenchymal(?:[\s-]+(?:stem/stromal|stromal/stem|stem|stromal|progenitor))?[\s-]+cells?\b|MSCs?\b)";
const CONJ: &str = r"(?:&|\+|\band\b|\bplus\b|\bwith\b|\bin\s+combination\s+with\b|\bcombined\s+with\b|\btogether\s+with\b|\bas\s+well\s+as\b)";

fn re(p: &str) -> Regex {
    crate::extract::patterns::compile(&p.replace("{MSC}", MSC).replace("{CONJ}", CONJ)).unwrap()
}

/// Cord blood and cord-derived MSCs named as two products.
static COMBO: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        re(
            r"(?i)\b(?:human\s+)?(?:umbilical[\s-]+)?cord[\s-]+blood\s*{CONJ}\s*(?:human\s+)?(?:umbilical[\s-]+)?cord(?:[\s-]+(?:tissue|matrix|lining))?(?:[\s-]*derived)?[\s-]*{MSC}",
        ),
        re(
            r"(?i)\b(?:human\s+)?(?:umbilical[\s-]+)?cord[\s-]+blood\s*{CONJ}\s*h?(?:UC|WJ)-?MSCs?\b",
        ),
        re(r"(?i)\bh?UCB\s*{CONJ}\s*h?(?:UC|WJ)[\s-]?MSCs?\b"),
        re(
            r"(?i)\bh?UCB\s*{CONJ}\s*(?:human\s+)?umbilical[\s-]+cord(?:[\s-]+(?:tissue|matrix|lining))?(?:[\s-]*derived)?[\s-]*{MSC}",
        ),
    ]
});

/// Cord blood qualifying the MSC noun directly.
static BLOOD: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        re(
            r"(?i)\b(?:h(?:uman)?[\s-]*)?(?:umbilical[\s-]+)?cord[\s-]+blood(?:[\s-]*(?:derived|origin|sourced))?[\s-]*(?:derived[\s-]+)?{MSC}",
        ),
        re(r"(?i)\bh?UCB[\s-]?MSCs?\b"),
        re(r"\bh?CB-MSCs?\b"),
    ]
});

/// Cord tissue / Wharton's jelly / cord-derived MSCs (full terms).
static TISSUE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        re(
            r"(?i)\b(?:h(?:uman)?[\s-]*)?umbilical[\s-]+cord(?:[\s-]+(?:tissue|matrix|lining|stroma|membrane|wharton[’'`]?s?\s+jelly))?(?:[\s-]*(?:derived|origin))?[\s-]*(?:derived[\s-]+)?{MSC}",
        ),
        re(r"(?i)\bcord[\s-]+(?:tissue|lining|matrix)(?:[\s-]*derived)?[\s-]*{MSC}"),
        re(r"(?i)\b(?P<pre>\w+[\s-]+)?cord[\s-]+derived[\s-]+{MSC}"),
        re(
            r"(?i)\bWharton[’'`]?s?[\s-]+jelly(?:[\s-]*(?:derived|origin))?[\s-]*(?:derived[\s-]+)?{MSC}",
        ),
        re(r"(?i)\bh?WJ[\s-]?MSCs?\b"),
    ]
});

/// "MSCs derived from (human) umbilical cord (blood / tissue / Wharton's jelly)".
static FROM_CORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b{MSC}\s+(?:(?:derived|isolated|obtained|expanded|harvested|prepared|sourced)\s+)?from\s+(?:(?:the|human|allogeneic|donor|donated|healthy)\s+)*(?:(?P<uc>umbilical[\s-]+cord)|(?P<wj>wharton[’'`]?s?\s+jelly))(?P<blood>[\s-]+blood)?(?:[\s-]+(?:tissue|wharton[’'`]?s?\s+jelly))?",
    )
});

/// The abbreviation UC-MSC(s) / hUC-MSC(s) / UCMSC.
static UC_ABBR: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\bh?UC-?MSCs?\b|\bh?UC MSCs?\b").unwrap()
});

/// A parenthesised abbreviation right after a term: "(UC-MSC)".
static PAREN_ABBR: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"^\s*\(\s*([A-Za-z][A-Za-z\- ]{1,12}?)\s*[),;]").unwrap()
});

/// Every pattern needs one of these words (gate words, see
/// `extract::patterns`).
pub(super) const SOURCE_WORDS: &[&str] = &["cord", "msc", "wharton", "wj", "ucb"];
/// And every pattern names the cells: "MSC" or "mesenchymal" (with the
/// long s that the patterns compiled in Unicode mode fold to "s").
pub(super) const CELL_WORDS: &[&str] = &["msc", "mesenchymal", "m\u{17f}c", "me\u{17f}enchymal"];

static WORDS: LazyLock<crate::extract::patterns::Keywords> =
    LazyLock::new(|| crate::extract::patterns::keywords(SOURCE_WORDS));
static CELLS: LazyLock<crate::extract::patterns::Keywords> =
    LazyLock::new(|| crate::extract::patterns::keywords(CELL_WORDS));

/// Whether any pattern can match in the field. Most fields hold neither
/// kind of word, which the field's gate words answer without a search.
fn prefilter(f: &crate::record::Field) -> bool {
    let s = f.text.as_str();
    // Every prose field is read here, most of them by no other gate: its
    // gate words (one automaton step per byte) were searched for this
    // question alone. The cell words all start with "m", which `memchr`
    // finds a few bytes in a hundred: the same answer (`names_cells`),
    // without the search, unless another gate already paid for it.
    let cells = CELLS.known_in_field(f).unwrap_or_else(|| names_cells(s));
    if !cells || !WORDS.in_field(f) {
        return false;
    }
    // "cord" only at the start of a word, or "record" and "according"
    // would send most prose fields through all the patterns below. A
    // spinal cord or cord blood without the cells needs none of them.
    WORDS.find_iter(s).any(|m| {
        m.pattern().as_usize() != 0
            || !s.as_bytes()[..m.start()]
                .last()
                .is_some_and(|b| b.is_ascii_alphabetic())
    })
}

/// Whether `s` holds one of [`CELL_WORDS`] in ASCII letters of either case:
/// `CELLS.is_match(s)`, by [`holds_any_ci`](crate::extract::patterns::holds_any_ci)
/// (`eq_ignore_ascii_case` folds ASCII letters only, as the automaton
/// does) on a pair of each word's bytes: "ms", "ym" of "mesenchymal", the
/// long s. It was a `memchr2` pass over the "m"s, a few bytes in a
/// hundred of prose, each one found a call of the iterator.
fn names_cells(s: &str) -> bool {
    const PAIRS: &[(&str, usize); 4] = &[
        ("msc", 0),
        ("mesenchymal", 7),
        ("m\u{17f}c", 1),
        ("me\u{17f}enchymal", 8),
    ];
    debug_assert!(PAIRS.iter().map(|p| p.0).eq(CELL_WORDS.iter().copied()));
    crate::extract::patterns::holds_any_ci(s, PAIRS)
}

fn fields(record: &Record) -> impl Iterator<Item = (usize, &crate::record::Field)> {
    record
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| keys::is_prose(&f.key) || f.key == keys::INTERVENTION_NAME)
        .filter(|(_, f)| prefilter(f))
}

/// Normalise an abbreviation: "hUC-MSCs" → "ucmsc".
fn abbr_key(a: &str) -> String {
    let mut k: String = a
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if k.ends_with('s') {
        k.pop();
    }
    if k.starts_with('h') {
        k.remove(0);
    }
    k
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Blood,
    Tissue,
    Combination,
}

struct Hit {
    kind: Kind,
    start: usize,
    end: usize,
    how: Option<String>,
}

/// Full-term hits in one text (combinations first; terms inside a
/// combination dropped), with the abbreviations each full term defines.
fn full_terms(t: &str, defs: &mut Vec<Def>) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    let overlaps =
        |hits: &Vec<Hit>, a: usize, b: usize| hits.iter().any(|h| a < h.end && h.start < b);
    for r in COMBO.iter() {
        for m in r.find_iter(t) {
            if !overlaps(&hits, m.start(), m.end()) {
                hits.push(Hit {
                    kind: Kind::Combination,
                    start: m.start(),
                    end: m.end(),
                    how: None,
                });
            }
        }
    }
    // "MSCs from umbilical cord (blood)"
    for c in FROM_CORD.captures_iter(t) {
        let m = c.get(0).unwrap();
        if overlaps(&hits, m.start(), m.end()) {
            continue;
        }
        let kind = if c.name("blood").is_some() {
            Kind::Blood
        } else {
            Kind::Tissue
        };
        // "MSCs from umbilical cord blood and ..." is still cord blood MSCs
        hits.push(Hit {
            kind,
            start: m.start(),
            end: m.end(),
            how: None,
        });
    }
    for (kind, set) in [(Kind::Blood, &*BLOOD), (Kind::Tissue, &*TISSUE)] {
        for r in set.iter() {
            for c in r.captures_iter(t) {
                let m = c.get(0).unwrap();
                let mut start = m.start();
                if let Some(pre) = c.name("pre") {
                    // "spinal cord-derived", "umbilical cord-derived" (read by the first pattern)
                    let w = pre
                        .as_str()
                        .trim_end_matches(|ch: char| ch.is_whitespace() || ch == '-')
                        .to_ascii_lowercase();
                    if w == "spinal" || w == "umbilical" || w == "blood" {
                        continue;
                    }
                    start = pre.end();
                }
                if overlaps(&hits, start, m.end()) {
                    continue;
                }
                hits.push(Hit {
                    kind,
                    start,
                    end: m.end(),
                    how: None,
                });
                // "(UC-MSC)" right after the term defines an abbreviation
                if let Some(p) = PAREN_ABBR.captures(&t[m.end()..]) {
                    let a = p.get(1).unwrap();
                    defs.push((
                        abbr_key(a.as_str()),
                        kind,
                        m.end() + a.start(),
                        m.end() + a.end(),
                    ));
                }
            }
        }
    }
    hits
}

/// An abbreviation defined after a full term: (normalised key, kind, start, end).
type Def = (String, Kind, usize, usize);

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    // pass 1: full terms, and the abbreviations the record defines
    let mut per_field: Vec<(usize, Vec<Hit>, Vec<Def>)> = Vec::new();
    let mut uc_blood = false;
    let mut uc_tissue = false;
    let mut blood_def: Option<String> = None;
    for (i, f) in fields(record) {
        let mut defs = Vec::new();
        let hits = full_terms(f.text.as_str(), &mut defs);
        for (k, kind, a, b) in &defs {
            if k == "ucmsc" {
                match kind {
                    Kind::Blood => {
                        uc_blood = true;
                        if blood_def.is_none() {
                            blood_def = Some(format!(
                                "{} ({})",
                                keys::label(&f.key),
                                &f.text.as_str()[*a..*b]
                            ));
                        }
                    }
                    Kind::Tissue => uc_tissue = true,
                    Kind::Combination => {}
                }
            }
        }
        per_field.push((i, hits, defs));
    }
    // pass 2: UC-MSC abbreviations, read as the record defines them
    for (i, hits, defs) in &mut per_field {
        let f = &record.fields[*i];
        let t = f.text.as_str();
        for m in UC_ABBR.find_iter(t) {
            let (a, b) = (m.start(), m.end());
            // "UC MSC" with a space only in capitals: "uc msc" may be colitis
            if m.as_str().contains(' ') && !m.as_str().contains("UC") {
                continue;
            }
            if hits.iter().any(|h| a < h.end && h.start < b) {
                continue;
            }
            // the defining "(UC-MSC)" itself is not another mention
            if defs.iter().any(|d| a < d.3 && d.2 < b) {
                continue;
            }
            let hit = if uc_blood && uc_tissue {
                continue; // defined both ways: do not guess
            } else if uc_blood {
                Hit {
                    kind: Kind::Blood,
                    start: a,
                    end: b,
                    how: Some(format!(
                        "'{}' read as cord blood MSC: the record defines it as umbilical cord blood mesenchymal stem cells{}",
                        m.as_str(),
                        blood_def.as_ref().map(|d| format!(" in the {d}")).unwrap_or_default()
                    )),
                }
            } else {
                Hit {
                    kind: Kind::Tissue,
                    start: a,
                    end: b,
                    how: None,
                }
            };
            hits.push(hit);
        }
        hits.sort_by_key(|h| h.start);
        for h in hits.iter() {
            let (name, term) = match h.kind {
                Kind::Blood => (names::CELL_CORD_BLOOD_MSC, TERM_BLOOD),
                Kind::Tissue => (names::CELL_CORD_TISSUE_MSC, TERM_TISSUE),
                Kind::Combination => (names::CELL_COMBINATION, TERM_COMBINATION),
            };
            let mut fact = Fact::new(
                name,
                Value::Term(term.into()),
                f.text.span(h.start, h.end),
                *i,
                Origin::Text,
                &t[h.start..h.end],
            );
            if let Some(how) = &h.how {
                fact = fact.with_how(how.clone());
            }
            out.push(fact);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Text;

    fn run(fields: &[(&str, &str)]) -> Vec<Fact> {
        let mut r = Record::new("t");
        let mut at = 0;
        for (k, v) in fields {
            r.push(k.to_string(), Text::verbatim(v, at));
            at += v.len() + 10;
        }
        let mut out = Vec::new();
        extract(&r, &mut out);
        out
    }

    #[test]
    fn names_cells_is_the_cell_gate() {
        assert!(CELL_WORDS.iter().all(|w| w.starts_with('m')));
        let mut texts: Vec<String> = [
            "",
            "m",
            "M",
            "ms",
            "msc",
            "MSC",
            "mSc",
            "hUC-MSCs",
            "xmscx",
            "mesenchymal",
            "MESENCHYMAL stem",
            "mesenchyma",
            "Mesen\u{17f}chymal",
            "me\u{17f}enchymal",
            "M\u{17f}C",
            "m\u{17f}",
            "\u{17f}c",
            "mM msc",
            "émsc",
            "mmesenchymal",
            "mmsc",
            "mes enchymal",
            "Msc.",
            "amsterdam",
            "MS C",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for text in crate::extract::fixture_texts() {
            texts.extend(text.split(['"', '.']).map(str::to_string));
            texts.push(text);
        }
        for t in &texts {
            assert_eq!(names_cells(t), CELLS.is_match(t.as_str()), "{t:?}");
            // every cut too: a word cut short at the end of the text
            for (k, _) in t.char_indices().filter(|(k, _)| *k + 12 >= t.len()) {
                assert_eq!(
                    names_cells(&t[..k]),
                    CELLS.is_match(&t[..k]),
                    "{:?}",
                    &t[..k]
                );
            }
        }
    }

    fn kinds(out: &[Fact]) -> Vec<(&str, &str)> {
        out.iter()
            .map(|f| (f.name.as_ref(), f.quote.as_str()))
            .collect()
    }

    const SEED000_DESC: &str = "Patients will receive two administrations at a dose of 1.5 million cells/kg patient bodyweight via the IV route with a 3-month intervening interval. A validated umbilical cord blood mesenchymal stem cells (UC-MSC) line was selected from the Vinmec Tissue Bank and cultured under xeno-free, serum-free and antibiotic-free conditions as previously described. To prepare UC-MSCs for therapy, aliquots of Passage 3 (P3) UC-MSCs will be thawed.";

    #[test]
    fn seed000() {
        let out = run(&[
            (keys::TITLE, "Umbilical Cord-Derived Mesenchymal Stem Cell (VCELL 1) for Male Patients With Sexual Deficiency"),
            (keys::ARM_LABEL, "Umbilical Cord-Derived Mesenchymal Stem Cell, then Placebo (group A)"),
            (keys::INTERVENTION_NAME, "Umbilical Cord-Derived Mesenchymal Stem Cell for Male Patients with Sexual Deficiency"),
            (keys::INTERVENTION_DESCRIPTION, SEED000_DESC),
        ]);
        let k = kinds(&out);
        assert_eq!(
            k[0],
            (
                names::CELL_CORD_TISSUE_MSC,
                "Umbilical Cord-Derived Mesenchymal Stem Cell"
            )
        );
        assert_eq!(k[1].0, names::CELL_CORD_TISSUE_MSC);
        assert_eq!(k[2].0, names::CELL_CORD_TISSUE_MSC);
        assert_eq!(
            k[3],
            (
                names::CELL_CORD_BLOOD_MSC,
                "umbilical cord blood mesenchymal stem cells"
            )
        );
        // the UC-MSCs of this record are the cord blood ones it defined
        assert_eq!(k[4], (names::CELL_CORD_BLOOD_MSC, "UC-MSCs"));
        assert!(out[4]
            .how
            .as_deref()
            .unwrap()
            .contains("defines it as umbilical cord blood"));
        assert_eq!(k.len(), 6);
        assert_eq!(out[3].value, Value::Term(TERM_BLOOD.into()));
    }

    #[test]
    fn seed004_combination_only() {
        let out = run(&[
            (keys::BRIEF_SUMMARY, "The multicenter collaborative clinical study conducted a systematic clinical observation in the treatment of bone marrow failure diseases via UCB&UC-MSCs , in order to observe its clinical efficacy and safety."),
            (keys::INTERVENTION_NAME, "Umbilical cord blood & Umbilical cord derived mesenchymal stem cells"),
            (keys::INTERVENTION_DESCRIPTION, "Intravenous infusion of umbilical cord blood and umbilical cord derived mesenchymal stem cells (5-8×10^7) at 1 week interval."),
            (keys::OUTCOME_DESCRIPTION, "To evaluate efficacy of UCB in combination with UC-MSCs in the treatment of bone marrow failure disorders"),
        ]);
        let k = kinds(&out);
        assert_eq!(
            k,
            vec![
                (names::CELL_COMBINATION, "UCB&UC-MSCs"),
                (
                    names::CELL_COMBINATION,
                    "Umbilical cord blood & Umbilical cord derived mesenchymal stem cells"
                ),
                (
                    names::CELL_COMBINATION,
                    "umbilical cord blood and umbilical cord derived mesenchymal stem cells"
                ),
                (names::CELL_COMBINATION, "UCB in combination with UC-MSCs"),
            ]
        );
    }

    #[test]
    fn seeds_001_002_003_tissue_only() {
        let out = run(&[
            (keys::TITLE, "Clinical Study of Human Umbilical Cord Mesenchymal Stem Cells in the Treatment of Premature Ovarian Insufficiency"),
            (keys::INTERVENTION_NAME, "transplantation of human UC-MSCs into ovaries of POI patients"),
            (keys::INTERVENTION_OTHER_NAME, "umbilical cord derived MSCs"),
            (keys::BRIEF_SUMMARY, "stem cell transplantation, mainly umbilical cord-mesenchymal stem cells, has attracted attention. We use human umbilical cord tissue mesenchymal stem cells."),
            (keys::ARM_DESCRIPTION, "Different dosage of umbilical cord-mesenchymal stem cells through peripheral vein"),
            (keys::INTERVENTION_OTHER_NAME, "UC-MSCs"),
        ]);
        assert!(
            out.iter().all(|f| f.name == names::CELL_CORD_TISSUE_MSC),
            "{:?}",
            kinds(&out)
        );
        let k = kinds(&out);
        assert_eq!(k[0].1, "Human Umbilical Cord Mesenchymal Stem Cells");
        assert_eq!(k[1].1, "UC-MSCs");
        assert_eq!(k[2].1, "umbilical cord derived MSCs");
        assert_eq!(k[3].1, "umbilical cord-mesenchymal stem cells");
        assert_eq!(k[4].1, "human umbilical cord tissue mesenchymal stem cells");
        assert_eq!(out.len(), 7);
    }

    #[test]
    fn variants() {
        let t = |s: &str| {
            kinds(&run(&[(keys::DETAILED_DESCRIPTION, s)]))
                .into_iter()
                .map(|(n, q)| (n.to_string(), q.to_string()))
                .collect::<Vec<_>>()
        };
        let one = |s: &str, name: &str, q: &str| {
            assert_eq!(t(s), vec![(name.to_string(), q.to_string())], "{s}")
        };
        one(
            "We inject Wharton's jelly derived MSCs.",
            names::CELL_CORD_TISSUE_MSC,
            "Wharton's jelly derived MSCs",
        );
        one(
            "Wharton Jelly Mesenchymal stem cells (see)",
            names::CELL_CORD_TISSUE_MSC,
            "Wharton Jelly Mesenchymal stem cells",
        );
        one(
            "20 million of WJ-MSC cells",
            names::CELL_CORD_TISSUE_MSC,
            "WJ-MSC",
        );
        one(
            "umbilical cord blood-derived mesenchymal stromal cells",
            names::CELL_CORD_BLOOD_MSC,
            "umbilical cord blood-derived mesenchymal stromal cells",
        );
        one(
            "cord blood MSCs",
            names::CELL_CORD_BLOOD_MSC,
            "cord blood MSCs",
        );
        one(
            "hUCB-MSCs were used",
            names::CELL_CORD_BLOOD_MSC,
            "hUCB-MSCs",
        );
        one("UCB-MSC", names::CELL_CORD_BLOOD_MSC, "UCB-MSC");
        one(
            "mesenchymal stem cells derived from umbilical cord blood",
            names::CELL_CORD_BLOOD_MSC,
            "mesenchymal stem cells derived from umbilical cord blood",
        );
        one(
            "MSCs isolated from human umbilical cord tissue",
            names::CELL_CORD_TISSUE_MSC,
            "MSCs isolated from human umbilical cord tissue",
        );
        one(
            "injection of HUCMSC.",
            names::CELL_CORD_TISSUE_MSC,
            "HUCMSC",
        );
        one(
            "inject 2mL hUcMSCs into",
            names::CELL_CORD_TISSUE_MSC,
            "hUcMSCs",
        );
        one(
            "umbilical cord lining MSCs",
            names::CELL_CORD_TISSUE_MSC,
            "umbilical cord lining MSCs",
        );
        one(
            "UCB in combination with UC-MSCs",
            names::CELL_COMBINATION,
            "UCB in combination with UC-MSCs",
        );
        // not MSC terms
        assert!(t("spinal cord-derived MSCs are not a thing here").is_empty());
        assert!(t("cord blood transplantation and bone marrow MSCs").is_empty());
        assert!(t("umbilical cord stem cell rich tissue substance").is_empty());
        assert!(t("spinal cord injury").is_empty());
        assert!(t("patients with uc msc").is_empty());
    }

    #[test]
    fn tissue_definition_keeps_uc_msc_as_tissue() {
        let out = run(&[
            (
                keys::BRIEF_SUMMARY,
                "Human umbilical cord mesenchymal stem cells (hUC-MSCs) are ideal seed cells.",
            ),
            (keys::DETAILED_DESCRIPTION, "Patients receive hUC-MSCs."),
        ]);
        let k = kinds(&out);
        assert_eq!(
            k,
            vec![
                (
                    names::CELL_CORD_TISSUE_MSC,
                    "Human umbilical cord mesenchymal stem cells"
                ),
                (names::CELL_CORD_TISSUE_MSC, "hUC-MSCs")
            ]
        );
    }

    #[test]
    fn no_panic() {
        for s in [
            "",
            "cord",
            "MSC",
            "umbilical cord blood (",
            "Wharton’s jelly",
            "UCB&",
            "ü cord blood ü MSC ü",
        ] {
            let _ = run(&[(keys::BRIEF_SUMMARY, s)]);
        }
    }
}
