from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "tillsammans.grants"
    verbose_name = _("Grants and awards")

    def ready(self) -> None:
        from tillsammans.grants import rules  # noqa: F401 (registers the permissions)
