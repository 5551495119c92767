#![no_main]
//! Raw bytes through `decode` (encoding checks), format detection and the
//! detected reader, as a file on disk goes: errors are fine, panics are not.
//! The body is `trialint_fuzz::source_read` (fuzz/src/lib.rs), which
//! tests/fuzz_regressions.rs replays on saved inputs.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| trialint_fuzz::source_read(data));
