#!/bin/sh
# Runs every fuzz target in turn, one process on one core, for $1 seconds each (default 600).
# Needs cargo-fuzz; on a stable toolchain, RUSTC_BOOTSTRAP=1 lets it pass its -Z flags.
set -u
secs=${1:-600}
cd "$(dirname "$0")"
for t in parse check fix position; do
    mkdir -p "corpus/$t"
    if [ "$t" != position ] && [ -d seeds ]; then set -- seeds; else set --; fi
    RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none -O "$t" "corpus/$t" "$@" -- \
        -dict=wikistamp.dict -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
        -max_total_time="$secs" -print_final_stats=1 > "logs/$t.log" 2>&1
    echo "$t exit $?" >> logs/summary.txt
done
