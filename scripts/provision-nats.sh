#!/usr/bin/env bash
# Find a nats-server that Ordo supports (2.10.23 or newer) or, on Debian and Ubuntu,
# provision one into .tools/nats-server/<series>/ from Debian's package archive.
#
# Lookup order: $ORDO_NATS_SERVER, then `nats-server` on the PATH, then
# .tools/nats-server/<series>/nats-server. When none fits, the script downloads the
# nats-server .deb with `apt-get download` and unpacks it with `dpkg -x`. Both run against
# temporary apt state, cache and source lists, so the system's apt configuration and its
# installed packages stay unchanged. Nothing is downloaded from anywhere but the archive.
#
# Usage: scripts/provision-nats.sh [--series latest|2.10]
#   --series latest  the newest build the archive offers (default; Debian unstable, then trixie)
#   --series 2.10    a 2.10.x build (Debian trixie), for testing on the oldest supported line
# Prints the binary's path on stdout and progress on stderr. Exits non-zero when it finds or
# provisions nothing usable.
set -euo pipefail

readonly MIN_VERSION=2.10.23
readonly FALLBACK_MIRROR=http://deb.debian.org/debian
readonly DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
series=latest

# Progress goes to stderr, so functions can print their results on stdout.
log() {
  printf 'provision-nats: %s\n' "$*" >&2
}

fail() {
  printf 'provision-nats: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat <<EOF
Usage: scripts/provision-nats.sh [--series latest|2.10]
  --series latest  the newest build the archive offers (default; Debian unstable, then trixie)
  --series 2.10    a 2.10.x build (Debian trixie), for testing on the oldest supported line
EOF
}

parse_args() {
  while (($# > 0)); do
    case "$1" in
      --series)
        (($# >= 2)) || fail "--series needs a value: latest or 2.10"
        series=$2
        shift 2
        ;;
      --series=*)
        series=${1#--series=}
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *)
        fail "unknown argument '$1'; run with --help for usage"
        ;;
    esac
  done

  case "$series" in
    latest | 2.10) ;;
    *) fail "invalid --series '$series'; use latest or 2.10" ;;
  esac
}

# Prints the x.y.z version that `nats-server --version` reports ("nats-server: v2.10.27"),
# or nothing when the binary does not run.
version_of() {
  "$1" --version 2>/dev/null | sed -n 's/.*v\([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -n 1
}

