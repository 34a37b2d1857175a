"""Public pages: catalogue, product detail, knowledge search, submission of W2–W5."""

from __future__ import annotations

from django.core import mail

from kefu.knowledge.models import SearchImpression
from kefu.service.models import Channel, ServiceRequest, SmsMessage
from tests.portal.conftest import fault_form


def test_catalogue_lists_products_and_the_detail_shows_every_f13_field(client, world):
    page = client.get("/portal/products/", {"q": "客服"}).content.decode()
    assert "客服系统 KF100" in page
    detail = client.get("/portal/products/KF100/").content.decode()
    for text in ("呼叫排队、工单", "500 并发座席", "19800.00", "7×24 小时热线", "一年免费保修"):
        assert text in detail


def test_unknown_or_inactive_product_is_404(client, world):
    world["product"].active = False
    world["product"].save()
    assert client.get("/portal/products/KF100/").status_code == 404
    assert client.get("/portal/products/NOPE/").status_code == 404


def test_knowledge_search_finds_a_two_character_word_inside_a_phrase(client, articles):
    page = client.get("/portal/knowledge/", {"q": "卡纸"}).content.decode()
    assert "<mark>卡纸</mark>" in page
    assert SearchImpression.objects.filter(channel="portal").count() == 1


def test_knowledge_never_shows_internal_articles(client, articles):
    page = client.get("/portal/knowledge/", {"q": "E102"}).content.decode()
    assert "内部排障手册" not in page
    assert client.get(f"/portal/knowledge/{articles[1].pk}/").status_code == 404
    assert client.get(f"/portal/knowledge/{articles[0].pk}/").status_code == 200


def test_suggestions_come_from_the_public_api(client, articles):
    rows = client.get("/api/v1/portal/knowledge/suggest", {"q": "打印机卡"}).json()
    assert rows and rows[0]["id"] == articles[0].pk


def test_anonymous_fault_gets_a_number_at_once_and_an_sms(client, world):
    response = client.post("/portal/submit/fault/", fault_form(), follow=True)
    created = ServiceRequest.objects.get()
    assert created.channel == Channel.WEB
    assert created.number in response.content.decode()
    assert created.customer_unit.name == "济南供水公司"
    sms = SmsMessage.objects.get(request=created)
    assert created.number in sms.text and sms.to.endswith("13700002222")


def test_the_phone_is_required_so_the_customer_can_follow_up(client, world):
    page = client.post("/portal/submit/suggestion/", fault_form(phone="", soft_hard=""))
    assert "这个字段是必填项" in page.content.decode() or "required" in page.content.decode()
    assert not ServiceRequest.objects.exists()


def test_when_the_sms_gateway_refuses_the_confirmation_goes_by_email(client, world, settings):
    settings.KEFU_SMS_BACKEND = "http"
    settings.KEFU_SMS_URL = "http://127.0.0.1:9/"  # discard port: nothing listens
    settings.KEFU_SMS_TIMEOUT = 2
    client.post("/portal/submit/suggestion/", fault_form(soft_hard=""))
    created = ServiceRequest.objects.get()
    assert not SmsMessage.objects.get(request=created).ok
    assert len(mail.outbox) == 1
    assert created.number in mail.outbox[0].subject and mail.outbox[0].to == ["sun@example.com"]


def test_each_kind_is_accepted_with_its_own_fields(client, world):
    client.post(
        "/portal/submit/complaint/",
        fault_form(subject="态度差", complaint_kind="complaint", product=str(world["product"].pk)),
    )
    client.post("/portal/submit/suggestion/", fault_form(subject="增加夜间热线"))
    client.post(
        "/portal/submit/change/",
        fault_form(subject="增加报表", change_kind="add", reason="需要按月统计"),
    )
    kinds = set(ServiceRequest.objects.values_list("kind", flat=True))
    assert kinds == {"complaint", "suggestion", "change"}


def test_a_hardware_fault_needs_a_known_equipment_code(client, world):
    response = client.post("/portal/submit/fault/", fault_form(soft_hard="hardware"))
    assert "硬件故障请填写设备编码" in response.content.decode()
    response = client.post(
        "/portal/submit/fault/", fault_form(soft_hard="hardware", equipment_code="NOPE")
    )
    assert "没有找到该设备编码" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_answers_are_offered_first_and_submitting_anyway_marks_the_search_escalated(
    client, world, articles
):
    form = fault_form(subject="打印机卡纸", content="打印机老是卡纸")
    first = client.post("/portal/submit/fault/", form)
    page = first.content.decode()
    assert "这些答案也许能帮到您" in page
    assert not ServiceRequest.objects.exists()
    impression = SearchImpression.objects.get()
    assert str(impression.token) in page
    client.post("/portal/submit/fault/", {**form, "impression": str(impression.token)})
    created = ServiceRequest.objects.get()
    impression.refresh_from_db()
    assert impression.escalated_request == created.number


def test_logged_on_customer_sees_warranty_and_files_for_the_unit(client, world, portal_customer):
    from tests.conftest import PASSWORD

    client.post("/portal/logon/", {"email": "zhao@example.com", "password": PASSWORD})
    page = client.get("/portal/submit/fault/").content.decode()
    assert "EQ1" in page and "在保修期内" in page and "已过保修期" in page
    assert "EQ9" not in page  # another unit's equipment
    form = fault_form(soft_hard="hardware", equipment_code="EQ1")
    del form["unit_name"]
    client.post("/portal/submit/fault/", form)
    created = ServiceRequest.objects.get()
    assert created.customer_unit == world["unit"]
    assert created.fault.under_warranty is True
    foreign = fault_form(soft_hard="hardware", equipment_code="EQ9", subject="别人的设备")
    page = client.post("/portal/submit/fault/", foreign).content.decode()
    assert "没有找到该设备编码" in page


def test_a_forged_impression_token_does_not_stop_the_request(client, world):
    client.post("/portal/submit/suggestion/", fault_form(soft_hard="", impression="not-a-token"))
    assert ServiceRequest.objects.count() == 1
    assert not SearchImpression.objects.exclude(escalated_request="").exists()
