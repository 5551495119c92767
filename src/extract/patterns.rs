//! Compiling the extractors' own regular expressions.
//!
//! The patterns are written with `\b`, which in the regex crate means a
//! Unicode word boundary. The fast engine (a lazy DFA) cannot decide a
//! Unicode word boundary next to a non-ASCII character, so on any text with
//! one ("≥", "µ", "é": most records) each search fell back to the slow
//! engine, over the whole field. `compile` reads every `\b` as an ASCII word
//! boundary instead, which the DFA handles; the trigger words the patterns
//! look for are ASCII, so what they match is the same on the corpus
//! (checked: identical findings on all 4,946 records).
//!
//! `\d` and `\w` are read as ASCII classes too, and a pattern that cannot
//! match anything but valid UTF-8 without Unicode mode (no `.`, no negated
//! class) is compiled without it, so that `(?i)` folds ASCII letters only.
//! Unicode classes and case folding multiply the byte classes of the lazy
//! DFA, and with them the size of every state's row: a run spent a third
//! of its time in the DFA, largely waiting on memory. Findings are
//! identical on the corpus and on a 10,000-record set; the 4,000-record
//! run takes 10% less time.
//!
//! User patterns (`extract/user.rs`, the `pattern` kind) are compiled as
//! written: their authors chose what `\b` means.

use crate::record::Field;
use regex::{Regex, RegexBuilder};
use std::sync::LazyLock;

/// `Regex::new` with ASCII word boundaries and classes, and without
/// Unicode mode where the pattern allows (see the module documentation).
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    build(pattern, |b| b)
}

/// [`compile`] in Unicode mode whatever the pattern: for a part of a
/// pattern that [`compile`] keeps in Unicode mode (one that cannot match
/// only valid UTF-8 without it), to match as that pattern does (`\s` as
/// Unicode white space, `(?i)` folding "ſ" and the Kelvin sign too).
pub fn compile_unicode(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&rewrite(pattern, true))
        .unicode(true)
        .build()
}

/// [`compile`] with more settings (`configure` is applied to the builder
/// of each attempt): the phone plans' patterns are written with spaces.
pub fn build(
    pattern: &str,
    configure: impl Fn(&mut RegexBuilder) -> &mut RegexBuilder,
) -> Result<Regex, regex::Error> {
    let p = rewrite(pattern, true);
    let attempt = |unicode: bool| {
        configure(&mut RegexBuilder::new(&p))
            .unicode(unicode)
            .build()
    };
    attempt(false).or_else(|_| attempt(true))
}

/// An automaton that finds any of `words` written in ASCII letters of
/// either case (standard match semantics, so overlapping matches can be
/// asked for too): the keyword gates with which extractors
/// skip text their patterns cannot match (a word every match holds).
/// Patterns compiled with [`compile`] fold case in ASCII only, so a gate
/// that also holds the patterns' words is exact; a pattern that fell back
/// to Unicode mode also folds "ſ" to "s" and "K" to "k", which the caller
/// adds as words of their own.
///
/// A gate on a whole field first asks [`Keywords::in_field`], which is
/// answered from one search of the field for the words of every gate
/// ([`GATE_WORDS`]) instead of one search per gate.
pub fn keywords(words: &[&str]) -> Keywords {
    // None when a word is not searched for with the others: then the
    // field may always hold it
    let mask = words.iter().try_fold(0u64, |mask, w| {
        let k = GATE_WORDS.iter().position(|g| g.eq_ignore_ascii_case(w))?;
        Some(mask | 1 << k)
    });
    Keywords {
        ac: aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .expect("fixed keywords"),
        mask,
    }
}

/// A keyword gate: its automaton, and its words among [`GATE_WORDS`].
pub struct Keywords {
    ac: aho_corasick::AhoCorasick,
    mask: Option<u64>,
}

impl std::ops::Deref for Keywords {
    type Target = aho_corasick::AhoCorasick;
    fn deref(&self) -> &aho_corasick::AhoCorasick {
        &self.ac
    }
}

