# Sourced by the scripts/ensure-*.sh: what every tool install shares. Before sourcing, a script sets TOOL (its name
# in messages) and, where it caches an install, defines `complete`: true once the install is there, whole, and of the
# pinned release. Each ensure script prints the directory it provides on the last line of stdout; progress and
# errors go to stderr.

log() { printf 'ensure-%s: %s\n' "$TOOL" "$*" >&2; }
die() { printf 'ensure-%s: ERROR: %s\n' "$TOOL" "$*" >&2; exit 1; }

# provide DIR: prints DIR for the caller and ends the script.
provide() {
  printf '%s\n' "$1"
  exit 0
}

# reuse_cached DIR MESSAGE: when the install is complete, logs MESSAGE and provides DIR.
reuse_cached() {
  if complete; then
    log "$2"
    provide "$1"
  fi
}

# lock_install LOCKFILE DIR MESSAGE: serialises concurrent installs on LOCKFILE (with flock, where there is one), so
# that two set-ups never install into one directory at once. The run that waited provides DIR, logging MESSAGE, when
# the other left a complete install; otherwise it goes on to install, holding the lock until it exits.
lock_install() {
  mkdir -p "$(dirname "$1")"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$1"
  flock 9
  reuse_cached "$2" "$3"
}
