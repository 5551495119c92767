//! Micro-benchmarks of the pipeline's stages: readers, the stream splitter,
//! extractors and checks. Run with `cargo bench` (not run by CI); the
//! end-to-end throughput benchmark is `scripts/bench.sh`.
//!
//! Inputs are fixtures of this repository, so the benchmarks run anywhere.

use std::hint::black_box;
use trialint::record::Record;
use trialint::source::{self, SourceFile};

fn main() {
    divan::main();
}

fn fixture(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const JSON: &str = "fixtures/formats/ctgov-json/NCT02992574.json";
const XML: &str = "fixtures/formats/ctgov-xml/NCT00001160.xml";
const HTML: &str = "fixtures/formats/html/NCT03057704.html";

fn records(path: &str) -> Vec<Record> {
    source::read(&SourceFile::new(path, fixture(path))).expect("fixture reads")
}

mod readers {
    use super::*;

    #[divan::bench(args = [JSON, XML, HTML])]
    fn read(bencher: divan::Bencher, path: &str) {
        let src = SourceFile::new(path, fixture(path));
        bencher
            .counter(divan::counter::BytesCount::new(src.text.len()))
            .bench(|| source::read(black_box(&src)).unwrap());
    }

    /// Splitting a 200-element array into element windows.
    #[divan::bench]
    fn stream_split(bencher: divan::Bencher) {
        let one = fixture(JSON);
        let array = format!("[{}]", vec![one.trim(); 200].join(",\n"));
        bencher
            .counter(divan::counter::BytesCount::new(array.len()))
            .bench(|| {
                source::stream::Splitter::new("a", black_box(array.as_bytes()), array.len())
                    .map(|e| e.unwrap().source.text.len())
                    .sum::<usize>()
            });
    }
}

mod extractors {
    use super::*;

    #[divan::bench(args = [JSON, XML, HTML])]
    fn extract_all(bencher: divan::Bencher, path: &str) {
        let recs = records(path);
        bencher.bench(|| {
            recs.iter()
                .map(|r| trialint::extract::extract(black_box(r)).len())
                .sum::<usize>()
        });
    }
}

mod checks {
    use super::*;

    /// Every shipped check over records whose facts are already extracted
    /// once per call (as the engine does).
    #[divan::bench(args = [JSON, XML, HTML])]
    fn check_record(bencher: divan::Bencher, path: &str) {
        let recs = records(path);
        let checks = trialint::app::load_catalogue(&[]).expect("shipped checks load");
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        bencher.bench(|| {
            recs.iter()
                .map(|r| trialint::engine::check_record(black_box(r), &checks, as_of, 0).len())
                .sum::<usize>()
        });
    }
}
