#!/usr/bin/env bash
# Build trialint with profile-guided optimisation (PGO), then lay its code
# out with BOLT, and print the path of the binary.
#
#   scripts/pgo-build.sh
#
# PGO, three steps: a release build instrumented to count which branches
# and calls are taken; that build checks a training set (every other file
# of each directory of the shared corpus, in name order, read in two output
# formats); and the release build is made again with the merged counts, so
# LLVM lays out, inlines and orders branches for the paths real records
# take. On this project that is 6-8% fewer instructions a record, for the
# records it was trained on and for the held-out half alike (see
# docs/performance.md).
#
# BOLT, the same three steps on the finished binary: LLVM's post-link
# optimiser instruments it, the instrumented copy checks the same training
# set, and BOLT rewrites the binary with its hot code together and its
# blocks in the order they run (fewer instruction-cache misses and taken
# branches, which PGO inside the compiler cannot give across functions
# and crates): 1-2.5% less CPU time a record on top of PGO. Debian's
# `bolt-N` package is installed when no `llvm-bolt` is found (as root,
# with apt); without it the PGO binary is printed.
#
# The output of every build is byte-identical to the plain release
# build's.
#
# Environment:
#   CORPUS   the records to train on  (default ../shared/corpus, or /work/shared/corpus)
#   PGO_DIR  profiles and the target directories (default target/pgo)
#   BOLT     1 (default): also apply BOLT; 0: stop at the PGO binary
#
# Needs llvm-profdata of the toolchain's own LLVM: rustup's llvm-tools
# component, installed here when missing. Exits 3 when it cannot be had
# (scripts/bench.sh then builds without PGO).
set -euo pipefail

cd "$(dirname "$0")/.."
PGO_DIR=${PGO_DIR:-target/pgo}
# CORPUS: given, or found beside the checkout
source scripts/corpus.sh

host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
    echo "pgo-build: installing rustup's llvm-tools (for llvm-profdata)..." >&2
    rustup component add llvm-tools >&2 || rustup component add llvm-tools-preview >&2 || true
fi
[ -x "$profdata" ] || { echo "pgo-build: llvm-profdata not found at $profdata" >&2; exit 3; }

mkdir -p "$PGO_DIR"
PGO_DIR=$(cd "$PGO_DIR" && pwd)
raw="$PGO_DIR/raw"
merged="$PGO_DIR/merged.profdata"

echo "pgo-build: instrumented build..." >&2
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$raw" CARGO_TARGET_DIR="$PGO_DIR/gen" \
    cargo build --release --quiet

# The training set: every other file of each corpus directory. The other
# half is left out so that a measurement on it shows whether the profile
# carries over to records it has not seen.
list="$PGO_DIR/training-files"
for d in "$CORPUS"/*/; do
    find "$d" -type f | LC_ALL=C sort | awk 'NR % 2 == 1'
done > "$list"
gen="$PGO_DIR/gen/release/trialint"
# train BIN: the instrumented BIN checks the training set in both output
# formats (PGO's and BOLT's training runs are the same)
train() {
    for format in json human; do
        # findings are expected: the exit code says only that there were some
        xargs -a "$list" -d '\n' "$1" check --as-of 2026-11-21 --fail-on never \
            --format "$format" >/dev/null 2>&1 || true
    done
}
# The counts differ a little from run to run (threads), and the optimised
# build is made again whenever its profile changes: so a profile is made
# again only for another instrumented binary or another training set.
made_from="$(cksum < "$gen") $(cksum < "$list")"
if [ -f "$merged" ] && [ "$(cat "$PGO_DIR/merged.from" 2>/dev/null)" = "$made_from" ]; then
    echo "pgo-build: the profile of this build and training set is there already" >&2
else
    echo "pgo-build: training on half of $CORPUS..." >&2
    rm -rf "$raw" "$PGO_DIR/merged.from"
    train "$gen"
    ls "$raw"/*.profraw >/dev/null 2>&1 || { echo "pgo-build: the training run wrote no profile" >&2; exit 3; }
    "$profdata" merge -o "$merged" "$raw"
    echo "$made_from" > "$PGO_DIR/merged.from"
fi

BOLT=${BOLT:-1}
bolt=""
if [ "$BOLT" = 1 ]; then
    find_bolt() {
        command -v llvm-bolt 2>/dev/null ||
            ls -d /usr/lib/llvm-*/bin/llvm-bolt 2>/dev/null | sort -V | tail -n1
    }
    bolt=$(find_bolt || true)
    if [ -z "$bolt" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        pkg=$(apt-cache search --names-only '^bolt-[0-9]+$' 2>/dev/null | cut -d' ' -f1 | sort -V | tail -n1)
        if [ -n "$pkg" ]; then
            echo "pgo-build: installing $pkg (Debian's BOLT)..." >&2
            apt-get install -y "$pkg" >/dev/null 2>&1 || true
            bolt=$(find_bolt || true)
        fi
    fi
    [ -n "$bolt" ] || echo "pgo-build: llvm-bolt not found; the binary is PGO only" >&2
fi

# BOLT needs the relocations of the final link kept in the binary; they
# are kept whether BOLT runs or not, so that turning it on or off does not
# build the binary again.
echo "pgo-build: optimised build..." >&2
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$merged -Clink-arg=-Wl,--emit-relocs" CARGO_TARGET_DIR="$PGO_DIR/use" \
    cargo build --release --quiet
use="$PGO_DIR/use/release/trialint"
[ -n "$bolt" ] || { echo "$use"; exit 0; }

# BOLT: instrument, train, rewrite. A step that fails leaves the PGO binary.
bolt_dir="$PGO_DIR/bolt"
mkdir -p "$bolt_dir"
out="$bolt_dir/trialint"
bolt_bin=$(dirname "$bolt")
bolted_from="$(cksum < "$use") $(cksum < "$list")"
if [ -x "$out" ] && [ "$(cat "$bolt_dir/bolted.from" 2>/dev/null)" = "$bolted_from" ]; then
    echo "pgo-build: the BOLT binary of this build and training set is there already" >&2
    echo "$out"
    exit 0
fi
rm -f "$out" "$bolt_dir"/bolted.from "$bolt_dir"/prof.*.fdata
echo "pgo-build: BOLT: instrumenting and training..." >&2
if "$bolt" "$use" -o "$bolt_dir/trialint.inst" -instrument \
        -instrumentation-file="$bolt_dir/prof" -instrumentation-file-append-pid \
        >"$bolt_dir/instrument.log" 2>&1; then
    train "$bolt_dir/trialint.inst"
fi
if ls "$bolt_dir"/prof.*.fdata >/dev/null 2>&1 &&
    "$bolt_bin/merge-fdata" "$bolt_dir"/prof.*.fdata >"$bolt_dir/merged.fdata" 2>/dev/null &&
    "$bolt" "$use" -o "$out" -data="$bolt_dir/merged.fdata" \
        -reorder-blocks=ext-tsp -reorder-functions=hfsort -split-functions \
        -split-all-cold -icf=1 -use-gnu-stack >"$bolt_dir/optimise.log" 2>&1; then
    rm -f "$bolt_dir/trialint.inst" "$bolt_dir"/prof.*.fdata
    echo "$bolted_from" > "$bolt_dir/bolted.from"
    echo "$out"
else
    echo "pgo-build: BOLT failed (see $bolt_dir/*.log); the binary is PGO only" >&2
    echo "$use"
fi
