//! Stepping over the JSON values a reader does not read (a study's results
//! and derived sections: a fifth of its bytes), without building them.
//!
//! serde_json steps over an unknown field by parsing it byte by byte
//! (`ignore_value`): that was a tenth of a run's instructions. This
//! validator accepts exactly what that accepts (RFC 8259 values, nested
//! to any depth: serde_json's recursion limit does not apply to a value it
//! steps over), so a file it steps over would also have parsed; it only
//! says where a value ends or that it is not valid, and a caller that
//! meets an invalid value hands the file to serde_json, which words the
//! error.
//!
//! The v2 reader's walker of a study's protocol section is built on the
//! same pieces ([`member`], [`open`], [`after`], [`skip_value`]): it
//! follows the objects and arrays it maps itself, and takes each leaf
//! value and each unknown member as the range [`skip_value`] finds, which
//! is the slice serde_json's `RawValue` would borrow.

/// Eight copies of a byte.
const fn splat(c: u8) -> u64 {
    u64::from_le_bytes([c; 8])
}

/// The eight bytes at `at` as one little-endian word, if there are eight.
fn word(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The high bit of each byte of `w` that is below `n` (`n` ≤ 0x80); exact
/// for the lowest such byte, which is all the callers use.
fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(splat(n)) & !w & splat(0x80)
}

/// The first byte at or after `at` that is not JSON white space. A
/// pretty-printed study is a third indentation: after a white-space byte
/// (a line's newline, or the space after a colon) the spaces that follow
/// are stepped over sixteen at a time, to their end in one step when it
/// comes within the sixteen (a line's indentation). Stepping over the
/// indentation from its newline in one step took the instructions of
/// stepping over 1,000 whole studies from 194 to 176 million (this
/// module's functions alone under callgrind). On x86-64 the sixteen are
/// compared with one SSE2 comparison, not as a 128-bit integer (with
/// [`string_end`]'s SSE2 scan, 995 → 960 million instructions per 1,000
/// benchmark records).
pub fn skip_ws(b: &[u8], mut at: usize) -> usize {
    #[cfg(not(target_arch = "x86_64"))]
    const SPACES: u128 = u128::from_le_bytes([b' '; 16]);
    loop {
        match b.get(at) {
            Some(b' ' | b'\n' | b'\r' | b'\t') => {
                at += 1;
                // the low bytes that are spaces, none or more; fewer than
                // sixteen bytes left are taken one by one by the loop
                #[cfg(target_arch = "x86_64")]
                while at + 16 <= b.len() {
                    use std::arch::x86_64::*;
                    // SAFETY: SSE2 is part of x86-64; the 16 bytes at
                    // `at` are in `b`
                    let spaces = unsafe {
                        let v = _mm_loadu_si128(b.as_ptr().add(at).cast());
                        _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8))) as u32
                    };
                    // the mask has 16 bits: its first clear bit is at most 16
                    let n = (!spaces).trailing_zeros() as usize;
                    at += n;
                    if n < 16 {
                        break;
                    }
                }
                #[cfg(not(target_arch = "x86_64"))]
                while let Some(s) = b.get(at..at + 16) {
                    let w = u128::from_le_bytes(s.try_into().expect("16 bytes")) ^ SPACES;
                    let n = (w.trailing_zeros() / 8) as usize;
                    at += n;
                    if n < 16 {
                        break;
                    }
                }
            }
            _ => return at,
        }
    }
}

