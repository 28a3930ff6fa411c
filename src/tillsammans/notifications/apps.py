from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tillsammans.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from tillsammans.core import personal_data as registry
        from tillsammans.notifications import personal_data

        registry.register(personal_data.NOTIFICATIONS)
