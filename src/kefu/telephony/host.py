"""The host's answers to the switch: what the engine asks of the outside world besides
telephony (X1, X2, X3, X12, S13).

All synchronous Django code, run on the runner's database thread:

* :meth:`HostServices.classify` — long distance (by number and trunk) and VIP (the caller's
  customer unit is marked important) for each incoming call;
* :meth:`HostServices.check_pin` — a phone PIN against ``PhoneCredential``; the consecutive
  wrong count is durable and comes back to the engine, which decides the freeze (X2);
* :meth:`HostServices.freeze` and :meth:`HostServices.send_warning` — the freeze and the
  "password error risk" SMS (X3) through ``kefu.service.sms``;
* :meth:`HostServices.lookup` — self-service: a request's status by its number (X1);
* :meth:`HostServices.skills` — an employee's skills at log-on (X12).
"""

from __future__ import annotations

import logging
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.switch.engine import commands as cmd
from kefu.telephony.longdistance import LongDistanceRule
from kefu.telephony.models import AgentSkill, PhoneCredential

log = logging.getLogger(__name__)

REQUEST_STATUS = "request_status"


def sms_templates() -> dict[str, str]:
    return {
        "pin_error_risk": _(
            "【客服中心】您的电话自助服务密码已连续多次输入错误，电话自助服务已冻结。"
            "如非本人操作，请尽快联系我们。"
        ),
    }


class HostServices:
    def __init__(self, rule: LongDistanceRule | None = None) -> None:
        self.rule = rule or LongDistanceRule()

    def classify(self, message: cmd.IncomingCall) -> cmd.IncomingCall:
        far = message.long_distance or self.rule.applies(message.caller, message.trunk)
        vip = message.vip or self._vip(message.caller)
        return message._replace(long_distance=far, vip=vip)

    def _vip(self, caller: str) -> bool:
        from kefu.directory.access import find_contacts_by_phone

        return any(contact.unit.vip for contact in find_contacts_by_phone(caller)[:5])

    def check_pin(self, customer: str, pin: str) -> tuple[bool, int, bool, bool]:
        """(ok, consecutive failures after this attempt, frozen before it, VIP)."""
        with transaction.atomic():
            found = (
                PhoneCredential.objects.select_for_update()
                .select_related("unit")
                .filter(customer_number=customer)
                .first()
            )
            if found is None:
                return False, 0, False, False
            if found.frozen:
                return False, found.wrong_count, True, False
            ok = found.pin_matches(pin)
            found.wrong_count = 0 if ok else found.wrong_count + 1
            found._change_reason = "电话密码校验"  # type: ignore[attr-defined]
            found.save(update_fields=["wrong_count"])
            return ok, found.wrong_count, False, ok and found.unit.vip

    def freeze(self, customer: str) -> None:
        with transaction.atomic():
            found = PhoneCredential.objects.select_for_update().filter(customer_number=customer)
            row = found.first()
            if row is not None and row.frozen_at is None:
                row.frozen_at = timezone.now()
                row._change_reason = "连续输错密码，冻结电话自助"  # type: ignore[attr-defined]
                row.save(update_fields=["frozen_at"])

    def send_warning(self, customer: str, template: str) -> bool:
        from kefu.service.sms import send_sms

        row = (
            PhoneCredential.objects.select_related("contact", "unit")
            .filter(customer_number=customer)
            .first()
        )
        if row is None:
            return False
        number = ""
        if row.contact is not None:
            number = row.contact.mobile or row.contact.phone
        number = number or row.unit.phone
        text = sms_templates().get(template)
        if not number or text is None:
            log.warning("no SMS for customer %s (template %s)", customer, template)
            return False
        return send_sms(number, text).ok

    def lookup(self, service: str, query: str) -> tuple[str, ...]:
        if service != REQUEST_STATUS:
            return ("service_unavailable",)
        from kefu.service.models import ServiceRequest

        digits = re.sub(r"\D", "", query)
        if not digits:
            return ("request_not_found",)
        rows = ServiceRequest.objects.select_related("status").order_by("-created_at")
        found = rows.filter(file_number=digits).first() or (
            rows.filter(number__regex=rf"^[A-Z]+{digits}$").first()
        )
        if found is None:
            return ("request_not_found",)
        return ("request_found", f"status_{found.status.code}")

    def skills(self, employee_id: str) -> tuple[tuple[str, int], ...]:
        rows = AgentSkill.objects.filter(employee__username=employee_id)
        return tuple(rows.values_list("skill", "level"))
