//! The check model: checks are data (TOML files in `checks/`), kinds are code
//! (`kinds/`). A check names a kind and sets its parameters; the kind runs
//! over a record's facts and emits [`Draft`]s, which become [`Finding`]s
//! carrying the check's name and severity.

pub mod baseline;
pub mod catalogue;
pub mod kinds;
pub mod load;
pub mod suppress;

use crate::extract::Fact;
use crate::record::Record;
use crate::span::Span;
use serde::Serialize;
use std::fmt;

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" => Some(Severity::Note),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A check's documentation, from its file. Feeds `explain`, `checks`, the
/// README's catalogue and SARIF rule help.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Docs {
    /// What the check looks for.
    pub what: String,
    /// Why it matters to a curator.
    pub why: String,
    /// A record excerpt that triggers it.
    pub example: String,
    /// How to fix the record.
    pub fix: String,
    /// Measured finding rate and precision on the corpus.
    pub precision: String,
}

/// The wording used in a correction request for this check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestText {
    /// The question put to the sponsor.
    pub question: String,
    /// The registry field to correct.
    pub field: String,
}

/// Where a check was defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckOrigin {
    /// Shipped in the binary; the file name under `checks/`.
    Shipped(String),
    /// A user check file.
    User(String),
}

impl fmt::Display for CheckOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckOrigin::Shipped(file) => write!(f, "shipped (checks/{file})"),
            CheckOrigin::User(path) => write!(f, "user ({path})"),
        }
    }
}

/// One loaded check.
pub struct Check {
    pub name: String,
    /// The group it belongs to (`enrollment`, `dates`, ...), for selection by prefix.
    pub group: String,
    pub severity: Severity,
    pub summary: String,
    pub kind_name: String,
    /// A message template with `{variables}` the kind provides; the kind's
    /// own message is used when absent.
    pub message: Option<String>,
    pub help: Option<String>,
    pub docs: Docs,
    pub request: RequestText,
    pub origin: CheckOrigin,
    pub kind: Box<dyn Kind>,
    /// The shipped extractors that give the facts its kind reads: a record
    /// is read by those the run's checks want between them.
    pub wants: crate::extract::Wanted,
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Check")
            .field("name", &self.name)
            .field("severity", &self.severity)
            .field("kind", &self.kind_name)
            .finish()
    }
}

/// The fact names checks ask for, each numbered once: when a check is
/// built ([`FactName::new`], or a kind's parameters deserialized as
/// [`FactName`]s), never while records are checked. Only added to, so a
/// name's number never changes; the names are few (those of the checks
/// loaded), kept for the whole run.
struct FactNames {
    ids: rustc_hash::FxHashMap<&'static str, u32>,
}

static FACT_NAMES: std::sync::LazyLock<std::sync::RwLock<FactNames>> =
    std::sync::LazyLock::new(|| {
        std::sync::RwLock::new(FactNames {
            ids: rustc_hash::FxHashMap::default(),
        })
    });

fn fact_names() -> std::sync::RwLockReadGuard<'static, FactNames> {
    FACT_NAMES.read().unwrap_or_else(|e| e.into_inner())
}

/// A fact name a check asks for, numbered when the check is built, so
/// that [`Context::facts`] finds its facts by an index instead of hashing
/// and comparing the name for each question (55 a record: `Context::facts`
/// was 1.1% of the time samples, most of it hashing names and comparing
/// them with `memcmp`). Reads as the name (`Deref<Target = str>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FactName {
    name: &'static str,
    id: u32,
}

impl FactName {
    pub fn new(name: &str) -> FactName {
        if let Some((&name, &id)) = fact_names().ids.get_key_value(name) {
            return FactName { name, id };
        }
        let mut table = FACT_NAMES.write().unwrap_or_else(|e| e.into_inner());
        if let Some((&name, &id)) = table.ids.get_key_value(name) {
            return FactName { name, id };
        }
        let id = table.ids.len() as u32;
        let name: &'static str = Box::leak(name.to_string().into_boxed_str());
        table.ids.insert(name, id);
        FactName { name, id }
    }
}