impl Keywords {
    /// Whether the field holds one of the words: the same answer as
    /// `is_match` on its text, and a text cut from it holds none when the
    /// field holds none.
    pub fn in_field(&self, f: &Field) -> bool {
        let Some(mask) = self.mask else {
            return true;
        };
        // The eligibility criteria are asked by two gates only (ages' age
        // words, then sex's sex words), and nine texts in ten hold one of
        // each gate's words: the gate words' scan stops at the first of
        // the gate's own words ([`GateTable::bits_until`]), where it
        // stepped through every byte of the text (about 1.5 kB a record,
        // half of all the bytes the gate words were searched in). The
        // answer is the same. The words found when it stopped early are
        // not kept (they may not be all of the text's): each gate scans
        // again; a scan that went to the end found them all, and they
        // are kept as the field's gate words.
        match f.gate_words.0.get() {
            Some(bits) => bits & mask != 0,
            None if f.key == crate::record::keys::ELIGIBILITY => {
                let bits = GATE.bits_until(f.text.as_str().as_bytes(), mask);
                if bits & mask == 0 {
                    // it did not stop early: these are all the text's words
                    let _ = f.gate_words.0.set(bits);
                    return false;
                }
                true
            }
            None => gate_words(f) & mask != 0,
        }
    }

    /// [`Keywords::in_field`] if the field's gate words are already known
    /// (another gate asked), without searching the field for them.
    pub fn known_in_field(&self, f: &Field) -> Option<bool> {
        match self.mask {
            None => Some(true),
            Some(mask) => f.gate_words.0.get().map(|bits| bits & mask != 0),
        }
    }
}

/// The word lists of the extractors' keyword gates on whole fields.
const GATE_LISTS: [&[&str]; 10] = {
    use crate::extract::{ages, cell_source, counts, design, durations, numbers, sex};
    [
        design::GROUP_COUNT_WORDS,
        durations::ENROL_WORDS,
        cell_source::SOURCE_WORDS,
        cell_source::CELL_WORDS,
        counts::OTHER_POPULATION_WORDS,
        counts::ALSO_WORDS,
        counts::GROUP_WORDS,
        sex::SEX_WORD_LIST,
        ages::AGE_WORD_LIST,
        numbers::NUMBER_WORD_LIST,
    ]
};

/// The words of the extractors' keyword gates on whole fields, each
/// once (at most 64: one bit each), taken from the gates' own lists. Each
/// extractor searched each field for its own; most fields hold none of a
/// gate's words, and one search for all of them, kept with the field,
/// answers every gate. A gate with a word not listed here is asked
/// directly.
static GATE_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut all: Vec<&'static str> = Vec::new();
    for list in GATE_LISTS {
        for w in list {
            if !all.contains(w) {
                all.push(w);
            }
        }
    }
    assert!(all.len() <= 64, "one bit per gate word");
    all
});

/// Which of [`GATE_WORDS`] the field's text holds (ASCII letters of either
/// case), bit `k` for word `k`: every occurrence is found, one inside
/// another too. Searched once per field, on first use.
pub fn gate_words(f: &Field) -> u64 {
    *f.gate_words
        .0
        .get_or_init(|| GATE.bits(f.text.as_str().as_bytes()))
}

/// The automaton of [`GATE_WORDS`], stepped byte by byte: every state that
/// ends words lists all of them (the standard semantics keep the matches
/// of the shorter suffixes), which is how an overlapping search sees them,
/// without its call per match.
fn gate_dfa() -> aho_corasick::dfa::DFA {
    aho_corasick::dfa::DFA::builder()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(&*GATE_WORDS)
        .expect("fixed keywords")
}

/// [`gate_dfa`] copied into a table of its own: every field of prose is
/// stepped through it, a byte at a time (5% of a run's instructions).
/// The automaton's own step checks the state's kind and its bounds and
/// then whether it is special; here a step is one class lookup and one
/// table lookup, and the states that end words are numbered first, so
/// one comparison says whether to read the words a state ends. The states
/// and their transitions are the automaton's (copied by walking it from
/// its start state), so the bits are the same. 1,444 → 1,438 million
/// instructions per 1,000 records (−0.4%).
///
/// Then the states that end words were numbered last, from a power of
/// two (`ending`) that every other state's row index is below, and the
/// table made 2^16 entries: a row index is a `u16`, so a step has no
/// bounds check, and eight steps are taken before one test of whether
/// any of them ended a word (the OR of their row indexes reaches `ending`
/// exactly when one of them does, `ending` being a power of two). The
/// loop was eight instructions a byte, most of them the bounds check,
/// the comparison and the loop's own: 1,298 → 1,284 million instructions
/// per 1,000 records (−1.1%).
struct GateTable {
    /// The class of each byte: bytes with the same transition from every state.
    class: [u8; 256],
    /// log2 of the row length (a power of two at least the classes' number).
    shift: u32,
    /// The next state of each state and class, its row index (its number
    /// times the row length); past the last row, zeros.
    trans: Box<[u16; 1 << 16]>,
    /// The first row index of a state that ends a word: a power of two
    /// above every row index of a state that ends none.
    ending: u16,
    /// The words each state ends, by state number (none for the others).
    words: Vec<u64>,
    /// The start state's row index.
    start: u16,
    /// The length in bytes of the longest word.
    longest: usize,
}

