"""Which requests a portal visitor may see. Anything else is ``RequestNotFound`` — the same
answer whether the number does not exist or the phone does not match, so nothing leaks."""

from __future__ import annotations

from django.db.models import QuerySet

from kefu.accounts.models import AccountKind, User
from kefu.directory.access import phone_key
from kefu.portal.errors import RequestNotFound
from kefu.portal.models import PortalProfile
from kefu.service.models import ServiceRequest


def profile_of(user: User) -> PortalProfile | None:
    if not user.is_authenticated or user.kind != AccountKind.CUSTOMER:
        return None
    return PortalProfile.objects.select_related("unit", "contact").filter(user=user).first()


def unit_requests(user: User) -> QuerySet[ServiceRequest]:
    """All requests of the logged-on customer's unit (none when unverified or unlinked)."""
    profile = profile_of(user)
    if profile is None or profile.verified_at is None or profile.unit_id is None:
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(customer_unit_id=profile.unit_id)
        .select_related("status")
        .order_by("-created_at")
    )


def request_by_number_and_phone(number: str, phone: str) -> ServiceRequest:
    key = phone_key(phone or "")
    number = (number or "").strip().upper()
    if not key or not number:
        raise RequestNotFound(number)
    found = (
        ServiceRequest.objects.select_related("status")
        .filter(number=number, phone_normalized=key)
        .first()
    )
    if found is None:
        raise RequestNotFound(number)
    return found


def request_for_user(user: User, number: str) -> ServiceRequest:
    found = unit_requests(user).filter(number=(number or "").strip().upper()).first()
    if found is None:
        raise RequestNotFound(number)
    return found
