#!/usr/bin/env bash
# Renders a replay page (gaitlstm replay ... --out DIR -> DIR/replay.html) in
# headless Chromium and saves a screenshot: the page must open without errors
# and without network (exit 1 on any page error).  Needs Debian's `chromium`.
#   bench/replay_screenshot.sh DIR/replay.html OUT.png [WIDTH,HEIGHT]
set -euo pipefail
page=$(realpath "$1")
png=$(realpath -m "$2")
size=${3:-1400,1400}
command -v chromium >/dev/null || { echo "chromium missing: scripts/install-deps.sh --bench" >&2; exit 2; }
log=$(mktemp)
profile=$(mktemp -d)
trap 'rm -rf "$log" "$profile"' EXIT
# --no-sandbox: runs as root in containers.  Network off: the page must be self-contained.
timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
  --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
  --window-size="$size" --enable-logging=stderr --v=0 --virtual-time-budget=2000 \
  --screenshot="$png" "file://$page" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
[ -s "$png" ] || { echo "no screenshot written" >&2; cat "$log" >&2; exit 1; }
# Console errors of the page (not Chromium's own start-up noise about dbus/GPU).
if grep -E "CONSOLE.*(Error|Uncaught)|Uncaught|Failed to load resource|net::ERR_" "$log" >&2; then
  echo "replay.html logged errors in Chromium" >&2
  exit 1
fi
echo "screenshot $png ($(stat -c %s "$png") bytes); no page errors"
