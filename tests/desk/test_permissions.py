"""Who may use which desk: seats for their own employee, the console for supervisors (their
groups only) and managers (everyone); every command checked and refused with a reason."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.telephony import client
from tests.conftest import PASSWORD
from tests.desk.server import Desk, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def log_on(seat: str, employee: str) -> None:
    assert client.submit_sync({"command": "log_on", "seat_id": seat, "employee_id": employee}).ok


def refused(desk: Desk) -> str:
    wait_until(lambda: desk.closed is not None)
    return str(desk.of_type("refused")[0]["message"])


def test_desks_refuse_people_without_the_right(server, operator, outsider):
    log_on("7", "3001")
    for path, who, reason in (
        ("/ws/desk/wallboard/", "3001", "您没有使用班长席的权限。"),
        ("/ws/desk/seat/7/", "5999", "您没有使用话务席的权限。"),
        ("/ws/desk/seat/8/", "3001", "您没有在坐席 8 登录。"),
    ):
        desk = Desk(server, path, who).open()
        try:
            assert refused(desk) == reason
            assert desk.closed == 4403 and not desk.of_type("snapshot")
        finally:
            desk.close()


def test_seat_commands_are_validated_and_bound_to_the_own_seat(server, operator, other_operator):
    log_on("7", "3001")
    log_on("8", "3005")
    desk = Desk(server, "/ws/desk/seat/7/", "3001").open()
    try:
        wait_until(lambda: desk.of_type("snapshot"))
        answer = desk.command("command", {"command": "log_on", "employee_id": "3005"})
        assert answer["error"] == {"code": "command.unknown", "message": "未知的坐席命令：log_on。"}
        answer = desk.command("command", {"command": "set_not_ready", "reason": "sleep"})
        assert answer["error"]["message"] == "示忙原因“sleep”不存在。"
        answer = desk.command("command", {"command": "intercom_start", "target_seat_id": "77"})
        assert answer["error"]["code"] == "seat.unknown"
        answer = desk.command("command", {"command": "hang_up"})  # the switch's own reason
        assert answer["error"]["message"] == "坐席当前没有通话。"
        # The seat comes from the connection: a message naming seat 8 still acts on seat 7.
        assert desk.command("command", {"command": "log_off", "seat_id": "8"})["ok"]
        state = client.snapshot_sync("wallboard")["seats"]
        assert state["7"]["state"] == "logged_off" and state["8"]["employee_id"] == "3005"
        # Once the log-off reaches this desk's view, the desk itself refuses (until then the
        # switch refuses with its own reason; either way nothing happens on the seat).
        refusals = []
        wait_until(
            lambda: (
                refusals.append(desk.command("command", {"command": "set_ready"})["error"])
                or refusals[-1]["message"] == "您没有在坐席 7 登录。"
            )
        )
        assert all(r["code"] for r in refusals)
    finally:
        desk.close()


def test_a_supervisor_sees_and_steers_only_their_groups(
    server, operator, other_operator, supervisor, manager
):
    log_on("7", "3001")  # group A, like the supervisor
    log_on("8", "3005")  # group B
    chief = Desk(server, "/ws/desk/wallboard/", "2001").open()
    boss = Desk(server, "/ws/desk/wallboard/", "1001").open()
    try:
        wait_until(lambda: chief.of_type("snapshot") and boss.of_type("snapshot"))
        seen = chief.of_type("snapshot")[0]["state"]
        assert "7" in seen["seats"] and "8" not in seen["seats"]
        assert {"7", "8"} <= set(boss.of_type("snapshot")[0]["state"]["seats"])
        answer = chief.command("steer", {"command": "log_off", "seat_id": "8"})
        assert answer["error"]["message"] == "您不能操作坐席 8。"
        answer = chief.command(
            "steer", {"command": "set_not_ready", "seat_id": "7", "reason": "meeting"}
        )
        assert answer["ok"]
        assert boss.command("steer", {"command": "log_off", "seat_id": "8"})["ok"]
        state = client.snapshot_sync("wallboard")["seats"]
        assert state["7"]["reason"] == "meeting" and state["8"]["state"] == "logged_off"
        answer = chief.command("callback", {"number": "13800138000"})
        assert answer["error"]["message"] == "请先在话务席登录，才能回拨。"
        wait_until(
            lambda: any(
                m["type"] == "event" and "8" in m["patch"].get("seats", {}) for m in boss.messages
            )
        )
        shown = [
            entry
            for message in chief.of_type("event")
            for entry in message["patch"].get("seats", {}).values()
            if entry
        ]
        assert shown and all(entry["employee_id"] != "3005" for entry in shown)
        assert all(
            "3005" not in m["patch"].get("agents", {}) or m["patch"]["agents"]["3005"] is None
            for m in chief.of_type("event")
        )
    finally:
        chief.close()
        boss.close()


def test_pages_need_their_permission(server, operator, supervisor, outsider):
    browser = Client()
    browser.login(username="5999", password=PASSWORD)
    assert browser.get("/desk/seat/").status_code == 403
    assert browser.get("/desk/console/").status_code == 403
    browser.login(username="3001", password=PASSWORD)
    assert browser.get("/desk/console/").status_code == 403
    assert browser.get("/desk/seat/").status_code == 200
    assert browser.get("/desk/pop/inj-1/").status_code == 404  # not a call of the seat
    browser.login(username="2001", password=PASSWORD)
    assert browser.get("/desk/console/").status_code == 200
