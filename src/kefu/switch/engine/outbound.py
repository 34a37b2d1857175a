"""Outbound calls: notification campaigns (S18, X5) and a seat calling a customer back (B1).

A campaign dials its numbers with limited concurrency, plays the prepared message to whoever
answers and retries busy or unanswered numbers; each number ends with one result event.
"""

from __future__ import annotations

from kefu.switch.engine import actions as act
from kefu.switch.engine import events as ev
from kefu.switch.engine.commands import CallCustomer, CancelCampaign, StartCampaign
from kefu.switch.engine.core import DIAL, RETRY, Core, Handler
from kefu.switch.engine.errors import Conflict, IllegalTransition, NotFound
from kefu.switch.engine.lifecycle import end_call, start_recording
from kefu.switch.engine.model import Call, Campaign, CampaignEntry, K
from kefu.switch.engine.routing import seat_free
from kefu.switch.engine.states import (
    CT,
    ST,
    C,
    S,
    check_seat,
)

RETRYABLE = frozenset({"busy", "no_answer"})
SETTLED = RETRYABLE | {"delivered", "partial"}  # outcomes kept as they are


def start_campaign(core: Core, cmd: StartCampaign, now: float) -> None:
    if cmd.campaign_id in core.campaigns:
        raise Conflict("campaign.exists", f"campaign {cmd.campaign_id} is already running")
    if not cmd.numbers or cmd.concurrency < 1 or cmd.max_attempts < 1:
        raise IllegalTransition(
            "campaign.invalid", "a campaign needs numbers, concurrency ≥ 1 and attempts ≥ 1"
        )
    if cmd.retry_after < 0 or cmd.dial_timeout <= 0:
        raise IllegalTransition("campaign.invalid", "campaign time-outs must be positive")
    campaign = Campaign(
        cmd.campaign_id,
        cmd.prompt,
        concurrency=cmd.concurrency,
        max_attempts=cmd.max_attempts,
        retry_after=cmd.retry_after,
        dial_timeout=cmd.dial_timeout,
    )
    for number in cmd.numbers:
        entry = CampaignEntry(cmd.campaign_id, number)
        campaign.entries.append(entry)
        campaign.pending.append(entry)
    core.campaigns[cmd.campaign_id] = campaign
    core.events.append(ev.CampaignStarted(cmd.campaign_id, len(cmd.numbers)))
    _pump(core, campaign, now)


def _pump(core: Core, campaign: Campaign, now: float) -> None:
    while campaign.active < campaign.concurrency and campaign.pending:
        entry = campaign.pending.popleft()
        entry.attempts += 1
        call = Call(core.new_id(campaign.campaign_id), K.NOTIFICATION, entry.number, now)
        call.entry = entry
        entry.call = call
        core.calls[call.call_id] = call
        core.call_to(call, CT.DIAL, C.DIALING)
        campaign.active += 1
        core.actions.append(act.Dial(call.call_id, entry.number, None))
        core.events.append(
            ev.CampaignAttempt(campaign.campaign_id, entry.number, entry.attempts, call.call_id)
        )
        core.arm(now + campaign.dial_timeout, DIAL, call)


def _settle(core: Core, entry: CampaignEntry, outcome: str, now: float) -> None:
    campaign = core.campaigns[entry.campaign_id]
    entry.outcome = outcome
    entry.call = None
    core.events.append(
        ev.CampaignNumberResult(entry.campaign_id, entry.number, outcome, entry.attempts)
    )
    if all(item.outcome for item in campaign.entries):
        delivered = sum(item.outcome in ("delivered", "partial") for item in campaign.entries)
        core.events.append(
            ev.CampaignFinished(campaign.campaign_id, delivered, len(campaign.entries) - delivered)
        )
        del core.campaigns[campaign.campaign_id]


def _attempt_over(core: Core, call: Call, outcome: str, now: float) -> None:
    """One dial attempt ended: settle the number or schedule a retry; dial the next."""
    entry = call.entry
    assert entry is not None
    campaign = core.campaigns[entry.campaign_id]
    campaign.active -= 1
    entry.call = None
    if outcome in RETRYABLE and entry.attempts < campaign.max_attempts:
        entry.epoch += 1
        core.arm(now + campaign.retry_after, RETRY, entry)
    else:
        _settle(
            core,
            entry,
            outcome if outcome in SETTLED else "failed",
            now,
        )
    if entry.campaign_id in core.campaigns:
        _pump(core, campaign, now)