# Succeeds when version $1 >= version $2 (both x.y.z, compared numerically part by part).
version_at_least() {
  local -a have want
  IFS=. read -r -a have <<<"$1"
  IFS=. read -r -a want <<<"$2"
  local i
  for i in 0 1 2; do
    if ((10#${have[i]:-0} > 10#${want[i]:-0})); then return 0; fi
    if ((10#${have[i]:-0} < 10#${want[i]:-0})); then return 1; fi
  done
  return 0
}

series_matches() {
  [[ "$series" == latest || "$1" == "$series".* ]]
}

# Checks one candidate binary. Prints its version and succeeds when it is usable for the
# requested series. Otherwise logs why it was skipped and fails.
check_candidate() {
  local binary=$1 origin=$2 version

  version=$(version_of "$binary")
  if [[ -z "$version" ]]; then
    log "skipping $binary ($origin): '$binary --version' printed no version"
    return 1
  fi

  if ! version_at_least "$version" "$MIN_VERSION"; then
    log "skipping $binary ($origin): version $version is older than the minimum $MIN_VERSION"
    return 1
  fi

  if ! series_matches "$version"; then
    log "skipping $binary ($origin): version $version is not in the requested $series series"
    return 1
  fi

  printf '%s\n' "$version"
}

report_found() {
  log "using nats-server $2 at $1"
  printf '%s\n' "$1"
}

# Looks in $ORDO_NATS_SERVER, the PATH and .tools/, and succeeds after reporting the first fit.
find_existing() {
  local binary version

  if [[ -n "${ORDO_NATS_SERVER:-}" ]]; then
    binary=$ORDO_NATS_SERVER
    [[ -f "$binary" && -x "$binary" ]] ||
      fail "ORDO_NATS_SERVER=$binary is not an executable file; point it at nats-server $MIN_VERSION or newer, or unset it"
    log "found $binary (ORDO_NATS_SERVER)"
    version=$(version_of "$binary")
    [[ -n "$version" ]] ||
      fail "ORDO_NATS_SERVER=$binary printed no version for --version; point it at a nats-server binary or unset it"
    if ! version_at_least "$version" "$MIN_VERSION"; then
      fail "ORDO_NATS_SERVER=$binary is nats-server $version, older than the minimum $MIN_VERSION; point it at a newer binary or unset it"
    fi
    if version=$(check_candidate "$binary" ORDO_NATS_SERVER); then
      report_found "$binary" "$version"
      return 0
    fi
  fi

  if binary=$(command -v nats-server); then
    log "found $binary (PATH)"
    if version=$(check_candidate "$binary" PATH); then
      report_found "$binary" "$version"
      return 0
    fi
  fi

  binary="$repo_root/.tools/nats-server/$series/nats-server"
  if [[ -x "$binary" ]]; then
    log "found $binary (.tools)"
    if version=$(check_candidate "$binary" .tools); then
      report_found "$binary" "$version"
      return 0
    fi
  fi

  return 1
}

print_manual_install() {
  cat >&2 <<EOF
provision-nats: error: this machine has no apt-get/dpkg, so nats-server cannot be provisioned automatically.
Install nats-server $MIN_VERSION or newer yourself, for example:
  macOS (Homebrew):  brew install nats-server
  Go toolchain:      go install github.com/nats-io/nats-server/v2@latest
  any platform:      a release archive from the NATS project's GitHub releases page
Then do one of:
  - put nats-server on the PATH,
  - export ORDO_NATS_SERVER=/path/to/nats-server,
  - copy the binary to $repo_root/.tools/nats-server/$series/nats-server
EOF
}

# Prints the URI of a Debian mirror from the machine's apt sources: the first entry whose
# suite is a Debian release (not -security or -updates) and whose components include main.
# Reads both the one-line format (sources.list, *.list) and deb822 (*.sources).
find_debian_mirror() {
  local debian_suites='^(sid|unstable|experimental|testing|stable|oldstable|oldoldstable|buster|bullseye|bookworm|trixie|forky|duke)$'
  local file
  local -a one_line_files=() deb822_files=()

  [[ -f /etc/apt/sources.list ]] && one_line_files+=(/etc/apt/sources.list)
  for file in /etc/apt/sources.list.d/*.list; do
    [[ -f "$file" ]] && one_line_files+=("$file")
  done
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$file" ]] && deb822_files+=("$file")
  done

  {
    if ((${#deb822_files[@]} > 0)); then
      awk -v suites="$debian_suites" '
        function flush() {
          if (types ~ /(^| )deb( |$)/ && enabled !~ /^no$/ && components ~ /(^| )main( |$)/) {
            n = split(suite_list, s, " ")
            for (i = 1; i <= n; i++) if (s[i] ~ suites) { split(uris, u, " "); print u[1]; break }
          }
          types = uris = suite_list = components = ""; enabled = "yes"
        }
        BEGIN { enabled = "yes" }
        /^[[:space:]]*$/ { flush(); next }
        /^[[:space:]]*#/ { next }
        tolower($1) == "types:" { sub(/^[^:]*:[[:space:]]*/, ""); types = $0 }
        tolower($1) == "uris:" { sub(/^[^:]*:[[:space:]]*/, ""); uris = $0 }
        tolower($1) == "suites:" { sub(/^[^:]*:[[:space:]]*/, ""); suite_list = $0 }
        tolower($1) == "components:" { sub(/^[^:]*:[[:space:]]*/, ""); components = $0 }
        tolower($1) == "enabled:" { sub(/^[^:]*:[[:space:]]*/, ""); enabled = tolower($0) }
        END { flush() }
      ' "${deb822_files[@]}"
    fi
    if ((${#one_line_files[@]} > 0)); then
      awk -v suites="$debian_suites" '
        $1 != "deb" { next }
        {
          sub(/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?/, "")
          uri = $1; suite = $2; components = ""
          for (i = 3; i <= NF; i++) components = components " " $i
          if (suite ~ suites && components ~ / main( |$)/) print uri
        }
      ' "${one_line_files[@]}"
    fi
  } | sed 's:/*$::' | head -n 1
}

# Downloads and unpacks nats-server from one suite into $work/unpack, and prints the
# unpacked binary's path. Fails when the suite has no nats-server package.
download_from_suite() {
  local mirror=$1 suite=$2 signed_by=""
  local -a apt_options=(
    -o "Dir::Etc::SourceList=$work/sources.list"
    -o Dir::Etc::SourceParts=/dev/null
    -o Dir::Etc::Preferences=/dev/null
    -o Dir::Etc::PreferencesParts=/dev/null
    -o "Dir::State=$work/state"
    -o "Dir::Cache=$work/cache"
    -o APT::Default-Release=
    -o Acquire::Languages=none
  )

  [[ -f "$DEBIAN_KEYRING" ]] && signed_by=" [signed-by=$DEBIAN_KEYRING]"
  printf 'deb%s %s %s main\n' "$signed_by" "$mirror" "$suite" >"$work/sources.list"
  rm -rf "$work/download"/*.deb "$work/unpack"

  log "reading the package index of Debian $suite from $mirror"
  if ! apt-get "${apt_options[@]}" -q update >&2; then
    log "apt-get update failed for $suite"
    return 1
  fi

  local candidate
  candidate=$(apt-cache "${apt_options[@]}" policy nats-server | sed -n 's/^ *Candidate: *//p')
  if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
    log "Debian $suite has no nats-server package for $(dpkg --print-architecture)"
    return 1
  fi

  log "downloading nats-server $candidate (.deb) from Debian $suite"
  if ! (cd "$work/download" && apt-get "${apt_options[@]}" -q download nats-server >&2); then
    log "apt-get download failed for $suite"
    return 1
  fi

  local deb
  deb=$(find "$work/download" -maxdepth 1 -name 'nats-server_*.deb' | head -n 1)
  [[ -n "$deb" ]] || { log "apt-get download left no .deb in $work/download"; return 1; }

  log "unpacking $(basename "$deb")"
  mkdir -p "$work/unpack"
  dpkg -x "$deb" "$work/unpack"

  local binary="$work/unpack/usr/sbin/nats-server"
  [[ -x "$binary" ]] || { log "$(basename "$deb") contains no usr/sbin/nats-server"; return 1; }
  printf '%s\n' "$binary"
}

prepare_work_dir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/ordo-nats-provision.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/state/lists/partial" "$work/cache/archives/partial" "$work/download"

  # As root, apt drops to the _apt user for downloads. Unless that user can write the lists,
  # archives and download folders, apt warns and downloads as root.
  if ((EUID == 0)) && id -u _apt >/dev/null 2>&1; then
    chmod 755 "$work"
    chown -R _apt "$work/state" "$work/cache" "$work/download"
  fi
}

install_binary() {
  local source=$1 version=$2
  local target_dir="$repo_root/.tools/nats-server/$series"
  local target="$target_dir/nats-server"

  mkdir -p "$target_dir"
  cp "$source" "$target.partial"
  chmod 755 "$target.partial"
  mv -f "$target.partial" "$target"

  local installed
  installed=$(version_of "$target")
  [[ "$installed" == "$version" ]] ||
    fail "$target reports version '${installed:-none}' after copying, expected $version"
  log "installed nats-server $installed at $target"
  printf '%s\n' "$target"
}

provision() {
  if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
    print_manual_install
    exit 1
  fi

  local mirror
  mirror=$(find_debian_mirror)
  if [[ -n "$mirror" ]]; then
    log "using the Debian mirror $mirror from this machine's apt sources"
  else
    mirror=$FALLBACK_MIRROR
    log "no Debian mirror in this machine's apt sources; using $mirror"
  fi

  local -a suites=(unstable trixie)
  [[ "$series" == 2.10 ]] && suites=(trixie)

  prepare_work_dir

  local suite binary version
  for suite in "${suites[@]}"; do
    if binary=$(download_from_suite "$mirror" "$suite") &&
      version=$(check_candidate "$binary" "Debian $suite"); then
      install_binary "$binary" "$version"
      return 0
    fi
  done

  fail "no usable nats-server $MIN_VERSION+ ($series series) in Debian ${suites[*]} at $mirror.
If the downloads failed, check that $mirror is reachable. On Ubuntu, apt may also need
Debian's signing keys: install the debian-archive-keyring package and run this script again.
Otherwise install nats-server yourself and set ORDO_NATS_SERVER=/path/to/nats-server."
}

main() {
  parse_args "$@"
  log "looking for nats-server $MIN_VERSION or newer ($series series)"

  if find_existing; then
    exit 0
  fi

  log "no usable nats-server found; provisioning one into .tools/nats-server/$series/"
  provision
}

main "$@"
