"""Tokenisation: jieba words plus bigrams, exact codes, pinyin initials kept apart."""

from __future__ import annotations

from kefu.search.tokenize import PINYIN_MARK, _jieba, index_terms, normalise


def test_a_two_character_word_inside_a_longer_phrase_is_a_term():
    assert "卡纸" in index_terms("打印机卡纸怎么处理")
    assert "终端" in index_terms("配电自动化终端离线")


def test_jieba_words_of_three_or_more_characters_are_terms_too():
    assert "打印机" in index_terms("打印机卡纸")


def test_function_words_split_runs_so_no_bigram_spans_them():
    terms = index_terms("配电终端离线了怎么办")
    assert "离线" in terms
    assert not {"线了", "了怎", "么办", "怎么办"} & set(terms)


def test_the_last_character_of_a_run_stands_alone_for_one_character_queries():
    assert "纸" in index_terms("打印机卡纸")


def test_codes_and_numbers_stay_whole_with_their_parts():
    terms = index_terms("工单号 GZ2611240001，型号 HP-1020，热线 95598")
    assert {"gz2611240001", "2611240001", "hp1020", "hp", "1020", "95598"} <= set(terms)


def test_full_width_and_upper_case_are_normalised():
    assert normalise("ＧＺ２６１１ＡＢ") == "gz2611ab"
    assert "gz2611" in index_terms("ＧＺ２６１１")


def test_pinyin_initials_are_marked_so_codes_never_meet_them():
    terms = index_terms("张三", pinyin=True)
    assert PINYIN_MARK + "zs" in terms
    assert "zs" not in terms
    assert not any(t.startswith(PINYIN_MARK) for t in index_terms("张三"))


def test_jieba_is_loaded_once():
    _jieba()
    before = _jieba.cache_info().misses
    index_terms("再次分词不会重新加载词典")
    assert _jieba.cache_info().misses == before
