from django.contrib import admin
from django.forms import ChoiceField, ModelForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kefu.reports.catalogue import REPORTS
from kefu.reports.models import ReportSchedule, ReportSettings


class ScheduleForm(ModelForm):  # type: ignore[type-arg]
    report = ChoiceField(label=_("报表"), choices=[(k, r.title) for k, r in REPORTS.items()])

    class Meta:
        model = ReportSchedule
        fields = ["name", "report", "frequency", "roles", "hour", "active"]


@admin.register(ReportSchedule)
class ReportScheduleAdmin(SimpleHistoryAdmin):
    form = ScheduleForm
    list_display = ["name", "report", "frequency", "hour", "active", "last_period_start"]
    filter_horizontal = ["roles"]


@admin.register(ReportSettings)
class ReportSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "sl_threshold", "sl_definition"]
