"""Domain errors of service requests. ``str()`` is a complete sentence for the employee.

Views and the API map them to what people see (a form error, HTTP 409/422); nothing is
written when one is raised, because every action runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class ServiceError(Exception):
    """Base of service-request errors."""


class IllegalTransition(ServiceError):
    """A status change the transitions table does not allow, or not for this employee, or
    a close before the closed loop is complete."""


class RequestClosed(ServiceError):
    """A change (reply, work order, …) to a request that is already closed."""


class InvalidInput(ServiceError):
    """Missing or wrong fields. ``errors`` maps a field name ("" for the whole form) to
    its messages."""

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        self.errors = {name: [str(m) for m in messages] for name, messages in errors.items()}
        super().__init__("；".join(m for messages in self.errors.values() for m in messages))

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        return cls({field: [message]})


class NotAllowed(ServiceError):
    """The employee's role does not allow this action on this record."""


class DeliveryFailed(ServiceError):
    """An outside system (SMTP server, SMS gateway) refused or could not be reached."""
