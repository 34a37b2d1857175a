"""Outbound lists handed to the switch's notification dialling (X5 with S18).

``do_dial_outbound_list`` gives the switch the numbers of a list's customers not yet worked,
with the prepared message to play, a concurrency limit and retries. The switch settles each
number (played to the end, hung up during the message, busy, no answer, failed) and reports
it; ``do_record_notification_result`` writes it on the list's entries (result, attempts, the
last call's id), and ``do_finish_notification_run`` marks the list done. With the running
switch these two are called from its journal (``kefu.telephony.campaign_lists``), in the
transaction that records the switch's event, so a result is never lost or written twice.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.service.actions.common import blank, require, save
from kefu.service.errors import InvalidInput
from kefu.service.models import OutboundEntry, OutboundList, OutboundResult
from kefu.service.telephony import NotificationDialler, NotificationRun

CAMPAIGN_PREFIX = "ob"
CAMPAIGN_ID = re.compile(r"^ob(\d+)-[0-9a-f]{8}$")
OUTCOMES = {
    "delivered": OutboundResult.PLAYED,
    "partial": OutboundResult.PARTIAL,
    "busy": OutboundResult.BUSY,
    "no_answer": OutboundResult.NO_ANSWER,
    "invalid_number": OutboundResult.WRONG_NUMBER,
    "failed": OutboundResult.FAILED,
    "cancelled": OutboundResult.CANCELLED,
}
LIMITS = {"concurrency": (1, 30), "max_attempts": (1, 5), "retry_after": (30, 24 * 3600)}


def dial_number(phone: str) -> str:
    """The digits the switch dials (a leading + kept): "0531-8888 1234" → "053188881234"."""
    phone = phone.strip()
    return ("+" if phone.startswith("+") else "") + re.sub(r"\D", "", phone)


def _check(recording: str, settings: dict[str, float]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if blank(recording):
        errors["recording"] = [_("请选择要播放的通知录音。")]
    for name, (low, high) in LIMITS.items():
        if not low <= settings[name] <= high:
            errors[name] = [_("应在 %(low)s 到 %(high)s 之间。") % {"low": low, "high": high}]
    return errors


def do_dial_outbound_list(
    outbound: OutboundList,
    actor: User,
    dialler: NotificationDialler,
    *,
    recording: str,
    concurrency: int = 2,
    max_attempts: int = 3,
    retry_after: float = 300.0,
) -> OutboundList:
    """Hand the list's customers not yet worked to the switch's notification dialling."""
    require(actor, "service.change_outboundlist")
    limits = {"concurrency": concurrency, "max_attempts": max_attempts, "retry_after": retry_after}
    errors = _check(recording, limits)
    if errors:
        raise InvalidInput(errors)
    pending = outbound.entries.filter(result=OutboundResult.PENDING)
    numbers = tuple(dict.fromkeys(n for n in (dial_number(e.phone) for e in pending) if n))
    if not numbers:
        raise InvalidInput.one("", _("名单中没有待呼叫的客户。"))
    run = NotificationRun(
        campaign_id=f"{CAMPAIGN_PREFIX}{outbound.pk}-{uuid.uuid4().hex[:8]}",
        numbers=numbers,
        recording=recording.strip(),
        concurrency=concurrency,
        max_attempts=max_attempts,
        retry_after=float(retry_after),
    )
    _record_run(outbound, actor, run)
    # The switch is asked after the run is on record, so results it reports find their list.
    # A refusal (no switch, unknown recording) raises, and the run is taken back.
    try:
        dialler.start_notifications(run)
    except Exception:
        with transaction.atomic():
            locked = OutboundList.objects.select_for_update().get(pk=outbound.pk)
            locked.campaign_id, locked.dialling_started_at = "", None
            save(locked, actor=actor, reason=_("自动外呼未能启动"))
        raise
    return OutboundList.objects.get(pk=outbound.pk)


def _record_run(outbound: OutboundList, actor: User, run: NotificationRun) -> None:
    with transaction.atomic():
        locked = OutboundList.objects.select_for_update().get(pk=outbound.pk)
        if locked.campaign_id and locked.dialling_finished_at is None:
            raise InvalidInput.one("", _("该名单正在自动外呼，请等待结束。"))
        locked.campaign_id, locked.recording = run.campaign_id, run.recording
        locked.dialling_started_at, locked.dialling_finished_at = timezone.now(), None
        locked.dialled_by = actor
        save(locked, actor=actor, reason=_("自动外呼"))


def _list_of(campaign_id: str) -> OutboundList | None:
    found = CAMPAIGN_ID.match(campaign_id)
    if found is None:
        return None
    return OutboundList.objects.filter(pk=int(found.group(1)), campaign_id=campaign_id).first()


def do_record_notification_result(
    campaign_id: str, *, number: str, outcome: str, attempts: int, call_id: str, at: datetime
) -> int:
    """One number settled by the switch: its entries get the result; returns how many."""
    outbound = _list_of(campaign_id)
    if outbound is None:
        return 0
    result = OUTCOMES.get(outcome, OutboundResult.FAILED)
    note = _("自动外呼：%(result)s（%(n)d 次）") % {"result": result.label, "n": attempts}
    changed = 0
    with transaction.atomic():
        rows = OutboundEntry.objects.select_for_update().filter(
            outbound_list=outbound, result=OutboundResult.PENDING
        )
        for entry in rows:
            if dial_number(entry.phone) != number:
                continue
            entry.result, entry.note, entry.call_id = result, note, call_id[:64]
            entry.attempts += attempts
            entry.worked_at = at
            save(entry, actor=None, reason=_("自动外呼结果"))
            changed += 1
    return changed


def do_finish_notification_run(campaign_id: str, *, at: datetime) -> None:
    """The switch has settled every number of the run."""
    outbound = _list_of(campaign_id)
    if outbound is None or outbound.dialling_finished_at is not None:
        return
    with transaction.atomic():
        outbound.dialling_finished_at = at
        save(outbound, actor=None, reason=_("自动外呼结束"))