static GATE: LazyLock<GateTable> = LazyLock::new(|| {
    let longest = GATE_WORDS.iter().map(|w| w.len()).max().unwrap_or(1);
    GateTable::new(&gate_dfa(), longest)
});

impl GateTable {
    fn new(dfa: &aho_corasick::dfa::DFA, longest: usize) -> GateTable {
        use aho_corasick::automaton::Automaton;
        let anchored = aho_corasick::Anchored::No;
        let start = dfa
            .start_state(anchored)
            .expect("an unanchored start state");
        let ends = |sid| {
            let mut bits = 0u64;
            if dfa.is_special(sid) && dfa.is_match(sid) {
                for k in 0..dfa.match_len(sid) {
                    bits |= 1 << dfa.match_pattern(sid, k).as_usize();
                }
            }
            bits
        };
        // every state reachable from the start, with its transitions
        let mut ids = vec![start];
        let mut next: Vec<[aho_corasick::automaton::StateID; 256]> = Vec::new();
        let mut k = 0;
        while k < ids.len() {
            let row: [_; 256] = std::array::from_fn(|b| dfa.next_state(anchored, ids[k], b as u8));
            for &t in &row {
                if !ids.contains(&t) {
                    ids.push(t);
                }
            }
            next.push(row);
            k += 1;
        }
        // the states that end no word first, then from a power of two
        // those that end words
        let other = ids.iter().filter(|&&sid| ends(sid) == 0).count();
        let first_ending = other.next_power_of_two();
        let mut number = vec![0; ids.len()];
        let (mut o, mut e) = (0, first_ending);
        for (k, &sid) in ids.iter().enumerate() {
            let n = if ends(sid) == 0 { &mut o } else { &mut e };
            number[k] = *n;
            *n += 1;
        }
        // the byte classes: bytes whose columns are the same
        let mut class = [0u8; 256];
        let mut columns: Vec<usize> = Vec::new(); // a byte of each class
        for b in 0..256 {
            let same = columns
                .iter()
                .position(|&c| next.iter().all(|row| row[c] == row[b]));
            class[b] = match same {
                Some(c) => c as u8,
                None => {
                    columns.push(b);
                    (columns.len() - 1) as u8
                }
            };
        }
        let shift = columns.len().next_power_of_two().trailing_zeros();
        assert!(e << shift <= 1 << 16, "row indexes fit in 16 bits");
        let index_of = |sid| number[ids.iter().position(|&i| i == sid).unwrap()] << shift;
        let mut trans: Box<[u16; 1 << 16]> = vec![0u16; 1 << 16]
            .into_boxed_slice()
            .try_into()
            .expect("2^16 entries");
        let mut words = vec![0u64; e];
        for (k, row) in next.iter().enumerate() {
            let n = number[k];
            words[n] = ends(ids[k]);
            for (c, &b) in columns.iter().enumerate() {
                trans[(n << shift) + c] = index_of(row[b]) as u16;
            }
        }
        GateTable {
            class,
            shift,
            trans,
            ending: (first_ending << shift) as u16,
            words,
            start: index_of(start) as u16,
            longest,
        }
    }

    /// The words `text` holds, a bit each.
    ///
    /// A step needs the state the step before it reached: one byte waits
    /// on the table lookup of the byte before, and the loop ran at the
    /// speed of that chain of loads, not of its instructions (the largest
    /// function of the extractors by time, 2.7% of a run's time samples,
    /// with 1.7% of its instructions). A long text is read as four lanes
    /// instead, each from the start state, stepped in turn: four chains
    /// whose loads overlap. Each lane runs on past the next one's start by
    /// the longest word less one byte, so every word of the text lies
    /// whole in some lane (the one its first byte is in), and a lane finds
    /// every word that lies in it (an unanchored search from its start);
    /// what a lane finds is in the text. So the union of the lanes' words
    /// is the text's. The table's rows are a cache line each (some 320
    /// of them): a step of one lane waits on a load from the second-level
    /// cache, and four lanes wait on four at once. On the prose fields of
    /// 300 benchmark records the scan takes 1.75x less time; in a run
    /// the scan went from 2.9% to 1.3% of the time samples, for 7 million
    /// more instructions per 1,000 records (the overlaps, and a lane's
    /// bookkeeping): 1,097 → 1,107 M (+0.9%).
    fn bits(&self, text: &[u8]) -> u64 {
        self.bits_until(text, 0)
    }

