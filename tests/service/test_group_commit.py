"""Acceptances written together (group commit, kefu.service.actions.accept): one transaction
with bulk inserts gives the same rows as writing each alone (numbers, detail, history, timeline,
report marks), a faulty one fails alone, and a new listener of the saves that bulk inserts skip
turns the bulk path off rather than being missed."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test import override_settings
from django.utils import timezone

from kefu.reports.models import DirtyRequest
from kefu.service.actions import NewRequest, do_create_request
from kefu.service.actions import accept as accept_module
from kefu.service.bulk import bulk_writable
from kefu.service.errors import InvalidInput
from kefu.service.models import FaultDetail, ProposalDetail, RequestEvent, ServiceRequest

pytestmark = pytest.mark.django_db(transaction=True)


class Held:
    """Stands in for the process's group commit: keeps the prepared acceptances."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def submit(self, item: Any) -> Any:
        self.items.append(item)
        return item.request


def prepared(monkeypatch, directory, operator, kinds: list[str]) -> list[Any]:
    held = Held()
    before = ServiceRequest.objects.count()
    monkeypatch.setattr(accept_module, "_ACCEPTANCES", held)
    for kind in kinds:
        details: dict[str, Any] = {}
        if kind == "fault":
            details = {
                "soft_hard": "hardware",
                "equipment": directory["in_warranty"],
                "phenomenon": directory["phenomenon"],
                "reported_on": timezone.localdate(),
            }
        do_create_request(
            operator,
            NewRequest(
                kind=kind,
                channel="phone",
                subject=f"{kind} 主题",
                content="内容",
                contact=directory["contact"],
                details=details,
            ),
        )
    assert ServiceRequest.objects.count() == before  # read and checked, nothing written yet
    return held.items


def test_the_installed_listeners_allow_bulk_writes_and_a_new_one_stops_them():
    assert bulk_writable()

    def listener(**kwargs: Any) -> None:
        pass

    post_save.connect(listener, sender=FaultDetail)
    try:
        assert not bulk_writable()
    finally:
        post_save.disconnect(listener, sender=FaultDetail)
    assert bulk_writable()


@override_settings(KEFU_REPORTS_LIVE=False)
def test_a_batch_writes_what_writing_each_alone_writes(monkeypatch, directory, operator):
    batch = prepared(monkeypatch, directory, operator, ["fault", "consultation", "fault"])
    outcomes = accept_module._write_batch(batch)
    assert all(isinstance(o, ServiceRequest) for o in outcomes)
    rows = list(ServiceRequest.objects.order_by("pk"))
    assert len(rows) == 3
    assert len({r.number for r in rows}) == 3 and len({(r.kind, r.file_number) for r in rows}) == 3
    assert [r.kind for r in rows] == ["fault", "consultation", "fault"]
    assert FaultDetail.objects.filter(request__in=rows).count() == 2
    assert ProposalDetail.objects.filter(request=rows[1]).exists()
    fault = FaultDetail.objects.get(request=rows[0])
    assert fault.under_warranty is True and fault.equipment == directory["in_warranty"]
    for row in rows:
        (history,) = row.history.all()
        assert (history.history_type, history.history_user, history.history_change_reason) == (
            "+",
            operator,
            "受理",
        )
        assert history.number == row.number
        (event,) = RequestEvent.objects.filter(request=row)
        assert event.kind == "created" and event.actor == operator
    (detail_history,) = FaultDetail.history.filter(request_id=rows[2].pk)
    assert detail_history.history_user == operator
    assert set(DirtyRequest.objects.values_list("request_id", flat=True)) == {r.pk for r in rows}

    # One acceptance written alone afterwards has the same kinds of rows.
    alone = accept_module._write_batch(prepared(monkeypatch, directory, operator, ["fault"])[:1])[0]
    assert alone.history.count() == 1 and RequestEvent.objects.filter(request=alone).count() == 1


def test_a_faulty_acceptance_fails_alone(monkeypatch, directory, operator):
    batch = prepared(monkeypatch, directory, operator, ["fault", "consultation", "fault"])
    gone = directory["expired"]  # referenced by the last one only, then deleted meanwhile
    batch[2].detail.equipment = gone
    type(gone).objects.filter(pk=gone.pk).delete()
    outcomes = accept_module._write_batch(batch)
    assert isinstance(outcomes[0], ServiceRequest) and isinstance(outcomes[1], ServiceRequest)
    assert isinstance(outcomes[2], InvalidInput)
    assert "equipment" in outcomes[2].errors
    assert ServiceRequest.objects.count() == 2
    assert ServiceRequest.history.count() == 2 and RequestEvent.objects.count() == 2
    numbers = set(ServiceRequest.objects.values_list("number", flat=True))
    assert numbers == {outcomes[0].number, outcomes[1].number}


def test_concurrent_acceptances_all_land_once(directory, make_staff):
    people = [make_staff(f"30{n:02d}", role="operator") for n in range(6)]
    errors: list[BaseException] = []

    def work(actor: Any) -> None:
        try:
            for _ in range(5):
                do_create_request(
                    actor,
                    NewRequest(
                        kind="consultation",
                        channel="phone",
                        subject="并发",
                        content="内容",
                        contact=directory["contact"],
                        details={},
                    ),
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert ServiceRequest.objects.count() == 30
    assert ServiceRequest.objects.values("number").distinct().count() == 30
    assert ServiceRequest.history.count() == 30 and RequestEvent.objects.count() == 30


def test_a_failing_after_commit_hook_does_not_write_the_batch_twice(
    monkeypatch, directory, operator
):
    from kefu.service.events import request_event_committed

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("push to the desks failed")

    batch = prepared(monkeypatch, directory, operator, ["consultation", "fault"])
    request_event_committed.connect(broken, dispatch_uid="test.broken")
    try:
        outcomes = accept_module._write_batch(batch)
    finally:
        request_event_committed.disconnect(dispatch_uid="test.broken")
    assert all(isinstance(o, ServiceRequest) for o in outcomes)
    assert ServiceRequest.objects.count() == 2  # committed once, not written again
    assert RequestEvent.objects.count() == 2
