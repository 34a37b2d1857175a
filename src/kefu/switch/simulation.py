"""Virtual-time scenarios: the real engine driven by the simulated telephony, as fast as the
CPU allows. ``kefu simulate`` and the benchmark run through ``run``.

With the defaults of :class:`Scenario` (no greeting, no IVR, no wrap-up, instant answers,
patient callers, exponential talk) the run is the M/M/c model of Erlang C.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from kefu.switch.adapters.sim import AgentModel, CallerModel, SimTelephony
from kefu.switch.engine import Engine, QueueConfig, Result, SwitchConfig
from kefu.switch.engine import events as ev
from kefu.switch.engine.commands import LogOn, Tick
from kefu.switch.engine.errors import SwitchError
from kefu.switch.engine.states import S

Progress = Callable[[float], None]
Listener = Callable[[Any, float], None]


@dataclass(frozen=True)
class Scenario:
    agents: int = 14
    calls_per_hour: float = 200.0
    aht: float = 180.0  # mean talk time, seconds
    hours: float = 8.0
    seed: int = 1
    sl_threshold: float = 20.0
    patience: float | None = None
    strategy: str = "longest_idle"
    ring_timeout: float = 15.0
    no_answer_prob: float = 0.0
    answer_delay: float = 0.0
    wrap_up: float = 0.0


def mmc_model(s: Scenario) -> tuple[SwitchConfig, CallerModel, AgentModel]:
    """One queue, every seat at level 1; nothing between arrival and the queue."""
    seats = tuple(f"s{i}" for i in range(1, s.agents + 1))
    queue = QueueConfig(
        "main", strategy=s.strategy, seats=dict.fromkeys(seats, 1), announce_every=None
    )
    config = SwitchConfig(
        seats=seats,
        queues=(queue,),
        default_queue="main",
        greeting=None,
        ring_timeout=s.ring_timeout,
        wrap_up=s.wrap_up,
    )
    callers = CallerModel(calls_per_hour=s.calls_per_hour, patience=s.patience, talk=s.aht)
    agents = AgentModel(no_answer_prob=s.no_answer_prob, answer_delay=s.answer_delay)
    return config, callers, agents


class Metrics:
    """Key figures from the engine's events (see ``figures`` for the definitions)."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.offered = self.answered = self.abandoned = 0
        self.within = self.abandoned_after = 0
        self.wait_sum = self.max_wait = 0.0
        self.events = self.refused = self.steps = 0
        self.busy = self.staffed = 0.0
        self.busy_periods = 0
        self.busy_since: dict[str, float] = {}
        self.logged_since: dict[str, float] = {}
        #: event type → what the figures take from it
        self.listeners: dict[type, Callable[[Any, float], None]] = {
            ev.CallArrived: self._arrived,
            ev.CallAnswered: self._answered,
            ev.CallAbandoned: self._abandoned,
            ev.SeatStateChanged: self._seat,
            ev.SeatLoggedOn: self._logged_on,
        }

    def feed(self, events: Iterable[ev.Event], now: float) -> None:
        listeners = self.listeners
        for event in events:
            self.events += 1
            handler = listeners.get(type(event))
            if handler is not None:
                handler(event, now)

    def _arrived(self, event: ev.CallArrived, now: float) -> None:
        self.offered += 1

    def _answered(self, event: ev.CallAnswered, now: float) -> None:
        self.answered += 1
        waited = event.waited
        self.wait_sum += waited
        if waited <= self.threshold:
            self.within += 1
        if waited > self.max_wait:
            self.max_wait = waited

    def _abandoned(self, event: ev.CallAbandoned, now: float) -> None:
        self.abandoned += 1
        if event.waited > self.threshold:
            self.abandoned_after += 1
        if event.waited > self.max_wait:
            self.max_wait = event.waited

    def _seat(self, event: ev.SeatStateChanged, now: float) -> None:
        state = event.state
        if state is S.ON_CALL:
            self.busy_since.setdefault(event.seat_id, now)
        elif state is not S.WRAP_UP:
            since = self.busy_since.pop(event.seat_id, None)
            if since is not None:
                self.busy += now - since
                self.busy_periods += 1
            if state is S.LOGGED_OFF:
                self.staffed += now - self.logged_since.pop(event.seat_id, now)

    def _logged_on(self, event: ev.SeatLoggedOn, now: float) -> None:
        self.logged_since[event.seat_id] = now

    def figures(self, end: float, wall: float) -> dict[str, float | int]:
        """service_level = answered within the threshold / (answered + abandoned after it)."""
        staffed = self.staffed + sum(end - since for since in self.logged_since.values())
        busy = self.busy + sum(end - since for since in self.busy_since.values())
        judged = self.answered + self.abandoned_after
        return {
            "offered": self.offered,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "service_level": self.within / judged if judged else 1.0,
            "asa_seconds": self.wait_sum / self.answered if self.answered else 0.0,
            "abandon_rate": self.abandoned / self.offered if self.offered else 0.0,
            "aht_seconds": self.busy / self.busy_periods if self.busy_periods else 0.0,
            "occupancy": busy / staffed if staffed else 0.0,
            "max_wait_seconds": self.max_wait,
            "events": self.events,
            "refused": self.refused,
            "messages": self.steps,
            "wall_seconds": wall,
        }


