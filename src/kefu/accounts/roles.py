"""Built-in roles (M1): the original's operation levels plus back-office and administrator.

Each role is a Django auth group holding permissions. They are created after migrations when
missing; an administrator may then change them freely — a later migration never overwrites a
role that already exists. New roles are simply new groups in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS


@dataclass(frozen=True)
class RoleSpec:
    key: str
    name: str
    level: int | None  # kf_emp.oper_level of the original where it had one
    perms: tuple[str, ...]  # "app_label.codename", or "app_label.*" / "app_label.view_*"


DIRECTORY_ALL = "directory.*"
DIRECTORY_VIEW = "directory.view_*"

# Service requests (kefu.service, docs/requests.md): who accepts, handles, closes, assigns.
SERVICE_MANAGER = (
    "service.view_*",
    "service.assign_request",
    "service.reopen_request",
    "service.add_outboundlist",
    "service.change_outboundlist",
)
SERVICE_SUPERVISOR = (
    "service.view_*",
    "service.accept_request",
    "service.handle_request",
    "service.close_request",
    "service.reopen_request",
    "service.assign_request",
    "service.cancel_request",
    "service.add_handover",
    "service.add_outboundlist",
    "service.change_outboundlist",
    "service.change_outboundentry",
    "service.add_maintenancebulletin",
    "service.add_department",
    "service.change_department",
)
# The switch (kefu.telephony): supervisors steer it live (issue 6); managers look.
TELEPHONY_SUPERVISOR = (
    "telephony.view_*",
    "telephony.change_switchsettings",
    "telephony.change_queue",
    "telephony.add_queueseat",
    "telephony.change_queueseat",
    "telephony.delete_queueseat",
    "telephony.change_prompt",
    "telephony.add_trunk",
    "telephony.change_trunk",
    "telephony.change_phonecredential",
)
SERVICE_OPERATOR = (
    "service.accept_request",
    "service.close_request",
    "service.cancel_request",
    "service.add_handover",
    "service.view_outboundlist",
    "service.change_outboundentry",
    "service.view_maintenancebulletin",
)
SERVICE_BACK_OFFICE = (
    "service.handle_request",
    "service.close_request",
    "service.add_handover",
    "service.add_maintenancebulletin",
    "service.view_maintenancebulletin",
    "service.view_department",
)

BUILTIN_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec(
        "general_manager",
        "总经理",
        0,
        (
            DIRECTORY_VIEW,
            "accounts.view_user",
            "accounts.view_team",
            "accounts.view_logonevent",
            "accounts.unlock_user",
            "numbering.view_*",
            "core.view_reports",
            "core.supervise",
            "core.view_all_teams",
            *SERVICE_MANAGER,
            "knowledge.view_article",  # agents answer from the knowledge base
            "telephony.view_*",
        ),
    ),
    RoleSpec(
        "supervisor",
        "班长",
        1,
        (
            DIRECTORY_VIEW,
            "directory.add_customerunit",
            "directory.change_customerunit",
            "directory.add_customercontact",
            "directory.change_customercontact",
            "directory.add_equipment",
            "directory.change_equipment",
            "accounts.view_user",
            "accounts.view_team",
            "accounts.view_logonevent",
            "accounts.unlock_user",
            "core.view_reports",
            "core.supervise",
            "core.use_seat",
            *SERVICE_SUPERVISOR,
            *TELEPHONY_SUPERVISOR,
            "knowledge.*",  # supervisors edit and publish the knowledge base
        ),
    ),
    RoleSpec(
        "operator",
        "话务员",
        2,
        (
            DIRECTORY_VIEW,
            "directory.add_customerunit",
            "directory.change_customerunit",  # fix a typo in a unit just created on a call
            "directory.add_customercontact",
            "directory.change_customercontact",
            "core.use_seat",
            *SERVICE_OPERATOR,
            "knowledge.view_article",  # agents answer from the knowledge base
        ),
    ),
    RoleSpec(
        "back_office",
        "后台处理员",
        None,
        (
            DIRECTORY_VIEW,
            "directory.change_customercontact",
            "directory.add_equipment",
            "directory.change_equipment",
            "directory.add_vendorcontact",  # faults passed on to vendors
            "directory.change_vendorcontact",
            "core.handle_requests",
            *SERVICE_BACK_OFFICE,
            "knowledge.view_article",  # agents answer from the knowledge base
        ),
    ),
    RoleSpec(
        "sysadmin",
        "系统管理员",
        None,
        (
            DIRECTORY_ALL,
            "accounts.*",
            "auth.*",
            "numbering.*",
            "core.*",
            "service.*",
            "knowledge.*",
            "telephony.*",
        ),
    ),
)


def role_named(key: str) -> RoleSpec:
    for spec in BUILTIN_ROLES:
        if spec.key == key:
            return spec
    raise KeyError(key)


def _matching_permissions(patterns: tuple[str, ...], using: str = DEFAULT_DB_ALIAS) -> list[Any]:
    from django.contrib.auth.models import Permission

    chosen = []
    for perm in Permission.objects.using(using).select_related("content_type"):
        full = f"{perm.content_type.app_label}.{perm.codename}"
        for pattern in patterns:
            if pattern.endswith("*"):
                if full.startswith(pattern[:-1]):
                    chosen.append(perm)
                    break
            elif full == pattern:
                chosen.append(perm)
                break
    return chosen


def ensure_builtin_roles(app_config: Any = None, using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """post_migrate hook: create each built-in role that does not exist yet.

    It acts once per migrate, after the last app, when every app's permissions exist.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group

    last_app = list(apps.get_app_configs())[-1]
    if app_config is not None and app_config.label != last_app.label:
        return
    for spec in BUILTIN_ROLES:
        group, created = Group.objects.using(using).get_or_create(name=spec.name)
        if created:
            group.permissions.set(_matching_permissions(spec.perms, using))
