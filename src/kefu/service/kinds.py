"""What makes each request type different: its record code, detail table and form fields.

Adding a request type is adding one ``KindSpec`` here (and its detail model); the acceptance
action, the forms, the API and the detail page are driven by this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from kefu.service.models import (
    ChangeDetail,
    FaultDetail,
    ProductQueryDetail,
    ProposalDetail,
    RequestKind,
)


@dataclass(frozen=True)
class KindSpec:
    kind: RequestKind
    record_code: str  # numbering RecordType code
    detail_model: type[models.Model]
    accept_fields: tuple[str, ...]  # detail fields on the acceptance form, in order
    required: tuple[str, ...] = ()  # detail fields that must be given at acceptance
    handling_fields: tuple[str, ...] = ()  # detail fields handlers fill in later
    unit_required: bool = False  # the declaring customer unit must be known
    future_dates: tuple[str, ...] = ()  # dates that may not lie in the past at acceptance

    @property
    def label(self) -> str:
        return str(self.kind.label)


FAULT_ACCEPT = (
    "soft_hard",
    "reported_on",
    "project",
    "module",
    "equipment",
    "vendor",
    "software_version",
    "os_version",
    "db_version",
    "phenomenon",
    "fault_class",
    "new_function",
    "problem_scope",
    "customer_judgement",
    "immediate_plan",
    "requested_by",
    "expected_close_on",
    "number_notified_on",
)

FAULT_HANDLING = (
    "signer",
    "signer_agrees",
    "signed_on",
    "handling_method",
    "solver",
    "fault_cause",
    "execution_status",
    "bulletin",
    "resolved_on",
    "solved_regions",
    "feedback_on",
    "feedback_receiver_name",
    "feedback_receiver_phone",
    "expected_close_on",
)

SPECS: dict[str, KindSpec] = {
    spec.kind.value: spec
    for spec in (
        KindSpec(
            RequestKind.PRODUCT_QUERY,
            "CX",
            ProductQueryDetail,
            accept_fields=(
                "product",
                "asked_function",
                "asked_performance",
                "asked_price",
                "asked_after_sales",
                "asked_repair_terms",
            ),
            required=("product",),
        ),
        KindSpec(
            RequestKind.CONSULTATION,
            "JY",
            ProposalDetail,
            accept_fields=("product", "proposed_on"),
        ),
        KindSpec(
            RequestKind.COMPLAINT,
            "JY",
            ProposalDetail,
            accept_fields=(
                "complaint_kind",
                "soft_hard",
                "product",
                "proposed_on",
                "desired_outcome",
            ),
            required=("complaint_kind", "soft_hard"),
        ),
        KindSpec(
            RequestKind.SUGGESTION,
            "JY",
            ProposalDetail,
            accept_fields=("product", "soft_hard", "proposed_on"),
        ),
        KindSpec(
            RequestKind.FAULT,
            "GZ",
            FaultDetail,
            accept_fields=FAULT_ACCEPT,
            required=("soft_hard", "reported_on"),
            handling_fields=FAULT_HANDLING,
            unit_required=True,
            future_dates=("requested_by", "expected_close_on"),
        ),
        KindSpec(
            RequestKind.CHANGE,
            "XQ",
            ChangeDetail,
            accept_fields=(
                "change_kind",
                "change_class",
                "project",
                "module",
                "product",
                "software_version",
                "reason",
                "impact",
                "requested_by",
            ),
            required=("change_kind", "reason"),
            handling_fields=("decision", "change_class", "impact"),
            unit_required=True,
            future_dates=("requested_by",),
        ),
    )
}


def spec_for(kind: str) -> KindSpec:
    return SPECS[kind]


def detail_of(request: models.Model) -> models.Model | None:
    """The detail row of a request, or None (a request always has one once accepted)."""
    spec = SPECS[request.kind]  # type: ignore[attr-defined]
    related = spec.detail_model._meta.get_field("request").remote_field.related_name  # type: ignore[union-attr]
    return getattr(request, str(related), None)


DETAIL_RELATED = ("fault", "proposal", "product_query", "change")
