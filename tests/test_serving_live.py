"""The served application (``kefu.asgi`` under uvicorn on loopback, embedded switch) over real
HTTP: Django runs in the fixed thread pool of kefu.serving while WebSockets stay on Channels.
Views that reach the switch, streaming exports, uploads, chunked bodies and the scheme and
addresses that the server passes on all work as under Django's own ASGI handler."""

from __future__ import annotations

import http.client
import io
import json
import socket
import uuid
from typing import Any

import pytest

from kefu.telephony import client
from tests.desk.conftest import reasons, server  # noqa: F401  (the served application)
from tests.desk.server import Desk, ServerThread, session_cookie, wait_until
from tests.desk.test_websocket import replay
from tests.telephony.conftest import center  # noqa: F401  (the call center the switch runs)

pytestmark = pytest.mark.django_db(transaction=True)


def api_token(user: Any) -> str:
    from kefu.accounts.models import ApiToken

    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=user, name="serving", prefix=key[:8], digest=ApiToken.digest_of(key)
    )
    return key


def connect(running: ServerThread) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", running.port, timeout=30)


def test_a_seat_command_over_http_reaches_the_switch_while_the_desk_socket_follows(
    server,  # noqa: F811
    operator,
):
    assert client.submit_sync({"command": "log_on", "seat_id": "7", "employee_id": "3001"}).ok
    desk = Desk(server, "/ws/desk/seat/7/", "3001").open()
    try:
        wait_until(lambda: desk.of_type("snapshot"))
        conn = connect(server)
        for _ in range(5):  # plain requests beside the open WebSocket, on one connection
            conn.request("GET", "/healthz")
            assert conn.getresponse().read() and True
        conn.request(
            "POST",
            "/api/v1/desk/seats/7/commands",
            body=json.dumps({"command": "set_not_ready", "args": {"reason": "meal"}}),
            headers={
                "Authorization": f"Token {api_token(operator)}",
                "Content-Type": "application/json",
            },
        )
        response = conn.getresponse()
        body = json.loads(response.read())
        assert response.status == 200, body
        assert body["ok"] and body["seat"]["state"] == "not_ready"
        assert client.snapshot_sync("wallboard")["seats"]["7"]["reason"] == "meal"
        wait_until(lambda: replay(desk)["seats"]["7"]["state"] == "not_ready", timeout=15)
    finally:
        desk.close()


def test_a_record_export_streams_in_chunks(server, manager):  # noqa: F811
    conn = connect(server)
    query = "start=2026-03-01&end=2026-03-31"
    conn.request(
        "GET",
        f"/reports/records/receptions/export.xlsx?{query}",
        headers={"Cookie": session_cookie(manager.username)},
    )
    response = conn.getresponse()
    content = response.read()
    assert response.status == 200
    assert response.getheader("Transfer-Encoding") == "chunked"  # streamed, not buffered
    assert response.getheader("Content-Length") is None
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert next(sheet.iter_rows(values_only=True))[0]  # the header row


def test_a_stream_stops_when_the_client_disconnects(server, settings):  # noqa: F811
    from tests import serving_probe

    settings.ROOT_URLCONF = "tests.serving_probe"
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
        raw.sendall(b"GET /probe/endless/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        received = 0
        while received < 200_000:
            received += len(raw.recv(65536))
    wait_until(serving_probe.stream_state["closed"].is_set, timeout=30)
    assert serving_probe.stream_state["chunks"] < serving_probe.STREAM_CAP
    conn = connect(server)
    conn.request("GET", "/healthz")
    assert conn.getresponse().status == 200  # the thread is free again


def test_an_upload_larger_than_memory_and_a_chunked_body_reach_django(server, settings):  # noqa: F811
    settings.ROOT_URLCONF = "tests.serving_probe"
    boundary = uuid.uuid4().hex
    payload = b"\x00\xff" * 1_500_000  # 3 MB: past FILE_UPLOAD_MAX_MEMORY_SIZE, spooled to disk
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n说明\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + payload
        + f"\r\n--{boundary}--\r\n".encode()
    )
    conn = connect(server)
    conn.request(
        "POST",
        "/probe/upload/",
        body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    response = conn.getresponse()
    assert response.status == 200
    assert json.loads(response.read()) == {
        "files": {"file": [3_000_000, "a.bin"]},
        "fields": {"note": "说明"},
    }
    pieces = iter([b'{"items": [', b"1, 2, 3", b"]}"])  # no Content-Length: chunked
    conn.request(
        "POST",
        "/probe/echo/",
        body=pieces,
        encode_chunked=True,
        headers={"Content-Type": "application/json"},
    )
    response = conn.getresponse()
    assert json.loads(response.read()) == {"length": 20, "body": {"items": [1, 2, 3]}}


def test_scheme_host_and_client_come_from_the_server_and_no_header_is_spoofed(
    server,  # noqa: F811
    settings,
):
    settings.ROOT_URLCONF = "tests.serving_probe"
    conn = connect(server)
    conn.request("GET", "/probe/", headers={"X-Spoof": "honest"})
    plain = json.loads(conn.getresponse().read())
    assert plain["scheme"] == "http" and plain["host"] == f"127.0.0.1:{server.port}"
    assert plain["remote_addr"] == "127.0.0.1" and plain["spoofed"] == "honest"
    assert plain["thread"].startswith("kefu-http")
    # Behind a proxy on loopback (uvicorn trusts 127.0.0.1 by default).
    conn.request(
        "GET",
        "/probe/",
        headers={
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.9",
            "X_Spoof": "underscore",
        },
    )
    proxied = json.loads(conn.getresponse().read())
    assert proxied["scheme"] == "https" and proxied["remote_addr"] == "203.0.113.9"
    assert proxied["spoofed"] is None  # "X_Spoof" must not pass for "X-Spoof"
