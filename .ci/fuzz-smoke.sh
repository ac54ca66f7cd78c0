#!/usr/bin/env bash
# Fuzz smoke: builds the cargo-fuzz targets (fuzz/) and runs each for a short time
# (FUZZ_SECONDS, default 20) on seeds from fixtures/ and ../shared. A crash, a timeout
# (> 1 s per input) or an out-of-memory fails the run. See fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-20}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi

start=$(date +%s)
cargo fuzz build -s none -a
./seed.sh
for target in $(cargo fuzz list); do
  case "$target" in
    edit_grammar | engine_transaction) dict=dict/edit.dict ;;
    values | ftp_parsers) dict="" ;;
    *) dict=dict/iis.dict ;;
  esac
  echo "--- $target (${seconds}s)"
  log="$(mktemp)"
  status=0
  cargo fuzz run -s none -a "$target" -- \
    ${dict:+-dict=$dict} -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$log" || true
  if [ "$status" != 0 ]; then
    tail -n 40 "$log"
    echo "error: $target failed (a crash, a timeout or out of memory); the input is in fuzz/artifacts/$target/"
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
done
echo "fuzz smoke: $(($(date +%s) - start)) s in all"
