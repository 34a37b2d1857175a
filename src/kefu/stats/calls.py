"""What one call and one agent-state span contribute to the call-center roll-ups.

Rules (stated on the report pages):

* A call counts in the queue it first entered and the 15-minute interval in which it
  **arrived** (a call arriving at 23:58 and answered at 00:03 is offered, answered and timed on
  the day it arrived). Calls that never reached a queue count under the IVR (queue "").
* **Offered** = calls that entered the queue; **answered**, **abandoned** (the caller hung up
  while waiting); waits are whole seconds.
* Answered and abandoned calls are also counted *within* each threshold of
  ``SL_THRESHOLDS`` so the service level can be shown for any of them
  (:func:`kefu.stats.kpi.service_level`).
* **Handle time** of an answered call = talk + hold + wrap-up, in the interval it arrived in.
* An agent's calls, handle time and no-answers count in the local hour the call arrived.
* **Agent time** comes from the agent's state spans, split at local 15-minute boundaries and
  summed per hour (an agent logged on across midnight has time on both days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from kefu.stats.ledger import Ledger
from kefu.stats.periods import SLOT_MINUTES, slot_of, split_by_slot

SL_THRESHOLDS: tuple[int, ...] = (10, 15, 20, 30, 45, 60, 90, 120, 180, 300)
"""Seconds for which answered/abandoned-within counts are kept (the service-level choices)."""

QUEUE_SLOT = "queue_slot"  # (day, slot, queue)
AGENT_HOUR = "agent_hour"  # (day, hour, agent)
AGENT_REASON_HOUR = "agent_reason_hour"  # (day, hour, agent, reason)
STAFF_SLOT = "staff_slot"  # (day, slot)

IVR_QUEUE = ""
MAX_SPAN = timedelta(hours=48)
"""A state stretch counts for at most its last 48 hours (a seat left logged on for days is a
forgotten log-off); this also bounds how far back an hour's recount must look."""


class AgentState(StrEnum):
    """The agent states the reports tell apart (the journal's states map onto these)."""

    READY = "ready"
    RINGING = "ringing"
    TALK = "talk"
    HOLD = "hold"
    WRAP = "wrap"
    NOT_READY = "not_ready"
    OTHER = "other"  # logged on, doing something else (intercom, outbound dialling)


BUSY_STATES = (AgentState.TALK, AgentState.HOLD, AgentState.WRAP)
AVAILABLE_STATES = (AgentState.READY, AgentState.RINGING)


@dataclass(frozen=True, kw_only=True)
class CallFact:
    entered_at: datetime  # arrival at the switch
    queue: str = IVR_QUEUE
    answered: bool = False
    abandoned: bool = False
    wait_seconds: int = 0
    agent_id: int = 0
    answered_at: datetime | None = None
    talk_seconds: int = 0
    hold_seconds: int = 0
    wrap_seconds: int = 0
    transfers: int = 0
    ivr_completed: bool = False
    no_answer_agents: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class StateSpan:
    agent_id: int
    state: AgentState
    reason: str
    start: datetime
    end: datetime


def threshold_measure(prefix: str, seconds: int) -> str:
    return f"{prefix}_{seconds}"


def call_contributions(fact: CallFact, zone: ZoneInfo, into: Ledger | None = None) -> Ledger:
    """What the call adds, into a new ledger or added to ``into``."""
    ledger = Ledger() if into is None else into
    day, slot = slot_of(fact.entered_at, zone)
    hour = slot * SLOT_MINUTES // 60
    ledger.add(QUEUE_SLOT, (day, slot, fact.queue), _queue_measures(fact))
    if fact.answered and fact.agent_id:
        measures = {
            "calls": 1,
            "handle_seconds": fact.talk_seconds + fact.hold_seconds + fact.wrap_seconds,
            "transfers": fact.transfers,
        }
        ledger.add(AGENT_HOUR, (day, hour, fact.agent_id), measures)
    for agent in fact.no_answer_agents:
        ledger.add(AGENT_HOUR, (day, hour, agent), {"no_answers": 1})
    return ledger


def _queue_measures(fact: CallFact) -> dict[str, int]:
    if fact.queue == IVR_QUEUE:
        return {"ivr_calls": 1, "ivr_completed": int(fact.ivr_completed)}
    measures = {
        "offered": 1,
        "answered": int(fact.answered),
        "abandoned": int(fact.abandoned),
        "transfers": fact.transfers,
        "max_wait": fact.wait_seconds,
    }
    if fact.answered:
        measures |= {
            "answer_wait": fact.wait_seconds,
            "talk": fact.talk_seconds,
            "hold": fact.hold_seconds,
            "wrap": fact.wrap_seconds,
        }
        for limit in SL_THRESHOLDS:
            measures[threshold_measure("ans", limit)] = int(fact.wait_seconds <= limit)
    if fact.abandoned:
        measures["abandon_wait"] = fact.wait_seconds
        for limit in SL_THRESHOLDS:
            measures[threshold_measure("abn", limit)] = int(fact.wait_seconds <= limit)
    return measures


def span_contributions(span: StateSpan, zone: ZoneInfo, into: Ledger | None = None) -> Ledger:
    """What the stretch adds, into a new ledger or added to ``into``."""
    ledger = Ledger() if into is None else into
    state_measure = f"{span.state.value}_seconds"
    start = max(span.start, span.end - MAX_SPAN)
    for day, slot, seconds in split_by_slot(start, span.end, zone):
        hour = slot * SLOT_MINUTES // 60
        key = (day, hour, span.agent_id)
        ledger.add(AGENT_HOUR, key, {"logged_on_seconds": seconds, state_measure: seconds})
        if span.state is AgentState.NOT_READY:
            ledger.add(AGENT_REASON_HOUR, (*key, span.reason), {"seconds": seconds})
        measures = {"logged_on_seconds": seconds}
        if span.state in BUSY_STATES:
            measures["busy_seconds"] = seconds
        elif span.state in AVAILABLE_STATES:
            measures["available_seconds"] = seconds
        elif span.state is AgentState.NOT_READY:
            measures["not_ready_seconds"] = seconds
        ledger.add(STAFF_SLOT, (day, slot), measures)
    return ledger
