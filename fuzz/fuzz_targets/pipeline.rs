#![no_main]
//! The whole run on one input: read, extract facts, run the shipped checks,
//! render every report format. Machine-readable outputs must parse.
//! The body is `trialint_fuzz::pipeline` (fuzz/src/lib.rs), which
//! tests/fuzz_regressions.rs replays on saved inputs.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| trialint_fuzz::pipeline(data));
