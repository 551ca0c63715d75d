#!/usr/bin/env bash
# Make a working Pulumi CLI available and print the directory that holds it
# on the last line of stdout (progress goes to stderr):
#
#   PULUMI_BIN=$(scripts/ensure-pulumi.sh | tail -1)
#   export PATH="$PULUMI_BIN:$PATH"
#
# 1. A `pulumi` already on PATH at >= PULUMI_VERSION is used as it is.
# 2. Otherwise PULUMI_VERSION is built from source with Go into
#    ${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}/pulumi-<version>/bin, next to
#    pulumi-language-nodejs and the dynamic-provider shim from the
#    @pulumi/pulumi npm package. A complete earlier build is reused as it is.
#
# Needs: Go >= 1.25.11 (GOTOOLCHAIN=local is fine), access to the Go module
# proxy for the first build, and `npm ci` done (node_modules/@pulumi/pulumi).
#
# The Node.js language host comes from github.com/pulumi/pulumi/sdk/v3 at
# LANGHOST_SDK_VERSION. Later releases moved it into a module of its own
# (sdk/nodejs/cmd/pulumi-language-nodejs/v3), which has no tags and which the
# Go module proxy we can reach does not serve at any version. v3.68.0 is the
# newest sdk/v3 release on the proxy that still carries it as a package; the
# language host protocol is stable, and the end-to-end tests run it with the
# PULUMI_VERSION CLI and @pulumi/pulumi from npm.
set -euo pipefail

PULUMI_VERSION=v3.248.0          # keep equal to the @pulumi/pulumi npm pin
LANGHOST_SDK_VERSION=v3.68.0     # see above
MIN_GO_VERSION=1.25.11           # the "go" line of pulumi's go.mod files

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
NPM_PULUMI=$REPO_ROOT/node_modules/@pulumi/pulumi

CACHE_ROOT=${APIKEYS_CACHE_DIR:-$HOME/.cache/apikeys}
PREFIX=$CACHE_ROOT/pulumi-$PULUMI_VERSION-nodejs-$LANGHOST_SDK_VERSION
BIN=$PREFIX/bin
SRC=$PREFIX/src
LANGHOST_SRC=$PREFIX/src-language-nodejs

VERSION_PKG=github.com/pulumi/pulumi/sdk/v3/go/common/version
PKG_MODULE=github.com/pulumi/pulumi/pkg/v3
SDK_MODULE=github.com/pulumi/pulumi/sdk/v3
CLI_PACKAGE=$PKG_MODULE/cmd/pulumi
LANGHOST_PACKAGE=$SDK_MODULE/nodejs/cmd/pulumi-language-nodejs

TOOL=pulumi
# shellcheck source=scripts/toolCache.sh
. "$SCRIPT_DIR/toolCache.sh"

