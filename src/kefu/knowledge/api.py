"""Knowledge base API: ``router`` for staff (/api/v1/knowledge/) and ``portal_router`` for
customers and anonymous visitors (/api/v1/portal/knowledge/, no log-on, public published
articles only). See docs/search.md.

Staff need ``knowledge.view_article`` to search and read, ``add_article``/``change_article``
to write and ``publish_article`` to publish. Errors are JSON: 403 without the permission, 404
for what the caller may not see, 409 for a refused state change, 422 for wrong input.

No ``from __future__ import annotations``: django-ninja reads the annotations.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.files import UploadedFile

from kefu.api import require_perm
from kefu.knowledge import access, actions
from kefu.knowledge.errors import ImpressionNotFound, KnowledgeError
from kefu.knowledge.lookup import ArticleSearch, Audience, find_articles, suggest_questions
from kefu.knowledge.models import Article, ArticleAttachment, Category, Channel
from kefu.knowledge.schemas import (
    ArticleIn,
    ArticleOut,
    ArticlePatch,
    AttachmentOut,
    CategoryOut,
    DeflectionOut,
    ErrorOut,
    FeedbackIn,
    FeedbackOut,
    SearchOut,
    SuggestionOut,
    VersionOut,
    attachment_out,
    category_out,
    draft_content,
    version_content,
)
from kefu.knowledge.stats import deflection_stats

router = Router(tags=["knowledge"])
REFUSED: dict[int, Any] = {403: ErrorOut, 404: ErrorOut}


class SearchParams(Schema):
    q: str = ""
    category: int | None = None
    product: int | None = None
    kind: str | None = None
    limit: int = 10
    offset: int = 0
    record: bool = True


def invalid(exc: ModelValidationError) -> ValidationError:
    """A model validation error as the API's 422 (one entry per field and message)."""
    fields = hasattr(exc, "error_dict")
    problems = list(exc.message_dict.items()) if fields else [("", exc.messages)]
    errors = [
        {"loc": ["body", name] if name else ["body"], "msg": str(message), "type": "invalid"}
        for name, messages in problems
        for message in messages
    ]
    return ValidationError(errors)


def search_out(found: ArticleSearch) -> dict[str, Any]:
    hits = [
        {
            "id": hit.article.pk,
            "code": hit.article.code,
            "kind": hit.article.published_version.kind,  # type: ignore[union-attr]
            "visibility": hit.article.published_version.visibility,  # type: ignore[union-attr]
            "title": hit.article.published_version.title,  # type: ignore[union-attr]
            "title_html": hit.title_html,
            "snippets": hit.snippets,
            "score": hit.score,
        }
        for hit in found.hits
    ]
    return {
        "hits": hits,
        "has_more": found.has_more,
        "mode": found.mode,
        "impression": found.impression_token,
    }


def _attachments(article: Article, url_name: str) -> list[dict[str, Any]]:
    return [
        attachment_out(a, reverse(f"api-v1:{url_name}", args=[a.pk]))
        for a in article.attachments.all()
    ]


def article_out(article: Article, *, editor: bool) -> dict[str, Any]:
    live = article.published_version
    return {
        "id": article.pk,
        "code": article.code,
        "status": article.status,
        "version": article.version,
        "published_at": article.published_at,
        "has_unpublished_changes": article.has_unpublished_changes,
        "published": version_content(live) if live else None,
        "draft": draft_content(article) if editor else None,
        "attachments": _attachments(article, "knowledge_attachment"),
    }


