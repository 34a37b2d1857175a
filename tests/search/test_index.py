"""The search module against the real database engine (SQLite FTS5 or PostgreSQL, whichever
DATABASE_URL selects): indexing, replacing, removing, filtering, paging, suggestions."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from kefu.search.backends import backend_for
from kefu.search.index import (
    InvalidLabel,
    count,
    explain,
    index_documents,
    remove_documents,
    search,
    suggest,
)
from kefu.search.types import Document, Field, Weight, request_document

pytestmark = pytest.mark.django_db


def article(key: str, title: str, body: str = "", *, questions: str = "", labels=()) -> Document:
    fields = (
        Field("title", title, Weight.A, pinyin=True),
        Field("questions", questions, Weight.B),
        Field("body", body, Weight.C),
    )
    return Document(key, title, fields, frozenset(labels))


def keys(query: str, **kwargs) -> list[str]:
    return [hit.key for hit in search("article", query, **kwargs).hits]


@pytest.fixture
def printers():
    index_documents(
        "article",
        [
            article("1", "打印机卡纸怎么处理", "关闭电源，取出卡住的纸。", labels={"public"}),
            article(
                "2", "配电终端离线处理", "检查通信模块，终端编号 DTU-3000。", labels={"internal"}
            ),
            article(
                "3", "客服平台登录失败", "工单号 GZ2611240001，热线 95598。", labels={"public"}
            ),
        ],
    )


def test_a_two_character_word_finds_the_article_where_it_sits_in_a_longer_phrase(printers):
    assert keys("卡纸") == ["1"]
    assert keys("终端") == ["2"]


def test_a_paraphrase_with_a_synonym_finds_the_answer(printers):
    assert keys("打印机老是夹纸怎么办")[0] == "1"
    assert keys("客服系统登陆不上")[0] == "3"


def test_numbers_and_codes_match_exactly(printers):
    assert keys("GZ2611240001") == ["3"]
    assert keys("95598") == ["3"]
    assert keys("dtu3000") == ["2"]
    assert keys("9559") == []


def test_hits_carry_highlighted_title_and_snippets(printers):
    hit = search("article", "卡纸").hits[0]
    assert hit.title_html == "打印机<mark>卡纸</mark>怎么处理"
    assert "<mark>卡住</mark>" in hit.snippets["body"]


def test_labels_filter_without_ranking(printers):
    assert keys("处理", labels=["public"]) == ["1"]
    assert keys("处理", labels=["internal"]) == ["2"]
    with pytest.raises(InvalidLabel):
        search("article", "处理", labels=["pub%"])


def test_indexing_again_replaces_the_document(printers):
    index_documents("article", [article("1", "扫描仪无法扫描", "重新安装驱动。")])
    assert keys("卡纸") == []
    assert keys("扫描仪") == ["1"]
    assert count("article") == 3


def test_removed_documents_are_no_longer_found(printers):
    assert remove_documents("article", ["1", "404"]) == 1
    assert keys("卡纸") == []
    assert count("article") == 2


def test_the_index_rolls_back_with_the_transaction(printers):
    with pytest.raises(RuntimeError), transaction.atomic():
        index_documents("article", [article("9", "蓄电池鼓包")])
        assert keys("鼓包") == ["9"]
        raise RuntimeError
    assert keys("鼓包") == []


def test_paging_reports_whether_there_is_more():
    index_documents("article", [article(str(n), f"交换机端口故障 {n}") for n in range(1, 8)])
    first = search("article", "交换机", limit=5)
    rest = search("article", "交换机", limit=5, offset=5)
    assert len(first.hits) == 5 and first.has_more
    assert len(rest.hits) == 2 and not rest.has_more
    assert not {h.key for h in first.hits} & {h.key for h in rest.hits}


def test_very_common_words_list_the_newest_documents_having_all_of_them(monkeypatch):
    index_documents("article", [article(str(n), f"设备故障记录 {n}") for n in range(1, 6)])
    monkeypatch.setattr(type(backend_for(connection)), "candidate_budget", 2)
    result = search("article", "设备故障")
    assert result.mode == "recent"
    assert [h.key for h in result.hits] == ["5", "4", "3", "2", "1"]


def test_title_and_similar_questions_outrank_the_body():
    index_documents(
        "article",
        [
            article("body", "其他问题", "正文里提到了叫号机"),
            article("title", "叫号机不出票"),
            article("question", "取号问题", questions="叫号机没有小票"),
        ],
    )
    assert keys("叫号机")[-1] == "body"


def test_suggestions_complete_titles_and_similar_questions_while_typing(printers):
    index_documents("article", [article("4", "报修进度查询", questions="凭工单号 GZ2611 查询")])
    assert [s.key for s in suggest("article", "打印机卡")] == ["1"]
    found = suggest("article", "gz26")
    assert [(s.key, s.field) for s in found] == [("4", "questions")]
    assert "<mark>" in found[0].html


def test_pinyin_initials_suggest_and_find_names():
    index_documents(
        "request",
        [
            request_document(
                key="GZ1",
                number="GZ2611240001",
                phone="13812345678",
                customer="张三",
                content="打印机卡纸",
            )
        ],
    )
    assert [h.key for h in search("request", "zs").hits] == ["GZ1"]
    assert [h.key for h in search("request", "13812345678").hits] == ["GZ1"]
    assert [s.key for s in suggest("request", "zs")] == ["GZ1"]
    assert search("request", "gz").hits[0].key == "GZ1"
    assert search("article", "zs").hits == []


def test_empty_and_punctuation_only_queries_find_nothing(printers):
    assert search("article", "").mode == "empty"
    assert search("article", "？！。").hits == []


def test_suggestions_wait_for_the_second_han_character(printers):
    assert suggest("article", "打") == []
    assert [s.key for s in suggest("article", "打印")] == ["1"]


def test_explain_shows_the_plan_a_search_follows(printers):
    chosen = explain("article", "卡纸 GZ2611240001")
    assert chosen.mode == "ranked"
    assert {t.text for t in chosen.terms} >= {"卡纸", "gz2611240001"}
    assert chosen.documents == 3
