"""The filters every report page shares: period, grouping, group, person, type, channel, queue.

Read from the query string into a :class:`Filters` value; a value outside the viewer's scope
(another group's id) is refused by the form, not silently widened.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.reports.access import Scope, people_in_scope, teams_in_scope
from kefu.reports.models import ReportSettings, SlDefinitionChoice
from kefu.service.models import Channel, ReplyChannel, RequestKind
from kefu.stats.calls import SL_THRESHOLDS
from kefu.stats.kpi import SlDefinition
from kefu.stats.periods import Grain, Interval, Period, month_period

GRAIN_CHOICES = [(Grain.DAY, _("按日")), (Grain.WEEK, _("按周")), (Grain.MONTH, _("按月"))]
INTERVAL_CHOICES = [
    (Interval.QUARTER, _("15 分钟")),
    (Interval.HOUR, _("小时")),
    (Interval.DAY, _("天")),
]


@dataclass(frozen=True)
class Filters:
    period: Period
    grain: Grain = Grain.DAY
    by: str = ""
    team: int | None = None
    person: int | None = None
    kind: str = ""
    channel: str = ""
    reply_channel: str = ""
    queue: str = ""
    interval: Interval = Interval.HOUR
    sl_threshold: int = 20
    sl_definition: SlDefinition = SlDefinition.LATE_ABANDONS
    compare: bool = True
    totals_only: bool = False  # the previous period of a comparison needs only the totals

    def query(self, **changes: object) -> str:
        """The query string for these filters with ``changes`` (used by drill-down links)."""
        values = {
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "grain": self.grain.value,
            "by": self.by,
            "team": self.team,
            "person": self.person,
            "kind": self.kind,
            "channel": self.channel,
            "reply_channel": self.reply_channel,
            "queue": self.queue,
            "interval": self.interval.value,
            "sl_threshold": self.sl_threshold,
            "sl_definition": self.sl_definition.value,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def with_period(self, period: Period) -> Filters:
        return replace(self, period=period)


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def today() -> date:
    return timezone.now().astimezone(zone()).date()


class FilterForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), required=False)
    end = forms.DateField(label=_("结束日期"), required=False)
    grain = forms.ChoiceField(label=_("汇总方式"), choices=GRAIN_CHOICES, required=False)
    by = forms.CharField(required=False, widget=forms.HiddenInput)
    team = forms.ModelChoiceField(label=_("组别"), queryset=None, required=False)  # type: ignore[arg-type]
    person = forms.ModelChoiceField(label=_("员工"), queryset=None, required=False)  # type: ignore[arg-type]
    kind = forms.ChoiceField(label=_("请求类型"), required=False)
    channel = forms.ChoiceField(label=_("受理渠道"), required=False)
    reply_channel = forms.ChoiceField(label=_("回复方式"), required=False)
    queue = forms.CharField(label=_("队列代码"), required=False, max_length=30)
    interval = forms.ChoiceField(label=_("时段"), choices=INTERVAL_CHOICES, required=False)
    sl_threshold = forms.TypedChoiceField(
        label=_("服务水平门限（秒）"),
        choices=[(t, str(t)) for t in SL_THRESHOLDS],
        coerce=int,
        required=False,
    )
    sl_definition = forms.ChoiceField(
        label=_("服务水平口径"), choices=SlDefinitionChoice.choices, required=False
    )

    def __init__(self, data: object, *, scope: Scope) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["team"].queryset = teams_in_scope(scope)  # type: ignore[attr-defined]
        people = people_in_scope(scope).order_by("username")
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = lambda u: f"{u.username} {u.name}"  # type: ignore[attr-defined]
        everything = [("", _("全部"))]
        self.fields["kind"].choices = everything + list(RequestKind.choices)  # type: ignore[attr-defined]
        self.fields["channel"].choices = everything + list(Channel.choices)  # type: ignore[attr-defined]
        self.fields["reply_channel"].choices = everything + list(ReplyChannel.choices)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        if isinstance(start, date) and isinstance(end, date) and (end - start).days > 3660:
            self.add_error("end", _("统计区间最长十年。"))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        default = month_period(today().year, today().month)
        start = data.get("start") or default.start
        end = data.get("end") or (default.end if not data.get("start") else start)
        defaults = ReportSettings.current()
        team, person = data.get("team"), data.get("person")
        return Filters(
            period=Period(start, max(start, end)),
            grain=Grain(data.get("grain") or Grain.DAY),
            by=str(data.get("by") or ""),
            team=team.pk if team else None,
            person=person.pk if isinstance(person, User) else None,
            kind=str(data.get("kind") or ""),
            channel=str(data.get("channel") or ""),
            reply_channel=str(data.get("reply_channel") or ""),
            queue=str(data.get("queue") or ""),
            interval=Interval(data.get("interval") or Interval.HOUR),
            sl_threshold=int(data.get("sl_threshold") or defaults.sl_threshold),  # type: ignore[call-overload]
            sl_definition=SlDefinition(data.get("sl_definition") or defaults.sl_definition),
        )
