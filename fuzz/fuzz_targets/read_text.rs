#![no_main]
//! The page-text reader (layout detection and every layout) on arbitrary
//! text: no panic, no hang, every span inside the input.
//! The body is `trialint_fuzz::read_text` (fuzz/src/lib.rs), which
//! tests/fuzz_regressions.rs replays on saved inputs.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| trialint_fuzz::read_text(data));
