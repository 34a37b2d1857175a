"""Call-center roll-ups from the switch journal's call records and agent state history
(kefu.telephony).

Both are rewritten by the switch while a call or a state lasts (wrap-up time reaches a call
record after the call ended), so they are counted per **local hour**: saving a finished call
record or a closed state stretch marks its hour(s) dirty in the same transaction, and
``refresh_hours`` recounts each marked hour from the raw rows (a few hundred at most) and
replaces that hour's roll-up rows. ``kefu manage refresh_rollups`` runs it in a loop.

Rules (see :mod:`kefu.stats.calls`): inbound calls only, counted in the interval they
arrived; a call that never entered a queue counts under the IVR; the employee of a call or a
state is the staff account whose employee number it carries.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_save

from kefu.accounts.models import User
from kefu.reports.models import AgentHour, AgentReasonHour, DirtyUnit, QueueSlot, StaffSlot
from kefu.reports.registry import CALL_TABLES, TABLES, family, with_months
from kefu.stats.calls import (
    AGENT_HOUR,
    AGENT_REASON_HOUR,
    MAX_SPAN,
    QUEUE_SLOT,
    STAFF_SLOT,
    AgentState,
    CallFact,
    StateSpan,
    call_contributions,
    span_contributions,
)
from kefu.stats.ledger import Ledger
from kefu.stats.periods import SLOT_MINUTES, local_day

SOURCE = "journal"
INBOUND = "inbound"
STATES = {
    "ready": AgentState.READY,
    "ringing": AgentState.RINGING,
    "on_call": AgentState.TALK,
    "wrap_up": AgentState.WRAP,
    "not_ready": AgentState.NOT_READY,
    "dialing": AgentState.OTHER,
}
CALL_FIELDS = (
    "arrived_at", "queue", "answered_at", "abandoned", "wait_seconds", "employee",
    "talk_seconds", "hold_seconds", "wrap_seconds", "transfers", "ivr_path", "offers",
)  # fmt: skip
SPAN_FIELDS = ("employee", "state", "reason", "started_at", "ended_at")


def installed() -> bool:
    return apps.is_installed("kefu.telephony")


def _zone() -> ZoneInfo:
    from kefu.reports.rollup import zone

    return zone()


class Agents:
    """Employee numbers → staff account ids, looked up once per batch."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def load(self, numbers: Iterable[str]) -> None:
        wanted = {n for n in numbers if n and n not in self.ids}
        if wanted:
            self.ids.update(User.objects.filter(username__in=wanted).values_list("username", "pk"))
            for number in wanted:
                self.ids.setdefault(number, 0)

    def __getitem__(self, number: str) -> int:
        return self.ids.get(number, 0)


def call_fact(row: dict[str, Any], agents: Agents) -> CallFact:
    no_answers = tuple(
        agents[offer.get("employee", "")]
        for offer in row["offers"] or ()
        if offer.get("outcome") == "no_answer" and agents[offer.get("employee", "")]
    )
    queued = bool(row["queue"])
    return CallFact(
        entered_at=row["arrived_at"],
        queue=row["queue"],
        answered=row["answered_at"] is not None,
        abandoned=bool(row["abandoned"]),
        wait_seconds=round(row["wait_seconds"] or 0),
        agent_id=agents[row["employee"]],
        answered_at=row["answered_at"],
        talk_seconds=round(row["talk_seconds"] or 0),
        hold_seconds=round(row["hold_seconds"] or 0),
        wrap_seconds=round(row["wrap_seconds"] or 0),
        transfers=len(row["transfers"] or ()),
        ivr_completed=not queued and bool(row["ivr_path"]) and not row["abandoned"],
        no_answer_agents=no_answers,
    )


def state_span(row: dict[str, Any], agents: Agents) -> StateSpan | None:
    agent = agents[row["employee"]]
    if not agent:
        return None
    return StateSpan(
        agent_id=agent,
        state=STATES.get(row["state"], AgentState.OTHER),
        reason=row["reason"] or "",
        start=row["started_at"],
        end=row["ended_at"],
    )


