//! The shipped catalogue: every `checks/*.toml`, embedded at build time.

use super::load::{load_check, LoadError};
use super::{Check, CheckOrigin};

include!(concat!(env!("OUT_DIR"), "/shipped_checks.rs"));

/// Load the shipped checks (file name, source) in name order. In parallel:
/// compiling their patterns is a third of the start-up time.
pub fn shipped() -> Result<Vec<Check>, LoadError> {
    use rayon::prelude::*;
    SHIPPED
        .par_iter()
        .map(|(file, src)| {
            load_check(
                &format!("checks/{file}"),
                src,
                CheckOrigin::Shipped(file.to_string()),
            )
        })
        .collect()
}
