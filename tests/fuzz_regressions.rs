//! Inputs the fuzzers (fuzz/, cargo-fuzz on nightly) found to crash, hang
//! or overflow, replayed through the same code the fuzz target ran, on
//! stable, in CI. Each file in fixtures/fuzz-regressions/ is named
//! `<target>--<what>` (the target names are those of fuzz/fuzz_targets/) and
//! must now run to completion within a few seconds.
//!
//! To add one: copy the artifact from fuzz/artifacts/<target>/ to
//! fixtures/fuzz-regressions/<target>--<short-description>.

#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn saved_fuzz_inputs_no_longer_crash_or_hang() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz-regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    let mut ran = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = name.split("--").next().unwrap();
        let (_, run) = harness::TARGETS
            .iter()
            .find(|(t, _)| *t == target)
            .unwrap_or_else(|| panic!("{name}: no fuzz target `{target}`"));
        let data = std::fs::read(path).unwrap();
        let start = Instant::now();
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{name}: the {target} target panicked");
        // Debug builds are slow; a hang the fuzzer found ran for far longer.
        let took = start.elapsed();
        assert!(took < Duration::from_secs(20), "{name}: took {took:?}");
        ran += 1;
    }
    eprintln!("replayed {ran} saved fuzz inputs");
}

/// Every target also survives a few inputs made by hand at the edges.
#[test]
fn every_target_survives_edge_inputs() {
    let edges: &[&[u8]] = &[
        b"",
        b"\xEF\xBB\xBF",
        b"{",
        b"[",
        b"<",
        b"<!--",
        b"<![CDATA[",
        b"&#xFFFFFFFFFF;",
        b"&#1114112;&#0;&#xD800;",
        b"\"\\ud800\"",
        b"{\"protocolSection\":{\"identificationModule\":{\"nctId\":\"\\ud800\"}}}",
        b"name = \"x\"\n[params]\nregex = \"(\"",
        b"\xFF\xFE\x00",
        b"\n\n\n\r\r\r",
    ];
    for (name, run) in harness::TARGETS {
        for e in edges {
            let r = std::panic::catch_unwind(|| run(e));
            assert!(r.is_ok(), "{name} on {:?}", String::from_utf8_lossy(e));
        }
    }
}
