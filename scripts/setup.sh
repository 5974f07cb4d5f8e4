#!/usr/bin/env bash
# Install everything Ordo needs to build and test: the npm dependencies and a supported
# nats-server (see scripts/provision-nats.sh). Safe to run again, from any directory.
#
# Usage: bash scripts/setup.sh
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

log() {
  printf 'setup: %s\n' "$*"
}

# npm ci deletes node_modules before installing, so skip it while node_modules is newer than
# both package files. npm writes node_modules/.package-lock.json at the end of every install.
node_modules_current() {
  local marker=node_modules/.package-lock.json
  [[ -f "$marker" && "$marker" -nt package.json && "$marker" -nt package-lock.json ]]
}

install_npm_dependencies() {
  command -v npm >/dev/null || {
    printf 'setup: error: npm not found; install Node.js 20.10 or newer (with npm) first\n' >&2
    exit 1
  }

  if [[ ! -f package-lock.json ]]; then
    log "no package-lock.json; running npm install"
    npm install --no-audit --no-fund
  elif node_modules_current; then
    log "node_modules is up to date with package-lock.json; skipping npm ci (delete node_modules to force it)"
  else
    log "running npm ci"
    npm ci --no-audit --no-fund
  fi
}

main() {
  log "Node.js $(node --version 2>/dev/null || echo 'not found') in $repo_root"
  install_npm_dependencies

  local binary
  binary=$(bash scripts/provision-nats.sh)
  log "ready: $("$binary" --version) at $binary"
}

main "$@"
