from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "tillsammans.ideas"
    verbose_name = _("Idea lab")

    def ready(self) -> None:
        from tillsammans.accounts.rules import is_coach
        from tillsammans.core import start_page
        from tillsammans.ideas import rules  # noqa: F401 (registers the permissions)

        start_page.register(
            start_page.StartPageEntry(
                key="ideas-new",
                title=_("Share an idea"),
                description=_(
                    "Want to start something where you live? Tell us your idea and an idea coach "
                    "helps you on the way."
                ),
                url_name="ideas:new",
                order=175,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="ideas-staff",
                title=_("Ideas"),
                description=_("Ideas from residents: give feedback and coach them on the way."),
                url_name="ideas:staff_list",
                order=45,
                # Capabilities are read once per request and cached on the user.
                visible=lambda request: is_coach(request.user),
            )
        )
