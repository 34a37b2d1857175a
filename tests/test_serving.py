"""``kefu serve`` as a deployment runs it: HTTP requests run in a fixed pool of threads that
keep their database connections, and the whole middleware chain runs in that one thread
(kefu.serving). The served process loads :mod:`tests.serving_settings`, which adds a probe."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_serve_workers import environment, free_port, healthy

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
DATABASES = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(not POSTGRES, reason="DATABASE_URL is not a PostgreSQL database"),
    ),
]
SERVE = [sys.executable, "-m", "kefu.cli", "serve", "--no-jobs", "--no-migrate", "--port"]


@pytest.fixture(scope="module", params=DATABASES)
def served(request, tmp_path_factory) -> Iterator[int]:
    """A ``kefu serve`` process with the probe, on SQLite in a temporary directory or on the
    test run's PostgreSQL server (the probe only asks ``SELECT 1``): its port."""
    port = free_port()
    variables = {"KEFU_SWITCH": "off", "DJANGO_SETTINGS_MODULE": "tests.serving_settings"}
    if request.param == "postgres":  # the server's maintenance database: it always exists
        variables["DATABASE_URL"] = os.environ["DATABASE_URL"].rpartition("/")[0] + "/postgres"
    server = subprocess.Popen(
        [*SERVE, str(port)],
        env=environment(tmp_path_factory.mktemp("served"), **variables),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300  # the shared test machine can be very busy
        while not healthy(port):
            assert server.poll() is None, "kefu serve stopped"
            assert time.monotonic() < deadline, "kefu serve did not answer"
            time.sleep(0.3)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def probes(port: int, count: int) -> list[dict[str, Any]]:
    """``count`` probes, one after the other on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    found = []
    for _ in range(count):
        conn.request("GET", "/probe/")
        response = conn.getresponse()
        assert response.status == 200
        found.append(json.loads(response.read()))
    conn.close()
    return found


def test_requests_on_one_connection_reuse_each_threads_database_connection(served):
    seen = probes(served, 40)
    assert len({probe["client_port"] for probe in seen}) == 1  # one keep-alive connection
    threads = {probe["thread"] for probe in seen}
    assert all(name.startswith("kefu-http") for name in threads)
    assert len(threads) <= 10  # the pool's size (KEFU_HTTP_THREADS)
    if seen[0]["vendor"] == "sqlite":
        # Each thread opened one connection, at its first request, and kept it.
        assert seen[-1]["opened"] == len(threads)
        assert len({(probe["thread"], probe["backend"]) for probe in seen}) == len(threads)
    else:
        # The process's pool lends a connection per request: a few server processes serve all.
        assert len({probe["backend"] for probe in seen}) <= 10


def test_the_middleware_chain_runs_in_the_thread_of_the_view(served):
    for probe in probes(served, 5):  # first and last middleware, then the view: one thread
        assert probe["chain_threads"] == [probe["thread"]] * 2  # never "event loop"


def test_health_checks_answer_on_a_kept_connection(served):
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=30)
    for _ in range(20):
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        assert response.status == 200
        assert json.loads(response.read())["status"] == "ok"
