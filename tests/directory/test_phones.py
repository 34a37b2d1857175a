"""Caller numbers are normalised so that every usual way of writing one number matches."""

from __future__ import annotations

import pytest

from kefu.directory.phones import is_area_code, normalize_phone, parse_phone

BEIJING_LINE = "+861088881234"


@pytest.mark.parametrize(
    "written",
    [
        "+86 10 8888 1234",
        "010-88881234",
        "(010)88881234",
        "010 8888 1234",
        "0086 10 88881234",
        "86 010 88881234",
        "+86 010 88881234",
        "01088881234",
        "010-88881234转8001",
        "010-88881234 分机 8001",
        "010-88881234 ext. 8001",
        "010-88881234-8001",
        "０１０－８８８８１２３４",
    ],
)
def test_a_landline_written_any_usual_way_has_one_key(written):
    assert normalize_phone(written) == BEIJING_LINE


@pytest.mark.parametrize(
    "written", ["13812345678", "+86 138 1234 5678", "8613812345678", "008613812345678",
                "138-1234-5678", "１３８１２３４５６７８"],
)  # fmt: skip
def test_a_mobile_with_or_without_country_code_has_one_key(written):
    parsed = parse_phone(written)
    assert parsed.key == "+8613812345678"
    assert parsed.mobile


def test_extension_is_kept_apart_from_the_key():
    parsed = parse_phone("025-84512301转123")
    assert (parsed.key, parsed.extension) == ("+862584512301", "123")


def test_local_number_gets_the_sites_area_code():
    assert normalize_phone("88881234", area_code="010") == BEIJING_LINE
    assert normalize_phone("8888 1234", area_code="010") == BEIJING_LINE


def test_local_number_without_a_configured_area_code_still_matches_itself():
    assert normalize_phone("88881234") == normalize_phone("8888-1234") != ""


def test_area_code_is_not_added_to_mobiles_or_service_numbers():
    assert normalize_phone("13812345678", area_code="010") == "+8613812345678"
    assert normalize_phone("400-810-8888", area_code="010") == "+864008108888"
    assert normalize_phone("95588", area_code="010") == "+8695588"


def test_other_trunk_prefix_and_city():
    assert normalize_phone("0755-2345 6789") == normalize_phone("+86 755 23456789")


def test_foreign_number_keeps_its_country():
    assert normalize_phone("+1 650 253 0000") == "+16502530000"


@pytest.mark.parametrize("written", ["", "   ", "同上", "无", "12"])
def test_no_number_gives_an_empty_key(written):
    assert normalize_phone(written) == ""


def test_mobile_flag_is_false_for_landlines_and_short_numbers():
    assert not parse_phone("010-88881234").mobile
    assert not parse_phone("1381234").mobile


@pytest.mark.parametrize(("value", "ok"), [("010", True), ("0755", True), ("10", False),
                                           ("07555", False), ("0a1", False)])  # fmt: skip
def test_area_code_shape(value, ok):
    assert is_area_code(value) is ok
