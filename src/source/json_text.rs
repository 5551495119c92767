//! Decoding of JSON string literals (and the API's markdown escapes) into
//! [`Text`] with an offset map back to the literal's bytes.

use crate::span::Text;

/// Decode the JSON string literal `raw` (quotes included) found at byte
/// `start` of the file.
pub fn decode(raw: &str, start: usize) -> Text {
    let inner = raw
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(raw);
    Text::verbatim(inner, start + 1)
}
