//! The shipped catalogue: every `checks/*.toml`, embedded at build time.

use super::load::{load_check, LoadError};
use super::{Check, CheckOrigin};

include!(concat!(env!("OUT_DIR"), "/shipped_checks.rs"));

/// Load the shipped checks (file name, source) in name order.
pub fn shipped() -> Result<Vec<Check>, LoadError> {
    SHIPPED
        .iter()
        .map(|(file, src)| {
            load_check(
                &format!("checks/{file}"),
                src,
                CheckOrigin::Shipped(file.to_string()),
            )
        })
        .collect()
}
