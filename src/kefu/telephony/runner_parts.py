"""What the runner is built from, and the small records that travel through its inbox.

:class:`SwitchParts` is filled by the composition root (``kefu.telephony.root``): clock,
database thread, journal, host services, telephony adapter, publisher and configuration
source, passed in rather than looked up, so tests build a runner from real parts on a virtual
clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from kefu.events import Envelope
from kefu.switch.adapters.base import Report
from kefu.switch.engine import SwitchConfig
from kefu.switch.engine import actions as act
from kefu.switch.engine.errors import ConfigError
from kefu.switch.engine.events import Event
from kefu.telephony.clock import Clock
from kefu.telephony.errors import CommandError
from kefu.telephony.host import HostServices
from kefu.telephony.journal import Journal, JournalThread
from kefu.telephony.publisher import ChannelPublisher

log = logging.getLogger(__name__)

HOST_ACTIONS = (act.Lookup, act.VerifyPin, act.FreezeSelfService, act.SendSms)


@dataclass(frozen=True)
class CommandResult:
    """What :meth:`SwitchRunner.submit` answers: the command's journalled events (dicts as
    published), or the refusal with code and Chinese message (and the events of timers that
    fired before it), and the journal sequence number after it."""

    ok: bool
    events: list[dict[str, Any]]
    error: CommandError | None = None
    seq: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "seq": self.seq,
            "events": self.events,
            "error": self.error.as_dict() if self.error is not None else None,
        }


@dataclass(frozen=True)
class Outcome:
    start: int
    end: int
    error: CommandError | None


@dataclass
class Batch:
    """Events of one cycle, the seats each concerns, and who waits for which of them."""

    envelopes: list[Envelope] = field(default_factory=list)
    seats: list[set[str]] = field(default_factory=list)
    waiting: list[tuple[asyncio.Future[CommandResult] | None, Outcome]] = field(
        default_factory=list
    )

    def answer(self) -> None:
        last = self.envelopes[-1].seq if self.envelopes else 0
        for future, outcome in self.waiting:
            if future is None or future.done():
                continue
            events = [env.as_dict() for env in self.envelopes[outcome.start : outcome.end]]
            seq = events[-1]["seq"] if events else last
            future.set_result(CommandResult(outcome.error is None, events, outcome.error, seq))


@dataclass(eq=False)
class Submit:
    message: object
    future: asyncio.Future[CommandResult] | None


@dataclass(eq=False)
class Snapshot:
    scope: str
    future: asyncio.Future[dict[str, Any]]


@dataclass(eq=False)
class Inject:
    caller: str
    trunk: str
    dialled: str
    keys: tuple[str, ...]
    future: asyncio.Future[str]


@dataclass(eq=False)
class Reload:
    future: asyncio.Future[CommandResult] | None


class Stop:
    pass


class RunnerAdapter(Protocol):
    """The telephony adapter as the runner drives it (``kefu.telephony.simworld.LiveSim``)."""

    def perform(self, action: act.Action, now: float) -> None: ...

    def next_report_at(self) -> float | None: ...

    def take_report(self) -> Report: ...

    def observe(self, events: Iterable[Event], now: float) -> None: ...

    def inject_call(
        self,
        now: float,
        *,
        caller: str,
        trunk: str = "",
        dialled: str = "",
        keys: Iterable[str] = (),
    ) -> str: ...

    def set_input_prompts(self, prompts: Iterable[str]) -> None: ...


@dataclass(frozen=True)
class Loaded:
    """A configuration read from the database: always usable (the last resort is a one-queue
    switch), with the problems that made the stored one unusable, if any."""

    config: SwitchConfig
    host: Any  # kefu.telephony.config_build.HostConfig
    problems: list[tuple[str, str]]


class ConfigSource(Protocol):
    def load(self) -> Loaded: ...

    def mark_applied(self, version: str, error: CommandError | None) -> None: ...


@dataclass
class SwitchParts:
    clock: Clock
    db: JournalThread
    journal: Journal
    host: HostServices
    adapter: RunnerAdapter
    publisher: ChannelPublisher
    config: ConfigSource
    time_zone: str = "Asia/Shanghai"
    simulated_agents: bool = False
    sim_employee: Callable[[str], str] = field(default=lambda seat: f"sim-{seat}")
    #: Where SMS warnings are sent from (off the runner's loop; the database thread in tests).
    sms: Executor | None = None

    def __post_init__(self) -> None:
        self._own_sms = self.sms is None
        if self.sms is None:
            self.sms = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kefu-sms")

    def apply_host_config(self, host: Any) -> None:
        from kefu.telephony.ivr_json import input_prompts

        self.host.rule = host.long_distance
        prompts: set[str] = set()
        for tree in host.trees:
            prompts |= input_prompts(tree)
        self.adapter.set_input_prompts(prompts)

    def config_error(self, problems: list[tuple[str, str]]) -> ConfigError:
        return ConfigError(problems)

    def send_later(self, function: Callable[..., Any], *args: Any) -> None:
        assert self.sms is not None
        future = self.sms.submit(_closing(function, self._own_sms), *args)
        future.add_done_callback(_log_failure)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self._close)

    def _close(self) -> None:
        if self._own_sms and self.sms is not None:
            self.sms.shutdown(wait=True)
        self.db.close()


def _closing(function: Callable[..., Any], close: bool) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        from django.db import connection

        try:
            return function(*args)
        finally:
            if close:
                connection.close()

    return run


def _log_failure(future: Any) -> None:
    if future.exception() is not None:
        log.error("switch host work failed", exc_info=future.exception())