# semver_ge A B: true when A >= B (leading "v" and any -pre/+build suffix ignored).
semver_ge() {
  local a=${1#v} b=${2#v}
  a=${a%%[-+]*}; b=${b%%[-+]*}
  [ "$(printf '%s\n%s\n' "$a" "$b" | sort -t. -k1,1n -k2,2n -k3,3n | head -n1)" = "$b" ]
}

# pulumi_version PATH: the version a pulumi binary reports ("" when it cannot run).
pulumi_version() {
  PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null | tail -n1 | tr -d '[:space:]' || true
}

# --- 1. a pulumi already on PATH -------------------------------------------
if existing=$(command -v pulumi 2>/dev/null); then
  v=$(pulumi_version "$existing")
  if [[ $v =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]] && semver_ge "$v" "$PULUMI_VERSION"; then
    dir=$(cd "$(dirname "$existing")" && pwd)
    log "using pulumi $v already on PATH"
    provide "$dir"
  fi
  log "pulumi on PATH ($existing) reports '${v:-nothing}', need >= $PULUMI_VERSION; using the cached build"
fi

# --- 2. a complete earlier build in the cache ------------------------------
complete() {
  [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-language-nodejs" ] \
    && [ -x "$BIN/pulumi-resource-pulumi-nodejs" ] \
    && [ "$(pulumi_version "$BIN/pulumi")" = "$PULUMI_VERSION" ]
}

reuse_cached "$BIN" "pulumi $PULUMI_VERSION already built in $BIN"

# --- 3. build from source ---------------------------------------------------
command -v go >/dev/null 2>&1 \
  || die "Go toolchain not found on PATH: building pulumi $PULUMI_VERSION needs Go >= $MIN_GO_VERSION; or install a released pulumi CLI ($PULUMI_VERSION or later) and put it on PATH, which is used as it is"
go_version=$(go env GOVERSION 2>/dev/null) || die "'go env GOVERSION' failed"
go_version=${go_version#go}
semver_ge "$go_version" "$MIN_GO_VERSION" \
  || die "Go $go_version is too old: pulumi $PULUMI_VERSION needs Go >= $MIN_GO_VERSION"
[ -f "$NPM_PULUMI/pulumi-resource-pulumi-nodejs" ] \
  || die "$NPM_PULUMI/pulumi-resource-pulumi-nodejs not found: run 'npm ci' in $REPO_ROOT first"
lock_install "$PREFIX/.lock" "$BIN" "pulumi $PULUMI_VERSION was built by a concurrent run"

start=$SECONDS
log "building pulumi $PULUMI_VERSION from source with Go $go_version into $BIN (first build takes a while)"

export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
export CGO_ENABLED=0
export GOTOOLCHAIN=local

# Wrapper module: pins pulumi pkg/sdk at the release.
rm -rf "$SRC"
mkdir -p "$SRC"
cd "$SRC"
cat >go.mod <<EOF
module apikeys.local/pulumi-cli

go $MIN_GO_VERSION

require (
	$PKG_MODULE $PULUMI_VERSION
	$SDK_MODULE $PULUMI_VERSION
)
EOF

log "downloading $PKG_MODULE@$PULUMI_VERSION"
pkg_gomod=$(go mod download -json "$PKG_MODULE@$PULUMI_VERSION" | awk -F'"' '$2 == "GoMod" { print $4 }') \
  || die "could not download $PKG_MODULE@$PULUMI_VERSION from the Go module proxy"
[ -f "$pkg_gomod" ] || die "go.mod of $PKG_MODULE@$PULUMI_VERSION not found in the module cache"

# Copy pkg's replace directives that point at other modules (not at ../sdk).
replaces=()
while IFS= read -r line; do
  left=${line%%=>*}; right=${line#*=>}
  read -r old oldver <<<"$left"
  read -r new newver <<<"$right"
  case $new in .* | /*) continue ;; esac
  replaces+=("-replace=$old${oldver:+@$oldver}=$new${newver:+@$newver}")
  log "replace $old${oldver:+ $oldver} => $new${newver:+ $newver}"
done < <(awk '
  { sub(/\/\/.*/, "") }
  /^replace[ \t]*\(/ { inblk = 1; next }
  inblk && /^[ \t]*\)/ { inblk = 0; next }
  inblk && /=>/ { print; next }
  /^replace[ \t]/ && /=>/ { sub(/^replace[ \t]+/, ""); print }
' "$pkg_gomod")
if [ ${#replaces[@]} -gt 0 ]; then
  go mod edit "${replaces[@]}"
fi

ldflags="-X $VERSION_PKG.Version=$PULUMI_VERSION"
stage=$PREFIX/bin.partial
rm -rf "$stage"
mkdir -p "$stage"

log "go build $CLI_PACKAGE"
go build -trimpath -ldflags "$ldflags" -o "$stage/pulumi" "$CLI_PACKAGE" \
  || die "go build of $CLI_PACKAGE@$PULUMI_VERSION failed (see the Go output above; build dir $SRC)"
# The language host in a module of its own, so its older dependency graph does not mix with the CLI's.
rm -rf "$LANGHOST_SRC"
mkdir -p "$LANGHOST_SRC"
cd "$LANGHOST_SRC"
printf 'module apikeys.local/pulumi-language-nodejs\n\ngo 1.21\n' >go.mod
log "go get $LANGHOST_PACKAGE@$LANGHOST_SDK_VERSION"
go get "$LANGHOST_PACKAGE@$LANGHOST_SDK_VERSION" >&2 \
  || die "could not download $SDK_MODULE@$LANGHOST_SDK_VERSION from the Go module proxy"
log "go build pulumi-language-nodejs"
go build -trimpath -ldflags "-X $VERSION_PKG.Version=$LANGHOST_SDK_VERSION" -o "$stage/pulumi-language-nodejs" "$LANGHOST_PACKAGE" \
  || die "go build of $LANGHOST_PACKAGE@$LANGHOST_SDK_VERSION failed (see the Go output above; build dir $LANGHOST_SRC)"

# Dynamic-provider (and, if shipped, policy analyzer) shims from the npm package.
for shim in pulumi-resource-pulumi-nodejs pulumi-analyzer-policy; do
  if [ -f "$NPM_PULUMI/$shim" ]; then
    install -m 0755 "$NPM_PULUMI/$shim" "$stage/$shim"
  fi
done

built=$(pulumi_version "$stage/pulumi")
[ "$built" = "$PULUMI_VERSION" ] \
  || die "built pulumi reports '${built:-nothing}' instead of $PULUMI_VERSION"

rm -rf "$BIN"
mv "$stage" "$BIN"
log "built pulumi $PULUMI_VERSION in $((SECONDS - start)) s"
provide "$BIN"
