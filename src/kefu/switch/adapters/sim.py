"""The simulated outside world: callers, agents' phones and the host's self-service answers.

``SimTelephony`` is a virtual-time telephony adapter. Callers arrive as a Poisson process
(optionally shaped by an hourly time-of-day profile, by thinning), on a mix of trunks, some
long distance; they listen to prompts, press keys, key in customer numbers and PINs, lose
patience and hang up, talk for a random time. Agents answer after a delay or not at all, may
hang up themselves, may end wrap-up early. Everything is drawn from one seeded generator, so a
run is reproducible. It also watches the engine's events (``observe``), as a caller hears that
he is queued.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from random import Random
from typing import Any, Final

from kefu.switch.adapters.base import Report
from kefu.switch.engine import actions as act
from kefu.switch.engine import commands as cmd
from kefu.switch.engine import events as ev
from kefu.switch.engine.core import new_tuple
from kefu.switch.engine.states import S
from kefu.switch.native import mypyc_attr

Choices = tuple[tuple[str, float], ...]
KeyTable = tuple[float, Choices]


@dataclass(frozen=True)
class CallerModel:
    calls_per_hour: float
    profile: tuple[float, ...] = ()  # 24 hourly weights (hour 0 first); empty = flat
    long_distance_share: float = 0.0
    trunks: Choices = ()  # (trunk, share); the rest arrive on trunk ""
    vip_share: float = 0.0
    patience: float | None = None  # mean seconds, exponential; None = never abandon
    talk: float = 180.0  # mean seconds
    talk_cv: float = 1.0  # 1 = exponential; otherwise lognormal with this coefficient of variation
    prompt_seconds: Mapping[str, float] = field(default_factory=dict)
    default_prompt_seconds: float = 0.0
    keys: Mapping[str, Choices] = field(default_factory=dict)  # prompt → (keys, weight)
    think: float = 1.5  # seconds after a prompt before keys are pressed
    silent_share: float = 0.0  # presses nothing after a prompt with choices
    ivr_hangup_share: float = 0.0  # hangs up during a prompt
    wrong_pin_share: float = 0.0
    customers: int = 1000  # size of the customer pool keying in numbers


@dataclass(frozen=True)
class AgentModel:
    no_answer_prob: float = 0.0
    answer_delay: float = 0.0  # seconds from ring to answer
    hangup_share: float = 0.0  # calls ended by the agent (release policy S17 applies)
    wrap_up_mean: float | None = None  # agents end wrap-up early after this mean (exponential)
    ready_after_auto: float = 30.0  # S7: an agent set not-ready for no answers comes back


@dataclass(frozen=True)
class OutsideModel:
    """Dialled parties (callbacks, notifications) and the host's self-service answers."""

    answer_share: float = 0.8
    busy_share: float = 0.1
    ring_seconds: float = 8.0
    lookup_seconds: float = 0.3
    message_seconds: float = 20.0


class SimCall:
    __slots__ = ("answer_at", "bridged", "customer", "gives_up", "queued")

    def __init__(self) -> None:
        self.bridged = False
        self.queued = False
        self.customer = ""
        self.answer_at = -math.inf  # when the seat ringing for this call will answer
        self.gives_up = math.inf  # patience not yet in the calendar (see ``_queued``)


NV_MAGICCONST: Final = 4 * math.exp(-0.5) / math.sqrt(2.0)  # as in the random module

# calendar guards: a report is delivered only while its guard still holds
ALWAYS: Final = 0
ARRIVAL: Final = 1
RINGING: Final = 2
CONNECTED: Final = 3
WRAPPING: Final = 4
LIVE: Final = 5
WAITING: Final = 6
Entry = tuple[float, int, int, Any, Any, object]  # (at, seq, guard, key, key, message)