impl std::ops::Deref for FactName {
    type Target = str;
    fn deref(&self) -> &str {
        self.name
    }
}

impl AsRef<str> for FactName {
    fn as_ref(&self) -> &str {
        self.name
    }
}

impl fmt::Display for FactName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl<'de> serde::Deserialize<'de> for FactName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FactName, D::Error> {
        let s = String::deserialize(d)?;
        Ok(FactName::new(&s))
    }
}

/// What [`Context::facts`] takes: a [`FactName`] (an index) or any
/// string (looked up by its bytes).
pub trait AskFacts {
    /// The name's number, if it has one.
    fn id(&self) -> Option<u32>;
    fn name(&self) -> &str;
}

impl AskFacts for FactName {
    fn id(&self) -> Option<u32> {
        Some(self.id)
    }
    fn name(&self) -> &str {
        self.name
    }
}

impl AskFacts for str {
    fn id(&self) -> Option<u32> {
        fact_names().ids.get(self).copied()
    }
    fn name(&self) -> &str {
        self
    }
}

impl AskFacts for String {
    fn id(&self) -> Option<u32> {
        self.as_str().id()
    }
    fn name(&self) -> &str {
        self
    }
}

impl<T: AskFacts + ?Sized> AskFacts for &T {
    fn id(&self) -> Option<u32> {
        (**self).id()
    }
    fn name(&self) -> &str {
        (**self).name()
    }
}

/// What a kind sees of one record.
pub struct Context<'a> {
    pub record: &'a Record,
    /// Grouped by name, then by source position (see [`Context::sort`]): each
    /// check asks for a few names, and filtering and sorting every fact for
    /// each question was a visible share of a run.
    pub facts: &'a [Fact],
    /// "Today" for time-dependent checks (`--as-of`).
    pub as_of: chrono::NaiveDate,
    /// By [`FactName`] number (of the names numbered when the context was
    /// made), the range of that name's facts; `(0, 0)` when it has none.
    runs: smallvec::SmallVec<[(u32, u32); 64]>,
}

