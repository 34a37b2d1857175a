"""Dialers for tests: the simulated dialer with its outcome pinned."""

from __future__ import annotations

from kefu.service.telephony import SimulatedDialer


class AlwaysAnswers(SimulatedDialer):
    def __init__(self) -> None:
        super().__init__(outcome="answered", talk_seconds=95)


class NeverAnswers(SimulatedDialer):
    def __init__(self) -> None:
        super().__init__(outcome="no_answer")
