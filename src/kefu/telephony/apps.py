from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelephonyConfig(AppConfig):
    name = "kefu.telephony"
    label = "telephony"
    verbose_name = _("交换机")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.telephony import campaign_lists  # noqa: F401  (journal projections of lists)