/// Where the value that starts at `b[at]` ends (one past its last byte),
/// or `None` if what is there is not a valid JSON value. Containers are
/// followed with a stack of their kinds ([`Open`]), not by recursion, so
/// no nesting can exhaust the call stack. A member's key is read inline
/// ([`key_value`]), not by a call to [`member`]: a study's skipped
/// sections hold some 400 keys, and the call's own instructions were
/// about a third of what reading a key cost.
pub fn skip_value(b: &[u8], mut at: usize) -> Option<usize> {
    let mut open = Open::default();
    'value: loop {
        // a value at `at`
        match *b.get(at)? {
            b'"' => at = string_end(b, at)?.0,
            b'{' => {
                at = skip_ws(b, at + 1);
                if b.get(at) == Some(&b'}') {
                    at += 1;
                } else {
                    open.push(true);
                    at = key_value(b, at)?;
                    continue 'value;
                }
            }
            b'[' => {
                at = skip_ws(b, at + 1);
                if b.get(at) == Some(&b']') {
                    at += 1;
                } else {
                    open.push(false);
                    continue 'value;
                }
            }
            b't' => at = literal(b, at, b"true")?,
            b'f' => at = literal(b, at, b"false")?,
            b'n' => at = literal(b, at, b"null")?,
            b'-' | b'0'..=b'9' => at = skip_number(b, at)?,
            _ => return None,
        }
        // after a value: close what it ends, or go on to the next one
        loop {
            if open.depth == 0 {
                return Some(at);
            }
            let object = open.top();
            at = skip_ws(b, at);
            match *b.get(at)? {
                b',' => {
                    at = skip_ws(b, at + 1);
                    if object {
                        at = key_value(b, at)?;
                    }
                    continue 'value;
                }
                b'}' if object => {}
                b']' if !object => {}
                _ => return None,
            }
            open.pop();
            at += 1;
        }
    }
}

/// The kinds of the containers [`skip_value`] is in (an object or an
/// array), innermost first: the innermost 64 as the bits of a word (the
/// top is the low bit), deeper ones in a vector that is allocated only
/// past that depth (a study's results nest about ten deep). A vector for
/// each container stepped over was 0.5% of a run's time samples, and an
/// inline `SmallVec` of 32 still tested where it was kept at every step.
#[derive(Default)]
struct Open {
    bits: u64,
    depth: usize,
    deeper: Vec<bool>,
}

impl Open {
    #[inline(always)]
    fn push(&mut self, object: bool) {
        if self.depth >= 64 {
            self.deeper.push(self.bits >> 63 != 0);
        }
        self.bits = self.bits << 1 | object as u64;
        self.depth += 1;
    }

    /// Whether the innermost container is an object (`depth` > 0).
    #[inline(always)]
    fn top(&self) -> bool {
        self.bits & 1 != 0
    }

    #[inline(always)]
    fn pop(&mut self) {
        self.bits >>= 1;
        self.depth -= 1;
        if self.depth >= 64 {
            let below = self.deeper.pop().expect("pushed past 64");
            self.bits |= (below as u64) << 63;
        }
    }
}

/// A member of an object from its key (`"key" :`): the key's range
/// without its quotes, and where its value starts.
#[inline(always)]
pub fn member(b: &[u8], at: usize) -> Option<(std::ops::Range<usize>, usize)> {
    if b.get(at) != Some(&b'"') {
        return None;
    }
    let key_end = skip_string(b, at)?;
    Some((at + 1..key_end - 1, after_key(b, key_end)?))
}

/// From a member's key to the start of its value (what [`member`] does
/// without the key's range).
#[inline(always)]
fn key_value(b: &[u8], at: usize) -> Option<usize> {
    if b.get(at) != Some(&b'"') {
        return None;
    }
    after_key(b, skip_string(b, at)?)
}

/// From the end of a key to the start of its value: the colon and the
/// white space around it.
#[inline(always)]
fn after_key(b: &[u8], key_end: usize) -> Option<usize> {
    // `"key": value`, as pretty-printed: the colon right after the key,
    // the value after one space (a byte above the space is no white
    // space); stepping over the one space took 1,000 whole studies from
    // 169 to 155 million instructions
    let colon = if b.get(key_end) == Some(&b':') {
        key_end
    } else {
        let colon = skip_ws(b, key_end);
        if b.get(colon) != Some(&b':') {
            return None;
        }
        colon
    };
    Some(match b.get(colon + 1..colon + 3) {
        Some(&[b' ', c]) if c > b' ' => colon + 2,
        _ => skip_ws(b, colon + 1),
    })
}

/// Where a reader stands after an opening bracket or after a member or
/// element of an object or array: at the next member or element
/// ([`Step::Next`], white space skipped), or past the closing bracket
/// ([`Step::Closed`]).
pub enum Step {
    Next(usize),
    Closed(usize),
}

