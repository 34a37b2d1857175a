"""Outbound lists' results, from the journal (X5 with S18).

A list handed to the notification dialling (``kefu.service.actions.do_dial_outbound_list``)
runs as a switch campaign whose id names the list. When the switch settles a number
(``campaign.number_result``) or the whole run (``campaign.finished``), the journal writes the
event and, in the same transaction, these projections write the result on the list's entries.
So results arrive as the switch reports them, whether it runs in the web process or in
``kefu switch``, and a result is on the list exactly when its event is in the journal.

A failure here is the list's problem, not the journal's: it is logged, its savepoint rolled
back, and the journal write goes on (a result can be applied again from the journal's rows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction

from kefu.service.actions.dialling import (
    CAMPAIGN_PREFIX,
    do_finish_notification_run,
    do_record_notification_result,
)
from kefu.telephony.models import CallRecord
from kefu.telephony.projection import Projector, on, when

log = logging.getLogger(__name__)


def _guarded(work: Callable[[], Any], campaign_id: str) -> None:
    try:
        with transaction.atomic():
            work()
    except Exception:
        log.exception("outbound list result of campaign %s not recorded", campaign_id)


def _last_call(p: Projector, campaign_id: str, number: str) -> str:
    """The id of the number's last attempt (written in this batch or an earlier one)."""
    reference = campaign_id[:60]
    for row in reversed(list(p._dirty_calls.values())):
        if row.reference == reference and row.caller == number:
            return row.call_id
    row = (
        CallRecord.objects.filter(reference=reference, caller=number)
        .order_by("-arrived_at")
        .first()
    )
    return row.call_id if row is not None else ""


@on("campaign.number_result")
def _number_settled(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    campaign_id = str(data["campaign_id"])
    if not campaign_id.startswith(CAMPAIGN_PREFIX):
        return
    number = str(data["number"])
    _guarded(
        lambda: do_record_notification_result(
            campaign_id,
            number=number,
            outcome=str(data["outcome"]),
            attempts=int(data["attempts"]),
            call_id=_last_call(p, campaign_id, number),
            at=when(at),
        ),
        campaign_id,
    )


@on("campaign.finished")
def _run_finished(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    campaign_id = str(data["campaign_id"])
    if campaign_id.startswith(CAMPAIGN_PREFIX):
        _guarded(lambda: do_finish_notification_run(campaign_id, at=when(at)), campaign_id)
