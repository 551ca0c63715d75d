#!/usr/bin/env bash
# Make a headless-capable Chromium available (the report suite renders `apikeys report --html` in it) and print the
# directory that holds it on the last line of stdout (progress goes to stderr):
#
#   CHROMIUM_BIN=$(scripts/ensure-chromium.sh | tail -1)
#   "$CHROMIUM_BIN/chromium" --headless --dump-dom file:///.../inventory.html
#
# 1. /usr/bin/chromium (Debian's package) or a `chromium` on PATH is used as it is.
# 2. Otherwise, on Debian or Ubuntu as root, `apt-get install chromium` from the distribution's archive.
#
# Needs: for the install, root and apt access to the distribution's package archive.
set -euo pipefail

TOOL=chromium
# shellcheck source=scripts/toolCache.sh
. "$(dirname "${BASH_SOURCE[0]}")/toolCache.sh"

runs() { "$1" --version >/dev/null 2>&1; }

found() {
  local candidate
  for candidate in /usr/bin/chromium "$(command -v chromium 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && runs "$candidate"; then
      log "using $("$candidate" --version 2>/dev/null | head -n1) ($candidate)"
      dirname "$candidate"
      return 0
    fi
  done
  return 1
}

if found; then exit 0; fi
command -v apt-get >/dev/null 2>&1 || die "no chromium found and no apt-get to install it: install Chromium and put it on PATH"
[ "$(id -u)" = 0 ] || die "no chromium found; install it as root: apt-get update && apt-get install -y chromium"
log "installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
# Another install (a second set-up running beside this one) holds apt's locks for a while: wait for them, not fail.
APT_WAIT=(-o DPkg::Lock::Timeout=600)
apt-get "${APT_WAIT[@]}" update >&2 || die "apt-get update failed"
apt-get "${APT_WAIT[@]}" install -y --no-install-recommends chromium >&2 || die "apt-get install chromium failed"
found || die "chromium was installed but does not run"
