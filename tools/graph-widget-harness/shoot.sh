#!/usr/bin/env bash
# Screenshots of the harness in headless Chromium, plus its log (console errors, requests, what was announced).
# Usage: tools/graph-widget-harness/shoot.sh OUT.png WIDTH,HEIGHT [QUERY]   e.g. shoot.sh /tmp/g.png 390,844 '?expand=all'
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$1"; size="$2"; query="${3:-}"
page="${PAGE:-index.html}"
url="file://$here/$page$query"
timeout 240 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget="${BUDGET:-30000}" \
  --window-size="$size" --screenshot="$out" "$url" >/dev/null 2>&1
timeout 240 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 --virtual-time-budget="${BUDGET:-30000}" \
  --window-size="$size" --dump-dom "$url" 2>"$out.console.txt" \
  | sed -n '/id="harness-log"/,/<\/pre>/p' | grep -v '^GET ' > "$out.log.txt" || true
grep -E 'CONSOLE|ERROR' "$out.console.txt" | grep -v -E 'dbus|gpu|GCM|Fontconfig' || true
cat "$out.log.txt"
