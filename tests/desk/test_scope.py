"""What each role sees over the real WebSocket: an operator their own seat, a supervisor the
seats, agents, queues and calls of their groups, a manager everything — and a supervisor's
snapshot plus patches stays equal to a fresh snapshot while their reach changes."""

from __future__ import annotations

from typing import Any

import pytest

from kefu.telephony import client
from tests.desk.server import Desk, wait_until
from tests.desk.test_websocket import comparable, fresh, replay, settled

pytestmark = pytest.mark.django_db(transaction=True)

# center: queue "general" has seats 7 and 8, "sales" seat 7; 9 is the supervisor seat.
# 3001 is in group A with the supervisor 2001; 3005 is in group B; 1001 is a manager.


def submit(command: dict[str, Any]) -> int:
    result = client.submit_sync(command)
    assert result.ok, result.error
    return int(result.seq)


def ringing_call(seat: str) -> str:
    def found() -> str:
        return str(client.snapshot_sync("wallboard")["seats"][seat]["call_id"])

    return str(wait_until(found, timeout=30))


def caught_up(*desks: Desk) -> None:
    seq = client.snapshot_sync("wallboard")["seq"]
    for desk in desks:
        settled(desk, seq)


def test_an_operator_sees_only_their_own_seat(server, operator, other_operator):
    submit({"command": "log_on", "seat_id": "7", "employee_id": "3001"})
    submit({"command": "log_on", "seat_id": "8", "employee_id": "3005"})
    submit({"command": "set_not_ready", "seat_id": "8", "reason": "meal"})
    desk = Desk(server, "/ws/desk/seat/7/", "3001").open()
    try:
        wait_until(lambda: desk.of_type("snapshot"))
        state = desk.of_type("snapshot")[0]["state"]
        assert set(state["seats"]) == {"7"} and set(state["agents"]) == {"3001"}
        assert state["queues"] == {} and state["calls"] == {}
        call = client.inject_call_sync("13800000008", keys=("2",))  # 8 is not ready: rings 7
        wait_until(lambda: replay(desk)["seats"]["7"]["state"] == "ringing", timeout=30)
        assert set(replay(desk)["calls"]) == {call}
        for message in desk.of_type("event"):
            patch = message["patch"]
            assert set(patch["seats"]) <= {"7"} and set(patch["agents"]) <= {"3001"}
            assert patch["queues"] == {}
        assert comparable(replay(desk)) == comparable(fresh(desk))
    finally:
        desk.close()


def test_a_supervisor_sees_the_queues_and_calls_of_their_groups(
    server, operator, other_operator, supervisor, manager
):
    submit({"command": "log_on", "seat_id": "7", "employee_id": "3005"})  # group B
    submit({"command": "log_on", "seat_id": "8", "employee_id": "3001"})  # group A
    chief = Desk(server, "/ws/desk/wallboard/", "2001").open()
    boss = Desk(server, "/ws/desk/wallboard/", "1001").open()
    try:
        wait_until(lambda: chief.of_type("snapshot") and boss.of_type("snapshot"))
        seen = chief.of_type("snapshot")[0]["state"]
        assert set(seen["queues"]) == {"general"}  # seat 8 of A serves general, not sales
        assert "7" not in seen["seats"] and seen["seats"]["8"]["employee_id"] == "3001"
        assert set(seen["agents"]) == {"3001"}
        assert set(boss.of_type("snapshot")[0]["state"]["queues"]) == {"general", "sales"}

        sale = client.inject_call_sync("13800000001", keys=("1",))  # sales: rings 7 (group B)
        assert ringing_call("7") == sale
        general = client.inject_call_sync("13800000002", keys=("2",))  # general: rings 8
        assert ringing_call("8") == general
        caught_up(chief, boss)
        mine = replay(chief)
        assert general in mine["calls"] and sale not in mine["calls"]
        assert {general, sale} <= set(replay(boss)["calls"])
        assert mine["queues"]["general"]["offered"] == 1 and "sales" not in mine["queues"]
        assert comparable(mine) == comparable(fresh(chief))

        # Everyone leaves: the supervisor's queues go; a sales call waits unseen by them.
        submit({"command": "caller_hang_up", "call_id": sale})
        submit({"command": "caller_hang_up", "call_id": general})
        submit({"command": "log_off", "seat_id": "7"})
        seq = submit({"command": "log_off", "seat_id": "8"})
        settled(chief, seq)
        gone = replay(chief)
        assert gone["queues"] == {} and gone["calls"] == {}
        assert comparable(gone) == comparable(fresh(chief))
        waiting = client.inject_call_sync("13800000003", keys=("1",))  # sales, nobody there

        def queued() -> bool:
            call = client.snapshot_sync("wallboard")["calls"].get(waiting)
            return bool(call and call["state"] == "queued")

        wait_until(queued, timeout=30)
        caught_up(chief, boss)
        assert waiting not in replay(chief)["calls"] and waiting in replay(boss)["calls"]

        # 3001 of group A sits at seat 7: general and sales appear, with the waiting call.
        seq = submit({"command": "log_on", "seat_id": "7", "employee_id": "3001"})
        settled(chief, seq)
        back = replay(chief)
        assert set(back["queues"]) == {"general", "sales"} and waiting in back["calls"]
        assert back["queues"]["sales"]["offered"] == 2
        assert comparable(back) == comparable(fresh(chief))
        assert comparable(replay(boss)) == comparable(fresh(boss))
    finally:
        chief.close()
        boss.close()


def test_the_abandoned_list_holds_the_calls_of_the_queues_a_supervisor_sees(
    server, operator, supervisor, manager
):
    from django.test import Client
    from django.utils import timezone

    from kefu.telephony.models import CallRecord

    submit({"command": "log_on", "seat_id": "8", "employee_id": "3001"})  # 8 serves "general"
    now = timezone.now()
    for call_id, queue, caller in [
        ("ab-1", "general", "13700000001"),
        ("ab-2", "sales", "13700000002"),
    ]:
        CallRecord.objects.create(
            call_id=call_id,
            kind="inbound",
            arrived_at=now,
            caller=caller,
            queue=queue,
            abandoned=True,
        )
    chief, boss = Client(), Client()
    chief.force_login(supervisor)
    boss.force_login(manager)
    seen = chief.get("/desk/console/abandoned/").content.decode()
    assert "13700000001" in seen and "13700000002" not in seen
    everything = boss.get("/desk/console/abandoned/").content.decode()
    assert "13700000001" in everything and "13700000002" in everything
