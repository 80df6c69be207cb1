#!/usr/bin/env bash
# Debian packages the local stack and its tests need beyond Python and Node, installed by the
# project itself (a new machine has none of them). Idempotent and quiet: a no-op when every package
# is present, so `make up` and `make test` call it every time.
#
#   chromium          the browser of the console's end-to-end tests, driven by Playwright through
#                     its executable path (/usr/bin/chromium): no browser is ever downloaded
#   fonts-wqy-zenhei  a Chinese font, so the console's pages and screenshots show characters, not
#                     boxes, and poppler substitutes it for the CID font STSong-Light when it
#                     rasterises letters (pages render with their text rather than blank)
#   poppler-utils     pdftoppm: the letters tests rasterise the print-ready PDFs
#   poppler-data      the CJK CMaps poppler needs for the CID font STSong-Light (letters, billing)
#   nginx             the console's production server config (console/deploy/nginx.conf) is tested
#                     with the real server (tests/console/test_console_nginx.py); not run as a daemon
#
# Add a package to PACKAGES below; say why in a line above. Needs root for apt-get; without it the
# missing packages are listed with the command to run (a warning: `make up` still starts; the
# browser tests then say that chromium is missing).
set -euo pipefail

PACKAGES=(chromium fonts-wqy-zenhei nginx poppler-utils poppler-data)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-packages: missing ${missing[*]} and apt-get is not available; install them by hand" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "system-packages: WARNING missing ${missing[*]}; as root: apt-get install -y ${missing[*]}" >&2
  exit 0
fi

echo "system-packages: installing ${missing[*]} (Debian)" >&2
export DEBIAN_FRONTEND=noninteractive
# The package lists of a new machine may be empty or old: refresh them once when a package is
# not known to apt-cache.
for pkg in "${missing[@]}"; do
  if ! apt-cache show "$pkg" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    break
  fi
done
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  apt-get update -qq >/dev/null  # the lists named versions the mirror no longer has
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