def download(attachment: ArticleAttachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "sandbox"
    return response


@router.get("/search", response={200: SearchOut, **REFUSED}, summary="Search published articles")
def search_articles(request: HttpRequest, params: Query[SearchParams]) -> Any:
    user = require_perm(request, access.VIEW)
    found = find_articles(
        params.q,
        audience=Audience.STAFF,
        user=user,
        category_id=params.category,
        product_id=params.product,
        kind=params.kind,
        limit=params.limit,
        offset=params.offset,
        record=Channel.DESK if params.record else None,
    )
    return search_out(found)


@router.get(
    "/suggest",
    url_name="knowledge_suggest",
    response={200: list[SuggestionOut], **REFUSED},
    summary="Suggestions while typing",
)
def suggest(request: HttpRequest, q: str = "") -> Any:
    user = require_perm(request, access.VIEW)
    found = suggest_questions(q, audience=Audience.STAFF, user=user)
    return [{"id": int(s.key), "text": s.text, "html": s.html, "field": s.field} for s in found]


@router.get("/categories", response={200: list[CategoryOut], **REFUSED})
def categories(request: HttpRequest) -> Any:
    require_perm(request, access.VIEW)
    return [category_out(c) for c in Category.objects.select_related("parent")]


@router.get("/articles/{article_id}", response={200: ArticleOut, **REFUSED})
def article_detail(request: HttpRequest, article_id: int) -> Any:
    user = require_perm(request, access.VIEW)
    article = access.article_for_staff(user, article_id)
    return article_out(article, editor=access.can_edit(user))


@router.post("/articles", response={201: ArticleOut, **REFUSED, 422: ErrorOut})
def create_article(request: HttpRequest, payload: ArticleIn) -> Any:
    user = require_perm(request, access.ADD, access.VIEW)
    data = actions.ArticleInput(
        code=payload.code,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        visibility=payload.visibility,
        similar_questions=tuple(payload.similar_questions),
        category_ids=tuple(payload.category_ids),
        product_ids=tuple(payload.product_ids),
    )
    try:
        article = actions.do_create_article(actor=user, data=data)
    except ModelValidationError as exc:
        raise invalid(exc) from exc
    return Status(201, article_out(article, editor=True))


@router.patch("/articles/{article_id}", response={200: ArticleOut, **REFUSED, 422: ErrorOut})
def update_article(request: HttpRequest, article_id: int, payload: ArticlePatch) -> Any:
    user = require_perm(request, access.EDIT)
    article = access.article_for_editor(user, article_id)
    given = payload.dict(exclude_unset=True)
    for name in ("similar_questions", "category_ids", "product_ids"):
        if given.get(name) is not None:
            given[name] = tuple(given[name])
    try:
        actions.do_update_article(article, actor=user, changes=actions.ArticleChanges(**given))
    except ModelValidationError as exc:
        raise invalid(exc) from exc
    return article_out(access.article_for_editor(user, article_id), editor=True)


@router.post("/articles/{article_id}/publish", response={200: ArticleOut, **REFUSED, 409: ErrorOut})
def publish_article(request: HttpRequest, article_id: int) -> Any:
    user = require_perm(request, access.PUBLISH)
    article = access.article_for_publisher(user, article_id)
    try:
        actions.do_publish_article(article, actor=user)
    except (KnowledgeError, ModelValidationError) as exc:
        raise HttpError(409, " ".join(getattr(exc, "messages", [str(exc)]))) from exc
    return article_out(access.article_for_staff(user, article_id), editor=access.can_edit(user))


@router.post(
    "/articles/{article_id}/unpublish", response={200: ArticleOut, **REFUSED, 409: ErrorOut}
)
def unpublish_article(request: HttpRequest, article_id: int) -> Any:
    user = require_perm(request, access.PUBLISH)
    article = access.article_for_publisher(user, article_id)
    try:
        actions.do_unpublish_article(article, actor=user)
    except KnowledgeError as exc:
        raise HttpError(409, str(exc)) from exc
    return article_out(access.article_for_publisher(user, article_id), editor=access.can_edit(user))


@router.get("/articles/{article_id}/versions", response={200: list[VersionOut], **REFUSED})
def versions(request: HttpRequest, article_id: int) -> Any:
    user = require_perm(request, access.EDIT)
    article = access.article_for_editor(user, article_id)
    return [
        {
            "number": v.number,
            "title": v.title,
            "published_at": v.published_at,
            "published_by": v.published_by.username if v.published_by else None,
        }
        for v in article.versions.select_related("published_by")
    ]


@router.post(
    "/articles/{article_id}/attachments",
    response={201: AttachmentOut, **REFUSED, 422: ErrorOut},
)
def add_attachment(request: HttpRequest, article_id: int, file: File[UploadedFile]) -> Any:
    user = require_perm(request, access.EDIT)
    article = access.article_for_editor(user, article_id)
    try:
        attachment = actions.do_add_attachment(article, upload=file, actor=user)
    except ModelValidationError as exc:
        raise invalid(exc) from exc
    url = reverse("api-v1:knowledge_attachment", args=[attachment.pk])
    return Status(201, attachment_out(attachment, url))


@router.get("/attachments/{attachment_id}", url_name="knowledge_attachment", response=REFUSED)
def get_attachment(request: HttpRequest, attachment_id: int) -> Any:
    user = require_perm(request, access.VIEW)
    return download(access.attachment_for_staff(user, attachment_id))


@router.delete("/attachments/{attachment_id}", response={204: None, **REFUSED})
def delete_attachment(request: HttpRequest, attachment_id: int) -> Any:
    user = require_perm(request, access.EDIT)
    actions.do_remove_attachment(access.attachment_for_editor(user, attachment_id), actor=user)
    return Status(204, None)


@router.post("/feedback", response={201: FeedbackOut, **REFUSED})
def feedback(request: HttpRequest, payload: FeedbackIn) -> Any:
    user = require_perm(request, access.VIEW)
    article = access.article_for_staff(user, payload.article_id)
    return Status(201, record_feedback(article, payload, Channel.DESK, user))


def record_feedback(article: Article, payload: FeedbackIn, channel: Channel, user: Any) -> Any:
    impression = None
    if payload.impression:
        try:
            impression = actions.impression_by_token(payload.impression)
        except ImpressionNotFound as exc:
            raise HttpError(404, str(exc)) from exc
    vote = actions.do_record_feedback(
        article=article,
        helpful=payload.helpful,
        channel=channel,
        impression=impression,
        comment=payload.comment,
        user=user,
    )
    return {"id": vote.pk, "article_id": article.pk, "helpful": vote.helpful}


@router.get(
    "/deflection",
    response={200: DeflectionOut, **REFUSED},
    summary="Deflection (X9), days inclusive",
)
def deflection(
    request: HttpRequest,
    start: str,
    end: str,
    channel: Channel | None = Channel.PORTAL,
) -> Any:
    user = require_perm(request)
    if not (user.has_perm("core.view_reports") or user.has_perm("knowledge.view_searchimpression")):
        raise PermissionDenied
    begin, finish = _day(start), _day(end) + datetime.timedelta(days=1)
    stats = deflection_stats(start=begin, end=finish, channel=channel)
    return {**stats.__dict__, "deflected": stats.deflected, "rate": stats.rate}


def _day(text: str) -> datetime.datetime:
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise HttpError(422, _("日期格式应为 YYYY-MM-DD。")) from exc
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
