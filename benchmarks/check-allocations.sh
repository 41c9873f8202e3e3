#!/usr/bin/env bash
# Runs every benchmark named in allocation-budget.json ("Type.Method": max bytes allocated per operation)
# and fails when one allocates more than its budget, or did not run at all.
# Usage: benchmarks/check-allocations.sh [extra BenchmarkDotNet arguments, default: --job short]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
budget="$here/allocation-budget.json"
artifacts="$(mktemp -d)"
trap 'rm -rf "$artifacts"' EXIT

job_args=("$@")
if [ ${#job_args[@]} -eq 0 ]; then
  job_args=(--job short)
fi

mapfile -t filters < <(python3 -c 'import json,sys; [print("*." + k) for k in json.load(open(sys.argv[1]))]' "$budget")

dotnet run -c Release --project "$here/OciRegistry.Benchmarks" -- \
  --filter "${filters[@]}" --exporters json --artifacts "$artifacts" "${job_args[@]}"

python3 - "$budget" "$artifacts/results" <<'PY'
import glob, json, os, sys

budget = json.load(open(sys.argv[1]))
seen, failures = set(), []
for report in glob.glob(os.path.join(sys.argv[2], "*-report*.json")):
    for bench in json.load(open(report))["Benchmarks"]:
        key = f'{bench["Type"]}.{bench["Method"]}'
        name = f'{key}({bench["Parameters"]})' if bench["Parameters"] else key
        allocated = (bench.get("Memory") or {}).get("BytesAllocatedPerOperation")
        if key not in budget:
            continue
        seen.add(key)
        if allocated is None:
            failures.append(f"{name}: no allocation measured (is [MemoryDiagnoser] on the class?)")
        elif allocated > budget[key]:
            failures.append(f"{name}: {allocated} B allocated per operation, budget {budget[key]} B")
        else:
            print(f"ok   {name}: {allocated} B <= {budget[key]} B")

failures += [f"{key}: did not run" for key in sorted(set(budget) - seen)]
for failure in failures:
    print(f"FAIL {failure}")
sys.exit(1 if failures else 0)
PY
