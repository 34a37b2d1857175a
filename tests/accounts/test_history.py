"""The cached history descriptor (kefu.accounts.history) behaves like simple_history's own."""

from __future__ import annotations

import pytest

from kefu.accounts.history import CachedHistoryDescriptor
from kefu.service.models import ServiceRequest, Status
from kefu.sla.models import SlaClock


def test_hot_models_use_the_cached_descriptor():
    for model in (ServiceRequest, Status, SlaClock):
        assert isinstance(model.__dict__["history"], CachedHistoryDescriptor)


@pytest.mark.django_db
def test_history_is_written_and_read_per_instance_and_per_model():
    status = Status.objects.create(code="triage", name="待分拣", group="open")
    status.name = "分拣中"
    status._change_reason = "改名"
    status.save()
    assert [h.name for h in status.history.order_by("history_id")] == ["待分拣", "分拣中"]
    assert status.history.first().history_change_reason == "改名"
    assert Status.history.filter(code="triage").count() == 2
    assert Status.history.model is not Status.history.model.instance_type
