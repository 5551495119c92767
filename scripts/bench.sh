#!/usr/bin/env bash
# Throughput benchmark: lint a large generated corpus with the release build
# and compare with ripgrep scanning the same bytes for the extractors'
# trigger words.
#
#   scripts/bench.sh [RECORDS]        (default 100000)
#
# Environment:
#   CORPUS   the corpus to replicate      (default ../shared/corpus, or /work/shared/corpus)
#   OUT      where generated inputs go    (default target/bench-data; never committed)
#   JOBS     --jobs for trialint           (default 0: one thread per core)
#   REPEAT   timed runs per measurement   (default 3; the median is reported)
#   XML_RECORDS  records in the XML set   (default RECORDS / 4)
#
# Prints, per input set: records/s, MB/s, peak RSS, and the ratio of
# trialint's time to ripgrep's; then the start-up time on one small record.
set -euo pipefail

cd "$(dirname "$0")/.."
RECORDS=${1:-100000}
XML_RECORDS=${XML_RECORDS:-$((RECORDS / 4))}
JOBS=${JOBS:-0}
REPEAT=${REPEAT:-3}
OUT=${OUT:-target/bench-data}
if [ -z "${CORPUS:-}" ]; then
    for c in ../shared/corpus ../../shared/corpus /work/shared/corpus; do
        if [ -d "$c/ctgov-json" ]; then CORPUS=$c; break; fi
    done
fi
[ -d "${CORPUS:-}/ctgov-json" ] || { echo "corpus not found (set CORPUS)" >&2; exit 2; }

need() { command -v "$1" >/dev/null 2>&1; }
if ! need rg; then
    echo "installing ripgrep..." >&2
    if need apt-get; then
        (apt-get install -y ripgrep >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y ripgrep >/dev/null 2>&1; }) || true
    fi
    need rg || cargo install ripgrep >&2
fi
[ -x /usr/bin/time ] || { apt-get install -y time >/dev/null 2>&1 || true; }
need python3 || { echo "python3 is needed to generate the inputs" >&2; exit 2; }

echo "building the release binary..." >&2
cargo build --release --quiet
BIN=target/release/trialint

# ---------------------------------------------------------------- inputs
mkdir -p "$OUT"
STAMP="$OUT/.made-$RECORDS-$XML_RECORDS"
if [ ! -f "$STAMP" ]; then
    echo "generating $RECORDS JSON records and $XML_RECORDS XML records under $OUT..." >&2
    rm -rf "$OUT/files" "$OUT/xml" "$OUT/ctg-studies.json" "$OUT"/.made-*
    python3 scripts/bench_corpus.py "$CORPUS" "$OUT" "$RECORDS" "$XML_RECORDS"
    touch "$STAMP"
fi

# The trigger words the extractors look for (numbers of participants,
# ages, dates, contacts, cell sources, dose notation, design terms).
PATTERNS="$OUT/patterns.txt"
cat > "$PATTERNS" <<'EOF'
participants
patients
subjects
enrol
years
aged
age
male
female
January|February|March|April|May|June|July|August|September|October|November|December
[0-9]{4}-[0-9]{2}
@
phone
cord
Wharton
mesenchymal
placebo
sham
mask
blind
random
arm
group
[0-9]+ ?(mg|ml|kg)
×|x10|\^
EOF

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# time_cmd CMD...: prints "seconds peak_kb" (median of REPEAT runs for
# the time, the largest peak RSS).
time_cmd() {
    local ts=() peak=0
    for _ in $(seq "$REPEAT"); do
        local t0 t1 rss
        /usr/bin/time -f "%e %M" -o "$OUT/.time" "$@" >/dev/null 2>"$OUT/.err" || true
        read -r t rss < <(tail -n1 "$OUT/.time")
        ts+=("$t")
        [ "$rss" -gt "$peak" ] && peak=$rss
    done
    printf '%s %s\n' "$(printf '%s\n' "${ts[@]}" | median)" "$peak"
}

report() { # name records bytes paths...
    local name=$1 records=$2 bytes=$3
    shift 3
    # Warm the page cache.
    cat "$@" >/dev/null 2>&1 || find "$@" -type f -exec cat {} + >/dev/null
    read -r tl rss < <(time_cmd "$BIN" check --as-of 2026-11-21 --format json --fail-on never --jobs "$JOBS" "$@")
    read -r tr _ < <(time_cmd rg -c -i -f "$PATTERNS" "$@")
    python3 - "$name" "$records" "$bytes" "$tl" "$rss" "$tr" <<'PY'
import sys
name, records, size, tl, rss, tr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
tl = max(tl, 0.01); tr = max(tr, 0.01)
print(f"{name:<28} {records:>8} rec {size/1e6:>8.0f} MB  {tl:>7.2f} s  {records/tl:>8.0f} rec/s  {size/1e6/tl:>7.1f} MB/s  peak {rss/1024:>6.0f} MB  rg {tr:>6.2f} s  ratio {tl/tr:>5.2f}x")
PY
}

bytes_of() { du -sb "$@" | awk '{s+=$1} END {print s}'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "trialint $(git rev-parse --short HEAD 2>/dev/null || echo '?'), jobs=$JOBS, median of $REPEAT runs"
report "JSON, one file per record" "$RECORDS" "$(bytes_of "$OUT/files")" "$OUT/files"
report "JSON, one array (stream)" "$RECORDS" "$(bytes_of "$OUT/ctg-studies.json")" "$OUT/ctg-studies.json"
report "legacy XML, file per record" "$XML_RECORDS" "$(bytes_of "$OUT/xml")" "$OUT/xml"

# Start-up: one small record.
SMALL=$(ls -S "$CORPUS"/ctgov-json/*.json | tail -n1)
ts=()
for _ in $(seq 20); do
    s=$(date +%s%N)
    "$BIN" check --as-of 2026-11-21 --fail-on never "$SMALL" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    ts+=($(( (e - s) / 1000 )))
done
echo "start-up (one small record, $(stat -c %s "$SMALL") bytes): median $(printf '%s\n' "${ts[@]}" | median | awk '{printf "%.1f", $1/1000}') ms of 20 runs"
