"""API schemas of the knowledge base (staff and portal).

No ``from __future__ import annotations`` here: django-ninja reads the annotations.
``*_html`` fields are safe HTML (escaped text with ``<mark>`` only); everything else is text.
"""

import datetime
from typing import Any

from ninja import Field, Schema

from kefu.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleKind,
    ArticleVersion,
    Category,
    Visibility,
)


class ErrorOut(Schema):
    detail: str


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    path: str
    parent_id: int | None


class ProductRef(Schema):
    id: int
    code: str
    name: str


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str


class HitOut(Schema):
    id: int
    code: str
    kind: str
    visibility: str
    title: str
    title_html: str
    snippets: dict[str, str] = Field(description="字段名 → 带 <mark> 的安全 HTML 摘要")
    score: float


class SearchOut(Schema):
    hits: list[HitOut]
    has_more: bool
    mode: str = Field(description="ranked（BM25 排序）、recent（全部词命中，最新在前）或 empty")
    impression: str | None = Field(None, description="本次展示记录的标识，反馈和提交请求时带回")


class SuggestionOut(Schema):
    id: int
    text: str
    html: str
    field: str


class ContentOut(Schema):
    kind: str
    title: str
    body: str
    visibility: str
    similar_questions: list[str]
    categories: list[CategoryOut]
    products: list[ProductRef]


class ArticleOut(Schema):
    id: int
    code: str
    status: str
    version: int
    published_at: datetime.datetime | None
    has_unpublished_changes: bool
    published: ContentOut | None
    draft: ContentOut | None = Field(None, description="仅编辑可见：工作稿")
    attachments: list[AttachmentOut]


class PublicArticleOut(Schema):
    id: int
    code: str
    version: int
    published_at: datetime.datetime | None
    kind: str
    title: str
    body: str
    similar_questions: list[str]
    categories: list[CategoryOut]
    attachments: list[AttachmentOut]


class VersionOut(Schema):
    number: int
    title: str
    published_at: datetime.datetime
    published_by: str | None


class ArticleIn(Schema):
    code: str = ""
    kind: ArticleKind = ArticleKind.QA
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1)
    visibility: Visibility = Visibility.INTERNAL
    similar_questions: list[str] = []
    category_ids: list[int] = []
    product_ids: list[int] = []


class ArticlePatch(Schema):
    kind: ArticleKind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1)
    visibility: Visibility | None = None
    similar_questions: list[str] | None = None
    category_ids: list[int] | None = None
    product_ids: list[int] | None = None


class FeedbackIn(Schema):
    article_id: int
    helpful: bool
    impression: str | None = None
    comment: str = Field("", max_length=500)


class FeedbackOut(Schema):
    id: int
    article_id: int
    helpful: bool


class DeflectionOut(Schema):
    searches: int
    escalated: int
    deflected: int
    helpful: int
    not_helpful: int
    unanswered: int
    rate: float | None


def category_out(category: Category) -> dict[str, Any]:
    return {
        "id": category.pk,
        "code": category.code,
        "name": category.name,
        "path": category.path,
        "parent_id": category.parent_id,
    }


def _categories(ids: list[int]) -> list[dict[str, Any]]:
    found = Category.objects.filter(pk__in=ids).select_related("parent")
    return [category_out(c) for c in found]


def _products(ids: list[int]) -> list[dict[str, Any]]:
    from kefu.directory.models import Product

    return [
        {"id": p.pk, "code": p.code, "name": p.name} for p in Product.objects.filter(pk__in=ids)
    ]


def version_content(version: ArticleVersion) -> dict[str, Any]:
    return {
        "kind": version.kind,
        "title": version.title,
        "body": version.body,
        "visibility": version.visibility,
        "similar_questions": list(version.similar_questions),
        "categories": _categories(version.category_ids),
        "products": _products(version.product_ids),
    }


def draft_content(article: Article) -> dict[str, Any]:
    content = article.content()
    return {
        "kind": article.kind,
        "title": article.title,
        "body": article.body,
        "visibility": article.visibility,
        "similar_questions": content["similar_questions"],
        "categories": _categories(content["category_ids"]),  # type: ignore[arg-type]
        "products": _products(content["product_ids"]),  # type: ignore[arg-type]
    }


def attachment_out(attachment: ArticleAttachment, url: str) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "url": url,
    }
