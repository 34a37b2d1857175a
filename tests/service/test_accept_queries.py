"""What one acceptance through the API costs in queries, and the configuration it reads from
the per-process caches (kefu.service.config, kefu.accounts.cached, kefu.numbering.service,
kefu.sla.loading) rather than from the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from tests.accounts.test_generations import another_process_bumps
from tests.service.test_api import fault_payload

from kefu.accounts.models import ApiToken
from kefu.service.config import STATUSES, WEBHOOKS
from kefu.service.models import ServiceRequest, Status, Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"

# Read once per process, never per acceptance.
CACHED_TABLES = (
    "auth_permission",
    "accounts_team",
    "numbering_recordtype",
    "service_status",
    "service_webhook",
    "sla_slapolicy",
    "sla_workingwindow",
    "sla_calendarday",
    "sla_escalationlevel",
)
# A request just accepted has none of these: the response does not read them back.
NEVER_READ = ("service_reply", "service_workorder")


def token_client(user) -> Client:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="t", prefix=key[:8], digest=ApiToken.digest_of(key))
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def accept(client: Client, **overrides) -> dict:
    response = client.post(URL, fault_payload(**overrides), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def captured_accept(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        accept(client)
    return [q["sql"] for q in captured.captured_queries]


@override_settings(KEFU_REPORTS_LIVE=False)
def test_an_acceptance_reads_no_configuration_and_costs_at_most_its_writes(operator, directory):
    client = token_client(operator)
    accept(client)  # the first one fills the caches
    sql = captured_accept(client)
    joined = "\n".join(sql)
    for table in (*CACHED_TABLES, *NEVER_READ):
        assert f'FROM "{table}"' not in joined, table
    # One transaction (here a savepoint inside the test's transaction), none nested in it.
    assert sum(s.startswith("SAVEPOINT") for s in sql) == 1
    assert sum("accounts_configgeneration" in s for s in sql) == 1
    # Token, unit, equipment, phenomenon, config tokens, contact; two counters; request,
    # detail and their history rows; the timeline row; the transaction's begin and end.
    # The roll-up's own dirty marks (kefu.reports) are counted by its tests, not here.
    ours = [s for s in sql if "reports_" not in s]
    assert len(ours) <= 15, "\n".join(ours)


def test_a_new_initial_status_is_used_by_the_next_acceptance(operator, directory):
    client = token_client(operator)
    assert accept(client)["status"]["code"] == "new"
    old = Status.objects.get(initial=True)
    old.initial = False
    old.save()
    Status.objects.create(code="triage", name="待分拣", group="open", initial=True)
    assert accept(client)["status"]["code"] == "triage"
    assert ServiceRequest.objects.filter(status__code="triage").count() == 1


def test_a_status_renamed_by_another_process_is_seen_by_the_next_acceptance(operator, directory):
    client = token_client(operator)
    assert accept(client)["status"]["name"] == "待处理"
    Status.objects.filter(initial=True).update(name="新受理")  # no signal in this process
    another_process_bumps(STATUSES)
    assert accept(client)["status"]["name"] == "新受理"


def test_a_webhook_added_by_another_process_gets_the_next_acceptance(operator, directory):
    client = token_client(operator)
    accept(client)
    Webhook.objects.bulk_create([Webhook(name="crm", url="http://127.0.0.1:9/", secret="s")])
    another_process_bumps(WEBHOOKS)
    number = accept(client)["number"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "request.created" and delivery.payload["number"] == number


def test_a_webhook_switched_off_gets_nothing_more(operator, directory):
    hook = Webhook.objects.create(name="crm", url="http://127.0.0.1:9/", secret="s")
    client = token_client(operator)
    accept(client)
    hook.active = False
    hook.save()
    accept(client)
    assert WebhookDelivery.objects.count() == 1
