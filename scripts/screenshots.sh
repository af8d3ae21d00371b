#!/usr/bin/env bash
# Captures the demo in each shipped theme and in NO_COLOR, LANG=C and TERM=vt100, as text
# (NAME.txt) and with colours as ANSI escapes (NAME.ansi: `cat` it in a terminal).
# Usage: scripts/screenshots.sh [OUTPUT_DIR]   (builds roster first if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/screenshots}"
mkdir -p "$out"
swift build >/dev/null
roster="$PWD/.build/debug/roster"
state="$(mktemp -d)"
socket="roster-shots-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$state"' EXIT

shoot() { # name, environment and options
    local name="$1"; shift
    tmux -L "$socket" -f /dev/null new-session -d -x 100 -y 30 \
        "env LANG=C.UTF-8 TERM=tmux-256color XDG_STATE_HOME=$state $* $roster --demo --undo-seconds 30"
    sleep 2
    # Browse a little, mark two, and open the delete dialog for them.
    tmux -L "$socket" send-keys j j ' ' ' ' d
    sleep 0.5
    tmux -L "$socket" capture-pane -p > "$out/$name.txt"
    tmux -L "$socket" capture-pane -p -e > "$out/$name.ansi"
    tmux -L "$socket" send-keys Escape q
    sleep 0.5
    tmux -L "$socket" kill-server 2>/dev/null || true
}

for theme in default light high-contrast monochrome production; do
    shoot "theme-$theme" ROSTER_THEME="$theme"
done
shoot no-color NO_COLOR=1
shoot lang-c LANG=C LC_ALL=C
shoot term-vt100 TERM=vt100
echo "screenshots in $out"
