"""Queueing formulas the switch is checked against, and that staffing (X11) will use.

Erlang C (M/M/c: Poisson arrivals, exponential handling, callers never give up) and Erlang A
(M/M/c+M: callers abandon after an exponential patience). Rates are per second.

Service level follows ``kefu simulate``: calls answered within ``threshold`` seconds divided by
calls answered plus calls abandoned after ``threshold`` (callers who hang up sooner are not
counted against the center). Without abandonment it is simply P(wait ≤ threshold).

Erlang A is computed exactly from the birth–death chain of the number of calls in the system;
the waiting-time figures follow one tagged caller through the queue ahead of him (a pure-death
chain with his own abandonment), solved by uniformisation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class QueueFigures:
    wait_probability: float  # P(an arriving call must wait)
    service_level: float
    asa: float  # mean wait of answered calls, seconds (zero waits included)
    abandon_probability: float
    occupancy: float  # answered load / agents


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of M/M/c/c, by the stable recursion."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(agents: int, load: float) -> float:
    """Probability that a call waits in M/M/c (``load`` = arrival rate × AHT, in erlangs)."""
    if agents <= 0 or load >= agents:
        raise ValueError("Erlang C needs load < agents (the queue would grow without bound)")
    if load <= 0:
        return 0.0
    blocking = erlang_b(agents, load)
    return agents * blocking / (agents - load * (1.0 - blocking))


def erlang_c_figures(
    *, calls_per_hour: float, aht: float, agents: int, threshold: float
) -> QueueFigures:
    load = calls_per_hour / 3600.0 * aht
    wait = erlang_c(agents, load)
    service_level = 1.0 - wait * math.exp(-(agents - load) * threshold / aht)
    asa = wait * aht / (agents - load)
    return QueueFigures(wait, service_level, asa, 0.0, load / agents)


def _stationary(agents: int, lam: float, mu: float, theta: float) -> list[float]:
    """Stationary distribution of calls in the M/M/c+M system (truncated where negligible)."""
    logs = [0.0]
    n = 0
    while True:
        n += 1
        rate_out = min(n, agents) * mu + max(n - agents, 0) * theta
        logs.append(logs[-1] + math.log(lam / rate_out))
        if n > agents and lam < rate_out and logs[-1] < max(logs) - 40.0:
            break
    top = max(logs)
    weights = [math.exp(value - top) for value in logs]
    total = sum(weights)
    return [weight / total for weight in weights]


def _absorbed_by(
    start: list[float], forward: list[float], theta: float, horizon: float
) -> tuple[float, float]:
    """Mass served and abandoned by ``horizon`` for the tagged-caller chain, by uniformisation.

    State i = calls ahead; i → i-1 at ``forward[i]`` (state 0 → served), any state →
    abandoned at ``theta``.
    """
    rate = max(forward) + theta
    steps = max(1, math.ceil(rate * horizon / 20.0))  # keep each Poisson weight series short
    dt = horizon / steps
    alive, served, abandoned = list(start), 0.0, 0.0
    for _ in range(steps):
        alive, gained_served, gained_abandoned = _uniform_step(alive, forward, theta, rate, dt)
        served += gained_served
        abandoned += gained_abandoned
    return served, abandoned


def _uniform_step(
    alive: list[float], forward: list[float], theta: float, rate: float, dt: float
) -> tuple[list[float], float, float]:
    mean = rate * dt
    weight = math.exp(-mean)
    vector = list(alive)
    result = [weight * value for value in vector]
    served_now = abandoned_now = 0.0  # absorbed mass of the jump chain after k jumps
    served_total = abandoned_total = 0.0
    k = 0
    remaining = 1.0 - weight
    while remaining > 1e-14 and k < 10_000:
        k += 1
        nxt = [0.0] * len(vector)
        for i, value in enumerate(vector):
            if not value:
                continue
            nxt[i] += value * (1.0 - (forward[i] + theta) / rate)
            if i:
                nxt[i - 1] += value * forward[i] / rate
            else:
                served_now += value * forward[0] / rate
            abandoned_now += value * theta / rate
        vector = nxt
        weight *= mean / k
        remaining -= weight
        result = [r + weight * v for r, v in zip(result, vector, strict=True)]
        served_total += weight * served_now
        abandoned_total += weight * abandoned_now
    served_total += remaining * served_now
    abandoned_total += remaining * abandoned_now
    return result, served_total, abandoned_total


def erlang_a_figures(
    *, calls_per_hour: float, aht: float, agents: int, patience: float, threshold: float
) -> QueueFigures:
    """Erlang A; ``patience`` is the callers' mean patience in seconds."""
    if agents <= 0 or aht <= 0 or patience <= 0:
        raise ValueError("Erlang A needs agents, AHT and patience > 0")
    lam, mu, theta = calls_per_hour / 3600.0, 1.0 / aht, 1.0 / patience
    pi = _stationary(agents, lam, mu, theta)
    ahead = pi[agents:]  # arriving call finds j = 0, 1, … calls waiting ahead
    forward = [agents * mu + j * theta for j in range(len(ahead))]
    no_wait = sum(pi[:agents])
    served = mean_wait_served = 0.0
    s_prev, m_prev = 1.0, 0.0
    for j, weight in enumerate(ahead):
        total_rate = forward[j] + theta
        s_j = forward[j] / total_rate * s_prev
        m_j = s_j / total_rate + forward[j] / total_rate * m_prev
        served += weight * s_j
        mean_wait_served += weight * m_j
        s_prev, m_prev = s_j, m_j
    answered = no_wait + served
    served_by, abandoned_by = _absorbed_by(ahead, forward, theta, threshold)
    abandoned = 1.0 - answered
    service_level = (no_wait + served_by) / (answered + abandoned - abandoned_by)
    return QueueFigures(
        wait_probability=1.0 - no_wait,
        service_level=service_level,
        asa=mean_wait_served / answered,
        abandon_probability=abandoned,
        occupancy=lam * answered * aht / agents,
    )


def agents_for_service_level(
    *, calls_per_hour: float, aht: float, target: float, threshold: float
) -> int:
    """The fewest agents whose Erlang C service level reaches ``target``."""
    load = calls_per_hour / 3600.0 * aht
    agents = max(1, math.floor(load) + 1)
    while (
        erlang_c_figures(
            calls_per_hour=calls_per_hour, aht=aht, agents=agents, threshold=threshold
        ).service_level
        < target
    ):
        agents += 1
    return agents
