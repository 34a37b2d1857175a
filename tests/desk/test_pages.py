"""The seat page: log-on with the password, the mid-shift swap, log-off; the caller's screen;
the console's settings applied live and kept in the audit history."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.directory.models import CustomerContact
from kefu.telephony import client
from kefu.telephony.models import ConfigChange, SwitchSettings
from tests.conftest import PASSWORD
from tests.desk.server import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(username: str) -> Client:
    browser = Client()
    assert browser.login(username=username, password=PASSWORD)
    return browser


def seat(number: str) -> dict:
    return client.snapshot_sync("wallboard")["seats"].get(number, {})


def test_log_on_checks_the_password_then_swap_then_log_off(server, operator, other_operator):
    browser = signed_in("3001")
    page = browser.post("/desk/seat/", {"seat": "7", "employee": "3001", "password": "wrong"})
    assert "工号或密码不正确。" in page.content.decode()
    assert seat("7").get("state", "logged_off") == "logged_off"
    page = browser.post("/desk/seat/", {"seat": "7", "employee": "3001", "password": PASSWORD})
    assert page.status_code == 302
    assert seat("7")["employee_id"] == "3001"
    page = browser.get("/desk/seat/")
    assert 'id="seat-number">7<' in page.content.decode()
    # The colleague of the next shift takes the seat at the same browser.
    page = browser.post("/desk/seat/", {"seat": "7", "employee": "3005", "password": PASSWORD})
    assert page.status_code == 302
    assert seat("7")["employee_id"] == "3005"
    assert '<span id="who-name">3005 黄磊</span>' in browser.get("/desk/seat/").content.decode()
    assert browser.post("/desk/seat/log-off/").status_code == 302
    assert seat("7")["state"] == "logged_off"


def test_someone_logged_on_elsewhere_gets_the_switchs_reason(server, operator):
    assert client.submit_sync({"command": "log_on", "seat_id": "8", "employee_id": "3001"}).ok
    page = signed_in("3001").post(
        "/desk/seat/", {"seat": "7", "employee": "3001", "password": PASSWORD}
    )
    assert "员工 3001 已在坐席 8 登录，请先在那里退出。" in page.content.decode()


def test_the_screen_pop_shows_the_caller_their_requests_and_equipment(
    server, operator, directory, accept
):
    open_request = accept("fault", operator, subject="服务器死机")
    assert client.submit_sync({"command": "log_on", "seat_id": "7", "employee_id": "3001"}).ok
    call_id = client.inject_call_sync("13812345678", dialled="4008001234", keys=("2",))
    wait_until(lambda: seat("7").get("state") == "ringing", timeout=30)
    page = signed_in("3001").get(f"/desk/pop/{call_id}/").content.decode()
    for text in (
        "13812345678",
        "山东电力公司",
        "赵工",
        open_request.number,
        "服务器死机",
        "保修期内",
        "不在保修期",
    ):
        assert text in page, text
    assert f"/requests/new/complaint/?call={call_id}&amp;phone=13812345678" in page


def test_an_unknown_caller_gets_the_new_customer_form(server, operator):
    assert client.submit_sync({"command": "log_on", "seat_id": "7", "employee_id": "3001"}).ok
    call_id = client.inject_call_sync("13700000000", keys=("2",))
    wait_until(lambda: seat("7").get("state") == "ringing", timeout=30)
    browser = signed_in("3001")
    assert "登记新客户" in browser.get(f"/desk/pop/{call_id}/").content.decode()
    page = browser.post(f"/desk/pop/{call_id}/", {"unit_name": "", "contact_name": "钱工"})
    assert "请填写客户单位和联系人。" in page.content.decode()
    page = browser.post(f"/desk/pop/{call_id}/", {"unit_name": "青岛港", "contact_name": "钱工"})
    assert "青岛港" in page.content.decode() and "钱工" in page.content.decode()
    assert CustomerContact.objects.get(name="钱工").phone == "13700000000"


def test_console_settings_are_applied_live_and_audited(server, supervisor, operator):
    browser = signed_in("2001")
    form = browser.get("/desk/console/").context["settings_form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(part="settings", ring_timeout=25)
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    assert browser.post("/desk/console/settings/", data).status_code == 302
    assert SwitchSettings.load().ring_timeout == 25
    change = ConfigChange.objects.latest("at")
    assert change.actor.username == "2001" and "ring_timeout" in change.summary
    assert SwitchSettings.history.filter(ring_timeout=25).exists()
    wait_until(lambda: client.snapshot_sync("wallboard")["config"]["version"] == str(change.pk))
    refused = signed_in("3001").post("/desk/console/settings/", {**data, "ring_timeout": 5})
    assert refused.status_code == 403
