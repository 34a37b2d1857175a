"""From what a person typed to what the database is asked (pure Python, no Django).

``parse_query`` turns a question into terms (see ``tokenize``), adds synonyms, and marks
single Han characters as prefix terms. ``plan`` then decides, from how many documents contain
each term, what to ask:

- **ranked** (the normal case): documents containing *any* kept term, ranked by BM25. Terms so
  common that together they would make more than ``budget`` candidates are dropped, rarest
  first kept. Their inverse document frequency is near zero, so they hardly move the ranking,
  but scoring them would cost time proportional to the whole collection.
- **recent**: when even the rarest term is that common (a query such as "故障"), documents
  containing *all* terms, newest first: ranking a third of a million requests by a word that
  says nothing would be slow and no more useful.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from kefu.search.synonyms import expansions
from kefu.search.tokenize import normalise, pinyin_query_term, tokens

MAX_TERMS = 32
_TYPED_CODE = re.compile(r"[0-9a-z]+(?:[-_./:][0-9a-z]+)*[-_./:]?$")
_CODE_PUNCTUATION = re.compile(r"[-_./:]")
DEFAULT_BUDGET = 20_000
COMMON_SHARE = 0.5


@dataclass(frozen=True, order=True)
class Term:
    """One thing to look up: a whole term, or a prefix (``prefix=True``)."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    expanded: tuple[Term, ...] = ()

    @property
    def all_terms(self) -> tuple[Term, ...]:
        return self.terms + self.expanded

    def __bool__(self) -> bool:
        return bool(self.terms or self.expanded)


class Mode(StrEnum):
    RANKED = "ranked"
    RECENT = "recent"
    EMPTY = "empty"


@dataclass(frozen=True)
class Plan:
    mode: Mode
    terms: tuple[Term, ...]
    counts: tuple[int, ...] = ()  # documents containing each term (same order)
    documents: int = 0  # documents in the collection


def _terms_of(normalised: str, *, last_is_prefix: bool = False) -> list[Term]:
    """Terms of a normalised text. With ``last_is_prefix``, a Latin or digit word at the very
    end (still being typed) becomes one prefix term instead of its exact parts."""
    typing = _TYPED_CODE.search(normalised) if last_is_prefix else None
    body = normalised[: typing.start()] if typing else normalised
    terms: list[Term] = []
    for token in tokens(body, query=True):
        single_han = len(token.text) == 1 and not token.text.isascii()
        terms.append(Term(token.text, prefix=single_han))
    if typing:
        terms.append(Term(_CODE_PUNCTUATION.sub("", typing.group()), prefix=True))
    for word in normalised.split():
        initials = pinyin_query_term(word)
        if initials:
            terms.append(Term(initials, prefix=last_is_prefix))
    return list(dict.fromkeys(terms))


def parse_query(text: str) -> ParsedQuery:
    """Terms of a search question. Longer terms (words, codes) come first so that a cap on
    the number of terms drops bigrams before words."""
    normalised = normalise(text)[:500]
    terms = sorted(_terms_of(normalised), key=lambda t: -len(t.text))[:MAX_TERMS]
    expanded: list[Term] = []
    for word in expansions(normalised):
        expanded.extend(t for t in _terms_of(word) if t not in terms and t not in expanded)
    return ParsedQuery(tuple(terms), tuple(expanded[: max(0, MAX_TERMS - len(terms))]))


def parse_prefix(text: str) -> ParsedQuery:
    """Terms of a partly typed question, for suggestions: the last Latin or digit word is a
    prefix (``gz26`` finds ``GZ2611240001``); Han text needs no such care thanks to bigrams."""
    normalised = normalise(text)[:100]
    return ParsedQuery(tuple(_terms_of(normalised, last_is_prefix=True)[:MAX_TERMS]))


def plan(
    query: ParsedQuery,
    documents: int,
    frequencies: Mapping[Term, int],
    *,
    budget: int = DEFAULT_BUDGET,
) -> Plan:
    """Choose terms and mode from the collection size and each term's document frequency
    (missing = 0 = cannot match).

    A term found in more than half of all documents is dropped while a rarer one is kept: its
    BM25 inverse document frequency is zero (see ``bm25_idf``), so it cannot change the order,
    only the cost.
    """
    present = [t for t in query.all_terms if frequencies.get(t, 0) > 0]
    if not present:
        return Plan(Mode.EMPTY, ())
    present.sort(key=lambda t: (frequencies[t], t))
    if frequencies[present[0]] > budget:
        original = [t for t in present if t in query.terms] or present[:1]
        counts = tuple(frequencies[t] for t in original)
        return Plan(Mode.RECENT, tuple(original), counts, documents)
    kept: list[Term] = []
    total = 0
    for term in present:
        found = frequencies[term]
        if kept and (total + found > budget or found > COMMON_SHARE * documents):
            break
        kept.append(term)
        total += found
    counts = tuple(frequencies[t] for t in kept)
    return Plan(Mode.RANKED, tuple(kept), counts, max(documents, *counts))


def bm25_idf(documents: int, containing: int) -> float:
    """BM25's inverse document frequency as SQLite's bm25() computes it: zero (1e-6) for a
    term in half of the documents or more. The PostgreSQL ranking uses the same formula."""
    return max(math.log((documents - containing + 0.5) / (containing + 0.5)), 1e-6)
