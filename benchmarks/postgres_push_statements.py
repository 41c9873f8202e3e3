#!/usr/bin/env python3
"""Statements, commits and CPU per small image on PostgreSQL metadata, for one or more server builds side by side.

One PostgreSQL cluster (compare_reference.PostgreSql, with pg_stat_statements loaded), a database and a server per
build; each server is warmed with 300 images, then the builds push batches of small images in turns, so every build
runs under the same load. Per batch: the server's CPU per image, PostgreSQL's, images/s, statements per image (every
statement PostgreSQL ran, the foreign-key checks and triggers included) and commits per image.

Usage: benchmarks/postgres_push_statements.py DLL[|NAME=VALUE...][,DLL...] [BATCHES=3] [IMAGES=100] [latency] [chunked]
  DLL is an OciRegistry.Server.dll of a Release build; NAME=VALUE pairs after it are environment variables of that
  server only (e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0). The last batch lists each build's statements.
  With `latency` the servers log each request (which costs them some CPU) and the medians of the time the server
  spent on a POST, a blob PUT and a manifest PUT are printed per build. With `chunked` each blob is pushed as docker
  pushes it: POST, one PATCH with the whole blob, PUT ?digest= without a body.
"""
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_reference as cr

dlls = sys.argv[1].split(",")
batches = int(sys.argv[2]) if len(sys.argv) > 2 else 3
count = int(sys.argv[3]) if len(sys.argv) > 3 else 100
latency = "latency" in sys.argv[4:]
chunked = "chunked" in sys.argv[4:]
logging = ["--Logging:LogLevel:OciRegistry.Server.RequestLogging=Information"] if latency else []
durations = collections.defaultdict(lambda: collections.defaultdict(list))


def record_durations(build, log, start):
    """The request durations the server logged after `start` (an offset in its log), by kind of request."""
    with open(log) as f:
        f.seek(start)
        for m in re.finditer(r"(POST|PATCH|PUT) (\S+) \d{3} in=\d+ out=\d+ ([\d.]+)ms", f.read()):
            kind = "manifest PUT" if "/manifests/" in m.group(2) else f"blob {m.group(1)}"
            durations[build][kind].append(float(m.group(3)))


def push_blob_chunked(self, repo, content):
    """POST, one PATCH with the whole blob, PUT ?digest= without a body: how docker pushes a layer."""
    digest = "sha256:" + cr.hashlib.sha256(content).hexdigest()
    location = self.request("POST", f"/v2/{repo}/blobs/uploads/", headers={"Content-Length": "0"}, wanted=202).getheader("Location")
    path = location[len(self.server.base):] if location.startswith("http") else location
    location = self.request("PATCH", path, body=content, headers={"Content-Type": "application/octet-stream",
                            "Content-Range": f"0-{len(content) - 1}"}, wanted=202).getheader("Location")
    path = location[len(self.server.base):] if location.startswith("http") else location
    self.request("PUT", cr.with_query(path, digest=digest), headers={"Content-Length": "0"}, wanted=201)
    return {"mediaType": cr.OCI_LAYER, "digest": digest, "size": len(content)}


if chunked:
    cr.Client.push_blob = push_blob_chunked

work = tempfile.mkdtemp(prefix="pgcount-")
pg = cr.PostgreSql(work)
args = pg.start()
conf = os.path.join(pg.folder, "data", "postgresql.conf")
with open(conf, "a") as f:
    f.write("shared_preload_libraries='pg_stat_statements'\npg_stat_statements.track='all'\n")
pg.run("pg_ctl", "-D", os.path.join(pg.folder, "data"), "-w", "-o", f"-c listen_addresses='' -c unix_socket_directories='{pg.folder}'", "restart")


def psql(sql, db="registry"):
    command = [f"{pg.bin}/psql", "-h", pg.folder, "-U", "postgres", "-d", db, "-At", "-c", sql]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


psql("CREATE EXTENSION pg_stat_statements")
servers = []
try:
    for i, dll in enumerate(dlls):
        dbname = f"registry{i}"
        psql(f"CREATE DATABASE {dbname}")
        a = [x.replace("Database=registry", f"Database={dbname}") for x in args]
        dll, *envs = dll.split("|")
        s = cr.Ours(work, dll, a + logging, name=f"s{i}", database=pg)
        saved = dict(os.environ)
        os.environ.update(dict(e.split("=", 1) for e in envs))
        s.start()
        os.environ.clear(); os.environ.update(saved)
        cr.push_small_images(s, "bench/warmup", cr.small_images(-1, 300))
        servers.append(s)
    results = {i: [] for i in range(len(dlls))}
    for b in range(batches):
        for i, s in enumerate(servers):
            psql("SELECT pg_stat_statements_reset()")
            dbid = psql(f"SELECT oid FROM pg_database WHERE datname='registry{i}'").strip()
            x0 = int(psql(f"SELECT xact_commit FROM pg_stat_database WHERE datname='registry{i}'"))
            log = os.path.join(work, f"s{i}.log")
            offset = os.path.getsize(log)
            c0, d0 = s.cpu_seconds(), pg.cpu_seconds()
            t = cr.push_small_images(s, f"bench/b{b}", cr.small_images(b * 10 + i, count))
            c1, d1 = s.cpu_seconds(), pg.cpu_seconds()
            time.sleep(0.6)
            record_durations(i, log, offset)
            x1 = int(psql(f"SELECT xact_commit FROM pg_stat_database WHERE datname='registry{i}'"))
            calls = int(psql(f"SELECT coalesce(sum(calls),0) FROM pg_stat_statements WHERE dbid={dbid}"))
            load = os.getloadavg()[0]
            results[i].append(((c1 - c0) / count * 1000, (d1 - d0) / count * 1000, count / t, calls / count, (x1 - x0) / count))
            print(f"build {i} batch {b}: server {results[i][-1][0]:.2f} ms/img  pg {results[i][-1][1]:.2f} ms/img  {results[i][-1][2]:.1f} img/s  statements {calls/count:.1f}/img  commits {(x1-x0)/count:.1f}/img  load {load:.1f}", flush=True)
            if b == batches - 1:
                print(psql(f"SELECT calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 150) FROM pg_stat_statements WHERE dbid={dbid} ORDER BY calls DESC"))
    for i in results:
        med = lambda k: sorted(r[k] for r in results[i])[len(results[i]) // 2]
        print(f"build {i} medians: server {med(0):.2f} ms/img, pg {med(1):.2f} ms/img, {med(2):.1f} img/s, statements {med(3):.1f}, commits {med(4):.1f}")
        if latency:
            print(f"build {i} request medians: " + ", ".join(
                f"{kind} {sorted(times)[len(times) // 2]:.2f} ms" for kind, times in sorted(durations[i].items())))
finally:
    for s in servers:
        s.stop()
    pg.stop()
    shutil.rmtree(work, ignore_errors=True)
