"""The switch journal in Asterisk's ``queue_log`` format, for existing queue-report tools.

One line per queue event, fields separated by ``|``::

    epoch|callid|queuename|agent|event|data1|data2|data3|data4|data5

``callid`` is the switch's call id (``NONE`` for agent and system lines), ``agent`` is
``Agent/<employee number>`` (``NONE`` when there is none). Lines written, from the journal:

============================  ====================================================
journal event                 queue_log line (data fields)
============================  ====================================================
switch.started                QUEUESTART (NONE|NONE|NONE)
call.queued (a new queue)     ENTERQUEUE ||caller|position
call.offer_timed_out          RINGNOANSWER  ring milliseconds
call.answered                 CONNECT  holdtime|bridged call id|ring seconds
call.transferred              TRANSFER  seat|supervisor|holdtime|calltime|origposition
call.abandoned                ABANDON  position|origposition|waittime
call.overflowed, voicemail,   EXITWITHTIMEOUT  position|origposition|waittime
callback after maximum wait
call.ended (after CONNECT)    COMPLETECALLER or COMPLETEAGENT  holdtime|calltime|origposition
seat.logged_on / logged_off   AGENTLOGIN / AGENTLOGOFF  SIP/<seat>[|logintime]
seat.state_changed            PAUSE (to not ready, with the reason) / UNPAUSE (back)
============================  ====================================================

Positions are 1-based, times whole seconds. A call whose entry lies before the exported period
gets ``0`` for what the period does not show.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kefu.telephony.models import SwitchEvent


@dataclass
class _Call:
    caller: str = ""
    queue: str = ""
    entered: float = 0.0
    position: int = 0
    answered: float | None = None
    agent: str = "NONE"
    offered: dict[str, float] = field(default_factory=dict)
    done: bool = False  # left the queue for good (transferred, abandoned, timed out)


def _agent(employee: str) -> str:
    return f"Agent/{employee}" if employee else "NONE"


def _line(at: float, call_id: str, queue: str, agent: str, event: str, *data: Any) -> str:
    fields = [str(int(at)), call_id or "NONE", queue or "NONE", agent, event]
    fields += ["" if value is None else str(value).replace("|", "/") for value in data]
    return "|".join(fields)


class QueueLogWriter:
    """Turns journal rows (in sequence order) into queue_log lines."""

    def __init__(self) -> None:
        self.calls: dict[str, _Call] = {}
        self.logged_on: dict[str, float] = {}
        self.paused: set[str] = set()

    def lines(self, rows: Iterable[tuple[float, str, dict[str, Any]]]) -> Iterator[str]:
        for at, kind, data in rows:
            handler = getattr(self, "_" + kind.replace(".", "_"), None)
            if handler is not None:
                yield from handler(at, data)

    def _call(self, data: dict[str, Any]) -> _Call:
        return self.calls.setdefault(data["call_id"], _Call())

    def _switch_started(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        yield _line(at, "NONE", "NONE", "NONE", "QUEUESTART")

    def _call_queued(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        call = self._call(data)
        if call.queue == data["queue_id"] and not call.done:
            return
        call.queue, call.entered, call.position = data["queue_id"], at, int(data["position"])
        call.done = False
        yield _line(
            at, data["call_id"], call.queue, "NONE", "ENTERQUEUE", "", call.caller, call.position
        )

    def _call_arrived(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        self.calls[data["call_id"]] = _Call(caller=data["caller"])
        return iter(())

    def _call_offered(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        self._call(data).offered[data["seat_id"]] = at
        return iter(())

    def _call_offer_timed_out(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        call = self._call(data)
        rang = at - call.offered.pop(data["seat_id"], at)
        yield _line(
            at,
            data["call_id"],
            call.queue,
            _agent(data["employee_id"]),
            "RINGNOANSWER",
            int(rang * 1000),
        )

    def _call_answered(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        call = self._call(data)
        if call.answered is not None or call.done:
            return  # a transferred call taken at the supervisor seat: no longer a queue call
        call.answered, call.agent = at, _agent(data["employee_id"])
        rang = at - call.offered.get(data["seat_id"], at)
        yield _line(
            at,
            data["call_id"],
            call.queue,
            call.agent,
            "CONNECT",
            int(data["waited"]),
            data["call_id"],
            int(rang),
        )

    def _call_transferred(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        call = self._call(data)
        if call.done or call.answered is None:
            return
        call.done = True
        hold = int(call.answered - call.entered) if call.entered else 0
        yield _line(
            at,
            data["call_id"],
            call.queue,
            call.agent,
            "TRANSFER",
            data["to_seat_id"],
            "supervisor",
            hold,
            int(at - call.answered),
            call.position,
        )

    def _call_abandoned(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        call = self._call(data)
        call.done = True
        yield _line(
            at,
            data["call_id"],
            call.queue or data["queue_id"],
            "NONE",
            "ABANDON",
            call.position,
            call.position,
            int(data["waited"]),
        )

    def _timeout(self, at: float, data: dict[str, Any], queue: str) -> Iterator[str]:
        call = self._call(data)
        call.done = True
        waited = int(at - call.entered) if call.entered else 0
        yield _line(
            at,
            data["call_id"],
            queue,
            "NONE",
            "EXITWITHTIMEOUT",
            call.position,
            call.position,
            waited,
        )

    def _call_overflowed(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        return self._timeout(at, data, data["from_queue_id"])

    def _call_voicemail_started(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        return self._timeout(at, data, data["queue_id"])

    def _call_callback_requested(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        return self._timeout(at, data, data["queue_id"])

    def _call_ended(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        call = self.calls.pop(data["call_id"], None)
        if call is None or call.answered is None or call.done:
            return
        event = "COMPLETEAGENT" if data["released_by"] == "agent" else "COMPLETECALLER"
        hold = int(call.answered - call.entered) if call.entered else 0
        yield _line(
            at,
            data["call_id"],
            call.queue,
            call.agent,
            event,
            hold,
            int(at - call.answered),
            call.position,
        )

    def _seat_logged_on(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        self.logged_on[data["employee_id"]] = at
        yield _line(
            at, "NONE", "NONE", _agent(data["employee_id"]), "AGENTLOGIN", f"SIP/{data['seat_id']}"
        )

    def _seat_logged_off(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        since = self.logged_on.pop(data["employee_id"], None)
        logged = int(at - since) if since is not None else int(data["stats"]["logged_seconds"])
        self.paused.discard(data["seat_id"])
        yield _line(
            at,
            "NONE",
            "NONE",
            _agent(data["employee_id"]),
            "AGENTLOGOFF",
            f"SIP/{data['seat_id']}",
            logged,
        )

    def _seat_state_changed(self, at: float, data: dict[str, Any]) -> Iterator[str]:
        seat, agent = data["seat_id"], _agent(data["employee_id"])
        if data["state"] == "not_ready" and seat not in self.paused:
            self.paused.add(seat)
            yield _line(at, "NONE", "NONE", agent, "PAUSE", data["reason"])
        elif data["state"] == "ready" and seat in self.paused:
            self.paused.discard(seat)
            yield _line(at, "NONE", "NONE", agent, "UNPAUSE", "")


def export_lines(since: datetime | None = None, until: datetime | None = None) -> Iterator[str]:
    """queue_log lines for journal events in [since, until), oldest first."""
    rows = SwitchEvent.objects.order_by("seq")
    if since is not None:
        rows = rows.filter(at__gte=since)
    if until is not None:
        rows = rows.filter(at__lt=until)
    source = ((row.at.timestamp(), row.type, row.payload) for row in rows.iterator(chunk_size=2000))
    return QueueLogWriter().lines(source)
