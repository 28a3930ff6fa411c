from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "tillsammans.grants"
    verbose_name = _("Grants and awards")

    def ready(self) -> None:
        from tillsammans.core import demo_data, start_page
        from tillsammans.grants import (
            rules,  # noqa: F401 (registers the permissions)
            seed,
            seed_history,
        )
        from tillsammans.organizations.rules import is_organization_representative

        # --- Programmes: the public grants page and the officers' list -----------------------
        start_page.register(
            start_page.StartPageEntry(
                key="grants-index",
                title=_("Grants and awards"),
                description=_(
                    "Every grant and award for associations and networks on one page: who may "
                    "apply, when, and how much. Check whether you can apply."
                ),
                url_name="grants:index",
                order=160,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="grants-staff-programmes",
                title=_("Grant programmes"),
                description=_(
                    "Your department's grants and awards: windows, budgets, criteria and questions."
                ),
                url_name="grants:staff_programmes",
                order=40,
                visible=lambda request: request.user.has_perm("grants.view_staff_pages"),
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="grants-my-applications",
                title=_("My grant applications"),
                description=_("Drafts, applications sent, decisions and follow-up reports."),
                url_name="grants:my_applications",
                order=165,
                # Representatives apply; the check is cached for the start page's other entries.
                visible=lambda request: is_organization_representative(request.user),
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="grants-decisions",
                title=_("Grant decisions"),
                description=_("Who was granted what, when and for what; also as open data."),
                url_name="grants:decisions",
                order=170,
            )
        )
        demo_data.register(demo_data.DemoStep("grants-programmes", seed.build_programmes))
        demo_data.register(demo_data.DemoStep("grants-history", seed_history.build_history))
