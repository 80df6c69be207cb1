#!/usr/bin/env bash
# Install the Debian packages the project needs beyond Python, if any is missing. Idempotent: it
# checks with dpkg first and does nothing (no apt-get update, no network) when all are installed,
# so `make test` / `make up` can call it every time.
#
#   poppler-utils     pdftoppm: the letters tests rasterise the print-ready PDFs
#   poppler-data      the CJK CMaps poppler needs for the CID font STSong-Light (letters, billing)
#   fonts-wqy-zenhei  a Chinese font poppler substitutes for STSong-Light when rasterising, so
#                     pages render with their text rather than blank
#
# Usage: deploy/local/system-packages.sh   (as root, or with sudo available; otherwise it only
# reports what is missing and exits 1)
set -euo pipefail

PACKAGES=(poppler-utils poppler-data fonts-wqy-zenhei)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-packages: missing ${missing[*]} and no apt-get on this machine; install them by hand" >&2
  exit 1
fi
SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
    echo "system-packages: missing ${missing[*]}; run this script as root" >&2
    exit 1
  fi
fi
echo "system-packages: installing ${missing[*]}" >&2
# update the package lists only when one of the packages is unknown to apt (fresh machine)
for pkg in "${missing[@]}"; do
  if ! apt-cache show "$pkg" >/dev/null 2>&1; then
    "${SUDO[@]}" apt-get update -qq >/dev/null
    break
  fi
done
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
