from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import pgettext_lazy


class NumberingConfig(AppConfig):
    name = "kefu.numbering"
    verbose_name = pgettext_lazy("app", "记录编号")

    def ready(self) -> None:
        from kefu.numbering.seeds import reseed_missing_types
        from kefu.numbering.service import watch_record_types

        watch_record_types()

        post_migrate.connect(reseed_missing_types, sender=self, dispatch_uid="numbering_reseed")
