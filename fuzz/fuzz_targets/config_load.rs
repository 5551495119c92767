#![no_main]
//! trialint.toml parsing (and the user extractors it declares) on
//! arbitrary text.
//! The body is `trialint_fuzz::config_load` (fuzz/src/lib.rs), which
//! tests/fuzz_regressions.rs replays on saved inputs.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| trialint_fuzz::config_load(data));