def contributions(calls: list[dict[str, Any]], spans: list[dict[str, Any]]) -> Ledger:
    zone, agents = _zone(), Agents()
    agents.load(r["employee"] for r in calls)
    agents.load(o.get("employee", "") for r in calls for o in r["offers"] or ())
    agents.load(r["employee"] for r in spans)
    ledger = Ledger()
    for row in calls:
        call_contributions(call_fact(row, agents), zone, into=ledger)
    for row in spans:
        span = state_span(row, agents)
        if span is not None:
            span_contributions(span, zone, into=ledger)
    return ledger


def _models() -> tuple[Any, Any]:
    from kefu.telephony.models import AgentStateInterval, CallRecord

    return CallRecord, AgentStateInterval


def hour_bounds(day: date, hour: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(hour), tzinfo=zone)
    return start, start + timedelta(hours=1)


def _hour_rows(day: date, hour: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    call_model, span_model = _models()
    start, end = hour_bounds(day, hour, _zone())
    calls = call_model.objects.filter(
        kind=INBOUND, ended_at__isnull=False, arrived_at__gte=start, arrived_at__lt=end
    )
    spans = span_model.objects.filter(
        ended_at__isnull=False,
        ended_at__gt=start,
        started_at__lt=end,
        started_at__gte=start - MAX_SPAN,
    )
    return list(calls.values(*CALL_FIELDS)), list(spans.values(*SPAN_FIELDS))


def _in_hour(table: str, key: tuple[Any, ...], day: date, hour: int) -> bool:
    if key[0] != day:
        return False
    if table in (QUEUE_SLOT, STAFF_SLOT):
        return bool(key[1] * SLOT_MINUTES // 60 == hour)
    return bool(key[1] == hour)


def recount_hour(day: date, hour: int) -> None:
    """Replace the roll-up rows of one local hour with a recount from the journal; the month
    tables get the difference."""
    from kefu.reports.rollup import apply, stored_ledger

    calls, spans = _hour_rows(day, hour)
    ledger = contributions(calls, spans)
    slots = range(hour * 60 // SLOT_MINUTES, (hour + 1) * 60 // SLOT_MINUTES)
    agent_tables = (TABLES[AGENT_HOUR], TABLES[AGENT_REASON_HOUR])
    old = stored_ledger(agent_tables, day=day, hour=hour)
    QueueSlot.objects.filter(day=day, slot__in=slots).delete()
    StaffSlot.objects.filter(day=day, slot__in=slots).delete()
    AgentHour.objects.filter(day=day, hour=hour).delete()
    AgentReasonHour.objects.filter(day=day, hour=hour).delete()
    new = Ledger()
    for name in (QUEUE_SLOT, STAFF_SLOT, AGENT_HOUR, AGENT_REASON_HOUR):
        table = TABLES[name]
        rows = []
        for key, measures in ledger.rows(name).items():
            if _in_hour(name, key, day, hour):
                rows.append(table.model(**dict(zip(table.key, key, strict=True)), **measures))
                if name in (AGENT_HOUR, AGENT_REASON_HOUR):
                    new.add(name, key, measures)
        table.model.objects.bulk_create(rows)
    change = with_months(new.minus(old))
    apply(Ledger({k: v for k, v in change.tables.items() if k.endswith("@month")}), months=False)


# -- marks ------------------------------------------------------------------------------------


def mark_hours(hours: Iterable[tuple[date, int]]) -> None:
    db_table = connection.ops.quote_name(DirtyUnit._meta.db_table)
    sql = (
        f"INSERT INTO {db_table} (source, day, part, generation) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT (source, day, part) DO UPDATE SET generation = {db_table}.generation + 1"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(SOURCE, day, hour) for day, hour in sorted(set(hours))])


def hours_between(start: datetime, end: datetime, zone: ZoneInfo) -> list[tuple[date, int]]:
    cursor = max(start, end - MAX_SPAN).astimezone(zone).replace(minute=0, second=0, microsecond=0)
    found = []
    while cursor < end:
        found.append((cursor.date(), cursor.hour))
        cursor = (cursor + timedelta(hours=1)).astimezone(zone)
    return found


def refresh_hours(limit: int = 200) -> int:
    """Recount up to ``limit`` marked hours; returns how many."""
    with transaction.atomic():
        marks = DirtyUnit.objects.select_for_update().filter(source=SOURCE)
        seen = {(m.day, m.part): m.generation for m in marks.order_by("day", "part")[:limit]}
        for day, hour in seen:
            recount_hour(day, hour)
        for (day, hour), generation in seen.items():
            DirtyUnit.objects.filter(
                source=SOURCE, day=day, part=hour, generation=generation
            ).delete()
    return len(seen)


def on_call_saved(sender: Any, instance: Any, **_: Any) -> None:
    if instance.ended_at is None:
        return
    if instance.kind == INBOUND:
        zone = _zone()
        local = instance.arrived_at.astimezone(zone)
        mark_hours([(local.date(), local.hour)])
    from kefu.reports.receivers import mark
    from kefu.service.models import ServiceRequest

    for pk in ServiceRequest.objects.filter(call_id=instance.call_id).values_list("pk", flat=True):
        mark(pk)


def on_span_saved(sender: Any, instance: Any, **_: Any) -> None:
    if instance.ended_at is not None:
        mark_hours(hours_between(instance.started_at, instance.ended_at, _zone()))


def connect() -> None:
    if not installed():
        return
    call_model, span_model = _models()
    post_save.connect(on_call_saved, sender=call_model, dispatch_uid="reports.journal.call")
    post_save.connect(on_span_saved, sender=span_model, dispatch_uid="reports.journal.span")


# -- rebuild and lookups ----------------------------------------------------------------------


def rebuild(batch: int = 20000, progress: Any = None) -> int:
    """Empty the call roll-ups and recount every finished call and closed state stretch."""
    if not installed():
        return 0
    call_model, span_model = _models()
    with transaction.atomic():
        for table in family(CALL_TABLES):
            table.model.objects.all().delete()
        DirtyUnit.objects.filter(source=SOURCE).delete()
        from kefu.reports.bulk import BulkRollup

        collector = BulkRollup(CALL_TABLES)
        apply = collector.add
        count = 0
        for model, fields, condition in (
            (call_model, CALL_FIELDS, Q(kind=INBOUND, ended_at__isnull=False)),
            (span_model, SPAN_FIELDS, Q(ended_at__isnull=False)),
        ):
            rows = model.objects.filter(condition).order_by("pk").values(*fields)
            chunk: list[dict[str, Any]] = []
            for row in rows.iterator(chunk_size=batch):
                chunk.append(row)
                if len(chunk) >= batch:
                    count += _apply_chunk(apply, model is call_model, chunk, progress, count)
                    chunk = []
            count += _apply_chunk(apply, model is call_model, chunk, progress, count)
        collector.finish()
    return count


def _apply_chunk(
    apply: Any, is_call: bool, chunk: list[dict[str, Any]], progress: Any, done: int
) -> int:
    if not chunk:
        return 0
    apply(contributions(chunk, []) if is_call else contributions([], chunk))
    if callable(progress):
        progress(done + len(chunk))
    return len(chunk)


def talk_seconds_by_call(call_ids: list[str]) -> dict[str, int]:
    call_model, _span = _models()
    rows = call_model.objects.filter(call_id__in=call_ids, ended_at__isnull=False)
    return {
        call_id: round((talk or 0) + (hold or 0))
        for call_id, talk, hold in rows.values_list("call_id", "talk_seconds", "hold_seconds")
    }


def queue_names(codes: set[str]) -> dict[str, str]:
    if not installed():
        return {code: code for code in codes}
    from kefu.telephony.models import Queue

    names = dict(Queue.objects.filter(code__in=codes).values_list("code", "name"))
    return {code: names.get(code, code) for code in codes}


def recompute_calls_ledger() -> Ledger:
    """Everything the journal contributes, computed afresh in memory (checks and tests)."""
    if not installed():
        return Ledger()
    call_model, span_model = _models()
    calls = list(
        call_model.objects.filter(kind=INBOUND, ended_at__isnull=False).values(*CALL_FIELDS)
    )
    spans = list(span_model.objects.filter(ended_at__isnull=False).values(*SPAN_FIELDS))
    return with_months(contributions(calls, spans))


def local_hour(instant: datetime) -> tuple[date, int]:
    zone = _zone()
    return local_day(instant, zone), instant.astimezone(zone).hour
