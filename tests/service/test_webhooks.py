"""Webhooks: outbox rows written with the event, delivered signed over real HTTP, retried."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from kefu.service import events, webhooks
from kefu.service.actions import do_transition
from kefu.service.models import DeliveryState, ServiceRequest, Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(http_sink):
    return Webhook.objects.create(name="CRM", url=http_sink.url + "hook", secret="s3cret")


def test_each_request_event_is_put_in_the_outbox(hook, accept, operator, supervisor):
    request = accept("fault", operator)
    do_transition(request, "in_progress", supervisor)
    types = list(WebhookDelivery.objects.values_list("event_type", flat=True))
    assert types == ["request.created", "request.status_changed"]
    payload = WebhookDelivery.objects.first().payload
    assert payload["number"] == request.number and payload["kind"] == "fault"


def test_a_webhook_can_subscribe_to_some_events_only(http_sink, accept, operator, supervisor):
    Webhook.objects.create(name="only closes", url=http_sink.url, events=["request.closed"])
    accept("fault", operator)
    assert WebhookDelivery.objects.count() == 0


def test_delivery_is_signed_and_verifiable(hook, http_sink, accept, operator):
    request = accept("consultation", operator)
    call_command("deliver_webhooks", "--once")
    sent = http_sink.received[-1]
    assert sent["headers"]["X-Kefu-Event"] == "request.created"
    assert webhooks.verify("s3cret", sent["body"], sent["headers"]["X-Kefu-Signature"])
    assert not webhooks.verify("wrong", sent["body"], sent["headers"]["X-Kefu-Signature"])
    assert json.loads(sent["body"])["number"] == request.number
    assert WebhookDelivery.objects.get().state == DeliveryState.DELIVERED


def test_failures_are_retried_with_back_off_until_delivered(hook, http_sink, accept, operator):
    accept("consultation", operator)
    http_sink.status = 500
    now = timezone.now()
    assert webhooks.deliver_due(now=now) == (0, 1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.last_status == 500
    assert delivery.next_attempt_at == now + datetime.timedelta(seconds=30)
    assert webhooks.deliver_due(now=now + datetime.timedelta(seconds=10)) == (0, 0)  # not due
    webhooks.deliver_due(now=now + datetime.timedelta(seconds=31))
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + datetime.timedelta(seconds=31 + 60)
    http_sink.status = 200
    assert webhooks.deliver_due(now=now + datetime.timedelta(minutes=5)) == (1, 0)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 3


def test_gives_up_after_the_last_attempt(hook, accept, operator):
    hook.url = "http://127.0.0.1:9/unreachable"
    hook.save()
    accept("consultation", operator)
    moment = timezone.now()
    for _ in range(webhooks.MAX_ATTEMPTS):
        webhooks.deliver_due(now=moment)
        moment += webhooks.MAX_DELAY
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == webhooks.MAX_ATTEMPTS


def test_an_event_that_rolls_back_is_never_announced(hook, accept, operator, monkeypatch):
    from kefu.service.actions import accept as accept_module

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(accept_module, "_answer_at_once", crash)
    with pytest.raises(RuntimeError):
        accept("consultation", operator, answer_now="当场解答")
    assert ServiceRequest.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0


def test_committed_signal_fires_only_after_commit(
    accept, operator, django_capture_on_commit_callbacks
):
    seen = []

    def listener(sender, event, **kwargs):
        seen.append(event.type)

    events.request_event_committed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            accept("consultation", operator)
        assert seen == []
        for callback in callbacks:
            callback()
        assert seen == ["request.created"]
    finally:
        events.request_event_committed.disconnect(listener)
