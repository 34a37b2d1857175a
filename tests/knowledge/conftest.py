"""Knowledge fixtures: a category tree, an editor-made draft, a published public and a
published internal article."""

from __future__ import annotations

import pytest

from kefu.knowledge.actions import (
    ArticleInput,
    do_create_article,
    do_publish_article,
    do_save_category,
)


@pytest.fixture
def categories(db):
    root = do_save_category(actor=None, code="equipment", name="设备故障")
    child = do_save_category(actor=None, code="printing", name="打印与外设", parent=root)
    return root, child


@pytest.fixture
def make_article(categories):
    def make(code: str, title: str, body: str, *, publish: bool = True, **extra):
        data = ArticleInput(
            code=code,
            title=title,
            body=body,
            category_ids=(categories[1].pk,),
            **extra,
        )
        article = do_create_article(actor=None, data=data)
        if publish:
            do_publish_article(article, actor=None)
            article.refresh_from_db()
        return article

    return make


@pytest.fixture
def public_article(make_article):
    return make_article(
        "printer-jam",
        "打印机卡纸怎么处理",
        "关闭电源后打开前盖，取出卡住的纸张。",
        visibility="public",
        similar_questions=("打印机夹纸了", "打印时纸卡住"),
    )


@pytest.fixture
def internal_article(make_article):
    return make_article(
        "e102",
        "客服平台报错 E102",
        "数据库连接池耗尽，重启应用服务。",
        visibility="internal",
    )


@pytest.fixture
def draft_article(make_article):
    return make_article("draft-one", "蓄电池鼓包怎么办", "立即更换鼓包电池。", publish=False)
