"""Forms of the desk: seat log-on and the console's switch settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.telephony.models import Queue, SwitchSettings, Trunk

SETTINGS_FIELDS = (
    "ring_timeout",
    "greeting",
    "supervisor_seat",
    "tone_volume",
    "tone_ms",
    "wrap_up",
)


class SeatLogOnForm(forms.Form):
    seat = forms.CharField(label=_("坐席号"), max_length=20)
    employee = forms.CharField(label=_("工号"), max_length=40)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = SwitchSettings
        fields = SETTINGS_FIELDS


class QueueStrategyForm(forms.ModelForm):
    class Meta:
        model = Queue
        fields = ("strategy",)


class TrunkForm(forms.ModelForm):
    class Meta:
        model = Trunk
        fields = ("priority_class", "long_distance")