impl<'a> Context<'a> {
    /// The context of a record whose facts are sorted by [`Context::sort`].
    /// Each run of one name's facts is put at its name's number (a name
    /// no check asks for has none and is left out), once here, so that a
    /// question for a name is an index. (Checks ask 55 times a record:
    /// two binary searches of the facts, each step a `memcmp`, were 28 of
    /// 1,298 million instructions per 1,000 records; a table of the
    /// record's names, hashed by their bytes, 7.1 and about 4 to build,
    /// and 1.1% of the time samples; this is one look-up per run, 25 a
    /// record, and no allocation.)
    pub fn new(record: &'a Record, facts: &'a [Fact], as_of: chrono::NaiveDate) -> Context<'a> {
        let table = fact_names();
        let mut runs: smallvec::SmallVec<[(u32, u32); 64]> =
            smallvec::smallvec![(0, 0); table.ids.len()];
        let mut start = 0;
        for (k, f) in facts.iter().enumerate() {
            // where a name's facts end
            if k + 1 == facts.len() || !same_str(&facts[k + 1].name, &f.name) {
                if let Some(&id) = table.ids.get(f.name.as_ref()) {
                    runs[id as usize] = (start as u32, k as u32 + 1);
                }
                start = k + 1;
            }
        }
        Context {
            record,
            facts,
            as_of,
            runs,
        }
    }

    /// Put facts in the order [`Context::facts`] expects: grouped by name
    /// (the names in the order first met), each name's facts by source
    /// position, then as extracted.
    ///
    /// Only each name's run is asked for ([`Context::facts`], by a table
    /// of the runs), never the order of the runs, so the names are not
    /// sorted: the runs were in the order of their names, which took a
    /// table of the names, a sort of them and a rank per name, and moved
    /// 42 of a record's 45 facts (a few hundred bytes each); in the order
    /// first met the names are told apart by a scan of the few met so far
    /// (22 a record, compared by address before bytes, only where a run
    /// of one name ends: 25 times a record), nothing is allocated for a
    /// record of up to 256 facts, and 20 facts move (extractors push each
    /// name's facts together, mostly). A record whose names each come in
    /// one run in source order is left as it is.
    ///
    /// The facts are placed by counting their names (a stable counting
    /// sort, linear): an extractor pushes each name's facts in source
    /// order, so a name's run is sorted by position already, and is sorted
    /// (stably, so the index still breaks ties) only when it is not.
    pub fn sort(facts: &mut [Fact]) {
        let n = facts.len();
        // each fact's name's id, in the order first met; the name before
        // is tried first
        let mut distinct: smallvec::SmallVec<[&str; 64]> = smallvec::SmallVec::new();
        let mut of: smallvec::SmallVec<[u32; 256]> = smallvec::SmallVec::with_capacity(n);
        // whether every name's facts come in one run (ids first met never
        // decrease then)
        let mut grouped = true;
        let mut last: Option<(&str, u32)> = None;
        for f in facts.iter() {
            let name: &str = f.name.as_ref();
            let id = match last {
                Some((l, id)) if same_str(l, name) => id,
                _ => match distinct.iter().position(|&d| same_str(d, name)) {
                    Some(id) => {
                        grouped = false;
                        id as u32
                    }
                    None => {
                        distinct.push(name);
                        distinct.len() as u32 - 1
                    }
                },
            };
            last = Some((name, id));
            of.push(id);
        }
        let pos = |k: usize| {
            let s = facts[k].span;
            (s.start, s.end)
        };
        if grouped && (1..n).all(|k| of[k] != of[k - 1] || pos(k - 1) <= pos(k)) {
            return;
        }
        let d = distinct.len();
        drop(distinct); // it borrows the names of the facts moved below
                        // where each name's run starts (`at[id]`, counted from the runs'
                        // lengths)
        let mut at: smallvec::SmallVec<[u32; 64]> = smallvec::smallvec![0; d + 1];
        for &id in &of {
            at[id as usize + 1] += 1;
        }
        for r in 0..d {
            at[r + 1] += at[r];
        }
        // `from[i]`: the index of the fact for place `i`; each run gets its
        // facts in index order
        let mut from: smallvec::SmallVec<[u32; 256]> = smallvec::smallvec![0; n];
        {
            let mut fill: smallvec::SmallVec<[u32; 64]> = smallvec::SmallVec::from_slice(&at[..d]);
            for (k, &r) in of.iter().enumerate() {
                let slot = &mut fill[r as usize];
                from[*slot as usize] = k as u32;
                *slot += 1;
            }
        }
        for r in 0..d {
            let run = &mut from[at[r] as usize..at[r + 1] as usize];
            if run
                .windows(2)
                .any(|w| pos(w[0] as usize) > pos(w[1] as usize))
            {
                // stable: among equal positions the index order stays
                run.sort_by_key(|&k| pos(k as usize));
            }
        }
        // Move each fact to its place, as `sort_by_cached_key` does: the
        // fact for place `i` is at `from[i]`, or, if that place was
        // filled already, where it was swapped to.
        for i in 0..n {
            let mut at = from[i];
            while (at as usize) < i {
                at = from[at as usize];
            }
            from[i] = at;
            if at as usize != i {
                facts.swap(i, at as usize);
            }
        }
    }

    /// Facts with this name, in source order: a slice of the sorted
    /// facts, not a list of references (checks ask for facts 55 times a
    /// record, and each list was an allocation).
    ///
    /// A name numbered after the context was made (no check of this run
    /// asks for it: a test's, say) is found by going through the facts.
    pub fn facts<N: AskFacts + ?Sized>(&self, name: &N) -> &'a [Fact] {
        match name.id().and_then(|id| self.runs.get(id as usize)) {
            Some(&(lo, hi)) => &self.facts[lo as usize..hi as usize],
            None => self.facts_by_bytes(name.name()),
        }
    }

    /// The run of `name`'s facts, found by comparing names (the runs are
    /// grouped by name, see [`Context::sort`]).
    fn facts_by_bytes(&self, name: &str) -> &'a [Fact] {
        let Some(lo) = self.facts.iter().position(|f| f.name == name) else {
            return &[];
        };
        let len = self.facts[lo..]
            .iter()
            .take_while(|f| f.name == name)
            .count();
        &self.facts[lo..lo + len]
    }
}