def retry_due(core: Core, entry: CampaignEntry, now: float) -> None:
    campaign = core.campaigns.get(entry.campaign_id)
    if campaign is not None and not entry.outcome:
        campaign.pending.append(entry)
        _pump(core, campaign, now)


def cancel_campaign(core: Core, cmd: CancelCampaign, now: float) -> None:
    campaign = core.campaigns.get(cmd.campaign_id)
    if campaign is None:
        raise NotFound("campaign.unknown", f"campaign {cmd.campaign_id} is not running")
    campaign.pending.clear()
    for entry in campaign.entries:
        if entry.outcome:
            continue
        entry.epoch += 1  # cancels a pending retry
        if entry.call is not None:
            end_call(core, entry.call, now, "cancelled", "switch", hang_up=True)
            campaign.active -= 1
        if cmd.campaign_id in core.campaigns:
            _settle(core, entry, "cancelled", now)


# -- telephony outcomes, shared by campaigns and callbacks -----------------------------------


def answered(core: Core, call: Call, now: float) -> None:
    if call.kind == K.NOTIFICATION:
        assert call.entry is not None
        campaign = core.campaigns[call.entry.campaign_id]
        core.call_to(call, CT.CONNECT, C.MESSAGE)
        call.answered_at = now
        core.play(call, (campaign.prompt,))
        return
    seat = call.origin_seat
    assert seat is not None
    core.call_to(call, CT.CONNECT, C.TALKING)
    core.seat_to(seat, ST.CONNECT, S.ON_CALL, now)
    call.seat = seat
    call.answered_at = now
    cfg = core.cfg
    core.actions.append(
        act.Bridge(call.call_id, seat.seat_id, cfg.agent_tone.volume, cfg.agent_tone.millis)
    )
    core.events.append(
        ev.CallbackConnected(call.call_id, seat.seat_id, call.caller, call.reference)
    )
    if cfg.record_all:
        start_recording(core, call, seat)


def failed(core: Core, call: Call, reason: str, now: float, *, hang_up: bool = False) -> None:
    """The dialled party did not answer (busy, no answer, rejected, invalid number)."""
    end_call(core, call, now, reason, "switch", hang_up=hang_up)
    if call.kind == K.NOTIFICATION:
        _attempt_over(core, call, reason, now)
        return
    seat = call.origin_seat
    assert seat is not None
    core.events.append(
        ev.CallbackFailed(call.call_id, seat.seat_id, call.caller, call.reference, reason)
    )
    seat.call = None
    core.seat_to(seat, ST.DIAL_FAILED, core.free_state(seat), now)
    seat_free(core, seat, now)


def message_done(core: Core, call: Call, now: float, *, complete: bool) -> None:
    """The notification was played to the end (or the callee hung up during it)."""
    end_call(core, call, now, "delivered" if complete else "partial", "switch", hang_up=complete)
    _attempt_over(core, call, "delivered" if complete else "partial", now)


def dial_timeout(core: Core, call: Call, now: float) -> None:
    failed(core, call, "no_answer", now, hang_up=True)


# -- a seat calls a customer back ------------------------------------------------------------


def call_customer(core: Core, cmd: CallCustomer, now: float) -> None:
    seat = core.seat(cmd.seat_id)
    if not cmd.number:
        raise IllegalTransition("callback.no_number", "a number to call is required")
    check_seat(seat.seat_id, seat.state, ST.DIAL, S.DIALING)
    call = Call(core.new_id("cb"), K.CALLBACK, cmd.number, now)
    call.origin_seat = seat
    call.reference = cmd.reference
    core.calls[call.call_id] = call
    core.call_to(call, CT.DIAL, C.DIALING)
    core.seat_to(seat, ST.DIAL, S.DIALING, now)
    seat.call = call
    core.actions.append(act.Dial(call.call_id, cmd.number, seat.seat_id))
    core.events.append(ev.CallbackDialled(call.call_id, seat.seat_id, cmd.number, cmd.reference))
    core.arm(now + core.cfg.dial_timeout, DIAL, call)


HANDLERS: dict[type, Handler] = {
    StartCampaign: start_campaign,
    CancelCampaign: cancel_campaign,
    CallCustomer: call_customer,
}
