"""Agents' knowledge pages: search with highlighted answers, and the published article."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kefu.accounts.decorators import staff_required
from kefu.accounts.models import User
from kefu.knowledge import access
from kefu.knowledge.lookup import Audience, find_articles
from kefu.knowledge.models import Category, Channel
from kefu.knowledge.schemas import version_content

PAGE = 20


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@staff_required(access.VIEW)
def search_page(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    query = request.GET.get("q", "").strip()[:200]
    category = _int(request.GET.get("category"))
    page = max(1, _int(request.GET.get("page")) or 1)
    found = None
    if query:
        found = find_articles(
            query,
            audience=Audience.STAFF,
            user=user,
            category_id=category,
            limit=PAGE,
            offset=(page - 1) * PAGE,
            record=Channel.DESK if page == 1 else None,
        )
    context = {
        "query": query,
        "category": category,
        "categories": Category.objects.select_related("parent"),
        "found": found,
        "page": page,
        "start": (page - 1) * PAGE + 1,
    }
    return render(request, "knowledge/search.html", context)


@staff_required(access.VIEW)
def article_page(request: HttpRequest, article_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    article = access.article_for_staff(user, article_id)
    live = article.published_version
    context = {
        "article": article,
        "content": version_content(live) if live else None,
        "attachments": article.attachments.all(),
        "can_edit": access.can_edit(user),
    }
    return render(request, "knowledge/article.html", context)
