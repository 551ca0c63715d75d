#!/usr/bin/env bash
# Make AWS's Lambda Runtime Interface Client for Node.js (npm package aws-lambda-ric) available, built, and print the
# directory of the package (its index.mjs is the runtime's entry point) on the last line of stdout (progress goes to
# stderr):
#
#   RIC_DIR=$(scripts/ensure-ric.sh | tail -1)
#   AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001 _HANDLER=index.handler LAMBDA_TASK_ROOT=dist/lambdas/verify \
#     "$(scripts/ensure-node.sh | tail -1)/node" "$RIC_DIR/index.mjs"
#
# The package ships the sources of curl and aws-lambda-cpp and a native addon; its own preinstall and postinstall
# scripts build them. We install it with scripts off and run those same scripts, pointing node-gyp at the headers of
# the Node.js from scripts/ensure-node.sh (the package needs Node.js >= 22, and node-gyp would otherwise download
# headers from nodejs.org). Installed into ${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}/aws-lambda-ric-<version>; a
# complete earlier build is reused as it is.
#
# Needs: npm, cmake, make and a C/C++ compiler, access to the npm registry for the first install (about three
# minutes of building on two cores).
set -euo pipefail

RIC_VERSION=4.0.2
PACKAGE=aws-lambda-ric

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_ROOT=${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}
PREFIX=$CACHE_ROOT/$PACKAGE-$RIC_VERSION
DIR=$PREFIX/node_modules/$PACKAGE

TOOL=ric
# shellcheck source=scripts/toolCache.sh
. "$SCRIPT_DIR/toolCache.sh"

complete() { [ -f "$DIR/index.mjs" ] && [ -f "$DIR/rapid-client.node" ] && [ -f "$PREFIX/.complete" ]; }

reuse_cached "$DIR" "$PACKAGE $RIC_VERSION already built in $DIR"
command -v npm >/dev/null 2>&1 || die "npm not found on PATH"
for tool in cmake make cc c++; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH: $PACKAGE builds curl, aws-lambda-cpp and a native addon"
done
NODE_BIN=$(bash "$SCRIPT_DIR/ensure-node.sh" | tail -1)
NODE_DIR=$(dirname "$NODE_BIN")
[ -d "$NODE_DIR/include/node" ] || die "no Node.js headers in $NODE_DIR/include/node to build the native addon against"
lock_install "$CACHE_ROOT/.ric.lock" "$DIR" "$PACKAGE $RIC_VERSION was built by a concurrent run"
log "installing $PACKAGE@$RIC_VERSION into $PREFIX and building it"
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
fail() {
  rm -rf "$PREFIX"
  die "$1"
}
npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --loglevel=error --ignore-scripts "$PACKAGE@$RIC_VERSION" >&2 ||
  fail "could not install $PACKAGE@$RIC_VERSION from the npm registry (see npm's output above)"
# The package's own build, as `npm install` would run it; node-gyp comes from its dependencies.
(
  cd "$DIR"
  export PATH="$NODE_BIN:$PREFIX/node_modules/.bin:$PATH" npm_config_nodedir="$NODE_DIR"
  sh scripts/preinstall.sh && sh scripts/postinstall.sh
) >&2 || fail "building $PACKAGE failed (see the output above)"
[ -f "$DIR/rapid-client.node" ] || fail "the build left no rapid-client.node"
touch "$PREFIX/.complete"
log "built $PACKAGE $RIC_VERSION in $DIR"
provide "$DIR"
