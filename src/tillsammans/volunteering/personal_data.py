"""What volunteering holds about an account holder who is a volunteer: their
volunteer profile (details, campaign answers, police-record checks, offers).

Volunteers without an account export and erase from their own page
(``volunteer_export``, ``volunteer_leave``); this provider serves the
account's export and erasure.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tillsammans.core.personal_data import PersonalDataProvider
from tillsammans.volunteering.models import Volunteer
from tillsammans.volunteering.selectors.volunteers import volunteer_data
from tillsammans.volunteering.services.volunteers import volunteer_erase_for_user


def export_volunteer(user) -> dict | None:
    volunteer = Volunteer.objects.filter(user=user).first()
    return volunteer_data(volunteer) if volunteer else None


def erase_volunteer(user) -> None:
    volunteer_erase_for_user(user=user)


VOLUNTEER = PersonalDataProvider(
    key="volunteer",
    label=_("Your volunteer profile"),
    export=export_volunteer,
    erase=erase_volunteer,
)
