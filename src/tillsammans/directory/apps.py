from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tillsammans.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from tillsammans.core import start_page

        start_page.register(
            start_page.StartPageEntry(
                key="directory",
                title=_("Find activities and associations"),
                description=_(
                    "What associations and the municipality offer near you: meeting places, "
                    "walks, choirs, language cafés and more. Search, or print a list."
                ),
                url_name="directory:search",
                order=20,
            )
        )
