from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tillsammans.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from tillsammans.accounts import personal_data, seed
        from tillsammans.core import demo_data, start_page
        from tillsammans.core import personal_data as registry

        registry.register(personal_data.ACCOUNT)
        demo_data.register(demo_data.DemoStep("municipality", seed.build_municipality))
        start_page.register(
            start_page.StartPageEntry(
                key="account",
                title=_("Create an account"),
                description=_(
                    "An account lets you volunteer, represent your association and follow "
                    "what you have sent in. Browsing and asking questions need no account."
                ),
                url_name="account_signup",
                order=800,
                visible=lambda request: not request.user.is_authenticated,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="my-account",
                title=_("My account"),
                description=_("Your details, two-factor sign-in, and your personal data."),
                url_name="accounts:profile",
                order=800,
                visible=lambda request: request.user.is_authenticated,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="staff-tools",
                title=_("Staff tools"),
                description=_("Tools for municipal staff."),
                url_name="accounts:staff",
                order=10,
                visible=lambda request: request.user.has_perm("accounts.view_staff_tools"),
            )
        )
