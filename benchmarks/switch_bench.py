"""Switch benchmark (issue 5). Run: .venv/bin/python benchmarks/switch_bench.py [--repeat 3]

Prints:
1. engine throughput on one core: a recorded full-featured message trace replayed through a
   fresh engine (no simulator, no metrics) — messages handled and events produced per second;
2. routing-decision latency (p50/p99) with 1,000 seats logged on and 10,000 calls waiting:
   the whole ``handle`` of the message that triggers a decision (a seat freed picks the best
   waiting call; a call arriving picks a seat), timed one by one;
3. a simulated full-featured day of 200,000 calls over 1,000 seats (IVR, identity checks,
   four queues, priorities, overflow, recording, agents' habits): wall time, CPU time and
   peak memory (max RSS of a fresh process);
4. the baseline: SimPy simulating the bare M/M/c model of the same day (Poisson arrivals, one
   FCFS queue, exponential service, nothing else), and our engine running that same bare
   model, with the ratios.

Each part runs in its own process so memory figures do not mix. On a shared machine wall time
suffers from other load; CPU time (process time) is printed beside it. ``--repeat N`` runs the
day, the bare model and SimPy N times, interleaved, and keeps each one's fastest run, so a
burst of load on the machine does not decide the ratio. Both days draw their own Poisson
arrivals with the same mean (200,000); the counts are printed.

The switch's modules run as the native build (mypyc, ``kefu.switch.native``) when one can be
made: the report first rebuilds it if any source changed since it was built, so a stale build
is never timed, and says which modules ran. ``--pure`` times the pure Python instead.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

from kefu import switch
from kefu.switch import native
from kefu.switch.engine.actions import RingSeat

DAY_CALLS, DAY_SEATS, SEED = 200_000, 1_000, 7
BUILDS = {
    "native": "native build (mypyc-compiled engine, simulator and driver; see native.py)",
    "pure": "pure Python",
}
BARE_AHT = 160.0  # mean seat time per call in the full-featured day (talk 150 + wrap-up)


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clocks()
    return wall - start[0], cpu - start[1]


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def part_throughput(calls: int, seats: int) -> dict[str, Any]:
    from kefu.switch.adapters.sim import SimTelephony
    from kefu.switch.engine import Engine
    from kefu.switch.engine.commands import LogOn
    from kefu.switch.scenarios import full_day
    from kefu.switch.simulation import Metrics, drive

    config, callers, agents, skills = full_day(calls, seats)
    recorder = Engine(config, seed=SEED)
    trace: list[tuple[object, float]] = []
    sim = SimTelephony(callers, agents, seed=SEED, until=86400.0)
    metrics = Metrics(20.0)
    for i, seat_id in enumerate(config.seats):
        message = LogOn(seat_id, f"e{i}", skills.get(seat_id, ()))
        trace.append((message, 0.0))
        sim.observe(recorder.handle(message, 0.0).events, 0.0)
    drive(recorder, sim, metrics, until=86400.0, trace=trace)
    engine = Engine(config, seed=SEED)
    replay = engine.handle
    events = 0
    start = _clocks()
    for message, now in trace:
        events += len(replay(message, now).events)
    wall, cpu = _since(start)
    return {
        "messages": len(trace),
        "events": events,
        "messages_per_s_cpu": len(trace) / cpu,
        "events_per_s_cpu": events / cpu,
        "events_per_s_wall": events / wall,
    }


def _latency_switch(seats: int) -> Any:
    """1,000 seats, each serving q0 and two or three of q1–q3: one global order over them."""
    from kefu.switch.engine import Engine, PriorityConfig, QueueConfig, SwitchConfig
    from kefu.switch.engine.ivr import IvrTree, RouteToQueue

    seat_ids = tuple(f"s{i}" for i in range(seats))
    queues = (
        QueueConfig("q0", seats={s: 1 + i % 2 for i, s in enumerate(seat_ids)}),
        *(
            QueueConfig(f"q{k}", seats={s: 1 for i, s in enumerate(seat_ids) if i % 4 != k})
            for k in range(1, 4)
        ),
    )
    trees = tuple(IvrTree(f"t{k}", "r", (RouteToQueue("r", f"q{k}"),)) for k in range(4))
    config = SwitchConfig(
        seats=seat_ids,
        queues=queues,
        default_queue="q0",
        greeting=None,
        ivr_trees=trees,
        entry_trees={f"q{k}": f"t{k}" for k in range(4)},
        priority=PriorityConfig(special_trunks={"gov": "special"}),
    )
    return Engine(config)


def _percentile_ms(values: list[int], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] / 1e6


def part_latency(seats: int, waiting: int, samples: int) -> dict[str, Any]:
    from kefu.switch.engine import commands as c

    engine = _latency_switch(seats)
    now = 0.0
    for i in range(seats):
        engine.handle(c.LogOn(f"s{i}", f"e{i}"), now)
    arrival: list[int] = []
    on_seat: dict[str, str] = {}
    for n in range(seats):  # a call for every seat: each arrival picks a seat
        now += 0.01
        start = time.perf_counter_ns()
        result = engine.handle(c.IncomingCall(f"a{n}", "1", "q0", long_distance=n % 5 == 0), now)
        arrival.append(time.perf_counter_ns() - start)
        ring = next(a for a in result.actions if isinstance(a, RingSeat))
        engine.handle(c.Answer(ring.seat_id), now)
        on_seat[ring.seat_id] = ring.call_id
    for n in range(waiting):  # then 10,000 wait, spread over the queues and classes
        now += 0.01
        trunk = "gov" if n % 50 == 0 else ""
        engine.handle(c.IncomingCall(f"w{n}", "1", f"q{n % 4}", trunk, n % 5 == 0), now)
    freed: list[int] = []
    freed_cpu: list[int] = []
    seat_list = list(on_seat)
    for n in range(samples):  # a seat frees and picks the best of 10,000; one more arrives
        now += 0.05
        seat_id = seat_list[n % len(seat_list)]
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        result = engine.handle(c.CallerHangUp(on_seat[seat_id]), now)
        freed_cpu.append(time.thread_time_ns() - start_cpu)
        freed.append(time.perf_counter_ns() - start)
        ring = next(a for a in result.actions if isinstance(a, RingSeat))
        engine.handle(c.Answer(seat_id), now)
        on_seat[seat_id] = ring.call_id
        engine.handle(c.IncomingCall(f"x{n}", "1", f"q{n % 4}"), now)
    assert sum(engine.waiting().values()) == waiting and engine.check_invariants() == []
    return {
        "seat_freed_p50_ms": _percentile_ms(freed, 50),
        "seat_freed_p99_ms": _percentile_ms(freed, 99),
        "seat_freed_cpu_p50_ms": _percentile_ms(freed_cpu, 50),
        "seat_freed_cpu_p99_ms": _percentile_ms(freed_cpu, 99),
        "arrival_p50_ms": _percentile_ms(arrival, 50),
        "arrival_p99_ms": _percentile_ms(arrival, 99),
    }


def part_day(calls: int, seats: int) -> dict[str, Any]:
    from kefu.switch.scenarios import full_day
    from kefu.switch.simulation import run_model

    config, callers, agents, skills = full_day(calls, seats)
    start = _clocks()
    figures = run_model(config, callers, agents, hours=24, seed=SEED, threshold=20, skills=skills)
    wall, cpu = _since(start)
    return {**figures, "wall": wall, "cpu": cpu, "max_rss_mb": _max_rss_mb()}


def part_bare(calls: int, seats: int) -> dict[str, Any]:
    from kefu.switch.simulation import Scenario, run

    scenario = Scenario(agents=seats, calls_per_hour=calls / 24, aht=BARE_AHT, hours=24, seed=SEED)
    start = _clocks()
    figures = run(scenario)
    wall, cpu = _since(start)
    return {**figures, "wall": wall, "cpu": cpu, "max_rss_mb": _max_rss_mb()}


def part_simpy(calls: int, seats: int) -> dict[str, Any]:
    import random

    import simpy

    rng = random.Random(SEED)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=seats)
    rate = calls / 86400.0
    waits: list[float] = []

    def caller(env: simpy.Environment) -> Any:
        arrived = env.now
        with agents.request() as request:
            yield request
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1.0 / BARE_AHT))

    arrivals = 0

    def source(env: simpy.Environment) -> Any:
        nonlocal arrivals
        while True:
            yield env.timeout(rng.expovariate(rate))
            if env.now >= 86400.0:
                return
            arrivals += 1
            env.process(caller(env))

    env.process(source(env))
    start = _clocks()
    env.run()
    wall, cpu = _since(start)
    return {
        "offered": arrivals,
        "answered": len(waits),
        "wall": wall,
        "cpu": cpu,
        "max_rss_mb": _max_rss_mb(),
    }


PARTS = {
    "throughput": part_throughput,
    "latency": part_latency,
    "day": part_day,
    "bare": part_bare,
    "simpy": part_simpy,
}


def _child(part: str, quick: bool, pure: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--part", part] + (["--quick"] if quick else [])
    env = {**os.environ, native.PURE_ENV: "1"} if pure else None
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(output.strip().splitlines()[-1])


def _sizes(quick: bool) -> dict[str, tuple[Any, ...]]:
    scale = 10 if quick else 1
    return {
        "throughput": (20_000 // scale, 100),
        "latency": (1_000, 10_000, 2_000 // scale),
        "day": (DAY_CALLS // scale, DAY_SEATS // scale),
        "bare": (DAY_CALLS // scale, DAY_SEATS // scale),
        "simpy": (DAY_CALLS // scale, DAY_SEATS // scale),
    }


def report(quick: bool, repeat: int, pure: bool) -> None:
    if not pure and native.main(["ensure"]) != 0:  # never time a stale build
        raise SystemExit("the switch's native build failed")
    r = {part: _child(part, quick, pure) for part in ("throughput", "latency")}
    runs: dict[str, list[dict[str, Any]]] = {"day": [], "bare": [], "simpy": []}
    for _ in range(repeat):  # interleaved, so load bursts hit all three alike
        for part, found in runs.items():
            found.append(_child(part, quick, pure))
    for part, found in runs.items():
        r[part] = min(found, key=lambda run: run["cpu"])
    t, lat, day, bare, simpy = r["throughput"], r["latency"], r["day"], r["bare"], r["simpy"]
    calls, seats = _sizes(quick)["day"]
    print(f"switch modules: {BUILDS[t['build']]}")
    print(
        f"1. engine, one core: {t['events_per_s_cpu']:,.0f} events/s "
        f"({t['messages_per_s_cpu']:,.0f} messages/s; {t['events']:,} events from "
        f"{t['messages']:,} messages; {t['events_per_s_wall']:,.0f} events/s by wall clock)   "
        "target >= 200,000 events/s"
    )
    print(
        f"2. routing decision, 1,000 seats, 10,000 waiting: seat freed p50 "
        f"{lat['seat_freed_p50_ms']:.3f} ms p99 {lat['seat_freed_p99_ms']:.3f} ms (CPU time "
        f"p50 {lat['seat_freed_cpu_p50_ms']:.3f} ms p99 {lat['seat_freed_cpu_p99_ms']:.3f} ms); "
        f"arrival p50 {lat['arrival_p50_ms']:.3f} ms p99 {lat['arrival_p99_ms']:.3f} ms   "
        "target p99 < 1 ms"
    )
    print(
        f"3. full-featured day, {calls:,} calls over {seats:,} seats: wall {day['wall']:.1f} s, "
        f"CPU {day['cpu']:.1f} s, peak memory {day['max_rss_mb']:.0f} MB "
        f"({day['events']:,} events, {day['messages']:,} messages, SL {day['service_level']:.3f}, "
        f"abandoned {day['abandon_rate']:.1%}, refused {day['refused']}, "
        f"invariant problems {day['problems']})   target < 30 s, < 500 MB"
    )
    if repeat > 1:
        print(f"   (parts 3 and 4: the fastest of {repeat} interleaved runs each)")
    print(
        f"4. baseline SimPy bare M/M/c of the same day ({simpy['offered']:,} arrivals; the day "
        f"had {day['offered']:,}): wall {simpy['wall']:.1f} s, CPU "
        f"{simpy['cpu']:.1f} s, {simpy['max_rss_mb']:.0f} MB; our engine, same bare model: wall "
        f"{bare['wall']:.1f} s, CPU {bare['cpu']:.1f} s, {bare['max_rss_mb']:.0f} MB"
    )
    print(
        f"   ratio full-featured day / SimPy: {day['cpu'] / simpy['cpu']:.2f}x CPU "
        f"({day['wall'] / simpy['wall']:.2f}x wall); bare model / SimPy: "
        f"{bare['cpu'] / simpy['cpu']:.2f}x CPU ({bare['wall'] / simpy['wall']:.2f}x wall)   "
        "target <= 3x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=sorted(PARTS))
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes, for a check")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of parts 3 and 4, interleaved; the fastest"
    )
    parser.add_argument(
        "--pure", action="store_true", help="time the pure Python, not the native build"
    )
    args = parser.parse_args()
    if args.part is None:
        report(args.quick, max(1, args.repeat), args.pure)
        return
    figures = PARTS[args.part](*_sizes(args.quick)[args.part])
    print(json.dumps({**figures, "build": switch.BUILD}))


if __name__ == "__main__":
    main()
