"""Firing a due alarm: warn the handler, note the breach, escalate level by level — explained.

Each firing writes an :class:`~kefu.sla.models.Escalation` row whose explanation states which
clock, when it fell due, how much business time was used of how much, which policy and level,
and who was told; the same text goes to the people notified.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kefu.accounts.models import User
from kefu.sla import calendar as domain
from kefu.sla import clocks
from kefu.sla.clocks import AlarmKind
from kefu.sla.loading import CalendarCache
from kefu.sla.models import (
    Escalation,
    EscalationLevel,
    EscalationTarget,
    EventState,
    ScheduledEvent,
    SlaClock,
)
from kefu.sla.notify import notify
from kefu.sla.recipients import resolve
from kefu.sla.scheduler import escalation_levels, planned_alarm, reschedule


def business_text(value: timedelta) -> str:
    """A business duration for people: 4小时30分."""
    total = int(abs(value).total_seconds()) // 60
    hours, minutes = divmod(total, 60)
    sign = "-" if value < timedelta(0) else ""
    if hours and minutes:
        return _("%(sign)s%(h)d小时%(m)d分") % {"sign": sign, "h": hours, "m": minutes}
    if hours:
        return _("%(sign)s%(h)d小时") % {"sign": sign, "h": hours}
    return _("%(sign)s%(m)d分钟") % {"sign": sign, "m": minutes}


def request_link(clock: SlaClock) -> str:
    try:
        return reverse("service:request_detail", args=[clock.request_id])
    except NoReverseMatch:
        return reverse("sla:overdue")


def fire(event: ScheduledEvent, now: datetime, cache: CalendarCache) -> Escalation | None:
    """Fire one claimed alarm (its clock row is locked by the caller) and schedule the next."""
    row = event.clock
    cal = cache.get(row.calendar)
    levels = escalation_levels(row)
    event.state, event.done_at = EventState.DONE, now
    event.save(update_fields=["state", "done_at"])
    expected = planned_alarm(row, cal, levels)
    if expected is None or (expected.kind.value, expected.at) != (event.kind, event.due_at):
        reschedule(row, cal)  # stale: the clock changed since this alarm was planned
        return None
    record = _apply(row, event, cal, levels, now)
    reschedule(row, cal)
    return record


def _apply(
    row: SlaClock,
    event: ScheduledEvent,
    cal: domain.BusinessCalendar,
    levels: list[EscalationLevel],
    now: datetime,
) -> Escalation | None:
    clock = row.to_domain()
    kind = AlarmKind(event.kind)
    if kind is AlarmKind.WARNING:
        row.take(clocks.mark_warned(clock, event.due_at))
        return _record(row, event, cal, EscalationTarget.ASSIGNEE, None, now)
    if kind is AlarmKind.BREACH:
        row.take(clocks.mark_breached(clock, event.due_at))
        return _record(row, event, cal, EscalationTarget.ASSIGNEE, None, now)
    level = levels[event.level - 1]
    row.escalation_level = event.level
    return _record(row, event, cal, EscalationTarget(level.target), level, now)


def _record(
    row: SlaClock,
    event: ScheduledEvent,
    cal: domain.BusinessCalendar,
    wanted: EscalationTarget,
    level: EscalationLevel | None,
    now: datetime,
) -> Escalation:
    target, people = resolve(wanted, row, level)
    reading = clocks.read(row.to_domain(), event.due_at, cal)
    record = Escalation.objects.create(
        clock=row,
        request_id=row.request_id,
        kind=event.kind,
        level=event.level,
        target=target,
        at=event.due_at,
        fired_at=now,
        due_at=row.breached_at or clocks.due_at(row.to_domain(), cal),
        used=reading.used,
        target_time=row.target,
        explanation="",
    )
    with translation.override(settings.LANGUAGE_CODE):  # the record: the site's language
        record.explanation = explain(row, record, cal, wanted, people)
    record.save(update_fields=["explanation"])
    record.recipients.set(people)
    link = request_link(row)
    for language, group in _by_language(people):
        with translation.override(language):
            body = explain(row, record, cal, wanted, people)
            notify(group, subject=_subject(row, record), body=body, link=link, escalation=record)
    return record


def _by_language(people: list[User]) -> Iterator[tuple[str, list[User]]]:
    """The people grouped by the interface language each reads (blank: the site default)."""
    groups: dict[str, list[User]] = {}
    for person in people:
        groups.setdefault(person.language or settings.LANGUAGE_CODE, []).append(person)
    yield from groups.items()


def _subject(row: SlaClock, record: Escalation) -> str:
    values = {"number": row.request.number, "clock": row.get_kind_display()}
    if record.kind == AlarmKind.WARNING:
        return _("【即将超时】%(number)s %(clock)s") % values
    if record.kind == AlarmKind.BREACH:
        return _("【已超时】%(number)s %(clock)s") % values
    return _("【超时升级 %(level)d 级】%(number)s %(clock)s") % {**values, "level": record.level}


def _local(moment: datetime | None, cal: domain.BusinessCalendar) -> str:
    return moment.astimezone(cal.zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


def explain(
    row: SlaClock,
    record: Escalation,
    cal: domain.BusinessCalendar,
    wanted: EscalationTarget,
    people: list[User],
) -> str:
    request = row.request
    subject = row.work_order.number if row.work_order_id and row.work_order else request.subject
    parts = [
        _("请求 %(number)s（%(subject)s）的%(clock)s")
        % {
            "number": request.number,
            "subject": subject,
            "clock": row.get_kind_display(),
        },
        _(
            "目标为 %(target)s（工作时间），到期 %(due)s；"
            "截至 %(at)s 已用 %(used)s（日历：%(cal)s）。"
        )
        % {
            "target": business_text(row.target),
            "due": _local(record.due_at, cal),
            "at": _local(record.at, cal),
            "used": business_text(record.used),
            "cal": row.calendar.name,
        },
        _reason(row, record),
    ]
    if wanted != record.target:
        parts.append(
            _("未找到%(wanted)s，改为通知%(target)s。")
            % {"wanted": EscalationTarget(wanted).label, "target": record.get_target_display()}
        )
    separator = pgettext("list separator", "、")
    names = separator.join(person.name or person.username for person in people)
    names = names or _("（无人可通知）")
    parts.append(
        _("已通知%(target)s：%(names)s。") % {"target": record.get_target_display(), "names": names}
    )
    return sentences(parts)


def sentences(parts: list[str]) -> str:
    """Chinese sentences run on after their full stop; other languages put a space between."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return ("" if language.startswith("zh") else " ").join(parts)


def _reason(row: SlaClock, record: Escalation) -> str:
    policy = row.policy.name if row.policy else _("默认日历")
    if record.kind == AlarmKind.WARNING:
        return _("已用去 %(pct)d%%，即将超时（策略：%(policy)s）。") % {
            "pct": row.warn_percent,
            "policy": policy,
        }
    if record.kind == AlarmKind.BREACH:
        return _("已超时（策略：%(policy)s）。") % {"policy": policy}
    return _("已超时，按策略“%(policy)s”第 %(level)d 级升级。") % {
        "policy": policy,
        "level": record.level,
    }
