import datetime

import factory
from django.utils import timezone

from tests.factories import LanguageFactory, LocalityFactory
from tillsammans.volunteering.models import (
    Campaign,
    CampaignQuestion,
    CampaignSignup,
    HelpRequest,
    HelpType,
    Offer,
    SafeguardingCheck,
    Volunteer,
    VolunteerStatus,
)


class HelpTypeFactory(factory.django.DjangoModelFactory):
    """The migration adds the real help types: ``HelpTypeFactory(slug="besok")`` is that row."""

    class Meta:
        model = HelpType
        django_get_or_create = ["slug"]

    slug = "handla"
    name_sv = factory.LazyAttribute(lambda o: o.slug.capitalize())
    name_en = factory.SelfAttribute("name_sv")
    requires_safeguarding = False


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    full_name = factory.Faker("name", locale="sv_SE")
    email = factory.Sequence(lambda n: f"volontar{n}@example.se")
    email_verified_at = factory.LazyFunction(timezone.now)
    locality = factory.SubFactory(LocalityFactory)
    latitude = factory.SelfAttribute("locality.latitude")
    longitude = factory.SelfAttribute("locality.longitude")
    status = VolunteerStatus.ACTIVE
    consent_version = "2026-11"
    consented_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def help_types(self, create, extracted, **kwargs):
        if create:
            self.help_types.set(extracted if extracted is not None else [HelpTypeFactory()])

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create:
            self.languages.set(extracted if extracted is not None else [LanguageFactory()])


class SafeguardingCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafeguardingCheck

    volunteer = factory.SubFactory(VolunteerFactory)
    extract_issued_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=10)
    )
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"kampanj-{n}")
    title = factory.Sequence(lambda n: f"Handlingshjälp {n}")
    description = "Vi hjälper den som inte kan gå ut att handla."

    @factory.post_generation
    def help_types(self, create, extracted, **kwargs):
        if create:
            self.help_types.set(extracted if extracted is not None else [HelpTypeFactory()])


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequest

    help_type = factory.SubFactory(HelpTypeFactory)
    resident_name = "Gunnel Andersson"
    resident_phone = "+46701234567"
    address = "Bryggvägen 3"
    locality = factory.SubFactory(LocalityFactory)
    latitude = factory.SelfAttribute("locality.latitude")
    longitude = factory.SelfAttribute("locality.longitude")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    request = factory.SubFactory(HelpRequestFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    status = Offer.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)
    respond_by = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=24))


class CampaignQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignQuestion

    campaign = factory.SubFactory(CampaignFactory)
    text = "Har du egen bil?"
    kind = CampaignQuestion.Kind.YES_NO


class CampaignSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignSignup

    campaign = factory.SubFactory(CampaignFactory)
    volunteer = factory.SubFactory(VolunteerFactory)


class ProposalFactory(OfferFactory):
    """An offer the matching proposed and no coordinator has confirmed yet."""

    status = Offer.Status.PROPOSED
    sent_at = None
    respond_by = None
    score = 500


# --- Volunteers' sign-up (volunteers helper) ---------------------------------------------------

from tillsammans.volunteering.services.volunteers import VolunteerDetails  # noqa: E402


class PostalCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "core.PostalCode"
        django_get_or_create = ["code"]

    code = "17830"
    locality = factory.SubFactory(LocalityFactory)


class VolunteerDetailsFactory(factory.Factory):
    """What a person types into the sign-up form, as the service takes it."""

    class Meta:
        model = VolunteerDetails

    full_name = "Omar Volontär"
    email = "Omar@Example.se"
    phone = "070-123 45 67"
    postal_code = "178 30"
    locality = None
    languages = factory.LazyFunction(lambda: [LanguageFactory()])
    help_types = factory.LazyFunction(lambda: [HelpTypeFactory(slug="handla")])
    skills = ()
    availability = ("1-morning", "3-evening")
    max_requests_per_week = 1
    max_distance_km = 10
    organization = None
