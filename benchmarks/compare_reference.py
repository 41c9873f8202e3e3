#!/usr/bin/env python3
"""Runs one HTTP workload against this registry and against CNCF Distribution (docker-registry), one server at a
time, and prints per scenario: ours, theirs, ratio (ours / theirs, so > 1 means we are better). Called by
compare-reference.sh, which builds the server and installs the tools.

With --store s3 both registries keep their blobs in one Ceph S3 gateway (the project's scripts/services/ceph-s3, on
disk); with --store azure ours keeps them in Azurite and is compared with the bound: the Azure SDK alone moving the same
bytes to and from the same Azurite (OciRegistry.Benchmarks azure-sdk-bound), as Debian's reference has no Azure driver."""

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

MIB = 1024 * 1024
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_blob_file(path, size):
    """Random-ish content written once: 1 MiB of random bytes, each copy prefixed by its index so no two MiB match."""
    block = os.urandom(MIB)
    sha = hashlib.sha256()
    with open(path, "wb") as f:
        for i in range(size // MIB):
            chunk = i.to_bytes(8, "little") + block[8:]
            f.write(chunk)
            sha.update(chunk)
    return "sha256:" + sha.hexdigest()


class Server:
    """One registry process with its own data folder; start() waits until /v2/ answers."""

    def __init__(self, name, work):
        self.name = name
        self.port = free_port()
        self.data = tempfile.mkdtemp(prefix=f"{name}-data-", dir=work)
        self.work = work
        self.process = None
        self.base = f"http://127.0.0.1:{self.port}"

    def command(self):
        raise NotImplementedError

    def cpu_seconds(self):
        """User + system CPU time the server process has used so far."""
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def start(self):
        log = open(os.path.join(self.work, f"{self.name}.log"), "ab")
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name} exited with {self.process.returncode}; see {log.name}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/v2/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        sys.exit(f"{self.name} did not answer on {self.base}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.data, ignore_errors=True)


class Ours(Server):
    def __init__(self, work, server_dll, metadata_args=(), store_args=(), name="ours", database=None):
        super().__init__(name, work)
        self.database = database
        self.dll = server_dll
        self.metadata_args = list(metadata_args)
        self.store_args = list(store_args)

    def command(self):
        return ["dotnet", self.dll, "serve", "--urls", self.base,
                "--OciRegistry:Storage:RootPath", self.data,
                "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
                *self.metadata_args, *self.store_args]


class CephS3:
    """Ceph's S3 gateway from the project's own script, in the work folder, on disk (bluestore: memstore would hold
    every pushed GiB in memory), on free ports; a bucket per registry."""

    def __init__(self, work):
        self.folder = os.path.join(work, "ceph-s3")
        self.script = os.path.join(REPO_ROOT, "scripts", "services", "ceph-s3")
        self.settings = {}

    def start(self):
        env = dict(os.environ, S3_PORT=str(free_port()), S3_OBJECTSTORE="bluestore", S3_DISK_GB="64")
        out = subprocess.run(["bash", os.path.join(self.script, "start.sh"), self.folder], env=env, check=True,
                             capture_output=True, text=True).stdout
        self.settings = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def create_bucket(self, name):
        subprocess.run(["curl", "-sSf", "--aws-sigv4", f"aws:amz:{self.settings['S3_REGION']}:s3",
                        "--user", f"{self.settings['S3_ACCESS_KEY']}:{self.settings['S3_SECRET_KEY']}",
                        "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", "-X", "PUT",
                        f"{self.settings['S3_ENDPOINT']}/{name}"], check=True, stdout=subprocess.DEVNULL)
        return name

    def ours_args(self, bucket="ours"):
        bucket = self.create_bucket(bucket)
        return ["--OciRegistry:Storage:S3:ServiceUrl", self.settings["S3_ENDPOINT"],
                "--OciRegistry:Storage:S3:Region", self.settings["S3_REGION"],
                "--OciRegistry:Storage:S3:AccessKey", self.settings["S3_ACCESS_KEY"],
                "--OciRegistry:Storage:S3:SecretKey", self.settings["S3_SECRET_KEY"],
                "--OciRegistry:Storage:S3:Bucket", bucket]

    def reference_storage(self):
        """The reference's storage section: its S3 driver with the smallest part it allows (5 MiB), no redirects."""
        bucket = self.create_bucket("reference")
        return f"""  s3:
    regionendpoint: {self.settings['S3_ENDPOINT']}
    region: {self.settings['S3_REGION']}
    bucket: {bucket}
    accesskey: {self.settings['S3_ACCESS_KEY']}
    secretkey: {self.settings['S3_SECRET_KEY']}
    secure: false
    v4auth: true
    chunksize: 5242880
    rootdirectory: /
  redirect:
    disable: true
"""

    def stop(self):
        subprocess.run(["bash", os.path.join(self.script, "stop.sh"), self.folder, "--purge"], check=False,
                       stdout=subprocess.DEVNULL)


class Azurite:
    """Microsoft's Azure Storage emulator (npm package azurite) on a port it picks, keeping its data in the work folder."""

    def __init__(self, work, benchmarks_dll):
        self.folder = tempfile.mkdtemp(prefix="azurite-", dir=work)
        self.benchmarks_dll = benchmarks_dll
        self.process = None
        self.connection_string = None

    def start(self):
        self.process = subprocess.Popen(["azurite-blob", "--blobHost", "127.0.0.1", "--blobPort", "0", "--location",
                                         self.folder, "--silent", "--disableTelemetry", "--skipApiVersionCheck"],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in self.process.stdout:
            listening = re.search(r"listens on http://127\.0\.0\.1:(\d+)", line)
            if listening:
                break
        else:
            sys.exit("azurite-blob exited before it listened")
        # Azurite's fixed development account.
        self.connection_string = (
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            f"BlobEndpoint=http://127.0.0.1:{listening.group(1)}/devstoreaccount1;")

    def sdk(self, container, *operation):
        """Runs one operation of the Azure SDK bound; returns the figure it prints."""
        out = subprocess.run(["dotnet", self.benchmarks_dll, "azure-sdk-bound", self.connection_string, container,
                              *operation], check=True, capture_output=True, text=True).stdout
        return float(out.strip())

    def ours_args(self, container="ours"):
        self.sdk(container, "create")
        return ["--OciRegistry:Storage:AzureBlob:ConnectionString", self.connection_string,
                "--OciRegistry:Storage:AzureBlob:Container", container]

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)


class AzureSdkBound:
    """Stands where the reference stands in the table: the Azure SDK alone uploading and downloading the same bytes to
    the same Azurite. A chunked push's bound is the same upload (the bytes stored are the same); its same-shape bound
    is the SDK staging blocks of the PATCH's size one after another and committing once, the shape a chunked client
    imposes (each PATCH stored before the next is sent), reported in rows of their own."""

    name = "bound"

    def __init__(self, azurite):
        self.azurite = azurite

    def run(self, settings, blob, chunk_sizes, runs):
        size, duration, image_count = settings["size"], settings["duration"], settings["images"]
        gigabytes = size / 1e9
        results = {}

        def record(name, value):
            results.setdefault(name, []).append(value)
            print(f"  {self.name:9} {name:34} {figure(value):>10}", flush=True)

        self.azurite.sdk("bound", "upload", "warmup", blob)
        for run in range(runs):
            record("monolithic push GB/s", gigabytes / self.azurite.sdk("bound", "upload", f"mono{run}", blob))
        for chunk in chunk_sizes:
            for run in range(runs):
                record(chunked_name(chunk), gigabytes / self.azurite.sdk("bound", "upload", f"chunked{run}", blob))
            for run in range(runs):
                record(same_shape_name(chunk), gigabytes / self.azurite.sdk("bound", "blocks", f"shaped{run}", blob, str(chunk)))
        for run in range(runs):
            record("blob GET 1 stream GB/s", gigabytes / self.azurite.sdk("bound", "download", "mono0"))
        for run in range(runs):
            record("1 MiB ranged GET req/s (c8)", self.azurite.sdk("bound", "ranged", "mono0", str(duration)))
        for run in range(runs):
            record(f"{image_count} small images/s", self.azurite.sdk("bound", "small", str(image_count)))
        return results


def same_shape_name(chunk):
    return chunked_name(chunk) + ", same-shape bound"


def against_same_shape(measured, chunk_sizes):
    """Ours (every build) against the same-shape bound: each chunked figure again, in the row of that bound."""
    for name, results in measured.items():
        if name != "reference":
            for chunk in chunk_sizes:
                if chunked_name(chunk) in results:
                    results[same_shape_name(chunk)] = results[chunked_name(chunk)]


class PostgreSql:
    """A PostgreSQL cluster of Debian's postgresql package in the work folder (initdb + pg_ctl, run as the postgres user
    when we are root), on a Unix socket only, with PostgreSQL's default durability (fsync and synchronous commit on):
    the metadata database of `--postgres` runs."""

    def __init__(self, work):
        bins = sorted(d for d in os.listdir("/usr/lib/postgresql") if d.isdigit()) if os.path.isdir("/usr/lib/postgresql") else []
        if not bins:
            sys.exit("--postgres needs PostgreSQL's initdb: apt-get install postgresql")
        self.bin = f"/usr/lib/postgresql/{bins[-1]}/bin"
        self.folder = tempfile.mkdtemp(prefix="postgres-", dir=work)
        os.chmod(work, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")

    def run(self, program, *args):
        command = [f"{self.bin}/{program}", *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def start(self):
        data = os.path.join(self.folder, "data")
        self.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8")
        self.run("pg_ctl", "-D", data, "-l", os.path.join(self.folder, "server.log"), "-w",
                 "-o", f"-c listen_addresses='' -c unix_socket_directories='{self.folder}'", "start")
        self.run("createdb", "-h", self.folder, "-U", "postgres", "registry")
        return ["--OciRegistry:Metadata:PostgreSql:ConnectionString", f"Host={self.folder};Username=postgres;Database=registry"]

    def cpu_seconds(self):
        """User + system CPU time of the postmaster and its children (backends, WAL writer...) now running."""
        with open(os.path.join(self.folder, "data", "postmaster.pid")) as f:
            postmaster = f.readline().strip()
        total = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if pid == postmaster or fields[1] == postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.run("pg_ctl", "-D", os.path.join(self.folder, "data"), "-m", "fast", "-w", "stop")


class Reference(Server):
    def __init__(self, work, storage=None):
        super().__init__("reference", work)
        self.storage = storage or f"""  filesystem:
    rootdirectory: {self.data}
"""

    def command(self):
        config = os.path.join(self.work, "reference-config.yml")
        with open(config, "w") as f:
            f.write(f"""version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
{self.storage}  cache:
    blobdescriptor: inmemory
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:{self.port}
""")
        # aws-sdk-go v1 panics when AWS_CA_BUNDLE is set (these machines set it), even without TLS.
        return ["env", "-u", "AWS_CA_BUNDLE", "docker-registry", "serve", config]


def curl(args):
    """Runs curl; returns (status, headers dict with lower-case names)."""
    out = subprocess.run(["curl", "-sS", "-H", "Expect:", "-D", "-", "-o", "/dev/null"] + args,
                         check=True, capture_output=True, text=True).stdout
    status, headers = 0, {}
    for line in out.splitlines():
        if line.startswith("HTTP/"):
            status, headers = int(line.split()[1]), {}
        elif ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


def absolute(base, location):
    return location if location.startswith("http") else base + location


WARMUP_PUSHES = 2
# .NET's tiered JIT settles over a server's first ~500 small images (11,858 methods compiled in the first 400, 631 in
# the next 600; our CPU per image falls from 63 to 23 ms over the first 500 under load): the recorded runs measure a
# long-running registry, not its first minutes. The Go reference has no JIT and is warmed the same way.
WARMUP_IMAGES = 500

UNIT_SCALE = {"µs/ranged GET": 1e6, "µs/manifest GET": 1e6, "µs/manifest HEAD": 1e6, "ms/image": 1e3}  # else 1

# The chunk sizes of the chunk-size sweep (--sweep), in bytes.
SWEEP_CHUNKS = [MIB // 4, MIB, 4 * MIB, 16 * MIB, 64 * MIB]


def figure(value):
    """Two decimals, or three significant digits below 10 (object stores under load run at hundredths of a GB/s)."""
    return f"{value:,.2f}" if abs(value) >= 10 else f"{value:.3g}"


def mib_label(size):
    return f"{size / MIB:g} MiB"


def chunked_name(chunk):
    return f"chunked push GB/s ({mib_label(chunk)} PATCHes)"


def split_blob(blob, chunk, folder):
    """The blob cut into files of `chunk` bytes, in order."""
    os.makedirs(folder)
    subprocess.run(["split", "-b", str(chunk), "-d", "-a", "5", blob, os.path.join(folder, "c")], check=True)
    return sorted(os.path.join(folder, c) for c in os.listdir(folder))


def with_requests(rate, duration):
    """A rate scenario's figure and the requests it served (approximately: rate × duration)."""
    return rate, rate * duration


def with_query(url, **params):
    return url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params)


def expect(status, wanted, what):
    if status != wanted:
        sys.exit(f"{what}: HTTP {status}, expected {wanted}")


def start_upload(server, repo):
    status, headers = curl(["-X", "POST", f"{server.base}/v2/{repo}/blobs/uploads/"])
    expect(status, 202, "POST upload")
    return absolute(server.base, headers["location"])


def push_monolithic(server, repo, path, digest):
    """POST + PUT ?digest= with the whole file streamed by curl; returns seconds."""
    os.sync()  # start every push with no write-back pending from the previous one, for either server
    started = time.perf_counter()
    location = start_upload(server, repo)
    status, _ = curl(["-X", "PUT", "-T", path, "-H", "Content-Type: application/octet-stream",
                      with_query(location, digest=digest)])
    expect(status, 201, "PUT ?digest=")
    return time.perf_counter() - started


def push_chunked(server, repo, chunks, digest):
    """POST, one PATCH per chunk file (Content-Range), PUT ?digest= without body, all on one keep-alive connection as
    docker and containerd push (a curl process per chunk would measure process start-up); returns seconds."""
    os.sync()  # start every push with no write-back pending from the previous one, for either server
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, blocksize=1 << 20)

    def send(method, path, body=None, headers=None, wanted=202):
        conn.request(method, path, body=body, headers=headers or {"Content-Length": "0"})
        response = conn.getresponse()
        response.read()
        expect(response.status, wanted, f"{method} {path}")
        location = response.getheader("Location")
        return location[len(server.base):] if location.startswith("http") else location

    path = send("POST", f"/v2/{repo}/blobs/uploads/")
    offset = 0
    for chunk in chunks:
        size = os.path.getsize(chunk)
        with open(chunk, "rb") as body:
            path = send("PATCH", path, body, {"Content-Length": str(size), "Content-Type": "application/octet-stream",
                                              "Content-Range": f"{offset}-{offset + size - 1}"})
        offset += size
    send("PUT", with_query(path, digest=digest), wanted=201)
    conn.close()
    return time.perf_counter() - started


def get_streams(server, repo, digest, streams):
    """`streams` parallel curl GETs of the whole blob; returns seconds for all to finish."""
    url = f"{server.base}/v2/{repo}/blobs/{digest}"
    started = time.perf_counter()
    processes = [subprocess.Popen(["curl", "-sS", "-f", "-o", "/dev/null", url]) for _ in range(streams)]
    if any(p.wait() != 0 for p in processes):
        sys.exit("blob GET failed")
    return time.perf_counter() - started


def wrk_rate(args):
    out = subprocess.run(["wrk"] + args, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            rate = float(line.split()[1])
        if "Non-2xx" in line:
            sys.exit("wrk saw errors: " + out)
        if "Socket errors" in line:
            print("  wrk: " + line.strip(), flush=True)
    return rate


def ranged_rate(server, repo, digest, size, duration, work):
    script = os.path.join(work, "ranged.lua")
    with open(script, "w") as f:
        f.write(f"""
local path = "/v2/{repo}/blobs/{digest}"
local mibs = {size // MIB}
request = function()
  local start = math.random(0, mibs - 1) * {MIB}
  return wrk.format("GET", path, {{["Range"] = "bytes=" .. start .. "-" .. (start + {MIB - 1})}})
end
""")
    return wrk_rate(["--timeout", "10s", "-t2", "-c8", f"-d{duration}s", "-s", script, server.base])


def manifest_get_rate(server, repo, duration):
    return wrk_rate(["--timeout", "10s", "-t2", "-c64", f"-d{duration}s", "-H", f"Accept: {OCI_MANIFEST}",
                     f"{server.base}/v2/{repo}/manifests/latest"])


def manifest_head_rate(server, repo, duration):
    out = subprocess.run(["ab", "-q", "-k", "-i", "-c64", "-t", str(duration), "-n", "10000000",
                          "-H", f"Accept: {OCI_MANIFEST}", f"{server.base}/v2/{repo}/manifests/latest"],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Non-2xx responses") or (line.startswith("Failed requests") and line.split()[2] != "0"):
            sys.exit("ab saw errors: " + out)
        if line.startswith("Requests per second:"):
            return float(line.split()[3])
    sys.exit("ab printed no rate: " + out)


class Client:
    """One keep-alive connection, for the many small requests of the small-image scenario."""

    def __init__(self, server):
        self.server = server
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port)

    def request(self, method, url, body=None, headers=None, wanted=None):
        self.conn.request(method, url, body=body, headers=headers or {})
        response = self.conn.getresponse()
        response.read()
        if wanted is not None and response.status != wanted:
            sys.exit(f"{method} {url}: HTTP {response.status}, expected {wanted}")
        return response

    def push_blob(self, repo, content):
        digest = "sha256:" + hashlib.sha256(content).hexdigest()
        location = self.request("POST", f"/v2/{repo}/blobs/uploads/", headers={"Content-Length": "0"},
                                wanted=202).getheader("Location")
        path = location[len(self.server.base):] if location.startswith("http") else location
        self.request("PUT", with_query(path, digest=digest), body=content,
                     headers={"Content-Type": "application/octet-stream"}, wanted=201)
        return {"mediaType": OCI_LAYER, "digest": digest, "size": len(content)}

    def push_image(self, repo, tag, layers, config):
        descriptors = [self.push_blob(repo, layer) for layer in layers]
        config_descriptor = self.push_blob(repo, config) | {"mediaType": OCI_CONFIG}
        manifest = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                               "config": config_descriptor, "layers": descriptors}).encode()
        self.request("PUT", f"/v2/{repo}/manifests/{tag}", body=manifest,
                     headers={"Content-Type": OCI_MANIFEST}, wanted=201)

    def close(self):
        self.conn.close()


def small_images(run, count):
    """The same `count` images for both servers, different for every run: two small layers and a config each."""
    rng = random.Random(run)
    images = []
    for i in range(count):
        layers = [rng.randbytes(rng.randint(1024, 32 * 1024)) for _ in range(2)]
        config = json.dumps({"architecture": "amd64", "os": "linux", "run": run, "image": i}).encode()
        images.append((layers, config))
    return images


def push_small_images(server, repo, images):
    client = Client(server)
    started = time.perf_counter()
    for i, (layers, config) in enumerate(images):
        client.push_image(repo, f"v{i}", layers, config)
    elapsed = time.perf_counter() - started
    client.close()
    return elapsed


def run_scenarios(server, settings, work, blob, digest, chunks, runs):
    """Every scenario `runs` times against one server; returns {scenario: [values]}."""
    size, duration, image_count = settings["size"], settings["duration"], settings["images"]
    results = {}
    push_small_images(server, "bench/warmup", small_images(-1, 10))  # warm-up, not recorded

    selected = settings["scenarios"]

    def wanted(key):
        return not selected or key in selected

    def record(name, unit, measure):
        """Runs `measure` (returning the figure and the work done in `unit`s) and the server's CPU time it cost."""
        database = getattr(server, "database", None)
        cpu_before = server.cpu_seconds()
        database_before = database.cpu_seconds() if database else 0
        value, work_done = measure()
        cpu_per_unit = (server.cpu_seconds() - cpu_before) / work_done
        results.setdefault(name, []).append(value)
        scale = UNIT_SCALE.get(unit, 1)
        results.setdefault(f"server CPU {unit}", []).append(cpu_per_unit * scale)
        line = f"  {server.name:9} {name:34} {figure(value):>10}   server CPU {figure(cpu_per_unit * scale):>8} {unit}"
        if database:
            database_per_unit = (database.cpu_seconds() - database_before) / work_done
            results.setdefault(f"PostgreSQL CPU {unit}", []).append(database_per_unit * scale)
            line += f"   PostgreSQL CPU {figure(database_per_unit * scale):>8} {unit}"
        print(line, flush=True)

    def transfer(seconds, gigabytes):
        return gigabytes / seconds, gigabytes

    gigabytes = size / 1e9
    # Unrecorded pushes of each kind first, as the manifest scenarios get an unrecorded round: .NET compiles the push
    # path's hot methods again, optimized, during the first pushes (its tiered JIT thread used 0.2-0.5 s of CPU in
    # each of the first three chunked pushes of a fresh server, none from the fourth on). Measures the steady state a
    # long-running registry is in; the Go reference has no JIT and is warmed the same way.
    for warmup in range(WARMUP_PUSHES if wanted("push") else 0):
        push_monolithic(server, f"bench/warmup-mono{warmup}", blob, digest)
    for run in range(runs if wanted("push") else 0):
        record("monolithic push GB/s", "s/GB push",
               lambda: transfer(push_monolithic(server, f"bench/mono{run}", blob, digest), gigabytes))
    if not wanted("push"):
        push_monolithic(server, "bench/mono0", blob, digest)  # the blob the GET scenarios read
    for chunk, files in chunks.items():
        for warmup in range(WARMUP_PUSHES if wanted("chunked") else 0):
            push_chunked(server, f"bench/warmup-chunked{warmup}", files, digest)
        for run in range(runs if wanted("chunked") else 0):
            record(chunked_name(chunk), f"s/GB chunked {mib_label(chunk)}",
                   lambda: transfer(push_chunked(server, f"bench/chunked{run}", files, digest), gigabytes))
    for run in range(runs if wanted("get1") else 0):
        record("blob GET 1 stream GB/s", "s/GB GET 1",
               lambda: transfer(get_streams(server, "bench/mono0", digest, 1), gigabytes))
    for run in range(runs if wanted("get8") else 0):
        record("blob GET 8 streams GB/s", "s/GB GET 8",
               lambda: transfer(get_streams(server, "bench/mono0", digest, 8), 8 * gigabytes))
    for run in range(runs if wanted("ranged") else 0):
        record("1 MiB ranged GET req/s (c8)", "µs/ranged GET",
               lambda: with_requests(ranged_rate(server, "bench/mono0", digest, size, duration, work), duration))

    if wanted("manifest-get") or wanted("manifest-head"):
        client = Client(server)
        (layers, config), = small_images(1000, 1)
        client.push_image("bench/manifest", "latest", layers, config)
        client.close()
        # Warm-up, not recorded, as long as two recorded runs: with one second of it, ours' three recorded GET runs
        # still rose from 11.6k to 19.0k req/s (eleventh session) while .NET tiered up its code and its thread pool
        # settled; the Go reference is warmed the same way.
        manifest_get_rate(server, "bench/manifest", 2 * duration)
    for run in range(runs if wanted("manifest-get") else 0):
        record("manifest GET req/s (wrk c64)", "µs/manifest GET",
               lambda: with_requests(manifest_get_rate(server, "bench/manifest", duration), duration))
    if wanted("manifest-head"):
        manifest_head_rate(server, "bench/manifest", duration)  # warm-up of ab's HEAD path, not recorded
    for run in range(runs if wanted("manifest-head") else 0):
        record("manifest HEAD req/s (ab c64)", "µs/manifest HEAD",
               lambda: with_requests(manifest_head_rate(server, "bench/manifest", duration), duration))
    if wanted("images"):
        push_small_images(server, "bench/warmup-images", small_images(-2, WARMUP_IMAGES))
    for run in range(runs if wanted("images") else 0):
        record(f"{image_count} small images/s", "ms/image",
               lambda: (image_count / push_small_images(server, f"bench/images{run}", small_images(run, image_count)), image_count))
    # One push per chunk size of a blob of its own: the cost of a push should grow with its bytes, not with its chunks.
    for (size, chunk), (files, sweep_digest) in settings["sweep"].items():
        record(f"sweep: {mib_label(size)} in {mib_label(chunk)} PATCHes GB/s", f"s/GB sweep {mib_label(size)} {mib_label(chunk)}",
               lambda: transfer(push_chunked(server, f"bench/sweep-{size}-{chunk}", files, sweep_digest), size / 1e9))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server-dll", required=True, help="OciRegistry.Server.dll of a Release build")
    parser.add_argument("--quick", action="store_true", help="small sizes and one run: a smoke test")
    parser.add_argument("--runs", type=int, help="runs per scenario (median is reported)")
    parser.add_argument("--only", choices=["ours", "reference"], help="measure one server only")
    parser.add_argument("--scenario", action="append", default=[],
                        choices=["push", "chunked", "get1", "get8", "ranged", "manifest-get", "manifest-head", "images"],
                        help="run only this scenario (repeatable)")
    parser.add_argument("--size-mib", type=int, help="blob size instead of the default (1024, or 64 with --quick)")
    parser.add_argument("--images", type=int, help="small images pushed instead of the default (200, or 20 with --quick)")
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--postgres", action="store_true",
                        help="our metadata in PostgreSQL (a cluster of its own in the work folder) instead of SQLite")
    parser.add_argument("--notified-cache", choices=["off", "on", "both"], default="off",
                        help="with --postgres: OciRegistry:Metadata:PostgreSql:NotifiedCache for ours; both = ours "
                             "without it, then ours with it, in one run")
    parser.add_argument("--store", choices=["files", "s3", "azure"], default="files",
                        help="where the blobs go: s3 = both registries on one Ceph S3 gateway; azure = ours on Azurite "
                             "against the Azure SDK alone (the reference has no Azure driver)")
    parser.add_argument("--benchmarks-dll", help="OciRegistry.Benchmarks.dll (the Azure SDK bound), for --store azure")
    parser.add_argument("--baseline-dll", help="another build of the server, measured in the same run as a column of its "
                        "own (before/after), with the same metadata and store settings")
    parser.add_argument("--chunk-mib", type=float, action="append", default=[],
                        help="PATCH size of the chunked push (repeatable; default 16, 4 with --quick, 1 and 16 on an object store)")
    parser.add_argument("--sweep", action="store_true",
                        help="also push blobs of each --sweep-size-mib once per PATCH size from 256 KiB to 64 MiB")
    parser.add_argument("--sweep-size-mib", type=int, action="append", default=[],
                        help="a sweep blob size (repeatable; default 16 and 64: a cost per GB that grows with the size is quadratic)")
    args = parser.parse_args()

    settings = ({"size": 64 * MIB, "duration": 2, "images": 20, "runs": 1} if args.quick
                else {"size": 1024 * MIB, "duration": 5, "images": 200, "runs": 3})
    object_store = args.store != "files"
    chunk_sizes = ([int(c * MIB) for c in args.chunk_mib] or ([MIB, 16 * MIB] if object_store else
                   [4 * MIB] if args.quick else [16 * MIB]))
    runs = args.runs or settings["runs"]
    if args.size_mib:
        settings["size"] = args.size_mib * MIB
    if args.images:
        settings["images"] = args.images
    # On an object store, the workloads the object-storage issue names (manifests are in the metadata database).
    settings["scenarios"] = set(args.scenario) or ({"push", "chunked", "get1", "ranged", "images"} if object_store else set())
    work = tempfile.mkdtemp(prefix="oci-compare-")
    store = None
    try:
        blob = os.path.join(work, "blob.bin")
        print(f"generating {settings['size'] // MIB} MiB test blob in {work}; load average {os.getloadavg()}", flush=True)
        digest = make_blob_file(blob, settings["size"])
        chunks = {chunk: split_blob(blob, chunk, os.path.join(work, f"chunks-{chunk}")) for chunk in chunk_sizes}
        settings["sweep"] = {}
        for size in [mib * MIB for mib in (args.sweep_size_mib or [16, 64])] if args.sweep else []:
            sweep_blob = os.path.join(work, f"sweep-{size}.bin")
            sweep_digest = make_blob_file(sweep_blob, size)
            for chunk in (c for c in SWEEP_CHUNKS if c <= size):
                files = split_blob(sweep_blob, chunk, os.path.join(work, f"sweep-{size}-{chunk}"))
                settings["sweep"][(size, chunk)] = (files, sweep_digest)

        if args.store == "s3":
            store = CephS3(work)
        elif args.store == "azure":
            if not args.benchmarks_dll:
                sys.exit("--store azure needs --benchmarks-dll")
        if store:
            store.start()

        def ours(name, dll, container, settings=()):
            """Each of our servers on a PostgreSQL cluster of its own, started for it and stopped after it: a server
            measured after another one must not find its database grown, or its autovacuum and checkpoints running."""
            def make():
                database = PostgreSql(work) if args.postgres else None
                metadata_args = database.start() if database else []
                store_args = store.ours_args(container) if store else []
                return Ours(work, dll, metadata_args + list(settings), store_args, name, database)
            return make
        cache_variants = {"off": [False], "on": [True], "both": [False, True]}[args.notified_cache] if args.postgres else [False]
        servers = {}
        if args.baseline_dll:
            servers["ours, baseline build"] = ours("baseline", args.baseline_dll, "baseline")
        servers.update({("ours, notified cache" if cached and len(cache_variants) > 1 else "ours"):
                        ours("ours+cache" if cached else "ours", args.server_dll, "ours",
                             ["--OciRegistry:Metadata:PostgreSql:NotifiedCache", "true"] if cached else [])
                        for cached in cache_variants})
        servers["reference"] = lambda: Reference(work, store.reference_storage() if args.store == "s3" else None)
        measured = {}
        for name, make in servers.items():
            if args.only and args.only != name.split(",")[0]:
                continue
            if args.store == "azure":
                # An Azurite of its own for every server and for the bound: on one shared Azurite whoever pushed first
                # pushed 1 GiB at ~0.2 GB/s and whoever followed at 0.12-0.16, the same code either way.
                if store:
                    store.stop()
                store = Azurite(work, args.benchmarks_dll)
                store.start()
            if name == "reference" and args.store == "azure":
                measured[name] = AzureSdkBound(store).run(settings, blob, chunk_sizes, runs)
                continue
            server = make()
            print(f"{name}: {' '.join(server.command())}", flush=True)
            server.name = name.replace("ours, notified cache", "ours+cache").replace("ours, baseline build", "baseline")
            server.start()
            try:
                measured[name] = run_scenarios(server, settings, work, blob, digest, chunks, runs)
            finally:
                server.stop()
                if getattr(server, "database", None):
                    server.database.stop()

        if args.store == "azure":
            against_same_shape(measured, chunk_sizes)
        print_table(measured, settings, chunk_sizes, runs, args.store, args.markdown)
    finally:
        if store:
            store.stop()
        shutil.rmtree(work, ignore_errors=True)


