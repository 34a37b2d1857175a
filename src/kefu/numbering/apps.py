from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumberingConfig(AppConfig):
    name = "kefu.numbering"
    verbose_name = _("记录编号")
