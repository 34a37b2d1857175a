"""The search module's one API, used for knowledge articles and for requests alike.

    index_documents("article", [Document(key="42", title=…, fields=(Field(…), …))])
    search("article", "打印机老是卡纸", labels=["public"]) -> SearchResult
    suggest("article", "打印机卡")                           -> [Suggestion, …]
    remove_documents("article", ["42"])

Callers index inside their own transaction (from their actions layer), so a rolled-back change
never reaches the index. Terms come from ``tokenize`` (jieba words + character bigrams + exact
codes), the plan from ``query``, ranking from the database engine (``backends``), and snippets
from ``highlight``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from kefu.search.backends import Backend, PreparedDocument, backend_for
from kefu.search.highlight import compile_terms, find_spans, highlight, render_snippet
from kefu.search.kinds import table_for
from kefu.search.query import Mode, Plan, Term, parse_prefix, parse_query, plan
from kefu.search.tokenize import PINYIN_MARK, index_terms
from kefu.search.types import (
    Document,
    Hit,
    SearchResult,
    StoredDocument,
    Suggestion,
    Weight,
)

MAX_LIMIT = 100
MAX_TERMS_PER_DOCUMENT = 20_000
_LABEL = re.compile(r"^[0-9a-z]{1,40}$")


class InvalidLabel(ValueError):
    pass


def _check_labels(labels: Iterable[str]) -> list[str]:
    checked = sorted(set(labels))
    for label in checked:
        if not _LABEL.match(label):
            raise InvalidLabel(label)
    return checked


def prepare(document: Document) -> PreparedDocument:
    """Tokenise a document's fields into the four weight-class columns."""
    columns: dict[Weight, list[str]] = {w: [] for w in Weight}
    for field in document.fields:
        columns[field.weight].extend(index_terms(field.text, pinyin=field.pinyin))
    budget = MAX_TERMS_PER_DOCUMENT
    for weight in Weight:
        columns[weight] = columns[weight][: max(budget, 0)]
        budget -= len(columns[weight])
    fields = [[f.name, f.weight.value, f.text] for f in document.fields]
    labels = _check_labels(document.labels)
    return PreparedDocument(
        key=document.key[:64],
        title=document.title[:300],
        fields_json=json.dumps(fields, ensure_ascii=False),
        labels=f" {' '.join(labels)} " if labels else "",
        columns=columns,
    )


def _backend(using: str | None) -> Backend:
    return backend_for(connections[using or DEFAULT_DB_ALIAS])


def index_documents(kind: str, documents: Iterable[Document], *, using: str | None = None) -> None:
    """Add or replace documents (by key) of one kind."""
    prepared = [prepare(d) for d in documents]
    if not prepared:
        return
    with transaction.atomic(using=using):
        _backend(using).upsert(table_for(kind), prepared, timezone.now())


def index_prepared(
    kind: str, documents: Sequence[PreparedDocument], *, using: str | None = None
) -> None:
    """Like ``index_documents`` for documents already tokenised (bulk loads tokenise once and
    write to several databases)."""
    with transaction.atomic(using=using):
        _backend(using).upsert(table_for(kind), documents, timezone.now())


def remove_documents(kind: str, keys: Iterable[str], *, using: str | None = None) -> int:
    keys = [str(k) for k in keys]
    if not keys:
        return 0
    with transaction.atomic(using=using):
        return _backend(using).delete(table_for(kind), keys)


def clear(kind: str, *, using: str | None = None) -> None:
    with transaction.atomic(using=using):
        _backend(using).clear(table_for(kind))


def count(kind: str, *, using: str | None = None) -> int:
    return _backend(using).count(table_for(kind))


def explain(kind: str, text: str, *, using: str | None = None) -> Plan:
    """The plan ``search`` would follow for ``text``: mode, terms kept, their document counts
    (for diagnosing a surprising result or a slow query)."""
    parsed = parse_query(text)
    backend = _backend(using)
    documents, frequencies = backend.frequencies(table_for(kind), parsed.all_terms)
    return plan(parsed, documents, frequencies, budget=backend.candidate_budget)


