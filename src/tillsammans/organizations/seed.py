from typing import TextIO

from django.db import transaction

from tillsammans.accounts.models import User
from tillsammans.organizations.models import Organization, Representative


def build_organizations(stdout: TextIO) -> None:
    with transaction.atomic():
        organization, _created = Organization.objects.get_or_create(
            slug="pro-ekero", defaults={"name": "PRO Ekerö"}
        )
        sara = User.objects.get(email="sara@demo.example")
        Representative.objects.get_or_create(
            organization=organization, user=sara, defaults={"role": Representative.Role.ADMIN}
        )
    stdout.write("  organisations: PRO Ekerö with its representative Sara\n")
