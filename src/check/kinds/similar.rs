//! `similar`: two values that differ by a slip (phone numbers one digit
//! apart; organisation names one letter apart: "Drum Towel" / "Drum Tower").
//!
//! ```toml
//! kind = "similar"
//! [params]
//! facts = ["contact.phone"]
//! max_distance = 1     # edits (digits: substitutions between equal-length numbers)
//! min_length = 8       # shorter values are too easily close by chance
//! position = "any"    # digits only: "first-half" counts a difference only in
//!                      # the first half of the number (country and area code);
//!                      # colleagues' direct lines differ in their last digits
//! mode = "auto"        # "auto": digits or whole text; "words": one word of a
//!                      # name one edit from a word of another name, with the
//!                      # same word before or after it ("Drum Towel Hospital"
//!                      # / "Drum Tower Hospital")
//! ```

use super::common::{lowercase, owner_name};
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::extract::{Fact, Value};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    facts: Vec<FactName>,
    #[serde(default = "one")]
    max_distance: usize,
    #[serde(default = "eight")]
    min_length: usize,
    #[serde(default = "auto")]
    mode: String,
    #[serde(default = "any")]
    position: String,
}

fn any() -> String {
    "any".into()
}

fn auto() -> String {
    "auto".into()
}

fn one() -> usize {
    1
}
fn eight() -> usize {
    8
}

pub struct Similar {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    if !matches!(p.position.as_str(), "any" | "first-half") {
        return Err(BuildError::Params(format!(
            "`position` must be \"any\" or \"first-half\", not {:?}",
            p.position
        )));
    }
    if !matches!(p.mode.as_str(), "auto" | "words") {
        return Err(BuildError::Params(format!(
            "`mode` must be \"auto\" or \"words\", not {:?}",
            p.mode
        )));
    }
    Ok(Box::new(Similar { p }))
}

/// The words of a name (runs of letters and digits), each lower-cased on
/// its own as `str::to_lowercase` does, appended to one buffer: word `k`
/// is `text[ends[k - 1]..ends[k]]` (from 0 for the first word of the
/// buffer). A string per word was a tenth of a record's allocations
/// (facilities' names are long); all the names of a record now share the
/// buffer, where each had its own buffer, list of ends and list of words.
///
/// A name in ASCII (most) is cut at bytes that are not ASCII letters or
/// digits, and its words copied lower-cased byte by byte in one pass, each
/// byte looked up in [`WORD_BYTE`]: for ASCII, `char::is_alphanumeric` is
/// `u8::is_ascii_alphanumeric` and lower-casing is per byte, so the words
/// are the same. (Splitting by `char` and pushing each lower-cased letter
/// on its own was most of this function's time; then a scan for each
/// word's end, a copy of it and a pass to lower-case it were 1.6% of the
/// time samples.)
fn push_words(s: &str, text: &mut String, ends: &mut Vec<usize>) {
    if s.is_ascii() {
        // one allocation at most for the whole name
        text.reserve(s.len());
        let mut in_word = false;
        for &c in s.as_bytes() {
            let l = WORD_BYTE[usize::from(c)];
            if l != 0 {
                text.push(char::from(l));
                in_word = true;
            } else if in_word {
                ends.push(text.len());
                in_word = false;
            }
        }
        if in_word {
            ends.push(text.len());
        }
        return;
    }
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if w.is_ascii() {
            text.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            // whole-word lower-casing: a final sigma depends on its word
            text.push_str(&w.to_lowercase());
        }
        ends.push(text.len());
    }
}

/// For an ASCII byte that is a letter or a digit, its lower case; 0 for
/// every other byte.
static WORD_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            t[c] = b.to_ascii_lowercase();
        }
        c += 1;
    }
    t
};

/// The words [`push_words`] kept, as slices of its buffer.
fn word_slices<'a>(text: &'a str, ends: &[usize]) -> Vec<&'a str> {
    let mut start = 0;
    ends.iter()
        .map(|&end| {
            let w = &text[start..end];
            start = end;
            w
        })
        .collect()
}

/// Whether words `x` and `y` are a slip of each other: one to
/// `max_distance` edits apart, not a plural, no digits, not an accent
/// variant. `one_edit`: the words are known to be distinct and one edit
/// apart ([`close_pairs`] or [`close_pairs_by_ends`] found them), so
/// their distance is 1 and is not measured again.
fn words_slip(x: &str, y: &str, max_distance: usize, one_edit: bool) -> bool {
    if x.bytes().any(|c| c.is_ascii_digit()) || y.bytes().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let plural = |s: &str, t: &str| t.len() == s.len() + 1 && t.starts_with(s) && t.ends_with('s');
    if plural(x, y) || plural(y, x) {
        return false;
    }
    let d = if one_edit {
        1
    } else {
        strsim::levenshtein(x, y)
    };
    // "oncología" / "oncologia": a spelling variant, not a slip. Folding
    // changes only letters outside ASCII: words in ASCII (most) are
    // themselves folded, and differ (`d` is not 0), so neither is copied
    // (two strings a candidate pair: fold_accents was 0.85 M instructions
    // per 1,000 records, 0.11 M now).
    d != 0
        && d <= max_distance
        && ((x.is_ascii() && y.is_ascii()) || fold_accents(x) != fold_accents(y))
}

/// Whether the slip `wa[i]` / `wb[j]` has an equal neighbour, so that the
/// two names plausibly name one organisation.
fn has_neighbour(wa: &[&str], i: usize, wb: &[&str], j: usize) -> bool {
    let (x, y) = (&wa[i], &wb[j]);
    let before = i > 0 && j > 0 && wa[i - 1] == wb[j - 1];
    let after = i + 1 < wa.len() && j + 1 < wb.len() && wa[i + 1] == wb[j + 1];
    // A slip at the first or last letter is also how languages inflect and
    // truncate ("centro" / "centre", "universitario" / "universitari",
    // "lake" / "wake"): then both neighbours must be the same ("Drum Towel
    // Hospital" / "Drum Tower Hospital").
    let edge =
        x.chars().next() != y.chars().next() || x.chars().next_back() != y.chars().next_back();
    (edge && before && after) || (!edge && (before || after))
}

