"""The demo SLA set-up loads twice without change and matches requests sensibly."""

from __future__ import annotations

from kefu.demo import sla as demo_sla
from kefu.sla.loading import match_policy
from kefu.sla.models import BusinessCalendar, EscalationLevel, SlaPolicy


def test_demo_loads_twice_without_duplicates_or_extra_history(db):
    demo_sla.load()
    counts = (
        BusinessCalendar.objects.count(),
        SlaPolicy.objects.count(),
        EscalationLevel.objects.count(),
        SlaPolicy.history.count(),
    )
    demo_sla.load()
    again = (
        BusinessCalendar.objects.count(),
        SlaPolicy.objects.count(),
        EscalationLevel.objects.count(),
        SlaPolicy.history.count(),
    )
    assert counts == again == (2, 5, 9, 5)


def test_demo_policies_match_by_kind_priority_and_customer_tier(db):
    demo_sla.load()

    def code(**criteria):
        criteria.setdefault("priority", "normal")
        criteria.setdefault("vip", False)
        return match_policy(customer_class_id=None, **criteria).code

    assert code(kind="fault", vip=True) == "vip-fault"
    assert code(kind="fault", priority="urgent") == "fault-urgent"
    assert code(kind="fault") == "fault"
    assert code(kind="complaint") == "complaint"
    assert code(kind="consultation") == "general"
    assert SlaPolicy.objects.get(code="vip-fault").calendar.code == "24x7"
    assert BusinessCalendar.objects.get(is_default=True).code == "office"


def test_demo_manager_levels_name_the_general_manager_not_the_administrator(db):
    from kefu.demo import staff

    staff.load()
    demo_sla.load()
    level = EscalationLevel.objects.get(policy__code="fault", target="manager")
    names = {person.username for person in level.people.all()}
    assert names == {"1001"}
    demo_sla.load()
    assert EscalationLevel.history.filter(id=level.pk).count() == 2  # created, people named
