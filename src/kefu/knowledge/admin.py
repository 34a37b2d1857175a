"""Admin for the knowledge base (in Chinese): articles with their similar questions inline.

Saving in the admin edits the working copy; what customers and agents see changes only when
the article is published (the "发布" action or the button on the API), which also indexes it.
Deleting goes through the actions so the index follows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kefu.knowledge import actions
from kefu.knowledge.attachments import file_type_of
from kefu.knowledge.errors import KnowledgeError
from kefu.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleVersion,
    Category,
    Feedback,
    SearchImpression,
    SimilarQuestion,
)


class SimilarQuestionInline(admin.TabularInline):
    model = SimilarQuestion
    extra = 3
    fields = ["text", "sort_order"]


class AttachmentInline(admin.TabularInline):
    model = ArticleAttachment
    extra = 0
    fields = ["file", "name", "size", "content_type", "uploaded_at"]
    readonly_fields = ["name", "size", "content_type", "uploaded_at"]


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "path", "sort_order"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        actions.do_save_category(
            actor=request.user,  # type: ignore[arg-type]
            code=obj.code,
            name=obj.name,
            parent=obj.parent,
            sort_order=obj.sort_order,
            category=obj if change else None,
        )


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "kind", "visibility", "status", "version", "updated_at"]
    list_filter = ["status", "visibility", "kind", "categories"]
    search_fields = ["code", "title", "similar_questions__text"]
    filter_horizontal = ["categories", "products"]
    readonly_fields = ["status", "version", "published_at", "created_at", "updated_at"]
    inlines = [SimilarQuestionInline, AttachmentInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["code", "kind", "title", "body", "visibility"]}),
        (_("分类与产品"), {"fields": ["categories", "products"]}),
        (_("发布"), {"fields": ["status", "version", "published_at", "created_at", "updated_at"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for item in formset.save(commit=False):
            if isinstance(item, ArticleAttachment) and item.file and not item.pk:
                item.name = item.file.name[-200:]
                item.size = item.file.size
                item.content_type = file_type_of(item.file).content_type
                item.uploaded_by = request.user
            item.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        actions.do_delete_article(obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            actions.do_delete_article(article, actor=request.user)  # type: ignore[arg-type]

    @admin.action(description=_("发布所选文章"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        done = 0
        for article in queryset:
            try:
                actions.do_publish_article(article, actor=request.user)  # type: ignore[arg-type]
                done += 1
            except (KnowledgeError, ValidationError) as exc:
                messages.warning(request, f"{article.code}: {' '.join(_messages(exc))}")
        messages.success(request, _("已发布 %(n)d 篇文章。") % {"n": done})

    @admin.action(description=_("撤下所选文章"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        done = 0
        for article in queryset:
            try:
                actions.do_unpublish_article(article, actor=request.user)  # type: ignore[arg-type]
                done += 1
            except KnowledgeError as exc:
                messages.warning(request, f"{article.code}: {exc}")
        messages.success(request, _("已撤下 %(n)d 篇文章。") % {"n": done})

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("knowledge.publish_article"))


def _messages(exc: Exception) -> list[str]:
    return list(getattr(exc, "messages", [str(exc)]))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnlyAdmin):
    list_display = ["article", "number", "title", "visibility", "published_at", "published_by"]
    search_fields = ["article__code", "title"]
    list_select_related = ["article", "published_by"]


@admin.register(SearchImpression)
class SearchImpressionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "query", "escalated_request"]
    list_filter = ["channel"]
    search_fields = ["query", "escalated_request"]
    date_hierarchy = "created_at"


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "article", "helpful", "channel", "comment"]
    list_filter = ["helpful", "channel"]
    list_select_related = ["article"]
