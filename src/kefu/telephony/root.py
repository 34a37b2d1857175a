"""The composition root: one function builds the switch of a process from its parts.

:func:`build_runner` makes the clock, the database thread and journal, the host services, the
telephony adapter (the simulated line, with or without generated traffic and simulated agents),
the publisher and the configuration source, and hands them to a :class:`SwitchRunner`.

Where the switch runs (``KEFU_SWITCH``):

* ``embedded`` (default): inside the web process. :class:`EmbeddedSwitch` holds the process's
  one runner; it starts with the server (ASGI lifespan, ``kefu.telephony.asgi``) or lazily on
  first use — in the running event loop, or, in a process without one (a management command),
  on a thread of its own.
* ``remote``: in its own process (``kefu switch``); web processes reach it over the channel
  layer (``kefu.telephony.client.ChannelClient``), which must then be shared (Redis).
* ``off``: no switch; commands are refused with ``switch.unavailable``.

Simulator knobs (environment or settings of the same name): ``KEFU_SIMULATOR`` (on/off,
default on), ``KEFU_SIM_CALLS_PER_HOUR`` (default 60), ``KEFU_SIM_SPEED`` (default 1),
``KEFU_SIM_SEED``, ``KEFU_SIM_TALK_SECONDS`` (callers' mean talk time, default 180).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from kefu.config.env import ImproperlyConfiguredValue, env_bool, env_choice, env_int
from kefu.switch.adapters.sim import AgentModel, OutsideModel
from kefu.switch.engine import QueueConfig, SwitchConfig
from kefu.switch.engine.errors import ConfigError
from kefu.telephony.clock import Clock, RealClock
from kefu.telephony.config_build import FALLBACK_QUEUE, build_config, check_config
from kefu.telephony.errors import CommandError
from kefu.telephony.host import HostServices
from kefu.telephony.journal import Journal, JournalThread
from kefu.telephony.publisher import ChannelPublisher
from kefu.telephony.runner import SwitchRunner
from kefu.telephony.runner_parts import Loaded, SwitchParts
from kefu.telephony.simworld import LiveSim, caller_model, sim_employee

log = logging.getLogger(__name__)


def _knob(name: str, default: Any) -> Any:
    """A setting of that name wins over the environment (tests override settings)."""
    return getattr(settings, name, default)


def switch_mode() -> str:
    configured = _knob("KEFU_SWITCH", None)
    if configured is not None:
        return str(configured)
    return env_choice("KEFU_SWITCH", "embedded", {"embedded", "remote", "off"})


@dataclass(frozen=True)
class SimOptions:
    enabled: bool = True  # generated traffic and simulated agents
    calls_per_hour: float = 60.0
    seed: int = 0
    answer_share: float = 0.85  # customers who answer a callback or a notification
    talk_seconds: float = 180.0  # callers' mean talk time

    @classmethod
    def from_environment(cls) -> SimOptions:
        enabled = _knob("KEFU_SIMULATOR", None)
        rate = _knob("KEFU_SIM_CALLS_PER_HOUR", None)
        talk = _knob("KEFU_SIM_TALK_SECONDS", None)
        return cls(
            enabled=env_bool("KEFU_SIMULATOR", True) if enabled is None else bool(enabled),
            calls_per_hour=float(env_int("KEFU_SIM_CALLS_PER_HOUR", 60, minimum=0))
            if rate is None
            else float(rate),
            seed=env_int("KEFU_SIM_SEED", 0, minimum=0),
            talk_seconds=float(env_int("KEFU_SIM_TALK_SECONDS", 180, minimum=1))
            if talk is None
            else float(talk),
        )


def sim_speed() -> float:
    configured = _knob("KEFU_SIM_SPEED", None)
    if configured is not None:
        return float(configured)
    raw = os.environ.get("KEFU_SIM_SPEED", "").strip()
    try:
        speed = float(raw) if raw else 1.0
    except ValueError as exc:
        raise ImproperlyConfiguredValue(f"KEFU_SIM_SPEED={raw!r} is not a number") from exc
    if speed <= 0:
        raise ImproperlyConfiguredValue("KEFU_SIM_SPEED must be positive")
    return speed


class DbConfigSource:
    """The configuration in the database (``kefu.telephony.config_build``)."""

    def load(self) -> Loaded:
        config, host, problems = build_config()
        problems = check_config(config, problems)
        if problems:
            log.error("stored switch configuration refused: %s", problems)
            config = fallback_config(config)
        return Loaded(config, host, problems)

    def mark_applied(self, version: str, error: CommandError | None) -> None:
        from kefu.telephony.models import ConfigChange

        if version.isdigit():
            ConfigChange.objects.filter(pk=int(version)).update(
                applied=error is None, result=(error.message if error else "已生效")[:500]
            )


def fallback_config(config: SwitchConfig) -> SwitchConfig:
    """Seats kept, one queue served by whoever has the "general" skill."""
    queue = QueueConfig(FALLBACK_QUEUE, name="综合", skill=FALLBACK_QUEUE)
    return SwitchConfig(
        seats=config.seats, queues=(queue,), default_queue=FALLBACK_QUEUE, version=config.version
    )


def _world(options: SimOptions, origin: float) -> LiveSim:
    callers = caller_model(
        calls_per_hour=options.calls_per_hour if options.enabled else 0.0,
        keys=_demo_keys(),
        prompt_seconds={},
        talk=options.talk_seconds,
    )
    agents = AgentModel(no_answer_prob=0.05, answer_delay=3.0, hangup_share=0.3, wrap_up_mean=15.0)
    busy = min(0.1, 1.0 - options.answer_share)
    outside = OutsideModel(answer_share=options.answer_share, busy_share=busy, ring_seconds=6.0)
    return LiveSim(callers, agents, seed=options.seed, origin=origin, outside=outside)


def _demo_keys() -> dict[str, Any]:
    """How simulated callers answer the demo's menus (by prompt key)."""
    return {
        "main_menu": (("1", 0.35), ("2", 0.35), ("3", 0.1), ("0", 0.15), ("9", 0.05)),
        "service_menu": (("1", 0.7), ("2", 0.25), ("*", 0.05)),
        "enter_customer": (("{customer}#", 1.0),),
        "enter_pin": (("{pin}#", 1.0),),
        "enter_request_number": (("000001#", 0.5), ("999999#", 0.5)),
    }