    /// [`GateTable::bits`], but it may stop as soon as it has found one of
    /// the words of `stop`: then the bits hold that word and maybe not
    /// others the text holds (for a gate that asks only whether the text
    /// holds one of its words). With `stop` 0 it never stops early.
    fn bits_until(&self, text: &[u8], stop: u64) -> u64 {
        const LANES: usize = 4;
        let overlap = self.longest - 1;
        // below this the overlaps (33 bytes a text) would be a large part
        // of the work
        if text.len() < 32 * LANES {
            return self.bits_one(text, stop);
        }
        // Lanes of one length `m`, the first at 0 and the last ending at
        // the end: start k is `k * (len - m) / 3`, and consecutive starts
        // are at most `ceil((len - m) / 3) <= m - overlap` apart, as `m`
        // is at least `(len + 3 * overlap) / 4`.
        let len = text.len();
        let m = (len + (LANES - 1) * overlap).div_ceil(LANES);
        let lanes: [&[u8]; LANES] = std::array::from_fn(|k| {
            let start = k * (len - m) / (LANES - 1);
            &text[start..start + m]
        });
        let step = |s: u16, b: u8| {
            self.trans[usize::from(s.wrapping_add(u16::from(self.class[usize::from(b)])))]
        };
        let words = |s: u16| self.words[usize::from(s >> self.shift)];
        let mut s = [self.start; LANES];
        let mut bits = 0u64;
        let mut i = 0;
        while i + 8 <= m {
            let c: [&[u8; 8]; LANES] =
                std::array::from_fn(|k| lanes[k][i..i + 8].try_into().expect("8 bytes"));
            let mut t = [[0u16; 8]; LANES];
            let mut any = [0u16; LANES];
            for j in 0..8 {
                for k in 0..LANES {
                    s[k] = step(s[k], c[k][j]);
                    t[k][j] = s[k];
                    any[k] |= s[k];
                }
            }
            // (as in `bits_one`: the OR reaches `ending` when a state
            // does; a lane at a time, as most lanes end no word in eight
            // bytes while one of four often does)
            for k in 0..LANES {
                if any[k] >= self.ending {
                    bits |= t[k].iter().fold(0, |a, &s| a | words(s));
                }
            }
            if bits & stop != 0 {
                return bits;
            }
            i += 8;
        }
        for j in i..m {
            for (s, lane) in s.iter_mut().zip(&lanes) {
                *s = step(*s, lane[j]);
                if *s >= self.ending {
                    bits |= words(*s);
                }
            }
        }
        bits
    }

    /// [`GateTable::bits_until`] in one lane, a byte after another.
    fn bits_one(&self, text: &[u8], stop: u64) -> u64 {
        let step = |s: u16, b: u8| {
            self.trans[usize::from(s.wrapping_add(u16::from(self.class[usize::from(b)])))]
        };
        let words = |s: u16| self.words[usize::from(s >> self.shift)];
        let mut s = self.start;
        let mut bits = 0u64;
        let mut chunks = text.chunks_exact(8);
        for c in &mut chunks {
            let mut t = [0u16; 8];
            for (k, &b) in c.iter().enumerate() {
                s = step(s, b);
                t[k] = s;
            }
            if t.iter().fold(0, |a, &s| a | s) >= self.ending {
                bits |= t.iter().fold(0, |a, &s| a | words(s));
                if bits & stop != 0 {
                    return bits;
                }
            }
        }
        for &b in chunks.remainder() {
            s = step(s, b);
            if s >= self.ending {
                bits |= words(s);
            }
        }
        bits
    }
}

/// An ASCII word byte (a letter, a digit or `_`): what `(?-u:\b)` reads,
/// and what the hand matchers that stand for such patterns test. One
/// lookup: schedule's unit-word windows are walked a byte at a time with
/// it, around every digit of the outcome and design fields, and the test
/// of the byte's ranges was most of their cost. (`numbers` has its own
/// class table, where a byte of a non-ASCII character is a word byte too.)
#[inline]
pub fn is_ascii_word_byte(c: u8) -> bool {
    static WORD: [bool; 256] = {
        let mut t = [false; 256];
        let mut c = 0;
        while c < 256 {
            let b = c as u8;
            t[c] = b.is_ascii_alphanumeric() || b == b'_';
            c += 1;
        }
        t
    };
    WORD[usize::from(c)]
}

