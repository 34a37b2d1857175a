"""Calling customers back through the switch: the service requests' dialer seam.

``kefu.service.telephony.CallbackDialer`` asks for a call and waits until it is over, then puts
its call id and duration on the reply form (B1–B5). :class:`SwitchDialer` does that with the
running switch:

* ``call_customer`` sends ``CallCustomer`` from the employee's seat — the seat named, or else
  the seat the employee is logged on at — and waits for the call's record to end;
* ``play_recording`` starts a one-number notification (S18) that plays the recording to whoever
  answers, and waits likewise;
* ``start_notifications`` hands an outbound list to the notification dialling and returns at
  once; each number's result reaches the list from the journal.

It never starts a switch. Where none runs in reach (tests, management commands) and the
simulator is on, the call is simulated as ``SimulatedDialer`` does; with the simulator off
that is a refusal.

Waiting is on the call detail record (written by the switch before anyone hears of the call's
end), so it works whether the switch runs in this process or in ``kefu switch``. Refusals
become the service's own errors with the switch's Chinese reason.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.service.errors import DeliveryFailed, InvalidInput
from kefu.service.telephony import CallResult, NotificationRun, SimulatedDialer
from kefu.switch.engine import commands as c
from kefu.telephony import client as switch
from kefu.telephony.models import CallKind, CallRecord, Prompt
from kefu.telephony.root import SimOptions
from kefu.telephony.runner_parts import CommandResult

log = logging.getLogger(__name__)

CONNECTED_OUTCOMES = ("delivered", "partial")


class SwitchDialer:
    def __init__(
        self,
        *,
        client: switch.SwitchClient | None = None,
        max_wait: float = 3 * 3600.0,
        poll: float = 0.5,
    ) -> None:
        self.client = client
        self.max_wait = max_wait
        self.poll = poll

    # -- the seam ---------------------------------------------------------------------------------

    def call_customer(self, *, seat: str, employee: str, number: str, reference: str) -> CallResult:
        client = self._client()
        if client is None:
            return SimulatedDialer().call_customer(
                seat=seat, employee=employee, number=number, reference=reference
            )
        seat_id = self._seat_of(client, seat, employee)
        result = self._submit(client, c.CallCustomer(seat_id, number, reference[:60]))
        call_id = _event_field(result, "callback.dialled", "call_id")
        return self._result(call_id, self._wait(call_id))

    def play_recording(self, *, number: str, recording: str, reference: str) -> CallResult:
        client = self._client()
        if client is None:
            return SimulatedDialer().play_recording(
                number=number, recording=recording, reference=reference
            )
        campaign = f"voice-{reference[:20]}-{uuid.uuid4().hex[:8]}"
        start = c.StartCampaign(campaign, (number,), recording, concurrency=1, max_attempts=1)
        call_id = _event_field(self._submit(client, start), "campaign.attempt", "call_id")
        return self._result(call_id, self._wait(call_id))

    def recordings(self) -> list[tuple[str, str]]:
        return [(str(k), str(t)) for k, t in Prompt.objects.values_list("key", "text")]

    def start_notifications(self, run: NotificationRun) -> None:
        """Hand an outbound list to the switch's notification dialling (S18); results come
        back through the journal (``kefu.telephony.campaign_lists``)."""
        if not Prompt.objects.filter(key=run.recording).exists():
            raise InvalidInput.one(
                "recording", _("通知录音“%(key)s”不存在。") % {"key": run.recording}
            )
        client = self._client()
        if client is None:
            SimulatedDialer().start_notifications(run)
            return
        start = c.StartCampaign(
            run.campaign_id,
            run.numbers,
            run.recording,
            concurrency=run.concurrency,
            max_attempts=run.max_attempts,
            retry_after=run.retry_after,
        )
        self._submit(client, start)

    # -- helpers ----------------------------------------------------------------------------------

    def _client(self) -> switch.SwitchClient | None:
        """The running switch; None (simulate) only while the simulator is on and no switch
        runs in this process (tests, management commands); otherwise a refusal."""
        if self.client is not None:
            return self.client
        found = switch.running()
        if found is not None:
            return found
        if SimOptions.from_environment().enabled:
            log.info("no switch running here: the callback is simulated")
            return None
        raise DeliveryFailed(_("交换机暂时不可用，请稍后重试。"))

    def _submit(self, client: switch.SwitchClient, command: Any) -> CommandResult:
        found = switch.run_with(client, lambda running: running.submit(command))
        if not found.ok:
            assert found.error is not None
            raise DeliveryFailed(found.error.message)
        return found

    def _seat_of(self, client: switch.SwitchClient, seat: str, employee: str) -> str:
        """The seat named if the employee holds it, else the employee's seat."""
        state = switch.run_with(client, lambda running: running.snapshot("wallboard"))
        seats = state["seats"]
        if seat in seats and seats[seat]["employee_id"] == employee:
            return seat
        for seat_id, row in seats.items():
            if row["employee_id"] == employee:
                return str(seat_id)
        raise InvalidInput.one("seat", _("您尚未登录话务席，不能外呼。请先在话务席登录。"))

    def _wait(self, call_id: str) -> CallRecord:
        deadline = time.monotonic() + self.max_wait
        while True:
            try:
                row = CallRecord.objects.filter(call_id=call_id).first()
            except OperationalError:  # the journal is writing (SQLite): ask again
                row = None
            if row is not None and row.ended_at is not None:
                return row
            if time.monotonic() > deadline:
                raise DeliveryFailed(_("呼叫 %(call)s 超过等待时间仍未结束。") % {"call": call_id})
            time.sleep(self.poll)

    def _result(self, call_id: str, row: CallRecord) -> CallResult:
        ended = row.ended_at or timezone.now()
        if row.kind == CallKind.NOTIFICATION and row.cause in CONNECTED_OUTCOMES:
            return CallResult(call_id, True, row.arrived_at, ended)
        if row.answered_at is not None:
            return CallResult(call_id, True, row.answered_at, ended)
        failure = row.cause if row.cause in ("busy", "no_answer", "invalid_number") else "rejected"
        return CallResult(call_id, False, row.arrived_at, ended, failure)


def _event_field(result: CommandResult, kind: str, name: str) -> str:
    for event in result.events:
        if event["type"] == kind:
            return str(event["data"][name])
    raise DeliveryFailed(_("交换机没有发起呼叫。"))
