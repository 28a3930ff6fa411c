"""A resident may prefer a volunteer from an organisation they know."""

import pytest
from django.urls import reverse

from tests.factories import LocalityFactory, StaffMembershipFactory
from tests.organizations.factories import OrganizationFactory
from tests.volunteering.factories import HelpRequestFactory, VolunteerFactory
from tillsammans.organizations.models import OrganizationStatus
from tillsammans.volunteering.models import Offer, VolunteerStatus
from tillsammans.volunteering.services import matching_run as matching

pytestmark = pytest.mark.django_db


def _place(lat):
    return LocalityFactory(slug=f"ort-{lat}", latitude=lat, longitude="17.81000")


def test_matching_gives_the_preferred_organisations_volunteer_the_edge():
    pro = OrganizationFactory(name="PRO Ekerö")
    help_request = HelpRequestFactory(locality=_place("59.29000"), preferred_organization=pro)
    VolunteerFactory(locality=_place("59.30000"), max_distance_km=30)  # about 1.1 km
    member = VolunteerFactory(locality=_place("59.31000"), max_distance_km=30, organization=pro)

    matching.matching_run(actor=StaffMembershipFactory().user)

    offer = Offer.objects.get(status=Offer.Status.PROPOSED, request=help_request)
    assert offer.volunteer == member
    assert ["preferred_organisation"] in offer.explanation["reasons"]


def test_without_a_preference_the_nearer_volunteer_is_proposed():
    pro = OrganizationFactory(name="PRO Ekerö")
    help_request = HelpRequestFactory(locality=_place("59.29000"))
    nearer = VolunteerFactory(locality=_place("59.30000"), max_distance_km=30)
    VolunteerFactory(locality=_place("59.31000"), max_distance_km=30, organization=pro)

    matching.matching_run(actor=StaffMembershipFactory().user)

    assert Offer.objects.get(status=Offer.Status.PROPOSED, request=help_request).volunteer == nearer


def test_the_form_offers_public_organisations_with_active_volunteers_only(client):
    with_volunteers = OrganizationFactory(name="Röda Korset Ekerö")
    VolunteerFactory(organization=with_volunteers)
    OrganizationFactory(name="Förening utan volontärer")
    paused_only = OrganizationFactory(name="Bara pausade")
    VolunteerFactory(organization=paused_only, status=VolunteerStatus.PAUSED)
    hidden = OrganizationFactory(name="Inte granskad", status=OrganizationStatus.PENDING)
    VolunteerFactory(organization=hidden)

    html = client.get(reverse("volunteering:help_request_new")).content.decode()

    assert "Röda Korset Ekerö" in html
    for name in ("Förening utan volontärer", "Bara pausade", "Inte granskad"):
        assert name not in html
