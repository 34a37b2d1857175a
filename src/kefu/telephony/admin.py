"""Admin screens of the switch (in Chinese).

Configuration screens save through :func:`kefu.telephony.actions.do_change_config`: the whole
configuration is validated by the engine before the change is committed; a refused change is
shown on the form with every problem and nothing is saved; an accepted one is applied to the
running switch at once and recorded (配置变更, and each record's own history). The journal,
call records and agent states are read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kefu.telephony import actions
from kefu.telephony.actions import ConfigRefused
from kefu.telephony.models import (
    AgentSkill,
    AgentStateInterval,
    BusinessHours,
    CallRecord,
    ConfigChange,
    IvrEntryNumber,
    IvrTree,
    NotReadyReason,
    PhoneCredential,
    Prompt,
    Queue,
    QueueSeat,
    Seat,
    SwitchEvent,
    SwitchSettings,
    Trunk,
)

REFUSED = "_kefu_switch_refused"


class RefusalForm(forms.ModelForm):
    """Shows a refusal of the whole configuration as errors of this form."""

    refusal: list[str] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for message in self.refusal:
            self.add_error(None, message)
        return cleaned


class SwitchConfigAdmin(SimpleHistoryAdmin):
    """Saving validates the whole switch configuration and applies it live."""

    form = RefusalForm

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, REFUSED, None)
        return type(form.__name__, (form,), {"refusal": refused.messages if refused else []})

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConfigRefused as refused:
            # Rolled back; the second pass shows the problems on the form with its data.
            setattr(request, REFUSED, refused)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        template = _("修改%(model)s：%(object)s") if change else _("新增%(model)s：%(object)s")
        summary = template % {"model": self.model._meta.verbose_name, "object": form.instance}
        actions.do_change_config(request.user, summary)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ConfigRefused as refused:
            for message in refused.messages:
                self.message_user(request, message, messages.ERROR)
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[object_id]
            )
            return HttpResponseRedirect(url)

    def delete_model(self, request: Any, obj: Any) -> None:
        summary = f"{_('删除')}{self.model._meta.verbose_name}：{obj}"
        actions.do_change_config(request.user, summary, obj.delete)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        found = super().get_actions(request)
        found.pop("delete_selected", None)  # one at a time, each validated
        return found


class QueueSeatInline(admin.TabularInline):
    model = QueueSeat
    extra = 1
    autocomplete_fields = ["seat"]


@admin.register(Queue)
class QueueAdmin(SwitchConfigAdmin):
    list_display = ["code", "name", "strategy", "skill", "max_wait", "on_max_wait", "sort_order"]
    search_fields = ["code", "name"]
    inlines = [QueueSeatInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "strategy", "skill", "wrap_up", "sort_order"]}),
        (
            _("排队与全忙（S16）"),
            {
                "fields": [
                    "all_busy_prompt",
                    "announce_every",
                    "announce_prompt",
                    "announce_position",
                    "max_wait",
                    "on_max_wait",
                    "overflow_queue",
                    "max_wait_prompt",
                    "voicemail_seconds",
                ]
            },
        ),
    ]


@admin.register(Seat)
class SeatAdmin(SwitchConfigAdmin):
    list_display = ["number", "name", "active", "simulated"]
    list_filter = ["active", "simulated"]
    search_fields = ["number", "name"]


@admin.register(Prompt)
class PromptAdmin(SwitchConfigAdmin):
    list_display = ["key", "text", "audio"]
    search_fields = ["key", "text"]


@admin.register(Trunk)
class TrunkAdmin(SwitchConfigAdmin):
    list_display = ["code", "name", "priority_class", "long_distance"]


@admin.register(BusinessHours)
class BusinessHoursAdmin(SwitchConfigAdmin):
    list_display = ["code", "name", "timezone", "china_holidays"]


class EntryNumberInline(admin.TabularInline):
    model = IvrEntryNumber
    extra = 1


@admin.register(IvrTree)
class IvrTreeAdmin(SwitchConfigAdmin):
    list_display = ["code", "name"]
    inlines = [EntryNumberInline]


@admin.register(SwitchSettings)
class SwitchSettingsAdmin(SwitchConfigAdmin):
    fieldsets = [
        (_("问候与提示音（S1、S2）"), {"fields": ["greeting", "tone_volume", "tone_ms"]}),
        (
            _("振铃与分配（S7、S6）"),
            {"fields": ["ring_timeout", "max_no_answers", "reoffer_backoff", "merged_seats"]},
        ),
        (_("话后与转接（S10）"), {"fields": ["wrap_up", "supervisor_seat", "directed_max_wait"]}),
        (
            _("优先与释放（S13、S17）"),
            {
                "fields": [
                    "ageing_seconds",
                    "local_area_code",
                    "mobile_long_distance",
                    "release_local",
                    "release_long_distance",
                    "caller_release_timeout",
                ]
            },
        ),
        (
            _("路由、录音与自助（S15、X2）"),
            {
                "fields": [
                    "default_queue",
                    "default_ivr",
                    "record_all",
                    "pin_max_failures",
                    "lookup_timeout",
                    "dial_timeout",
                    "watchdog_interval",
                ]
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        SwitchSettings.load()
        return HttpResponseRedirect(reverse("admin:telephony_switchsettings_change", args=[1]))


@admin.register(NotReadyReason)
class NotReadyReasonAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "active", "sort_order"]


@admin.register(AgentSkill)
class AgentSkillAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "skill", "level"]
    search_fields = ["employee__username", "employee__name", "skill"]
    autocomplete_fields = ["employee"]


class PhoneCredentialForm(forms.ModelForm):
    new_pin = forms.CharField(
        label=_("新密码"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("4–12 位数字；设置新密码同时解除冻结。新增时必填。"),
    )

    class Meta:
        model = PhoneCredential
        fields = ["customer_number", "unit", "contact"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        pin = cleaned.get("new_pin") or ""
        if self.instance.pk is None and not pin:
            self.add_error("new_pin", _("请设置电话密码。"))
        elif pin and not (pin.isdigit() and 4 <= len(pin) <= 12):
            self.add_error("new_pin", _("电话密码应为 4–12 位数字。"))
        return cleaned


@admin.register(PhoneCredential)
class PhoneCredentialAdmin(SimpleHistoryAdmin):
    form = PhoneCredentialForm
    list_display = ["customer_number", "unit", "contact", "wrong_count", "frozen_at"]
    list_filter = [("frozen_at", admin.EmptyFieldListFilter)]
    search_fields = ["customer_number", "unit__code", "unit__name", "contact__name"]
    readonly_fields = ["wrong_count", "frozen_at"]
    autocomplete_fields = ["unit", "contact"]
    actions = ["unfreeze"]

    def save_model(self, request: Any, obj: PhoneCredential, form: Any, change: bool) -> None:
        pin = form.cleaned_data.get("new_pin")
        if not change:
            obj.set_pin(pin)
        super().save_model(request, obj, form, change)
        if pin and change:
            actions.do_set_phone_pin(request.user, obj, pin)

    @admin.action(description=_("解除冻结（清零错误次数）"))
    def unfreeze(self, request: HttpRequest, queryset: QuerySet[PhoneCredential]) -> None:
        for row in queryset:
            actions.do_unfreeze_phone(request.user, row)  # type: ignore[arg-type]
        self.message_user(request, _("已解除冻结。"))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConfigChange)
class ConfigChangeAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "actor", "summary", "applied", "result"]
    list_filter = ["applied"]


@admin.register(SwitchEvent)
class SwitchEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "type", "call_id", "seat", "employee"]
    list_filter = ["type"]
    search_fields = ["call_id", "seat", "employee"]
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(CallRecord)
class CallRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "call_id",
        "kind",
        "arrived_at",
        "caller",
        "queue",
        "seat",
        "employee",
        "wait_seconds",
        "talk_seconds",
        "cause",
    ]
    list_filter = ["kind", "abandoned", "queue", "cause"]
    search_fields = ["call_id", "caller", "employee", "customer", "reference"]
    date_hierarchy = "arrived_at"


@admin.register(AgentStateInterval)
class AgentStateIntervalAdmin(ReadOnlyAdmin):
    list_display = ["seat", "employee", "state", "reason", "started_at", "ended_at", "seconds"]
    list_filter = ["state"]
    search_fields = ["seat", "employee"]
    date_hierarchy = "started_at"
