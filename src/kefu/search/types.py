"""The search module's vocabulary: what callers index and what they get back (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Weight(StrEnum):
    """How much a match in a field counts: A (titles, numbers) down to D (keywords).

    The four classes are PostgreSQL's tsvector weights; on SQLite they are four FTS5 columns.
    """

    A = "A"
    B = "B"
    C = "C"
    D = "D"


# Relative weights used by both backends (FTS5 bm25 column weights, ts_rank weight array).
WEIGHT_VALUES: dict[Weight, float] = {Weight.A: 1.0, Weight.B: 0.8, Weight.C: 0.4, Weight.D: 0.2}


@dataclass(frozen=True)
class Field:
    """One searchable part of a document. ``pinyin`` also indexes pinyin initials (names)."""

    name: str
    text: str
    weight: Weight = Weight.C
    pinyin: bool = False


@dataclass(frozen=True)
class Document:
    """What a caller hands to ``index_documents``. ``key`` is the caller's own id (unique per
    kind); ``labels`` are filter tags (``public``, ``cat7``) matched exactly, never ranked."""

    key: str
    title: str
    fields: tuple[Field, ...]
    labels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Hit:
    key: str
    title: str
    score: float
    title_html: str
    snippets: dict[str, str] = field(default_factory=dict)
    """Field name → safe HTML excerpt with ``<mark>``; only fields that matched."""


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    has_more: bool
    mode: str
    """``ranked`` (BM25), ``recent`` (all terms, newest first) or ``empty``."""


@dataclass(frozen=True)
class Suggestion:
    key: str
    text: str
    html: str
    field: str


@dataclass(frozen=True)
class StoredDocument:
    """A document as read back from the index (backends return these)."""

    id: int
    key: str
    title: str
    fields: list[tuple[str, str, str]]  # (name, weight, original text)
    score: float


def request_document(
    *,
    key: str,
    number: str,
    phone: str,
    customer: str,
    content: str,
    labels: frozenset[str] = frozenset(),
) -> Document:
    """A service request as the ``request`` kind expects it: number and phone count most and
    match exactly, the customer's name also by pinyin initials, then the description."""
    return Document(
        key,
        f"{number} {customer}".strip(),
        (
            Field("number", number, Weight.A),
            Field("phone", phone, Weight.A),
            Field("customer", customer, Weight.B, pinyin=True),
            Field("content", content, Weight.C),
        ),
        labels,
    )
