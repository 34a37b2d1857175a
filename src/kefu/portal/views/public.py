"""Public pages: home, product catalogue (W1/F13) and the knowledge base."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kefu.directory.models import Product
from kefu.knowledge import access as knowledge_access
from kefu.knowledge.lookup import Audience, find_articles
from kefu.knowledge.models import Channel
from kefu.portal.forms import KIND_TITLES
from kefu.portal.views.common import limited


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"kinds": KIND_TITLES})


def products(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:60]
    rows = Product.objects.filter(active=True)
    if query:
        rows = rows.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(category__icontains=query)
        )
    return render(request, "portal/products.html", {"products": rows[:200], "q": query})


def product(request: HttpRequest, code: str) -> HttpResponse:
    found = Product.objects.filter(active=True, code=code).first()
    if found is None:
        raise Http404
    return render(request, "portal/product.html", {"product": found})


def knowledge(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    found = None
    if query:
        too_many = limited(request, "search")
        if too_many is not None:
            return too_many
        found = find_articles(query, audience=Audience.PUBLIC, limit=10, record=Channel.PORTAL)
    return render(request, "portal/knowledge.html", {"q": query, "found": found})


def article(request: HttpRequest, article_id: int) -> HttpResponse:
    found = knowledge_access.public_article(article_id)  # 404 unless published and public
    context = {"article": found, "live": found.published_version}
    return render(request, "portal/article.html", context)
