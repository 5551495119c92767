#!/usr/bin/env bash
# Fuzz each target until it reaches a coverage plateau: run it in rounds of
# ROUND seconds (default 120) on the accumulated corpus, and stop after the
# first round whose new coverage (libFuzzer's final `cov:` minus the `INITED
# cov:` it started the round with) is at most FLAT per mille of the
# coverage (default 5, i.e. 0.5%; 0 asks for no new edge at all), or after
# MAX_ROUNDS (default 8). Inputs are capped at MAX_LEN bytes (default
# 32768): the seeds are whole registry records of up to 256 KiB, and
# mutating those runs a few execs per second without reaching more code.
# A crash stops the target at once and is listed (fuzz/artifacts/<target>/).
#
# Prints one table row per target and appends it to logs/plateau.tsv:
#   target  rounds  seconds  execs  cov_start  cov_end  last_round_new  verdict
# verdict: plateau (last round found no new edge), flat (at most FLAT per
# mille), cap (MAX_ROUNDS reached while still growing), CRASH.
# Needs nightly and cargo-fuzz (see README.md). Run one target at a time:
# fuzzing is CPU-heavy and the rounds use one core.
set -uo pipefail
cd "$(dirname "$0")"
round=${ROUND:-120}
max_rounds=${MAX_ROUNDS:-8}
flat=${FLAT:-5}
max_len=${MAX_LEN:-32768}
targets=${*:-read_text read_html read_ctgov_json read_ctgov_json_v1 read_ctgov_xml read_ictrp_xml check_load config_load span_map source_read pipeline}
[ -d corpus ] || ./seed.sh >/dev/null
mkdir -p logs
cargo +nightly fuzz build -a -s none >logs/build.log 2>&1 || { echo "build failed: fuzz/logs/build.log"; exit 2; }
printf 'target\trounds\tseconds\texecs\tcov_start\tcov_end\tlast_round_new\tverdict\n'
for t in $targets; do
  mkdir -p "corpus/$t"
  rounds=0 secs=0 execs=0 first="" last_new=0 verdict="cap"
  while [ "$rounds" -lt "$max_rounds" ]; do
    rounds=$((rounds + 1))
    log="logs/$t.round$rounds.log"
    start=$(date +%s)
    cargo +nightly fuzz run -a -s none "$t" "corpus/$t" -- \
      -max_total_time="$round" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$log" 2>&1
    rc=$?
    secs=$((secs + $(date +%s) - start))
    inited=$(grep -m1 -oE 'INITED cov: [0-9]+' "$log" | grep -oE '[0-9]+$')
    final=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$')
    n=$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$')
    execs=$((execs + ${n:-0}))
    [ -n "$first" ] || first=${inited:-0}
    last_new=$(( ${final:-0} - ${inited:-0} ))
    if [ "$rc" -ne 0 ]; then verdict="CRASH(rc=$rc; see $log)"; break; fi
    if [ "$last_new" -le 0 ]; then verdict="plateau"; break; fi
    if [ $((last_new * 1000)) -le $(( ${final:-0} * flat )) ]; then verdict="flat"; break; fi
  done
  row=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$t" "$rounds" "$secs" "$execs" "$first" "${final:-0}" "$last_new" "$verdict")
  echo "$row"
  echo "$(date -u +%FT%TZ)	$row" >>logs/plateau.tsv
  ls "artifacts/$t" 2>/dev/null | sed 's/^/   artifact: /'
done
