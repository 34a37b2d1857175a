"""Article life cycle through the actions, with the search index kept in step."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kefu.knowledge.actions import (
    ArticleChanges,
    ArticleInput,
    clean_questions,
    do_create_article,
    do_delete_article,
    do_publish_article,
    do_reindex_articles,
    do_save_category,
    do_unpublish_article,
    do_update_article,
)
from kefu.knowledge.documents import KIND
from kefu.knowledge.errors import NothingToPublish, NotPublished
from kefu.knowledge.models import ArticleStatus, ArticleVersion
from kefu.search.index import clear, search

pytestmark = pytest.mark.django_db


def found(query: str, **kwargs) -> list[str]:
    return [hit.key for hit in search(KIND, query, **kwargs).hits]


def test_a_draft_is_not_searchable(draft_article):
    assert draft_article.status == ArticleStatus.DRAFT
    assert found("鼓包") == []


def test_publishing_freezes_a_version_and_indexes_it(draft_article, sysadmin):
    version = do_publish_article(draft_article, actor=sysadmin)
    draft_article.refresh_from_db()
    assert (version.number, draft_article.version) == (1, 1)
    assert draft_article.published_version == version
    assert version.published_by == sysadmin
    assert found("鼓包") == [str(draft_article.pk)]
    assert not draft_article.has_unpublished_changes


def test_editing_a_live_article_changes_nothing_until_it_is_published_again(public_article):
    do_update_article(
        public_article,
        actor=None,
        changes=ArticleChanges(title="扫描仪进纸异常", similar_questions=("扫描仪夹纸",)),
    )
    public_article.refresh_from_db()
    assert public_article.has_unpublished_changes
    assert [h.title for h in search(KIND, "卡纸").hits] == ["打印机卡纸怎么处理"]
    assert found("扫描仪") == []

    version = do_publish_article(public_article, actor=None)
    assert version.number == 2
    assert [h.title for h in search(KIND, "扫描仪").hits] == ["扫描仪进纸异常"]
    assert ArticleVersion.objects.filter(article=public_article).count() == 2


def test_publishing_without_changes_is_refused(public_article):
    with pytest.raises(NothingToPublish):
        do_publish_article(public_article, actor=None)


def test_unpublishing_takes_it_off_the_index(public_article):
    do_unpublish_article(public_article, actor=None)
    assert found("卡纸") == []
    with pytest.raises(NotPublished):
        do_unpublish_article(public_article, actor=None)


def test_deleting_removes_it_from_the_index(public_article):
    do_delete_article(public_article, actor=None)
    assert found("卡纸") == []


def test_similar_questions_find_the_one_standard_answer(public_article):
    assert found("打印时纸卡住") == [str(public_article.pk)]
    assert found("夹纸") == [str(public_article.pk)]


def test_similar_questions_are_trimmed_and_deduplicated():
    assert clean_questions([" 打印机 夹纸 ", "打印机 夹纸", "", "卡纸"]) == ["打印机 夹纸", "卡纸"]


def test_an_article_without_code_gets_one():
    article = do_create_article(actor=None, data=ArticleInput(title="标题", body="正文"))
    assert article.code == f"kb-{article.pk:05d}"


def test_a_bad_code_is_refused():
    with pytest.raises(ValidationError):
        do_create_article(actor=None, data=ArticleInput(code="含 空格", title="t", body="b"))


def test_category_filter_covers_the_subtree(public_article, categories):
    root, child = categories
    assert found("卡纸", labels=[f"cat{root.pk}"]) == [str(public_article.pk)]
    assert found("卡纸", labels=[f"cat{child.pk}"]) == [str(public_article.pk)]


def test_renaming_a_category_reindexes_its_articles(public_article, categories):
    root, child = categories
    do_save_category(actor=None, code=child.code, name="办公耗材", parent=root, category=child)
    assert found("耗材") == [str(public_article.pk)]


def test_a_category_cannot_move_under_its_own_child(categories):
    root, child = categories
    with pytest.raises(ValidationError):
        do_save_category(actor=None, code=root.code, name=root.name, parent=child, category=root)


def test_reindexing_rebuilds_from_published_versions(public_article, internal_article):
    clear(KIND)
    assert found("卡纸") == []
    assert do_reindex_articles() == 2
    assert found("卡纸") == [str(public_article.pk)]
    assert found("E102") == [str(internal_article.pk)]


def test_history_records_who_changed_an_article(draft_article, supervisor):
    do_update_article(draft_article, actor=supervisor, changes=ArticleChanges(body="新的正文"))
    latest = draft_article.history.first()
    assert latest.history_user == supervisor
    assert latest.body == "新的正文"
