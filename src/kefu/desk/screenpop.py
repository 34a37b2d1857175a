"""The caller's screen (F11): who is calling, their requests, their equipment.

Everything is fetched through the owning apps' access modules: contacts by number
(``kefu.directory.access.find_contacts_by_phone``) and requests the operator may see
(``kefu.service.access.visible_requests``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from kefu.accounts.models import User
from kefu.directory.access import find_contacts_by_phone, phone_key
from kefu.directory.models import CustomerContact, CustomerUnit, Equipment
from kefu.service.access import may_see_requests, visible_requests
from kefu.service.models import RequestKind, ServiceRequest
from kefu.service.models.workflow import ACTIVE_GROUPS

RECENT = 5


@dataclass
class ScreenPop:
    call: dict[str, Any]
    contacts: list[CustomerContact] = field(default_factory=list)
    units: list[CustomerUnit] = field(default_factory=list)
    open_requests: list[ServiceRequest] = field(default_factory=list)
    recent_requests: list[ServiceRequest] = field(default_factory=list)
    equipment: list[Equipment] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return bool(self.contacts)


def screen_pop(viewer: User, call: dict[str, Any]) -> ScreenPop:
    caller = str(call.get("caller", ""))
    contacts = list(find_contacts_by_phone(caller)[:10]) if caller else []
    units = list({contact.unit_id: contact.unit for contact in contacts}.values())
    pop = ScreenPop(call=call, contacts=contacts, units=units, kinds=list(RequestKind.choices))
    if may_see_requests(viewer):
        where = Q(customer_unit__in=units) if units else Q(pk__in=[])
        key = phone_key(caller)
        if key:
            where |= Q(phone_normalized=key)
        rows = (
            visible_requests(viewer).filter(where).select_related("status").order_by("-created_at")
        )
        pop.open_requests = list(rows.filter(status__group__in=ACTIVE_GROUPS)[:20])
        pop.recent_requests = list(rows.exclude(status__group__in=ACTIVE_GROUPS)[:RECENT])
    if units:
        pop.equipment = list(Equipment.objects.filter(owner__in=units).order_by("code")[:20])
    return pop
