"""Knowledge base for customers and anonymous visitors: /api/v1/portal/knowledge/.

No log-on (``auth=None``); only published public articles and their attachments exist here,
anything else is a 404. Searches are recorded as impressions (channel ``portal``): the token
returned goes with the "did this help?" feedback and, when the visitor still submits a
request, to ``kefu.knowledge.actions.do_mark_impression_escalated``. Writing feedback needs
the CSRF token like any form of the portal.

No ``from __future__ import annotations``: django-ninja reads the annotations.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.utils import check_csrf

from kefu.knowledge import access
from kefu.knowledge.api import SearchParams, download, record_feedback, search_out
from kefu.knowledge.lookup import Audience, find_articles, suggest_questions
from kefu.knowledge.models import Article, Category, Channel
from kefu.knowledge.schemas import (
    CategoryOut,
    ErrorOut,
    FeedbackIn,
    FeedbackOut,
    PublicArticleOut,
    SearchOut,
    SuggestionOut,
    attachment_out,
    category_out,
)
from kefu.portal.limits import RateLimited, check_rate

portal_router = Router(tags=["portal"], auth=None)
MISSING: dict[int, Any] = {404: ErrorOut}
LIMITED: dict[int, Any] = {429: ErrorOut}


def _within_rate(request: HttpRequest, action: str) -> None:
    """The portal's per-address/per-account limits also hold for its API (429 when over)."""
    try:
        check_rate(request, action)
    except RateLimited as exc:
        message = _("操作过于频繁，请 %(minutes)d 分钟后再试。") % {"minutes": exc.minutes}
        raise HttpError(429, message) from exc


def _customer(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def public_article_out(article: Article) -> dict[str, Any]:
    live = article.published_version
    assert live is not None  # access.public_article only returns published articles
    categories = Category.objects.filter(pk__in=live.category_ids).select_related("parent")
    return {
        "id": article.pk,
        "code": article.code,
        "version": article.version,
        "published_at": article.published_at,
        "kind": live.kind,
        "title": live.title,
        "body": live.body,
        "similar_questions": list(live.similar_questions),
        "categories": [category_out(c) for c in categories],
        "attachments": [
            attachment_out(a, reverse("api-v1:portal_knowledge_attachment", args=[a.pk]))
            for a in article.attachments.all()
        ],
    }


@portal_router.get("/search", response={200: SearchOut, **LIMITED}, summary="Search public answers")
def portal_search(request: HttpRequest, params: Query[SearchParams]) -> Any:
    _within_rate(request, "search")
    found = find_articles(
        params.q,
        audience=Audience.PUBLIC,
        user=_customer(request),
        category_id=params.category,
        product_id=params.product,
        kind=params.kind,
        limit=min(params.limit, 20),
        offset=params.offset,
        record=Channel.PORTAL if params.record else None,
    )
    return search_out(found)


@portal_router.get(
    "/suggest", response={200: list[SuggestionOut], **LIMITED}, summary="Suggestions while typing"
)
def portal_suggest(request: HttpRequest, q: str = "") -> Any:
    _within_rate(request, "suggest")
    found = suggest_questions(q, audience=Audience.PUBLIC)
    return [{"id": int(s.key), "text": s.text, "html": s.html, "field": s.field} for s in found]


@portal_router.get("/categories", response=list[CategoryOut])
def portal_categories(request: HttpRequest) -> Any:
    return [category_out(c) for c in Category.objects.select_related("parent")]


@portal_router.get("/articles/{article_id}", response={200: PublicArticleOut, **MISSING})
def portal_article(request: HttpRequest, article_id: int) -> Any:
    return public_article_out(access.public_article(article_id))


@portal_router.get(
    "/attachments/{attachment_id}", url_name="portal_knowledge_attachment", response=MISSING
)
def portal_attachment(request: HttpRequest, attachment_id: int) -> Any:
    return download(access.public_attachment(attachment_id))


@portal_router.post("/feedback", response={201: FeedbackOut, 403: ErrorOut, **MISSING, **LIMITED})
def portal_feedback(request: HttpRequest, payload: FeedbackIn) -> Any:
    if check_csrf(request) is not None:
        raise HttpError(403, _("CSRF 校验失败，请刷新页面后重试。"))
    _within_rate(request, "feedback")
    article = access.public_article(payload.article_id)
    return Status(201, record_feedback(article, payload, Channel.PORTAL, _customer(request)))
