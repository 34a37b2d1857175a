from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "kefu.sla"
    label = "sla"
    verbose_name = _("服务级别与升级")

    def ready(self) -> None:
        from kefu.accounts.history import cache_history_managers
        from kefu.sla import receivers
        from kefu.sla.loading import watch_sla_config

        receivers.connect()
        watch_sla_config()
        cache_history_managers(self.label)