def _listeners(sim: SimTelephony, metrics: Metrics) -> dict[type, Listener]:
    """One table for the simulated world and the figures, so each event is looked up once."""
    table = dict(metrics.listeners)
    for kind, observer in sim.observers.items():
        first = table.get(kind)
        table[kind] = observer if first is None else _both(first, observer)
    return table


def _both(first: Listener, second: Listener) -> Listener:
    def both(event: Any, now: float) -> None:
        first(event, now)
        second(event, now)

    return both


def drive(
    engine: Engine,
    sim: SimTelephony,
    metrics: Metrics,
    *,
    progress: Progress | None = None,
    until: float,
    trace: list[tuple[object, float]] | None = None,
) -> float:
    """Run until the simulated callers are all done; return the virtual end time. ``trace``
    collects every message handled with its time (the benchmark replays them)."""
    handle, next_deadline = engine.handle, engine.next_deadline
    performers, listeners = sim.performers, _listeners(sim, metrics)
    take_before, live_calls = sim.take_before, sim.calls
    tick: object = Tick()
    never = float("inf")
    give_up = until + 30 * 86400.0  # a call that never ends must not spin the clock forever
    at = 0.0
    steps = events = 0
    while at < give_up and (live_calls or not sim.arrivals_done):  # not sim.idle(), inline
        deadline = next_deadline()
        report = take_before(never if deadline is None else deadline)
        if report is not None:
            at, message = report
        elif deadline is not None:
            at, message = deadline, tick
        else:
            break
        if trace is not None:
            trace.append((message, at))
        try:
            result = handle(message, at)
        except SwitchError as error:
            metrics.refused += 1
            if not isinstance(error.result, Result):
                continue
            result = error.result
        for action in result.actions:
            perform = performers.get(type(action))
            if perform is not None:
                perform(action, at)
        for event in result.events:
            listener = listeners.get(type(event))
            if listener is not None:
                listener(event, at)
        events += len(result.events)
        steps += 1
        if progress is not None and not steps & 0xFFFF:
            progress(min(1.0, at / until))
    metrics.events += events
    metrics.steps += steps
    return at


def log_on_all(engine: Engine, seats: Iterable[str], sim: SimTelephony, metrics: Metrics) -> None:
    for i, seat_id in enumerate(seats):
        result = engine.handle(LogOn(seat_id, f"e{i + 1}"), 0.0)
        sim.observe(result.events, 0.0)
        metrics.feed(result.events, 0.0)


def run(s: Scenario, *, progress: Progress | None = None) -> dict[str, float | int]:
    """Run scenario ``s`` (the M/M/c model unless its knobs say otherwise)."""
    config, callers, agents = mmc_model(s)
    return run_model(
        config,
        callers,
        agents,
        hours=s.hours,
        seed=s.seed,
        threshold=s.sl_threshold,
        progress=progress,
    )


def run_model(
    config: SwitchConfig,
    callers: CallerModel,
    agents: AgentModel,
    *,
    hours: float,
    seed: int,
    threshold: float,
    progress: Progress | None = None,
    skills: dict[str, tuple[tuple[str, int], ...]] | None = None,
) -> dict[str, float | int]:
    started = time.perf_counter()
    until = hours * 3600.0
    engine = Engine(config, seed=seed)
    sim = SimTelephony(callers, agents, seed=seed, until=until)
    metrics = Metrics(threshold)
    for i, seat_id in enumerate(config.seats):
        logon = LogOn(seat_id, f"e{i + 1}", (skills or {}).get(seat_id, ()))
        result = engine.handle(logon, 0.0)
        sim.observe(result.events, 0.0)
        metrics.feed(result.events, 0.0)
    end = drive(engine, sim, metrics, progress=progress, until=until)
    figures = metrics.figures(end, time.perf_counter() - started)
    figures["problems"] = len(engine.check_invariants())
    return figures


def with_changes(s: Scenario, **changes: Any) -> Scenario:
    return replace(s, **changes)
