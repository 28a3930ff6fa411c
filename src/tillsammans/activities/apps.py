from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "tillsammans.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from tillsammans.activities import seed
        from tillsammans.core import demo_data, start_page

        demo_data.register(demo_data.DemoStep("activities", seed.build_activities))
        start_page.register(
            start_page.StartPageEntry(
                key="activities-manage",
                title=_("Your activities"),
                description=_(
                    "Add and update what you offer: times, places, cancelled dates. "
                    "It is shown in the directory."
                ),
                url_name="activities:manage",
                order=320,
                visible=lambda request: request.user.has_perm("activities.view_own_activities"),
            )
        )
