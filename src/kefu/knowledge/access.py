"""Permission-checked fetches of knowledge articles. Views never fetch an article by id
themselves; anything a caller may not see is a 404, so its existence does not leak."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kefu.accounts.models import User
from kefu.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleStatus,
    Category,
    Visibility,
)

VIEW = "knowledge.view_article"
EDIT = "knowledge.change_article"
ADD = "knowledge.add_article"
PUBLISH = "knowledge.publish_article"


def can_read(user: User) -> bool:
    return bool(user.is_active and user.has_perm(VIEW))


def can_edit(user: User) -> bool:
    return bool(user.is_active and user.has_perm(EDIT))


def _published() -> QuerySet[Article]:
    return Article.objects.filter(
        status=ArticleStatus.PUBLISHED, published_version__isnull=False
    ).select_related("published_version")


def published_for_staff(user: User) -> QuerySet[Article]:
    """Every published article (public and internal) for staff who may read the base."""
    return _published() if can_read(user) else Article.objects.none()


def published_for_public() -> QuerySet[Article]:
    """What customers and anonymous visitors may read: published and public."""
    return _published().filter(published_version__visibility=Visibility.PUBLIC)


def _get(queryset: QuerySet[Article], article_id: int) -> Article:
    try:
        return queryset.get(pk=article_id)
    except Article.DoesNotExist as exc:
        raise Http404 from exc


def article_for_staff(user: User, article_id: int) -> Article:
    """A published article, or for an editor any article (drafts included)."""
    if can_edit(user):
        return _get(Article.objects.select_related("published_version"), article_id)
    return _get(published_for_staff(user), article_id)


def article_for_editor(user: User, article_id: int) -> Article:
    if not can_edit(user):
        raise Http404
    return _get(Article.objects.select_related("published_version"), article_id)


def article_for_publisher(user: User, article_id: int) -> Article:
    if not user.has_perm(PUBLISH):
        raise Http404
    return _get(Article.objects.select_related("published_version"), article_id)


def public_article(article_id: int) -> Article:
    return _get(published_for_public(), article_id)


def attachment_for_staff(user: User, attachment_id: int) -> ArticleAttachment:
    try:
        attachment = ArticleAttachment.objects.select_related("article").get(pk=attachment_id)
    except ArticleAttachment.DoesNotExist as exc:
        raise Http404 from exc
    article_for_staff(user, attachment.article_id)
    return attachment


def attachment_for_editor(user: User, attachment_id: int) -> ArticleAttachment:
    attachment = attachment_for_staff(user, attachment_id)
    if not can_edit(user):
        raise Http404
    return attachment


def public_attachment(attachment_id: int) -> ArticleAttachment:
    try:
        attachment = ArticleAttachment.objects.get(
            pk=attachment_id, article__in=published_for_public()
        )
    except ArticleAttachment.DoesNotExist as exc:
        raise Http404 from exc
    return attachment


def category_for_staff(user: User, category_id: int) -> Category:
    if not can_read(user):
        raise Http404
    try:
        return Category.objects.get(pk=category_id)
    except Category.DoesNotExist as exc:
        raise Http404 from exc
