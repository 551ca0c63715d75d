#!/usr/bin/env bash
# Make a working moto_server (local AWS emulation used by the tests and the
# local stack) available and print its path on the last line of stdout
# (progress goes to stderr):
#
#   export APIKEYS_MOTO_SERVER=$(scripts/ensure-moto.sh | tail -1)
#
# 1. A `moto_server` on PATH is used when it runs and python3 has moto >= MIN_MOTO_VERSION.
# 2. Otherwise a venv in ${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}/moto is used,
#    created with `python3 -m venv` and `pip install "moto[server]>=5.1,<6"` on first run.
#
# Needs: python3 with the venv module, and access to PyPI for the first install.
set -euo pipefail

MIN_MOTO_VERSION=5.1
MOTO_REQUIREMENT='moto[server]>=5.1,<6'

CACHE_ROOT=${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}
VENV=$CACHE_ROOT/moto
CACHED=$VENV/bin/moto_server

TOOL=moto
# shellcheck source=scripts/toolCache.sh
. "$(dirname "${BASH_SOURCE[0]}")/toolCache.sh"

# toolCache.sh's die, with the ways to get moto by hand.
die() {
  printf 'ensure-moto: ERROR: %s\n' "$*" >&2
  printf 'ensure-moto: install it by hand, e.g.  python3 -m venv "%s" && "%s/bin/pip" install "%s"\n' \
    "$VENV" "$VENV" "$MOTO_REQUIREMENT" >&2
  printf 'ensure-moto: or put a moto_server on PATH, or set APIKEYS_MOTO_SERVER to its path\n' >&2
  exit 1
}

# version_ge A B: true when dotted version A >= B (any suffix after the numbers ignored).
version_ge() {
  local a b
  a=$(printf '%s' "$1" | grep -oE '^[0-9]+(\.[0-9]+)*' || true)
  b=$2
  [ -n "$a" ] || return 1
  [ "$(printf '%s\n%s\n' "$a" "$b" | sort -t. -k1,1n -k2,2n -k3,3n | head -n1)" = "$b" ]
}

# runs PATH: true when the moto_server at PATH starts far enough to print its usage.
runs() { "$1" --help >/dev/null 2>&1; }

# --- 1. a moto_server already on PATH ---------------------------------------
if existing=$(command -v moto_server 2>/dev/null) && runs "$existing"; then
  v=$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null || true)
  if version_ge "$v" "$MIN_MOTO_VERSION"; then
    log "using moto $v already on PATH ($existing)"
    provide "$existing"
  fi
  log "moto_server on PATH but python3 reports moto '${v:-missing}', need >= $MIN_MOTO_VERSION; using the cached venv"
fi

# --- 2. an earlier install in the cache -------------------------------------
complete() { [ -x "$CACHED" ] && runs "$CACHED"; }
reuse_cached "$CACHED" "using moto in $VENV"

# --- 3. install into a fresh venv -------------------------------------------
command -v python3 >/dev/null 2>&1 || die "moto could not be installed: python3 not found on PATH"
lock_install "$CACHE_ROOT/.moto.lock" "$CACHED" "moto was installed by a concurrent run in $VENV"

log "installing $MOTO_REQUIREMENT into $VENV"
rm -rf "$VENV"
if ! python3 -m venv "$VENV" >&2; then
  rm -rf "$VENV"
  die "moto could not be installed: 'python3 -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"
fi
# A half-finished install must not pass for a working one on the next run.
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$MOTO_REQUIREMENT" >&2 \
  || ! complete; then
  rm -rf "$VENV"
  die "moto could not be installed: pip install \"$MOTO_REQUIREMENT\" failed (see pip's output above)"
fi
log "installed moto $("$VENV/bin/python" -c 'import moto; print(moto.__version__)') in $VENV"
provide "$CACHED"
