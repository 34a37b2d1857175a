"""What one service request contributes to the roll-ups (M2 and the request figures).

A request is read into a :class:`RequestFact` (its own fields, replies, status moves, survey,
SLA clocks and work orders); :func:`request_contributions` turns it into a :class:`Ledger`.
The rules, which the report pages state next to the figures:

* **Reception (接待)**: an accepted request, on the local day it was accepted, for the
  employee who accepted it and the group (组别) recorded on the request. Its time is the
  talk time of the call it was accepted on (phone receptions); other channels have no
  measured time and add 0 s.
* **Reply (回复)**: a reply form, on the local day it started, for the employee who replied,
  in the request's group and type, split by reply channel. Its time is the reply's duration.
* **Processing rate (处理率)** per type = replies ÷ receptions × 100 % of the same period
  (see :mod:`kefu.stats.kpi`).
* **Closed / reopened**: entering the closed status group, and leaving it again, on the day
  it happened; backlog at the end of a day = received − closed + reopened up to that day.
* **First-contact resolution**: the first reply that reached the customer is final, was given
  during the acceptance contact (it started no later than the acceptance, or quotes the same
  call) and the request was never reopened.
* **Satisfaction**: on the day the survey was answered, for the employee who gave the final
  reply (else the one who accepted it).
* **SLA**: a clock counts on the day it was decided: met when stopped in time, breached at
  the instant its target passed (also while still running). Pending clocks do not count.
* **Departments**: work orders dispatched, done and done late (after the deadline), by the
  department they were sent to, on the day of each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from kefu.stats.ledger import Ledger
from kefu.stats.periods import local_day

NO_ID = 0
"""Stands for "none" in a key (no group, no unit, no product): keys never hold NULL."""

REQUEST_DAY = "request_day"  # (day, team, creator, kind, channel)
REPLY_DAY = "reply_day"  # (day, team, person, kind, reply channel)
DIMENSION_DAY = "dimension_day"  # (day, dimension, value, team, kind)
DEPARTMENT_DAY = "department_day"  # (day, department, team, kind)
SLA_DAY = "sla_day"  # (day, team, person, kind, clock)
SURVEY_DAY = "survey_day"  # (day, team, person, kind)

UNIT = "unit"
PRODUCT = "product"


@dataclass(frozen=True, kw_only=True)
class ReplyFact:
    person_id: int
    channel: str
    started_at: datetime
    seconds: int
    reached: bool  # the customer was told (informed / sent)
    final: bool
    call_id: str = ""


@dataclass(frozen=True, kw_only=True)
class SurveyFact:
    answered_at: datetime
    csat: int | None
    nps: int | None


@dataclass(frozen=True, kw_only=True)
class ClockFact:
    kind: str
    met_at: datetime | None  # stopped in time
    breached_at: datetime | None  # target passed (running or stopped)
    person_id: int = NO_ID


@dataclass(frozen=True, kw_only=True)
class WorkOrderFact:
    department_id: int
    created_at: datetime
    finished_at: datetime | None
    done: bool
    late: bool


@dataclass(frozen=True, kw_only=True)
class RequestFact:
    kind: str
    channel: str
    created_at: datetime
    creator_id: int
    team_id: int = NO_ID
    unit_id: int = NO_ID
    product_id: int = NO_ID
    call_id: str = ""
    reception_seconds: int = 0
    replies: tuple[ReplyFact, ...] = ()
    closed: tuple[datetime, ...] = ()
    reopened: tuple[datetime, ...] = ()
    survey: SurveyFact | None = None
    clocks: tuple[ClockFact, ...] = ()
    work_orders: tuple[WorkOrderFact, ...] = field(default_factory=tuple)


def first_contact_resolved(fact: RequestFact) -> bool:
    if fact.reopened:
        return False
    reached = sorted((r for r in fact.replies if r.reached), key=lambda r: r.started_at)
    if not reached or not reached[0].final:
        return False
    first = reached[0]
    same_call = bool(fact.call_id) and first.call_id == fact.call_id
    return same_call or first.started_at <= fact.created_at


def satisfaction_agent(fact: RequestFact) -> int:
    finals = [r for r in fact.replies if r.final and r.reached]
    if finals:
        return max(finals, key=lambda r: r.started_at).person_id
    return fact.creator_id


def request_contributions(fact: RequestFact, zone: ZoneInfo) -> Ledger:
    ledger = Ledger()
    _reception(ledger, fact, zone)
    _replies(ledger, fact, zone)
    _dimensions(ledger, fact, zone)
    _survey(ledger, fact, zone)
    _clocks(ledger, fact, zone)
    _work_orders(ledger, fact, zone)
    return ledger


def _request_key(fact: RequestFact, at: datetime, zone: ZoneInfo) -> tuple[object, ...]:
    return (local_day(at, zone), fact.team_id, fact.creator_id, fact.kind, fact.channel)


def _reception(ledger: Ledger, fact: RequestFact, zone: ZoneInfo) -> None:
    ledger.add(
        REQUEST_DAY,
        _request_key(fact, fact.created_at, zone),
        {
            "received": 1,
            "reception_seconds": fact.reception_seconds,
            "fcr": int(first_contact_resolved(fact)),
        },
    )
    for at in fact.closed:
        ledger.add(REQUEST_DAY, _request_key(fact, at, zone), {"closed": 1})
    for at in fact.reopened:
        ledger.add(REQUEST_DAY, _request_key(fact, at, zone), {"reopened": 1})


def _replies(ledger: Ledger, fact: RequestFact, zone: ZoneInfo) -> None:
    for reply in fact.replies:
        key = (
            local_day(reply.started_at, zone),
            fact.team_id,
            reply.person_id,
            fact.kind,
            reply.channel,
        )
        measures = {
            "replies": 1,
            "reply_seconds": reply.seconds,
            "reached": int(reply.reached),
            "final": int(reply.final),
        }
        ledger.add(REPLY_DAY, key, measures)


def _dimensions(ledger: Ledger, fact: RequestFact, zone: ZoneInfo) -> None:
    for dimension, value in ((UNIT, fact.unit_id), (PRODUCT, fact.product_id)):
        day = local_day(fact.created_at, zone)
        ledger.add(DIMENSION_DAY, (day, dimension, value, fact.team_id, fact.kind), {"created": 1})
        for at in fact.closed:
            key = (local_day(at, zone), dimension, value, fact.team_id, fact.kind)
            ledger.add(DIMENSION_DAY, key, {"closed": 1})
        for at in fact.reopened:
            key = (local_day(at, zone), dimension, value, fact.team_id, fact.kind)
            ledger.add(DIMENSION_DAY, key, {"reopened": 1})


def _survey(ledger: Ledger, fact: RequestFact, zone: ZoneInfo) -> None:
    survey = fact.survey
    if survey is None:
        return
    key = (local_day(survey.answered_at, zone), fact.team_id, satisfaction_agent(fact), fact.kind)
    measures = {"answered": 1}
    if survey.csat is not None:
        measures |= {"csat_n": 1, "csat_sum": survey.csat, "satisfied": int(survey.csat >= 4)}
    if survey.nps is not None:
        measures |= {
            "nps_n": 1,
            "promoters": int(survey.nps >= 9),
            "detractors": int(survey.nps <= 6),
        }
    ledger.add(SURVEY_DAY, key, measures)


def _clocks(ledger: Ledger, fact: RequestFact, zone: ZoneInfo) -> None:
    for clock in fact.clocks:
        if clock.breached_at is not None:
            at, measure = clock.breached_at, "breached"
        elif clock.met_at is not None:
            at, measure = clock.met_at, "met"
        else:
            continue
        key = (local_day(at, zone), fact.team_id, clock.person_id, fact.kind, clock.kind)
        ledger.add(SLA_DAY, key, {measure: 1})


def _work_orders(ledger: Ledger, fact: RequestFact, zone: ZoneInfo) -> None:
    for order in fact.work_orders:
        key = (local_day(order.created_at, zone), order.department_id, fact.team_id, fact.kind)
        ledger.add(DEPARTMENT_DAY, key, {"dispatched": 1})
        if order.done and order.finished_at is not None:
            key = (local_day(order.finished_at, zone), order.department_id, fact.team_id, fact.kind)
            ledger.add(DEPARTMENT_DAY, key, {"done": 1, "late": int(order.late)})
