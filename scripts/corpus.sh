# Sourced by the scripts that read the shared corpus (bench.sh,
# pgo-build.sh): sets CORPUS to ../shared/corpus beside the checkout (or
# the first of the usual places that holds it) unless it is set already,
# and exits 2 when there is none.
if [ -z "${CORPUS:-}" ]; then
    for c in ../shared/corpus ../../shared/corpus /work/shared/corpus; do
        if [ -d "$c/ctgov-json" ]; then CORPUS=$c; break; fi
    done
fi
[ -d "${CORPUS:-}/ctgov-json" ] || { echo "$(basename "$0"): corpus not found (set CORPUS)" >&2; exit 2; }
export CORPUS
