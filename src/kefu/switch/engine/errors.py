"""Domain errors of the switch engine.

Every error carries a stable ``code`` (the host translates it for the seat's screen), an English
``message`` and the ``params`` the message was built from. The engine raises before it changes
anything, so a refused command leaves the state exactly as it was.
"""

from __future__ import annotations


class SwitchError(Exception):
    """Base class: a command or telephony event the switch refuses."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(f"{message} [{code}]")
        self.code = code
        self.message = message
        self.params = params
        #: What the engine did before refusing (timers that were due), for the host to journal.
        self.result: object | None = None


class IllegalTransition(SwitchError):
    """The command is not allowed in the seat's or the call's current state."""


class NotFound(SwitchError):
    """The seat, call, queue, campaign or pending request named does not exist."""


class Conflict(SwitchError):
    """The command clashes with other state (employee already logged on elsewhere, …)."""


class ConfigError(SwitchError):
    """A configuration was refused; ``problems`` lists every problem found."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        text = "; ".join(message for _, message in problems)
        super().__init__("config.invalid", f"switch configuration refused: {text}")
        self.problems = problems
