from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "tillsammans.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from tillsammans.activities import seed
        from tillsammans.core import demo_data

        demo_data.register(demo_data.DemoStep("activities", seed.build_activities))
