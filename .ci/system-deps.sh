#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when they are missing:
# postgresql (the storage tests start a throwaway server) and chromium (HTML report and
# web UI tests drive it headless through playwright), and fonts-noto-cjk (Chinese quotes in the
# HTML report and the app render with real glyphs, which a browser test checks). Needs root, as on CI.
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "system-deps: missing ${need[*]}; run 'sudo apt-get install ${need[*]}' (tests that need them will say so)" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]} ..." >&2
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
