from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "tillsammans.organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from tillsammans.core import demo_data
        from tillsammans.core import personal_data as registry
        from tillsammans.organizations import personal_data, seed

        registry.register(personal_data.REPRESENTATION)
        demo_data.register(demo_data.DemoStep("organizations", seed.build_organizations))
