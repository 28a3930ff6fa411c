from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "tillsammans.opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from tillsammans.core import start_page

        start_page.register(
            start_page.StartPageEntry(
                key="opendata",
                title=_("Open data"),
                description=_(
                    "Download the register of organisations and the activities as CSV, "
                    "JSON, iCalendar or through the Open Referral (HSDS) API."
                ),
                url_name="opendata:index",
                order=700,
            )
        )
