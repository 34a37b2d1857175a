"""Scheduled reports: daily, weekly or monthly, as xlsx, to everyone holding a chosen role.

Each recipient gets the figures their own role allows (the same scopes as the pages). A
schedule remembers the last period it sent, so running the command again (cron every hour,
or after a stop) never sends a period twice and catches up on a missed one.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kefu.accounts.models import AccountKind, User
from kefu.reports.access import may_see_reports, scope_for
from kefu.reports.catalogue import REPORTS, build, visible_reports
from kefu.reports.export import XLSX, table_matrix
from kefu.reports.filters import Filters, zone
from kefu.reports.models import Frequency, ReportSchedule
from kefu.stats.periods import Period, day_period, month_period, week_period


def due_period(schedule: ReportSchedule, now: datetime) -> Period | None:
    """The last complete period of the schedule's frequency, if not sent yet and its hour came."""
    local = now.astimezone(zone())
    if local.hour < schedule.hour:
        return None
    today = local.date()
    period = last_complete(schedule.frequency, today)
    if schedule.last_period_start is not None and schedule.last_period_start >= period.start:
        return None
    return period


def last_complete(frequency: str, today: date) -> Period:
    if frequency == Frequency.DAILY:
        return day_period(today - timedelta(days=1))
    if frequency == Frequency.WEEKLY:
        return week_period(today - timedelta(days=7))
    first = today.replace(day=1) - timedelta(days=1)
    return month_period(first.year, first.month)


def recipients(schedule: ReportSchedule) -> list[User]:
    users = User.objects.filter(
        groups__in=schedule.roles.all(), is_active=True, kind=AccountKind.STAFF
    ).exclude(email="")
    return [u for u in users.distinct().order_by("username") if may_see_reports(u)]


def workbook(schedule: ReportSchedule, user: User, period: Period) -> bytes | None:
    import xlsxwriter

    report = REPORTS.get(schedule.report)
    scope = scope_for(user)
    if report is None or report not in visible_reports(scope):
        return None
    tables = build(report, Filters(period=period), scope)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("报表"))
    for index, row in enumerate(table_matrix(tables)):
        sheet.write_row(index, 0, row)
    book.close()
    return buffer.getvalue()


def send_due(now: datetime | None = None) -> int:
    """Send every schedule that is due; returns the number of e-mails sent."""
    now = now or timezone.now()
    sent = 0
    for schedule in ReportSchedule.objects.filter(active=True).prefetch_related("roles"):
        period = due_period(schedule, now)
        if period is None:
            continue
        with transaction.atomic():
            locked = ReportSchedule.objects.select_for_update().get(pk=schedule.pk)
            if due_period(locked, now) is None:
                continue
            sent += _send(locked, period)
            locked.last_period_start, locked.last_sent_at = period.start, now
            locked.save(update_fields=["last_period_start", "last_sent_at"])
    return sent


def _send(schedule: ReportSchedule, period: Period) -> int:
    sent = 0
    for user in recipients(schedule):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            message = _message(schedule, user, period)
        if message is None:
            continue
        message.send()
        sent += 1
    return sent


def _message(schedule: ReportSchedule, user: User, period: Period) -> EmailMessage | None:
    """The e-mail for one recipient, in the recipient's interface language."""
    content = workbook(schedule, user, period)
    if content is None:
        return None
    report = REPORTS.get(schedule.report)
    values = {
        "schedule": schedule.name,
        "title": str(report.title) if report else schedule.report,
        "start": period.start,
        "end": period.end,
        "name": user.name,
    }
    message = EmailMessage(
        subject=_("[客服系统] %(schedule)s：%(title)s %(start)s 至 %(end)s") % values,
        body=_("%(name)s：\n\n附件为 %(start)s 至 %(end)s 的“%(title)s”。\n") % values,
        to=[user.email],
    )
    name = f"{schedule.report}_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    message.attach(name, content, XLSX)
    return message
