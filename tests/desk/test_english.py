"""The desk in English for an employee who chose English, in Chinese for everyone else: the
seat page, the supervisor console, the WebSocket's refusals and command errors, and the
JavaScript catalogue desk.js translates its own words with."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from kefu.accounts.actions import do_set_language
from kefu.telephony import client
from tests.conftest import PASSWORD
from tests.desk.server import Desk, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(username: str) -> Client:
    browser = Client()
    assert browser.login(username=username, password=PASSWORD)
    return browser


def log_on(seat: str, employee: str) -> None:
    assert client.submit_sync({"command": "log_on", "seat_id": seat, "employee_id": employee}).ok


def test_the_seat_page_is_english_for_an_english_operator_and_chinese_by_default(
    server, operator, other_operator
):
    do_set_language(operator, language="en")
    log_on("7", "3001")
    log_on("8", "3005")
    english = signed_in("3001").get("/desk/seat/").content.decode()
    for text in ("Operator seat", "Transfer to supervisor (F7)", "End wrap-up (F12)", "Screen pop"):
        assert text in english, text
    assert "转班长席" not in english
    chinese = signed_in("3005").get("/desk/seat/").content.decode()
    assert "转班长席 (F7)" in chinese and "Transfer to supervisor" not in chinese
    # The JavaScript catalogue is loaded before desk.js, which uses it.
    for page in (english, chinese):
        assert page.index('src="/jsi18n/"') < page.index("desk/desk.js")


def test_the_seat_log_on_form_and_its_errors_follow_the_language(server, operator):
    do_set_language(operator, language="en")
    browser = signed_in("3001")
    assert "Log on to seat" in browser.get("/desk/seat/").content.decode()
    page = browser.post("/desk/seat/", {"seat": "7", "employee": "3001", "password": "wrong"})
    assert "Wrong employee number or password." in page.content.decode()


def test_the_switchs_refusal_is_translated_for_the_page_that_asked(server, operator):
    """The switch writes its refusal in the site language; the page shows the asker's."""
    do_set_language(operator, language="en")
    log_on("8", "3001")
    page = signed_in("3001").post(
        "/desk/seat/", {"seat": "7", "employee": "3001", "password": PASSWORD}
    )
    assert (
        "Employee 3001 is logged on at seat 8; please log off there first." in page.content.decode()
    )


def test_the_console_is_english_for_an_english_supervisor(server, supervisor, manager):
    do_set_language(supervisor, language="en")
    english = signed_in("2001").get("/desk/console/").content.decode()
    for text in ("Supervisor console", "Service level", "Longest wait", "Abandoned calls today"):
        assert text in english, text
    assert "服务水平" not in english
    chinese = signed_in("1001").get("/desk/console/").content.decode()
    assert "服务水平" in chinese and "Service level" not in chinese


def test_websocket_refusals_come_in_the_connected_persons_language(server, operator, outsider):
    do_set_language(operator, language="en")
    for who, reason in (
        ("3001", "You are not allowed to use the supervisor console."),
        ("5999", "您没有使用班长席的权限。"),
    ):
        desk = Desk(server, "/ws/desk/wallboard/", who).open()
        try:
            wait_until(lambda d=desk: d.closed is not None)
            assert desk.of_type("refused")[0]["message"] == reason
        finally:
            desk.close()


def test_websocket_command_errors_come_in_the_connected_persons_language(
    server, operator, other_operator
):
    do_set_language(operator, language="en")
    log_on("7", "3001")
    log_on("8", "3005")
    english = Desk(server, "/ws/desk/seat/7/", "3001").open()
    chinese = Desk(server, "/ws/desk/seat/8/", "3005").open()
    try:
        wait_until(lambda: english.of_type("snapshot") and chinese.of_type("snapshot"))
        no_reason = {"command": "set_not_ready"}
        assert english.command("command", no_reason)["error"] == {
            "code": "seat.reason_required",
            "message": "Please choose a not-ready reason.",
        }
        assert chinese.command("command", no_reason)["error"]["message"] == "请选择示忙原因。"
        # A refusal the switch itself makes, with the seat's state named in English.
        answer = english.command("command", {"command": "end_wrap_up"})
        assert answer["error"]["message"] == 'Seat 7 is "Ready" and cannot do this now.'
    finally:
        english.close()
        chinese.close()


def test_the_javascript_catalogue_translates_desk_js_for_english_only(operator):
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    catalogue = english.get("/jsi18n/").content.decode()
    for source, text in (("示忙", "Not ready"), ("连接中断，正在重连…", "Connection lost")):
        assert source.encode("unicode_escape").decode() in catalogue or source in catalogue
        assert text in catalogue, text
    assert "Not ready" not in Client().get("/jsi18n/").content.decode()
