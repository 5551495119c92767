#![no_main]
//! The TOML check loader on arbitrary text, as shipped and as a user check.
//! The body is `trialint_fuzz::check_load` (fuzz/src/lib.rs), which
//! tests/fuzz_regressions.rs replays on saved inputs.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| trialint_fuzz::check_load(data));