@mypyc_attr(allow_interpreted_subclasses=True)  # the live simulator extends it
class SimTelephony:
    def __init__(
        self,
        callers: CallerModel,
        agents: AgentModel,
        *,
        seed: int,
        until: float,
        outside: OutsideModel | None = None,
    ) -> None:
        self.callers, self.agents = callers, agents
        self.outside = outside or OutsideModel()
        self.until = until
        self.rng = Random(seed)
        self.calendar: list[Entry] = []
        self.seq = 0
        self.calls: dict[str, SimCall] = {}
        self.ringing: dict[str, str] = {}  # seat → call ringing there
        self.seat_call: dict[str, str] = {}  # seat → call connected there
        self.wrap_token: dict[str, int] = {}
        self.pin_failures: dict[str, int] = {}
        self.frozen: set[str] = set()
        self.counts = {"sms": 0, "frozen": 0}
        self.arrivals_done = False
        #: prompts played → (seconds, key choices after the last prompt), worked out once
        self.prompt_specs: dict[tuple[str, ...], tuple[float, KeyTable | None]] = {}
        talk_cv = callers.talk_cv
        sigma = self.talk_sigma = math.sqrt(math.log(1.0 + talk_cv * talk_cv))
        self.talk_mu = math.log(callers.talk) - sigma * sigma / 2.0 if callers.talk > 0 else 0.0
        self.n_arrivals = 0
        self._setup_arrivals()
        self.performers: dict[type, Callable[[Any, float], None]] = {
            act.PlayPrompt: self._play,
            act.RingSeat: self._ring,
            act.StopRinging: self._stop_ringing,
            act.Bridge: self._bridge,
            act.DisconnectSeat: self._disconnect,
            act.RecordMessage: self._record,
            act.Dial: self._dial,
            act.Lookup: self._lookup,
            act.VerifyPin: self._verify,
            act.FreezeSelfService: self._freeze,
            act.SendSms: self._sms,
        }
        #: What the simulated world notices of the engine's events (the driver calls these).
        self.observers: dict[type, Callable[[Any, float], None]] = {
            ev.CallQueued: self._queued,
            ev.CallEnded: self._ended,
            ev.CallAwaitingRelease: self._awaiting_release,
            ev.SeatAutoNotReady: self._auto_not_ready,
        }
        if agents.wrap_up_mean is not None:
            self.observers[ev.SeatStateChanged] = self._seat_state

    # -- the adapter protocol -----------------------------------------------------------------

    def perform(self, action: act.Action, now: float) -> None:
        handler = self.performers.get(type(action))
        if handler is not None:
            handler(action, now)

    def next_report_at(self) -> float | None:
        calendar = self.calendar
        while calendar:
            entry = calendar[0]
            if self._valid(entry):
                return entry[0]
            heapq.heappop(calendar)
        return None

    def take_report(self) -> Report:
        at, _seq, guard, _a, _b, message = heapq.heappop(self.calendar)
        if guard == ARRIVAL:
            message = self._arrive(at)
        return Report(at, message)

    def take_before(self, limit: float) -> tuple[float, object] | None:
        """The earliest live report at or before ``limit``, taken, as ``(at, message)``; None
        if there is none. The virtual-time driver's fast path (no ``Report`` built)."""
        calendar, calls, pop = self.calendar, self.calls, heapq.heappop
        while calendar:
            entry = calendar[0]
            if entry[0] > limit:
                return None
            pop(calendar)
            guard = entry[2]
            if guard == LIVE:  # the common cases checked inline, the rest by _valid
                if entry[3] in calls:
                    return entry[0], entry[5]
            elif guard == RINGING:
                if self.ringing.get(entry[3]) == entry[4]:
                    return entry[0], entry[5]
            elif guard == WAITING:
                call = calls.get(entry[3])
                if call is not None and not call.bridged:
                    return entry[0], entry[5]
            elif guard == ARRIVAL:
                return entry[0], self._arrive(entry[0])
            elif self._valid(entry):
                return entry[0], entry[5]
        return None

    def observe(self, events: Iterable[ev.Event], now: float) -> None:
        observers = self.observers
        for event in events:
            handler = observers.get(type(event))
            if handler is not None:
                handler(event, now)

    def idle(self) -> bool:
        """No caller left and none to come."""
        return self.arrivals_done and not self.calls

    # -- calendar -------------------------------------------------------------------------

    def _at(self, at: float, message: object, guard: int, a: Any = None, b: Any = None) -> None:
        self.seq += 1
        heapq.heappush(self.calendar, (at, self.seq, guard, a, b, message))

    def _valid(self, entry: Entry) -> bool:
        guard = entry[2]
        if guard == LIVE:
            return entry[3] in self.calls
        if guard == RINGING:
            return bool(self.ringing.get(entry[3]) == entry[4])
        if guard == CONNECTED:
            return bool(self.seat_call.get(entry[3]) == entry[4])
        if guard == WRAPPING:
            return bool(self.wrap_token.get(entry[3]) == entry[4])
        if guard == WAITING:
            call = self.calls.get(entry[3])
            return call is not None and not call.bridged
        return True

    # -- callers arriving -----------------------------------------------------------------

    def _setup_arrivals(self) -> None:
        profile = self.callers.profile or (1.0,)
        mean = sum(profile) / len(profile)
        self.shape = [weight / mean for weight in profile]
        self.top = max(self.shape)
        self.peak = self.callers.calls_per_hour / 3600.0 * self.top
        self._next_arrival(0.0)

    def _next_arrival(self, after: float) -> None:
        """Poisson arrivals at the profile's rate, by thinning a process at the peak rate.

        The draws are ``Random.expovariate``'s, written out (it is called for every arrival and
        twice more per call): the same numbers from the same stream, without the call."""
        random, shape, peak = self.rng.random, self.shape, self.peak
        if peak <= 0:
            self.arrivals_done = True
            return
        at = after
        while True:
            at += -math.log(1.0 - random()) / peak
            if at >= self.until:
                self.arrivals_done = True
                return
            if len(shape) == 1 or random() * self.top < shape[int(at // 3600) % len(shape)]:
                break
        self._at(at, None, ARRIVAL)

    def _arrive(self, at: float) -> cmd.IncomingCall:
        rng, callers = self.rng, self.callers
        self.n_arrivals += 1
        call_id = f"c{self.n_arrivals}"
        self.calls[call_id] = SimCall()
        self._next_arrival(at)
        trunk = ""
        if callers.trunks:
            draw = rng.random()
            for name, share in callers.trunks:
                if draw < share:
                    trunk = name
                    break
                draw -= share
        far = callers.long_distance_share > 0 and rng.random() < callers.long_distance_share
        vip = callers.vip_share > 0 and rng.random() < callers.vip_share
        return new_tuple(
            cmd.IncomingCall, (call_id, f"1{self.n_arrivals:010d}", "", trunk, far, vip)
        )

    # -- what callers hear and do -----------------------------------------------------------

    def _play(self, action: act.PlayPrompt, now: float) -> None:
        if action.then_music:
            return  # music never ends: no PlaybackDone
        callers, rng = self.callers, self.rng
        spec = self.prompt_specs.get(action.prompts)
        if spec is None:
            spec = self.prompt_specs[action.prompts] = self._prompt_spec(action.prompts)
        seconds, choices = spec
        call_id = action.call_id
        if choices and callers.ivr_hangup_share and rng.random() < callers.ivr_hangup_share:
            self._at(now + seconds / 2, new_tuple(cmd.CallerHangUp, (call_id,)), LIVE, call_id)
            return
        end = now + seconds
        self._at(end, new_tuple(cmd.PlaybackDone, (call_id, action.play_id)), LIVE, call_id)
        if choices and not (callers.silent_share and rng.random() < callers.silent_share):
            keys = new_tuple(cmd.KeysPressed, (call_id, self._keys(call_id, choices)))
            think = -math.log(1.0 - rng.random()) / (1.0 / callers.think)
            self._at(end + think, keys, LIVE, call_id)

    def _prompt_spec(self, prompts: tuple[str, ...]) -> tuple[float, KeyTable | None]:
        callers = self.callers
        seconds = callers.default_prompt_seconds
        if callers.prompt_seconds:
            seconds = sum(
                callers.prompt_seconds.get(prompt, callers.default_prompt_seconds)
                for prompt in prompts
            )
        choices = callers.keys.get(prompts[-1]) if prompts else None
        return seconds, _cumulative(choices) if choices else None

    def _keys(self, call_id: str, table: KeyTable) -> str:
        """Draw the keys a caller presses from ``table`` (see ``_cumulative``)."""
        total, steps = table
        draw = self.rng.random() * total
        keys = steps[-1][0]
        for option, upto in steps:
            if draw < upto:
                keys = option
                break
        if "{" not in keys:
            return keys
        if "{customer}" in keys:
            customer = f"{80000 + self.rng.randrange(self.callers.customers)}"
            self.calls[call_id].customer = customer
            keys = keys.replace("{customer}", customer)
        if "{pin}" in keys:
            wrong = self.rng.random() < self.callers.wrong_pin_share
            keys = keys.replace("{pin}", "0000" if wrong else "1234")
        return keys

    def _queued(self, event: ev.CallQueued, now: float) -> None:
        call = self.calls.get(event.call_id)
        if call is None or call.queued:
            return
        call.queued = True
        patience = self.callers.patience
        if patience is None:
            return
        at = now + -math.log(1.0 - self.rng.random()) / (1.0 / patience)
        if call.answer_at >= now and at >= call.answer_at:
            # Rung at once and answered before the caller would give up: most calls. Their
            # patience joins the calendar only if that ring ends unanswered (_stop_ringing),
            # which keeps the calendar free of hang-ups that could never happen.
            call.gives_up = at
            return
        self._at(at, new_tuple(cmd.CallerHangUp, (event.call_id,)), WAITING, event.call_id)

    def _patience_due(self, call_id: str, call: SimCall, now: float) -> None:
        """A call whose patience was held back is not going to be answered as planned."""
        if call.gives_up != math.inf and not call.bridged:
            at, call.gives_up = max(now, call.gives_up), math.inf
            self._at(at, new_tuple(cmd.CallerHangUp, (call_id,)), WAITING, call_id)

    def _talk_seconds(self) -> float:
        """Exponential talk time, or lognormal with the model's coefficient of variation.

        The lognormal draw is ``Random.lognormvariate``'s (Kinderman and Monahan's ratio of
        uniforms, as in ``Random.normalvariate``) written out, like the exponential ones: the
        same numbers from the same stream, without two calls into Python-level library code."""
        random = self.rng.random
        if self.callers.talk_cv == 1.0:
            return -math.log(1.0 - random()) / (1.0 / self.callers.talk)
        while True:
            u1 = random()
            u2 = 1.0 - random()
            z = NV_MAGICCONST * (u1 - 0.5) / u2
            if z * z / 4.0 <= -math.log(u2):
                return math.exp(self.talk_mu + z * self.talk_sigma)

    def _ended(self, event: ev.CallEnded, now: float) -> None:
        self.calls.pop(event.call_id, None)

    def _awaiting_release(self, event: ev.CallAwaitingRelease, now: float) -> None:
        at = now + 1.0 + self.rng.expovariate(0.5)
        self._at(at, new_tuple(cmd.CallerHangUp, (event.call_id,)), LIVE, event.call_id)

    # -- agents' phones ---------------------------------------------------------------------

    def _ring(self, action: act.RingSeat, now: float) -> None:
        call_id = action.call_id
        self.ringing[action.seat_id] = call_id
        agents = self.agents
        call = self.calls.get(call_id)
        if agents.no_answer_prob and self.rng.random() < agents.no_answer_prob:
            if call is not None:
                call.answer_at = -math.inf
                self._patience_due(call_id, call, now)
            return
        answer_at = now + agents.answer_delay
        answer = new_tuple(cmd.Answer, (action.seat_id,))
        self._at(answer_at, answer, RINGING, action.seat_id, call_id)
        if call is not None:
            call.answer_at = answer_at
            if call.gives_up < answer_at:
                self._patience_due(call_id, call, now)

    def _stop_ringing(self, action: act.StopRinging, now: float) -> None:
        if self.ringing.get(action.seat_id) == action.call_id:
            del self.ringing[action.seat_id]
        call = self.calls.get(action.call_id)
        if call is not None:
            self._patience_due(action.call_id, call, now)

    def _auto_not_ready(self, event: ev.SeatAutoNotReady, now: float) -> None:
        self._at(now + self.agents.ready_after_auto, cmd.SetReady(event.seat_id), ALWAYS)

    def _bridge(self, action: act.Bridge, now: float) -> None:
        seat_id, call_id = action.seat_id, action.call_id
        if self.ringing.get(seat_id) == call_id:
            del self.ringing[seat_id]
        self.seat_call[seat_id] = call_id
        call = self.calls.get(call_id)
        if call is None:
            return
        call.bridged = True
        end = now + self._talk_seconds()
        if self.agents.hangup_share and self.rng.random() < self.agents.hangup_share:
            self._at(end, cmd.HangUp(seat_id), CONNECTED, seat_id, call_id)
        else:
            self._at(end, new_tuple(cmd.CallerHangUp, (call_id,)), LIVE, call_id)

    def _disconnect(self, action: act.DisconnectSeat, now: float) -> None:
        if self.seat_call.get(action.seat_id) == action.call_id:
            del self.seat_call[action.seat_id]

    def _seat_state(self, event: ev.SeatStateChanged, now: float) -> None:
        if event.state is S.WRAP_UP:
            self.seq += 1
            token = self.wrap_token[event.seat_id] = self.seq
            mean = self.agents.wrap_up_mean
            assert mean is not None
            at = now + -math.log(1.0 - self.rng.random()) / (1.0 / mean)
            self._at(at, new_tuple(cmd.EndWrapUp, (event.seat_id,)), WRAPPING, event.seat_id, token)
        else:
            self.wrap_token.pop(event.seat_id, None)

    # -- the rest of the world --------------------------------------------------------------

    def _record(self, action: act.RecordMessage, now: float) -> None:
        seconds = min(action.max_seconds, self.outside.message_seconds)
        self._at(now + seconds, cmd.MessageRecorded(action.call_id), LIVE, action.call_id)

    def _dial(self, action: act.Dial, now: float) -> None:
        call_id = action.call_id
        self.calls[call_id] = SimCall()
        draw = self.rng.random()
        ring = self.rng.expovariate(1.0 / self.outside.ring_seconds)
        if draw < self.outside.answer_share:
            self._at(now + ring, cmd.OutboundAnswered(call_id), LIVE, call_id)
        elif draw < self.outside.answer_share + self.outside.busy_share:
            self._at(now + 1.0, cmd.OutboundFailed(call_id, "busy"), LIVE, call_id)

    def _lookup(self, action: act.Lookup, now: float) -> None:
        reply = cmd.LookupAnswered(action.call_id, action.request_id, (f"{action.service}_status",))
        self._at(now + self.outside.lookup_seconds, reply, LIVE, action.call_id)

    def _verify(self, action: act.VerifyPin, now: float) -> None:
        """The host's PIN check (X2): consecutive failures counted per customer."""
        customer = action.customer
        frozen = customer in self.frozen
        ok = action.pin == "1234" and not frozen
        failures = 0 if ok else self.pin_failures.get(customer, 0) + (not frozen)
        self.pin_failures[customer] = failures
        reply = cmd.PinChecked(action.call_id, action.request_id, ok, failures, frozen)
        self._at(now + self.outside.lookup_seconds, reply, LIVE, action.call_id)

    def _freeze(self, action: act.FreezeSelfService, now: float) -> None:
        self.frozen.add(action.customer)
        self.counts["frozen"] += 1

    def _sms(self, action: act.SendSms, now: float) -> None:
        self.counts["sms"] += 1


def _cumulative(choices: Choices) -> KeyTable:
    """(total weight, ((keys, cumulative weight), ...)) for drawing with one random number."""
    total = 0.0
    steps = []
    for keys, weight in choices:
        total += weight
        steps.append((keys, total))
    return total, tuple(steps)
