#!/usr/bin/env bash
# Proves the static build runs without Swift: builds it, then runs it in a mount namespace
# where the toolchain's runtime libraries are hidden behind an empty folder: its version,
# its sandbox, and the headless commands against it over HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --product roster
binary=$PWD/.build/release/roster
# What a jump host must provide, and nothing more: libc and its companions, the C++ and GCC
# runtimes, zlib and ncurses. SQLite (the journal) is compiled in; so are Swift and Foundation.
allowed='^(linux-vdso\.so|libc\.so|libm\.so|libpthread\.so|libdl\.so|librt\.so|libutil\.so|libgcc_s\.so|libstdc\+\+\.so|libz\.so|libncursesw\.so|libtinfo\.so|ld-linux[-a-z0-9_.]*\.so|/lib(64)?/ld-linux)'
libraries=$(ldd "$binary" | awk '{print $1}')
unexpected=$(echo "$libraries" | grep -Ev "$allowed" || true)
if [ -n "$unexpected" ]; then
    echo "the static build needs libraries a jump host may not have:"; echo "$unexpected"; exit 1
fi
echo "links only: $(echo "$libraries" | tr '\n' ' ')"
runtime=$(dirname "$(find "$(dirname "$(readlink -f "$(command -v swift)")")/.." -name libswiftCore.so -print -quit)")
empty=$(mktemp -d)
unshare --mount bash -s "$binary" "$runtime" "$empty" <<'INNER'
set -euo pipefail
binary=$1 runtime=$2 empty=$3
mount --bind "$empty" "$runtime"
if [ -e "$runtime/libswiftCore.so" ]; then echo "the Swift runtime is still in reach"; exit 1; fi
echo "Swift runtime hidden: $runtime"
"$binary" --version
out=$(mktemp)
"$binary" sandbox --port 0 --contacts 50 >"$out" 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q '^url:' "$out" && break; sleep 0.1; done
url=$(sed -n 's/^url: *//p' "$out")
export ROSTER_API_KEY=roster-demo-key
count=$("$binary" list --dialect sendme123 --base-url "$url" | tail -n +2 | wc -l)
[ "$count" -eq 50 ] || { echo "roster list read $count contacts, not 50"; exit 1; }
"$binary" list --dialect sendme123 --base-url "$url" --where 'status:inactive' >/dev/null
"$binary" duplicates --dialect sendme123 --base-url "$url" --json >/dev/null
# The journal (SQLite, compiled in) takes a deletion and gives it back to restore.
export XDG_STATE_HOME=$(mktemp -d)
id=$("$binary" list --dialect sendme123 --base-url "$url" --json | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
"$binary" delete --yes --dialect sendme123 --base-url "$url" "$id" >/dev/null || true
"$binary" journal | grep -q "$id"
[ -f "$XDG_STATE_HOME/roster/journal.db" ] || { echo "no journal database was written"; exit 1; }
# Into a file first: grep -q leaves at the first match, and under pipefail the writer that
# is still writing would die of SIGPIPE (141) whenever grep is quicker.
"$binary" --generate-completion-script bash >"$out.bash"
grep -q '_roster' "$out.bash"
echo "the static roster ran with the Swift runtime out of reach: list, a query, duplicates and a journalled delete over HTTP"
INNER
