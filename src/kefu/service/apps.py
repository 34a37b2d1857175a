from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "kefu.service"
    verbose_name = _("客户请求")

    def ready(self) -> None:
        from kefu.accounts.history import cache_history_managers
        from kefu.service import webhooks
        from kefu.service.config import watch_config
        from kefu.service.seeds import reseed_empty_tables

        post_migrate.connect(reseed_empty_tables, sender=self, dispatch_uid="service_reseed")
        webhooks.connect()
        watch_config()
        cache_history_managers(self.label)
