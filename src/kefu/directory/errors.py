"""Domain errors of the directory. Views, the API and the admin map them to what people see."""

from __future__ import annotations


class DirectoryError(Exception):
    """Base of directory errors; ``str()`` is a complete sentence for the user."""


class RecordInUse(DirectoryError):
    """A row cannot be deleted because other records still refer to it (on_delete=PROTECT)."""

    def __init__(self, message: str, *, blockers: dict[str, int]) -> None:
        super().__init__(message)
        self.blockers = blockers  # verbose name of the referring table → how many rows
