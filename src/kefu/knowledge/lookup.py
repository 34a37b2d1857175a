"""Finding answers: the knowledge base's use of ``kefu.search``, for the API, the portal and
the agent desk.

    found = find_articles("打印机老是卡纸", audience=Audience.PUBLIC, record=Channel.PORTAL)
    found.hits[0].article.published_version.body   # the live answer
    found.impression.token                          # hand back with feedback / the request

Hits are re-checked against the database (published, and public for the public audience), so
the index can never show more than the access rules allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kefu.accounts.models import User
from kefu.knowledge.access import can_read, published_for_public, published_for_staff
from kefu.knowledge.actions import do_record_impression
from kefu.knowledge.documents import KIND, category_label, product_label
from kefu.knowledge.models import Article, Channel, Visibility
from kefu.search.index import search, suggest
from kefu.search.types import Suggestion


class Audience(StrEnum):
    STAFF = "staff"  # every published article, internal ones included
    PUBLIC = "public"  # published and public only


@dataclass(frozen=True)
class ArticleHit:
    article: Article
    title_html: str
    snippets: dict[str, str]
    score: float


@dataclass(frozen=True)
class ArticleSearch:
    hits: list[ArticleHit]
    has_more: bool
    mode: str
    impression_token: str | None = None


def _labels(
    audience: Audience, category_id: int | None, product_id: int | None, kind: str | None
) -> list[str]:
    labels = [Visibility.PUBLIC.value] if audience == Audience.PUBLIC else []
    if category_id is not None:
        labels.append(category_label(category_id))
    if product_id is not None:
        labels.append(product_label(product_id))
    if kind:
        labels.append(kind)
    return labels


def _visible(audience: Audience, user: User | None, ids: list[int]) -> dict[int, Article]:
    if audience == Audience.PUBLIC:
        allowed = published_for_public()
    elif user is not None:
        allowed = published_for_staff(user)
    else:
        return {}
    return {a.pk: a for a in allowed.filter(pk__in=ids)}


def find_articles(
    text: str,
    *,
    audience: Audience,
    user: User | None = None,
    category_id: int | None = None,
    product_id: int | None = None,
    kind: str | None = None,
    limit: int = 10,
    offset: int = 0,
    record: Channel | None = None,
) -> ArticleSearch:
    """Published articles answering ``text``, best first. With ``record``, the answers shown
    are recorded as a search impression (X9) whose token is returned."""
    labels = _labels(audience, category_id, product_id, kind)
    result = search(KIND, text, labels=labels, limit=limit, offset=offset)
    visible = _visible(audience, user, [int(h.key) for h in result.hits])
    hits = [
        ArticleHit(visible[int(h.key)], h.title_html, h.snippets, h.score)
        for h in result.hits
        if int(h.key) in visible
    ]
    token = None
    if record is not None and text.strip():
        impression = do_record_impression(
            query=text, channel=record, article_ids=[h.article.pk for h in hits], user=user
        )
        token = str(impression.token)
    return ArticleSearch(hits, result.has_more, result.mode, token)


def suggest_questions(
    text: str, *, audience: Audience, user: User | None = None, limit: int = 8
) -> list[Suggestion]:
    """Titles and similar questions matching what was typed so far."""
    if audience == Audience.STAFF and (user is None or not can_read(user)):
        return []
    return suggest(KIND, text, labels=_labels(audience, None, None, None), limit=limit)
