#!/usr/bin/env bash
# The corpus comparison of docs/benchmarks.md, in one hyperfine run:
#   scripts/bench-corpus.sh [VAULT]            rg, wikistamp (JSON, default output, one note), rumdl
#   SLOW=1 scripts/bench-corpus.sh [VAULT]     also markdownlint-cli2 (minutes: one run)
# Peers that are not installed are left out (pip install rumdl; npm i -g markdownlint-cli2).
set -euo pipefail
cd "$(dirname "$0")/.."
vault=$(realpath "${1:-../shared/corpus/tubegraph}")
runs=${RUNS:-10}
cargo build --release --quiet
w=$PWD/target/release/wikistamp
# rumdl writes a cache into the current directory: run everything from a scratch one.
scratch=$(mktemp -d)
cd "$scratch"
# One note, as a pre-commit hook checks it: the first note in path order.
one=$(find "$vault" -name '*.md' -type f | LC_ALL=C sort | sed -n 1p)
commands=("rg -c yt-timestamp $vault" "$w check $vault --format json" "$w check $vault" "$w check $one")
command -v rumdl >/dev/null && commands+=("rumdl check --no-cache $vault")
# -i: linters exit 1 when they find something, and all of them do here.
hyperfine -N -i -w 1 -r "$runs" --export-markdown "$scratch/corpus.md" "${commands[@]}"
cat "$scratch/corpus.md"
if [ -n "${SLOW:-}" ] && command -v markdownlint-cli2 >/dev/null; then
  hyperfine -N -i -r 1 --export-markdown "$scratch/slow.md" \
    "rg -c yt-timestamp $vault" "$w check $vault --format json" "markdownlint-cli2 $vault/**/*.md"
  cat "$scratch/slow.md"
fi
echo
echo "peak memory (one run each):"
for c in "$w check $vault --format json" "$w check $vault" "rg -c yt-timestamp $vault"; do
  /usr/bin/time -f "  %M KB  %e s  $c" $c > /dev/null 2> "$scratch/time" || true
  tail -1 "$scratch/time"
done
if command -v rumdl >/dev/null; then
  /usr/bin/time -f "  %M KB  %e s  rumdl check --no-cache" rumdl check --no-cache "$vault" > /dev/null 2> "$scratch/time" || true
  tail -1 "$scratch/time"
fi
rm -rf "$scratch"