def build_parts(
    *,
    clock: Clock | None = None,
    layer: Any = "default",
    sim: SimOptions | None = None,
    sms_on_db_thread: bool = False,
) -> SwitchParts:
    """Every part of a switch; ``layer="default"`` takes the project's channel layer.

    ``sms_on_db_thread`` sends SMS warnings from the database thread (tests on SQLite's
    in-memory database, where two writing threads would lock each other out)."""
    if layer == "default":
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
    clock = clock or RealClock(speed=sim_speed())
    options = sim or SimOptions.from_environment()
    db = JournalThread()
    return SwitchParts(
        clock=clock,
        db=db,
        journal=Journal(),
        host=HostServices(),
        adapter=_world(options, clock.now()),
        publisher=ChannelPublisher(layer),
        config=DbConfigSource(),
        time_zone=settings.TIME_ZONE,
        simulated_agents=options.enabled,
        sim_employee=sim_employee,
        sms=db.executor if sms_on_db_thread else None,
    )


def build_runner(**options: Any) -> SwitchRunner:
    seed = options.pop("seed", 0)
    return SwitchRunner(build_parts(**options), seed=seed)


class EmbeddedSwitch:
    """The web process's one switch (embedded mode): started once, in the right loop."""

    def __init__(self) -> None:
        self.runner: SwitchRunner | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start_here(self) -> SwitchRunner:
        """Start in the running event loop (the server's) unless already running."""
        with self._lock:
            if self.runner is None or self.runner.failure is not None:
                self.runner = build_runner()
                self.runner.start()
            return self.runner

    def ensure(self) -> SwitchRunner:
        """The running switch; started here or, without an event loop, on its own thread."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._start_on_thread()
        return self.start_here()

    def _start_on_thread(self) -> SwitchRunner:
        with self._lock:
            if self.runner is not None and self.runner.failure is None:
                return self.runner
            ready = threading.Event()

            def main() -> None:
                async def serve() -> None:
                    self.runner = build_runner()
                    task = self.runner.start()
                    ready.set()
                    await task

                asyncio.run(serve())

            self._thread = threading.Thread(target=main, name="kefu-switch", daemon=True)
            self._thread.start()
            ready.wait(timeout=30)
            assert self.runner is not None
            return self.runner

    async def stop(self) -> None:
        runner, self.runner = self.runner, None
        if runner is not None:
            await runner.stop()


_EMBEDDED = EmbeddedSwitch()


def embedded() -> EmbeddedSwitch:
    """This process's embedded switch holder (the only process-wide object of the switch)."""
    return _EMBEDDED


def config_error(problems: list[tuple[str, str]]) -> ConfigError:
    return ConfigError(problems)