/// Whether `text` holds one of `words` in ASCII letters of either case
/// (`eq_ignore_ascii_case`: other bytes as they are). Each word is given
/// with the index `k` of two of its bytes, rarer together in prose than
/// any one letter is alone (`words[j].0[k..k + 2]`); every occurrence of a
/// word has them at its start plus `k`.
///
/// One pass, sixteen positions a step with SSE2: each byte and the one
/// after it are OR-ed with 0x20 and compared with each word's pair so
/// folded (a letter OR 0x20 is its lower case; a byte equal to another
/// but for ASCII case folds to the same byte, so every occurrence of a
/// word is a candidate), and only a candidate is compared with the words
/// around it. It replaces a `memchr2` pass per word on one letter each
/// ("h" of "sham", "u" of "simulated", "m" of "msc"): a few bytes in a
/// hundred are such a letter, and each one found was a call of the
/// iterator and a comparison.
#[inline]
pub fn holds_any_ci<const N: usize>(text: &str, words: &[(&str, usize); N]) -> bool {
    let t = text.as_bytes();
    let n = t.len();
    let pairs: [(u8, u8); N] = std::array::from_fn(|j| {
        let (w, k) = (words[j].0.as_bytes(), words[j].1);
        (w[k] | 0x20, w[k + 1] | 0x20)
    });
    // whether a word lies in `t` with its pair at `c`
    let word_at = |c: usize| {
        words.iter().any(|&(w, k)| {
            let w = w.as_bytes();
            c >= k && n - (c - k) >= w.len() && t[c - k..c - k + w.len()].eq_ignore_ascii_case(w)
        })
    };
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        // the candidates among the sixteen positions from `at` of `b`
        // (seventeen bytes from `at`)
        // SAFETY (of the calls): SSE2 is part of x86-64; the caller
        // passes `at + 17 <= b.len()`
        #[inline(always)]
        unsafe fn block<const N: usize>(
            b: &[u8],
            at: usize,
            first: &[__m128i; N],
            second: &[__m128i; N],
        ) -> u32 {
            let fold = _mm_set1_epi8(0x20);
            let v0 = _mm_or_si128(_mm_loadu_si128(b.as_ptr().add(at).cast()), fold);
            let v1 = _mm_or_si128(_mm_loadu_si128(b.as_ptr().add(at + 1).cast()), fold);
            let mut m = _mm_setzero_si128();
            for j in 0..N {
                m = _mm_or_si128(
                    m,
                    _mm_and_si128(_mm_cmpeq_epi8(v0, first[j]), _mm_cmpeq_epi8(v1, second[j])),
                );
            }
            _mm_movemask_epi8(m) as u32
        }
        // SAFETY: SSE2 is part of x86-64
        let (first, second): ([__m128i; N], [__m128i; N]) = unsafe {
            (
                std::array::from_fn(|j| _mm_set1_epi8(pairs[j].0 as i8)),
                std::array::from_fn(|j| _mm_set1_epi8(pairs[j].1 as i8)),
            )
        };
        // Steps at 0, 16, 32, ... and a last one at the last seventeen
        // bytes; a short text (names, labels) in one step, from a copy
        // padded with spaces: a candidate in the padding is no word of `t`
        // (`word_at` reads `t`). (One loop with one step in it: a closure
        // called for each step was not inlined, and a call per sixteen
        // bytes cost more than the step.)
        let mut pad = [b' '; 17];
        let (b, last) = if n < 17 {
            pad[..n].copy_from_slice(t);
            (&pad[..], 0)
        } else {
            (t, n - 17)
        };
        let mut at = 0;
        loop {
            let start = at.min(last);
            // SAFETY: `start + 17 <= b.len()`
            let mut bits = unsafe { block(b, start, &first, &second) };
            while bits != 0 {
                let c = start + bits.trailing_zeros() as usize;
                if c < n && word_at(c) {
                    return true;
                }
                bits &= bits - 1;
            }
            if start == last {
                return false;
            }
            at += 16;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        (0..n.saturating_sub(1))
            .any(|c| pairs.contains(&(t[c] | 0x20, t[c + 1] | 0x20)) && word_at(c))
    }
}

/// Rewrite each `\b` and `\B` escape (not an escaped backslash followed
/// by `b`, not the backspace `[\b]` of a class) as `(?-u:\b)` / `(?-u:\B)`.
/// This is all the `pattern` kind's `ascii_word_boundaries` option does.
pub fn ascii_word_boundaries(p: &str) -> String {
    rewrite(p, false)
}

