#!/usr/bin/env bash
# Pull-through mirrors side by side on one upstream: straight from the upstream, through our mirror, through CNCF
# Distribution 2.8.2 in proxy mode; cold, warm and sixteen concurrent cold pulls with the upstream's fetch count.
# With --relay-bound, also the bound on this machine: a bare .NET relay of the upstream (benchmarks/OciRegistry.Benchmarks).
# Usage: benchmarks/compare-mirror.sh [--size-mib 1024] [--runs 3] [--clients 16] [--markdown FILE] [--baseline-dll DLL]
#                                     [--relay-bound]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

args=()
for arg in "$@"; do
  if [[ "$arg" == --relay-bound ]]; then
    dotnet build "$root/benchmarks/OciRegistry.Benchmarks/OciRegistry.Benchmarks.csproj" -c Release -nologo -v quiet
    args+=(--relay-dll "$root/benchmarks/OciRegistry.Benchmarks/bin/Release/net10.0/OciRegistry.Benchmarks.dll")
  else
    args+=("$arg")
  fi
done

dotnet build "$root/src/OciRegistry.Server/OciRegistry.Server.csproj" -c Release -nologo -v quiet
exec python3 "$root/benchmarks/compare_mirror.py" \
  --server-dll "$root/src/OciRegistry.Server/bin/Release/net10.0/OciRegistry.Server.dll" "${args[@]}"
