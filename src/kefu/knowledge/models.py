"""Knowledge base (X8) and solution matching (X9).

An ``Article`` is the editors' working copy: a knowledge point or a Q&A pair, with its similar
question phrasings, categories, products, visibility and attachments. Publishing freezes the
working copy into a numbered ``ArticleVersion``; that snapshot is what agents and customers
read and what the search index holds, so an editor can rework a live article without the
half-done text showing. ``SearchImpression``/``ImpressionHit`` record which answers a search
showed, ``Feedback`` whether they helped, and ``escalated_request`` whether the person still
submitted a request (the deflection rate).
"""

from __future__ import annotations

import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory
from kefu.knowledge.attachments import attachment_path, validate_attachment


class ArticleKind(models.TextChoices):
    KNOWLEDGE = "knowledge", _("知识点")
    QA = "qa", _("问答对")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公开（客户可见）")
    INTERNAL = "internal", _("内部（仅员工）")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Channel(models.TextChoices):
    PORTAL = "portal", _("网上自助")
    DESK = "desk", _("坐席")


class Category(models.Model):
    """A node of the category tree (知识分类)."""

    code = models.SlugField(_("分类代码"), max_length=40, unique=True)
    name = models.CharField(_("分类名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    history = AuditHistory()

    class Meta:
        verbose_name = _("知识分类")
        verbose_name_plural = _("知识分类")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.path

    def lineage(self) -> list[Category]:
        """This category and its ancestors, root first (stops at a cycle)."""
        chain: list[Category] = []
        node: Category | None = self
        seen: set[int | None] = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def path(self) -> str:
        return " / ".join(c.name for c in self.lineage())


class Article(models.Model):
    """The working copy of a knowledge article."""

    code = models.SlugField(
        _("文章编号"),
        max_length=60,
        unique=True,
        help_text=_("字母、数字和连字符，例如 printer-jam"),
    )
    kind = models.CharField(
        _("类型"), max_length=12, choices=ArticleKind.choices, default=ArticleKind.QA
    )
    title = models.CharField(_("标题/标准问题"), max_length=200)
    body = models.TextField(_("答案/正文"), help_text=_("纯文本，换行保留。"))
    visibility = models.CharField(
        _("可见范围"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("分类"), blank=True, related_name="articles"
    )
    products = models.ManyToManyField(
        "directory.Product", verbose_name=_("相关产品"), blank=True, related_name="articles"
    )
    version = models.PositiveIntegerField(_("已发布版本号"), default=0)
    published_version = models.ForeignKey(
        "ArticleVersion",
        verbose_name=_("当前发布版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("知识文章")
        verbose_name_plural = _("知识文章")
        ordering = ["code"]
        permissions = [("publish_article", _("可以发布或撤下知识文章"))]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def question_texts(self) -> list[str]:
        return [q.text for q in self.similar_questions.all()]

    def content(self) -> dict[str, object]:
        """What a publication freezes (also the basis of ``content_hash``)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "visibility": self.visibility,
            "similar_questions": self.question_texts(),
            "category_ids": sorted(c.pk for c in self.categories.all()),
            "product_ids": sorted(p.pk for p in self.products.all()),
        }

    def content_hash(self) -> str:
        return content_hash(self.content())

    @property
    def has_unpublished_changes(self) -> bool:
        live = self.published_version
        return live is None or live.content_hash != self.content_hash()


def content_hash(content: dict[str, object]) -> str:
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


class SimilarQuestion(models.Model):
    """Another way customers ask the same thing (相似问法); all lead to the one answer."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("知识文章"),
        on_delete=models.CASCADE,
        related_name="similar_questions",
    )
    text = models.CharField(_("相似问法"), max_length=200)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    history = AuditHistory()

    class Meta:
        verbose_name = _("相似问法")
        verbose_name_plural = _("相似问法")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "text"], name="knowledge_question_unique")
        ]

    def __str__(self) -> str:
        return self.text


class ArticleVersion(models.Model):
    """A published state of an article, frozen (one per publication, numbered from 1)."""

    article = models.ForeignKey(
        Article, verbose_name=_("知识文章"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    kind = models.CharField(_("类型"), max_length=12, choices=ArticleKind.choices)
    title = models.CharField(_("标题/标准问题"), max_length=200)
    body = models.TextField(_("答案/正文"))
    visibility = models.CharField(_("可见范围"), max_length=10, choices=Visibility.choices)
    similar_questions = models.JSONField(_("相似问法"), default=list)
    category_ids = models.JSONField(_("分类"), default=list)
    product_ids = models.JSONField(_("相关产品"), default=list)
    content_hash = models.CharField(_("内容摘要"), max_length=64)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("发布版本")
        verbose_name_plural = _("发布版本")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="knowledge_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article.code} v{self.number}"


class ArticleAttachment(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("知识文章"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("文件"), upload_to=attachment_path, validators=[validate_attachment], max_length=200
    )
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class SearchImpression(models.Model):
    """One search whose answers were shown to someone (X9). ``token`` is what the portal
    hands back with feedback and with a request submitted afterwards."""

    token = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    query = models.CharField(_("搜索内容"), max_length=200)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    articles = models.ManyToManyField(
        Article, through="ImpressionHit", verbose_name=_("展示的答案"), related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    escalated_request = models.CharField(_("仍提交的请求"), max_length=40, blank=True)
    escalated_at = models.DateTimeField(_("提交请求时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答案展示记录")
        verbose_name_plural = _("答案展示记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.query}"


class ImpressionHit(models.Model):
    impression = models.ForeignKey(SearchImpression, on_delete=models.CASCADE, related_name="hits")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="impressions")
    rank = models.PositiveSmallIntegerField(_("名次"))

    class Meta:
        verbose_name = _("展示的答案")
        verbose_name_plural = _("展示的答案")
        ordering = ["impression", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["impression", "article"], name="knowledge_hit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.article_id}"


class Feedback(models.Model):
    """Whether an answer helped (有帮助/没帮助), optionally tied to the search that showed it."""

    article = models.ForeignKey(
        Article, verbose_name=_("知识文章"), on_delete=models.CASCADE, related_name="feedback"
    )
    impression = models.ForeignKey(
        SearchImpression,
        verbose_name=_("答案展示记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    helpful = models.BooleanField(_("有帮助"))
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("答案评价")
        verbose_name_plural = _("答案评价")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.article.code} {'+' if self.helpful else '-'}"
