"""Staff forms. They check types and shapes; the business rules are in the actions, whose
``InvalidInput`` errors are put back on the form's fields (:func:`add_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.directory.models import CustomerContact, CustomerUnit
from kefu.service.errors import InvalidInput
from kefu.service.kinds import KindSpec
from kefu.service.models import (
    Channel,
    Department,
    OutboundPurpose,
    OutboundResult,
    Priority,
    ReplyChannel,
    ReplyOutcome,
    ServiceRequest,
    WorkOrderStatus,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def add_errors(form: forms.BaseForm, exc: InvalidInput) -> None:
    for name, messages in exc.errors.items():
        field = name if name in form.fields else None
        for message in messages:
            form.add_error(field, message)


class RequestForm(forms.Form):
    """What every request type asks at acceptance."""

    contact = forms.ModelChoiceField(
        CustomerContact.objects.none(),
        required=False,
        label=_("来电匹配的联系人"),
        empty_label=_("（不是以上联系人）"),
        widget=forms.RadioSelect,
    )
    customer_unit = forms.CharField(label=_("客户单位代码"), required=False, max_length=20)
    new_unit_name = forms.CharField(
        label=_("新客户单位名称"),
        required=False,
        max_length=100,
        help_text=_("单位不在资料中时填写，受理时当场新建单位和联系人。"),
    )
    contact_name = forms.CharField(label=_("申报人"), required=False, max_length=40)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=40)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    channel = forms.ChoiceField(label=_("受理渠道"), choices=Channel.choices, initial=Channel.PHONE)
    call_id = forms.CharField(label=_("来电编号"), required=False, max_length=64)
    priority = forms.ChoiceField(
        label=_("优先级"), choices=Priority.choices, initial=Priority.NORMAL
    )
    subject = forms.CharField(label=_("主题"), max_length=100)
    content = forms.CharField(
        label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    answer_now = forms.CharField(
        label=_("当场解答"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("已在电话中答复客户时填写：记为最终答复，请求变为“已解决”。"),
    )

    def __init__(
        self, *args: Any, matches: QuerySet[CustomerContact] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if matches is not None and matches.exists():
            self.fields["contact"].queryset = matches
        else:
            del self.fields["contact"]

    def clean_customer_unit(self) -> CustomerUnit | None:
        code = self.cleaned_data.get("customer_unit", "").strip()
        if not code:
            return None
        unit = CustomerUnit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("找不到代码为“%(code)s”的客户单位。") % {"code": code})
        return unit


def detail_form_class(
    spec: KindSpec, fields: tuple[str, ...] | None = None
) -> type[forms.ModelForm]:  # type: ignore[type-arg]
    """A form with exactly the type's fields; required ones marked required."""
    names = fields if fields is not None else spec.accept_fields
    widgets = {
        f.name: DATE_WIDGET
        for f in spec.detail_model._meta.fields
        if f.name in names and f.get_internal_type() == "DateField"
    }
    base = forms.modelform_factory(spec.detail_model, fields=list(names), widgets=widgets)
    required = set(spec.required) if fields is None else set()

    class DetailForm(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name, field in self.fields.items():
                # The action enforces required fields, so every problem is reported at once.
                field.required = False
                if name in required:
                    field.label = f"{field.label} *"

        def values(self) -> dict[str, Any]:
            """Given values; an empty field of a non-nullable column keeps the model default."""
            model = spec.detail_model._meta
            return {
                name: self.cleaned_data[name]
                for name in self.fields
                if self.cleaned_data[name] is not None or model.get_field(name).null
            }

    return DetailForm


class ReplyForm(forms.Form):
    channel = forms.ChoiceField(label=_("回复方式"), choices=ReplyChannel.choices)
    content = forms.CharField(
        label=_("回复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(
        label=_("结果"), choices=ReplyOutcome.choices, initial=ReplyOutcome.INFORMED
    )
    final = forms.BooleanField(label=_("最终答复"), required=False)
    started_at = forms.DateTimeField(label=_("开始时间"), required=False, widget=DATETIME_WIDGET)
    ended_at = forms.DateTimeField(label=_("结束时间"), required=False, widget=DATETIME_WIDGET)
    call_id = forms.CharField(required=False, widget=forms.HiddenInput)
    recording = forms.CharField(
        label=_("语音回复录音"),
        required=False,
        max_length=100,
        help_text=_("语音回复时填写要播放的录音名称，系统会呼叫客户并播放。"),
    )


def handler_choices() -> QuerySet[User]:
    from kefu.service.actions.workflow import handlers

    return handlers().order_by("username")


class WorkOrderForm(forms.Form):
    department = forms.ModelChoiceField(
        Department.objects.filter(active=True), required=False, label=_("责任部门")
    )
    assignee = forms.ModelChoiceField(User.objects.none(), required=False, label=_("责任人"))
    instructions = forms.CharField(
        label=_("处理要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateTimeField(label=_("完成时限"), widget=DATETIME_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            is_active=True, kind="staff"
        ).order_by("username")


class WorkOrderUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=WorkOrderStatus.choices)
    result = forms.CharField(
        label=_("处理结果"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WorkLogForm(forms.Form):
    minutes = forms.IntegerField(label=_("用时（分钟）"), min_value=0, max_value=1440, initial=0)
    text = forms.CharField(
        label=_("工作内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(User.objects.none(), required=False, label=_("处理人"))
    strategy = forms.ChoiceField(
        label=_("方式"),
        required=False,
        choices=[
            ("", _("指定处理人")),
            ("round_robin", _("轮流分派")),
            ("least_loaded", _("分给最空闲的值班人员")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = handler_choices()


class HandoverForm(forms.Form):
    incoming = forms.ModelChoiceField(User.objects.none(), label=_("接班人"))
    notes = forms.CharField(
        label=_("交班说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        open_items: QuerySet[ServiceRequest] | None = None,
        viewer: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, kind="staff").order_by("username")
        self.fields["incoming"].queryset = staff.exclude(pk=viewer.pk) if viewer else staff
        self.open_items = list(open_items or [])
        for item in self.open_items:
            self.fields[f"item_{item.pk}"] = forms.BooleanField(required=False, label=str(item))
            self.fields[f"note_{item.pk}"] = forms.CharField(
                required=False, max_length=400, label=_("说明")
            )

    def items(self) -> list[tuple[ServiceRequest, str]]:
        chosen = []
        for item in self.open_items:
            if self.cleaned_data.get(f"item_{item.pk}"):
                chosen.append((item, self.cleaned_data.get(f"note_{item.pk}", "")))
        return chosen


class SurveyForm(forms.Form):
    csat = forms.TypedChoiceField(
        label=_("您对本次服务满意吗？"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("5 非常满意")),
            (4, _("4 满意")),
            (3, _("3 一般")),
            (2, _("2 不满意")),
            (1, _("1 非常不满意")),
        ],
    )
    nps = forms.TypedChoiceField(
        label=_("您有多大可能把我们推荐给朋友或同事？（0–10）"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "-")] + [(n, str(n)) for n in range(11)],
    )
    comment = forms.CharField(
        label=_("意见和建议"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# results only the switch's notification dialling gives
DIALLED_ONLY = (OutboundResult.PLAYED, OutboundResult.PARTIAL, OutboundResult.CANCELLED)


class OutboundResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("结果"),
        choices=[c for c in OutboundResult.choices if c[0] not in ("pending", *DIALLED_ONLY)],
    )
    note = forms.CharField(label=_("记录"), required=False, max_length=400)


class OutboundDialForm(forms.Form):
    """Hand a list to the switch's notification dialling."""

    recording = forms.CharField(label=_("通知录音"), max_length=80)
    concurrency = forms.IntegerField(label=_("同时呼叫数"), min_value=1, max_value=30, initial=2)
    max_attempts = forms.IntegerField(
        label=_("每个号码最多呼叫次数"), min_value=1, max_value=5, initial=3
    )
    retry_minutes = forms.IntegerField(
        label=_("未接通时间隔（分钟）"), min_value=1, max_value=1440, initial=5
    )


class RequestFilterForm(forms.Form):
    q = forms.CharField(label=_("查找"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    group = forms.ChoiceField(label=_("状态组"), required=False)
    assignee = forms.ChoiceField(
        label=_("处理人"),
        required=False,
        choices=[("", _("全部")), ("me", _("我处理的")), ("none", _("未分派"))],
    )
    channel = forms.ChoiceField(label=_("渠道"), required=False)
    created_from = forms.DateField(label=_("受理日期自"), required=False, widget=DATE_WIDGET)
    created_to = forms.DateField(label=_("至"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from kefu.service.models import RequestKind, StatusGroup

        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["kind"].choices = everything + list(RequestKind.choices)
        self.fields["group"].choices = everything + list(StatusGroup.choices)
        self.fields["channel"].choices = everything + list(Channel.choices)


class OutboundListForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    purpose = forms.ChoiceField(label=_("目的"), choices=OutboundPurpose.choices)
    script = forms.CharField(
        label=_("话术"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    units = forms.CharField(
        label=_("客户单位代码"),
        required=False,
        help_text=_("这些单位的全部联系人列入名单，多个代码用空格或逗号分隔。"),
    )
    people = forms.CharField(
        label=_("其他客户"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一位：姓名,电话"),
    )

    def clean_units(self) -> list[CustomerContact]:
        codes = [c for c in self.cleaned_data.get("units", "").replace(",", " ").split() if c]
        found = {u.code: u for u in CustomerUnit.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(_("找不到客户单位：%(c)s") % {"c": "、".join(missing)})
        return list(
            CustomerContact.objects.filter(unit__in=found.values()).order_by("unit__code", "name")
        )

    def clean_people(self) -> list[tuple[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data.get("people", "").splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, phone = line.replace("，", ",").partition(",")
            if not name.strip() or not phone.strip():
                raise forms.ValidationError(_("第 %(n)d 行应为“姓名,电话”。") % {"n": number})
            rows.append((name.strip(), phone.strip()))
        return rows
