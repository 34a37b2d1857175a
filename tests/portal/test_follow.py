"""Following a request without an account: number + phone, replies, notes, attachments,
survey; a wrong phone learns nothing."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kefu.portal.models import CustomerAttachment, CustomerNote
from kefu.service.actions import ReplyInput, do_reply
from kefu.service.models import RequestEvent, Survey

NOT_FOUND = "没有找到与该受理号和电话相符的请求"


def reply(request, actor, text: str, *, outcome: str = "informed") -> None:
    now = timezone.now()
    do_reply(
        request,
        actor,
        ReplyInput(
            channel="callback",
            content=text,
            started_at=now - datetime.timedelta(minutes=2),
            ended_at=now,
            outcome=outcome,
            final=False,
        ),
    )


def test_number_and_phone_show_status_and_replies_meant_for_the_customer(
    client, submitted, back_office
):
    reply(submitted, back_office, "已安排工程师明天上门")
    reply(submitted, back_office, "内部：电话无人接听", outcome="no_answer")
    response = client.post(
        "/portal/follow/", {"number": submitted.number.lower(), "phone": "137-0000-2222"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert submitted.status.name in page
    assert "已安排工程师明天上门" in page
    assert "电话无人接听" not in page


def test_wrong_phone_and_unknown_number_give_the_same_answer(client, submitted):
    wrong = client.post("/portal/follow/", {"number": submitted.number, "phone": "13900000000"})
    unknown = client.post("/portal/follow/", {"number": "GZ2001010001", "phone": "13700002222"})
    assert wrong.status_code == unknown.status_code == 200
    assert NOT_FOUND in wrong.content.decode() and NOT_FOUND in unknown.content.decode()
    assert submitted.subject not in wrong.content.decode()


def test_the_request_page_is_404_without_the_phone_check(client, submitted):
    client.cookies.clear()
    fresh = client.get(f"/portal/requests/{submitted.number}/")
    assert fresh.status_code == 404
    note = client.post(f"/portal/requests/{submitted.number}/note/", {"text": "x"})
    assert note.status_code == 404
    assert not CustomerNote.objects.exists()


def _follow(client, request) -> None:
    client.cookies.clear()
    client.post("/portal/follow/", {"number": request.number, "phone": "13700002222"})


def test_customer_adds_a_note_and_it_reaches_the_timeline(client, submitted):
    _follow(client, submitted)
    client.post(f"/portal/requests/{submitted.number}/note/", {"text": "机器型号 X200"})
    assert CustomerNote.objects.get(request=submitted).text == "机器型号 X200"
    assert RequestEvent.objects.filter(request=submitted, text__contains="X200").exists()
    page = client.get(f"/portal/requests/{submitted.number}/").content.decode()
    assert "机器型号 X200" in page


def test_attachments_are_checked_for_type_content_and_size(client, submitted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KEFU_PORTAL_ATTACHMENT_MAX_BYTES = 1024
    _follow(client, submitted)
    url = f"/portal/requests/{submitted.number}/attachment/"
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    ok = client.post(url, {"file": SimpleUploadedFile("屏幕.png", png)}, follow=True)
    assert "附件已上传" in ok.content.decode()
    exe = client.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ..")}, follow=True)
    assert "不支持此文件类型" in exe.content.decode()
    fake = client.post(url, {"file": SimpleUploadedFile("b.png", b"<script>")}, follow=True)
    assert "文件内容与扩展名不符" in fake.content.decode()
    big = client.post(url, {"file": SimpleUploadedFile("c.txt", b"a" * 2048)}, follow=True)
    assert "文件太大" in big.content.decode()
    assert [a.name for a in CustomerAttachment.objects.all()] == ["屏幕.png"]


def test_an_open_survey_is_linked_from_the_request_page(client, submitted):
    survey = Survey.objects.create(request=submitted)
    _follow(client, submitted)
    page = client.get(f"/portal/requests/{submitted.number}/").content.decode()
    assert f"/survey/{survey.token}/" in page


def test_the_submitter_can_open_the_request_right_after_submitting(client, submitted):
    assert client.get(f"/portal/requests/{submitted.number}/").status_code == 200


def test_attachments_download_for_the_customer_and_staff_who_see_the_request(
    client, submitted, settings, tmp_path, manager
):
    settings.MEDIA_ROOT = tmp_path
    _follow(client, submitted)
    png = b"\x89PNG\r\n\x1a\n" + b"1" * 50
    url = f"/portal/requests/{submitted.number}/attachment/"
    client.post(url, {"file": SimpleUploadedFile("图.png", png)})
    row = CustomerAttachment.objects.get()
    link = f"/portal/requests/{submitted.number}/files/{row.pk}/"
    got = client.get(link)
    assert got.status_code == 200 and b"".join(got.streaming_content) == png
    assert got["Content-Security-Policy"] == "sandbox"
    assert "attachment" in got["Content-Disposition"]
    client.cookies.clear()
    assert client.get(link).status_code == 404
    client.force_login(manager)
    assert client.get(link).status_code == 200


def test_staff_see_the_customers_notes_and_files_on_the_request_page(
    client, submitted, settings, tmp_path, manager
):
    settings.MEDIA_ROOT = tmp_path
    _follow(client, submitted)
    client.post(f"/portal/requests/{submitted.number}/note/", {"text": "<b>型号 X200</b>"})
    png = b"\x89PNG\r\n\x1a\n" + b"2" * 50
    client.post(
        f"/portal/requests/{submitted.number}/attachment/",
        {"file": SimpleUploadedFile("铭牌.png", png)},
    )
    row = CustomerAttachment.objects.get()
    client.cookies.clear()
    client.force_login(manager)
    page = client.get(f"/requests/{submitted.pk}/").content.decode()
    assert 'id="customer-additions"' in page
    assert "&lt;b&gt;型号 X200&lt;/b&gt;" in page  # escaped, never rendered as markup
    assert f"/portal/requests/{submitted.number}/files/{row.pk}/" in page
    assert "铭牌.png" in page
