//! Sentence boundaries in prose, good enough for reading counts: a sentence
//! ends at `.`, `!` or `?` followed by white space and a capital letter, a
//! digit, a bullet or the end, and at a line break. Decimals ("1.5"),
//! abbreviations ("e.g.", "approx.", "vs.") and "n=23" do not end one.

/// Byte ranges of the sentences of `text` (untrimmed, non-empty).
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let mut cut = None;
        if c == b'\n' || c == b'\r' || ((c == b'.' || c == b'!' || c == b'?') && ends_here(text, i))
        {
            cut = Some(i + 1);
        }
        if let Some(e) = cut {
            if text[start..e].trim().len() > 1 {
                out.push((start, e));
            }
            start = e;
        }
        i += 1;
    }
    if start < b.len() && !text[start..].trim().is_empty() {
        out.push((start, b.len()));
    }
    out
}

fn ends_here(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    // must be followed by white space (or the end)
    let Some(&next) = b.get(i + 1) else {
        return true;
    };
    if !next.is_ascii_whitespace() {
        return false;
    }
    if b[i] == b'.' {
        // the word before the dot
        let ws = text[..i]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphanumeric())
            .map(|(p, c)| p + c.len_utf8())
            .unwrap_or(0);
        let word = text[ws..i].to_ascii_lowercase();
        const ABBR: &[&str] = &[
            "e.g", "i.e", "eg", "ie", "vs", "approx", "dr", "prof", "no", "fig", "al", "etc", "ca",
            "resp", "min", "max", "mr", "mrs", "ms", "st", "inc", "co", "ltd", "mg", "ml", "kg",
            "g",
        ];
        if ABBR.contains(&word.as_str())
            || (word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic())
        {
            // "e.g." ends in "g"; single letters are initials
            if word != "etc" {
                return false;
            }
        }
        if text[..i].ends_with("e.g") || text[..i].ends_with("i.e") {
            return false;
        }
    }
    // the next non-space character starts a new sentence?
    let rest = text[i + 1..].trim_start_matches([' ', '\t']);
    match rest.chars().next() {
        None => true,
        Some(ch) => {
            ch.is_uppercase()
                || ch.is_ascii_digit()
                || matches!(ch, '\n' | '\r' | '(' | '[' | '*' | '-' | '•' | '"' | '“')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let t = "A total of 1.5 mg, e.g. this. Next one here! And (n=23 each). Last\nline";
        let s: Vec<&str> = sentences(t).iter().map(|&(a, b)| t[a..b].trim()).collect();
        assert_eq!(
            s,
            vec![
                "A total of 1.5 mg, e.g. this.",
                "Next one here!",
                "And (n=23 each).",
                "Last",
                "line"
            ]
        );
    }
}
