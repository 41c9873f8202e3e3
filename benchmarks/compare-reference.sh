#!/usr/bin/env bash
# Measures this registry against CNCF Distribution (Debian's docker-registry) on the same HTTP workload, one server at
# a time, and prints ours / theirs per scenario. Usage: benchmarks/compare-reference.sh [--quick] [--runs N]
#   [--only ours|reference] [--markdown FILE] [--postgres: our metadata in PostgreSQL]
#   [--notified-cache off|on|both: with --postgres, ours without and/or with the notified manifest cache]
#   [--baseline-dll DLL: another build of the server (e.g. the commit before a change), measured in the same run]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v wrk >/dev/null || missing+=(wrk)
command -v ab >/dev/null || missing+=(apache2-utils)
command -v curl >/dev/null || missing+=(curl)
if [[ " $* " == *" --postgres "* ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  missing+=(postgresql)
fi
if [[ " $* " == *" --store azure "* ]] && ! command -v azurite-blob >/dev/null; then
  npm install -g azurite
fi
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

dotnet build "$root/src/OciRegistry.Server/OciRegistry.Server.csproj" -c Release -nologo -v quiet
bound=()
if [[ " $* " == *" --store azure "* ]]; then
  dotnet build "$root/benchmarks/OciRegistry.Benchmarks/OciRegistry.Benchmarks.csproj" -c Release -nologo -v quiet
  bound=(--benchmarks-dll "$root/benchmarks/OciRegistry.Benchmarks/bin/Release/net10.0/OciRegistry.Benchmarks.dll")
fi
exec python3 "$root/benchmarks/compare_reference.py" \
  --server-dll "$root/src/OciRegistry.Server/bin/Release/net10.0/OciRegistry.Server.dll" "${bound[@]}" "$@"