/// Whether two names are the same, first by where they are (the facts of
/// one extractor share its name's constant) and only then by their bytes.
fn same_str(a: &str, b: &str) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// A labelled span of a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub primary: bool,
    pub message: String,
}

impl Label {
    pub fn primary(span: Span, message: impl Into<String>) -> Label {
        Label {
            span,
            primary: true,
            message: message.into(),
        }
    }
    pub fn secondary(span: Span, message: impl Into<String>) -> Label {
        Label {
            span,
            primary: false,
            message: message.into(),
        }
    }
}

/// What a kind reports; the engine adds the check's name and severity.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// The kind's own message, used when the check has no template.
    pub message: String,
    /// Values for the check's message template, by name (the kinds'
    /// names are fixed: a copy of each was 5.6 allocations a record).
    pub vars: Vec<(&'static str, String)>,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    /// Overrides the check's help.
    pub help: Option<String>,
    /// Lower the severity for this finding only (a weaker form of the
    /// inconsistency, e.g. an off-by-one at an exclusive bound).
    pub demote_to: Option<Severity>,
}

impl Draft {
    pub fn var(mut self, k: &'static str, v: impl Into<String>) -> Draft {
        self.vars.push((k, v.into()));
        self
    }
}

/// A kind: the code that runs many checks. Built once from a check's
/// parameters (so bad parameters are reported when the check is loaded).
pub trait Kind: Send + Sync {
    fn run(&self, cx: &Context, out: &mut Vec<Draft>);
    /// Fact names this kind reads: user checks are validated against
    /// them, and a record is read only by the extractors that give a fact
    /// some check of the run reads (every name a kind asks `Context::facts`
    /// for must be here, or its facts are missing;
    /// `each_check_needs_only_what_it_reads` holds the shipped checks to it).
    fn reads(&self) -> Vec<String> {
        Vec::new()
    }
}

/// One reported inconsistency.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub check: String,
    pub severity: Severity,
    pub message: String,
    pub record: Option<String>,
    /// Index of the source file in the run.
    #[serde(skip)]
    pub file: usize,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// The kind's values for the check's templates (message and correction
    /// request question), e.g. `("reference", "158")`.
    #[serde(skip)]
    pub vars: Vec<(&'static str, String)>,
}

