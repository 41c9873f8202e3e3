#!/usr/bin/env bash
# InProcessRegistry's start (to the first 200 from GET /v2/) beside go-containerregistry's pkg/registry, the fixture
# Go tests use: each program runs RUNS times (default 10), each run a fresh process whose first start is timed, then
# 200 warm starts. Prints the median over the runs of each figure. Kestrel ↔ Go's httptest.NewServer (loopback
# socket); in-memory (TestServer) ↔ Go's handler called directly.
# The Go side needs Go (apt-get install golang-go) and go-containerregistry's source: GGCR_SOURCE=<a checkout>, else
# Debian's golang-github-google-go-containerregistry-dev (/usr/share/gocode, not in Debian 12). Without them it says
# so and measures the .NET side only. Usage: benchmarks/fixture-startup/run.sh [RUNS]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runs="${1:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build "$here/OciRegistry.FixtureStartup" -c Release -nologo -v quiet -o "$work/dotnet" >/dev/null

source="${GGCR_SOURCE:-/usr/share/gocode/src/github.com/google/go-containerregistry}"
go_program=""
if command -v go >/dev/null 2>&1 && [ -d "$source/pkg/registry" ]; then
  # GOPATH mode builds against the source as it is: no module download, any Go from 1.19 on.
  mkdir -p "$work/gopath/src/github.com/google" "$work/gopath/src/startup"
  ln -s "$(cd "$source" && pwd)" "$work/gopath/src/github.com/google/go-containerregistry"
  cp "$here/go-registry/main.go" "$work/gopath/src/startup/"
  (cd "$work/gopath/src/startup" && GO111MODULE=off GOPATH="$work/gopath" go build -o "$work/go-registry" .)
  go_program="$work/go-registry"
  echo "go-containerregistry: $(git -C "$source" log -1 --format='%h %cs' 2>/dev/null || echo "$source"), $(go version)"
else
  echo "go-containerregistry: not measured (needs 'go' and GGCR_SOURCE=<checkout>); issue #17 quotes 0.24-1.25 ms warm"
fi

# Runs "$@" $runs times and prints the median of each key=value figure it prints.
median_of_runs() {
  for _ in $(seq "$runs"); do "$@"; done | python3 -c '
import statistics, sys
runs = [dict(field.split("=") for field in line.split()) for line in sys.stdin if "=" in line]
print(" ".join(f"{key}={statistics.median(float(run[key]) for run in runs):g}" for key in runs[0]))'
}

echo "median of $runs fresh processes, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for transport in Kestrel InMemory; do
  printf '%-34s %s\n' "InProcessRegistry $transport" "$(median_of_runs dotnet "$work/dotnet/OciRegistry.FixtureStartup.dll" "$transport")"
done
if [ -n "$go_program" ]; then
  printf '%-34s %s\n' "go-containerregistry httptest" "$(median_of_runs "$go_program" socket)"
  printf '%-34s %s\n' "go-containerregistry handler" "$(median_of_runs "$go_program" handler)"
fi
