from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tillsammans.core"
    verbose_name = _("Shared taxonomy")

    def ready(self) -> None:
        from tillsammans.core import demo_data, start_page
        from tillsammans.core.seed import build_taxonomy

        demo_data.register(demo_data.DemoStep("taxonomy", build_taxonomy))
        start_page.register(
            start_page.StartPageEntry(
                key="privacy",
                title=_("Your personal data"),
                description=_(
                    "What we store about you, why, for how long, and how to download or erase it."
                ),
                url_name="core:privacy",
                order=900,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="accessibility",
                title=_("Accessibility"),
                description=_(
                    "How accessible this service is, and how to tell us about a problem."
                ),
                url_name="core:accessibility",
                order=910,
            )
        )
