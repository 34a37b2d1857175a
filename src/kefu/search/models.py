"""Stored documents of the search index, one table per kind.

Each row is what was indexed for one record of the owning app (an article, a request): its key,
its title and its fields' original text (for snippets), and its filter labels. The full-text
part sits beside it, created by migration 0002 in the database's own engine: an FTS5 table
``<table>_fts`` whose rowid is the row's id (SQLite), or a ``tsv`` column with a GIN index
(PostgreSQL). Rows are written only by ``kefu.search.index``.

These are derived data, rebuilt from their sources at any time, so they carry no audit
history (the records they come from do).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexedDocument(models.Model):
    key = models.CharField(_("来源编号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=300)
    fields = models.TextField(_("字段原文"), help_text=_("JSON: [[name, weight, text], …]"))
    labels = models.CharField(
        _("过滤标签"), max_length=1000, blank=True, help_text=_("以空格分隔并以空格首尾包围")
    )
    updated_at = models.DateTimeField(_("索引时间"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.key} {self.title}"


class ArticleDocument(IndexedDocument):
    class Meta:
        db_table = "search_article"
        verbose_name = _("知识文章索引")
        verbose_name_plural = _("知识文章索引")


class RequestDocument(IndexedDocument):
    class Meta:
        db_table = "search_request"
        verbose_name = _("服务请求索引")
        verbose_name_plural = _("服务请求索引")
