#!/usr/bin/env bash
# Installs Roster where a jump host wants it: one `roster` binary that needs no Swift on the
# machine it runs on (only libc, libstdc++, zlib and ncurses), its man page, and completions
# for bash, zsh and fish, generated from the command definitions.
#
#   scripts/install.sh                 # into ~/.local (bin, share/man, share/*completion*)
#   PREFIX=/usr/local scripts/install.sh
#   DESTDIR=/tmp/stage scripts/install.sh   # staged, to copy to another machine
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${PREFIX:-$HOME/.local}
root=${DESTDIR:-}$prefix

# The man page first: the plugin builds its own release binary, which the static build then replaces.
swift package generate-manual
swift build -c release --static-swift-stdlib --product roster
binary=.build/release/roster

install -d "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
    "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$root/bin/roster"
# Debug symbols are most of its size; a jump host does not need them.
if command -v strip >/dev/null 2>&1; then strip "$root/bin/roster"; fi
install -m 0644 .build/plugins/GenerateManual/outputs/roster/roster.1 "$root/share/man/man1/roster.1"
"$binary" --generate-completion-script bash >"$root/share/bash-completion/completions/roster"
"$binary" --generate-completion-script zsh >"$root/share/zsh/site-functions/_roster"
"$binary" --generate-completion-script fish >"$root/share/fish/vendor_completions.d/roster.fish"
echo "installed roster $("$binary" --version) into $root:"
echo "  $root/bin/roster ($(du -h "$root/bin/roster" | cut -f1)), man roster, completions for bash, zsh and fish"
