//! Numbers written as digits or English words ("Twenty-two", "forty").

/// Parse a number written in digits or English words.
pub fn parse_number(_s: &str) -> Option<i64> {
    None
}
