#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the dashboard's browser test (Playwright drives it through
# its executable path: no browser can be downloaded here). Idempotent: does nothing when it is there.
# Needs root on a fresh machine (CI runs as root). The test finds it at $WORKFLEET_TEST_CHROMIUM, else
# /usr/bin/chromium.
set -euo pipefail

log() { echo "[ensure-chromium] $*"; }

executable=${WORKFLEET_TEST_CHROMIUM:-/usr/bin/chromium}
if [[ -x "$executable" ]]; then
  exit 0
fi

log "installing chromium (Debian package)"
export DEBIAN_FRONTEND=noninteractive
# A concurrent apt (e.g. another provisioning step) holds the lock: wait for it rather than fail.
apt-get -o DPkg::Lock::Timeout=300 update -qq
apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium >/dev/null
[[ -x "$executable" ]] || { log "chromium installed but $executable is missing" >&2; exit 1; }
log "chromium ready: $("$executable" --version 2>/dev/null || echo "$executable")"
