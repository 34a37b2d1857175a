"""The host's answers to the engine: self-service request status (X1), long distance and VIP
per incoming call (S13, X12), skills at log-on."""

from __future__ import annotations

from tests.service.conftest import accept, directory  # noqa: F401  (fixtures)

from kefu.switch.engine import commands as c
from kefu.telephony.host import HostServices
from kefu.telephony.longdistance import LongDistanceRule
from kefu.telephony.models import AgentSkill


def test_self_service_tells_a_requests_status_by_its_number(accept, operator):  # noqa: F811
    request = accept("consultation", operator)
    host = HostServices()
    found = ("request_found", f"status_{request.status.code}")
    assert host.lookup("request_status", request.file_number) == found
    assert host.lookup("request_status", request.number[2:]) == found
    assert host.lookup("request_status", "999999999") == ("request_not_found",)
    assert host.lookup("request_status", "") == ("request_not_found",)
    assert host.lookup("weather", "1") == ("service_unavailable",)


def test_incoming_calls_are_classified_by_number_trunk_and_customer(directory):  # noqa: F811
    contact = directory["contact"]
    contact.unit.vip = True
    contact.unit.save()
    host = HostServices(LongDistanceRule(area_code="010", trunks=frozenset({"ld"})))
    number = contact.mobile or contact.phone
    vip = host.classify(c.IncomingCall("c1", number))
    assert vip.vip and not vip.long_distance
    far = host.classify(c.IncomingCall("c2", "021-66668888"))
    assert far.long_distance and not far.vip
    assert host.classify(c.IncomingCall("c3", "88881234", trunk="ld")).long_distance


def test_an_employees_skills_go_with_the_log_on(operator):
    AgentSkill.objects.create(employee=operator, skill="vip", level=2)
    assert HostServices().skills(operator.username) == (("vip", 2),)
