"""Business calendars as data: weekly working windows, holiday and make-up day rows."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory
from kefu.sla.calendar import CalendarError, DayKind, Window


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("星期一")
    TUESDAY = 1, _("星期二")
    WEDNESDAY = 2, _("星期三")
    THURSDAY = 3, _("星期四")
    FRIDAY = 4, _("星期五")
    SATURDAY = 5, _("星期六")
    SUNDAY = 6, _("星期日")


class DayKindChoice(models.TextChoices):
    HOLIDAY = DayKind.HOLIDAY.value, _("放假")
    WORKDAY = DayKind.WORKDAY.value, _("调休上班")


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("未知的时区：%(zone)s"), params={"zone": value}) from exc


def validate_windows_text(value: str) -> None:
    for part in filter(None, (p.strip() for p in value.split(","))):
        try:
            Window.parse(part)
        except CalendarError as exc:
            raise ValidationError(_("时段格式应为 08:30-12:00，多个时段用逗号分隔。")) from exc


class BusinessCalendar(models.Model):
    """A working calendar (工作日历) SLA clocks count business time on."""

    code = models.SlugField(_("日历代码"), max_length=30, unique=True)
    name = models.CharField(_("日历名称"), max_length=60)
    time_zone = models.CharField(
        _("时区"), max_length=40, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    china_holidays = models.BooleanField(
        _("采用国家法定节假日"),
        default=True,
        help_text=_("按国务院每年公布的放假与调休安排；下面的日期行优先。"),
    )
    makeup_weekday = models.PositiveSmallIntegerField(
        _("调休上班按"),
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text=_("周末调休上班日采用该工作日的时段。"),
    )
    is_default = models.BooleanField(
        _("默认日历"), default=False, help_text=_("没有匹配的服务级别时（如工单时限）使用。")
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="sla_calendar_one_default",
                violation_error_message=_("只能有一个默认日历。"),
            )
        ]

    def __str__(self) -> str:
        return str(self.name)


class WorkingWindow(models.Model):
    """One working window of one weekday, e.g. Monday 08:30–12:00."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="windows", verbose_name=_("日历")
    )
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"), help_text=_("00:00 表示当天 24:00。"))
    history = AuditHistory()

    class Meta:
        verbose_name = _("工作时段")
        verbose_name_plural = _("工作时段")
        ordering = ["calendar", "weekday", "start"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.window()}"

    def window(self) -> Window:
        return Window.of_times(self.start, self.end)

    def clean(self) -> None:
        super().clean()
        try:
            self.window()
        except CalendarError as exc:
            raise ValidationError(_("结束时间必须晚于开始时间。")) from exc


class CalendarDay(models.Model):
    """An explicit day: a company holiday, or a working day on a weekend (调休)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="days", verbose_name=_("日历")
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=DayKindChoice.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True)
    windows = models.CharField(
        _("上班时段"),
        max_length=100,
        blank=True,
        validators=[validate_windows_text],
        help_text=_("仅调休上班日：如 08:30-12:00,13:30-17:30；留空按模板工作日。"),
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"],
                name="sla_calendar_day_unique",
                violation_error_message=_("该日历这一天已有设置。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def window_list(self) -> tuple[Window, ...]:
        return tuple(Window.parse(p) for p in self.windows.split(",") if p.strip())
