"""The simulated telephony adapter running live, beside real people (pure, no Django).

:class:`LiveSim` is the ``sim`` adapter (``kefu.switch.adapters.sim``) moved onto the switch's
clock (its own time starts at ``origin``) with three differences:

* **People at browsers.** Simulated agents act only on seats logged on with a simulated
  employee (``sim-<seat>``); a seat a person logs on to is theirs: the simulator never answers,
  hangs up or ends wrap-up there. Callers still hang up in their own time.
* **Scripted callers.** :meth:`inject_call` brings in a call with a known number that presses
  the given keys, one group per prompt that waits for input, and never hangs up by itself
  (a test or demo ends it with ``CallerHangUp``).
* **The host answers.** Self-service lookups, PIN checks, freezing and SMS go to the host's
  services (the database), not to the simulated world.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kefu.switch.adapters.base import Report
from kefu.switch.adapters.sim import (
    LIVE,
    AgentModel,
    CallerModel,
    OutsideModel,
    SimCall,
    SimTelephony,
)
from kefu.switch.engine import actions as act
from kefu.switch.engine import commands as cmd
from kefu.switch.engine import events as ev

SIM_PREFIX = "sim-"
HOST_ACTIONS = (act.Lookup, act.VerifyPin, act.FreezeSelfService, act.SendSms)


def sim_employee(seat_id: str) -> str:
    return f"{SIM_PREFIX}{seat_id}"


class LiveSim(SimTelephony):
    def __init__(
        self,
        callers: CallerModel,
        agents: AgentModel,
        *,
        seed: int,
        origin: float,
        outside: OutsideModel | None = None,
        input_prompts: Iterable[str] = (),
    ) -> None:
        super().__init__(callers, agents, seed=seed, until=float("inf"), outside=outside)
        self.origin = origin
        self.simulated: set[str] = set()
        self.scripted: dict[str, list[str]] = {}
        self.input_prompts = frozenset(input_prompts)
        self.injected = 0
        self.run = ""  # see renumber()
        for kind in HOST_ACTIONS:
            self.performers.pop(kind, None)

    # -- the switch's clock ---------------------------------------------------------------------

    def perform(self, action: act.Action, now: float) -> None:
        super().perform(action, now - self.origin)

    def next_report_at(self) -> float | None:
        at = super().next_report_at()
        return None if at is None else at + self.origin

    def take_report(self) -> Report:
        at, message = super().take_report()
        return Report(at + self.origin, message)

    def observe(self, events: Iterable[ev.Event], now: float) -> None:
        events = list(events)
        for event in events:
            self._track_people(event)
            if isinstance(event, ev.CallEnded):
                self.scripted.pop(event.call_id, None)
        super().observe(events, now - self.origin)

    def _track_people(self, event: object) -> None:
        if isinstance(event, ev.SeatLoggedOn):
            self._mark(event.seat_id, event.employee_id)
        elif isinstance(event, ev.EmployeeSwapped):
            self._mark(event.seat_id, event.new_employee_id)
        elif isinstance(event, ev.SeatLoggedOff):
            self.simulated.discard(event.seat_id)

    def _mark(self, seat_id: str, employee_id: str) -> None:
        if employee_id.startswith(SIM_PREFIX):
            self.simulated.add(seat_id)
        else:
            self.simulated.discard(seat_id)
            self.wrap_token.pop(seat_id, None)

    def set_input_prompts(self, prompts: Iterable[str]) -> None:
        self.input_prompts = frozenset(prompts)

    # -- scripted callers -----------------------------------------------------------------------

    def inject_call(
        self,
        now: float,
        *,
        caller: str,
        trunk: str = "",
        dialled: str = "",
        keys: Iterable[str] = (),
    ) -> str:
        """A caller with a known number arrives now; returns the call id."""
        self.injected += 1
        call_id = f"inj-{self.run}{self.injected}"
        self.calls[call_id] = SimCall()
        self.scripted[call_id] = [group for group in keys if group]
        message = cmd.IncomingCall(call_id, caller, dialled, trunk)
        self._at(now - self.origin, message, LIVE, call_id)
        return call_id

    def renumber(self, last_seq: int) -> None:
        """A switch started on a journal that already holds calls: number this run's calls
        ``c<run>-<n>`` and ``inj-<run>-<n>`` (run: the journal's last sequence number, base
        36), never reusing a call id journalled before. A first start keeps ``c1``, ``inj-1``."""
        self.run = f"{_base36(last_seq)}-" if last_seq else ""

    def _arrive(self, at: float) -> cmd.IncomingCall:
        message = super()._arrive(at)
        if not self.run:
            return message
        call_id = f"c{self.run}{self.n_arrivals}"
        self.calls[call_id] = self.calls.pop(message.call_id)
        return message._replace(call_id=call_id)

    def _play(self, action: act.PlayPrompt, now: float) -> None:
        groups = self.scripted.get(action.call_id)
        if groups is None:
            super()._play(action, now)
            return
        if action.then_music:
            return
        callers = self.callers
        seconds = sum(
            callers.prompt_seconds.get(prompt, callers.default_prompt_seconds)
            for prompt in action.prompts
        )
        call_id = action.call_id
        self._at(now + seconds, cmd.PlaybackDone(call_id, action.play_id), LIVE, call_id)
        if groups and action.prompts and action.prompts[-1] in self.input_prompts:
            keys = cmd.KeysPressed(call_id, groups.pop(0))
            self._at(now + seconds + callers.think, keys, LIVE, call_id)

    def _queued(self, event: ev.CallQueued, now: float) -> None:
        if event.call_id not in self.scripted:
            super()._queued(event, now)

    # -- agents: simulated seats only -----------------------------------------------------------

    def _ring(self, action: act.RingSeat, now: float) -> None:
        if action.seat_id in self.simulated:
            super()._ring(action, now)

    def _bridge(self, action: act.Bridge, now: float) -> None:
        seat_id, call_id = action.seat_id, action.call_id
        if seat_id in self.simulated and call_id not in self.scripted:
            super()._bridge(action, now)
            return
        self.ringing.pop(seat_id, None)
        self.seat_call[seat_id] = call_id
        call = self.calls.get(call_id)
        if call is None:
            return
        call.bridged = True
        if call_id not in self.scripted:  # a real person talks: the caller hangs up in time
            self._at(now + self._talk_seconds(), cmd.CallerHangUp(call_id), LIVE, call_id)

    def _seat_state(self, event: ev.SeatStateChanged, now: float) -> None:
        if event.seat_id in self.simulated:
            super()._seat_state(event, now)

    def _auto_not_ready(self, event: ev.SeatAutoNotReady, now: float) -> None:
        if event.seat_id in self.simulated:
            super()._auto_not_ready(event, now)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def caller_model(
    *,
    calls_per_hour: float,
    keys: dict[str, Any],
    prompt_seconds: dict[str, float],
    talk: float = 180.0,
) -> CallerModel:
    """Callers for the live demonstration: a few a minute, patient, three-minute talks
    (``talk``: the mean talk time in seconds)."""
    return CallerModel(
        calls_per_hour=calls_per_hour,
        long_distance_share=0.2,
        trunks=(),
        vip_share=0.05,
        patience=240.0,
        talk=talk,
        talk_cv=0.8,
        prompt_seconds=prompt_seconds,
        default_prompt_seconds=3.0,
        keys=keys,
        silent_share=0.03,
        wrong_pin_share=0.15,
        customers=20,
    )
