"""Mark query terms in the original text with ``<mark>``, escaping everything else.

Pure Python. The result is safe HTML: every piece of the original text goes through
``html.escape`` and the only markup added is ``<mark>``/``</mark>``, so a document or a query
containing ``<script>`` comes out as text. Matching runs on the normalised text (full-width
letters, upper case) and is mapped back to the original characters, so the original spelling
is what is shown.

Every term is a substring of the normalised text wherever the index found it, so no word
segmentation is needed here; Latin and digit terms must stand at a letter/digit boundary so
that ``12`` is not marked inside ``2012``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from kefu.search.query import Term
from kefu.search.tokenize import normalise_mapped

ELLIPSIS = "…"


def _pattern_for(term: Term) -> str:
    text = re.escape(term.text)
    if not term.text.isascii():
        return text
    if term.text.isdigit():
        before, after = "(?<![0-9])", "(?![0-9])"
    elif term.text.isalpha():
        before, after = "(?<![a-z])", "(?![a-z])"
    else:
        before, after = "(?<![0-9a-z])", "(?![0-9a-z])"
    return before + text + ("" if term.prefix else after)


def compile_terms(terms: Iterable[Term]) -> re.Pattern[str] | None:
    """One pattern matching any term, longest first."""
    ordered = sorted(set(terms), key=lambda t: -len(t.text))
    if not ordered:
        return None
    return re.compile("|".join(_pattern_for(t) for t in ordered))


def _spans(normalised: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Matched spans in the normalised text, overlapping ones merged."""
    if pattern is None:
        return []
    spans: list[tuple[int, int]] = []
    position = 0
    while position < len(normalised):
        match = pattern.search(normalised, position)
        if match is None:
            break
        start, end = match.span()
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
        # Step one character on, not to ``end``: overlapping bigrams (印机 in 打印机) count too.
        position = start + 1
    return spans


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out: list[str] = []
    cursor = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_end <= span_start:
            continue
        out.append(html.escape(text[cursor:span_start]))
        out.append("<mark>" + html.escape(text[span_start:span_end]) + "</mark>")
        cursor = span_end
    out.append(html.escape(text[cursor:end]))
    return "".join(out)


def _original_spans(origin: list[int], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(origin[start], origin[end - 1] + 1) for start, end in spans]


def find_spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Where terms occur in ``text`` (original character positions, merged)."""
    if pattern is None or not text:
        return []
    normalised, origin = normalise_mapped(text)
    return _original_spans(origin, _spans(normalised, pattern))


def render_highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """The whole text as safe HTML with ``spans`` marked."""
    return _render(text, spans, 0, len(text))


def _best_window(spans: list[tuple[int, int]], width: int) -> int:
    """Start of the ``width``-character window holding the most marked spans."""
    best_start, best_count = spans[0][0], 0
    right = 0
    for left in range(len(spans)):
        while right < len(spans) and spans[right][1] <= spans[left][0] + width:
            right += 1
        if right - left > best_count:
            best_start, best_count = spans[left][0], right - left
    return best_start


def render_snippet(text: str, spans: list[tuple[int, int]], *, width: int = 90) -> str:
    """About ``width`` characters around the densest cluster of ``spans``, as safe HTML, with
    an ellipsis where text was cut. Without spans, the beginning of the text."""
    if len(text) <= width:
        return _render(text, spans, 0, len(text))
    start = max(0, _best_window(spans, width) - width // 5) if spans else 0
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    body = _render(text, spans, start, end)
    return (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(text) else "")


def highlight(text: str, pattern: re.Pattern[str] | None) -> str:
    return render_highlight(text, find_spans(text, pattern))


def snippet(text: str, pattern: re.Pattern[str] | None, *, width: int = 90) -> str:
    return render_snippet(text, find_spans(text, pattern), width=width)
