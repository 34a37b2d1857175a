"""How fast the switch runner journals and publishes (issue 5, the Django half).

Runs the real runner — engine, simulated line with simulated agents, journal with call records
and agent states on the database thread, in-memory channel layer with one wallboard listener —
on a virtual clock that jumps to the next deadline whenever the runner is idle, so the figures
are the runner's own cost, not waiting. Prints simulated hours, calls, events, wall time, events
journalled per second, journal transactions and their p50/p99 duration.

    .venv/bin/python benchmarks/runner_bench.py [--seats 60] [--calls-per-hour 1200] [--hours 1]

A fresh SQLite file in a temporary directory unless DATABASE_URL is set (use a scratch
database: it is migrated and filled).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time


def _setup() -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["KEFU_DATA_DIR"] = tempfile.mkdtemp(prefix="kefu-runner-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _center(seats: int) -> None:
    from kefu.telephony.models import Queue, QueueSeat, Seat, SwitchSettings

    queue, _ = Queue.objects.get_or_create(
        code="bench", defaults={"name": "基准", "announce_every": None}
    )
    for n in range(1, seats + 1):
        seat, _ = Seat.objects.get_or_create(number=f"b{n}", defaults={"simulated": True})
        QueueSeat.objects.get_or_create(queue=queue, seat=seat)
    settings = SwitchSettings.load()
    settings.default_queue, settings.greeting, settings.default_ivr = queue, None, None
    settings.wrap_up = 5
    settings.save()


async def _run(args: argparse.Namespace) -> dict[str, float]:
    from channels.layers import InMemoryChannelLayer

    from kefu.telephony.clock import VirtualClock
    from kefu.telephony.publisher import WALLBOARD_GROUP
    from kefu.telephony.root import SimOptions, build_parts
    from kefu.telephony.runner import SwitchRunner

    clock = VirtualClock(1_767_258_000.0, auto=False)
    layer = InMemoryChannelLayer(capacity=1_000_000, expiry=3600)
    listener = await layer.new_channel()
    await layer.group_add(WALLBOARD_GROUP, listener)
    sim = SimOptions(enabled=True, calls_per_hour=args.calls_per_hour, seed=1)
    parts = build_parts(clock=clock, layer=layer, sim=sim)
    writes: list[float] = []
    real_write = parts.journal.write

    def timed(envelopes):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        real_write(envelopes)
        writes.append(time.perf_counter() - started)

    parts.journal.write = timed  # type: ignore[method-assign]
    runner = SwitchRunner(parts, seed=1)
    received = 0

    async def drain() -> None:
        nonlocal received
        while True:
            await layer.receive(listener)
            received += 1

    drainer = asyncio.create_task(drain())
    runner.start()
    await runner.started.wait()
    end = clock.now() + args.hours * 3600
    started = time.perf_counter()
    while True:
        await runner.settle()
        due = runner._next_due()
        if due is None or due > end:
            break
        clock.set(max(due, clock.now()))
    wall = time.perf_counter() - started
    events = runner.seq
    await asyncio.sleep(0.2)
    drainer.cancel()
    await runner.stop()
    ordered = sorted(writes)
    return {
        "events": events,
        "published_to_wallboard": received,
        "wall_seconds": wall,
        "events_per_second": events / wall,
        "transactions": len(writes),
        "write_p50_ms": statistics.median(ordered) * 1000,
        "write_p99_ms": ordered[int(len(ordered) * 0.99)] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seats", type=int, default=60)
    parser.add_argument("--calls-per-hour", type=float, default=1200)
    parser.add_argument("--hours", type=float, default=1.0)
    args = parser.parse_args()
    _setup()
    _center(args.seats)
    figures = asyncio.run(_run(args))
    from django.db import connection

    from kefu.telephony.models import CallRecord

    print(
        f"database: {connection.vendor}; {args.seats} seats, {args.calls_per_hour:g} calls/h, "
        f"{args.hours:g} simulated h"
    )
    print(f"calls: {CallRecord.objects.count()}")
    for name, value in figures.items():
        print(f"{name}: {value:,.1f}" if isinstance(value, float) else f"{name}: {value:,}")


if __name__ == "__main__":
    main()
