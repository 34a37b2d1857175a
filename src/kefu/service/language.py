"""The language a customer reads: what texts sent to them (SMS, e-mail) are written in."""

from __future__ import annotations

from django.conf import settings

from kefu.accounts.models import User
from kefu.service.models import ServiceRequest


def customer_language(request: ServiceRequest) -> str:
    """The interface language chosen by a portal account of the request's contact, if any;
    else the site's default language (Chinese unless configured otherwise)."""
    if request.contact_id:
        chosen = (
            User.objects.filter(portal_profile__contact_id=request.contact_id)
            .exclude(language="")
            .values_list("language", flat=True)
            .first()
        )
        if chosen:
            return chosen
    return settings.LANGUAGE_CODE