def _fetch(
    backend: Backend, table: str, chosen: Plan, labels: list[str], limit: int, offset: int
) -> list[StoredDocument]:
    if chosen.mode == Mode.RANKED:
        return backend.ranked(table, chosen, labels, limit, offset)
    if chosen.mode == Mode.RECENT:
        rows = backend.recent(table, chosen, labels, limit, offset)
        if not rows and len(chosen.terms) > 1 and offset == 0:
            # No document has all these common words: fall back to the first (rarest) one.
            rows = backend.recent(table, Plan(Mode.RECENT, chosen.terms[:1]), labels, limit, 0)
        return rows
    return []


def _hit(row: StoredDocument, pattern: re.Pattern[str] | None) -> Hit:
    snippets: dict[str, str] = {}
    for name, _weight, text in row.fields:
        if text == row.title:
            continue
        spans = find_spans(text, pattern)
        if spans:
            snippets[name] = render_snippet(text, spans)
    return Hit(
        key=row.key,
        title=row.title,
        score=row.score,
        title_html=highlight(row.title, pattern),
        snippets=snippets,
    )


def search(
    kind: str,
    text: str,
    *,
    labels: Iterable[str] = (),
    limit: int = 10,
    offset: int = 0,
    using: str | None = None,
) -> SearchResult:
    """Documents of ``kind`` matching ``text`` and carrying every label in ``labels``, best
    first, with highlighted title and snippets."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    checked = _check_labels(labels)
    parsed = parse_query(text)
    if not parsed:
        return SearchResult(hits=[], has_more=False, mode=Mode.EMPTY.value)
    backend = _backend(using)
    table = table_for(kind)
    documents, frequencies = backend.frequencies(table, parsed.all_terms)
    chosen = plan(parsed, documents, frequencies, budget=backend.candidate_budget)
    rows = _fetch(backend, table, chosen, checked, limit + 1, offset)
    pattern = compile_terms(parsed.all_terms)
    hits = [_hit(row, pattern) for row in rows[:limit]]
    return SearchResult(hits=hits, has_more=len(rows) > limit, mode=chosen.mode.value)


def _best_line(row: StoredDocument, pattern: re.Pattern[str] | None) -> tuple[str, str]:
    """The title or similar question (weight A/B line) that matches best: (text, field)."""
    best = (len(find_spans(row.title, pattern)), row.title, "title")
    for name, weight, text in row.fields:
        if weight not in (Weight.A, Weight.B):
            continue
        for line in text.splitlines():
            found = len(find_spans(line, pattern))
            if found > best[0]:
                best = (found, line.strip(), name)
    return best[1], best[2]


def _one_han(term: Term) -> bool:
    """A single Han character typed so far: it would match most titles, so suggestions wait
    for the second character."""
    return term.prefix and len(term.text) == 1 and not term.text.isascii()


def _suggestion_rows(
    backend: Backend, table: str, terms: Sequence[Term], labels: list[str], limit: int
) -> list[StoredDocument]:
    """Titles containing all typed terms (retrying without the last, half-typed one); typed
    initials are an alternative reading of the same letters (dyj: 打印机), searched apart."""
    literal = [t for t in terms if not t.text.startswith(PINYIN_MARK) and not _one_han(t)]
    initials = [t for t in terms if t.text.startswith(PINYIN_MARK)]
    rows = backend.titles_matching(table, literal, labels, limit) if literal else []
    if not rows and len(literal) > 1:
        rows = backend.titles_matching(table, literal[:-1], labels, limit)
    if initials:
        known = {row.key for row in rows}
        extra = backend.titles_matching(table, initials, labels, limit)
        rows += [row for row in extra if row.key not in known]
    return rows[:limit]


def suggest(
    kind: str,
    text: str,
    *,
    labels: Iterable[str] = (),
    limit: int = 8,
    using: str | None = None,
) -> list[Suggestion]:
    """Titles and similar questions that contain what was typed so far (the last Latin or
    digit word as a prefix), for suggestions while typing."""
    limit = max(1, min(limit, 20))
    checked = _check_labels(labels)
    parsed = parse_prefix(text)
    if not parsed:
        return []
    rows = _suggestion_rows(_backend(using), table_for(kind), parsed.terms, checked, limit)
    pattern = compile_terms(t for t in parsed.terms if not t.text.startswith(PINYIN_MARK))
    suggestions: list[Suggestion] = []
    seen: set[str] = set()
    for row in rows:
        line, field = _best_line(row, pattern)
        if line not in seen:
            seen.add(line)
            suggestions.append(Suggestion(row.key, line, highlight(line, pattern), field))
    return suggestions
