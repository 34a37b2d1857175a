"""Switch configuration in the database: what a manager changes at run time.

``kefu.telephony.config_build`` turns these rows into the engine's ``SwitchConfig``; every change
goes through ``kefu.telephony.actions`` (or the admin, which calls them), is validated by the
engine's own validation before it is committed, and is then applied to the running switch.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory
from kefu.switch.engine.strategies import STRATEGIES

STRATEGY_LABELS = {
    "longest_idle": _("最长空闲优先（平均分配）"),
    "round_robin": _("轮询"),
    "fewest_calls": _("接听最少优先"),
    "least_talk_time": _("通话时长最少优先"),
    "ring_all": _("同时振铃"),
    "random": _("随机"),
}
STRATEGY_CHOICES = [(name, STRATEGY_LABELS.get(name, name)) for name in STRATEGIES]

key_validator = RegexValidator(
    r"^[A-Za-z0-9_.\-]+$", _("只能使用字母、数字、下划线、点和连字符。"), code="key"
)
seconds = [MinValueValidator(0)]


class ReleaseControl(models.TextChoices):  # S17
    EITHER = "either", _("任一方挂机即释放")
    CALLER = "caller", _("仅主叫挂机释放")


class MaxWaitAction(models.TextChoices):  # S16
    VOICEMAIL = "voicemail", _("留言")
    CALLBACK = "callback", _("登记回呼")
    OVERFLOW = "overflow", _("溢出到其他队列")


class TrunkClass(models.TextChoices):  # S13
    NORMAL = "normal", _("普通")
    LONG_DISTANCE = "long_distance", _("长途优先")
    SPECIAL = "special", _("特殊线路优先")


class Prompt(models.Model):
    """A recorded prompt the switch plays (greeting, menus, announcements)."""

    key = models.CharField(_("提示代码"), max_length=40, unique=True, validators=[key_validator])
    text = models.CharField(_("提示内容"), max_length=300, help_text=_("录音的文字内容。"))
    audio = models.CharField(_("录音文件"), max_length=200, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("语音提示")
        verbose_name_plural = _("语音提示")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}（{self.text[:20]}）"


class Seat(models.Model):
    """A seat (话务席) with its seat number; inactive seats are not offered calls."""

    number = models.CharField(_("坐席号"), max_length=20, unique=True, validators=[key_validator])
    name = models.CharField(_("位置/名称"), max_length=40, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    simulated = models.BooleanField(
        _("模拟坐席"),
        default=False,
        help_text=_("模拟器开启时，由模拟话务员在此坐席登录并接听（演示用）。"),
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("坐席")
        verbose_name_plural = _("坐席")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class BusinessHours(models.Model):
    """Opening hours for IVR branches; public holidays and make-up days from chinesecalendar."""

    code = models.CharField(_("代码"), max_length=30, unique=True, validators=[key_validator])
    name = models.CharField(_("名称"), max_length=40)
    timezone = models.CharField(_("时区"), max_length=40, default="Asia/Shanghai")
    windows = models.JSONField(
        _("每周时段"),
        default=dict,
        help_text=_('星期（0=周一）到时段列表，例如 {"0": [["08:00", "20:00"]]}。'),
    )
    china_holidays = models.BooleanField(
        _("按国家法定节假日"), default=True, help_text=_("法定节假日关闭，调休工作日按周一开放。")
    )
    closed_dates = models.JSONField(
        _("另外关闭的日期"), default=list, blank=True, help_text=_('如 ["2026-12-31"]。')
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("营业时间")
        verbose_name_plural = _("营业时间")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Queue(models.Model):
    code = models.CharField(_("队列代码"), max_length=30, unique=True, validators=[key_validator])
    name = models.CharField(_("队列名称"), max_length=40)
    strategy = models.CharField(
        _("分配策略"), max_length=20, choices=STRATEGY_CHOICES, default="longest_idle"
    )
    skill = models.CharField(
        _("技能"),
        max_length=30,
        blank=True,
        validators=[key_validator],
        help_text=_("具备此技能的话务员按技能级别加入本队列（如 vip）。"),
    )
    wrap_up = models.FloatField(
        _("话后整理（秒）"), null=True, blank=True, help_text=_("空 = 使用交换机参数。")
    )
    all_busy_prompt = models.ForeignKey(
        Prompt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("全忙提示"),
    )
    announce_every = models.FloatField(
        _("插播间隔（秒）"), null=True, blank=True, default=60, help_text=_("空 = 不插播。")
    )
    announce_prompt = models.ForeignKey(
        Prompt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("插播提示"),
    )
    announce_position = models.BooleanField(_("播报排队位置和预计等待"), default=False)
    max_wait = models.FloatField(
        _("最长等待（秒）"), null=True, blank=True, help_text=_("空 = 不限。")
    )
    on_max_wait = models.CharField(
        _("超时处理"), max_length=10, choices=MaxWaitAction.choices, default=MaxWaitAction.VOICEMAIL
    )
    overflow_queue = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("溢出队列"),
    )
    max_wait_prompt = models.ForeignKey(
        Prompt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("超时提示"),
    )
    voicemail_seconds = models.FloatField(_("留言最长（秒）"), default=120)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = AuditHistory()

    class Meta:
        verbose_name = _("队列")
        verbose_name_plural = _("队列")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class QueueSeat(models.Model):
    queue = models.ForeignKey(
        Queue, on_delete=models.CASCADE, related_name="members", verbose_name=_("队列")
    )
    seat = models.ForeignKey(
        Seat, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("坐席")
    )
    level = models.PositiveSmallIntegerField(
        _("级别"), default=1, help_text=_("1 = 首选；数字越大越靠后。")
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("队列坐席")
        verbose_name_plural = _("队列坐席")
        ordering = ["queue", "level", "seat__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "seat"],
                name="telephony_queue_seat_once",
                violation_error_message=_("该坐席已在此队列中。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.queue.code}/{self.seat.number} L{self.level}"


class Trunk(models.Model):
    """An incoming line: special trunks and long-distance trunks are served first (S13)."""

    code = models.CharField(_("线路代码"), max_length=30, unique=True, validators=[key_validator])
    name = models.CharField(_("名称"), max_length=40)
    priority_class = models.CharField(
        _("优先级"), max_length=20, choices=TrunkClass.choices, default=TrunkClass.NORMAL
    )
    long_distance = models.BooleanField(_("长途线路"), default=False)
    history = AuditHistory()

    class Meta:
        verbose_name = _("中继线路")
        verbose_name_plural = _("中继线路")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IvrTree(models.Model):
    """A menu tree as JSON (see docs/runner.md); checked by the engine before it is used."""

    code = models.CharField(_("代码"), max_length=30, unique=True, validators=[key_validator])
    name = models.CharField(_("名称"), max_length=40)
    definition = models.JSONField(_("导航定义"), default=dict)
    history = AuditHistory()

    class Meta:
        verbose_name = _("语音导航")
        verbose_name_plural = _("语音导航")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IvrEntryNumber(models.Model):
    """X4: the number a caller dialled selects the tree."""

    tree = models.ForeignKey(
        IvrTree, on_delete=models.CASCADE, related_name="numbers", verbose_name=_("语音导航")
    )
    number = models.CharField(_("接入号码"), max_length=30, unique=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("接入号码")
        verbose_name_plural = _("接入号码")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class NotReadyReason(models.Model):
    """Reason codes a seat chooses when it goes not-ready (示忙)."""

    code = models.CharField(_("代码"), max_length=30, unique=True, validators=[key_validator])
    name = models.CharField(_("名称"), max_length=40)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = AuditHistory()

    class Meta:
        verbose_name = _("示忙原因")
        verbose_name_plural = _("示忙原因")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return str(self.name)


class AgentSkill(models.Model):
    """X12: an employee's skill and level, given to the switch when the employee logs on."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="switch_skills",
        verbose_name=_("员工"),
    )
    skill = models.CharField(_("技能"), max_length=30, validators=[key_validator])
    level = models.PositiveSmallIntegerField(
        _("级别"), default=1, validators=[MinValueValidator(1)]
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("话务员技能")
        verbose_name_plural = _("话务员技能")
        ordering = ["employee__username", "skill"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "skill"],
                name="telephony_skill_once",
                violation_error_message=_("该员工已有此技能。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.skill} L{self.level}"


class SwitchSettings(models.Model):
    """The switch's parameters: one row (pk 1)."""

    greeting = models.ForeignKey(
        Prompt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("问候语"),
        help_text=_("S1：来电接通后首先播放；空 = 不播放。"),
    )
    tone_volume = models.PositiveSmallIntegerField(
        _("提示音音量（%）"), default=50, validators=[MaxValueValidator(100)]
    )
    tone_ms = models.PositiveIntegerField(_("提示音长度（毫秒）"), default=300)
    ring_timeout = models.FloatField(
        _("振铃超时（秒）"), default=15, help_text=_("S7：超时未接则转其他空闲坐席。")
    )
    max_no_answers = models.PositiveSmallIntegerField(
        _("连续未接次数上限"), default=3, help_text=_("达到后坐席自动置为示忙。")
    )
    reoffer_backoff = models.FloatField(
        _("同一来电不再回振间隔（秒）"), default=60, validators=seconds
    )
    wrap_up = models.FloatField(_("话后整理（秒）"), default=0, validators=seconds)
    supervisor_seat = models.ForeignKey(
        Seat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("班长席"),
    )
    directed_max_wait = models.FloatField(_("转接最长等待（秒）"), default=120)
    release_local = models.CharField(
        _("市话释放方式"), max_length=10, choices=ReleaseControl.choices, default="either"
    )
    release_long_distance = models.CharField(
        _("长途释放方式"), max_length=10, choices=ReleaseControl.choices, default="caller"
    )
    caller_release_timeout = models.FloatField(_("等待主叫挂机（秒）"), default=60)
    record_all = models.BooleanField(_("全程录音"), default=False)
    merged_seats = models.BooleanField(
        _("合席（夜间）模式"), default=False, help_text=_("S6：任一登录坐席可接任何来电。")
    )
    ageing_seconds = models.FloatField(
        _("优先级老化（秒）"),
        null=True,
        blank=True,
        default=120,
        help_text=_("普通来电每等待这么久提升一级，避免一直排不上；空 = 严格优先。"),
    )
    local_area_code = models.CharField(
        _("本地区号"),
        max_length=4,
        blank=True,
        help_text=_("其他区号的固定电话算长途；空 = 使用系统设置 KEFU_PHONE_AREA_CODE。"),
    )
    mobile_long_distance = models.BooleanField(_("手机来电按长途"), default=False)
    default_queue = models.ForeignKey(
        Queue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("默认队列"),
    )
    default_ivr = models.ForeignKey(
        IvrTree,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("默认语音导航"),
    )
    pin_max_failures = models.PositiveSmallIntegerField(
        _("密码连续错误冻结次数"), default=6, help_text=_("X2：达到后冻结电话自助服务并短信提醒。")
    )
    lookup_timeout = models.FloatField(_("自助查询超时（秒）"), default=10)
    dial_timeout = models.FloatField(_("外呼无人接超时（秒）"), default=45)
    watchdog_interval = models.FloatField(_("巡检间隔（秒）"), default=60)
    history = AuditHistory()

    class Meta:
        verbose_name = _("交换机参数")
        verbose_name_plural = _("交换机参数")

    def __str__(self) -> str:
        return str(_("交换机参数"))

    @classmethod
    def load(cls) -> SwitchSettings:
        found, _created = cls.objects.get_or_create(pk=1)
        return found


class ConfigChange(models.Model):
    """One accepted configuration change: its version is what the switch reports applying."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    summary = models.CharField(_("变更内容"), max_length=300)
    applied = models.BooleanField(_("已生效"), default=False)
    result = models.CharField(_("生效结果"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("配置变更")
        verbose_name_plural = _("配置变更")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"v{self.pk} {self.summary}"
