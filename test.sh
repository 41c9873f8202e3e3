#!/usr/bin/env bash
# THE test command: installs the external commands the tests drive (tests/external-tools.txt), starts the services
# in scripts/services/, then runs `dotnet test OciRegistry.Core.sln` with any extra arguments passed through
# (e.g. ./test.sh -c Release --filter FullyQualifiedName~Interop).
# Exit codes: dotnet test's own (0 all passed, 1 a test failed); 3 a command is missing and cannot be installed
# here (not root, no sudo); 4 a service did not start.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# tests/Shared/ExternalTool.cs searches these folders too: daemons live in sbin, which a non-root PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

apt_packages=()
npm_packages=()
while read -r command package; do
  [[ -z "$command" || "$command" == \#* ]] && continue
  command -v "$command" >/dev/null 2>&1 && continue
  case "$package" in
    apt:*) apt_packages+=("${package#apt:}") ;;
    npm:*) npm_packages+=("${package#npm:}") ;;
    *) echo "test.sh: tests/external-tools.txt: '$command $package' is not '<command> apt:<package>' or '<command> npm:<package>'" >&2; exit 3 ;;
  esac
done < tests/external-tools.txt

if ((${#apt_packages[@]} + ${#npm_packages[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo)
  else
    echo "test.sh: the tests need packages that are not installed, and installing them needs root or password-less sudo:" >&2
    ((${#apt_packages[@]})) && echo "  apt-get install -y ${apt_packages[*]}" >&2
    ((${#npm_packages[@]})) && echo "  npm install -g ${npm_packages[*]}" >&2
    exit 3
  fi
  if ((${#apt_packages[@]})); then
    # Sort -u: one package may provide several commands (containerd and ctr). The lock timeout waits for another apt.
    mapfile -t apt_packages < <(printf '%s\n' "${apt_packages[@]}" | sort -u)
    echo "test.sh: installing ${apt_packages[*]}"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${apt_packages[@]}"
  fi
  if ((${#npm_packages[@]})); then
    echo "test.sh: installing ${npm_packages[*]} (npm)"
    "${as_root[@]}" npm install -g --no-fund --no-audit "${npm_packages[@]}"
  fi
fi

# Services the tests cannot start themselves: each scripts/services/NAME.sh takes `start` or `stop` (see the README
# there). Stopped again however the run ends.
started=()
stop_services() {
  for service in "${started[@]}"; do
    "$service" stop || echo "test.sh: $service stop failed" >&2
  done
}
trap stop_services EXIT
for service in scripts/services/*.sh; do
  [ -e "$service" ] || continue
  "$service" start || { echo "test.sh: $service start failed" >&2; exit 4; }
  started+=("$service")
done

dotnet test OciRegistry.Core.sln "$@"
