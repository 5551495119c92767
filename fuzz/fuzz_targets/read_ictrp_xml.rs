#![no_main]
//! `trialint::source::ictrp_xml::read` on arbitrary input: no panic, no hang, every span inside the input.
//! The body is `trialint_fuzz::read_ictrp_xml` (fuzz/src/lib.rs), which
//! tests/fuzz_regressions.rs replays on saved inputs.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| trialint_fuzz::read_ictrp_xml(data));
