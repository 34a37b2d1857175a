"""Every change to the knowledge base goes through these functions (one transaction each).

The search index is kept in step here and nowhere else: publishing writes the new version to
the index, unpublishing and deleting remove it, renaming a category re-indexes the articles
filed under it. The index lives in the same database, so it commits or rolls back with the
change itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kefu.accounts.models import User
from kefu.knowledge.attachments import file_type_of
from kefu.knowledge.documents import KIND, document_for
from kefu.knowledge.errors import ImpressionNotFound, NothingToPublish, NotPublished
from kefu.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleKind,
    ArticleStatus,
    ArticleVersion,
    Category,
    Channel,
    Feedback,
    ImpressionHit,
    SearchImpression,
    SimilarQuestion,
    Visibility,
    content_hash,
)
from kefu.search.index import index_documents, remove_documents

MAX_SIMILAR_QUESTIONS = 30
INDEX_BATCH = 200


@dataclass(frozen=True)
class ArticleInput:
    """A whole article as an editor submits it."""

    title: str
    body: str
    kind: str = ArticleKind.QA
    visibility: str = Visibility.INTERNAL
    similar_questions: tuple[str, ...] = ()
    category_ids: tuple[int, ...] = ()
    product_ids: tuple[int, ...] = ()
    code: str = ""


@dataclass(frozen=True)
class ArticleChanges:
    """Some fields of an article; ``None`` leaves a field as it is."""

    title: str | None = None
    body: str | None = None
    kind: str | None = None
    visibility: str | None = None
    similar_questions: tuple[str, ...] | None = None
    category_ids: tuple[int, ...] | None = None
    product_ids: tuple[int, ...] | None = None


def clean_questions(texts: Iterable[str]) -> list[str]:
    """Trimmed, without blanks or repeats, at most ``MAX_SIMILAR_QUESTIONS``."""
    seen: dict[str, None] = {}
    for text in texts:
        line = " ".join(text.split())
        if line:
            seen.setdefault(line[:200], None)
    return list(seen)[:MAX_SIMILAR_QUESTIONS]


def _set_questions(article: Article, texts: Sequence[str]) -> None:
    wanted = clean_questions(texts)
    article.similar_questions.exclude(text__in=wanted).delete()
    existing = {q.text: q for q in article.similar_questions.all()}
    for order, text in enumerate(wanted):
        question = existing.get(text) or SimilarQuestion(article=article, text=text)
        question.sort_order = order
        question.save()


def _set_relations(article: Article, category_ids: Sequence[int] | None, product_ids: Any) -> None:
    if category_ids is not None:
        found = list(Category.objects.filter(pk__in=category_ids))
        if len(found) != len(set(category_ids)):
            raise ValidationError({"category_ids": _("分类不存在。")})
        article.categories.set(found)
    if product_ids is not None:
        from kefu.directory.models import Product

        products = list(Product.objects.filter(pk__in=product_ids))
        if len(products) != len(set(product_ids)):
            raise ValidationError({"product_ids": _("产品不存在。")})
        article.products.set(products)


def _save(article: Article, actor: User | None, reason: str) -> None:
    """Save with an audit row; ``reason`` is kept in the source language (gettext_noop), so
    the history does not depend on the language of whoever made the change."""
    article.updated_by = actor
    article.updated_at = timezone.now()
    article.full_clean()
    article._history_user = actor  # type: ignore[attr-defined]
    article._change_reason = reason  # type: ignore[attr-defined]
    article.save()


@transaction.atomic
def do_create_article(*, actor: User | None, data: ArticleInput) -> Article:
    """A new draft. Without a code it gets ``kb-<number>``."""
    article = Article(
        code=data.code.strip() or f"tmp-{uuid.uuid4().hex[:20]}",
        kind=data.kind,
        title=data.title.strip(),
        body=data.body.strip(),
        visibility=data.visibility,
        created_by=actor,
    )
    _save(article, actor, gettext_noop("新建"))
    if not data.code.strip():
        article.code = f"kb-{article.pk:05d}"
        Article.objects.filter(pk=article.pk).update(code=article.code)
    _set_questions(article, data.similar_questions)
    _set_relations(article, data.category_ids, data.product_ids)
    return article


@transaction.atomic
def do_update_article(article: Article, *, actor: User | None, changes: ArticleChanges) -> Article:
    """Change the working copy. A published article stays published with its last version
    until it is published again."""
    for name in ("title", "body", "kind", "visibility"):
        value = getattr(changes, name)
        if value is not None:
            setattr(article, name, value.strip() if isinstance(value, str) else value)
    _save(article, actor, gettext_noop("修改"))
    if changes.similar_questions is not None:
        _set_questions(article, changes.similar_questions)
    _set_relations(article, changes.category_ids, changes.product_ids)
    return article


def _index(articles: Iterable[Article]) -> None:
    documents = [
        document_for(a, a.published_version) for a in articles if a.published_version is not None
    ]
    index_documents(KIND, documents)


@transaction.atomic
def do_publish_article(article: Article, *, actor: User | None) -> ArticleVersion:
    """Freeze the working copy as the next version, make it the live one and index it."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    content = article.content()
    digest = content_hash(content)
    live = article.published_version
    if article.status == ArticleStatus.PUBLISHED and live and live.content_hash == digest:
        raise NothingToPublish(_("自上次发布以来没有修改。"))
    if not article.title.strip() or not article.body.strip():
        raise ValidationError(_("标题和正文不能为空。"))
    version = ArticleVersion.objects.create(
        article=article,
        number=article.version + 1,
        content_hash=digest,
        published_by=actor,
        **content,
    )
    article.version = version.number
    article.published_version = version
    article.status = ArticleStatus.PUBLISHED
    article.published_at = version.published_at
    _save(article, actor, gettext_noop("发布第 %(n)s 版") % {"n": version.number})
    _index([article])
    return version