/// Just inside an object or array (`at` is one past its opening bracket,
/// `close` its closing one): empty, or where the first member or element
/// starts.
pub fn open(b: &[u8], at: usize, close: u8) -> Step {
    let at = skip_ws(b, at);
    if b.get(at) == Some(&close) {
        Step::Closed(at + 1)
    } else {
        Step::Next(at)
    }
}

/// After a member or element that ends at `at`: a comma and the next one,
/// or the closing bracket `close`; anything else is not JSON. A comma
/// before the bracket is left for the next member or element to refuse,
/// as a key or value cannot start with `}` or `]`.
pub fn after(b: &[u8], at: usize, close: u8) -> Option<Step> {
    let at = skip_ws(b, at);
    match *b.get(at)? {
        b',' => Some(Step::Next(skip_ws(b, at + 1))),
        c if c == close => Some(Step::Closed(at + 1)),
        _ => None,
    }
}

fn literal(b: &[u8], at: usize, word: &[u8]) -> Option<usize> {
    b[at..].starts_with(word).then_some(at + word.len())
}

/// A string from its opening quote: no raw control characters, only the
/// escapes JSON has. Eight bytes are looked at a time: most strings of a
/// results section are short, and a search call per string cost more than
/// it saved.
#[inline(always)]
fn skip_string(b: &[u8], open: usize) -> Option<usize> {
    string_end(b, open).map(|(end, _)| end)
}

