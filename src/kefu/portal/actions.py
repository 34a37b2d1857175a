"""Every change the portal makes (one transaction each). Requests are accepted through
``kefu.service.actions.do_create_request`` on behalf of the portal's service account."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import Permission
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.models import AccountKind, User
from kefu.directory.models import CustomerContact, CustomerUnit
from kefu.knowledge.actions import do_mark_impression_escalated
from kefu.knowledge.errors import KnowledgeError
from kefu.portal import uploads
from kefu.portal.errors import AttachmentRefused
from kefu.portal.models import CustomerAttachment, CustomerNote, PortalProfile
from kefu.service.actions import NewRequest, do_create_request
from kefu.service.actions.common import blank
from kefu.service.events import emit
from kefu.service.mail import send_request_mail
from kefu.service.models import Channel, EventKind, ServiceRequest
from kefu.service.sms import send_sms

log = logging.getLogger(__name__)
PORTAL_USERNAME = "portal"


def portal_actor() -> User:
    """The service account that accepts portal requests (no password, cannot log on)."""
    user, created = User.objects.get_or_create(
        username=PORTAL_USERNAME,
        defaults={"name": _("网上受理"), "kind": AccountKind.STAFF},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        perm = Permission.objects.get(content_type__app_label="service", codename="accept_request")
        user.user_permissions.add(perm)
    return user


@dataclass(frozen=True, kw_only=True)
class Submission:
    kind: str
    subject: str
    content: str
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    unit_name: str = ""
    details: dict[str, Any]
    impression_token: str = ""


def _customer_fields(data: Submission, profile: PortalProfile | None) -> dict[str, Any]:
    if profile is not None and profile.verified_at and profile.unit_id:
        return {"customer_unit": profile.unit, "contact": profile.contact}
    return {"new_unit_name": "" if blank(data.unit_name) else data.unit_name}


def do_submit_request(
    data: Submission, *, profile: PortalProfile | None = None, now: datetime | None = None
) -> ServiceRequest:
    """Accept a request from the portal (channel 网上受理), mark the visitor's knowledge search
    as escalated, and confirm the number by SMS or e-mail."""
    new = NewRequest(
        kind=data.kind,
        channel=Channel.WEB,
        subject=data.subject,
        content=data.content,
        contact_name=data.contact_name,
        phone=data.phone,
        email=data.email,
        details=data.details,
        **_customer_fields(data, profile),
    )
    with transaction.atomic():
        request = do_create_request(portal_actor(), new, now=now)
        if data.impression_token:
            try:
                do_mark_impression_escalated(data.impression_token, request.number)
            except (KnowledgeError, ValueError):
                log.info("portal: unknown impression token with %s", request.number)
    send_confirmation(request)
    return request


def send_confirmation(request: ServiceRequest) -> str:
    """SMS to a mobile number, else e-mail; returns how ("sms", "email" or "")."""
    text = _(
        "【%(number)s】您的%(kind)s已受理，受理号 %(number)s。凭受理号和联系电话可在网上查询进度。"
    ) % {"number": request.number, "kind": request.get_kind_display()}
    if request.phone:
        result = send_sms(request.phone, text, request=request)
        if result.ok:
            return "sms"
    if request.email:
        try:
            send_request_mail(
                number=request.number, to=request.email, subject=request.subject, body=text
            )
            return "email"
        except OSError:
            log.warning("portal: confirmation mail for %s failed", request.number)
    return ""


def do_add_note(
    request: ServiceRequest, text: str, *, author: User | None = None, now: datetime | None = None
) -> CustomerNote:
    at = now or timezone.now()
    text = text.strip()[:2000]
    with transaction.atomic():
        note = CustomerNote.objects.create(request=request, text=text, author=author, at=at)
        ServiceRequest.objects.filter(pk=request.pk).update(updated_at=at)
        emit(
            request,
            EventKind.WORK_LOG,
            actor_id=author.pk if author else None,
            at=at,
            text=_("客户在网上补充说明：%(text)s") % {"text": text},
            data={"portal_note": note.pk},
        )
    return note


def do_add_attachment(
    request: ServiceRequest, upload: Any, *, author: User | None = None
) -> CustomerAttachment:
    file_type = uploads.checked_type(upload)
    if request.portal_attachments.count() >= uploads.MAX_PER_REQUEST:
        raise AttachmentRefused(
            _("每个请求最多 %(count)d 个附件。") % {"count": uploads.MAX_PER_REQUEST}
        )
    at = timezone.now()
    name = (getattr(upload, "name", "") or "file")[-200:]
    with transaction.atomic():
        row = CustomerAttachment(
            request=request, name=name, size=upload.size, content_type=file_type.content_type
        )
        row.file.save(uploads.stored_name(name), File(upload), save=False)
        row.save()
        emit(
            request,
            EventKind.WORK_LOG,
            actor_id=author.pk if author else None,
            at=at,
            text=_("客户在网上上传了附件：%(name)s") % {"name": name},
            data={"portal_attachment": row.pk},
        )
    return row


def _match_contact(email: str) -> CustomerContact | None:
    """The directory contact with the verified e-mail address, if exactly one. A phone number
    is never enough: sign-up proves only the e-mail, and anyone can type a number."""
    if not email:
        return None
    found = list(CustomerContact.objects.filter(email__iexact=email)[:2])
    return found[0] if len(found) == 1 else None


def do_sign_up(*, email: str, password: str, name: str, phone: str, unit_name: str) -> User:
    """A customer account, inactive until the e-mail link is followed."""
    with transaction.atomic():
        user = User.objects.create_user(
            email.lower(),
            password,
            name=name,
            email=email.lower(),
            phone=phone,
            kind=AccountKind.CUSTOMER,
            is_active=False,
        )
        PortalProfile.objects.create(user=user, unit_name=unit_name)
    return user


def do_verify_account(user: User, *, now: datetime | None = None) -> PortalProfile:
    """Activate the account and link it to its unit: the directory contact with the same
    e-mail, else a new unit and contact created from what was given (staff may re-link the
    account to the right unit in the admin)."""
    at = now or timezone.now()
    with transaction.atomic():
        profile = PortalProfile.objects.select_for_update().get(user=user)
        if profile.verified_at is None:
            contact = _match_contact(user.email)
            if contact is None:
                contact = _new_customer(user, profile.unit_name)
            profile.contact, profile.unit = contact, contact.unit
            profile.verified_at = at
            profile.save()
            User.objects.filter(pk=user.pk).update(is_active=True)
    return profile


def _new_customer(user: User, unit_name: str) -> CustomerContact:
    from kefu.directory.actions import do_create_customer_contact, do_create_customer_unit

    actor = portal_actor()
    code = "WS" + f"{user.pk:08d}"
    unit = CustomerUnit.objects.filter(code=code).first() or do_create_customer_unit(
        actor=actor, code=code, name=(unit_name or user.name).strip()[:100]
    )
    return do_create_customer_contact(
        actor=actor, unit=unit, name=user.name, mobile=user.phone, email=user.email
    )
