#!/usr/bin/env python3
"""Paired rounds on one Azurite: builds of the registry and the Azure SDK bound take turns on the same workload, the
order rotated and reversed every round, so a change of load hits every side alike. Prints each round, then per side
the median GB/s, the median over rounds of bound time / this time, and the median CPU per GB of the server and of
Azurite (from /proc). Builds come from `dotnet build -c Release` (the server's and OciRegistry.Benchmarks'); an
environment setting for one build goes after its DLL: `name=path/OciRegistry.Server.dll,NAME=VALUE`.

  benchmarks/azure_paired_rounds.py [--rounds 8] [--size-mib 256] [--workload get1|push|chunked] [--chunk-mib 1]
                                    [--bound shaped|parallel] name=DLL...

get1: one curl GET of the whole blob against the SDK's DownloadToAsync; push: POST and one PUT of the whole blob (as
compare_reference.py pushes it) against the SDK's UploadAsync with its default parallel transfer; chunked: PATCHes of
--chunk-mib one after another against the SDK staging blocks of that size one after another (--bound shaped, the
shape a chunked client imposes) or against the SDK's parallel UploadAsync of the same bytes (--bound parallel)."""
import argparse
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_reference as cr  # noqa: E402

BENCHMARKS_DLL = os.path.join(cr.REPO_ROOT, "benchmarks", "OciRegistry.Benchmarks", "bin", "Release", "net10.0",
                              "OciRegistry.Benchmarks.dll")


class Build(cr.Ours):
    """A registry build whose DLL argument may carry environment settings: path,NAME=VALUE,..."""

    def __init__(self, work, spec, store_args, name):
        path, *self.environment = spec.split(",")
        super().__init__(work, path, (), store_args, name)

    def command(self):
        return ["env", *self.environment, *super().command()]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--workload", choices=["get1", "push", "chunked"], default="get1")
    parser.add_argument("--chunk-mib", type=int, default=1)
    parser.add_argument("--bound", choices=["shaped", "parallel"], default="shaped")
    parser.add_argument("builds", nargs="+", metavar="name=DLL")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="azure-paired-")
    size = args.size_mib * cr.MIB
    gigabytes = size / 1e9
    blob = os.path.join(work, "blob")
    digest = cr.make_blob_file(blob, size)
    chunk = args.chunk_mib * cr.MIB
    chunks = cr.split_blob(blob, chunk, os.path.join(work, "chunks")) if args.workload == "chunked" else None
    azurite = cr.Azurite(work, BENCHMARKS_DLL)
    azurite.start()
    servers = {}
    try:
        for spec in args.builds:
            name, dll = spec.split("=", 1)
            servers[name] = Build(work, dll, azurite.ours_args(name), name)
            servers[name].start()
            cr.push_monolithic(servers[name], "bench/mono0", blob, digest)
        azurite.sdk("bound", "upload", "mono0", blob)
        sides = list(servers) + ["bound"]
        seconds, server_cpu, azurite_cpu = ({side: [] for side in sides} for _ in range(3))
        for round_ in range(-1, args.rounds):  # round -1 warms every side up and is not recorded
            order = sides[round_ % len(sides):] + sides[:round_ % len(sides)]
            if round_ % 2:
                order.reverse()
            for side in order:
                azurite_before = cpu_seconds(azurite.process.pid)
                server_before = servers[side].cpu_seconds() if side in servers else 0
                if side == "bound":
                    if args.workload == "get1":
                        took = azurite.sdk("bound", "download", "mono0")
                    elif args.workload == "chunked" and args.bound == "shaped":
                        took = azurite.sdk("bound", "blocks", f"shaped{round_}", blob, str(chunk))
                    else:
                        took = azurite.sdk("bound", "upload", f"upload{round_}", blob)
                elif args.workload == "get1":
                    took = cr.get_streams(servers[side], "bench/mono0", digest, 1)
                elif args.workload == "push":
                    took = cr.push_monolithic(servers[side], f"bench/mono{round_ + 2}", blob, digest)
                else:
                    took = cr.push_chunked(servers[side], f"bench/chunked{round_}", chunks, digest)
                if round_ >= 0:
                    seconds[side].append(took)
                    azurite_cpu[side].append(cpu_seconds(azurite.process.pid) - azurite_before)
                    if side in servers:
                        server_cpu[side].append(servers[side].cpu_seconds() - server_before)
            if round_ >= 0:
                print(f"round {round_}: " + "  ".join(f"{side} {gigabytes / seconds[side][-1]:.3f}" for side in sides),
                      f"GB/s, load {os.getloadavg()[0]:.1f}", flush=True)
        for side in sides:
            ratios = [bound / this for bound, this in zip(seconds["bound"], seconds[side])]
            line = (f"{side:12} GB/s {gigabytes / statistics.median(seconds[side]):.3f}, bound / this "
                    f"{statistics.median(ratios):.2f} (this faster in {sum(r > 1 for r in ratios)} of {args.rounds}), "
                    f"Azurite CPU {statistics.median(azurite_cpu[side]) / gigabytes:.2f} s/GB")
            if side in servers:
                line += f", server CPU {statistics.median(server_cpu[side]) / gigabytes:.2f} s/GB"
            print(line)
    finally:
        for server in servers.values():
            server.stop()
        azurite.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