def print_table(measured, settings, chunk_sizes, runs, store, markdown):
    first = next(iter(measured.values()))
    names = dict.fromkeys([n for n in first if " CPU " not in f" {n}"] + [n for n in first if " CPU " in f" {n}"])
    against = {"files": "", "s3": " Both on one Ceph S3 gateway.",
               "azure": " Ours on Azurite; the reference column is the Azure SDK alone on the same Azurite (the bound)."}[store]
    variants = [name for name in measured if name != "reference"] or ["ours"]
    lines = [f"Sizes: blob {settings['size'] // MIB} MiB, chunks {', '.join(mib_label(c) for c in chunk_sizes)}, "
             f"rate scenarios {settings['duration']} s; median of {runs} run(s).{against} "
             f"Load average at the end: {os.getloadavg()[0]:.1f}.", "",
             "Rates: higher is better, ratio = ours / reference. Server CPU (user + system time of the registry process per unit",
             "of work, from /proc): lower is better, ratio = reference / ours; it holds up better than rates when other",
             "processes load the machine. PostgreSQL CPU: its postmaster and backends, ours only.", "",
             f"| scenario | {' | '.join(variants)} | reference | {' | '.join('ratio' if len(variants) == 1 else f'ratio ({v})' for v in variants)} |",
             "|---|" + "---:|" * (2 * len(variants) + 1)]

    def median(server, name):
        return statistics.median(measured[server][name]) if name in measured.get(server, {}) else None

    for name in names:
        # The Azure SDK bound has no server, so no server CPU; the reference skips nothing.
        theirs = median("reference", name)
        ours = [median(variant, name) for variant in variants]
        ratios = [(f"{theirs / value:.2f}×" if " CPU " in f" {name}" else f"{value / theirs:.2f}×") if value and theirs else "—"
                  for value in ours]
        shown = [figure(value) if value is not None else "—" for value in ours + [theirs]]
        lines.append(f"| {name} | {' | '.join(shown)} | {' | '.join(ratios)} |")
    table = "\n".join(lines)
    print("\n" + table)
    if markdown:
        with open(markdown, "w") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
