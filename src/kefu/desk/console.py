"""The supervisor console's server side: page data, abandoned calls, switch settings.

Settings go through ``kefu.telephony.actions`` (validated by the engine, recorded as a
``ConfigChange`` with each row's history, applied to the running switch after commit).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.desk.access import served_queues, supervised_employees
from kefu.desk.forms import SETTINGS_FIELDS, QueueStrategyForm, SettingsForm, TrunkForm
from kefu.desk.stream import Visibility
from kefu.telephony import actions as telephony
from kefu.telephony import client
from kefu.telephony.models import (
    CallRecord,
    ConfigChange,
    NotReadyReason,
    Queue,
    QueueSeat,
    SwitchSettings,
    Trunk,
)

CHANGE_SETTINGS = "telephony.change_switchsettings"
CHANGE_QUEUE = "telephony.change_queue"
CHANGE_TRUNK = "telephony.change_trunk"


def page_context(request: HttpRequest) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    allowed = supervised_employees(user)
    staff = User.objects.filter(kind="staff")
    if allowed is not None:
        staff = staff.filter(username__in=allowed)
    members: dict[str, list[str]] = {}
    for queue_code, seat in QueueSeat.objects.values_list("queue__code", "seat__number"):
        members.setdefault(queue_code, []).append(seat)
    return {
        "reasons": list(NotReadyReason.objects.filter(active=True).values_list("code", "name")),
        "desk_config": {
            "ws": "/ws/desk/wallboard/",
            "employee": user.username,
            "names": dict(staff.values_list("username", "name")),
            "members": members,
            "queues": dict(Queue.objects.values_list("code", "name")),
        },
        "settings_form": SettingsForm(instance=SwitchSettings.load()),
        "queues": [
            (q, QueueStrategyForm(instance=q, prefix=f"q{q.pk}")) for q in Queue.objects.all()
        ],
        "trunks": [(t, TrunkForm(instance=t, prefix=f"t{t.pk}")) for t in Trunk.objects.all()],
        "may_change": user.has_perm(CHANGE_SETTINGS),
        "changes": ConfigChange.objects.select_related("actor").order_by("-at")[:10],
        "calls": abandoned_today(user),
    }


def _running_switch_state() -> dict[str, Any] | None:
    """The wallboard snapshot of a switch that runs already (a page never starts one); None
    when there is none or it does not answer — then only the skill queues are known."""
    found = client.running()
    if found is None:
        return None
    try:
        return dict(client.run_with(found, lambda switch: switch.snapshot("wallboard")))
    except Exception:
        return None


def abandoned_today(user: User) -> list[CallRecord]:
    """Today's abandoned calls the viewer may call back: a supervisor those of the queues their
    groups serve (the same rule as the wallboard), a manager all."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = CallRecord.objects.filter(abandoned=True, arrived_at__gte=start).exclude(caller="")
    allowed = supervised_employees(user)
    if allowed is not None:
        state = _running_switch_state()
        queues = Visibility(allowed, *served_queues(allowed)).queues_served(state)
        rows = rows.filter(queue__in=queues or ())
    return list(rows.order_by("-arrived_at")[:50])


def _refused(request: HttpRequest, error: telephony.TelephonyError) -> None:
    for text in error.messages:
        messages.error(request, text)


def save_settings(request: HttpRequest) -> None:
    """One of the console's settings forms (which one: the ``part`` field)."""
    user: User = request.user  # type: ignore[assignment]
    part = request.POST.get("part", "")
    needed = {"settings": CHANGE_SETTINGS, "queue": CHANGE_QUEUE, "trunk": CHANGE_TRUNK}.get(part)
    if needed is None or not user.has_perm(needed):
        messages.error(request, _("您没有修改交换机参数的权限。"))
        return
    try:
        if part == "settings":
            _save_switch(request, user)
        elif part == "queue":
            _save_queue(request, user)
        else:
            _save_trunk(request, user)
    except telephony.TelephonyError as error:
        _refused(request, error)


def _invalid(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        for text in errors:
            messages.error(request, f"{field}：{text}" if field != "__all__" else text)


def _save_switch(request: HttpRequest, user: User) -> None:
    form = SettingsForm(request.POST, instance=SwitchSettings.load())
    if not form.is_valid():
        _invalid(request, form)
        return
    fields = {name: form.cleaned_data[name] for name in SETTINGS_FIELDS}
    telephony.do_update_settings(user, **fields)
    messages.success(request, _("交换机参数已保存并生效。"))


def _save_queue(request: HttpRequest, user: User) -> None:
    queue = Queue.objects.filter(pk=request.POST.get("pk")).first()
    if queue is None:
        messages.error(request, _("队列不存在。"))
        return
    form = QueueStrategyForm(request.POST, instance=queue, prefix=f"q{queue.pk}")
    if not form.is_valid():
        _invalid(request, form)
        return
    telephony.do_update_queue(user, queue, strategy=form.cleaned_data["strategy"])
    messages.success(request, _("队列 %(q)s 的分配策略已生效。") % {"q": queue.name})


def _save_trunk(request: HttpRequest, user: User) -> None:
    trunk = Trunk.objects.filter(pk=request.POST.get("pk")).first()
    if trunk is None:
        messages.error(request, _("线路不存在。"))
        return
    form = TrunkForm(request.POST, instance=Trunk.objects.get(pk=trunk.pk), prefix=f"t{trunk.pk}")
    if not form.is_valid():
        _invalid(request, form)
        return

    def change() -> None:
        row = form.save(commit=False)
        row._change_reason = "班长席：中继线路"
        row.save()

    telephony.do_change_config(user, _("修改中继线路 %(code)s") % {"code": trunk.code}, change)
    messages.success(request, _("线路 %(code)s 已保存并生效。") % {"code": trunk.code})
