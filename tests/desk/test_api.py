"""Seat commands over the REST API (/api/v1/desk/): the desk's checks, JSON refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kefu.telephony import client
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def log_on(seat: str, employee: str) -> None:
    assert client.submit_sync({"command": "log_on", "seat_id": seat, "employee_id": employee}).ok


def browser(username: str) -> Client:
    found = Client()
    assert found.login(username=username, password=PASSWORD)
    return found


def send(who: Client, seat: str, command: str, **args: Any) -> tuple[int, dict[str, Any]]:
    response = who.post(
        f"/api/v1/desk/seats/{seat}/commands",
        {"command": command, "args": args},
        content_type="application/json",
    )
    return response.status_code, response.json()


def seat_state(seat: str) -> dict[str, Any]:
    return dict(client.snapshot_sync("wallboard")["seats"][seat])


def test_an_operator_commands_their_own_seat_only(server, operator, other_operator):
    log_on("7", "3001")
    log_on("8", "3005")
    me = browser("3001")
    shown = me.get("/api/v1/desk/seats/7/")
    assert shown.status_code == 200
    assert shown.json()["state"] == "ready" and shown.json()["employee_id"] == "3001"
    assert "set_not_ready" in shown.json()["legal"] and "answer" not in shown.json()["legal"]
    status, body = send(me, "7", "set_not_ready", reason="meal")
    assert status == 200 and body["ok"] and "seat.state_changed" in body["events"]
    assert body["seat"]["state"] == "not_ready" and body["seat"]["reason"] == "meal"
    assert seat_state("7")["reason"] == "meal"
    status, body = send(me, "8", "set_not_ready", reason="meal")
    assert (status, body) == (403, {"detail": "您没有在坐席 8 登录。", "code": "desk.forbidden"})
    assert seat_state("8")["state"] == "ready"
    assert me.get("/api/v1/desk/seats/8/").status_code == 403
    assert me.get("/api/v1/desk/seats/77/").status_code == 404


def test_commands_are_validated_and_the_switch_gives_its_reason(server, operator):
    log_on("7", "3001")
    me = browser("3001")
    assert send(me, "7", "explode") == (
        422,
        {"detail": "未知的坐席命令：explode。", "code": "command.unknown"},
    )
    assert send(me, "7", "log_on", employee_id="3001")[1]["code"] == "command.unknown"
    assert send(me, "7", "set_not_ready") == (
        422,
        {"detail": "请选择示忙原因。", "code": "seat.reason_required"},
    )
    status, body = send(me, "7", "set_not_ready", reason="sleep")
    assert (status, body["detail"]) == (422, "示忙原因“sleep”不存在。")
    status, body = send(me, "7", "intercom_start", target_seat_id="77")
    assert (status, body["code"]) == (422, "seat.unknown")
    status, body = send(me, "7", "hang_up")  # legal only on a call: the switch's own reason
    assert (status, body["detail"]) == (409, "坐席当前没有通话。")
    assert body["code"].startswith("seat.") or body["code"].startswith("call.")
    bad = me.post("/api/v1/desk/seats/7/commands", {"args": {}}, content_type="application/json")
    assert bad.status_code == 422  # no command at all: the API's validation
    assert seat_state("7")["state"] == "ready"


def test_a_supervisor_steers_seats_of_their_groups_only(
    server, operator, other_operator, supervisor, manager, outsider
):
    log_on("7", "3001")  # group A, like the supervisor
    log_on("8", "3005")  # group B
    chief = browser("2001")
    assert chief.get("/api/v1/desk/seats/7/").json()["employee_id"] == "3001"
    status, body = send(chief, "7", "set_not_ready", reason="meeting")
    assert status == 200 and body["seat"]["reason"] == "meeting"
    assert send(chief, "7", "answer") == (
        422,
        {"detail": "未知的班长命令：answer。", "code": "command.unknown"},
    )
    assert send(chief, "8", "log_off") == (
        403,
        {"detail": "您不能操作坐席 8。", "code": "desk.forbidden"},
    )
    assert chief.get("/api/v1/desk/seats/8/").status_code == 403
    assert seat_state("8")["state"] == "ready"
    boss = browser("1001")  # a manager: every seat
    assert boss.get("/api/v1/desk/seats/8/").status_code == 200
    status, body = send(boss, "8", "log_off")
    assert status == 200 and body["seat"]["state"] == "logged_off"
    stranger = browser("5999")
    status, body = send(stranger, "7", "set_ready")
    assert (status, body["code"]) == (403, "desk.forbidden")


def test_token_callers_and_the_openapi_document(server, operator):
    from kefu.accounts.actions import do_issue_api_token

    log_on("7", "3001")
    key = do_issue_api_token(operator, name="desk")[1]
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    anonymous = Client()
    response = anonymous.post(
        "/api/v1/desk/seats/7/commands",
        {"command": "set_not_ready", "args": {"reason": "meal"}},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["seat"]["state"] == "not_ready"
    assert anonymous.get("/api/v1/desk/seats/7/").status_code == 401
    paths = anonymous.get("/api/v1/openapi.json").json()["paths"]
    post = paths["/api/v1/desk/seats/{seat}/commands"]["post"]
    assert {"200", "403", "404", "409", "422", "503"} <= set(post["responses"])
    assert "get" in paths["/api/v1/desk/seats/{seat}/"]
