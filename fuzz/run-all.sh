#!/usr/bin/env bash
# Run every fuzz target in turn for SECONDS each (default 180), one at a
# time (fuzzing is CPU-heavy). Logs in fuzz/logs/<target>.log; crashes in
# fuzz/artifacts/<target>/. Needs nightly and cargo-fuzz:
#   rustup toolchain install nightly --profile minimal && cargo install cargo-fuzz
set -uo pipefail
cd "$(dirname "$0")"
secs=${SECONDS_PER_TARGET:-180}
targets=${*:-pipeline source_read read_text read_html read_ctgov_json read_ctgov_json_v1 read_ctgov_xml read_ictrp_xml check_load config_load span_map}
[ -d corpus ] || ./seed.sh
mkdir -p logs
for t in $targets; do
  mkdir -p "corpus/$t"
  echo "== $t ($secs s)"
  cargo +nightly fuzz run -a -s none "$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"logs/$t.log" 2>&1
  echo "   exit $?: $(grep -E '^stat::number_of_executed_units|^Done' "logs/$t.log" | tr '\n' ' ')"
  ls "artifacts/$t" 2>/dev/null | sed 's/^/   artifact: /'
done
