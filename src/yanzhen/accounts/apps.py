from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yanzhen.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from yanzhen.accounts import signals  # noqa: F401  (security events into the audit log)
