"""Roll-up tables: sums of contributions (kefu.stats) keyed by local date (and interval).

They are derived data: rebuilt from the raw records by ``kefu manage rebuild_rollups`` and
kept current by :mod:`kefu.reports.rollup`. Keys never hold NULL (``0`` means "none": no
group, no unit), so a key has exactly one row and increments can use ON CONFLICT. They carry
no change history (every row can be recomputed; a history would double the largest tables).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Rollup(models.Model):
    """A roll-up row; ``KEY`` names the fields that identify it."""

    KEY: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return " ".join(str(getattr(self, name)) for name in self.KEY)


def _count(label: str) -> models.BigIntegerField:  # type: ignore[type-arg]
    return models.BigIntegerField(label, default=0)


class RequestFigures(Rollup):
    day = models.DateField(_("日期"))
    team_id = models.BigIntegerField(_("组别"))
    person_id = models.BigIntegerField(_("受理人"))
    kind = models.CharField(_("请求类型"), max_length=20)
    channel = models.CharField(_("受理渠道"), max_length=10)
    received = _count(_("接待次数"))
    reception_seconds = _count(_("接待时长（秒）"))
    fcr = _count(_("首次解决"))
    closed = _count(_("关闭"))
    reopened = _count(_("重新打开"))

    class Meta:
        abstract = True


class RequestDay(RequestFigures):
    KEY = ("day", "team_id", "person_id", "kind", "channel")

    class Meta:
        verbose_name = _("请求日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_id", "person_id", "kind", "channel"],
                name="reports_requestday_key",
            )
        ]


class RequestMonth(RequestFigures):
    """The same sums per month (``day`` is the first of the month) for long periods."""

    KEY = ("day", "team_id", "person_id", "kind", "channel")

    class Meta:
        verbose_name = _("请求月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_id", "person_id", "kind", "channel"],
                name="reports_requestmonth_key",
            )
        ]


class ReplyFigures(Rollup):
    day = models.DateField(_("日期"))
    team_id = models.BigIntegerField(_("组别"))
    person_id = models.BigIntegerField(_("回复人"))
    kind = models.CharField(_("请求类型"), max_length=20)
    channel = models.CharField(_("回复方式"), max_length=10)
    replies = _count(_("回复次数"))
    reply_seconds = _count(_("回复时长（秒）"))
    reached = _count(_("已告知客户"))
    final = _count(_("最终答复"))

    class Meta:
        abstract = True


class ReplyDay(ReplyFigures):
    KEY = ("day", "team_id", "person_id", "kind", "channel")

    class Meta:
        verbose_name = _("回复日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_id", "person_id", "kind", "channel"],
                name="reports_replyday_key",
            )
        ]


class ReplyMonth(ReplyFigures):
    """The same sums per month (``day`` is the first of the month) for long periods."""

    KEY = ("day", "team_id", "person_id", "kind", "channel")

    class Meta:
        verbose_name = _("回复月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_id", "person_id", "kind", "channel"],
                name="reports_replymonth_key",
            )
        ]


class DimensionFigures(Rollup):
    day = models.DateField(_("日期"))
    dimension = models.CharField(_("维度"), max_length=10)
    value = models.BigIntegerField(_("取值"))
    team_id = models.BigIntegerField(_("组别"))
    kind = models.CharField(_("请求类型"), max_length=20)
    created = _count(_("受理"))
    closed = _count(_("关闭"))
    reopened = _count(_("重新打开"))

    class Meta:
        abstract = True


class DimensionDay(DimensionFigures):
    KEY = ("day", "dimension", "value", "team_id", "kind")

    class Meta:
        verbose_name = _("单位/产品日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dimension", "value", "team_id", "kind"],
                name="reports_dimensionday_key",
            )
        ]


class DimensionMonth(DimensionFigures):
    """The same sums per month (``day`` is the first of the month) for long periods."""

    KEY = ("day", "dimension", "value", "team_id", "kind")

    class Meta:
        verbose_name = _("单位/产品月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dimension", "value", "team_id", "kind"],
                name="reports_dimensionmonth_key",
            )
        ]


class DepartmentFigures(Rollup):
    day = models.DateField(_("日期"))
    department_id = models.BigIntegerField(_("责任部门"))
    team_id = models.BigIntegerField(_("组别"))
    kind = models.CharField(_("请求类型"), max_length=20)
    dispatched = _count(_("派发工单"))
    done = _count(_("完成工单"))
    late = _count(_("超时完成"))

    class Meta:
        abstract = True


class DepartmentDay(DepartmentFigures):
    KEY = ("day", "department_id", "team_id", "kind")

    class Meta:
        verbose_name = _("部门工单日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_id", "team_id", "kind"], name="reports_departmentday_key"
            )
        ]


class DepartmentMonth(DepartmentFigures):
    """The same sums per month (``day`` is the first of the month) for long periods."""

    KEY = ("day", "department_id", "team_id", "kind")

    class Meta:
        verbose_name = _("部门工单月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_id", "team_id", "kind"],
                name="reports_departmentmonth_key",
            )
        ]


class SlaFigures(Rollup):
    day = models.DateField(_("日期"))
    team_id = models.BigIntegerField(_("组别"))
    person_id = models.BigIntegerField(_("处理人"))
    kind = models.CharField(_("请求类型"), max_length=20)
    clock = models.CharField(_("计时"), max_length=16)
    met = _count(_("达标"))
    breached = _count(_("超时"))

    class Meta:
        abstract = True


class SlaDay(SlaFigures):
    KEY = ("day", "team_id", "person_id", "kind", "clock")

    class Meta:
        verbose_name = _("服务级别日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_id", "person_id", "kind", "clock"], name="reports_sladay_key"
            )
        ]


class SlaMonth(SlaFigures):
    """The same sums per month (``day`` is the first of the month) for long periods."""

    KEY = ("day", "team_id", "person_id", "kind", "clock")

    class Meta:
        verbose_name = _("服务级别月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_id", "person_id", "kind", "clock"], name="reports_slamonth_key"
            )
        ]


class SurveyFigures(Rollup):
    day = models.DateField(_("日期"))
    team_id = models.BigIntegerField(_("组别"))
    person_id = models.BigIntegerField(_("员工"))
    kind = models.CharField(_("请求类型"), max_length=20)
    answered = _count(_("答复"))
    csat_n = _count(_("满意度答复数"))
    csat_sum = _count(_("满意度总分"))
    satisfied = _count(_("满意（4–5）"))
    nps_n = _count(_("推荐意愿答复数"))
    promoters = _count(_("推荐者（9–10）"))
    detractors = _count(_("贬损者（0–6）"))

    class Meta:
        abstract = True


class SurveyDay(SurveyFigures):
    KEY = ("day", "team_id", "person_id", "kind")

    class Meta:
        verbose_name = _("满意度日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_id", "person_id", "kind"], name="reports_surveyday_key"
            )
        ]


class SurveyMonth(SurveyFigures):
    """The same sums per month (``day`` is the first of the month) for long periods."""

    KEY = ("day", "team_id", "person_id", "kind")

    class Meta:
        verbose_name = _("满意度月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_id", "person_id", "kind"], name="reports_surveymonth_key"
            )
        ]


class KnowledgeDay(Rollup):
    day = models.DateField(_("日期"))
    channel = models.CharField(_("渠道"), max_length=10)
    searches = _count(_("有答案的搜索"))
    escalated = _count(_("仍提交请求"))
    helpful = _count(_("有帮助"))
    not_helpful = _count(_("没有帮助"))
    unanswered = _count(_("无答案的搜索"))

    KEY = ("day", "channel")

    class Meta:
        verbose_name = _("知识库分流日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=list(("day", "channel")), name="reports_knowledgeday_key"
            )
        ]


class QueueSlot(Rollup):
    """Calls per queue and 15-minute interval of arrival; ``ans_T``/``abn_T`` count calls
    answered/abandoned within T seconds (kefu.stats.calls.SL_THRESHOLDS)."""

    day = models.DateField(_("日期"))
    slot = models.PositiveSmallIntegerField(_("时段（15 分钟）"))
    queue = models.CharField(_("队列"), max_length=30, help_text=_("空 = 未进入队列（IVR）。"))
    offered = _count(_("呼入"))
    answered = _count(_("接通"))
    abandoned = _count(pgettext_lazy("call", "放弃"))
    transfers = _count(_("转接"))
    max_wait = _count(_("最长等待（秒）"))
    answer_wait = _count(_("接通前等待合计（秒）"))
    abandon_wait = _count(_("放弃前等待合计（秒）"))
    talk = _count(_("通话（秒）"))
    hold = _count(_("保持（秒）"))
    wrap = _count(_("话后处理（秒）"))
    ivr_calls = _count(_("IVR 呼叫"))
    ivr_completed = _count(_("IVR 自助完成"))
    ans_10 = _count(_("10 秒内接通"))
    abn_10 = _count(_("10 秒内放弃"))
    ans_15 = _count(_("15 秒内接通"))
    abn_15 = _count(_("15 秒内放弃"))
    ans_20 = _count(_("20 秒内接通"))
    abn_20 = _count(_("20 秒内放弃"))
    ans_30 = _count(_("30 秒内接通"))
    abn_30 = _count(_("30 秒内放弃"))
    ans_45 = _count(_("45 秒内接通"))
    abn_45 = _count(_("45 秒内放弃"))
    ans_60 = _count(_("60 秒内接通"))
    abn_60 = _count(_("60 秒内放弃"))
    ans_90 = _count(_("90 秒内接通"))
    abn_90 = _count(_("90 秒内放弃"))
    ans_120 = _count(_("120 秒内接通"))
    abn_120 = _count(_("120 秒内放弃"))
    ans_180 = _count(_("180 秒内接通"))
    abn_180 = _count(_("180 秒内放弃"))
    ans_300 = _count(_("300 秒内接通"))
    abn_300 = _count(_("300 秒内放弃"))

    KEY = ("day", "slot", "queue")

    class Meta:
        verbose_name = _("队列时段汇总")
        constraints = [
            models.UniqueConstraint(
                fields=list(("day", "slot", "queue")), name="reports_queueslot_key"
            )
        ]


class AgentFigures(Rollup):
    """An agent's calls (by the hour they arrived) and state time, per local hour."""

    day = models.DateField(_("日期"))
    agent_id = models.BigIntegerField(_("员工"))
    calls = _count(_("接听"))
    handle_seconds = _count(_("处理时长（秒）"))
    transfers = _count(_("转出"))
    no_answers = _count(_("未接"))
    logged_on_seconds = _count(_("登录时长（秒）"))
    ready_seconds = _count(_("空闲（秒）"))
    ringing_seconds = _count(_("振铃（秒）"))
    talk_seconds = _count(_("通话（秒）"))
    hold_seconds = _count(_("保持（秒）"))
    wrap_seconds = _count(_("话后处理（秒）"))
    not_ready_seconds = _count(_("置忙（秒）"))
    other_seconds = _count(_("其他（秒）"))

    class Meta:
        abstract = True