/// Where the string that opens at `b[open]` ends, and whether it holds a
/// backslash (an escape): the v2 walker copies a string without one as
/// it is, with no second look for a backslash.
#[inline(always)]
pub fn string_end(b: &[u8], open: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    let mut at = open + 1;
    loop {
        // to the next quote, backslash or control character: sixteen bytes
        // a step with SSE2, the last fifteen by words (the skipped sections'
        // strings are 9 bytes long at the median and 22 at the 90th
        // percentile, the protocol section's prose far longer): reading a
        // study 161.6 M instructions per 1,000 records instead of 196.7 M
        // with the white space's SSE2 step ([`skip_ws`]); a 128-bit
        // integer's test for the same was no gain
        'scan: {
            #[cfg(target_arch = "x86_64")]
            while at + 16 <= b.len() {
                use std::arch::x86_64::*;
                // SAFETY: SSE2 is part of x86-64; the 16 bytes at `at` are
                // in `b`
                let stop = unsafe {
                    let v = _mm_loadu_si128(b.as_ptr().add(at).cast());
                    // a quote or a control character is a byte that, its bit
                    // 1 flipped, is at most 0x20 (as in the word's test below)
                    let x = _mm_xor_si128(v, _mm_set1_epi8(2));
                    let low = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x20)), x);
                    let slash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
                    _mm_movemask_epi8(_mm_or_si128(low, slash))
                };
                if stop != 0 {
                    at += stop.trailing_zeros() as usize;
                    break 'scan;
                }
                at += 16;
            }
            while let Some(w) = word(b, at) {
                // a quote (0x22) or a control character (below 0x20) is a
                // byte that, its bit 1 flipped, is below 0x21 (flipping bit 1
                // keeps every byte below 0x20 below it and turns 0x22 into
                // 0x20, and nothing else into 0x00..=0x20): one test for both,
                // 9 operations a word instead of 13 (1,000 whole studies
                // stepped over: 176 → 169 million instructions)
                let stop = below(w ^ splat(2), 0x21) | below(w ^ splat(b'\\'), 1);
                if stop != 0 {
                    at += stop.trailing_zeros() as usize / 8;
                    break;
                }
                at += 8;
            }
        }
        match *b.get(at)? {
            b'"' => return Some((at + 1, escaped)),
            // the escapes the decoder knows are the ones JSON has
            b'\\' => {
                escaped = true;
                at += super::json_text::escape_at(b, at)?.1;
            }
            c if c < 0x20 => return None,
            _ => at += 1,
        }
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn skip_number(b: &[u8], mut at: usize) -> Option<usize> {
    if b.get(at) == Some(&b'-') {
        at += 1;
    }
    match b.get(at) {
        Some(b'0') => at += 1,
        Some(b'1'..=b'9') => at += digits(b, at),
        _ => return None,
    }
    if b.get(at) == Some(&b'.') {
        let n = digits(b, at + 1);
        if n == 0 {
            return None;
        }
        at += 1 + n;
    }
    if matches!(b.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(b.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let n = digits(b, at);
        if n == 0 {
            return None;
        }
        at += n;
    }
    Some(at)
}

/// How many ASCII digits start `b[at..]` (none when `at` is past the end).
/// Eight bytes are tested a step: a location's coordinates and the results
/// sections' counts are a number every few lines, and counting digits with
/// an iterator's `take_while` was about 110 of the 610 instructions of
/// stepping over a `geoPoint`.
#[inline(always)]
fn digits(b: &[u8], at: usize) -> usize {
    let mut n = 0;
    while let Some(w) = word(b, at + n) {
        let stop = non_digits(w);
        if stop != 0 {
            return n + stop.trailing_zeros() as usize / 8;
        }
        n += 8;
    }
    let rest = b.get(at + n..).unwrap_or_default();
    n + rest.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// The high bit of each byte of `w` that is not an ASCII digit; exact for
/// the lowest such byte, which is all [`digits`] uses. A byte `x` is a
/// digit when `y = x ^ 0x30` is below 10 (the bytes 0x30..=0x3F map to
/// 0..=15, every other byte to 16 or more); `y + 0x76` sets the high bit
/// of a byte from 10 to 0x7F, `y`'s own high bit flags the rest. A carry
/// out of a byte can only come from a flagged byte and only disturbs the
/// bytes above it.
#[inline(always)]
fn non_digits(w: u64) -> u64 {
    let y = w ^ splat(b'0');
    (y.wrapping_add(splat(0x76)) | y) & splat(0x80)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether serde_json parses `s` as one value (with nothing after it).
    fn serde_accepts(s: &str) -> bool {
        serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok()
    }

    fn skip_accepts(s: &str) -> bool {
        let b = s.as_bytes();
        let start = skip_ws(b, 0);
        skip_value(b, start).is_some_and(|end| skip_ws(b, end) == b.len())
    }

    #[test]
    fn agrees_with_serde_json() {
        let cases = [
            r#"{"a": [1, 2.5, -0, 1e5, 1E+2, 0.1e-3], "b": {"c": null, "d": true, "e": false}}"#,
            r#""esc \" \\ \/ \b \f \n \r \t \u00e9 \uD83D\uDE00""#,
            "[]",
            "{}",
            " [ ] ",
            r#"{"a":1,}"#,
            "{\"a\": 1, \"b\":  2, \"c\":3, \"d\" : \"x\"}",
            "{\"a\": \n 1}",
            "{\"a\": \t\"b\"}",
            "{\"a\": \r}",
            "{\"a\": ",
            "{\"a\": }",
            "[1,]",
            "[01]",
            "[1.]",
            "[.5]",
            "[1e]",
            "[-]",
            "[+1]",
            r#"["\x"]"#,
            r#"["\u12G4"]"#,
            "[\"tab\there\"]",
            r#"{"a" 1}"#,
            r#"{1: 2}"#,
            "[tru]",
            "[nul]",
            "[1 2]",
            r#"{"a":1 "b":2}"#,
            r#"["unterminated]"#,
            "[1, [2, [3]]",
            "NaN",
            "[Infinity]",
            r#"{"a":"é日本"}"#,
            "[\u{feff}1]",
            "[1]x",
            "",
        ];
        for c in cases {
            assert_eq!(skip_accepts(c), serde_accepts(c), "{c:?}");
        }
        // what stops a string or ends white space at every place in and
        // around a word of eight bytes, and a run of spaces of sixteen
        for n in 0..40 {
            let pad = "é".repeat(n / 2) + &"a".repeat(n % 2);
            let spaces = " ".repeat(n);
            for stop in [
                "\"", "\\n", "\\q", "\u{0}", "\u{1}", "\u{2}", "\u{1f}", " ", "!", "#", "\n",
                "\u{7f}", "ÿ", "¢",
            ] {
                for s in [
                    format!("[\"{pad}{stop}{pad}\"]"),
                    format!("[\"{pad}{stop}\"]"),
                    format!("[{spaces}1{spaces}]"),
                    format!("{{{spaces}\"k\"{spaces}:{spaces}\"{pad}\"{spaces}}}"),
                    format!("[{spaces}\t{spaces}x]"),
                ] {
                    assert_eq!(skip_accepts(&s), serde_accepts(&s), "{s:?}");
                }
            }
        }
        // no nesting limit, and no recursion
        for depth in [127, 128, 129, 100_000] {
            let s = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            assert_eq!(skip_accepts(&s), serde_accepts(&s), "depth {depth}");
        }
    }

    /// Objects and arrays mixed, around the depth where the stack of
    /// open containers moves from its word to its vector, closed right or
    /// with one closer of the wrong kind.
    #[test]
    fn mixed_nesting_past_the_word_of_kinds() {
        for depth in [2, 3, 63, 64, 65, 66, 127, 128, 129, 200] {
            let kinds: Vec<bool> = (0..depth).map(|i| i % 3 == 0 || i % 7 == 5).collect();
            let open: String = kinds
                .iter()
                .map(|&o| if o { "{\"k\": " } else { "[1, " })
                .collect();
            let closers: Vec<char> = kinds
                .iter()
                .rev()
                .map(|&o| if o { '}' } else { ']' })
                .collect();
            let good = format!("{open}true{}", closers.iter().collect::<String>());
            assert!(skip_accepts(&good), "depth {depth}");
            assert_eq!(skip_accepts(&good), serde_accepts(&good), "depth {depth}");
            for wrong in [0, 1, depth / 2, depth - 1] {
                let mut c = closers.clone();
                c[wrong] = if c[wrong] == '}' { ']' } else { '}' };
                let bad = format!("{open}true{}", c.iter().collect::<String>());
                assert!(!skip_accepts(&bad), "depth {depth}, closer {wrong}");
                assert_eq!(skip_accepts(&bad), serde_accepts(&bad), "depth {depth}");
            }
        }
    }

    #[test]
    fn ends_where_the_value_ends() {
        let s = r#"{"x": [1, {"y": "}]"}], "z": 2}"#;
        let b = s.as_bytes();
        let v = s.find('[').unwrap();
        assert_eq!(&s[v..skip_value(b, v).unwrap()], r#"[1, {"y": "}]"}]"#);
    }

    /// Every real record of the corpus fixtures, and each cut short, is
    /// accepted or refused as serde_json does.
    #[test]
    fn agrees_with_serde_json_on_records_and_their_cuts() {
        let mut seen = 0;
        for (p, s) in crate::source::fixture_json() {
            let s = s.as_str();
            seen += 1;
            assert_eq!(skip_accepts(s), serde_accepts(s), "{}", p.display());
            for cut in (0..s.len()).step_by(s.len() / 7 + 1) {
                if s.is_char_boundary(cut) {
                    let t = &s[..cut];
                    assert_eq!(
                        skip_accepts(t),
                        serde_accepts(t),
                        "{} cut at {cut}",
                        p.display()
                    );
                }
            }
        }
        assert!(seen > 10, "only {seen} JSON fixtures");
    }

    /// [`digits`]' eight-byte step counts what a byte-by-byte count does,
    /// at every offset of strings of digits mixed with the bytes next to
    /// them in value (`/`, `:`), letters, signs, and bytes above 0x7F
    /// (whose carries the word's test must not let through), runs of
    /// every length around eight.
    #[test]
    fn digits_counted_by_words_as_by_bytes() {
        let by_bytes = |b: &[u8], at: usize| {
            b[at.min(b.len())..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count()
        };
        let alphabet: &[u8] = b"0123456789/:.eE+- \x00\x7f\x80\x89\x8a\xc6\xff9a";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let digit_run = (next() % 20) as usize;
            let mut b: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let start = (next() % (len as u64 + 1)) as usize;
            for c in b.iter_mut().skip(start).take(digit_run) {
                *c = b'0' + (next() % 10) as u8;
            }
            for at in 0..=len + 1 {
                assert_eq!(digits(&b, at), by_bytes(&b, at), "{b:?} at {at}");
            }
        }
        for n in [
            "0",
            "12345678",
            "123456789",
            "-0.12345678e+123456789",
            "1.5E-7",
            "1.",
            "01",
        ] {
            let s = format!("[{n}]");
            assert_eq!(skip_accepts(&s), serde_accepts(&s), "{n}");
        }
    }
}
