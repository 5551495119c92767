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
#   PGO      1 (default): build with profile-guided optimisation and
#            BOLT (scripts/pgo-build.sh; BOLT=0 leaves BOLT out); 0: the
#            plain release build
#   COMPARE  a git revision: build it too and time it against this tree on
#            the JSON files, the two alternated run by run (the machine's
#            speed drifts during the day by more than most changes, so only
#            a paired run tells whether a change helped); both are plain
#            release builds (PGO=0), so that only the code differs
#
# Prints, per input set: records/s, MB/s, peak RSS, and the ratio of
# trialint's time to ripgrep's; then the start-up time on one small record;
# with COMPARE, first a paired run against another revision.
set -euo pipefail

cd "$(dirname "$0")/.."
RECORDS=${1:-100000}
XML_RECORDS=${XML_RECORDS:-$((RECORDS / 4))}
JOBS=${JOBS:-0}
REPEAT=${REPEAT:-3}
OUT=${OUT:-target/bench-data}
# CORPUS: given, or found beside the checkout
source scripts/corpus.sh

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

PGO=${PGO:-1}
[ -n "${COMPARE:-}" ] && PGO=0
BUILD="release, PGO"
if [ "$PGO" = 1 ]; then
    echo "building the release binary with PGO and BOLT (scripts/pgo-build.sh)..." >&2
    if ! BIN=$(scripts/pgo-build.sh); then
        echo "the PGO build failed; timing the plain release build" >&2
        PGO=0
    fi
    # pgo-build.sh prints its BOLT binary when BOLT could be applied
    case "$BIN" in */bolt/trialint) BUILD="release, PGO + BOLT" ;; esac
fi
if [ "$PGO" != 1 ]; then
    BUILD="release, no PGO"
    echo "building the release binary..." >&2
    cargo build --release --quiet
    BIN=target/release/trialint
fi

# ---------------------------------------------------------------- inputs
mkdir -p "$OUT"
# the generator's checksum is part of the stamp: inputs made by an older
# generator are made again
STAMP="$OUT/.made-$RECORDS-$XML_RECORDS-$(cksum < scripts/bench_corpus.py | cut -d' ' -f1)"
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

# time_once FILE CMD...: appends "wall_s cpu_s peak_kb sys_s faults" of
# one run of CMD to FILE (CPU time is user + system; faults are the minor
# page faults, each a page of memory touched for the first time).
time_once() {
    local file=$1
    shift
    /usr/bin/time -f "%e %U %S %M %R" -o "$OUT/.time" "$@" >/dev/null 2>"$OUT/.err" || true
    tail -n1 "$OUT/.time" | awk '{print $1, $2 + $3, $4, $3, $5}' >>"$file"
}

# summary FILE: "wall_s cpu_s peak_kb sys_s faults": the median wall time,
# CPU time, system time and page faults of the runs in FILE, and the
# largest peak RSS. On a shared machine the CPU time is the steadier
# figure; the system time and the faults say how much of it the kernel
# took (on this virtual machine, the hours when trialint is slower are
# not hours when ripgrep is: see the README's performance section).
summary() {
    printf '%s %s %s %s %s\n' "$(cut -d' ' -f1 "$1" | median)" "$(cut -d' ' -f2 "$1" | median)" \
        "$(cut -d' ' -f3 "$1" | sort -n | tail -n1)" "$(cut -d' ' -f4 "$1" | median)" \
        "$(cut -d' ' -f5 "$1" | median)"
}

# warm PATHS...: bring the files under PATHS into the page cache, reading
# them twice: a page read once is on the kernel's inactive list, and the
# next read of it moves it to the active list (taking the list's lock),
# work that a single warming read left to whichever program ran first
# (after a dropped cache, trialint's first run on the XML set took 1.57 s
# and 0.37 s of system time, the next three 1.46-1.47 s and 0.22-0.29 s;
# ripgrep run first took 0.51-0.55 s against its usual 0.49-0.50 s).
warm() {
    for _ in 1 2; do
        find "$@" -type f -print0 | xargs -0 cat >/dev/null
    done
}

# time_pair PATHS...: trialint and ripgrep on PATHS, run in turn REPEAT
# times, each pair after the page cache is warmed again (this machine's
# memory manager drops file pages a few tens of seconds after their last
# use), so that a drift of the machine's speed and of its cache falls on
# both alike. Prints two lines of "wall_s cpu_s peak_kb sys_s faults":
# trialint's, then ripgrep's.
time_pair() {
    rm -f "$OUT/.tl" "$OUT/.rg"
    for _ in $(seq "$REPEAT"); do
        warm "$@"
        time_once "$OUT/.tl" "$BIN" check --as-of 2026-11-21 --format json --fail-on never --jobs "$JOBS" "$@"
        time_once "$OUT/.rg" rg -c -i -f "$PATTERNS" "$@"
    done
    summary "$OUT/.tl"
    summary "$OUT/.rg"
}

