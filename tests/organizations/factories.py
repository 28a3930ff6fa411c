import factory

from tests.factories import UserFactory
from tillsammans.organizations.models import (
    LegalForm,
    Organization,
    OrganizationStatus,
    Representative,
)


def valid_organisation_number(n: int) -> str:
    """A Luhn-valid organisationsnummer 802xxx-xxxx, different for each n."""
    from stdnum import luhn

    body = f"802{n:06d}"
    return body + luhn.calc_check_digit(body)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Förening {n}")
    slug = factory.Sequence(lambda n: f"forening-{n}")
    legal_form = LegalForm.NONPROFIT_ASSOCIATION
    organisation_number = factory.Sequence(valid_organisation_number)
    purpose = "Vi träffas och hjälper varandra."
    status = OrganizationStatus.VERIFIED


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory, verified=True)
    role = Representative.Role.ADMIN
