from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "tillsammans.organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.core import checks

        from tillsammans.core import demo_data, start_page
        from tillsammans.core import personal_data as registry
        from tillsammans.organizations import personal_data, seed, storage
        from tillsammans.organizations.rules import is_organization_representative

        checks.register(storage.check_private_storage, checks.Tags.security)
        registry.register(personal_data.REPRESENTATION)
        registry.register(personal_data.REQUESTS)
        demo_data.register(demo_data.DemoStep("organizations", seed.build_organizations))
        start_page.register(
            start_page.StartPageEntry(
                key="organizations-register",
                title=_("Register your organisation"),
                description=_(
                    "Associations, foundations, faith communities and networks: be found "
                    "in the directory and apply for support."
                ),
                url_name="organizations:register",
                order=300,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="organizations-manage",
                title=_("My organisations"),
                description=_("Keep your organisation's details and representatives up to date."),
                url_name="organizations:manage",
                order=310,
                visible=lambda request: (
                    request.user.has_perm("organizations.view_own_organizations")
                    and is_organization_representative(request.user)
                ),
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="organizations-queue",
                title=_("Register queue"),
                description=_("Verify new and changed organisations; the whole register."),
                url_name="organizations:queue",
                order=20,
                visible=lambda request: request.user.has_perm("organizations.review_organization"),
            )
        )
