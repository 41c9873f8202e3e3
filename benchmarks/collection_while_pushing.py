#!/usr/bin/env python3
"""Push latency with and without a concurrent garbage collection, on PostgreSQL metadata: a registry seeded with
`--manifests` manifests (half tagged, half pushed by digest only, so the collection deletes those), then small images
pushed one after another, first alone, then while `oci-registry gc --apply` runs from another process. Prints the
push latency percentiles of both and what the collection did. Called by collection-while-pushing.sh."""

import argparse
import concurrent.futures
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_reference import OCI_CONFIG, OCI_MANIFEST, Client, Ours, PostgreSql, small_images  # noqa: E402


def seed(server, manifests, repositories, threads):
    """`manifests` manifests over `repositories` repositories, each on one shared layer and config."""
    def seed_repository(r):
        client = Client(server)
        repo = f"seed/r{r:04d}"
        layer = client.push_blob(repo, f"layer {r}".encode())
        config = client.push_blob(repo, json.dumps({"repository": r}).encode()) | {"mediaType": OCI_CONFIG}
        for i in range(manifests // repositories):
            body = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": config, "layers": [layer],
                               "annotations": {"seed": str(i)}}).encode()
            reference = f"v{i}" if i % 2 == 0 else "sha256:" + hashlib.sha256(body).hexdigest()
            client.request("PUT", f"/v2/{repo}/manifests/{reference}", body=body,
                           headers={"Content-Type": OCI_MANIFEST}, wanted=201)
        client.close()

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(seed_repository, range(repositories)))


def push(client, repo, index, image):
    layers, config = image
    started = time.perf_counter()
    client.push_image(repo, f"v{index}", layers, config)
    return time.perf_counter() - started


def summary(latencies):
    ordered = sorted(latencies)
    def at(q):
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000
    return (f"{len(ordered)} pushes: p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {at(0.95):.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server-dll", required=True, help="OciRegistry.Server.dll of a Release build")
    parser.add_argument("--manifests", type=int, default=10_000)
    parser.add_argument("--repositories", type=int, default=100)
    parser.add_argument("--pushes", type=int, default=40, help="small images pushed alone (the baseline)")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="oci-gc-push-")
    postgres = PostgreSql(work)
    metadata = postgres.start()
    server = Ours(work, args.server_dll, metadata)
    try:
        server.start()
        started = time.perf_counter()
        seed(server, args.manifests, args.repositories, threads=8)
        print(f"seeded {args.manifests} manifests in {args.repositories} repositories in "
              f"{time.perf_counter() - started:.0f} s", flush=True)

        images = small_images(0, 1000)
        client = Client(server)
        alone = [push(client, "bench/alone", i, images[i]) for i in range(args.pushes)]
        print("alone:          " + summary(alone), flush=True)

        gc = subprocess.Popen(
            ["dotnet", args.server_dll, "gc", "--apply", "--OciRegistry:Storage:RootPath", server.data,
             "--OciRegistry:Gc:GracePeriod=00:00:00", "--OciRegistry:Gc:DeleteUntaggedManifests=true",
             "--Logging:LogLevel:Default=Warning", *metadata],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        gc_started = time.perf_counter()
        during = []
        index = 0
        while gc.poll() is None and index < len(images):
            during.append(push(client, "bench/during", index, images[index]))
            index += 1
        output = gc.communicate()[0]
        gc_seconds = time.perf_counter() - gc_started
        client.close()
        if gc.returncode != 0:
            sys.exit(f"gc exited with {gc.returncode}:\n{output}")
        deleted = sum(1 for line in output.splitlines() if "deleted" in line)
        print(f"during gc:      {summary(during) if during else 'no push (gc ended first)'}")
        print(f"gc: {gc_seconds:.1f} s (process start included), {deleted} lines of 'deleted' in its report; "
              f"last lines: {' | '.join(output.strip().splitlines()[-2:])}")
    finally:
        server.stop()
        postgres.stop()


if __name__ == "__main__":
    main()
