"""Highlighting marks terms in the original text and escapes everything else (XSS-safe)."""

from __future__ import annotations

from kefu.search.highlight import compile_terms, highlight, snippet
from kefu.search.query import parse_query


def pattern(query: str):
    return compile_terms(parse_query(query).all_terms)


def test_terms_are_marked_in_the_original_text():
    assert highlight("打印机卡纸怎么处理", pattern("卡纸")) == "打印机<mark>卡纸</mark>怎么处理"


def test_script_in_the_text_is_escaped():
    html = highlight('<script>alert("x")</script>打印机卡纸', pattern("卡纸"))
    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<mark>卡纸</mark>" in html


def test_markup_in_the_query_cannot_inject_markup():
    html = highlight("<img src=x onerror=alert(1)>", pattern('"><img src=x onerror=alert(1)>'))
    assert "<img" not in html
    assert html.replace("<mark>", "").replace("</mark>", "") == (
        "&lt;img src=x onerror=alert(1)&gt;"
    )


def test_the_original_spelling_is_kept_for_full_width_text():
    assert highlight("单号ＧＺ２６１１", pattern("gz2611")) == "单号<mark>ＧＺ２６１１</mark>"


def test_digits_are_only_marked_as_whole_numbers():
    assert highlight("2012年", pattern("12")) == "2012年"
    assert highlight("拨打 95598", pattern("95598")) == "拨打 <mark>95598</mark>"


def test_a_snippet_is_cut_around_the_matches_with_ellipses():
    text = "前言" * 100 + "这里说明打印机卡纸的处理办法" + "结尾" * 100
    html = snippet(text, pattern("卡纸"), width=40)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>卡纸</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 42
