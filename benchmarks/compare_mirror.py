#!/usr/bin/env python3
"""Pull-through mirrors side by side on one upstream (our server): pulling an image straight from the upstream, through
our mirror and through CNCF Distribution in proxy mode (docker-registry with proxy.remoteurl). Cold pull (empty
mirror), warm pull (second pull), and sixteen concurrent cold pulls of the same layer, counting at the upstream (its
request log) how often the layer was fetched. Called by compare-mirror.sh, which builds the server and installs the
tools. Each mirror is started fresh (empty storage) for every cold measurement."""

import argparse
import concurrent.futures
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_reference as cr  # noqa: E402

REPO = "bench/app"
WARMUP_REPO = "bench/warmup"
TAG = "1.0"
ACCEPT = "application/vnd.oci.image.manifest.v1+json"


class Upstream(cr.Ours):
    """Our server with its request log on, so blob fetches can be counted."""

    def __init__(self, work, dll):
        super().__init__(work, dll)
        self.name = "upstream"

    def command(self):
        return ["dotnet", self.dll, "serve", "--urls", self.base, "--OciRegistry:Storage:RootPath", self.data,
                "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:OciRegistry.Server.RequestLogging=Information"]

    def blob_gets(self, digest):
        # The console logger writes from a queue: wait until the log stops growing, so requests just answered count.
        path = os.path.join(self.work, "upstream.log")
        size = -1
        while size != os.path.getsize(path):
            size = os.path.getsize(path)
            time.sleep(0.5)
        with open(os.path.join(self.work, "upstream.log"), errors="replace") as f:
            return sum(1 for line in f if f"GET /v2/{REPO}/blobs/{digest} " in line)


class OursMirror(cr.Ours):
    prefix = "up/"

    def __init__(self, work, dll, upstream):
        super().__init__(work, dll)
        self.name = "ours-mirror"
        self.upstream = upstream

    def command(self):
        return super().command() + ["--OciRegistry:Mirror:Upstreams:0:Name", "up",
                                    "--OciRegistry:Mirror:Upstreams:0:Url", self.upstream.base]

    def stored_path(self, digest):
        algorithm, encoded = digest.split(":")
        return os.path.join(self.data, "blobs", algorithm, encoded[:2], encoded)


class RelayBound(cr.Server):
    """The bound of a cold pull (benchmarks/OciRegistry.Benchmarks/Mirror/RelayBound.cs): a bare .NET HTTP relay of the
    upstream, with nothing of a registry; its prefix picks what it does to each byte (nothing, SHA-256, SHA-256 and a
    file write)."""

    def __init__(self, work, benchmarks_dll, upstream):
        super().__init__("relay-bound", work)
        self.dll = benchmarks_dll
        self.upstream = upstream

    def command(self):
        return ["dotnet", self.dll, "mirror-relay-bound", self.base, self.upstream.base, self.data]


RELAY_MODES = [("relay", "bare relay (bound)"), ("hash", "relay + SHA-256 (bound)"),
               ("write", "relay + SHA-256 + file write (bound)")]


class ReferenceProxy(cr.Reference):
    prefix = ""

    def __init__(self, work, upstream):
        super().__init__(work)
        self.name = "reference-proxy"
        self.upstream = upstream

    def command(self):
        command = super().command()
        with open(command[-1], "a") as f:
            f.write(f"proxy:\n  remoteurl: {self.upstream.base}\n")
        return command

    def stored_path(self, digest):
        algorithm, encoded = digest.split(":")
        return os.path.join(self.data, "docker", "registry", "v2", "blobs", algorithm, encoded[:2], encoded, "data")


def get(url, headers=()):
    """GET with curl, body discarded; returns (status, seconds)."""
    args = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}"]
    for header in headers:
        args += ["-H", header]
    started = time.perf_counter()
    status = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    return int(status), time.perf_counter() - started


def pull(base, repo):
    """Manifest, then config and layers one after another, as a client pulling one image; returns seconds."""
    started = time.perf_counter()
    manifest = json.loads(subprocess.run(["curl", "-sS", "-H", f"Accept: {ACCEPT}", f"{base}/v2/{repo}/manifests/{TAG}"],
                                         check=True, capture_output=True).stdout)
    for blob in [manifest["config"]] + manifest["layers"]:
        status, _ = get(f"{base}/v2/{repo}/blobs/{blob['digest']}")
        cr.expect(status, 200, f"GET {blob['digest']} from {base}")
    return time.perf_counter() - started


