"""What the server stack costs per HTTP request: server CPU and wall time of ``GET /healthz``
(one ``SELECT 1``) and of an authenticated ``GET /api/v1/requests/?page_size=1``.

Usage::

    .venv/bin/python benchmarks/http_overhead_bench.py                 # SQLite, then PostgreSQL
    .venv/bin/python benchmarks/http_overhead_bench.py --db sqlite --requests 2000
    .venv/bin/python benchmarks/http_overhead_bench.py --db postgres --pg postgres://postgres@127.0.0.1:54329/kefu_bench_http

Each database run builds a fresh database (as ``benchmarks/requests_bench.py`` does), starts
``kefu serve`` as a deployment runs it (one process with the embedded switch unless
``--workers`` says more) and, for each path, sends ``--requests`` requests over keep-alive
connections: first from one client, one after the other (wall milliseconds per request, p50
and p95), then from ``--clients`` concurrent clients. Server CPU per request (user + system
time of the server's processes, divided by the requests) is the figure to compare: unlike
the rates it hardly depends on what else the machine is doing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import requests_bench as bench  # prepare, start_server, cpu_seconds

PYTHON = sys.executable


def one_client(port: int, path: str, headers: dict[str, str], count: int) -> list[float]:
    """Wall seconds of each of ``count`` requests on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        timings.append(time.perf_counter() - started)
        if response.status != 200:
            raise SystemExit(f"GET {path}: {response.status}")
    conn.close()
    return timings


def measure(port: int, server: int, path: str, headers: dict[str, str], count: int,
            clients: int) -> str:  # fmt: skip
    one_client(port, path, headers, 50)  # warm up: code paths, connections, caches
    cpu = bench.cpu_seconds(server)
    timings = one_client(port, path, headers, count)
    cpu_one = (bench.cpu_seconds(server) - cpu) * 1000 / count
    timings.sort()
    p50 = statistics.median(timings) * 1000
    p95 = timings[int(len(timings) * 0.95) - 1] * 1000
    per = count // clients
    threads = [
        threading.Thread(target=one_client, args=(port, path, headers, per)) for _ in range(clients)
    ]
    cpu = bench.cpu_seconds(server)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu_many = (bench.cpu_seconds(server) - cpu) * 1000 / (per * clients)
    return (
        f"1 client: CPU {cpu_one:.2f} ms/req, wall p50 {p50:.2f} ms p95 {p95:.2f} ms; "
        f"{clients} clients: CPU {cpu_many:.2f} ms/req, {per * clients / elapsed:.0f} req/s"
    )


def run(db: str, args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="kefu-bench-http-"))
    env = {"KEFU_DATA_DIR": str(work), "KEFU_DEBUG": "0", "KEFU_LOG_LEVEL": args.log_level}
    if db == "postgres":
        bench.recreate_pg(args.pg)
        env["DATABASE_URL"] = args.pg
    bench.setup_django(env)
    prepared = bench.prepare()
    servers, port = bench.start_server(env, args.workers)
    paths = {
        "/healthz": {},
        "/api/v1/requests/?page_size=1": {"Authorization": f"Token {prepared['token']}"},
    }
    try:
        for path, headers in paths.items():
            figures = measure(port, servers[0].pid, path, headers, args.requests, args.clients)
            load = os.getloadavg()[0]
            print(f"[{db}] GET {path}: {figures} (load average {load:.1f})", flush=True)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"])
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:54329/kefu_bench_http")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--log-level", default="INFO", help="KEFU_LOG_LEVEL of the server (INFO: access log on)"
    )
    args = parser.parse_args()
    if args.db:
        run(args.db, args)
        return
    for db in ("sqlite", "postgres"):  # each in its own process: Django is set up once per process
        subprocess.run([PYTHON, __file__, "--db", db, *sys.argv[1:]], check=True)


if __name__ == "__main__":
    main()