/// [`ascii_word_boundaries`], and with `classes` also `\d` and `\w` as
/// ASCII ranges.
fn rewrite(p: &str, classes: bool) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars();
    // inside a bracketed class (`[...]`), where a class escape is spelled
    // as ranges
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        if c != '\\' {
            match c {
                '[' => depth += 1,
                ']' if depth > 0 => depth -= 1,
                _ => {}
            }
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') if depth == 0 => out.push_str(r"(?-u:\b)"),
            Some('B') if depth == 0 => out.push_str(r"(?-u:\B)"),
            Some('d') if classes && depth == 0 => out.push_str("[0-9]"),
            Some('d') if classes => out.push_str("0-9"),
            Some('w') if classes && depth == 0 => out.push_str("[0-9A-Za-z_]"),
            Some('w') if classes => out.push_str("0-9A-Za-z_"),
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str) -> Field {
        Field {
            key: "x.test".into(),
            text: crate::span::Text::verbatim(text, 0),
            qualifier: None,
            entity: None,
            gate_words: Default::default(),
        }
    }

    /// The gate words found in one pass are exactly the words a search for
    /// each alone finds: on hand-made texts (words inside others, at the
    /// ends, in either case, next to non-ASCII letters) and on every
    /// fixture cut into pieces.
    #[test]
    fn gate_words_are_what_each_word_alone_finds() {
        assert!(GATE_WORDS.len() <= 64);
        let alone: Vec<aho_corasick::AhoCorasick> = GATE_WORDS
            .iter()
            .map(|w| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build([w])
                    .unwrap()
            })
            .collect();
        let mut texts: Vec<String> = [
            "",
            "women",
            "WOMEN and Men",
            "treatment",
            "Fourteen",
            "none",
            "mſc and meſenchymal",
            "MSCs from the umbilical CORD",
            "inclusion criteria:",
            "é1 YEARS old",
            "ArMs",
            "Additionally",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut files = 0;
        for text in crate::extract::fixture_texts() {
            files += 1;
            texts.extend(text.split('"').map(str::to_string));
            texts.push(text);
        }
        assert!(files > 20, "{files} fixture files");
        for t in &texts {
            let f = field(t);
            let bits = gate_words(&f);
            for (k, ac) in alone.iter().enumerate() {
                assert_eq!(
                    bits >> k & 1 == 1,
                    ac.is_match(t.as_str()),
                    "{:?} in {t:?}",
                    GATE_WORDS[k]
                );
            }
        }
        // a gate's answer on a field is its automaton's on the text
        let gate = keywords(&["groups", "arms"]);
        for t in &texts {
            assert_eq!(gate.in_field(&field(t)), gate.is_match(t.as_str()));
        }
        // every gate's words are among them
        for list in GATE_LISTS {
            assert!(keywords(list).mask.is_some(), "{list:?}");
        }
        // a gate with a word not among them always looks
        let other = keywords(&["age", "zebra"]);
        assert!(other.mask.is_none() && other.in_field(&field("no such word")));
    }

    /// The gate words as the automaton stepped itself finds them (the way
    /// before [`GateTable`]).
    fn stepped(dfa: &aho_corasick::dfa::DFA, text: &[u8]) -> u64 {
        use aho_corasick::automaton::Automaton;
        let anchored = aho_corasick::Anchored::No;
        let mut sid = dfa.start_state(anchored).unwrap();
        let mut bits = 0u64;
        for &b in text {
            sid = dfa.next_state(anchored, sid, b);
            if dfa.is_special(sid) && dfa.is_match(sid) {
                for k in 0..dfa.match_len(sid) {
                    bits |= 1 << dfa.match_pattern(sid, k).as_usize();
                }
            }
        }
        bits
    }

    #[test]
    fn gate_table_steps_as_the_automaton() {
        // every byte after every prefix of every word, in both cases
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for w in GATE_WORDS.iter() {
            for cut in 0..=w.len() {
                for b in 0..=255u8 {
                    let mut t = w.as_bytes()[..cut].to_vec();
                    t.push(b);
                    texts.push(t.clone());
                    t.extend_from_slice(w.to_ascii_uppercase().as_bytes());
                    texts.push(t);
                }
            }
        }
        // and pseudo-random runs of the words' letters and other bytes
        let alphabet: Vec<u8> = GATE_WORDS
            .iter()
            .flat_map(|w| format!("{w}{}", w.to_ascii_uppercase()).into_bytes())
            .chain([b' ', b'-', b'1', 0xc5, 0xbf, 0xc3, 0xa9])
            .collect();
        texts.extend(crate::extract::random_sequences(
            &alphabet,
            3000,
            40,
            0x2545_f491_4f6c_dd1d,
        ));
        let dfa = gate_dfa();
        let mut found = 0u64;
        for t in &texts {
            let bits = GATE.bits(t);
            assert_eq!(bits, stepped(&dfa, t), "{:?}", String::from_utf8_lossy(t));
            found |= bits;
        }
        assert_eq!(found.count_ones() as usize, GATE_WORDS.len());
    }

    /// The four lanes of a long text find what one does: every word at
    /// every position of texts just long enough for lanes (so words lie
    /// across each lane's start and end), the fixtures whole, and long
    /// pseudo-random runs of the words' letters.
    #[test]
    fn gate_lanes_find_what_one_lane_finds() {
        let mut lanes = 0;
        for len in [256, 257, 259, 263, 300, 611] {
            for w in GATE_WORDS.iter() {
                for p in 0..=len - w.len() {
                    let mut t = vec![b'.'; len];
                    t[p..p + w.len()].copy_from_slice(w.as_bytes());
                    let bits = GATE.bits(&t);
                    assert_eq!(bits, GATE.bits_one(&t, 0), "{w:?} at {p} of {len}");
                    assert_ne!(bits, 0);
                    lanes += 1;
                }
            }
        }
        assert!(lanes > 10_000);
        let mut texts: Vec<Vec<u8>> = crate::extract::fixture_texts()
            .into_iter()
            .map(String::into_bytes)
            .collect();
        let alphabet: Vec<u8> = GATE_WORDS
            .iter()
            .flat_map(|w| format!("{w} {}", w.to_ascii_uppercase()).into_bytes())
            .collect();
        texts.extend(crate::extract::random_sequences(
            &alphabet,
            300,
            3000,
            0x9e37_79b9_7f4a_7c15,
        ));
        let dfa = gate_dfa();
        for t in &texts {
            assert_eq!(GATE.bits(t), stepped(&dfa, t));
        }
    }

    /// A scan that may stop at a gate's words answers the gate as the
    /// whole scan does, and one that did not stop found every word; and a
    /// gate on the eligibility criteria (scanned so, its words kept only
    /// after a whole scan) answers as its automaton, before and after
    /// other gates asked: on the fixtures whole and cut into pieces, and
    /// on pseudo-random runs of the gate words (short ones, read in one
    /// lane, and long ones, in four).
    #[test]
    fn gate_scan_that_stops_answers_as_the_whole_scan() {
        let mut texts: Vec<String> = crate::extract::fixture_texts();
        for t in crate::extract::fixture_texts() {
            texts.extend(t.split('"').map(str::to_string));
        }
        let mut pieces: Vec<String> = GATE_WORDS.iter().map(|w| w.to_ascii_uppercase()).collect();
        pieces.extend(GATE_WORDS.iter().map(|w| w.to_string()));
        pieces.extend([" ", ".", "1", "é", "ſ", "tr", "hu"].map(String::from));
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        texts.extend(crate::extract::random_texts(&pieces, 2000, 12, 0x51a7));
        texts.extend(crate::extract::random_texts(&pieces, 300, 400, 0x2b0d));
        let gates: Vec<Keywords> = GATE_LISTS.iter().map(|l| keywords(l)).collect();
        let (mut stopped, mut whole) = (0, 0);
        for t in &texts {
            let all = GATE.bits(t.as_bytes());
            for g in &gates {
                let mask = g.mask.expect("a gate of the gate words");
                let bits = GATE.bits_until(t.as_bytes(), mask);
                assert_eq!(bits & mask != 0, all & mask != 0, "{t:?}");
                if bits & mask == 0 {
                    assert_eq!(bits, all, "{t:?}");
                    whole += 1;
                } else {
                    assert_eq!(bits & !all, 0, "{t:?}");
                    stopped += usize::from(bits != all);
                }
            }
            let mut f = field(t);
            f.key = crate::record::keys::ELIGIBILITY.into();
            for g in gates.iter().chain(&gates) {
                assert_eq!(g.in_field(&f), g.is_match(t.as_str()), "{t:?}");
                assert!(f.gate_words.0.get().is_none_or(|&b| b == all), "{t:?}");
            }
        }
        assert!(stopped > 1000 && whole > 1000, "{stopped} {whole}");
    }

    /// [`holds_any_ci`] answers as an ASCII-case-insensitive automaton of
    /// its words: on every word at every position of texts of 1 to 40
    /// bytes (the one-step copy, the steps of sixteen and the last
    /// seventeen bytes), its case variants and its cuts, the fixtures whole
    /// and cut into pieces, and pseudo-random runs of the words' pieces.
    #[test]
    fn holds_any_ci_is_a_case_insensitive_search() {
        fn check<const N: usize>(words: &[(&str, usize); N], texts: &[String]) -> usize {
            let ac = aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(words.iter().map(|w| w.0))
                .unwrap();
            let mut found = 0;
            for t in texts {
                let want = ac.is_match(t.as_str());
                assert_eq!(holds_any_ci(t, words), want, "{t:?} {:?}", words);
                found += usize::from(want);
            }
            found
        }
        let sets: [&[&str]; 4] = [
            &["placebo", "sham", "dummy", "vehicle", "simulated"],
            &["blind", "placebo", "mask"],
            &["msc", "mesenchymal", "m\u{17f}c", "me\u{17f}enchymal"],
            &["open label", "open-label"],
        ];
        let mut texts: Vec<String> = Vec::new();
        for set in sets {
            for w in set {
                for len in 1..=40usize {
                    for p in 0..=len.saturating_sub(w.len()) {
                        for v in [w.to_string(), w.to_ascii_uppercase()] {
                            let mut t = "x".repeat(p) + &v;
                            t.push_str(&".".repeat(len.saturating_sub(t.len())));
                            texts.push(t.clone());
                            // cut short by a byte, at the end of the text
                            let cut = t.len() - (len - p).min(t.len() - p) + v.len() - 1;
                            if t.is_char_boundary(cut) {
                                texts.push(t[..cut].to_string());
                            }
                        }
                    }
                }
            }
        }
        for text in crate::extract::fixture_texts() {
            texts.extend(text.split(['"', '.']).map(str::to_string));
            texts.push(text);
        }
        let pieces: Vec<String> = sets
            .iter()
            .flat_map(|s| s.iter())
            .flat_map(|w| {
                let k = w.len() / 2;
                let (a, b) = w.split_at(if w.is_char_boundary(k) { k } else { k + 1 });
                [
                    w.to_string(),
                    w.to_ascii_uppercase(),
                    a.to_string(),
                    b.to_string(),
                ]
            })
            .chain([" ", "-", "é", "\u{17f}", "\u{c5}", "M", "ES", "1"].map(String::from))
            .collect();
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        texts.extend(crate::extract::random_texts(
            &pieces, 20_000, 12, 0x51d_c0de,
        ));
        let found = [
            check(
                &[
                    ("placebo", 4),
                    ("sham", 0),
                    ("dummy", 2),
                    ("vehicle", 1),
                    ("simulated", 2),
                ],
                &texts,
            ),
            check(&[("blind", 0), ("placebo", 4), ("mask", 2)], &texts),
            check(
                &[
                    ("msc", 0),
                    ("mesenchymal", 7),
                    ("m\u{17f}c", 1),
                    ("me\u{17f}enchymal", 8),
                ],
                &texts,
            ),
            check(&[("open label", 0), ("open-label", 0)], &texts),
            check(&[("phase", 0)], &texts),
        ];
        // most texts hold a word and many none: the test can fail
        assert!(
            found.iter().all(|&f| f > 500 && f + 1_000 < texts.len()),
            "{found:?} of {}",
            texts.len()
        );
    }

    #[test]
    fn rewrites_boundaries_but_not_escaped_backslashes() {
        assert_eq!(ascii_word_boundaries(r"\bage\b"), r"(?-u:\b)age(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"a\\b"), r"a\\b");
        assert_eq!(ascii_word_boundaries(r"\Bx\d"), r"(?-u:\B)x\d");
        assert_eq!(rewrite(r"\Bx\d", true), r"(?-u:\B)x[0-9]");
        let re = compile(r"(?i)\bage[ds]?\b").unwrap();
        assert!(re.is_match("Age: 18 ≥ years"));
        assert!(!re.is_match("stage"));
        assert_eq!(rewrite(r"\d+[\w-]", true), r"[0-9]+[0-9A-Za-z_-]");
        assert_eq!(ascii_word_boundaries(r"[\b]\w"), r"[\b]\w");
        // without Unicode mode: `(?i)` folds ASCII only, `\s` is ASCII
        let re = compile(r"(?i)\bkm\s\d+").unwrap();
        assert!(re.is_match("KM 12") && !re.is_match("\u{212A}m 12"));
        // a negated class needs Unicode mode on `str`: still compiles
        let re = compile(r"[^a]+é").unwrap();
        assert!(re.is_match("ééé"));
    }
}
