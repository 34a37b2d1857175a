"""The simulator against queueing theory, the full-featured day, and ``kefu simulate``.

Tolerances (stated once, used below): with the defaults the run is M/M/c, so over ~90,000
simulated calls the service level must be within ±0.02 of Erlang C and the ASA within ±15 %;
with exponential patience (Erlang A) over ~60,000 calls, service level ±0.03, abandonment rate
±0.015 and ASA ±15 %. The slow variants (KEFU_SLOW=1) use ~5× more calls and half the
tolerance. Seeds are fixed, so each run is reproducible.
"""

from __future__ import annotations

import io
import json
import os
from argparse import Namespace

import pytest

from kefu.switch.erlang import erlang_a_figures, erlang_c_figures
from kefu.switch.scenarios import full_day
from kefu.switch.simulate_cli import main as simulate_main
from kefu.switch.simulation import Scenario, run, run_model, with_changes

slow = pytest.mark.skipif(not os.environ.get("KEFU_SLOW"), reason="set KEFU_SLOW=1 to run")


def pooled(scenario: Scenario, seeds: range) -> dict[str, float]:
    runs = [run(with_changes(scenario, seed=seed)) for seed in seeds]
    answered = sum(r["answered"] for r in runs)
    offered = sum(r["offered"] for r in runs)
    for r in runs:
        assert r["refused"] == 0 and r["problems"] == 0
    return {
        "service_level": sum(r["service_level"] * r["answered"] for r in runs) / answered,
        "asa_seconds": sum(r["asa_seconds"] * r["answered"] for r in runs) / answered,
        "abandon_rate": sum(r["abandoned"] for r in runs) / offered,
        "occupancy": sum(r["occupancy"] for r in runs) / len(runs),
        "calls": offered,
    }


def check_erlang_c(hours: float, seeds: range, scale: float) -> None:
    theory = erlang_c_figures(calls_per_hour=200, aht=180, agents=14, threshold=20)
    sim = pooled(Scenario(hours=hours), seeds)
    assert sim["service_level"] == pytest.approx(theory.service_level, abs=0.02 * scale)
    assert sim["asa_seconds"] == pytest.approx(theory.asa, rel=0.15 * scale)
    assert sim["occupancy"] == pytest.approx(theory.occupancy, abs=0.02 * scale)


def check_erlang_a(hours: float, seeds: range, scale: float) -> None:
    theory = erlang_a_figures(calls_per_hour=200, aht=180, agents=9, patience=60, threshold=20)
    sim = pooled(Scenario(hours=hours, agents=9, patience=60.0), seeds)
    assert sim["service_level"] == pytest.approx(theory.service_level, abs=0.03 * scale)
    assert sim["abandon_rate"] == pytest.approx(theory.abandon_probability, abs=0.015 * scale)
    assert sim["asa_seconds"] == pytest.approx(theory.asa, rel=0.15 * scale)


def test_long_mmc_simulations_agree_with_erlang_c():
    check_erlang_c(hours=150, seeds=range(21, 24), scale=1.0)


def test_simulations_with_abandonment_agree_with_erlang_a():
    check_erlang_a(hours=150, seeds=range(31, 33), scale=1.0)


@slow
@pytest.mark.slow
def test_very_long_mmc_simulations_agree_closely_with_erlang_c():
    check_erlang_c(hours=1000, seeds=range(41, 45), scale=0.5)


@slow
@pytest.mark.slow
def test_very_long_simulations_with_abandonment_agree_closely_with_erlang_a():
    check_erlang_a(hours=1000, seeds=range(51, 54), scale=0.5)


def test_the_same_seed_gives_the_same_run():
    first = run(Scenario(hours=5, seed=7, no_answer_prob=0.1, answer_delay=3, wrap_up=5))
    second = run(Scenario(hours=5, seed=7, no_answer_prob=0.1, answer_delay=3, wrap_up=5))
    first.pop("wall_seconds"), second.pop("wall_seconds")
    assert first == second


def test_agents_who_miss_calls_and_wrap_up_lower_the_service_level():
    plain = run(Scenario(hours=50, seed=3))
    sloppy = run(Scenario(hours=50, seed=3, no_answer_prob=0.2, answer_delay=5, wrap_up=30))
    assert sloppy["service_level"] < plain["service_level"]
    assert sloppy["aht_seconds"] > plain["aht_seconds"] + 25
    assert sloppy["refused"] == sloppy["problems"] == 0


def test_every_strategy_runs_a_busy_hour_cleanly():
    for strategy in ("round_robin", "fewest_calls", "least_talk_time", "ring_all", "random"):
        figures = run(Scenario(hours=3, strategy=strategy, no_answer_prob=0.1, patience=120))
        assert figures["refused"] == figures["problems"] == 0, strategy
        assert figures["answered"] > 400, strategy


def test_a_full_featured_day_runs_without_refusals_or_broken_invariants():
    # 12 seats for 4,000 calls: the peak hours overload the center, so queues, announcements,
    # abandonment and overflow all happen, as well as IVR, identity checks and self-service.
    config, callers, agents, skills = full_day(4000, 12)
    figures = run_model(config, callers, agents, hours=24, seed=5, threshold=20, skills=skills)
    assert figures["refused"] == 0 and figures["problems"] == 0
    assert figures["offered"] > 3500
    assert 0 < figures["abandoned"] < figures["answered"]
    assert 0.3 < figures["service_level"] < 0.95


CLI_DEFAULTS = {
    "agents": 14,
    "calls_per_hour": 200.0,
    "aht": 180.0,
    "hours": None,
    "seed": 1,
    "sl_threshold": 20.0,
    "patience": None,
    "strategy": "longest_idle",
    "ring_timeout": 15.0,
    "no_answer_prob": 0.0,
    "answer_delay": 0.0,
    "wrap_up": 0.0,
    "scenario": "mmc",
    "json": True,
}


def _cli(**options: object) -> dict[str, object]:
    out = io.StringIO()
    simulate_main(Namespace(**{**CLI_DEFAULTS, **options}), out)
    return json.loads(out.getvalue())


def test_kefu_simulate_json_has_the_documented_keys():
    figures = _cli(hours=2.0)
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
        assert key in figures, key
    assert figures["offered"] == figures["answered"] > 300
    assert figures["abandoned"] == 0 and figures["abandon_rate"] == 0.0
    assert figures["theory"]["service_level"] == pytest.approx(0.8884, abs=1e-4)


def test_kefu_simulate_with_patience_compares_with_erlang_a():
    figures = _cli(hours=2.0, patience=60.0, agents=9)
    assert figures["abandoned"] > 0
    assert figures["theory"]["abandon_rate"] == pytest.approx(0.2132, abs=1e-3)


def test_kefu_simulate_help_states_the_service_level_definition(capsys):
    from kefu.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["simulate", "--help"])
    text = capsys.readouterr().out
    assert "Service level = calls answered within --sl-threshold seconds" in text
    assert "abandoned after --sl-threshold" in text


def test_kefu_simulate_prints_a_table_without_json():
    out = io.StringIO()
    args = {**CLI_DEFAULTS, "agents": 5, "calls_per_hour": 60.0, "hours": 1.0, "json": False}
    simulate_main(Namespace(**args), out)
    assert "service_level" in out.getvalue() and "Erlang C" in out.getvalue()
