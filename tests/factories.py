"""Factories shared by every app's tests. Named personas make failures readable."""

import factory
from allauth.account.models import EmailAddress

from tillsammans.accounts.models import Capability, Department, StaffMembership, User
from tillsammans.core.models import Area, Language, Locality, TargetGroup

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    full_name = factory.Faker("name", locale="sv_SE")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Pass verified=True for an account with a verified e-mail address."""
        if create and extracted:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"forvaltning-{n}")
    name_sv = factory.Sequence(lambda n: f"Förvaltning {n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory, verified=True)
    department = factory.SubFactory(DepartmentFactory)
    capability = Capability.COORDINATOR


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"area-{n}")
    name_sv = factory.Sequence(lambda n: f"Område {n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")


class TargetGroupFactory(AreaFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ["slug"]


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"ort-{n}")
    name_sv = factory.Sequence(lambda n: f"Ort {n}")
    name_en = factory.SelfAttribute("name_sv")
    latitude = "59.29"
    longitude = "17.81"


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["code"]

    code = "sv"
    name_sv = "svenska"
    name_en = "Swedish"
    native_name = "svenska"