@transaction.atomic
def do_unpublish_article(article: Article, *, actor: User | None) -> None:
    """Take an article off line (back to draft); its versions stay in its history."""
    if article.status != ArticleStatus.PUBLISHED:
        raise NotPublished(_("该文章尚未发布。"))
    article.status = ArticleStatus.DRAFT
    article.published_version = None
    _save(article, actor, gettext_noop("撤下"))
    remove_documents(KIND, [str(article.pk)])


@transaction.atomic
def do_delete_article(article: Article, *, actor: User | None) -> None:
    remove_documents(KIND, [str(article.pk)])
    article._history_user = actor  # type: ignore[attr-defined]
    article.delete()


@transaction.atomic
def do_save_category(
    *,
    actor: User | None,
    code: str,
    name: str,
    parent: Category | None = None,
    sort_order: int = 0,
    category: Category | None = None,
) -> Category:
    """Create a category, or change one (``category``): a new name or place in the tree also
    re-indexes the published articles under it (their category path is searchable)."""
    target = category or Category()
    target.code, target.name, target.parent, target.sort_order = code, name, parent, sort_order
    if parent is not None and target.pk and target.pk in {c.pk for c in parent.lineage()}:
        raise ValidationError({"parent": _("上级分类不能是它自己或它的下级。")})
    target.full_clean()
    target._history_user = actor  # type: ignore[attr-defined]
    target.save()
    if category is not None:
        reindex_categories([target])
    return target


def _subtree_ids(roots: Iterable[Category]) -> set[int]:
    ids = {c.pk for c in roots}
    frontier = set(ids)
    while frontier:
        frontier = (
            set(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        )
        ids |= frontier
    return ids


def reindex_categories(categories: Iterable[Category]) -> None:
    ids = _subtree_ids(categories)
    published = Article.objects.filter(
        status=ArticleStatus.PUBLISHED, categories__in=ids
    ).distinct()
    _index(published.select_related("published_version"))


def do_reindex_articles() -> int:
    """Rebuild the article index from the published versions (after a tokenizer upgrade, a
    restore, or renamed products). Returns the number of articles indexed."""
    from kefu.search.index import clear

    with transaction.atomic():
        clear(KIND)
        published = Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related(
            "published_version"
        )
        count = 0
        batch: list[Article] = []
        for article in published.iterator(chunk_size=INDEX_BATCH):
            batch.append(article)
            if len(batch) >= INDEX_BATCH:
                _index(batch)
                count += len(batch)
                batch = []
        _index(batch)
        return count + len(batch)


@transaction.atomic
def do_add_attachment(article: Article, *, upload: Any, actor: User | None) -> ArticleAttachment:
    """Store an upload after checking its size and type (see ``attachments``)."""
    file_type = file_type_of(upload)
    attachment = ArticleAttachment(
        article=article,
        name=(getattr(upload, "name", "") or "file")[-200:],
        size=upload.size,
        content_type=file_type.content_type,
        uploaded_by=actor,
    )
    attachment.file.save(attachment.name, upload, save=False)
    attachment._history_user = actor  # type: ignore[attr-defined]
    attachment.save()
    return attachment


@transaction.atomic
def do_remove_attachment(attachment: ArticleAttachment, *, actor: User | None) -> None:
    stored = attachment.file.name
    attachment._history_user = actor  # type: ignore[attr-defined]
    attachment.delete()
    storage = attachment.file.storage
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def do_record_impression(
    *, query: str, channel: Channel, article_ids: Sequence[int], user: User | None = None
) -> SearchImpression:
    """Record that a search for ``query`` showed these answers, best first (X9)."""
    impression = SearchImpression.objects.create(
        query=query.strip()[:200], channel=channel, user=user if user and user.pk else None
    )
    ImpressionHit.objects.bulk_create(
        ImpressionHit(impression=impression, article_id=pk, rank=rank)
        for rank, pk in enumerate(dict.fromkeys(article_ids), start=1)
    )
    return impression


def impression_by_token(token: uuid.UUID | str) -> SearchImpression:
    try:
        return SearchImpression.objects.get(token=uuid.UUID(str(token)))
    except (ValueError, SearchImpression.DoesNotExist) as exc:
        raise ImpressionNotFound(_("找不到这次搜索记录。")) from exc


@transaction.atomic
def do_record_feedback(
    *,
    article: Article,
    helpful: bool,
    channel: Channel,
    impression: SearchImpression | None = None,
    comment: str = "",
    user: User | None = None,
) -> Feedback:
    """Whether an answer helped. One vote per search and article: a second one replaces it."""
    if impression is not None:
        Feedback.objects.filter(impression=impression, article=article).delete()
    return Feedback.objects.create(
        article=article,
        impression=impression,
        helpful=helpful,
        comment=comment.strip()[:500],
        channel=channel,
        user=user if user and user.pk else None,
    )


@transaction.atomic
def do_mark_impression_escalated(
    impression_id: uuid.UUID | str, request_ref: str
) -> SearchImpression:
    """The person who saw this search's answers still submitted a request (``request_ref``,
    e.g. its number). Called by the request and portal code; the first request counts."""
    impression = impression_by_token(impression_id)
    impression = SearchImpression.objects.select_for_update().get(pk=impression.pk)
    if not impression.escalated_request:
        impression.escalated_request = str(request_ref)[:40]
        impression.escalated_at = timezone.now()
        impression.save(update_fields=["escalated_request", "escalated_at"])
    return impression
