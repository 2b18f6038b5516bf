#!/usr/bin/env bash
# Provides the headless browser of the sample app's page test (test/sample-app-web.test.ts) and
# prints its path: CHROMIUM_PATH when set, else Debian's `chromium` package, installed on the host
# with apt-get when missing (Debian, as root; once: the package stays installed, so later runs find it
# at once). The package comes from the host's own Debian release and mirrors, never from the trixie
# root folder of scripts/provision-test-db.sh (a trixie package on the host would upgrade its libc).
# No browser is downloaded from anywhere else. Exits non-zero, saying why, when there is no browser.
set -euo pipefail

log() { echo "[chromium] $*" >&2; }
die() { echo "[chromium] ERROR: $*" >&2; exit 1; }

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file; point it at a Chromium or Chrome binary, or unset it."
  echo "$CHROMIUM_PATH"; exit 0
fi
BROWSER=/usr/bin/chromium
if [ -x "$BROWSER" ]; then echo "$BROWSER"; exit 0; fi

command -v apt-get >/dev/null || die "no $BROWSER and no apt-get: install Chromium and set CHROMIUM_PATH to it."
[ "$(id -u)" = 0 ] || die "no $BROWSER: run as root so that this script can apt-get install chromium, or install it yourself (sudo apt-get install chromium) or set CHROMIUM_PATH."

# Two test runs at once install once: the second waits for the first.
exec 9>/var/lock/typeorm-vector-chromium.lock
flock -w 900 9 || die "waited 15 minutes for /var/lock/typeorm-vector-chromium.lock (another run installing chromium?)."
if [ -x "$BROWSER" ]; then echo "$BROWSER"; exit 0; fi

log "installing Debian's chromium package on the host (once; a minute or two)"
install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 chromium >&2; }
if ! install; then
  log "apt-get install failed; updating the package lists and trying again"
  apt-get update -qq -o DPkg::Lock::Timeout=300 >&2
  install || die "apt-get install chromium failed (output above)."
fi
[ -x "$BROWSER" ] || die "the chromium package is installed but $BROWSER is missing."
echo "$BROWSER"
