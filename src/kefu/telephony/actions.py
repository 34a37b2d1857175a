"""Every change of the switch's configuration and of phone credentials goes through here.

:func:`do_change_config` is the one path: it makes the change inside a transaction, builds the
whole configuration from the database as it would then be, runs the engine's validation on it
(plus the host's checks: a tree's JSON form, unknown prompts, a seat in use being removed) and
either refuses — with every problem in Chinese, and nothing saved — or records a
``ConfigChange`` and, once committed, applies it to the running switch, which reloads the
configuration (new calls use it; calls in progress keep their IVR tree). The admin screens and
the supervisor console call the same functions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.telephony.config_build import build_config, check_config
from kefu.telephony.errors import problems_text
from kefu.telephony.models import (
    ConfigChange,
    IvrTree,
    PhoneCredential,
    Queue,
    QueueSeat,
    Seat,
    SwitchSettings,
)

log = logging.getLogger(__name__)


class TelephonyError(Exception):
    """A refused change; ``messages`` are Chinese sentences for the screen."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


class ConfigRefused(TelephonyError):
    def __init__(self, messages: list[str], problems: list[tuple[str, str]]) -> None:
        super().__init__(messages)
        self.problems = problems


def _logged_on_seats() -> set[str]:
    """Seats logged on at the running switch (empty when none runs in reach)."""
    from kefu.telephony import client

    if client.running() is None:
        return set()
    try:
        state = client.snapshot_sync("wallboard")
    except Exception:  # the switch being away must not block configuration
        log.warning("could not ask the switch which seats are logged on", exc_info=True)
        return set()
    return {seat_id for seat_id, seat in state["seats"].items() if seat["state"] != "logged_off"}


def config_problems() -> list[tuple[str, str]]:
    """Every problem of the configuration now in the database (in this transaction)."""
    config, _host, problems = build_config()
    found = check_config(config, problems)
    for seat_id in sorted(_logged_on_seats() - set(config.seats)):
        found.append(("config.seat_in_use", f"seat {seat_id} is logged on and cannot be removed"))
    return found


def do_change_config(
    actor: User | None, summary: str, change: Callable[[], Any] | None = None
) -> ConfigChange:
    """Make ``change`` (database writes) and validate the result; refuse or record and apply."""
    with transaction.atomic():
        if change is not None:
            change()
        problems = config_problems()
        if problems:
            transaction.set_rollback(True)
            raise ConfigRefused(problems_text(problems), problems)
        record = ConfigChange.objects.create(actor=actor, summary=summary[:300])
        transaction.on_commit(apply_live)
    return record


def apply_live() -> None:
    """Ask the running switch to reload its configuration (after the change is committed)."""
    from kefu.telephony import client

    try:
        result = client.reload_config_sync()
    except Exception:
        log.exception("the switch could not be asked to reload its configuration")
        return
    if result is not None and not result.ok and result.error is not None:
        log.error("the switch refused the new configuration: %s", result.error.message)


# -- the supervisor console's changes ----------------------------------------------------------


def _set_fields(row: Any, fields: Mapping[str, Any], reason: str) -> None:
    for name, value in fields.items():
        if not hasattr(row, name):
            raise TelephonyError([_("未知的参数：%(name)s") % {"name": name}])
        setattr(row, name, value)
    row._change_reason = reason
    try:
        row.full_clean()
    except ValidationError as invalid:
        messages = [
            f"{_field_label(row, name)}：{text}"
            for name, texts in invalid.message_dict.items()
            for text in texts
        ]
        raise ConfigRefused(messages, []) from invalid
    row.save()


def _field_label(row: Any, name: str) -> str:
    try:
        return str(row._meta.get_field(name).verbose_name)
    except Exception:
        return name


def do_update_settings(actor: User | None, **fields: Any) -> ConfigChange:
    """Change switch parameters (ring time-out, greeting, supervisor seat, night mode, …)."""
    names = ", ".join(sorted(fields))

    def change() -> None:
        _set_fields(SwitchSettings.load(), fields, f"交换机参数：{names}")

    return do_change_config(actor, _("修改交换机参数：%(names)s") % {"names": names}, change)


def do_update_queue(actor: User | None, queue: Queue, **fields: Any) -> ConfigChange:
    def change() -> None:
        _set_fields(Queue.objects.get(pk=queue.pk), fields, "队列参数")

    summary = _("修改队列 %(code)s：%(names)s") % {"code": queue.code, "names": ", ".join(fields)}
    return do_change_config(actor, summary, change)


def do_set_queue_seats(actor: User | None, queue: Queue, levels: Mapping[str, int]) -> ConfigChange:
    """Replace the queue's seats: seat number → level (1 = first choice)."""

    def change() -> None:
        QueueSeat.objects.filter(queue=queue).delete()
        seats = {seat.number: seat for seat in Seat.objects.filter(number__in=levels)}
        for number, level in levels.items():
            if number not in seats:
                raise ConfigRefused([_("坐席 %(seat)s 不存在。") % {"seat": number}], [])
            QueueSeat.objects.create(queue=queue, seat=seats[number], level=level)

    return do_change_config(actor, _("设置队列 %(code)s 的坐席") % {"code": queue.code}, change)


def do_save_ivr_tree(actor: User | None, *, code: str, name: str, definition: Any) -> ConfigChange:
    def change() -> None:
        tree, _created = IvrTree.objects.get_or_create(code=code, defaults={"name": name})
        _set_fields(tree, {"name": name, "definition": definition}, "语音导航")

    return do_change_config(actor, _("保存语音导航 %(code)s") % {"code": code}, change)


# -- phone credentials (X2) --------------------------------------------------------------------


def do_set_phone_pin(actor: User | None, credential: PhoneCredential, pin: str) -> None:
    """Set a new PIN; this also lifts a freeze and clears the wrong count."""
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise TelephonyError([_("电话密码应为 4–12 位数字。")])
    with transaction.atomic():
        row = PhoneCredential.objects.select_for_update().get(pk=credential.pk)
        row.set_pin(pin)
        row.wrong_count = 0
        row.frozen_at = None
        row._change_reason = f"设置电话密码（{actor.username if actor else '系统'}）"
        row.save()


def do_unfreeze_phone(actor: User | None, credential: PhoneCredential) -> None:
    with transaction.atomic():
        row = PhoneCredential.objects.select_for_update().get(pk=credential.pk)
        row.wrong_count = 0
        row.frozen_at = None
        row._change_reason = f"解除冻结（{actor.username if actor else '系统'}）"
        row.save()