/// A word of `a` and a word of `b` one edit apart (not a plural), with an
/// equal neighbour: the words that differ, as written in lower case.
#[cfg(test)]
fn word_slip(a: &str, b: &str, min_len: usize, max_distance: usize) -> Option<(String, String)> {
    let (mut text, mut ends) = (String::new(), Vec::new());
    push_words(a, &mut text, &mut ends);
    let split = ends.len();
    push_words(b, &mut text, &mut ends);
    let words = word_slices(&text, &ends);
    let names = [(0, &words[..split]), (1, &words[split..])];
    word_slips(&names, min_len, max_distance)
        .into_iter()
        .next()
        .map(|(_, _, x, y)| (x, y))
}

/// Past this many name/word comparisons a record is hostile (thousands of
/// sites sharing the same words); the rest of its names are not compared,
/// so one record cannot stall a run.
const WORK_LIMIT: usize = 2_000_000;

/// All slips between the names (each a list of lower-case words): for each
/// pair of names `(a, b)` with `a < b`, the first slip in word order, each
/// pair of words reported once, in name order.
///
/// Finds candidate words through an index of the distinct words (one-edit
/// neighbours share a deletion variant), not by comparing every pair of
/// names: records list hundreds of sites.
fn word_slips<T>(
    names: &[(T, &[&str])],
    min_len: usize,
    max_distance: usize,
) -> Vec<(usize, usize, String, String)> {
    // a slip is between two names: one name alone has none
    if names.len() < 2 {
        return Vec::new();
    }
    // distinct words long enough to compare, and where each occurs: the
    // occurrences of word `u` are `postings[starts[u]..starts[u + 1]]`, in
    // name and word order (one list for all words, not one per word)
    let words: usize = names.iter().map(|(_, ws)| ws.len()).sum();
    let mut ids: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(words, Default::default());
    let mut list: Vec<&str> = Vec::with_capacity(words);
    // (word id, name, position), as met
    let mut met: Vec<(usize, usize, usize)> = Vec::with_capacity(words);
    for (n, (_, ws)) in names.iter().enumerate() {
        for (pos, w) in ws.iter().enumerate() {
            if too_short(w, min_len) {
                continue;
            }
            let id = *ids.entry(w).or_insert_with(|| {
                list.push(w);
                list.len() - 1
            });
            met.push((id, n, pos));
        }
    }
    let one_edit = max_distance == 1 && few_variants(&list);
    let candidates = if !one_edit {
        near_pairs(&list, max_distance)
    } else if list.len() <= FEW_WORDS {
        close_pairs(&list)
    } else {
        close_pairs_by_ends(&list)
    };
    // The pairs of words that are slips, in the candidates' order. Most
    // records have none (a plural, an accent or nothing one edit apart):
    // then where each word occurs is not needed, and is not indexed.
    let slips: Vec<(usize, usize)> = candidates
        .into_iter()
        .filter(|&(u, v)| words_slip(list[u], list[v], max_distance, one_edit))
        .collect();
    if slips.is_empty() {
        return Vec::new();
    }
    let mut starts = vec![0usize; list.len() + 1];
    for &(id, _, _) in &met {
        starts[id + 1] += 1;
    }
    for u in 0..list.len() {
        starts[u + 1] += starts[u];
    }
    let mut postings = vec![(0usize, 0usize); met.len()];
    let mut fill = starts.clone();
    for &(id, n, pos) in &met {
        postings[fill[id]] = (n, pos);
        fill[id] += 1;
    }
    let postings_of = |u: usize| &postings[starts[u]..starts[u + 1]];
    let mut first: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
    let mut work = 0usize;
    'pairs: for (u, v) in slips {
        for &(na, i) in postings_of(u) {
            for &(nb, j) in postings_of(v) {
                work += 1;
                if work > WORK_LIMIT {
                    break 'pairs;
                }
                if na == nb {
                    continue;
                }
                let (a, i, b, j) = if na < nb {
                    (na, i, nb, j)
                } else {
                    (nb, j, na, i)
                };
                let (wa, wb) = (&names[a].1, &names[b].1);
                if wb.contains(&wa[i]) || wa.contains(&wb[j]) || !has_neighbour(wa, i, wb, j) {
                    continue;
                }
                let e = first.entry((a, b)).or_insert((i, j));
                if (i, j) < *e {
                    *e = (i, j);
                }
            }
        }
    }
    let mut seen: FxHashSet<(String, String)> = FxHashSet::default();
    let mut out = Vec::new();
    for ((a, b), (i, j)) in first {
        let (x, y) = (names[a].1[i].to_string(), names[b].1[j].to_string());
        let key = if x < y {
            (x.clone(), y.clone())
        } else {
            (y.clone(), x.clone())
        };
        if seen.insert(key) {
            out.push((a, b, x, y));
        }
    }
    out
}

/// Whether `w` has fewer than `min_len` chars (`w.chars().count() <
/// min_len`), counting them only when its length in bytes does not decide
/// (a char is one to four bytes), and then as the bytes that do not
/// continue a char, in line: `chars().count()` was a call for each word
/// of each name (3 M instructions per 1,000 records).
fn too_short(w: &str, min_len: usize) -> bool {
    if w.len() < min_len {
        return true;
    }
    if w.len() >= 4 * min_len {
        return false;
    }
    // a UTF-8 continuation byte is 0b10xx_xxxx, -64..-1 as an i8
    w.bytes().filter(|&b| (b as i8) >= -0x40).count() < min_len
}

/// At most this many distinct words are compared pair by pair
/// ([`close_pairs`]); more, only with the words of their first or last
/// byte ([`close_pairs_by_ends`]). (Every pair of up to 128 words cost
/// about what their deletion variants saved: `near_pairs` 35.3 → 20.1
/// million instructions per 1,000 records, `close_pairs` 11 more.)
const FEW_WORDS: usize = 40;

