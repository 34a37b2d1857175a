"""The desk's WebSocket on a real server (uvicorn on loopback): a snapshot, then patches that
keep the browser's state equal to a fresh snapshot; a dropped connection resynchronises."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kefu.desk.stream import merge_patch
from kefu.telephony import client
from tests.desk.server import Desk, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def replay(desk: Desk, since: int = 0) -> dict[str, Any]:
    """What the browser holds: the last snapshot, then every later patch merged in order."""
    state: dict[str, Any] | None = None
    for message in list(desk.messages)[since:]:
        if message["type"] == "snapshot":
            state = copy.deepcopy(message["state"])
        elif (
            message["type"] == "event"
            and state is not None
            and message["patch"]["seq"] > state["seq"]
        ):
            merge_patch(state, message["patch"])
    assert state is not None
    return state


def fresh(desk: Desk) -> dict[str, Any]:
    before = len(desk.of_type("snapshot"))
    desk.send({"op": "sync"})
    wait_until(lambda: len(desk.of_type("snapshot")) > before)
    return desk.of_type("snapshot")[-1]["state"]


def comparable(state: dict[str, Any]) -> dict[str, Any]:
    """A seat's stream skips other seats' events, so only the wallboard's seq is comparable."""
    seat_scope = state["scope"].startswith("seat:")
    return {
        k: v for k, v in state.items() if k != "now" and not (seat_scope and k in ("seq", "at"))
    }


def settled(desk: Desk, seq: int) -> None:
    wait_until(
        lambda: (
            any(m["type"] == "event" and m["event"]["seq"] >= seq for m in desk.messages)
            or replay(desk)["seq"] >= seq
        )
    )


def seat_state(desk: Desk, seat: str) -> str:
    return str(replay(desk)["seats"].get(seat, {}).get("state", ""))


def test_snapshot_and_patches_equal_a_fresh_snapshot_through_a_whole_call(
    server, operator, supervisor, manager
):
    assert client.submit_sync({"command": "log_on", "seat_id": "7", "employee_id": "3001"}).ok
    assert client.submit_sync({"command": "log_on", "seat_id": "9", "employee_id": "2001"}).ok
    assert client.submit_sync({"command": "set_not_ready", "seat_id": "9", "reason": "meal"}).ok
    seat = Desk(server, "/ws/desk/seat/7/", "3001").open()
    board = Desk(server, "/ws/desk/wallboard/", "1001").open()
    chief = Desk(server, "/ws/desk/seat/9/", "2001").open()
    try:
        wait_until(lambda: seat.of_type("snapshot") and board.of_type("snapshot"))
        assert (
            seat.command("command", {"command": "set_not_ready"})["error"]["code"]
            == "seat.reason_required"
        )
        assert seat.command("command", {"command": "set_not_ready", "reason": "meal"})["ok"]
        assert seat.command("command", {"command": "set_ready"})["ok"]
        call_id = client.inject_call_sync("13800138000", dialled="4008001234", keys=("2",))
        wait_until(lambda: seat_state(seat, "7") == "ringing", timeout=30)
        assert "answer" in seat.of_type("event")[-1]["legal"]
        for name in ("answer", "hold", "resume", "record_on", "transfer_to_supervisor"):
            answer = seat.command("command", {"command": name})
            assert answer["ok"], (name, answer)
        wait_until(
            lambda: (
                call_id in replay(board)["calls"]
                and replay(board)["calls"][call_id]["target_seat_id"] == "9"
            )
        )
        assert chief.command("command", {"command": "set_ready"})["ok"]
        assert (
            board.command("take", {})["error"]["code"] == "desk.no_seat"
        )  # the manager sits nowhere
        wait_until(lambda: seat_state(chief, "9") == "ringing")
        assert chief.command("command", {"command": "answer"})["ok"]
        result = client.submit_sync({"command": "caller_hang_up", "call_id": call_id})
        assert result.ok
        wait_until(lambda: replay(board)["seq"] >= result.seq)
        wait_until(lambda: call_id not in replay(board)["calls"])
        wait_until(lambda: not replay(chief)["calls"] and not replay(seat)["calls"])
        for desk in (seat, board, chief):
            held = replay(desk)
            assert comparable(held) == comparable(fresh(desk))
        board_state = replay(board)
        assert board_state["queues"]["general"]["offered"] >= 1
        assert board_state["agents"]["3001"]["calls_today"] == 1
    finally:
        for desk in (seat, board, chief):
            desk.close()


def test_a_dropped_connection_resynchronises_without_loss_or_duplicates(server, operator, manager):
    assert client.submit_sync({"command": "log_on", "seat_id": "7", "employee_id": "3001"}).ok
    board = Desk(server, "/ws/desk/wallboard/", "1001").open()
    try:
        wait_until(lambda: board.of_type("snapshot"))
        board.drop()
        wait_until(lambda: board.closed is not None)
        # While the browser is away, the switch goes on.
        call_id = client.inject_call_sync("13900139000", keys=("2",))
        wait_until(
            lambda: client.snapshot_sync("wallboard")["seats"]["7"]["state"] == "ringing",
            timeout=30,
        )
        mark = len(board.messages)
        board.open()  # the page reconnects by itself: a snapshot comes first
        wait_until(
            lambda: len(board.messages) > mark and board.messages[mark]["type"] == "snapshot"
        )
        assert board.messages[mark]["state"]["seats"]["7"]["state"] == "ringing"
        assert client.submit_sync({"command": "answer", "seat_id": "7"}).ok
        wait_until(lambda: replay(board, mark)["seats"]["7"]["state"] == "on_call")
        seqs = [m["event"]["seq"] for m in board.messages[mark:] if m["type"] == "event"]
        assert seqs == sorted(set(seqs)) and seqs[0] > board.messages[mark]["state"]["seq"]
        # Events are published after they are journalled: wait for the last delta to arrive
        # before comparing the replayed state with a fresh snapshot.
        wait_until(lambda: comparable(replay(board, mark)) == comparable(fresh(board)))
        assert replay(board, mark)["calls"][call_id]["state"] == "talking"
    finally:
        board.close()


def test_a_second_tab_joins_the_same_seat(server, operator):
    assert client.submit_sync({"command": "log_on", "seat_id": "7", "employee_id": "3001"}).ok
    first = Desk(server, "/ws/desk/seat/7/", "3001").open()
    second = Desk(server, "/ws/desk/seat/7/", "3001").open()
    try:
        wait_until(lambda: first.of_type("snapshot") and second.of_type("snapshot"))
        assert second.command("command", {"command": "set_not_ready", "reason": "meal"})["ok"]
        assert first.command("command", {"command": "set_ready"})["ok"]
        wait_until(lambda: seat_state(first, "7") == "ready" and seat_state(second, "7") == "ready")
        logons = [
            e
            for e in client.snapshot_sync("wallboard")["seats"].values()
            if e["employee_id"] == "3001"
        ]
        assert len(logons) == 1
    finally:
        first.close()
        second.close()
