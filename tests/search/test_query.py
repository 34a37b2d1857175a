"""Query parsing and planning (pure)."""

from __future__ import annotations

from kefu.search.query import Mode, Term, parse_prefix, parse_query, plan
from kefu.search.tokenize import PINYIN_MARK


def test_a_single_han_character_becomes_a_prefix_term():
    assert parse_query("机").terms == (Term("机", prefix=True),)


def test_synonyms_are_searched_as_well():
    parsed = parse_query("打印机夹纸")
    assert Term("卡纸") in parsed.expanded
    assert Term("卡纸") not in parsed.terms


def test_typed_letters_also_look_for_pinyin_initials_but_code_letters_do_not():
    assert Term(PINYIN_MARK + "zs") in parse_query("zs").terms
    assert not any(t.text.startswith(PINYIN_MARK) for t in parse_query("GZ2611").terms)


def test_the_last_typed_code_is_a_prefix_for_suggestions():
    assert Term("gz26", prefix=True) in parse_prefix("gz26").terms


def test_plan_keeps_rare_terms_and_drops_one_found_in_most_documents():
    query = parse_query("战友 没有")
    chosen = plan(query, 1000, {Term("战友"): 3, Term("没有"): 700})
    assert chosen.mode == Mode.RANKED
    assert chosen.terms == (Term("战友"),)
    assert chosen.counts == (3,)


def test_plan_stays_within_the_candidate_budget():
    query = parse_query("甲乙 丙丁 戊己")
    frequencies = {Term("甲乙"): 10, Term("丙丁"): 60, Term("戊己"): 80}
    chosen = plan(query, 100_000, frequencies, budget=100)
    assert chosen.terms == (Term("甲乙"), Term("丙丁"))


def test_plan_lists_newest_first_when_every_term_is_very_common():
    query = parse_query("故障 处理")
    chosen = plan(query, 1_000_000, {Term("故障"): 300_000, Term("处理"): 200_000}, budget=100)
    assert chosen.mode == Mode.RECENT
    assert chosen.terms[0] == Term("处理")


def test_plan_is_empty_when_no_term_occurs():
    assert plan(parse_query("无此词"), 10, {}).mode == Mode.EMPTY
