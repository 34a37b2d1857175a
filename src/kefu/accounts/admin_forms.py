from __future__ import annotations

from django import forms
from django.contrib.auth.forms import ReadOnlyPasswordHashField, UserCreationForm
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User


class StaffCreationForm(UserCreationForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ["username", "name", "kind", "groups", "teams"]


class StaffChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    password = ReadOnlyPasswordHashField(label=_("密码"))

    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "kind",
            "email",
            "phone",
            "password",
            "groups",
            "teams",
            "is_active",
            "is_superuser",
            "user_permissions",
        ]
