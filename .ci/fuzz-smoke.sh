#!/usr/bin/env bash
# Fuzz smoke: builds every cargo-fuzz target (fuzz/, as `cargo fuzz list` names them, so
# targets added later are included) and runs each for FUZZ_SECONDS (default 20) on seeds from
# fixtures/ and ../shared. A crash, a timeout or an out-of-memory fails the run; each
# target's executions are reported. See fuzz/README.md.
#
# The build is the quick one of fuzz/README.md: still coverage-guided (libFuzzer's
# instrumentation, debug assertions), but at opt-level 1 with 16 codegen units, which
# builds in a fraction of the time of `cargo fuzz build -s none -a` (opt-level 3, one
# codegen unit) and runs a few times slower: right for seconds of fuzzing, not for hours.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-20}"
# The smoke's limit per input: generous, as the build is less optimised and the machine
# may be shared; the long runs of fuzz/README.md use 1 s.
timeout="${FUZZ_TIMEOUT:-5}"
# A fixed seed makes the smoke try the same inputs in the same order on every run, so a red
# smoke is one anybody can reproduce with the same FUZZ_SEED.
fuzz_seed="${FUZZ_SEED:-1}"
export RUSTC_BOOTSTRAP=1
export CARGO_PROFILE_RELEASE_OPT_LEVEL=1
build=(-s none -a --codegen-units 16)

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi

# The dictionary of a target: dict/TARGET.dict when there is one, else by kind of input.
dictionary() {
  if [ -f "dict/$1.dict" ]; then
    echo "dict/$1.dict"
    return
  fi
  case "$1" in
    edit_grammar | engine_transaction) echo dict/edit.dict ;;
    values | ftp_parsers) echo "" ;;
    *) echo dict/iis.dict ;;
  esac
}

start=$(date +%s)
cargo fuzz build "${build[@]}"
built=$(date +%s)
echo "fuzz build: $((built - start)) s"
./seed.sh
summary=""
for target in $(cargo fuzz list); do
  dict=$(dictionary "$target")
  echo "--- $target (${seconds} s${dict:+, $dict})"
  log="$(mktemp)"
  status=0
  began=$(date +%s)
  cargo fuzz run "${build[@]}" "$target" -- \
    ${dict:+-dict=$dict} -max_total_time="$seconds" -seed="$fuzz_seed" -timeout="$timeout" -rss_limit_mb=2048 \
    -print_final_stats=1 >"$log" 2>&1 || status=$?
  took=$(($(date +%s) - began))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
  line=$(printf '%-22s %10s execs %7s exec/s  cov %6s  %4s s' \
    "$target" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$took")
  echo "$line"
  summary="$summary$line"$'\n'
  if [ "$status" != 0 ]; then
    tail -n 40 "$log"
    echo "error: $target failed (a crash, a timeout or out of memory); the input is in fuzz/artifacts/$target/"
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
done
finished=$(date +%s)
printf '\n%s' "$summary"
echo "fuzz smoke: build $((built - start)) s, runs $((finished - built)) s, $((finished - start)) s in all"
