from django.utils.translation import gettext_lazy as _

from tillsammans.core.personal_data import PersonalDataProvider
from tillsammans.organizations.models import Representative


def export_representation(user) -> list[dict]:
    return [
        {"organization": rep.organization.name, "role": rep.role, "since": rep.created_at}
        for rep in Representative.objects.filter(user=user).select_related("organization")
    ]


def erase_representation(user) -> None:
    Representative.objects.filter(user=user).delete()


REPRESENTATION = PersonalDataProvider(
    key="organizations",
    label=_("Which organisations you represent"),
    export=export_representation,
    erase=erase_representation,
)
