"""The commands a desk offers are exactly those the engine accepts, in every state a busy
simulated stretch with a person at one seat runs through."""

from __future__ import annotations

import copy
import random

from tests.telephony.harness import Harness, run

from kefu.switch.engine import commands as c
from kefu.switch.engine.errors import SwitchError
from kefu.telephony.legal import legal_commands
from kefu.telephony.models import Seat
from kefu.telephony.root import SimOptions
from kefu.telephony.wire import SEAT_COMMANDS


def command(name: str, seat: str, state: dict) -> object | None:
    """The command with plausible arguments (None when there is nobody to call)."""
    current = state["seats"][seat]["employee_id"]
    newcomer = f"y{seat}" if current == f"x{seat}" else f"x{seat}"  # nobody else's employee
    others = [s for s, row in state["seats"].items() if s != seat and row["state"] != "logged_off"]
    arguments = {
        "log_on": lambda: c.LogOn(seat, newcomer),
        "set_not_ready": lambda: c.SetNotReady(seat, "rest"),
        "intercom_start": lambda: c.IntercomStart(seat, others[0]) if others else None,
        "call_customer": lambda: c.CallCustomer(seat, "13900000000", "TS1"),
        "play_recording": lambda: c.PlayRecording(seat, "r1"),
    }
    if name in arguments:
        return arguments[name]()
    classes = {"intercom_end": c.IntercomEnd, "end_wrap_up": c.EndWrapUp}
    cls = classes.get(name) or getattr(c, "".join(p.title() for p in name.split("_")))
    return cls(seat)


def accepted(engine, message: object, now: float) -> bool:
    try:
        copy.deepcopy(engine).handle(message, now)
    except SwitchError:
        return False
    return True


def test_the_legal_commands_are_the_accepted_ones(center):
    Seat.objects.filter(number="7").update(simulated=True)
    sim = SimOptions(enabled=True, calls_per_hour=90, seed=11)
    rng = random.Random(4)
    checked: set[tuple[str, str, bool]] = set()

    async def scenario():
        async with Harness(sim=sim) as h:
            await h.log_on("8", "3002")
            for _ in range(120):
                await h.advance(rng.choice((1, 3, 8, 20)))
                state = await h.runner.snapshot()
                engine, now = h.runner.engine, h.clock.now()
                for seat in ("7", "8", "9"):
                    legal = set(legal_commands(state, seat))
                    for name in sorted(SEAT_COMMANDS):
                        message = command(name, seat, state)
                        if message is None:
                            continue
                        ok = accepted(engine, message, now)
                        assert ok == (name in legal), (seat, name, state["seats"][seat])
                        checked.add((name, state["seats"][seat]["state"], ok))
                options = sorted(legal_commands(state, "8"))
                if options and rng.random() < 0.5:
                    choice = command(rng.choice(options), "8", state)
                    if choice is not None:
                        await h.submit(choice)

    run(scenario)
    assert len({state for _n, state, ok in checked if ok}) >= 5  # many seat states seen
    assert len({name for name, _s, ok in checked if ok}) >= 12  # most commands accepted somewhere
