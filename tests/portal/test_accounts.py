"""Customer accounts: sign-up with e-mail verification, log-on with the X2 lock-out,
password reset, and "my requests" = the unit's requests."""

from __future__ import annotations

import re

from django.core import mail

from kefu.accounts.models import AccountKind, User
from kefu.portal.models import PortalProfile
from tests.conftest import PASSWORD
from tests.portal.conftest import fault_form

SIGNUP = {
    "email": "Zhao@Example.com",
    "name": "李工",
    "phone": "13812345678",
    "unit_name": "山东电力",
    "password": "long-enough-pw-9",
    "website": "",
}


def _link(message: str) -> str:
    found = re.search(r"https?://[^/\s]+(/portal/\S+)", message)
    assert found, message
    return found.group(1)


def test_sign_up_verifies_by_email_and_links_the_directory_contact(client, world):
    page = client.post("/portal/signup/", SIGNUP).content.decode()
    assert "验证邮件已发送" in page
    user = User.objects.get(username="zhao@example.com")
    assert user.kind == AccountKind.CUSTOMER and not user.is_active
    client.get(_link(mail.outbox[0].body))
    profile = PortalProfile.objects.get(user=user)
    assert profile.verified_at is not None
    assert profile.contact == world["contact"] and profile.unit == world["unit"]
    logged = client.post(
        "/portal/logon/", {"email": "zhao@example.com", "password": SIGNUP["password"]}
    )
    assert logged.status_code == 302


def test_an_unverified_account_cannot_log_on(client, world):
    client.post("/portal/signup/", SIGNUP)
    page = client.post(
        "/portal/logon/", {"email": "zhao@example.com", "password": SIGNUP["password"]}
    )
    assert "尚未激活" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_known_phone_number_alone_links_to_no_unit(client, world):
    """Sign-up proves the e-mail only: typing a contact's mobile gives a unit of one's own."""
    client.post("/portal/signup/", {**SIGNUP, "email": "new@x.cn"})
    client.get(_link(mail.outbox[0].body))
    profile = PortalProfile.objects.get(user__username="new@x.cn")
    assert profile.unit.name == "山东电力" and profile.unit != world["unit"]


def test_a_tampered_verification_link_is_refused(client, world):
    client.post("/portal/signup/", SIGNUP)
    link = _link(mail.outbox[0].body)
    bad = link.rstrip("/")[:-3] + "zzz/"
    assert client.get(bad).status_code == 400
    assert PortalProfile.objects.get().verified_at is None


def test_staff_cannot_log_on_at_the_portal(client, operator):
    operator.email = "op@example.com"
    operator.save()
    page = client.post("/portal/logon/", {"email": "op@example.com", "password": PASSWORD})
    assert page.status_code == 200 and "_auth_user_id" not in client.session


def test_six_wrong_passwords_freeze_the_account_with_a_clear_message(client, portal_customer):
    for _ in range(6):
        client.post("/portal/logon/", {"email": "zhao@example.com", "password": "wrong-pw"})
    portal_customer.refresh_from_db()
    assert portal_customer.is_locked
    page = client.post("/portal/logon/", {"email": "zhao@example.com", "password": PASSWORD})
    assert "已被冻结" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(client, portal_customer):
    client.post("/portal/password/reset/", {"email": "zhao@example.com"})
    link = _link(mail.outbox[0].body)
    form = client.get(link, follow=True)
    action = form.redirect_chain[-1][0]
    new = {"new_password1": "brand-new-pw-7", "new_password2": "brand-new-pw-7"}
    assert client.post(action, new).status_code == 302
    portal_customer.refresh_from_db()
    assert portal_customer.check_password("brand-new-pw-7")


def test_password_reset_never_mails_staff(client, operator):
    operator.email = "op@example.com"
    operator.save()
    client.post("/portal/password/reset/", {"email": "op@example.com"})
    assert not mail.outbox


def test_my_requests_are_the_units_requests_only(client, world, portal_customer):
    client.post("/portal/submit/fault/", fault_form(subject="别家的故障", unit_name="外单位"))
    client.post("/portal/logon/", {"email": "zhao@example.com", "password": PASSWORD})
    mine = fault_form(subject="本单位的故障")
    del mine["unit_name"]
    client.post("/portal/submit/fault/", mine)
    page = client.get("/portal/mine/").content.decode()
    assert "本单位的故障" in page and "别家的故障" not in page
