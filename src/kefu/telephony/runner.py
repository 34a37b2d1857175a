"""The switch runner: one asyncio task owns the engine (single writer, no locks).

Inputs arrive in one inbox — seat and management commands (:meth:`SwitchRunner.submit`), the
host's answers, snapshot requests, injected calls, configuration reloads — and the runner also
wakes at the earliest of the engine's next deadline and the adapter's next report. Each cycle:

1. due adapter reports and timers, then inbox items, are handed to the engine in order; its
   actions go to the adapter (telephony) or are kept for the host (lookups, PIN checks, the
   freeze and the SMS warning);
2. the events, numbered, are journalled in one transaction with the call records and agent
   states derived from them (on the database thread) — **before** anyone hears of them;
3. they are published to the channel layer, submitters get their results;
4. the host's work is done and its answers go back into the inbox.

Snapshots are answered between cycles from the live picture (``kefu.telephony.live``) that is
nothing but the published events applied in order, so "snapshot seq + later deltas" is exact.
See docs/runner.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from kefu.events import Envelope, plain
from kefu.switch.engine import Engine, Result, SwitchConfig
from kefu.switch.engine import actions as act
from kefu.switch.engine import commands as c
from kefu.switch.engine.errors import SwitchError
from kefu.switch.engine.events import event_type
from kefu.telephony.errors import CommandError, command_error, from_switch_error
from kefu.telephony.live import CALL_CARRIERS, LiveState
from kefu.telephony.runner_parts import (
    HOST_ACTIONS,
    Batch,
    CommandResult,
    Inject,
    Outcome,
    Reload,
    Snapshot,
    Stop,
    Submit,
    SwitchParts,
)

log = logging.getLogger(__name__)

__all__ = ["CommandResult", "SwitchParts", "SwitchRunner"]


@dataclass
class _Cycle:
    batch: Batch = field(default_factory=Batch)
    host_work: list[act.Action] = field(default_factory=list)


class SwitchRunner:
    def __init__(self, parts: SwitchParts, *, seed: int = 0, batch_limit: int = 256) -> None:
        self.parts = parts
        self.clock = parts.clock
        self.seed = seed
        self.batch_limit = batch_limit
        self.engine: Engine | None = None
        self.live = LiveState(tz=parts.time_zone)
        self.seq = 0
        self._now = float("-inf")
        self._inbox: deque[Any] = deque()
        self._wakeup = asyncio.Event()
        self._quiet = asyncio.Event()
        self._unjournaled: list[Batch] = []
        self._task: asyncio.Task[None] | None = None
        self.started = asyncio.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.failure: BaseException | None = None

    # -- life cycle -------------------------------------------------------------------------------

    def start(self) -> asyncio.Task[None]:
        """Start the one task that owns the engine (in the running loop)."""
        if self._task is None:
            self.loop = asyncio.get_running_loop()
            self._task = asyncio.create_task(self.run(), name="kefu-switch-runner")
        return self._task

    async def stop(self) -> None:
        if self._task is None:
            return
        self._put(Stop())
        try:
            await self._task
        finally:
            self.failure = self.failure or RuntimeError("the switch runner has stopped")
            self._fail_waiting(self.failure)
            await self.parts.close()

    async def run(self) -> None:
        try:
            await self._boot()
            self.started.set()
            while True:
                await self._wait_for_work()
                if not await self._cycle():
                    break
        except BaseException as error:
            self.failure = error
            self.started.set()
            self._fail_waiting(error)
            if not isinstance(error, asyncio.CancelledError):
                log.exception("the switch runner stopped")
            raise

    # -- the API (call from the runner's loop; kefu.telephony.client crosses loops) --------------

    async def submit(self, message: object) -> CommandResult:
        """Hand one command to the engine; the result holds its journalled events or the
        refusal (code and Chinese message) and the events of timers that fired first."""
        future: asyncio.Future[CommandResult] = asyncio.get_running_loop().create_future()
        self._put(Submit(message, future))
        return await future

    async def snapshot(self, scope: str = "wallboard") -> dict[str, Any]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._put(Snapshot(scope, future))
        return await future

    async def inject_call(
        self, caller: str, *, trunk: str = "", dialled: str = "", keys: tuple[str, ...] = ()
    ) -> str:
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._put(Inject(caller, trunk, dialled, keys, future))
        return await future

    async def reload_config(self) -> CommandResult:
        """Read the configuration from the database and apply it (new calls use it)."""
        future: asyncio.Future[CommandResult] = asyncio.get_running_loop().create_future()
        self._put(Reload(future))
        return await future

    async def settle(self) -> None:
        """Return when nothing is due or queued (tests: after advancing a virtual clock)."""
        while True:
            await self._quiet.wait()
            for _ in range(3):
                await asyncio.sleep(0)
            if self._quiet.is_set() and not self._inbox:
                return

    def _put(self, item: object) -> None:
        if self.failure is not None:
            raise RuntimeError("the switch runner has stopped") from self.failure
        self._inbox.append(item)
        self._quiet.clear()
        self._wakeup.set()

    # -- start-up -------------------------------------------------------------------------------

    async def _boot(self) -> None:
        parts = self.parts
        loaded = await parts.db.run(parts.config.load)
        config = loaded.config
        self.engine = Engine(config, seed=self.seed)
        self._now = self.clock.now()
        self.seq = await parts.db.run(parts.journal.last_seq)
        renumber = getattr(parts.adapter, "renumber", None)
        if renumber is not None:  # the simulated line: no call id of the journal used again
            renumber(self.seq)
        today = await parts.db.run(parts.journal.today, self._now, parts.time_zone)
        self.live.restore_today(today)  # the wallboard's counters survive a restart
        recovery = await parts.db.run(parts.journal.recovery, self._now)
        cycle = _Cycle()
        self._host_event(
            cycle, "switch.started", {"version": config.version, "seq_before": self.seq}
        )
        for call_id, seat_id, talk in recovery.open_calls:
            data = {
                "call_id": call_id,
                "cause": "switch_restart",
                "released_by": "switch",
                "seat_id": seat_id,
                "talk_seconds": talk,
            }
            self._host_event(cycle, "call.ended", data)
        self._configured(cycle, config, loaded.problems)
        parts.apply_host_config(loaded.host)
        for seat_id, employee_id in recovery.logged_on:
            if seat_id in config.seats:
                skills = await parts.db.run(parts.host.skills, employee_id)
                self._step(cycle, c.LogOn(seat_id, employee_id, skills), self._now)
        self._staff(cycle, loaded.host.simulated_seats)
        await self._finish(cycle)
        if not loaded.problems:
            await parts.db.run(parts.config.mark_applied, config.version, None)

    def _configured(self, cycle: _Cycle, config: SwitchConfig, problems: list[Any]) -> None:
        data = {
            "version": config.version,
            "seats": list(config.seats),
            "queues": [[queue.queue_id, queue.name or queue.queue_id] for queue in config.queues],
            "supervisor_seat": config.supervisor_seat,
            "tone_volume": config.agent_tone.volume,
            "tone_ms": config.agent_tone.millis,
            "merged_seats": config.merged_seats,
            "problems": [message for _code, message in problems],
        }
        self._host_event(cycle, "switch.configured", data)

    def _staff(self, cycle: _Cycle, seats: tuple[str, ...]) -> None:
        """Simulated agents log on to the simulated seats nobody holds."""
        engine = self.engine
        assert engine is not None
        if not self.parts.simulated_agents:
            return
        free = {view.seat_id for view in engine.seats() if view.state == "logged_off"}
        for seat_id in seats:
            if seat_id in free:
                self._step(cycle, c.LogOn(seat_id, self.parts.sim_employee(seat_id)), self._now)

    # -- the loop ---------------------------------------------------------------------------------

    def _next_due(self) -> float | None:
        engine = self.engine
        assert engine is not None
        times = [
            t
            for t in (engine.next_deadline(), self.parts.adapter.next_report_at())
            if t is not None
        ]
        return min(times) if times else None

    async def _wait_for_work(self) -> None:
        self._wakeup.clear()
        if self._inbox or self._unjournaled:
            return
        due = self._next_due()
        if due is not None and due <= self.clock.now():
            return
        self._quiet.set()
        await self.clock.wait(self._wakeup, due)

    async def _cycle(self) -> bool:
        """One round; False when asked to stop."""
        self._quiet.clear()
        cycle = _Cycle()
        await self._take_due(cycle)
        running = True
        while self._inbox and len(cycle.batch.envelopes) < self.batch_limit:
            item = self._inbox.popleft()
            if isinstance(item, Stop):
                running = False
                break
            if isinstance(item, Snapshot):
                await self._finish(cycle)
                cycle = _Cycle()
                if not item.future.done():  # the asker may have given up (a time-out)
                    item.future.set_result(self._snapshot(item.scope))
                continue
            await self._take(cycle, item)
        await self._finish(cycle)
        return running

    async def _take_due(self, cycle: _Cycle) -> None:
        engine, adapter = self.engine, self.parts.adapter
        assert engine is not None
        now = self.clock.now()
        while len(cycle.batch.envelopes) < self.batch_limit:
            report_at, deadline = adapter.next_report_at(), engine.next_deadline()
            if (
                report_at is not None
                and report_at <= now
                and (deadline is None or report_at <= deadline)
            ):
                report = adapter.take_report()
                message = report.message
                if isinstance(message, c.IncomingCall):
                    message = await self.parts.db.run(self.parts.host.classify, message)
                self._step(cycle, message, report.at)
            elif deadline is not None and deadline <= now:
                self._step(cycle, c.Tick(), deadline)
            else:
                return

    async def _take(self, cycle: _Cycle, item: object) -> None:
        now = self.clock.now()
        if isinstance(item, Submit):
            message = item.message
            if isinstance(message, c.IncomingCall):
                message = await self.parts.db.run(self.parts.host.classify, message)
            cycle.batch.waiting.append((item.future, self._step(cycle, message, now)))
        elif isinstance(item, Inject):
            call_id = self.parts.adapter.inject_call(
                now, caller=item.caller, trunk=item.trunk, dialled=item.dialled, keys=item.keys
            )
            if not item.future.done():
                item.future.set_result(call_id)
            self._wakeup.set()
        elif isinstance(item, Reload):
            cycle.batch.waiting.append((item.future, await self._reload(cycle)))

    async def _reload(self, cycle: _Cycle) -> Outcome:
        parts = self.parts
        loaded = await parts.db.run(parts.config.load)
        start = len(cycle.batch.envelopes)
        if loaded.problems:
            error = from_switch_error(parts.config_error(loaded.problems))
            return Outcome(start, start, error)
        error = self._step(cycle, c.ApplyConfig(loaded.config), self.clock.now()).error
        if error is None:
            self._configured(cycle, loaded.config, [])
            parts.apply_host_config(loaded.host)
            self._staff(cycle, loaded.host.simulated_seats)
        await parts.db.run(parts.config.mark_applied, loaded.config.version, error)
        return Outcome(start, len(cycle.batch.envelopes), error)

    # -- one message ------------------------------------------------------------------------------

    def _step(self, cycle: _Cycle, message: object, at: float) -> Outcome:
        """Hand one message to the engine; return where its events start and any refusal."""
        engine = self.engine
        assert engine is not None
        at = max(at, self._now)
        start = len(cycle.batch.envelopes)
        error: CommandError | None = None
        try:
            result = engine.handle(message, at)
        except SwitchError as refused:
            error = from_switch_error(refused)
            result = refused.result if isinstance(refused.result, Result) else Result(at, [], [])
            log.debug("switch refused %s: %s", message, refused)
        self._now = at
        adapter = self.parts.adapter
        for action in result.actions:
            if isinstance(action, HOST_ACTIONS):
                cycle.host_work.append(action)
            else:
                adapter.perform(action, at)
        adapter.observe(result.events, at)
        for event in result.events:
            self._record(cycle, event_type(event), plain(event._asdict()), at)
        return Outcome(start, len(cycle.batch.envelopes), error)

    def _host_event(self, cycle: _Cycle, kind: str, data: dict[str, Any]) -> None:
        self._record(cycle, kind, data, self._now)

    def _record(self, cycle: _Cycle, kind: str, data: dict[str, Any], at: float) -> None:
        self.seq += 1
        envelope = Envelope(self.seq, at, kind, data)
        seats = self.live.recipients(envelope.as_dict())
        self.live.apply(envelope.as_dict())
        seats |= self.live.recipients(envelope.as_dict())
        if kind == "switch.configured":
            seats |= set(data["seats"])  # every desk learns the tone and supervisor seat
        if kind in CALL_CARRIERS:
            envelope = Envelope(self.seq, at, kind, data, self.live.call_summary(data["call_id"]))
        cycle.batch.envelopes.append(envelope)
        cycle.batch.seats.append(seats)

    # -- journal, publish, answer, host work ----------------------------------------------------

    async def _finish(self, cycle: _Cycle) -> None:
        batch = cycle.batch
        if batch.envelopes or batch.waiting:
            self._unjournaled.append(batch)
        await self._journal_and_publish()
        await self._host_work(cycle.host_work)

    async def _journal_and_publish(self) -> None:
        parts = self.parts
        while self._unjournaled:
            batch = self._unjournaled[0]
            try:
                await parts.db.run(parts.journal.write, batch.envelopes)
            except Exception:
                log.exception("journal write failed; events kept and retried (not published)")
                parts.journal.projector.forget()
                await asyncio.sleep(1.0)
                return
            self._unjournaled.pop(0)
            await parts.publisher.publish(zip(batch.envelopes, batch.seats, strict=True))
            batch.answer()

    async def _host_work(self, work: list[act.Action]) -> None:
        parts = self.parts
        for action in work:
            answer: object | None = None
            if isinstance(action, act.VerifyPin):
                ok, failures, frozen, vip = await parts.db.run(
                    parts.host.check_pin, action.customer, action.pin
                )
                answer = c.PinChecked(action.call_id, action.request_id, ok, failures, frozen, vip)
            elif isinstance(action, act.Lookup):
                prompts = await parts.db.run(parts.host.lookup, action.service, action.query)
                answer = c.LookupAnswered(action.call_id, action.request_id, prompts)
            elif isinstance(action, act.FreezeSelfService):
                await parts.db.run(parts.host.freeze, action.customer)
            elif isinstance(action, act.SendSms):
                parts.send_later(parts.host.send_warning, action.customer, action.template)
            if answer is not None:
                self._put(Submit(answer, None))

    def _snapshot(self, scope: str) -> dict[str, Any]:
        if scope.startswith("seat:"):
            found = self.live.seat_snapshot(scope.removeprefix("seat:"))
        else:
            found = self.live.snapshot()
        found["now"] = self.clock.now()
        return found

    def _fail_waiting(self, error: BaseException) -> None:
        refusal = command_error("switch.unavailable", str(error))
        for item in self._inbox:
            future = getattr(item, "future", None)
            if future is not None and not future.done():
                if isinstance(item, Submit | Reload):
                    future.set_result(CommandResult(False, [], refusal))
                else:
                    future.set_exception(RuntimeError("the switch runner has stopped"))
        self._inbox.clear()
