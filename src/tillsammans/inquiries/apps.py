from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "tillsammans.inquiries"
    verbose_name = _("Inquiries")

    def ready(self) -> None:
        from tillsammans.core import demo_data, start_page
        from tillsammans.inquiries import rules, seed

        start_page.register(
            start_page.StartPageEntry(
                key="inquiries-new",
                title=_("Ask the municipality"),
                description=_(
                    "A question, an idea or a problem? Write to us and we call you back."
                ),
                url_name="inquiries:new",
                order=150,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="inquiries-triage",
                title=_("Inquiries"),
                description=_("New and overdue inquiries: route them and see who calls back."),
                url_name="inquiries:triage",
                order=45,
                # Cached capabilities: no new query on the start page.
                visible=lambda request: rules.may_triage(request.user),
            )
        )
        demo_data.register(demo_data.DemoStep("inquiries", seed.build_inquiries))
