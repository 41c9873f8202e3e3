#!/usr/bin/env bash
# Push latency with and without a garbage collection running beside it, on PostgreSQL metadata with 10,000 manifests
# (see collection_while_pushing.py). Usage: benchmarks/collection-while-pushing.sh [--manifests N] [--pushes N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
fi

dotnet build "$root/src/OciRegistry.Server/OciRegistry.Server.csproj" -c Release -nologo -v quiet
exec python3 "$root/benchmarks/collection_while_pushing.py" \
  --server-dll "$root/src/OciRegistry.Server/bin/Release/net10.0/OciRegistry.Server.dll" "$@"
