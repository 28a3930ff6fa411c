import datetime

import factory

from tests.factories import LocalityFactory
from tests.organizations.factories import OrganizationFactory
from tillsammans.activities.models import Activity, Recurrence


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    slug = factory.Sequence(lambda n: f"aktivitet-{n}")
    description = "Fika och samtal för alla."
    organization = factory.SubFactory(OrganizationFactory)
    locality = factory.SubFactory(LocalityFactory)
    recurrence = Recurrence.WEEKLY
    weekdays = "2"
    starts_on = datetime.date(2026, 1, 7)
    start_time = datetime.time(14, 0)
    end_time = datetime.time(16, 0)
