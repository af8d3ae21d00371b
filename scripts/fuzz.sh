#!/usr/bin/env bash
# Fuzzes one of Roster's readers of untrusted input, or all of them.
#
#   scripts/fuzz.sh TARGET [SECONDS]    e.g. scripts/fuzz.sh query 300
#   scripts/fuzz.sh all [SECONDS]       every target for SECONDS each, two at a time (CI: 30)
#   scripts/fuzz.sh list                the targets
#
# The targets live in Fuzz/, a package of their own that depends on Roster's by path, built
# with -sanitize=fuzzer,address (libFuzzer, AddressSanitizer): nothing of it reaches roster
# or roster-bench. Each starts from its seed corpus in Fuzz/Corpus/TARGET (read only; what it
# finds goes to a scratch folder). A crash, a leak or an input taking over 10 s leaves the
# input in Fuzz/crashes/ and the script exits 1; replay one with
#   Fuzz/.build/debug/fuzz-TARGET Fuzz/crashes/FILE
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/Fuzz"
targets=(sendme123-page easify-page rate-limit-headers query config theme plan old-journal)

what=${1:-}
seconds=${2:-30}
case "$what" in
    list) printf '%s\n' "${targets[@]}"; exit 0 ;;
    all) chosen=("${targets[@]}") ;;
    "") echo "usage: scripts/fuzz.sh TARGET|all|list [SECONDS]" >&2; exit 2 ;;
    *)
        [[ " ${targets[*]} " == *" $what "* ]] || { echo "no fuzz target $what (scripts/fuzz.sh list)" >&2; exit 2; }
        chosen=("$what")
        ;;
esac
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "SECONDS must be a whole number" >&2; exit 2; }

build=(swift build --package-path "$fuzz" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
# Product by product: a plain `swift build` would build Roster's executables too.
for target in "${chosen[@]}"; do "${build[@]}" --product "fuzz-$target"; done
bin="$("${build[@]}" --show-bin-path)"
mkdir -p "$fuzz/crashes"
results=$(mktemp -d)

# Runs one target; its last line in $results/TARGET says how it went.
run() {
    local target=$1 scratch log status=0 runs
    scratch=$(mktemp -d)
    log="$results/$target.log"
    # TOMLKit (the config reader's TOML library) leaks a few bytes per file it parses, in its
    # own code; Roster reads its config once per run, so leaks are not counted there.
    local leaks=1
    [ "$target" = config ] && leaks=0
    ASAN_OPTIONS="detect_leaks=$leaks" \
        "$bin/fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -detect_leaks=$leaks \
        -artifact_prefix="$fuzz/crashes/$target-" "$scratch" "$fuzz/Corpus/$target" >"$log" 2>&1 || status=$?
    rm -rf "$scratch"
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    if [ "$status" -ne 0 ]; then
        echo "fuzz-$target: FAILED (exit $status) after ${runs:-?} inputs; the input is in Fuzz/crashes/" >"$results/$target"
    else
        echo "fuzz-$target: $seconds s, ${runs:-?} inputs, no crash" >"$results/$target"
    fi
}

# libFuzzer runs on one core: two at a time.
for ((i = 0; i < ${#chosen[@]}; i += 2)); do
    run "${chosen[i]}" &
    if ((i + 1 < ${#chosen[@]})); then run "${chosen[i + 1]}" & fi
    wait
done
failed=0
for target in "${chosen[@]}"; do
    if grep -q FAILED "$results/$target"; then
        tail -30 "$results/$target.log"
        failed=1
    fi
done
cat "${chosen[@]/#/$results/}"
rm -rf "$results"
exit $failed
