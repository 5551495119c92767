#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with a small seed sample: a few records per
# format from ../shared/corpus (when it is there) and every fixture.
# Usage: fuzz/seed.sh   (then: cargo +nightly fuzz run <target> corpus/<target>)
set -euo pipefail
cd "$(dirname "$0")"
root=..
shared=${SHARED:-$root/../shared/corpus}
[ -d "$shared" ] || shared=/work/shared/corpus
n=${SEEDS_PER_FORMAT:-12}

pick() { # dir pattern -> the first $n small files (at most 256 KiB)
  [ -d "$1" ] || return 0
  find "$1" -type f -name "$2" -size -256k | sort | head -n "$n"
}
fixtures() { # format dir name under fixtures/formats, and the checks' fixtures
  find "$root/fixtures" -type f -path "*$1*" -size -256k | sort
}
fill() { # target, files...
  local t=$1; shift
  mkdir -p "corpus/$t"
  for f in "$@"; do cp "$f" "corpus/$t/$(basename "$(dirname "$f")")-$(basename "$f")"; done
  echo "$t: $(ls "corpus/$t" | wc -l) seeds"
}

json=$(pick "$shared/ctgov-json" '*.json'; fixtures ctgov-json/)
json1=$(pick "$shared/ctgov-json-v1" '*.json'; fixtures ctgov-json-v1)
xml=$(pick "$shared/ctgov-xml" '*.xml'; fixtures ctgov-xml)
ictrp=$(pick "$shared/ictrp-xml" '*.xml'; fixtures ictrp-xml)
html=$(pick "$shared/pages" '*.html'; fixtures formats/html)
text=$(pick "$shared/pages" '*.txt'; find "$root/fixtures" -type f -name '*.txt' -size -256k | sort | head -n 40)

fill read_ctgov_json $json
fill read_ctgov_json_v1 $json1
fill read_ctgov_xml $xml
fill read_ictrp_xml $ictrp
fill read_html $html
fill read_text $text
fill source_read $json $json1 $xml $ictrp $html $text
fill pipeline $json $json1 $xml $ictrp $html $text
fill check_load $(find "$root/checks" -name "*.toml" | sort) $(find "$root/fixtures/config" -name "*.toml" ! -name trialint.toml ! -name "*.extractor.toml" | sort)
fill config_load $(find "$root/fixtures" "$root/examples" \( -name trialint.toml -o -name '*.extractor.toml' \) | sort)
mkdir -p corpus/span_map
