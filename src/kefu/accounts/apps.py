from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kefu.accounts"
    verbose_name = _("员工与权限")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kefu.accounts.roles import ensure_builtin_roles

        post_migrate.connect(ensure_builtin_roles, dispatch_uid="kefu-builtin-roles")

        from kefu.accounts import generations
        from kefu.accounts.cached import watch_accounts

        generations.connect()
        watch_accounts()
