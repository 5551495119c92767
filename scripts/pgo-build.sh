#!/usr/bin/env bash
# Build trialint with profile-guided optimisation (PGO) and print the path
# of the binary.
#
#   scripts/pgo-build.sh
#
# Three steps: a release build instrumented to count which branches and
# calls are taken; that build checks a training set (every other file of
# each directory of the shared corpus, in name order, read in two output
# formats); and the release build is made again with the merged counts, so
# LLVM lays out, inlines and orders branches for the paths real records
# take. On this project that is 6-8% fewer instructions a record, for the
# records it was trained on and for the held-out half alike (see
# docs/performance.md); the output is byte-identical.
#
# Environment:
#   CORPUS   the records to train on  (default ../shared/corpus, or /work/shared/corpus)
#   PGO_DIR  profiles and the two target directories (default target/pgo)
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
# The counts differ a little from run to run (threads), and the optimised
# build is made again whenever its profile changes: so a profile is made
# again only for another instrumented binary or another training set.
made_from="$(cksum < "$gen") $(cksum < "$list")"
if [ -f "$merged" ] && [ "$(cat "$PGO_DIR/merged.from" 2>/dev/null)" = "$made_from" ]; then
    echo "pgo-build: the profile of this build and training set is there already" >&2
else
    echo "pgo-build: training on half of $CORPUS..." >&2
    rm -rf "$raw" "$PGO_DIR/merged.from"
    for format in json human; do
        # findings are expected: the exit code says only that there were some
        xargs -a "$list" -d '\n' "$gen" check --as-of 2026-11-21 --fail-on never \
            --format "$format" >/dev/null 2>&1 || true
    done
    ls "$raw"/*.profraw >/dev/null 2>&1 || { echo "pgo-build: the training run wrote no profile" >&2; exit 3; }
    "$profdata" merge -o "$merged" "$raw"
    echo "$made_from" > "$PGO_DIR/merged.from"
fi

echo "pgo-build: optimised build..." >&2
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$merged" CARGO_TARGET_DIR="$PGO_DIR/use" \
    cargo build --release --quiet
echo "$PGO_DIR/use/release/trialint"
