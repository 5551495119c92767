//! Numbers written as digits or English words ("Twenty-two", "forty").
//!
//! [`parse_number`] reads one number; [`find_numbers`] finds every whole
//! number in a text, with its byte range, for the other extractors.

/// Value of a single English number word below one hundred, lower-case.
fn unit_word(w: &str) -> Option<i64> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fourty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn is_tens(v: i64) -> bool {
    v >= 20 && v % 10 == 0
}

/// Parse a number written in digits ("40", "1,200", "1 200" is not accepted)
/// or English words ("Twenty-two", "one hundred and twenty", "two hundred
/// fifty", "a thousand" is not accepted). Case-insensitive; surrounding white
/// space is ignored. Returns `None` for anything else (decimals, mixtures).
pub fn parse_number(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.as_bytes()[0].is_ascii_digit() {
        return parse_digits(s);
    }
    parse_words(s)
}

/// Digits with optional thousands separators in the right places.
fn parse_digits(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if !b.iter().all(|c| c.is_ascii_digit() || *c == b',') {
        return None;
    }
    if b.contains(&b',') {
        let mut groups = s.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 {
            return None;
        }
        for g in groups {
            if g.len() != 3 {
                return None;
            }
        }
    }
    // the digits' value, read in place (a `String` of them was parsed:
    // an allocation per number); more than 15 digits or none is no number
    let mut digits = 0;
    let mut v: i64 = 0;
    for &c in b {
        if c.is_ascii_digit() {
            digits += 1;
            if digits > 15 {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
    }
    (digits > 0).then_some(v)
}

fn parse_words(s: &str) -> Option<i64> {
    let mut total: i64 = 0; // completed thousands
    let mut current: i64 = 0; // below one thousand
    let mut last: Option<&str> = None; // kind of the last token
    let mut any = false;
    for raw in s.split(|c: char| c == '-' || c.is_whitespace()) {
        if raw.is_empty() {
            continue;
        }
        // lower-cased on the stack: no word below is longer than nine
        // letters, so a longer one is no number (as `unit_word` would say)
        if raw.len() > 9 {
            return None;
        }
        let mut buf = [0u8; 9];
        buf[..raw.len()].copy_from_slice(raw.as_bytes());
        buf[..raw.len()].make_ascii_lowercase();
        let Ok(w) = std::str::from_utf8(&buf[..raw.len()]) else {
            return None;
        };
        match w {
            "and" => {
                // only "hundred and twenty", "thousand and five"
                if !matches!(last, Some("hundred") | Some("thousand")) {
                    return None;
                }
                last = Some("and");
                continue;
            }
            "hundred" => {
                if current == 0 || current >= 100 {
                    return None;
                }
                current *= 100;
                last = Some("hundred");
            }
            "thousand" => {
                if current == 0 || total != 0 {
                    return None;
                }
                total = current * 1000;
                current = 0;
                last = Some("thousand");
            }
            _ => {
                let v = unit_word(w)?;
                let below_hundred = current % 100;
                if below_hundred != 0 {
                    // "twenty two" is fine, "two two" or "twenty thirty" is not
                    if !(is_tens(below_hundred) && v < 10 && v > 0) {
                        return None;
                    }
                }
                current += v;
                last = Some("unit");
            }
        }
        any = true;
    }
    if !any || last == Some("and") {
        return None;
    }
    Some(total + current)
}

/// True for a lower-case word that can be part of a number written in words.
/// Whether `text` may hold a number written as a word: a fast superset
/// ("none" has "one"), the prefilter of the extractors that read them.
pub fn has_number_word(text: &str) -> bool {
    NUMBER_WORDS.is_match(text)
}

/// [`has_number_word`] on a whole field, answered from its gate words.
pub fn has_number_word_in(f: &crate::record::Field) -> bool {
    NUMBER_WORDS.in_field(f)
}

/// The words of [`has_number_word`].
pub(super) const NUMBER_WORD_LIST: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "teen", "twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy", "eighty",
    "ninety", "hundred", "thousand",
];

static NUMBER_WORDS: std::sync::LazyLock<crate::extract::patterns::Keywords> =
    std::sync::LazyLock::new(|| crate::extract::patterns::keywords(NUMBER_WORD_LIST));

pub fn is_number_word(w: &str) -> bool {
    unit_word(w).is_some() || w == "hundred" || w == "thousand"
}

/// The first ASCII digit of `b` from `from` on (the schedules' search for
/// unit words near digits, and the extractors' test for a digit at all).
pub fn next_digit(b: &[u8], from: usize) -> Option<usize> {
    // Eight bytes at a time, as [`letters_end`] reads letters: a byte is a
    // digit when it is below 0x80 and between '0' and '9', each bound an
    // addition that carries into the byte's high bit and no further. (It
    // was sixteen bytes compared one by one and or-ed together.)
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(c) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(c.try_into().unwrap());
        let l = x & !HI;
        let ge_0 = l + (0x80 - u64::from(b'0')) * LO;
        let gt_9 = l + (0x80 - u64::from(b'9') - 1) * LO;
        let digit = ge_0 & !gt_9 & !x & HI;
        if digit != 0 {
            return Some(i + (digit.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b.get(i..)?
        .iter()
        .position(u8::is_ascii_digit)
        .map(|k| i + k)
}

/// A number found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Num {
    pub start: usize,
    pub end: usize,
    pub value: i64,
    /// Written in words ("twenty-two") rather than digits.
    pub words: bool,
}

/// Every number in `text`: runs of digits (with thousands commas, "1,200")
/// that are not part of a decimal, a word or an identifier ("P3", "1.5",
/// "IL-6" is returned as 6 only if preceded by a non-letter: it is not),
/// and runs of whole English number words ("Twenty-two", "one hundred and
/// twenty"). Ranges are byte offsets into `text`.
pub fn find_numbers(text: &str) -> Vec<(usize, usize, i64)> {
    find_nums(text)
        .into_iter()
        .map(|n| (n.start, n.end, n.value))
        .collect()
}

/// The number written in words at `text[start..end]` ("one hundred and
/// twenty"), or in its longest prefix that parses as one, cut back a word
/// at a time (dropping an "and" the cut leaves at the end).
fn words_number(text: &str, start: usize, end: usize) -> Option<Num> {
    let mut e = end;
    loop {
        if let Some(v) = parse_words(&text[start..e]) {
            return Some(Num {
                start,
                end: e,
                value: v,
                words: true,
            });
        }
        match text[start..e].rfind([' ', '-']) {
            Some(p) if p > 0 => e = start + p,
            _ => return None,
        }
        // compared in place: this runs for every cut of every run of words
        if e - start >= 4 && text.as_bytes()[e - 4..e].eq_ignore_ascii_case(b" and") {
            e -= 4;
        }
    }
}

/// Like [`find_numbers`] but says whether each number was written in words.
pub fn find_nums(text: &str) -> Vec<Num> {
    let mut out = Vec::new();
    find_nums_into(text, &mut out);
    out
}

/// [`find_nums`], pushed to `out` (a caller reading sentence after
/// sentence keeps one list for all).
pub fn find_nums_into(text: &str, out: &mut Vec<Num>) {
    let b = text.as_bytes();
    let mut starts = RunStarts::new(b);
    let mut i = 0;
    // This runs on every byte of every sentence that might state a count,
    // so bytes are classed through one table and a word that cannot be a
    // number word is stepped over without being looked up.
    while i < b.len() {
        if i == 0 || !is_word_byte(b[i - 1]) {
            i = starts.next(i);
            if i >= b.len() {
                break;
            }
        }
        let class = CLASS[b[i] as usize];
        if class & DIGIT != 0 {
            let start = i;
            let mut j = i;
            while j < b.len() && (is_digit(b[j]) || (b[j] == b',' && comma_group(b, j))) {
                j += 1;
            }
            let end = j;
            i = j;
            // glued to a letter/identifier before or after, or part of a decimal
            let prev = if start > 0 { Some(b[start - 1]) } else { None };
            let next = b.get(end).copied();
            let glued_before = matches!(prev, Some(p) if p.is_ascii_alphabetic() || p == b'_');
            let glued_after = matches!(next, Some(n) if n.is_ascii_alphabetic() || n == b'_');
            let decimal_before =
                start >= 2 && matches!(prev, Some(b'.') | Some(b',')) && is_digit(b[start - 2]);
            let decimal_after = matches!(next, Some(b'.') | Some(b','))
                && b.get(end + 1).is_some_and(|d| is_digit(*d));
            if glued_before || glued_after || decimal_before || decimal_after {
                continue;
            }
            if let Some(v) = parse_digits(&text[start..end]) {
                out.push(Num {
                    start,
                    end,
                    value: v,
                    words: false,
                });
            }
            continue;
        }
        if class & ALPHA != 0 && (i == 0 || !is_word_byte(b[i - 1])) {
            // a run of number words joined by spaces, hyphens or "and"
            let start = i;
            let mut end = i;
            let mut j = i;
            let mut words = 0;
            loop {
                let ws = j;
                j = letters_end(b, j);
                if j < b.len() && is_word_byte(b[j]) {
                    break; // "one2", "twofold" handled by lookup failing
                }
                let w = &b[ws..j];
                let is_and = w.eq_ignore_ascii_case(b"and");
                let ok = if is_and {
                    words > 0
                } else {
                    may_be_number_word(w) && {
                        // lower-cased on the stack: no number word is
                        // longer than nine letters (and `w` is ASCII
                        // letters: no UTF-8 to check)
                        let mut buf = [0u8; 12];
                        buf[..w.len()].copy_from_slice(w);
                        buf[..w.len()].make_ascii_lowercase();
                        is_number_word_bytes(&buf[..w.len()])
                    }
                };
                if !ok {
                    break;
                }
                if !is_and {
                    end = j;
                    words += 1;
                }
                // separator: one space or one hyphen, then another word
                if j < b.len()
                    && (b[j] == b' ' || b[j] == b'-')
                    && j + 1 < b.len()
                    && b[j + 1].is_ascii_alphabetic()
                {
                    j += 1;
                    continue;
                }
                break;
            }
            if words > 0 {
                out.extend(words_number(text, start, end));
                i = end.max(i + 1);
                continue;
            }
            // not a number word: `j` is already past its letters
            i = j;
            while i < b.len() && is_word_byte(b[i]) {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
}

/// Where the loop of [`find_nums_into`] next has something to do: the
/// starts of the runs of word bytes it must read, found 64 bytes at a time.
///
/// The loop asks from `from`, the start of a run of word bytes or a byte
/// that is none (`from` is 0 or follows a byte that is no word byte). It
/// must read a run that starts with a digit, '_', a byte above 0x7f or a
/// letter a number word starts with (z, o, t, f, s, e, n or h, either
/// case); a run that starts with another letter goes to the word branch,
/// whose letters are no number word (`may_be_number_word` looks the first
/// letter up; "and" is read only after a number word), and the loop steps
/// over the whole run, digits in it too ("abc1", "aé1"). So does a run
/// whose first word of letters `may_be_number_word` rejects ("the",
/// "treatment", "of"), which is answered here when the word ends in its
/// chunk. What is returned is such a start, or the end of the text; the
/// bytes before it give nothing.
///
/// Each chunk of 64 bytes is classed once (SSE2, sixteen bytes a step)
/// into bit masks, and each start is the next bit of a mask. It was a
/// sixteen-byte block classed again at every call (`skip_plain`), which
/// came back for every word with one of those first letters ("the",
/// "to", "of", "study"), about a third of the words of prose, to read
/// it in the loop: the finder was some 14 instructions a byte of prose.
struct RunStarts<'a> {
    b: &'a [u8],
    /// The start of the chunk classed (a multiple of 64), or `usize::MAX`.
    base: usize,
    /// The ASCII letters of the chunk, bit `k` for byte `base + k`.
    letters: u64,
    /// The starts of runs in the chunk that the loop must read (or that
    /// `plain_word` rejects).
    starts: u64,
}

impl<'a> RunStarts<'a> {
    fn new(b: &'a [u8]) -> Self {
        RunStarts {
            b,
            base: usize::MAX,
            letters: 0,
            starts: 0,
        }
    }

    /// The first start at or after `from` (see the type), or the end.
    fn next(&mut self, from: usize) -> usize {
        let mut chunk = from & !63;
        while chunk < self.b.len() {
            if chunk != self.base {
                self.class(chunk);
            }
            // `from` is past `chunk` only in the first chunk
            let mut m = self.starts & (!0u64 << (from.max(chunk) - chunk));
            while m != 0 {
                let k = m.trailing_zeros() as usize;
                m &= m - 1;
                if !self.plain_word(k) {
                    return chunk + k;
                }
            }
            chunk += 64;
        }
        self.b.len()
    }

    /// Classes the chunk at `base`; the last one is padded with spaces,
    /// which are no word bytes.
    fn class(&mut self, base: usize) {
        let b = self.b;
        let m = match b.get(base..base + 64) {
            Some(c) => chunk_masks(c.try_into().unwrap()),
            None => {
                let mut padded = [b' '; 64];
                padded[..b.len() - base].copy_from_slice(&b[base..]);
                chunk_masks(&padded)
            }
        };
        // a run goes on from the chunk before
        let carry = u64::from(base > 0 && is_word_byte(b[base - 1]));
        let starts = m.words & !((m.words << 1) | carry);
        self.base = base;
        self.letters = m.letters;
        self.starts = starts & m.stops;
    }

    /// Whether the run starting at bit `k` of the chunk starts with a word
    /// of letters that ends in the chunk and that no number word can be.
    fn plain_word(&self, k: usize) -> bool {
        let after = !self.letters >> k;
        if after == 0 {
            return false; // letters to the chunk's end: the loop reads it
        }
        let len = after.trailing_zeros() as usize;
        let start = self.base + k;
        len > 0 && !may_be_number_word(&self.b[start..start + len])
    }
}

/// What [`RunStarts`] needs of a chunk of 64 bytes, bit `k` for byte `k`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct ChunkMasks {
    /// ASCII letters.
    letters: u64,
    /// Word bytes: ASCII letters and digits, '_', bytes above 0x7f.
    words: u64,
    /// The bytes a run the loop must read starts with: ASCII digits, '_',
    /// bytes above 0x7f and the first letters of the number words.
    stops: u64,
}

#[cfg(target_arch = "x86_64")]
fn chunk_masks(c: &[u8; 64]) -> ChunkMasks {
    use std::arch::x86_64::*;
    let mut m = ChunkMasks::default();
    for k in 0..4 {
        // SAFETY: SSE2 is part of x86-64; the 16 bytes at `16 * k` are in `c`
        let (letters, words, stops) = unsafe {
            let v = _mm_loadu_si128(c.as_ptr().add(16 * k).cast());
            let splat = |c: u8| _mm_set1_epi8(c as i8);
            // signed comparisons: a byte above 0x7f is below every ASCII byte
            let digit = _mm_and_si128(
                _mm_cmpgt_epi8(v, splat(b'0' - 1)),
                _mm_cmplt_epi8(v, splat(b'9' + 1)),
            );
            let lower = _mm_or_si128(v, splat(0x20));
            let letter = _mm_and_si128(
                _mm_cmpgt_epi8(lower, splat(b'a' - 1)),
                _mm_cmplt_epi8(lower, splat(b'z' + 1)),
            );
            let under = _mm_cmpeq_epi8(v, splat(b'_'));
            let high = _mm_movemask_epi8(v) as u32;
            // (a byte that is one of these letters with the case bit set
            // is that letter in either case)
            let mut first = _mm_setzero_si128();
            for c in NUMBER_WORD_FIRSTS {
                first = _mm_or_si128(first, _mm_cmpeq_epi8(lower, splat(c)));
            }
            let digit_under = _mm_movemask_epi8(_mm_or_si128(digit, under)) as u32;
            let letter = _mm_movemask_epi8(letter) as u32;
            (
                letter,
                digit_under | high | letter,
                digit_under | high | _mm_movemask_epi8(first) as u32,
            )
        };
        m.letters |= u64::from(letters) << (16 * k);
        m.words |= u64::from(words) << (16 * k);
        m.stops |= u64::from(stops) << (16 * k);
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
fn chunk_masks(c: &[u8; 64]) -> ChunkMasks {
    chunk_masks_bytewise(c)
}

/// [`chunk_masks`] a byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn chunk_masks_bytewise(c: &[u8; 64]) -> ChunkMasks {
    let mut m = ChunkMasks::default();
    for (k, &x) in c.iter().enumerate() {
        let bit = 1u64 << k;
        let letter = x.is_ascii_alphabetic();
        if letter {
            m.letters |= bit;
        }
        if is_word_byte(x) {
            m.words |= bit;
        }
        if x.is_ascii_digit()
            || x == b'_'
            || x >= 0x80
            || letter && NUMBER_WORD_FIRSTS.contains(&x.to_ascii_lowercase())
        {
            m.stops |= bit;
        }
    }
    m
}

/// The first letters of the number words ([`NUMBER_WORDS_ALL`]).
const NUMBER_WORD_FIRSTS: [u8; 8] = *b"zotfsenh";

/// Whether a word of ASCII letters can be one of [`is_number_word`]'s words,
/// by its first letter, its length and its last letter: one table lookup.
/// It was the first letter and the length alone, which "the", "that",
/// "these", "from", "safety" pass; the words that passed were copied and
/// looked up. (A superset: `may_be_number_word_is_a_superset`.)
fn may_be_number_word(w: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (w.first(), w.last()) else {
        return false;
    };
    if w.len() > 9 || !first.is_ascii_alphabetic() || !last.is_ascii_alphabetic() {
        return false;
    }
    let row = usize::from(first.to_ascii_lowercase() - b'a') * 10 + w.len();
    (NUMBER_WORD_ENDS[row] >> (last.to_ascii_lowercase() - b'a')) & 1 != 0
}

/// The words of [`is_number_word`], lower-case.
const NUMBER_WORDS_ALL: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fourty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
];

/// For each first letter and length (row `letter * 10 + length`), the
/// last letters (bit `letter`) of the number words with them.
static NUMBER_WORD_ENDS: [u32; 260] = {
    let mut t = [0u32; 260];
    let mut k = 0;
    while k < NUMBER_WORDS_ALL.len() {
        let w = NUMBER_WORDS_ALL[k].as_bytes();
        t[(w[0] - b'a') as usize * 10 + w.len()] |= 1 << (w[w.len() - 1] - b'a');
        k += 1;
    }
    t
};

/// [`is_number_word`] on lower-case ASCII bytes.
///
/// One `matches!` of the words (compiled to a dispatch on the length and
/// a comparison or two): the words were compared one after another, a
/// `memcmp` call for each of the same length (1.4 million instructions
/// per 1,000 records). `is_number_word_bytes_is_the_list` holds it to
/// [`NUMBER_WORDS_ALL`].
fn is_number_word_bytes(w: &[u8]) -> bool {
    matches!(
        w,
        b"zero"
            | b"one"
            | b"two"
            | b"three"
            | b"four"
            | b"five"
            | b"six"
            | b"seven"
            | b"eight"
            | b"nine"
            | b"ten"
            | b"eleven"
            | b"twelve"
            | b"thirteen"
            | b"fourteen"
            | b"fifteen"
            | b"sixteen"
            | b"seventeen"
            | b"eighteen"
            | b"nineteen"
            | b"twenty"
            | b"thirty"
            | b"forty"
            | b"fourty"
            | b"fifty"
            | b"sixty"
            | b"seventy"
            | b"eighty"
            | b"ninety"
            | b"hundred"
            | b"thousand"
    )
}

/// The end of the run of ASCII letters from `j` on in `b`.
///
/// Eight bytes at a time: every byte of prose that is part of a word was
/// stepped through the class table on its own (the most frequent step of
/// [`find_nums_into`]). A byte is a letter when it is below 0x80 and,
/// with the case bit set, between 'a' and 'z': each comparison is an
/// addition that carries into the byte's high bit, without carrying into
/// the next byte (the high bit is cleared first). With the one lookup
/// of [`may_be_number_word`]: 1,281 → 1,268 million instructions per
/// 1,000 records (−1.0%).
fn letters_end(b: &[u8], mut j: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    while let Some(c) = b.get(j..j + 8) {
        let x = u64::from_le_bytes(c.try_into().unwrap());
        let l = (x | (0x20 * LO)) & !HI;
        let ge_a = l + (0x80 - b'a' as u64) * LO;
        let gt_z = l + (0x80 - b'z' as u64 - 1) * LO;
        let letter = ge_a & !gt_z & !x & HI;
        let not_letter = !letter & HI;
        if not_letter != 0 {
            return j + (not_letter.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while j < b.len() && CLASS[b[j] as usize] & ALPHA != 0 {
        j += 1;
    }
    j
}

const DIGIT: u8 = 1;
const ALPHA: u8 = 2;
const WORD: u8 = 4;

/// The class of each byte: an ASCII digit, an ASCII letter, and a byte of a
/// word (either of those, `_`, or any byte of a non-ASCII character).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let mut k = 0;
        if b.is_ascii_digit() {
            k |= DIGIT | WORD;
        }
        if b.is_ascii_alphabetic() {
            k |= ALPHA | WORD;
        }
        if b == b'_' || b >= 0x80 {
            k |= WORD;
        }
        t[c] = k;
        c += 1;
    }
    t
};

fn is_digit(c: u8) -> bool {
    CLASS[c as usize] & DIGIT != 0
}

fn is_word_byte(c: u8) -> bool {
    CLASS[c as usize] & WORD != 0
}

/// A comma at `j` that separates thousands: followed by exactly three digits.
fn comma_group(b: &[u8], j: usize) -> bool {
    j > 0
        && b[j - 1].is_ascii_digit()
        && b.len() >= j + 4
        && b[j + 1..j + 4].iter().all(|d| d.is_ascii_digit())
        && !b.get(j + 4).is_some_and(|d| d.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixture texts and words around the number words, in odd cases.
    fn texts() -> Vec<String> {
        let mut texts = crate::extract::fixture_texts();
        let pieces = [
            "one", "Twenty", "THOUSAND", "the", "a", "Z", "zz", "é", "ü", "_", "1", " ", "-",
            "\u{7f}", "@", "[", "`", "{", "hundreds", "teen", "sixty",
        ];
        texts.extend(crate::extract::random_texts(
            &pieces,
            3000,
            30,
            0x9e37_79b9_7f4a_7c15,
        ));
        texts
            .extend((0u8..=255).map(|c| String::from_utf8_lossy(&[b'a', c, b'b', c]).into_owned()));
        texts
    }

    #[test]
    fn next_digit_is_the_bytewise_scan() {
        let mut found = 0;
        for t in texts() {
            let b = t.as_bytes();
            for j in 0..=b.len() + 1 {
                let want = b
                    .get(j..)
                    .and_then(|r| r.iter().position(u8::is_ascii_digit))
                    .map(|k| j + k);
                found += usize::from(want.is_some());
                assert_eq!(next_digit(b, j), want, "{t:?} from {j}");
            }
        }
        assert!(found > 10_000, "{found}");
    }

    #[test]
    fn letters_end_is_the_bytewise_scan() {
        for t in texts() {
            let b = t.as_bytes();
            for j in 0..=b.len() {
                let mut k = j;
                while k < b.len() && b[k].is_ascii_alphabetic() {
                    k += 1;
                }
                assert_eq!(letters_end(b, j), k, "{t:?} at {j}");
            }
        }
    }

    #[test]
    fn may_be_number_word_is_a_superset() {
        let mut words: Vec<String> = NUMBER_WORDS_ALL
            .iter()
            .flat_map(|w| {
                [
                    w.to_string(),
                    w.to_ascii_uppercase(),
                    w[..1].to_ascii_uppercase() + &w[1..],
                ]
            })
            .collect();
        for t in texts() {
            words.extend(
                t.split(|c: char| !c.is_ascii_alphabetic())
                    .map(String::from),
            );
        }
        let mut numbers = 0;
        let mut passed = 0;
        for w in words.iter().filter(|w| !w.is_empty()) {
            let lower = w.to_ascii_lowercase();
            let is = is_number_word(&lower);
            numbers += usize::from(is);
            passed += usize::from(may_be_number_word(w.as_bytes()));
            assert!(!is || may_be_number_word(w.as_bytes()), "{w}");
            assert_eq!(is_number_word_bytes(lower.as_bytes()), is, "{w}");
        }
        assert!(numbers > 100, "{numbers}");
        assert!(passed < words.len() / 4, "{passed} of {}", words.len());
    }

    #[test]
    fn digits() {
        assert_eq!(parse_number("40"), Some(40));
        assert_eq!(parse_number("1,200"), Some(1200));
        assert_eq!(parse_number(" 158 "), Some(158));
        assert_eq!(parse_number("1,20"), None);
        assert_eq!(parse_number("1.5"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn words() {
        assert_eq!(parse_number("Twenty-two"), Some(22));
        assert_eq!(parse_number("forty"), Some(40));
        assert_eq!(parse_number("FORTY"), Some(40));
        assert_eq!(parse_number("one hundred and twenty"), Some(120));
        assert_eq!(parse_number("two hundred fifty"), Some(250));
        assert_eq!(parse_number("twenty two"), Some(22));
        assert_eq!(parse_number("three thousand five hundred"), Some(3500));
        assert_eq!(parse_number("two two"), None);
        assert_eq!(parse_number("twenty thirty"), None);
        assert_eq!(parse_number("and"), None);
        assert_eq!(parse_number("hundred"), None);
        assert_eq!(parse_number("one of"), None);
    }

    #[test]
    fn finder() {
        let t =
            "Twenty-two subjects, 1,200 cells, 1.5 mg, P3, one hundred and twenty people and two";
        let n = find_numbers(t);
        let vals: Vec<i64> = n.iter().map(|x| x.2).collect();
        assert_eq!(vals, vec![22, 1200, 120, 2]);
        assert_eq!(&t[n[0].0..n[0].1], "Twenty-two");
        assert_eq!(&t[n[2].0..n[2].1], "one hundred and twenty");
        assert!(find_numbers("someone, onerous, tone").is_empty());
        assert_eq!(
            find_numbers("n=23 each")
                .iter()
                .map(|x| x.2)
                .collect::<Vec<_>>(),
            vec![23]
        );
        assert_eq!(
            find_numbers("18-65")
                .iter()
                .map(|x| x.2)
                .collect::<Vec<_>>(),
            vec![18, 65]
        );
    }

    /// The finder as it was before it classed bytes through a table and
    /// skipped words by their first letter: byte by byte, every word looked
    /// up. The finder must give what this gives.
    fn find_nums_bytewise(text: &str) -> Vec<Num> {
        fn word_byte(c: u8) -> bool {
            c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
        }
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_digit() {
                let start = i;
                let mut j = i;
                while j < b.len() && (b[j].is_ascii_digit() || (b[j] == b',' && comma_group(b, j)))
                {
                    j += 1;
                }
                let end = j;
                i = j;
                let prev = if start > 0 { Some(b[start - 1]) } else { None };
                let next = b.get(end).copied();
                let glued_before = matches!(prev, Some(p) if p.is_ascii_alphabetic() || p == b'_');
                let glued_after = matches!(next, Some(n) if n.is_ascii_alphabetic() || n == b'_');
                let decimal_before = start >= 2
                    && matches!(prev, Some(b'.') | Some(b','))
                    && b[start - 2].is_ascii_digit();
                let decimal_after = matches!(next, Some(b'.') | Some(b','))
                    && b.get(end + 1).is_some_and(|d| d.is_ascii_digit());
                if glued_before || glued_after || decimal_before || decimal_after {
                    continue;
                }
                if let Some(v) = parse_digits(&text[start..end]) {
                    out.push(Num {
                        start,
                        end,
                        value: v,
                        words: false,
                    });
                }
                continue;
            }
            if c.is_ascii_alphabetic() && (i == 0 || !word_byte(b[i - 1])) {
                let start = i;
                let mut end = i;
                let mut j = i;
                let mut words = 0;
                loop {
                    let ws = j;
                    while j < b.len() && b[j].is_ascii_alphabetic() {
                        j += 1;
                    }
                    if j < b.len() && word_byte(b[j]) {
                        break;
                    }
                    let lw = text[ws..j].to_ascii_lowercase();
                    let ok = if lw == "and" {
                        words > 0
                    } else {
                        is_number_word(&lw)
                    };
                    if !ok {
                        break;
                    }
                    if lw != "and" {
                        end = j;
                        words += 1;
                    }
                    if j < b.len()
                        && (b[j] == b' ' || b[j] == b'-')
                        && j + 1 < b.len()
                        && b[j + 1].is_ascii_alphabetic()
                    {
                        j += 1;
                        continue;
                    }
                    break;
                }
                if words > 0 {
                    out.extend(words_number(text, start, end));
                    i = end.max(i + 1);
                    continue;
                }
                while i < b.len() && word_byte(b[i]) {
                    i += 1;
                }
                continue;
            }
            i += 1;
        }
        out
    }

    #[test]
    fn first_letter_test_admits_every_number_word() {
        for w in NUMBER_WORDS_ALL {
            assert!(is_number_word(w), "{w}");
            for v in [w.to_string(), w.to_ascii_uppercase()] {
                assert!(may_be_number_word(v.as_bytes()), "{v}");
            }
        }
    }

    #[test]
    fn finds_as_bytewise_on_every_fixture() {
        let mut texts: Vec<String> = [
            "",
            "Twenty-two and forty, one hundred and twenty-one; THREE thousand and five",
            "zero_one 1,200,000 a1 1a 2.5 3,4 x_9 é7 7é one2 and one and",
            "ONE-Hundred and TWENTY twenty-ONE seventeen-hundred Nineteen ninety-nine",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.extend(
            NUMBER_WORDS_ALL
                .iter()
                .map(|w| format!("{w} and {w}-{w} {w}")),
        );
        texts.extend(crate::extract::fixture_texts());
        assert!(texts.len() > 20);
        for t in &texts {
            assert_eq!(find_nums(t), find_nums_bytewise(t), "{t:?}");
        }
    }

    #[test]
    fn plain_runs_stepped_over_find_as_bytewise() {
        // runs of another first letter, with digits, '_' and non-ASCII
        // letters in them, before, between and after number words, across
        // the 64-byte chunks of `RunStarts`
        let pieces = [
            "patients",
            "With",
            "abc1",
            "a\u{e9}1",
            "x_9",
            "W\u{e9}7",
            "the",
            "one",
            "Two",
            "twenty",
            "and",
            " ",
            "  ",
            "-",
            ",",
            ".",
            "_",
            "1",
            "23",
            "1,200",
            "\u{e9}",
            "\u{e9}3",
            "participantswithoutaspace",
            "q",
            "Z",
            "zzz",
            "hundred",
            "(",
            "\n",
            "@",
            "[",
            "`",
        ];
        let mut all = crate::extract::random_texts(&pieces, 20_000, 24, 0x51d_e5e7);
        all.extend(texts());
        let mut nums = 0;
        for t in &all {
            let found = find_nums(t);
            nums += found.len();
            assert_eq!(found, find_nums_bytewise(t), "{t:?}");
        }
        assert!(nums > 20_000, "{nums}");
        // the first letters are those of the number words
        let mut firsts: Vec<u8> = NUMBER_WORDS_ALL.iter().map(|w| w.as_bytes()[0]).collect();
        firsts.sort_unstable();
        firsts.dedup();
        let mut ours = NUMBER_WORD_FIRSTS.to_vec();
        ours.sort_unstable();
        assert_eq!(firsts, ours);
    }

    #[test]
    fn is_number_word_bytes_is_the_list() {
        // each word of the list, each with a letter changed, cut or added
        let mut n = 0;
        for w in NUMBER_WORDS_ALL {
            assert!(is_number_word_bytes(w.as_bytes()), "{w}");
            let b = w.as_bytes();
            for k in 0..=b.len() {
                for c in [b'a', b'e', b'n', b'o', b's', b't', b'y'] {
                    let mut changed = b.to_vec();
                    if k < b.len() {
                        changed[k] = c;
                    }
                    let mut added = b.to_vec();
                    added.insert(k, c);
                    let cut = [&b[..k], &b[(k + 1).min(b.len())..]].concat();
                    for v in [changed, added, cut] {
                        let listed = NUMBER_WORDS_ALL.iter().any(|x| x.as_bytes() == v);
                        n += usize::from(!listed);
                        assert_eq!(is_number_word_bytes(&v), listed, "{v:?}");
                    }
                }
            }
        }
        assert!(n > 2_000, "{n}");
    }

    #[test]
    fn words_a_chunk_rejects_find_as_bytewise() {
        // texts of several 64-byte chunks: words `RunStarts::plain_word`
        // rejects ("the", "study") and words it must not ("three",
        // "Seventeen"), long runs across the chunks' ends, a run at the
        // text's end in the padded last chunk
        let pieces = [
            "the",
            "The",
            "study",
            "these",
            "treatment",
            "of",
            "three",
            "Seventeen",
            "fifty-one",
            "hundred",
            "and",
            "sixty",
            "sixtyfold",
            "one2",
            "12",
            "1,200",
            "2.5",
            "x_9",
            "\u{e9}",
            "\u{e9}7",
            "onesixtythreeseventeentwentyfourhundredthousandeleventwelveten",
            " ",
            " ",
            "  ",
            "-",
            ",",
            "\n",
        ];
        let mut nums = 0;
        for t in crate::extract::random_texts(&pieces, 6_000, 120, 0xc4_0a75) {
            let found = find_nums(&t);
            nums += found.len();
            assert_eq!(found, find_nums_bytewise(&t), "{t:?}");
        }
        assert!(nums > 8_000, "{nums}");
    }

    #[test]
    fn chunk_masks_are_the_bytewise_classes() {
        // every byte value at every position of a chunk
        for shift in 0..64 {
            let mut c = [0u8; 64];
            for (k, x) in c.iter_mut().enumerate() {
                *x = ((k * 4 + shift * 67) % 256) as u8;
            }
            for v in 0..=255u8 {
                c[shift] = v;
                assert_eq!(chunk_masks(&c), chunk_masks_bytewise(&c), "{v} at {shift}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn finds_as_bytewise_on_any_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "one", "Two", "twenty", "hundred", "and", "AND", "thousand", " ", "-",
                    ",", ".", "_", "1", "23", "1,200", "é", "x", "tone", "seventeen", "Zero",
                    "n=", "(", "\n",
                ]),
                0..16,
            )
        ) {
            let t: String = parts.concat();
            proptest::prop_assert_eq!(find_nums(&t), find_nums_bytewise(&t));
        }
    }

    #[test]
    fn no_panic_on_odd_input() {
        for s in [
            "",
            ",",
            "1,",
            "ünë twö",
            "one-",
            "-one",
            "and one",
            "9999999999999999999999",
        ] {
            let _ = find_numbers(s);
            let _ = parse_number(s);
        }
    }
}