def children_cpu_seconds():
    """User + system CPU of this script's finished child processes (the curl clients) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured_pull(base, repo, upstream, mirror=None, stored=None):
    """pull() with the CPU seconds each process spent on it: (seconds, upstream CPU, mirror CPU or None, clients' CPU,
    mirror CPU until the file `stored` exists or None): a mirror may still be storing the layer when the client has it."""
    before = (upstream.cpu_seconds(), mirror.cpu_seconds() if mirror else 0, children_cpu_seconds())
    seconds = pull(base, repo)
    after = (upstream.cpu_seconds(), mirror.cpu_seconds() if mirror else 0, children_cpu_seconds())
    until_stored = None
    if stored:
        deadline = time.time() + 300
        while not os.path.exists(stored) and time.time() < deadline:
            time.sleep(0.05)
        until_stored = mirror.cpu_seconds() - before[1]
    return seconds, after[0] - before[0], after[1] - before[1] if mirror else None, after[2] - before[2], until_stored


def medians(samples):
    """The median of each field of a list of measured_pull() tuples (None stays None)."""
    return tuple(None if column[0] is None else statistics.median(column) for column in zip(*samples))


def concurrent_cold(mirror, layer, clients):
    """`clients` simultaneous GETs of the layer from an empty mirror; returns (seconds until all finished)."""
    subprocess.run(["curl", "-sS", "-o", "/dev/null", "-H", f"Accept: {ACCEPT}",
                    f"{mirror.base}/v2/{mirror.prefix}{REPO}/manifests/{TAG}"], check=True)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda _: get(f"{mirror.base}/v2/{mirror.prefix}{REPO}/blobs/{layer}"), range(clients)))
    for status, _ in results:
        cr.expect(status, 200, "concurrent GET")
    return time.perf_counter() - started


def fresh(make):
    """A mirror with empty storage that has pulled one small other image, so .NET's start-up compilation of the pull
    path is not counted as the cold pull of the measured image (the Go reference needs none)."""
    server = make()
    server.start()
    pull(server.base, server.prefix + WARMUP_REPO)
    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server-dll", required=True)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--markdown")
    parser.add_argument("--baseline-dll", help="another build of the server, measured as a second mirror row (before/after)")
    parser.add_argument("--relay-dll", help="OciRegistry.Benchmarks.dll: adds the bound rows, a bare .NET relay of the upstream "
                        "(alone, with SHA-256, with SHA-256 and a file write)")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="mirror-bench-")
    upstream = Upstream(work, args.server_dll)
    upstream.start()
    try:
        blob = os.path.join(work, "layer.bin")
        layer = cr.make_blob_file(blob, args.size_mib * cr.MIB)
        cr.push_monolithic(upstream, REPO, blob, layer)
        os.remove(blob)
        config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [layer]}}).encode()
        client = cr.Client(upstream)
        client.push_image(WARMUP_REPO, TAG, [os.urandom(cr.MIB)], json.dumps({"architecture": "amd64", "os": "linux"}).encode())
        config_descriptor = client.push_blob(REPO, config) | {"mediaType": cr.OCI_CONFIG}
        manifest = json.dumps({"schemaVersion": 2, "mediaType": ACCEPT, "config": config_descriptor,
                               "layers": [{"mediaType": cr.OCI_LAYER, "digest": layer, "size": args.size_mib * cr.MIB}]}).encode()
        client.request("PUT", f"/v2/{REPO}/manifests/{TAG}", body=manifest, headers={"Content-Type": ACCEPT}, wanted=201)
        client.close()

        pull(upstream.base, REPO)  # the upstream serves from page cache in every measurement
        direct_pull = medians([measured_pull(upstream.base, REPO, upstream) for _ in range(args.runs)])
        direct = direct_pull[0]
        rows = [("direct from upstream", direct_pull, None, None, None)]
        if args.relay_dll:
            relay = RelayBound(work, args.relay_dll, upstream)
            relay.start()
            try:
                for mode, name in RELAY_MODES:
                    pull(relay.base, f"{mode}/{WARMUP_REPO}")
                    rows.append((name, medians([measured_pull(relay.base, f"{mode}/{REPO}", upstream, relay)
                                                for _ in range(args.runs)]), None, None, None))
            finally:
                relay.stop()
        mirrors = [("ours", lambda: OursMirror(work, args.server_dll, upstream))]
        if args.baseline_dll:
            mirrors.append(("ours, baseline build", lambda: OursMirror(work, args.baseline_dll, upstream)))
        mirrors.append(("reference (Distribution 2.8.2 proxy)", lambda: ReferenceProxy(work, upstream)))
        for name, make in mirrors:
            cold, warm, fetches = [], [], []
            for _ in range(args.runs):
                before = upstream.blob_gets(layer)
                mirror = fresh(make)
                try:
                    cold.append(measured_pull(mirror.base, mirror.prefix + REPO, upstream, mirror, mirror.stored_path(layer)))
                    fetches.append(upstream.blob_gets(layer) - before)
                    warm.append(min(pull(mirror.base, mirror.prefix + REPO) for _ in range(2)))
                finally:
                    mirror.stop()
            before = upstream.blob_gets(layer)
            mirror = fresh(make)
            try:
                concurrent = concurrent_cold(mirror, layer, args.clients)
                concurrent_fetches = upstream.blob_gets(layer) - before
            finally:
                mirror.stop()
            rows.append((name, medians(cold), statistics.median(warm), (concurrent, concurrent_fetches), fetches))
    finally:
        upstream.stop()

    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    lines = [f"1 image, one {args.size_mib} MiB layer; median of {args.runs}; {args.clients} concurrent cold clients; "
             f"load average at the end {load} on {os.cpu_count()} cores",
             "",
             "| path | cold pull | vs direct | mirror CPU per cold pull | mirror CPU until stored | upstream CPU | "
             f"clients' CPU | warm pull | layer fetched upstream (cold pull) | {args.clients} concurrent cold GETs | "
             f"layer fetched upstream ({args.clients} clients) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]

    def cpu(seconds):
        return "" if seconds is None else f"{seconds:.2f} s"

    for name, (cold, upstream_cpu, mirror_cpu, client_cpu, until_stored), warm, concurrent, fetches in rows:
        pulled = (f"| {name} | {cold:.2f} s | {cold / direct:.2f}× | {cpu(mirror_cpu)} | {cpu(until_stored)} | "
                  f"{upstream_cpu:.2f} s | {client_cpu:.2f} s |")
        if warm is None:
            lines.append(pulled + " | | | |")
        else:
            lines.append(pulled + f" {warm:.2f} s | {'/'.join(map(str, fetches))} | {concurrent[0]:.2f} s | {concurrent[1]} |")
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        with open(args.markdown, "a") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
