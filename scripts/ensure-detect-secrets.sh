#!/usr/bin/env bash
# Make the detect-secrets release the scanner-rule tests load scanners/apikeys_detector.py into available, and print
# the directory that holds its commands on the last line of stdout (progress goes to stderr):
#
#   DETECT_SECRETS_BIN=$(scripts/ensure-detect-secrets.sh | tail -1)
#   "$DETECT_SECRETS_BIN/detect-secrets" scan --plugin scanners/apikeys_detector.py <files>
#
# A venv in ${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}/detect-secrets-<version> with detect-secrets from PyPI;
# a complete earlier install is reused as it is.
#
# Needs: python3 with the venv module, and access to PyPI for the first install.
set -euo pipefail

DETECT_SECRETS_VERSION=1.5.0

CACHE_ROOT=${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}
VENV=$CACHE_ROOT/detect-secrets-$DETECT_SECRETS_VERSION
BIN=$VENV/bin

TOOL=detect-secrets
# shellcheck source=scripts/toolCache.sh
. "$(dirname "${BASH_SOURCE[0]}")/toolCache.sh"

complete() { [ -x "$BIN/detect-secrets" ] && [ "$("$BIN/detect-secrets" --version 2>/dev/null)" = "$DETECT_SECRETS_VERSION" ]; }

reuse_cached "$BIN" "detect-secrets $DETECT_SECRETS_VERSION already in $BIN"
command -v python3 >/dev/null 2>&1 || die "python3 not found on PATH: detect-secrets is a Python package"
lock_install "$CACHE_ROOT/.detect-secrets.lock" "$BIN" "detect-secrets $DETECT_SECRETS_VERSION was installed by a concurrent run"
log "installing detect-secrets==$DETECT_SECRETS_VERSION into $VENV"
rm -rf "$VENV"
python3 -m venv "$VENV" >&2 || { rm -rf "$VENV"; die "'python3 -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"; }
# A half-finished install must not pass for a working one on the next run.
if ! "$BIN/python" -m pip install --quiet --disable-pip-version-check "detect-secrets==$DETECT_SECRETS_VERSION" >&2 || ! complete; then
  rm -rf "$VENV"
  die "pip install detect-secrets==$DETECT_SECRETS_VERSION failed (see pip's output above)"
fi
log "installed detect-secrets $DETECT_SECRETS_VERSION in $BIN"
provide "$BIN"
