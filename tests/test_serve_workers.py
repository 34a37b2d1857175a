"""``kefu serve --workers N``: N server processes share one port (issue 7's throughput)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KEFU_") and key != "DATABASE_URL"
    }
    return environ | {"KEFU_DATA_DIR": str(tmp_path), "KEFU_LOG_LEVEL": "WARNING"} | variables


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[1] == str(pid):
            found.append(int(stat.parent.name))
    return found


def healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False


def test_several_workers_serve_one_port(tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "kefu.cli", "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(
        [*command, "--no-jobs", "--no-migrate"],  # /healthz needs no tables
        env=environment(tmp_path, KEFU_SWITCH="off"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    answered = False
    try:
        deadline = time.monotonic() + 300  # the shared test machine can be very busy
        while not healthy(port):
            assert server.poll() is None, "kefu serve stopped"
            assert time.monotonic() < deadline, "kefu serve did not answer"
            time.sleep(0.5)
        # Two uvicorn workers (plus multiprocessing's resource tracker) under the supervisor.
        while len(children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(children(server.pid)) >= 2
        assert all(healthy(port) for _ in range(20))
        answered = True
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)
    assert not answered or code == 0  # a clean stop once it had started


def test_several_workers_refuse_an_embedded_switch(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kefu.cli", "serve", "--port", str(free_port()), "--workers", "2"],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "--workers needs the switch outside the web processes" in result.stderr
