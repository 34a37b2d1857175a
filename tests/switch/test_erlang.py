"""Erlang C and Erlang A against published values and their own identities."""

from __future__ import annotations

import pytest

from kefu.switch.erlang import (
    _stationary,
    agents_for_service_level,
    erlang_a_figures,
    erlang_b,
    erlang_c,
    erlang_c_figures,
)


def test_erlang_c_matches_the_published_example():
    # 100 calls per 30 minutes, AHT 180 s, 14 agents: SL 88.84 % at 20 s, ASA 7.84 s
    figures = erlang_c_figures(calls_per_hour=200, aht=180, agents=14, threshold=20)
    assert figures.service_level == pytest.approx(0.8884, abs=5e-5)
    assert figures.asa == pytest.approx(7.84, abs=5e-3)
    assert figures.wait_probability == pytest.approx(0.1741, abs=5e-5)
    assert figures.occupancy == pytest.approx(10 / 14)


def test_erlang_b_and_c_match_tabulated_values():
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=1e-6)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)  # M/M/2 at 50 %: 1/3 wait
    assert erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: P(wait) = utilisation


def test_erlang_c_refuses_an_overloaded_queue():
    with pytest.raises(ValueError):
        erlang_c(10, 10.0)


def test_staffing_for_a_target_service_level():
    assert agents_for_service_level(calls_per_hour=200, aht=180, target=0.8, threshold=20) == 14
    assert agents_for_service_level(calls_per_hour=200, aht=180, target=0.9, threshold=20) == 15
    assert agents_for_service_level(calls_per_hour=200, aht=180, target=0.95, threshold=20) == 16
    fifteen = erlang_c_figures(calls_per_hour=200, aht=180, agents=15, threshold=20)
    assert fifteen.service_level == pytest.approx(0.9415, abs=5e-5)  # the same example, 15 agents


def test_erlang_a_tends_to_erlang_c_when_callers_never_give_up():
    c = erlang_c_figures(calls_per_hour=200, aht=180, agents=14, threshold=20)
    a = erlang_a_figures(calls_per_hour=200, aht=180, agents=14, patience=1e9, threshold=20)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-6)
    assert a.asa == pytest.approx(c.asa, rel=1e-5)
    assert a.abandon_probability < 1e-7


def test_erlang_a_abandonment_equals_patience_rate_times_queue_length():
    lam, mu, theta, agents = 200 / 3600, 1 / 180, 1 / 60, 9
    pi = _stationary(agents, lam, mu, theta)
    queue_length = sum((n - agents) * p for n, p in enumerate(pi) if n > agents)
    figures = erlang_a_figures(calls_per_hour=200, aht=180, agents=9, patience=60, threshold=20)
    assert figures.abandon_probability == pytest.approx(theta * queue_length / lam, rel=1e-9)


def test_erlang_a_without_patience_is_erlang_b():
    """Callers who give up at once leave only those who found a free agent: Erlang B loss."""
    figures = erlang_a_figures(calls_per_hour=360, aht=120, agents=10, patience=1e-4, threshold=0)
    assert figures.abandon_probability == pytest.approx(erlang_b(10, 12.0), abs=1e-3)


def test_erlang_a_figures_move_the_right_way_with_patience():
    impatient = erlang_a_figures(calls_per_hour=200, aht=180, agents=9, patience=30, threshold=20)
    patient = erlang_a_figures(calls_per_hour=200, aht=180, agents=9, patience=300, threshold=20)
    assert impatient.abandon_probability > patient.abandon_probability
    assert impatient.asa < patient.asa