report() { # name records bytes paths...
    local name=$1 records=$2 bytes=$3
    shift 3
    local times
    times=$(time_pair "$@")
    read -r tl cl rss sl fl <<<"$(sed -n 1p <<<"$times")"
    read -r tr cr _ sr fr <<<"$(sed -n 2p <<<"$times")"
    python3 - "$name" "$records" "$bytes" "$tl" "$cl" "$rss" "$tr" "$cr" "$sl" "$fl" "$sr" "$fr" <<'PY'
import sys
name, records, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tl, cl, rss, tr, cr = float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8])
sl, fl, sr, fr = float(sys.argv[9]), int(sys.argv[10]), float(sys.argv[11]), int(sys.argv[12])
tl, cl, tr, cr = (max(x, 0.01) for x in (tl, cl, tr, cr))
mb = size / 1e6
print(f"{name}: {records} records, {mb:.0f} MB")
print(f"  trialint  wall {tl:7.2f} s = {records/tl:7.0f} rec/s {mb/tl:6.1f} MB/s | cpu {cl:7.2f} s = {records/cl:7.0f} rec/s {mb/cl:6.1f} MB/s per core | peak RSS {rss/1024:.0f} MB")
print(f"  ripgrep   wall {tr:7.2f} s, cpu {cr:7.2f} s | trialint/ripgrep: wall {tl/tr:.2f}x, cpu {cl/cr:.2f}x")
print(f"  kernel    trialint {sl:.2f} s of system time, {fl} page faults; ripgrep {sr:.2f} s, {fr} page faults")
verdict = lambda ok: "met" if ok else "NOT met"
print(f"  targets   >=150 MB/s wall: {verdict(mb/tl >= 150)}; <=3x ripgrep wall: {verdict(tl/tr <= 3)}; peak RSS <300 MB: {verdict(rss/1024 < 300)}")
PY
}

bytes_of() { du -sb "$@" | awk '{s+=$1} END {printf "%.0f\n", s}'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "trialint $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($BUILD), jobs=$JOBS, median of $REPEAT runs"
if [ -n "${COMPARE:-}" ]; then
    # Build the other revision in its own worktree and target directory.
    CMP_DIR=target/bench-compare
    rm -rf "$CMP_DIR/src"
    git worktree prune
    git worktree add --detach "$CMP_DIR/src" "$COMPARE" >/dev/null 2>&1
    echo "building $COMPARE for the paired run..." >&2
    (cd "$CMP_DIR/src" && CARGO_TARGET_DIR=../target cargo build --release --quiet)
    CMP_BIN=$CMP_DIR/target/release/trialint
    git worktree remove --force "$CMP_DIR/src"
    warm "$OUT/files"
    this=() other=()
    for _ in $(seq "$REPEAT"); do
        for who in this other; do
            bin=$BIN
            [ "$who" = other ] && bin=$CMP_BIN
            /usr/bin/time -f "%e %U %S" -o "$OUT/.time" "$bin" check --as-of 2026-11-21 --format json --fail-on never --jobs "$JOBS" "$OUT/files" >/dev/null 2>&1 || true
            read -r w u s < <(tail -n1 "$OUT/.time")
            if [ "$who" = this ]; then this+=("$w"); else other+=("$w"); fi
        done
    done
    tw=$(printf '%s\n' "${this[@]}" | median)
    ow=$(printf '%s\n' "${other[@]}" | median)
    echo "paired, JSON files, alternated $REPEAT times: this tree ${this[*]} s (median $tw), $COMPARE ${other[*]} s (median $ow): $(awk -v a="$ow" -v b="$tw" 'BEGIN {printf "%.2fx", a / b}') the throughput of $COMPARE"
fi
report "JSON, one file per record" "$RECORDS" "$(bytes_of "$OUT/files")" "$OUT/files"
report "JSON, one array (stream)" "$RECORDS" "$(bytes_of "$OUT/ctg-studies.json")" "$OUT/ctg-studies.json"
report "legacy XML, file per record" "$XML_RECORDS" "$(bytes_of "$OUT/xml")" "$OUT/xml"

# Start-up: one small record, and one small record that lists a phone
# number (most do: the phone check then reads a numbering plan).
startup() { # label file
    local ts=() s e
    for _ in $(seq 20); do
        s=$(date +%s%N)
        "$BIN" check --as-of 2026-11-21 --fail-on never "$2" >/dev/null 2>&1 || true
        e=$(date +%s%N)
        ts+=($(( (e - s) / 1000 )))
    done
    echo "start-up ($1, $(stat -c %s "$2") bytes): median $(printf '%s\n' "${ts[@]}" | median | awk '{m = $1/1000; printf "%.1f ms of 20 runs; target <20 ms: %s", m, (m < 20 ? "met" : "NOT met")}')"
}
startup "one small record" "$(ls -S "$CORPUS"/ctgov-json/*.json | tail -n1)"
startup "one small record with a phone number" "$(ls -S "$CORPUS"/ctgov-json/*.json | tac | while read -r f; do grep -q '"phone"' "$f" && { echo "$f"; break; }; done)"
