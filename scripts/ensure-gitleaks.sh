#!/usr/bin/env bash
# Make the gitleaks release the scanner-rule tests run against available and print the directory that holds it on
# the last line of stdout (progress goes to stderr):
#
#   GITLEAKS_BIN=$(scripts/ensure-gitleaks.sh | tail -1)
#   "$GITLEAKS_BIN/gitleaks" dir --config scanners/gitleaks.toml .
#
# `go install github.com/zricethezav/gitleaks/v8@GITLEAKS_VERSION` from the Go module proxy, with GOBIN in
# ${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}/gitleaks-<version>/bin; a complete earlier install is reused as it is.
# A gitleaks on PATH is not used: the tests pin the release whose rule syntax scanners/gitleaks.toml is checked with.
#
# Needs: Go (GOTOOLCHAIN=local is fine), and access to the Go module proxy for the first install.
set -euo pipefail

GITLEAKS_VERSION=v8.30.1
MODULE=github.com/zricethezav/gitleaks/v8

CACHE_ROOT=${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}
PREFIX=$CACHE_ROOT/gitleaks-$GITLEAKS_VERSION
BIN=$PREFIX/bin

TOOL=gitleaks
# shellcheck source=scripts/toolCache.sh
. "$(dirname "${BASH_SOURCE[0]}")/toolCache.sh"

# gitleaks built with `go install` has no version stamped in (that is a release build's ldflag), so a complete install
# is one whose module information names the pinned version.
complete() {
  [ -x "$BIN/gitleaks" ] && go version -m "$BIN/gitleaks" 2>/dev/null | awk '$1 == "mod" { print $3 }' | grep -qx "$GITLEAKS_VERSION"
}

command -v go >/dev/null 2>&1 || die "Go toolchain not found on PATH: gitleaks $GITLEAKS_VERSION is installed with go install"

reuse_cached "$BIN" "gitleaks $GITLEAKS_VERSION already in $BIN"
lock_install "$PREFIX/.lock" "$BIN" "gitleaks $GITLEAKS_VERSION was installed by a concurrent run"
start=$SECONDS
log "go install $MODULE@$GITLEAKS_VERSION into $BIN"
# Installed into a staging directory and moved, so an interrupted install never passes for a complete one.
stage=$PREFIX/bin.partial
rm -rf "$stage"
mkdir -p "$stage"
GOBIN=$stage GOTOOLCHAIN=local CGO_ENABLED=0 go install -trimpath "$MODULE@$GITLEAKS_VERSION" >&2 \
  || die "go install $MODULE@$GITLEAKS_VERSION failed (see the Go output above)"
rm -rf "$BIN"
mv "$stage" "$BIN"
complete || die "$BIN/gitleaks does not report module version $GITLEAKS_VERSION"
log "installed gitleaks $GITLEAKS_VERSION in $((SECONDS - start)) s"
provide "$BIN"