class AgentHour(AgentFigures):
    hour = models.PositiveSmallIntegerField(_("小时"))

    KEY = ("day", "hour", "agent_id")

    class Meta:
        verbose_name = _("坐席小时汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "hour", "agent_id"], name="reports_agenthour_key"
            )
        ]


class AgentMonth(AgentFigures):
    """The same sums per month (``day`` is the first of the month) for long periods."""

    KEY = ("day", "agent_id")

    class Meta:
        verbose_name = _("坐席月汇总")
        constraints = [
            models.UniqueConstraint(fields=["day", "agent_id"], name="reports_agentmonth_key")
        ]


class AgentReasonFigures(Rollup):
    day = models.DateField(_("日期"))
    agent_id = models.BigIntegerField(_("员工"))
    reason = models.CharField(_("置忙原因"), max_length=40)
    seconds = _count(_("时长（秒）"))

    class Meta:
        abstract = True


class AgentReasonHour(AgentReasonFigures):
    hour = models.PositiveSmallIntegerField(_("小时"))

    KEY = ("day", "hour", "agent_id", "reason")

    class Meta:
        verbose_name = _("置忙原因小时汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "hour", "agent_id", "reason"], name="reports_agentreasonhour_key"
            )
        ]


class AgentReasonMonth(AgentReasonFigures):
    """The same sums per month (``day`` is the first of the month) for long periods."""

    KEY = ("day", "agent_id", "reason")

    class Meta:
        verbose_name = _("置忙原因月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agent_id", "reason"], name="reports_agentreasonmonth_key"
            )
        ]


class StaffSlot(Rollup):
    day = models.DateField(_("日期"))
    slot = models.PositiveSmallIntegerField(_("时段（15 分钟）"))
    logged_on_seconds = _count(_("登录（秒）"))
    busy_seconds = _count(_("忙于处理（秒）"))
    available_seconds = _count(_("可接听（秒）"))
    not_ready_seconds = _count(_("置忙（秒）"))

    KEY = ("day", "slot")

    class Meta:
        verbose_name = _("人员时段汇总")
        constraints = [
            models.UniqueConstraint(fields=list(("day", "slot")), name="reports_staffslot_key")
        ]
