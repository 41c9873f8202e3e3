#!/usr/bin/env bash
# Records every change of the packages' public surface in their PublicAPI.Unshipped.txt: adds what RS0016 reports as
# new, removes what RS0017 reports as gone. Review the diff: it is the API change. Usage: scripts/update-public-api.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for project in OciRegistry.Core OciRegistry.Storage.FileSystem OciRegistry.Storage.AzureBlob OciRegistry.Storage.S3 OciRegistry.AspNetCore OciRegistry.Testing OciRegistry.Testing.Xunit OciRegistry.Server; do
  dir="$root/src/$project"
  log="$(dotnet build "$dir" -nologo 2>&1 || true)"
  added="$(grep -oE "RS0016: Symbol '.*' is not part of the declared public API" <<<"$log" | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API$/\1/" | sort -u || true)"
  removed="$(grep -oE "RS0017: Symbol '.*' is part of the declared API" <<<"$log" | sed -E "s/^RS0017: Symbol '(.*)' is part of the declared API$/\1/" | sort -u || true)"
  python3 - "$dir/PublicAPI.Unshipped.txt" "$added" "$removed" <<'PY'
import sys
path, added, removed = sys.argv[1], set(filter(None, sys.argv[2].split("\n"))), set(filter(None, sys.argv[3].split("\n")))
lines = [l for l in open(path).read().splitlines() if l and l != "#nullable enable"]
lines = sorted((set(lines) - removed) | added)
open(path, "w").write("#nullable enable\n" + "".join(l + "\n" for l in lines))
PY
  echo "$project: +$(grep -c . <<<"$added" || true) -$(grep -c . <<<"$removed" || true)"
done