/// Fill `{name}` placeholders from `vars`; unknown names stay as written.
pub fn render_template(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Run one check over one record.
pub fn run_check(check: &Check, cx: &Context, file: usize) -> Vec<Finding> {
    let mut drafts = Vec::new();
    check.kind.run(cx, &mut drafts);
    drafts
        .into_iter()
        .map(|d| {
            let message = match &check.message {
                Some(t) if !d.vars.is_empty() => render_template(t, &d.vars),
                _ => d.message.clone(),
            };
            let severity = match d.demote_to {
                Some(s) if s < check.severity => s,
                _ => check.severity,
            };
            Finding {
                check: check.name.clone(),
                severity,
                message,
                record: cx.record.id.clone(),
                file,
                labels: d.labels,
                notes: d.notes,
                help: d.help.or_else(|| check.help.clone()),
                vars: d.vars,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_known_variables() {
        let vars = vec![("a", "158".to_string())];
        assert_eq!(render_template("x {a} {b} {", &vars), "x 158 {b} {");
    }

    /// `Context::sort` puts facts in the order of a stable sort by the
    /// order their names are first met and position: on generated lists of
    /// facts (names met in any order, also as owned copies; runs in and out
    /// of source order; equal positions; lists already grouped, which it
    /// leaves as they are).
    #[test]
    fn sort_is_a_stable_sort_by_name_and_position() {
        use crate::extract::{Origin, Value};
        const NAMES: [&str; 5] = ["b.x", "a", "count.arms", "b", "date.start"];
        let mut rng = crate::testing::Xorshift::new(0x2545_f491_4f6c_dd1d);
        let mut next = |m: u64| rng.below(m);
        for round in 0..3_000 {
            // now and then more facts (and names) than are kept inline
            let len = if round % 50 == 0 {
                300 + next(300)
            } else {
                next(60)
            } as usize;
            let many_names = round % 7 == 3;
            let sorted_runs = round % 3 == 0;
            let mut facts: Vec<Fact> = (0..len)
                .map(|k| {
                    let name = NAMES[next(NAMES.len() as u64) as usize];
                    let start = if sorted_runs { k } else { next(8) as usize };
                    let end = start + next(3) as usize;
                    let mut f = Fact::new(
                        name,
                        Value::Int(0),
                        Span::new(start, end),
                        0,
                        Origin::Text,
                        k.to_string(),
                    );
                    if next(4) == 0 {
                        f.name = std::borrow::Cow::Owned(name.to_string());
                    }
                    if many_names {
                        f.name = std::borrow::Cow::Owned(format!("n{}", next(100)));
                    }
                    f
                })
                .collect();
            if round % 4 == 1 {
                // grouped already (in or out of source order within a run)
                facts.sort_by(|a, b| a.name.cmp(&b.name));
            }
            let want: Vec<String> = {
                // names ranked in the order first met
                let mut met: Vec<&str> = Vec::new();
                for f in &facts {
                    if !met.contains(&f.name.as_ref()) {
                        met.push(f.name.as_ref());
                    }
                }
                let rank = |f: &Fact| met.iter().position(|&m| m == f.name.as_ref());
                let mut v: Vec<&Fact> = facts.iter().collect();
                v.sort_by_key(|f| (rank(f), f.span.start, f.span.end));
                v.iter().map(|f| f.quote.to_string()).collect()
            };
            Context::sort(&mut facts);
            let got: Vec<String> = facts.iter().map(|f| f.quote.to_string()).collect();
            assert_eq!(got, want, "round {round}");
        }
    }

    /// `Context::facts` finds a name's run by its number, as a `FactName`
    /// or a string, and the same run as going through the facts: on
    /// generated, sorted lists of facts, for names numbered before the
    /// context was made, after it (found by going through the facts),
    /// and never (a name no record has, and one no check asks for).
    #[test]
    fn facts_by_number_are_facts_by_name() {
        use crate::extract::{Origin, Value};
        let names: Vec<String> = (0..12)
            .map(|k| format!("test.facts-by-number.{k}"))
            .collect();
        let mut rng = crate::testing::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let mut next = |m: u64| rng.below(m);
        let record = Record::default();
        let mut numbered = 0;
        for round in 0..600 {
            // names 0..numbered have numbers before this round's context;
            // one more is numbered after it
            if round % 50 == 0 && numbered < 10 {
                FactName::new(&names[numbered]);
                numbered += 1;
            }
            let len = next(40) as usize;
            let mut facts: Vec<Fact> = (0..len)
                .map(|k| {
                    let mut f = Fact::new(
                        "",
                        Value::Int(0),
                        Span::new(k, k + 1),
                        0,
                        Origin::Text,
                        k.to_string(),
                    );
                    f.name = std::borrow::Cow::Owned(names[next(11) as usize].clone());
                    f
                })
                .collect();
            Context::sort(&mut facts);
            let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            let cx = Context::new(&record, &facts, as_of);
            let later = FactName::new(&names[numbered]);
            for name in &names {
                let want: Vec<usize> = facts
                    .iter()
                    .filter(|f| f.name == name.as_str())
                    .map(|f| f.span.start)
                    .collect();
                let spans = |got: &[Fact]| got.iter().map(|f| f.span.start).collect::<Vec<_>>();
                assert_eq!(spans(cx.facts(name.as_str())), want, "round {round} {name}");
                assert_eq!(spans(cx.facts(name)), want, "round {round} {name}");
                if names[..numbered].contains(name) {
                    let key = FactName::new(name);
                    assert_eq!(spans(cx.facts(&key)), want, "round {round} {name}");
                }
            }
            assert_eq!(
                cx.facts(&later).len(),
                facts.iter().filter(|f| f.name == *later).count()
            );
        }
    }

    #[test]
    fn severities_order() {
        assert!(Severity::Note < Severity::Warning && Severity::Warning < Severity::Error);
    }
}
