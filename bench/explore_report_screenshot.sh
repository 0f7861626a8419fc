#!/usr/bin/env bash
# Renders an exploration report (gaitlstm explore ... -> DIR/report.html) in
# headless Chromium and saves a screenshot: the report must open without
# errors and without network.  Needs Debian's `chromium`
# (scripts/install-deps.sh --bench).
#   bench/explore_report_screenshot.sh DIR/report.html OUT.png
set -euo pipefail
report=$(realpath "$1")
png=$(realpath -m "$2")
command -v chromium >/dev/null || { echo "chromium missing: scripts/install-deps.sh --bench" >&2; exit 2; }
log=$(mktemp)
profile=$(mktemp -d)
trap 'rm -rf "$log" "$profile"' EXIT
# --no-sandbox: runs as root in containers.  Network off: the report must be self-contained.
timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
  --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
  --window-size=1200,4000 --enable-logging=stderr --v=0 \
  --screenshot="$png" "file://$report" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
[ -s "$png" ] || { echo "no screenshot written" >&2; cat "$log" >&2; exit 1; }
# Console errors of the page (not Chromium's own start-up noise about dbus/GPU).
if grep -E "CONSOLE.*(Error|Uncaught)|Failed to load resource|net::ERR_" "$log" >&2; then
  echo "report.html logged errors in Chromium" >&2
  exit 1
fi
echo "screenshot $png ($(stat -c %s "$png") bytes); no page errors"