/// Whether [`close_pairs`] (or [`close_pairs_by_ends`]) may stand for
/// [`near_pairs`] with one edit: the words' deletion variants are too few
/// to reach [`WORK_LIMIT`] in `near_pairs`.
///
/// Why the pairs that become findings are then the same: `word_slips`
/// keeps of the candidates only the pairs [`words_slip`] accepts (one edit
/// apart, among other things), in the order given, and both functions give
/// their pairs sorted and each once. `near_pairs` gives every pair one
/// edit apart unless it stops at its limit; `close_pairs` gives every such
/// pair always. A word of `n` bytes has at most `n + 1` variants, and each
/// pair `near_pairs` counts against its limit is a variant met with an
/// earlier one of the same hash: with `v` variants in all, at most
/// `v (v - 1) / 2` pairs, under the 2,000,000 of the limit for `v` up to
/// 2,000. With the same pairs in the same order, the comparisons of
/// `word_slips`' own limit are the same too.
fn few_variants(words: &[&str]) -> bool {
    words.iter().map(|w| w.len() + 1).sum::<usize>() <= 2_000
}

/// Pairs `(i, j)`, `i < j`, in order, of words at most one edit apart (as
/// `strsim::levenshtein` counts, by chars), found by comparing every pair.
///
/// Most records have a dozen or so distinct words of four letters or more
/// in their organisations' names: hashing each word's deletion variants
/// into a table ([`near_pairs`]), with its buffers and the table made for
/// each record, cost more than comparing each pair, which is a test of
/// lengths for most pairs and a few bytes for the rest, with nothing
/// allocated unless a pair is found.
fn close_pairs(words: &[&str]) -> Vec<(usize, usize)> {
    let chars: smallvec::SmallVec<[usize; 64]> = words.iter().map(|w| w.chars().count()).collect();
    // each word's first and last byte: two words one edit apart share one
    // of them unless both are one char long ([`close_pairs_by_ends`] says
    // why), a test that turns most pairs of close lengths away before
    // their bytes are compared
    let ends: smallvec::SmallVec<[(u8, u8); 64]> = words
        .iter()
        .map(|w| {
            let b = w.as_bytes();
            (
                b.first().copied().unwrap_or(0),
                b.last().copied().unwrap_or(0),
            )
        })
        .collect();
    let share_an_end = |i: usize, j: usize| {
        ends[i].0 == ends[j].0 || ends[i].1 == ends[j].1 || (chars[i] < 2 && chars[j] < 2)
    };
    let sets: smallvec::SmallVec<[ByteSet; 64]> = words.iter().map(|w| ByteSet::of(w)).collect();
    let mut pairs = Vec::new();
    for i in 0..words.len() {
        for j in i + 1..words.len() {
            if chars[i].abs_diff(chars[j]) <= 1
                && share_an_end(i, j)
                && sets[i].may_be_one_edit_from(sets[j])
                && one_edit_apart(words[i], chars[i], words[j], chars[j])
            {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

/// What [`close_pairs`] gives, comparing only the pairs that share their
/// first byte or their last byte (and whose lengths are one char apart at
/// most): words sorted by first byte and length, then by last byte and
/// length, each compared with the words after it of the same byte until
/// one is two chars longer.
///
/// Why no pair one edit apart is missed: past the first char where the
/// words differ, the rest is the same (a char replaced, or the longer
/// word's char there inserted). If that char is not the first, the first
/// chars are the same, so are the first bytes; if it is, what follows in
/// the shorter word, which is not empty unless it is one char long and
/// the other too, ends both words, so the last chars and bytes are the
/// same. Words of one char fall back to `close_pairs`.
///
/// With more than 40 distinct words, comparing every pair cost about what
/// hashing their deletion variants did (`near_pairs`); comparing pairs of
/// close lengths only, still twice as many as the variants. Of 1,000
/// benchmark records, 48 have more than 40 words and no more than 2,000
/// variants (29,000 variants in all): with this, `near_pairs` 23.8 →
/// 18.6 million instructions per 1,000 records and org-name-typo's
/// `run_words` 59.9 → 57.2 (with `words_slip`'s shortcuts).
fn close_pairs_by_ends(words: &[&str]) -> Vec<(usize, usize)> {
    let chars: Vec<u32> = words.iter().map(|w| w.chars().count() as u32).collect();
    if chars.iter().any(|&n| n < 2) {
        return close_pairs(words);
    }
    let first = |i: usize| words[i].as_bytes()[0];
    let last = |i: usize| words[i].as_bytes()[words[i].len() - 1];
    let sets: Vec<ByteSet> = words.iter().map(|w| ByteSet::of(w)).collect();
    let mut pairs = Vec::new();
    // (byte, length, index); a pair of the same first byte is taken in
    // the first pass only
    let mut order: Vec<(u8, u32, u32)> = Vec::with_capacity(words.len());
    for pass in 0..2 {
        let end = |i: usize| if pass == 0 { first(i) } else { last(i) };
        order.clear();
        order.extend((0..words.len()).map(|i| (end(i), chars[i], i as u32)));
        order.sort_unstable();
        for (p, &(b, n, i)) in order.iter().enumerate() {
            for &(c, m, j) in &order[p + 1..] {
                if c != b || m > n + 1 {
                    break;
                }
                let (i, j) = (i as usize, j as usize);
                if (pass == 0 || first(i) != first(j))
                    && sets[i].may_be_one_edit_from(sets[j])
                    && one_edit_apart(words[i], n as usize, words[j], m as usize)
                {
                    pairs.push((i.min(j), i.max(j)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// The bytes a word holds, as a set of 64 (byte `b` is bit `b % 64`), and
/// whether they are all ASCII: a test that two words cannot be one edit
/// apart, in a few instructions. With it and the test of a shared end in
/// [`close_pairs`], [`one_edit_apart`] is called 2,348 times per 1,000
/// benchmark XML records instead of 78,591.
///
/// Why it never turns away a pair one edit apart: replacing char `c` with
/// `d` can only take away the bits of `c`'s bytes and add those of `d`'s,
/// and inserting `d` only add `d`'s; the sets then differ in at most the
/// bits of two chars, two for ASCII chars and eight at most for any
/// (`byte_sets_never_turn_away_a_pair_one_edit_apart`).
#[derive(Clone, Copy)]
struct ByteSet {
    bits: u64,
    ascii: bool,
}

impl ByteSet {
    fn of(w: &str) -> ByteSet {
        let mut bits = 0u64;
        for &b in w.as_bytes() {
            bits |= 1 << (b & 63);
        }
        ByteSet {
            bits,
            ascii: w.is_ascii(),
        }
    }

    /// Whether the words of the two sets may be one edit apart.
    fn may_be_one_edit_from(self, other: ByteSet) -> bool {
        let most = if self.ascii && other.ascii { 2 } else { 8 };
        (self.bits ^ other.bits).count_ones() <= most
    }
}

/// Whether `x` and `y`, of `nx` and `ny` chars (at most one apart), are at
/// most one edit apart: past the first char where they differ, the rest
/// is the same (one char replaced), or the longer one's char there is the
/// one inserted.
fn one_edit_apart(x: &str, nx: usize, y: &str, ny: usize) -> bool {
    let ((a, na), (b, nb)) = if nx <= ny {
        ((x, nx), (y, ny))
    } else {
        ((y, ny), (x, nx))
    };
    // the first byte where they differ, then back to the start of its char
    // (the bytes before are the same, so a char starts there in both)
    let mut q = a.bytes().zip(b.bytes()).take_while(|(c, d)| c == d).count();
    while !(a.is_char_boundary(q) && b.is_char_boundary(q)) {
        q -= 1;
    }
    let after = |s: &str| s[q..].chars().next().map_or(q, |c| q + c.len_utf8());
    if na == nb {
        a[after(a)..] == b[after(b)..]
    } else {
        nb == na + 1 && a[q..] == b[after(b)..]
    }
}

/// Pairs `(i, j)`, `i < j`, of values that may be within `max_distance`
/// edits (a superset: the caller measures). For one edit, values that share
/// a deletion variant ("tower" and "towel" both give "towe"), so the work is
/// linear in the number of values; otherwise every pair of values whose
/// lengths are close enough.
///
/// The variants are hashed in constant time each (a polynomial hash of the
/// part before the deleted character combined with that of the part after
/// it) and grouped in a hash table; sorting every variant's hash was two
/// thirds of this function's time. Past [`WORK_LIMIT`] pairs the rest are
/// not produced: which ones are left out then depends on the hashes.
fn near_pairs(values: &[&str], max_distance: usize) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    if max_distance == 1 {
        // hash of a deletion variant → the last variant seen with it; each
        // variant links to the one seen before it with the same hash (a
        // collision only adds a pair the caller rejects)
        let all: usize = values.iter().map(|v| v.len() + 1).sum();
        let mut table = LAST_VARIANT.with_borrow_mut(std::mem::take);
        let last = table.ready_for(all);
        // (value, the previous variant with the same hash + 1, or 0)
        let mut variants: Vec<(u32, u32)> = Vec::with_capacity(all);
        let longest = values.iter().map(|v| v.len()).max().unwrap_or(0);
        let mut hashes = DeletionHashes::with_capacity(longest);
        'values: for (k, v) in values.iter().enumerate() {
            for h in hashes.of(v) {
                let id = variants.len() as u32;
                // one look-up per variant (a `get`, then an `insert`, was
                // two)
                let slot = last.slot(h);
                let before = match *slot {
                    (_, 0) => {
                        *slot = (h, id + 1);
                        None
                    }
                    (_, b) => {
                        let b = b - 1;
                        // a value's own variants once each ("aab": "ab" twice)
                        if variants[b as usize].0 == k as u32 {
                            continue;
                        }
                        slot.1 = id + 1;
                        Some(b)
                    }
                };
                variants.push((k as u32, before.map_or(0, |b| b + 1)));
                let mut at = before;
                while let Some(b) = at {
                    if pairs.len() >= WORK_LIMIT {
                        break 'values;
                    }
                    let other = variants[b as usize].0 as usize;
                    pairs.push((other.min(k), other.max(k)));
                    at = variants[b as usize].1.checked_sub(1);
                }
            }
        }
        last.clear();
        LAST_VARIANT.set(table);
        pairs.sort_unstable();
        pairs.dedup();
    } else {
        'all: for i in 0..values.len() {
            for j in i + 1..values.len() {
                if pairs.len() >= WORK_LIMIT {
                    break 'all;
                }
                if values[i]
                    .chars()
                    .count()
                    .abs_diff(values[j].chars().count())
                    <= max_distance
                {
                    pairs.push((i, j));
                }
            }
        }
    }
    pairs
}

/// For [`near_pairs`]: each deletion variant's hash with the last variant
/// seen with it (its id + 1; 0 in an empty slot), in a table of linear
/// probing at most half full. It maps a hash to what `FxHashMap<u64, u32>`
/// did (one slot per distinct hash, found by comparing the whole hash), so
/// the pairs and their order are the same; the hashes are mixed already
/// (`DeletionHashes::of`), so their high bits index the table without
/// hashing them again, and a probe is one load instead of a group of
/// control bytes and a bucket (hashbrown's table was a third of
/// `near_pairs`' time samples).
///
/// The table is kept from one call to the next (in [`LAST_VARIANT`]) and
/// emptied by clearing only the slots filled: a new table for each call,
/// all of it zeroed, was a quarter of `near_pairs`' instructions (records
/// of many sites: 4,000 variants, a table of 16,384 slots, 256 kB zeroed;
/// 20.8 M instructions per 3,000 records, in `__rust_alloc_zeroed`).
/// A call uses only the first slots of the table, as many as it needs
/// (its `mask`): the table grows to the largest call's size and stays so,
/// and a small call that spread its probes over all of it (512 KiB after
/// the corpus's largest record, of 1,148 sites: 32,768 slots) missed the
/// caches at most of them. Where a hash sits does not change what a slot
/// holds (the hash alone says), so the pairs are the same.
#[derive(Default)]
struct LastVariant {
    slots: Vec<(u64, u32)>,
    /// The slots this call uses, less one (a power of two minus one, below
    /// `slots.len()`).
    mask: usize,
    /// The slots filled since the table was last cleared.
    filled: Vec<usize>,
}

thread_local! {
    /// [`near_pairs`]' table, empty between calls.
    static LAST_VARIANT: std::cell::RefCell<LastVariant> =
        std::cell::RefCell::new(LastVariant::default());
}

impl LastVariant {
    /// Past this many slots (16 MB) a table is not kept for the next call.
    const KEPT_SLOTS: usize = 1 << 20;

    /// This empty table, grown if need be to hold `n` distinct hashes at
    /// most at half full.
    fn ready_for(&mut self, n: usize) -> &mut LastVariant {
        debug_assert!(self.filled.is_empty());
        let len = (2 * n).next_power_of_two().max(8);
        if self.slots.len() < len {
            self.slots = vec![(0, 0); len];
        }
        self.mask = len - 1;
        self
    }

    /// The slot of hash `h`: the one that holds it, or the empty one where
    /// it goes (then noted as filled: the caller fills it).
    fn slot(&mut self, h: u64) -> &mut (u64, u32) {
        let mut at = (h >> 32) as usize & self.mask;
        while self.slots[at].1 != 0 && self.slots[at].0 != h {
            at = (at + 1) & self.mask;
        }
        if self.slots[at].1 == 0 {
            self.filled.push(at);
        }
        &mut self.slots[at]
    }

    /// Empties the table for the next call (drops a very large one).
    fn clear(&mut self) {
        if self.slots.len() > Self::KEPT_SLOTS {
            *self = LastVariant::default();
            return;
        }
        for &at in &self.filled {
            self.slots[at] = (0, 0);
        }
        self.filled.clear();
    }
}

/// The hashes of a value and of each of its one-character deletions,
/// with buffers kept from one value to the next.
struct DeletionHashes {
    /// `prefix[i]`: hash of the first `i` bytes.
    prefix: Vec<u64>,
    /// `suffix[i]`: hash of the bytes from `i` on.
    suffix: Vec<u64>,
    /// `power[i]`: the base to the `i`-th power.
    power: Vec<u64>,
    out: Vec<u64>,
}

impl DeletionHashes {
    /// An odd multiplier (the 64-bit golden ratio).
    const BASE: u64 = 0x9e37_79b9_7f4a_7c15;

    /// Buffers for values of up to `len` bytes, allocated once.
    fn with_capacity(len: usize) -> DeletionHashes {
        DeletionHashes {
            prefix: Vec::with_capacity(len + 1),
            suffix: Vec::with_capacity(len + 1),
            power: Vec::with_capacity(len + 1),
            out: Vec::with_capacity(len + 1),
        }
    }

    fn of(&mut self, v: &str) -> std::vec::Drain<'_, u64> {
        let b = v.as_bytes();
        let n = b.len();
        while self.power.len() <= n {
            let p = self.power.last().map_or(1, |p| p.wrapping_mul(Self::BASE));
            self.power.push(p);
        }
        self.prefix.clear();
        self.prefix.push(0);
        for &c in b {
            let h = *self.prefix.last().unwrap();
            self.prefix
                .push(h.wrapping_mul(Self::BASE).wrapping_add(u64::from(c) + 1));
        }
        self.suffix.clear();
        self.suffix.resize(n + 1, 0);
        for i in (0..n).rev() {
            self.suffix[i] = (u64::from(b[i]) + 1)
                .wrapping_mul(self.power[n - 1 - i])
                .wrapping_add(self.suffix[i + 1]);
        }
        // the length is mixed in so that values of different lengths whose
        // polynomials agree do not meet
        let finish = |h: u64, len: usize| {
            let x = h ^ (len as u64).wrapping_mul(0xff51_afd7_ed55_8ccd);
            (x ^ (x >> 29)).wrapping_mul(0xc4ce_b9fe_1a85_ec53)
        };
        self.out.clear();
        self.out.push(finish(self.prefix[n], n));
        for (at, c) in v.char_indices() {
            let end = at + c.len_utf8();
            let h = self.prefix[at]
                .wrapping_mul(self.power[n - end])
                .wrapping_add(self.suffix[end]);
            self.out.push(finish(h, n - (end - at)));
        }
        self.out.drain(..)
    }
}

/// Lower-case letters without their accents (Latin letters only).
fn fold_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' | 'č' | 'ć' => 'c',
            'ğ' => 'g',
            'ı' => 'i',
            'ş' | 'ș' | 'š' | 'ś' => 's',
            'ț' | 'ţ' => 't',
            'ă' => 'a',
            'ž' | 'ź' | 'ż' => 'z',
            'ł' => 'l',
            'ñ' => 'n',
            'ý' | 'ÿ' => 'y',
            c => c,
        })
        .collect()
}

fn value(f: &Fact) -> Option<&str> {
    match &f.value {
        Value::Str(s) | Value::Term(s) => Some(s),
        _ => None,
    }
}

/// Distance between two values: substitutions for equal-length digit
/// strings (a mistyped digit), edit distance for other text.
fn distance(a: &str, b: &str) -> usize {
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        if a.len() != b.len() {
            return usize::MAX;
        }
        return a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count();
    }
    strsim::levenshtein(&a.to_lowercase(), &b.to_lowercase())
}

impl Similar {
    /// With `position = "first-half"`, whether a one-digit difference between
    /// two digit strings is where a slip sends calls astray (country or area
    /// code) rather than in the last digits, where colleagues' lines differ;
    /// and not a trunk prefix written for "+" ("8926..." / "+7926...").
    fn digit_slip_counts(&self, a: &str, b: &str, fa: &Fact, fb: &Fact) -> bool {
        if self.p.position != "first-half"
            || a.len() != b.len()
            || !a.bytes().all(|c| c.is_ascii_digit())
        {
            return true;
        }
        let Some(i) = a.bytes().zip(b.bytes()).position(|(x, y)| x != y) else {
            return true;
        };
        let intl = |f: &Fact| {
            let q = f.quote.trim_start();
            q.starts_with('+') || q.starts_with("00")
        };
        if i == 0 && intl(fa) != intl(fb) {
            return false;
        }
        i < a.len() / 2
    }

    fn run_words(&self, facts: &[Fact], out: &mut Vec<Draft>) {
        // Distinct names, each with its first occurrence, then split into
        // words: the fact, the name and its words' range in `ends`.
        let mut distinct: Vec<(&Fact, &str, usize, usize)> = Vec::with_capacity(facts.len());
        // sized for every fact at once: growing it as names were met was
        // a third of its inserts' instructions
        let mut seen_names: FxHashSet<&str> =
            FxHashSet::with_capacity_and_hasher(facts.len(), Default::default());
        for f in facts {
            if let Some(v) = value(f) {
                if seen_names.insert(v) {
                    distinct.push((f, v, 0, 0));
                }
            }
        }
        // The words' letters and ends sized from the names (no longer than
        // them in ASCII, only a hint otherwise): grown as words were pushed
        // they were some ten reallocations a record, most of this check's
        // allocations.
        let letters: usize = distinct.iter().map(|d| d.1.len()).sum();
        let mut text = String::with_capacity(letters);
        let mut ends = Vec::with_capacity(letters / 4 + distinct.len());
        for d in &mut distinct {
            d.2 = ends.len();
            push_words(d.1, &mut text, &mut ends);
            d.3 = ends.len();
        }
        let words = word_slices(&text, &ends);
        let names: Vec<(&Fact, &[&str])> = distinct
            .iter()
            .map(|&(f, _, a, b)| (f, &words[a..b]))
            .collect();
        for (a, b, x, y) in word_slips(&names, 4, self.p.max_distance) {
            let (fa, fb) = (names[a].0, names[b].0);
            out.push(
                Draft {
                    message: format!("\"{x}\" and \"{y}\" in two names of what looks like one organisation: one is probably a typo"),
                    labels: vec![
                        Label::primary(fa.span, format!("\"{x}\" here")),
                        Label::secondary(fb.span, format!("\"{y}\" here")),
                    ],
                    notes: vec![format!("\"{}\" and \"{}\" differ only in these words", fa.quote.trim(), fb.quote.trim())],
                    ..Draft::default()
                }
                .var("a", x)
                .var("b", y),
            );
        }
    }
}

impl Kind for Similar {
    fn reads(&self) -> Vec<String> {
        self.p.facts.iter().map(|n| n.to_string()).collect()
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        for name in &self.p.facts {
            let facts = cx.facts(name);
            if self.p.mode == "words" {
                self.run_words(facts, out);
                continue;
            }
            // distinct values, each with its first occurrence
            let mut distinct: Vec<(&str, &Fact)> = Vec::new();
            let mut seen: FxHashSet<&str> = FxHashSet::default();
            for f in facts {
                if let Some(v) = value(f) {
                    if v.chars().count() >= self.p.min_length && seen.insert(v) {
                        distinct.push((v, f));
                    }
                }
            }
            if distinct.len() < 2 {
                continue; // nothing to compare
            }
            let lower: Vec<Cow<str>> = distinct.iter().map(|(v, _)| lowercase(v)).collect();
            let lower: Vec<&str> = lower.iter().map(|l| l.as_ref()).collect();
            for (i, j) in near_pairs(&lower, self.p.max_distance) {
                {
                    let (a, fa) = distinct[i];
                    let (b, fb) = distinct[j];
                    let d = distance(a, b);
                    if d == 0 || d > self.p.max_distance {
                        continue;
                    }
                    if !self.digit_slip_counts(a, b, fa, fb) {
                        continue;
                    }
                    let who = |f: &Fact| {
                        owner_name(cx, f)
                            .map(|n| format!(" for {n}"))
                            .unwrap_or_default()
                    };
                    let message = match a.bytes().zip(b.bytes()).position(|(x, y)| x != y) {
                        Some(k) if d == 1 && a.bytes().all(|c| c.is_ascii_digit()) && a.len() == b.len() => format!(
                            "the phone numbers \"{}\" and \"{}\" differ only in digit {} ({} / {}): one is probably a typo of the other",
                            fa.quote.trim(),
                            fb.quote.trim(),
                            k + 1,
                            &a[k..k + 1],
                            &b[k..k + 1]
                        ),
                        _ => format!(
                            "\"{}\" and \"{}\" differ by {} character{}: one is probably a typo of the other",
                            fa.quote.trim(),
                            fb.quote.trim(),
                            d,
                            if d == 1 { "" } else { "s" }
                        ),
                    };
                    out.push(
                        Draft {
                            message,
                            labels: vec![
                                Label::primary(
                                    fb.span,
                                    format!("\"{}\"{}", fb.quote.trim(), who(fb)),
                                ),
                                Label::secondary(
                                    fa.span,
                                    format!("\"{}\"{}", fa.quote.trim(), who(fa)),
                                ),
                            ],
                            notes: vec![format!("compared as \"{a}\" and \"{b}\"")],
                            ..Draft::default()
                        }
                        .var("a", fa.quote.trim())
                        .var("b", fb.quote.trim()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_slips_need_a_shared_neighbour() {
        let a = "Reproductive Medicine Center, The affiliated Drum Towel Hospital of Nanjing University Medical School";
        let b = "The Affiliated Nanjing Drum Tower Hospital of Nanjing University Medical School";
        assert_eq!(
            word_slip(a, b, 4, 1),
            Some(("towel".into(), "tower".into()))
        );
        assert_eq!(
            word_slip("Linyi Central Hospital", "Linyi People's Hospital", 4, 1),
            None
        );
        assert_eq!(
            word_slip("Children's Hospital", "Childrens Hospital", 4, 1),
            None
        );
        assert_eq!(word_slip("Mayo Clinic", "Mayo Clinics", 4, 1), None);
        assert_eq!(
            word_slip("Instituto de Oncología", "Instituto de Oncologia", 4, 1),
            None
        );
        assert_eq!(word_slip("Centro Medico", "Centre Medico", 4, 1), None);
        assert_eq!(
            word_slip("Ohio State University", "Ohio State Universtity", 4, 1),
            Some(("university".into(), "universtity".into()))
        );
    }

    /// [`too_short`] counts chars as `str::chars` does, on words of one to
    /// four bytes a char and on the fixtures' words, around each length.
    #[test]
    fn too_short_counts_chars() {
        let alphabet = ["a", "é", "中", "😀", "Z"];
        let mut words: Vec<String> =
            crate::extract::random_sequences(&alphabet, 2_000, 24, 0x2545_f491_4f6c_dd1d)
                .into_iter()
                .map(|w| w.concat())
                .collect();
        words.extend(fixture_word_sets(200).into_iter().flatten());
        let mut shorter = 0;
        for w in &words {
            for min_len in 1..=8 {
                let want = w.chars().count() < min_len;
                assert_eq!(too_short(w, min_len), want, "{w:?} {min_len}");
                // lengths in bytes that do not decide it on their own
                if want && w.len() >= min_len {
                    shorter += 1;
                }
            }
        }
        assert!(shorter > 500, "{shorter}");
    }

    /// [`near_pairs`] as it was with hashbrown's table for the hashes.
    fn near_pairs_with_hash_map(values: &[&str]) -> Vec<(usize, usize)> {
        use std::collections::hash_map::Entry;
        let mut pairs = Vec::new();
        let all: usize = values.iter().map(|v| v.len() + 1).sum();
        let mut last: FxHashMap<u64, u32> =
            FxHashMap::with_capacity_and_hasher(all, Default::default());
        let mut variants: Vec<(u32, u32)> = Vec::with_capacity(all);
        let mut hashes = DeletionHashes::with_capacity(64);
        for (k, v) in values.iter().enumerate() {
            for h in hashes.of(v) {
                let id = variants.len() as u32;
                let before = match last.entry(h) {
                    Entry::Occupied(mut e) => {
                        let b = *e.get();
                        if variants[b as usize].0 == k as u32 {
                            continue;
                        }
                        e.insert(id);
                        Some(b)
                    }
                    Entry::Vacant(e) => {
                        e.insert(id);
                        None
                    }
                };
                variants.push((k as u32, before.map_or(0, |b| b + 1)));
                let mut at = before;
                while let Some(b) = at {
                    let other = variants[b as usize].0 as usize;
                    pairs.push((other.min(k), other.max(k)));
                    at = variants[b as usize].1.checked_sub(1);
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    /// The distinct words of each of the first `n` fixture texts, sorted,
    /// cut as the check cuts names into words.
    fn fixture_word_sets(n: usize) -> Vec<Vec<String>> {
        crate::extract::fixture_texts()
            .iter()
            .take(n)
            .map(|text| {
                let (mut words, mut ends) = (String::new(), Vec::new());
                push_words(text, &mut words, &mut ends);
                let mut set: Vec<String> = word_slices(&words, &ends)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                set.sort();
                set.dedup();
                set
            })
            .collect()
    }

    /// The table of [`LastVariant`] gives the pairs hashbrown's gave, on
    /// words made to be close and on the words of the fixtures, call after
    /// call in one thread (one table, kept).
    #[test]
    fn near_pairs_are_those_of_a_hash_map() {
        let alphabet = ["a", "b", "é", "c", "aa", "ab"];
        let mut sets: Vec<Vec<String>> =
            crate::extract::random_sequences(&alphabet, 400, 9, 0x9e37_79b9_7f4a_7c15)
                .chunks(40)
                .map(|c| c.iter().map(|w| w.concat()).collect())
                .collect();
        sets.extend(fixture_word_sets(200));
        let mut pairs = 0;
        // each set twice, the second time after larger ones: the table
        // kept from call to call must come back empty, whatever its size
        for set in sets.iter().chain(sets.iter().rev()) {
            let values: Vec<&str> = set.iter().map(String::as_str).collect();
            let want = near_pairs_with_hash_map(&values);
            assert_eq!(near_pairs(&values, 1), want, "{values:?}");
            pairs += want.len();
        }
        assert!(pairs > 1_000, "{pairs}");
    }

    /// [`close_pairs`] and [`close_pairs_by_ends`] give exactly the pairs
    /// of words one edit apart, the
    /// pairs of [`near_pairs`] that are (so `word_slips` keeps the same
    /// pairs either way), on words made to be close (a small alphabet,
    /// accents, letters of two and three bytes) and on the fixtures' words.
    #[test]
    fn close_pairs_are_the_near_pairs_one_edit_apart() {
        let alphabet = ["a", "b", "é", "è", "c", "aa", "ab", "中"];
        let mut sets: Vec<Vec<String>> =
            crate::extract::random_sequences(&alphabet, 4_000, 7, 0x51_7cc1_b727_220a)
                .chunks(40)
                .map(|c| {
                    let mut set: Vec<String> = c.iter().map(|w| w.concat()).collect();
                    set.sort();
                    set.dedup();
                    set
                })
                .collect();
        // sets of more than `FEW_WORDS` words (`close_pairs_by_ends`),
        // with and without words of one char
        for (alphabet, seed) in [
            (&alphabet[..], 0x2f6b_2a5c_81d3_4e97),
            (
                &["ab", "b", "éa", "è", "ca", "aa", "a中"][..],
                0x6c8e_9cf5_7032_1b41,
            ),
        ] {
            sets.extend(
                crate::extract::random_sequences(alphabet, 6_000, 6, seed)
                    .chunks(150)
                    .map(|c| {
                        let mut set: Vec<String> = c.iter().map(|w| w.concat()).collect();
                        set.sort();
                        set.dedup();
                        set
                    }),
            );
        }
        sets.extend(fixture_word_sets(300).into_iter().map(|mut set| {
            set.truncate(150);
            set
        }));
        let mut found = 0;
        for set in &sets {
            let values: Vec<&str> = set.iter().map(String::as_str).collect();
            let close = |&(i, j): &(usize, usize)| strsim::levenshtein(values[i], values[j]) <= 1;
            let want: Vec<(usize, usize)> =
                near_pairs(&values, 1).into_iter().filter(close).collect();
            let mut every = Vec::new();
            for i in 0..values.len() {
                for j in i + 1..values.len() {
                    if close(&(i, j)) {
                        every.push((i, j));
                    }
                }
            }
            assert_eq!(want, every, "{values:?}");
            assert_eq!(close_pairs(&values), want, "{values:?}");
            assert_eq!(close_pairs_by_ends(&values), want, "{values:?}");
            // and for them the distance need not be measured
            for &(i, j) in &want {
                let (x, y) = (values[i], values[j]);
                assert_eq!(
                    words_slip(x, y, 1, true),
                    words_slip(x, y, 1, false),
                    "{x:?} {y:?}"
                );
            }
            found += want.len();
        }
        assert!(found > 2_000, "{found}");
    }

    /// [`ByteSet`] lets through every pair one edit apart: each word of
    /// random chars (ASCII letters, and chars of two to four bytes, some of
    /// whose bytes share a bit with a letter's) with one char replaced,
    /// inserted or deleted anywhere, by one of the same kinds. It is a
    /// filter all the same: most pairs of unrelated words of letters are
    /// turned away.
    #[test]
    fn byte_sets_never_turn_away_a_pair_one_edit_apart() {
        let chars = ["a", "e", "n", "r", "t", "z", "A", "é", "ß", "中", "😀", "ł"];
        let words = crate::extract::random_sequences(&chars, 3_000, 12, 0x3c6e_f372_fe94_f82b);
        let mut rng = crate::testing::Xorshift::new(0x1f83_d9ab_fb41_bd6b);
        let mut pairs = 0;
        for w in &words {
            for _ in 0..4 {
                let mut v = w.clone();
                let at = (rng.next() % (v.len() as u64 + 1)) as usize;
                let c = chars[(rng.next() % chars.len() as u64) as usize];
                match rng.next() % 3 {
                    0 if at < v.len() => v[at] = c,
                    1 if at < v.len() => {
                        v.remove(at);
                    }
                    _ => v.insert(at, c),
                }
                let (x, y) = (w.concat(), v.concat());
                assert!(strsim::levenshtein(&x, &y) <= 1, "{x:?} {y:?}");
                assert!(
                    ByteSet::of(&x).may_be_one_edit_from(ByteSet::of(&y)),
                    "{x:?} {y:?}"
                );
                pairs += 1;
            }
        }
        assert!(pairs >= 12_000, "{pairs}");
        // unrelated words of ASCII letters of close lengths
        let letters: Vec<String> = (b'a'..=b'z').map(|b| char::from(b).to_string()).collect();
        let words: Vec<String> =
            crate::extract::random_sequences(&letters, 2_000, 12, 0x9b05_688c_2b3e_6c1f)
                .into_iter()
                .map(|w| w.concat())
                .filter(|w| w.len() >= 6)
                .collect();
        let (mut unrelated, mut turned_away) = (0, 0);
        for p in words.windows(2) {
            if p[0].len().abs_diff(p[1].len()) <= 1 && strsim::levenshtein(&p[0], &p[1]) > 1 {
                unrelated += 1;
                if !ByteSet::of(&p[0]).may_be_one_edit_from(ByteSet::of(&p[1])) {
                    turned_away += 1;
                }
            }
        }
        assert!(
            unrelated >= 100 && turned_away * 10 >= unrelated * 9,
            "{turned_away} of {unrelated}"
        );
    }

    /// Words of ASCII names are the words the split by `char` gives.
    #[test]
    fn ascii_names_are_cut_as_by_char() {
        let pieces = [
            "Drum", " ", "TOWER", "-", "a1", "'s", ",", "9", "  ", "x", "_", "\0", "\t", "Zz0",
        ];
        let mut texts = crate::extract::random_texts(&pieces, 2_000, 12, 0x2545_f491_4f6c_dd1d);
        texts.extend(
            crate::extract::fixture_texts()
                .into_iter()
                .filter(|t| t.is_ascii()),
        );
        for t in &texts {
            let (mut fast, mut fast_ends) = (String::new(), Vec::new());
            push_words(t, &mut fast, &mut fast_ends);
            let mut slow = String::new();
            let mut slow_ends = Vec::new();
            for w in t
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                slow.push_str(&w.to_lowercase());
                slow_ends.push(slow.len());
            }
            assert_eq!((fast, fast_ends), (slow, slow_ends), "{t:?}");
        }
    }

    /// Every pair within one edit is a candidate, on words made to be
    /// close (a small alphabet, accents, repeated letters).
    #[test]
    fn near_pairs_finds_every_pair_one_edit_apart() {
        let alphabet = ['a', 'b', 'é', 'c'];
        let mut rng = crate::testing::Xorshift::new(0x2545_f491_4f6c_dd1d);
        let mut next = |m: usize| rng.below(m as u64) as usize;
        for _ in 0..50 {
            let words: Vec<String> = (0..60)
                .map(|_| (0..1 + next(6)).map(|_| alphabet[next(4)]).collect())
                .collect();
            let values: Vec<&str> = words.iter().map(String::as_str).collect();
            let got = near_pairs(&values, 1);
            let mut want = Vec::new();
            for i in 0..values.len() {
                for j in i + 1..values.len() {
                    if strsim::levenshtein(values[i], values[j]) <= 1 {
                        want.push((i, j));
                    }
                }
            }
            let missing: Vec<_> = want.iter().filter(|p| !got.contains(p)).collect();
            assert!(missing.is_empty(), "{missing:?} of {values:?}");
            assert!(got.windows(2).all(|w| w[0] < w[1]), "sorted, distinct");
        }
    }
}
