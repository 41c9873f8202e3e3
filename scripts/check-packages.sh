#!/usr/bin/env bash
# Packs every src project, then uses the packages the way a stranger would: a fresh web project in a temp folder
# that references them from the packed folder (plus nuget.org), hosts a registry with AddOciRegistry/MapOciRegistry
# on 127.0.0.1:0 and answers GET /v2/ with 200 and a blob push with 201; the same project starts an
# InProcessRegistry from OciRegistry.Testing(.Xunit) and seeds it; and the OciRegistry.Server tool is installed
# from the packed folder and answers GET /v2/. Exits non-zero on any failure. Usage: scripts/check-packages.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d -t oci-registry-packages-XXXXXX)"
# A version no earlier run used, so restore cannot pick a stale copy from the global packages folder.
suffix="check.$(date +%s).$$"
server_pid=""
nuget_cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"

# A `dotnet run` leaves its data in src/OciRegistry.Server/registry-data; packing must not pick it up.
run_data_probe="$repo/src/OciRegistry.Server/registry-data/check-packages-probe.json"

cleanup() {
  rm -f "$run_data_probe"
  rmdir --ignore-fail-on-non-empty "$(dirname "$run_data_probe")" 2>/dev/null || true
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  for package in "$nuget_cache"/ociregistry.*; do
    [[ -d "$package" ]] && rm -rf "$package"/*-"$suffix" && rmdir --ignore-fail-on-non-empty "$package"
  done
  return 0
}
trap cleanup EXIT

fail() { echo "check-packages: FAIL: $*" >&2; exit 1; }
step() { echo "check-packages: $*"; }

# Waits for "<marker><url>" in a log file written by a background process; prints the URL.
wait_for_url() {
  local log="$1" pattern="$2" pid="$3"
  for _ in $(seq 1 600); do
    if url="$(grep -oE "$pattern" "$log" | head -n1 | grep -oE 'http://[^ ]+')" && [[ -n "$url" ]]; then
      echo "${url%/}"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "process $pid exited before listening"; }
    sleep 0.1
  done
  cat "$log" >&2
  fail "no listening address in $log after 60 s"
}

expect_status() {
  local expected="$1" what="$2"; shift 2
  local status
  status="$(curl -sS -o /dev/null -w '%{http_code}' -H 'Expect:' "$@")" || fail "$what: curl failed"
  [[ "$status" == "$expected" ]] || fail "$what: expected $expected, got $status"
  step "$what -> $status"
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

packages="$work/packages"
step "packing src/* into $packages (version suffix $suffix)"
mkdir -p "$(dirname "$run_data_probe")" && echo '{}' > "$run_data_probe"
for project in "$repo"/src/*/*.csproj; do
  dotnet pack "$project" -c Release -o "$packages" --version-suffix "$suffix" --nologo -v quiet \
    || fail "dotnet pack $project"
done
for name in OciRegistry.Core OciRegistry.AspNetCore OciRegistry.Storage.FileSystem OciRegistry.Testing OciRegistry.Testing.Xunit OciRegistry.Testing.XunitV3 OciRegistry.Server; do
  compgen -G "$packages/$name.*-$suffix.nupkg" >/dev/null || fail "no package $name"
  compgen -G "$packages/$name.*-$suffix.snupkg" >/dev/null || fail "no symbol package $name"
done
core_package="$(basename "$(compgen -G "$packages/OciRegistry.Core.*-$suffix.nupkg")")"
version="${core_package#OciRegistry.Core.}"
version="${version%.nupkg}"
for package in "$packages"/*.nupkg; do
  listing="$(unzip -l "$package")"
  grep -q ' README.md$' <<<"$listing" || fail "$(basename "$package") has no README.md"
  id="$(basename "$package" ".$version.nupkg")"
  [[ "$(unzip -p "$package" README.md | head -n1)" == "# $id" ]] || fail "$(basename "$package") does not have its own README.md (first line '# $id')"
  grep -q ' icon.png$' <<<"$listing" || fail "$(basename "$package") has no icon.png"
  unzip -p "$package" '*.nuspec' | grep -qE '<repository type="git" url="[^"]+"[^>]* commit="[0-9a-f]{40}"' \
    || fail "$(basename "$package") names no repository commit (SourceLink, PublishRepositoryUrl)"
  unzip -p "$package" '*.nuspec' | grep -q '<license type="expression">' || fail "$(basename "$package") has no licence expression"
  if ! grep -q 'tools/' <<<"$listing"; then
    grep -qE 'lib/net[0-9.]+/[^ ]+\.xml$' <<<"$listing" || fail "$(basename "$package") has no XML docs"
  fi
done
unzip -p "$packages/OciRegistry.Server.$version.nupkg" '*.nuspec' | grep -q 'DotnetTool' || fail "OciRegistry.Server is not a dotnet tool package"
if unzip -l "$packages/OciRegistry.Server.$version.nupkg" | grep -q 'registry-data'; then
  fail "OciRegistry.Server packs the working folder registry-data"
fi
step "packed version $version: own README, icon, repository commit, licence, XML docs and symbols present"

consumer="$work/consumer"
mkdir -p "$consumer"
# Stop MSBuild and NuGet from finding anything of the repository or of parent folders.
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Build.targets"
echo '<Project />' > "$work/Directory.Packages.props"
cat > "$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="packed" value="$packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
EOF

step "creating a fresh web project and adding the packages"
dotnet new web -o "$consumer" -n Consumer --no-restore >/dev/null || fail "dotnet new web"
for name in OciRegistry.AspNetCore OciRegistry.Storage.FileSystem OciRegistry.Testing.Xunit; do
  (cd "$consumer" && dotnet add package "$name" --version "$version" --source "$packages" >/dev/null) || fail "dotnet add package $name"
done
cat > "$consumer/Program.cs" <<'EOF'
using OciRegistry.Testing;

if (args is ["in-process"])
{
    await using var registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
    var image = await registry.Seeder.PushImageAsync("check/app", "1.0", [[1, 2, 3]]);
    using var manifest = await registry.Client.GetAsync(new Uri($"v2/check/app/manifests/{image.ManifestDigest}", UriKind.Relative));
    Console.WriteLine($"in-process {registry.BaseAddress} manifest {image.ManifestDigest} -> {(int)manifest.StatusCode}");
    return manifest.IsSuccessStatusCode ? 0 : 1;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddOciRegistry().AddFileSystemStorage(o => o.RootPath = builder.Configuration["RootPath"] ?? "registry-data");
var app = builder.Build();
app.MapOciRegistry();
await app.StartAsync();
Console.WriteLine($"LISTENING {app.Urls.First()}");
await app.WaitForShutdownAsync();
return 0;
EOF
dotnet build "$consumer" -c Release --nologo -v quiet -o "$consumer/out" || fail "the consumer does not build against the packages"

step "hosting a registry in the consumer"
"$consumer/out/Consumer" --urls http://127.0.0.1:0 --RootPath "$work/consumer-data" > "$work/consumer.log" 2>&1 &
server_pid=$!
url="$(wait_for_url "$work/consumer.log" 'LISTENING http://[^ ]+' "$server_pid")"
expect_status 200 "consumer GET /v2/" "$url/v2/"
blob_digest="sha256:$(printf 'hello registry' | sha256sum | cut -d' ' -f1)"
expect_status 201 "consumer blob push" -X POST --data-binary 'hello registry' -H 'Content-Type: application/octet-stream' \
  "$url/v2/check/app/blobs/uploads/?digest=$blob_digest"
expect_status 200 "consumer blob pull" "$url/v2/check/app/blobs/$blob_digest"
stop_server

step "starting an InProcessRegistry from the Testing packages"
"$consumer/out/Consumer" in-process || fail "InProcessRegistry from the package"

step "installing the OciRegistry.Server tool"
(cd "$work" && dotnet tool install OciRegistry.Server --version "$version" --tool-path "$work/tool" --add-source "$packages" >/dev/null) \
  || fail "dotnet tool install OciRegistry.Server"
"$work/tool/oci-registry" serve --urls http://127.0.0.1:0 --OciRegistry:Storage:RootPath "$work/tool-data" > "$work/tool.log" 2>&1 &
server_pid=$!
url="$(wait_for_url "$work/tool.log" 'Now listening on: http://[^ ]+' "$server_pid")"
expect_status 200 "oci-registry tool GET /v2/" "$url/v2/"
stop_server

step "OK: every package packs, installs and serves"
