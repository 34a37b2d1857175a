"""``kefu simulate``: run a whole scenario in virtual time with the real engine and the
simulated telephony — no database, no server — and print its key figures."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

from kefu.switch.engine.strategies import STRATEGIES
from kefu.switch.erlang import erlang_a_figures, erlang_c_figures

DESCRIPTION = """\
Simulate the switch in virtual time and print key figures.

With the defaults the run is exactly the M/M/c queue that Erlang C describes: Poisson arrivals,
one FCFS queue, exponential talk times (--aht is their mean), instant answers, no wrap-up,
callers who never hang up. --patience makes callers abandon (Erlang A); --scenario full runs a
whole day with IVR, several queues and strategies, priorities and agents' habits
(--agents and --calls-per-hour then size it).

Service level = calls answered within --sl-threshold seconds / (calls answered + calls
abandoned after --sl-threshold seconds); callers who hang up sooner are not counted against the
center. ASA = mean wait of answered calls, from queue entry. AHT = mean seat time per handled
call (talk + hold + wrap-up). Occupancy = busy seat time / logged-on seat time.
"""


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text}")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"cannot be negative: {text}")
    return value


def _probability(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1): {text}")
    return value


def register(subparsers: Any) -> None:
    """Add ``simulate`` to the ``kefu`` command (called by kefu.cli)."""
    parser = subparsers.add_parser(
        "simulate",
        help="simulate the switch in virtual time and print key figures",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--agents", type=int, default=14, help="logged-on seats (default 14)")
    add("--calls-per-hour", type=_positive, default=200.0, help="mean arrivals (default 200)")
    add("--aht", type=_positive, default=180.0, help="mean talk seconds, exponential (180)")
    add("--hours", type=_positive, default=None, help="hours of arrivals (8; full: 24)")
    add("--seed", type=int, default=1, help="random seed (runs are reproducible)")
    add("--sl-threshold", type=_non_negative, default=20.0, help="service level seconds (20)")
    add("--patience", type=_positive, default=None, help="mean patience, s (default: infinite)")
    add("--strategy", choices=sorted(STRATEGIES), default="longest_idle")
    add("--ring-timeout", type=_positive, default=15.0, help="seconds before re-offer (S7)")
    add("--no-answer-prob", type=_probability, default=0.0, help="chance an agent lets it ring")
    add("--answer-delay", type=_non_negative, default=0.0, help="seconds an agent takes (0)")
    add("--wrap-up", type=_non_negative, default=0.0, help="wrap-up seconds after a call (0)")
    add("--scenario", choices=("mmc", "full"), default="mmc", help="model to run (mmc)")
    add("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if args.agents < 1:
        raise SystemExit("kefu simulate: --agents must be at least 1")
    progress = _progress_bar(sys.stderr) if sys.stderr.isatty() and not args.json else None
    figures = _run(args, progress)
    if progress is not None:
        sys.stderr.write("\r" + " " * 60 + "\r")
    theory = _theory(args)
    if args.json:
        json.dump({**figures, **({"theory": theory} if theory else {})}, out)
        out.write("\n")
        return
    _print_table(figures, theory, out)


def _run(args: argparse.Namespace, progress: Callable[[float], None] | None) -> dict[str, Any]:
    from kefu.switch.simulation import Scenario, run, run_model

    if args.scenario == "full":
        from kefu.switch.scenarios import full_day

        calls = round(args.calls_per_hour * 24)
        config, callers, agents, skills = full_day(calls, args.agents)
        hours = args.hours or 24.0
        return run_model(
            config,
            callers,
            agents,
            hours=hours,
            seed=args.seed,
            threshold=args.sl_threshold,
            progress=progress,
            skills=skills,
        )
    scenario = Scenario(
        agents=args.agents,
        calls_per_hour=args.calls_per_hour,
        aht=args.aht,
        hours=args.hours or 8.0,
        seed=args.seed,
        sl_threshold=args.sl_threshold,
        patience=args.patience,
        strategy=args.strategy,
        ring_timeout=args.ring_timeout,
        no_answer_prob=args.no_answer_prob,
        answer_delay=args.answer_delay,
        wrap_up=args.wrap_up,
    )
    return run(scenario, progress=progress)


def _theory(args: argparse.Namespace) -> dict[str, float]:
    """Erlang C (or A) for the same parameters, when the run is that model."""
    plain = args.no_answer_prob == 0 and args.answer_delay == 0 and args.wrap_up == 0
    if args.scenario != "mmc" or not plain:
        return {}
    common = {"calls_per_hour": args.calls_per_hour, "aht": args.aht, "agents": args.agents}
    try:
        if args.patience is None:
            figures = erlang_c_figures(**common, threshold=args.sl_threshold)
        else:
            figures = erlang_a_figures(
                **common, patience=args.patience, threshold=args.sl_threshold
            )
    except ValueError:
        return {}
    return {
        "service_level": figures.service_level,
        "asa_seconds": figures.asa,
        "abandon_rate": figures.abandon_probability,
        "occupancy": figures.occupancy,
    }


def _print_table(figures: dict[str, Any], theory: dict[str, float], out: TextIO) -> None:
    label = "Erlang C" if theory.get("abandon_rate", 0.0) == 0.0 else "Erlang A"
    header = f"{'':22}{'simulated':>14}" + (f"{label:>14}" if theory else "")
    out.write(header + "\n")
    for key in (
        "offered",
        "answered",
        "abandoned",
        "service_level",
        "asa_seconds",
        "abandon_rate",
        "aht_seconds",
        "occupancy",
        "max_wait_seconds",
        "events",
        "wall_seconds",
    ):
        value = figures[key]
        text = f"{value:>14,}" if isinstance(value, int) else f"{value:>14.4f}"
        line = f"{key:22}{text}"
        if key in theory:
            line += f"{theory[key]:>14.4f}"
        out.write(line + "\n")


def _progress_bar(stream: TextIO) -> Callable[[float], None]:
    def show(fraction: float) -> None:
        filled = int(fraction * 40)
        stream.write(f"\r[{'#' * filled}{'.' * (40 - filled)}] {fraction:4.0%}")
        stream.flush()

    return show
