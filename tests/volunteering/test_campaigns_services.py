"""Campaigns through the services: opening, closing, standing volunteers down."""

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories import UserFactory
from tests.roles import staff
from tests.volunteering.factories import (
    CampaignFactory,
    CampaignSignupFactory,
    HelpRequestFactory,
    HelpTypeFactory,
    OfferFactory,
    VolunteerFactory,
)
from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import NotPermitted
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import Campaign, CampaignQuestion, Offer, VolunteerStatus
from tillsammans.volunteering.selectors.campaigns import campaign_banners
from tillsammans.volunteering.services.campaigns import (
    CampaignClosed,
    CampaignStillOpen,
    InvalidCampaign,
    QuestionSpec,
    campaign_close,
    campaign_open,
    campaign_require_open,
    campaign_stand_down,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator():
    return staff("coordinator")()


@pytest.fixture
def shopping():
    return HelpTypeFactory(slug="handla")


def test_open_a_campaign_in_one_call(coordinator, shopping):
    campaign = campaign_open(
        actor=coordinator,
        title="Handlingshjälp covid-19",
        description="Vi handlar åt dig som inte kan gå ut.",
        help_types=[shopping],
        questions=[
            QuestionSpec("Har du bil?", CampaignQuestion.Kind.YES_NO, required=True),
            QuestionSpec("   "),  # an empty row of the form is skipped
            QuestionSpec("Vilka dagar kan du?"),
        ],
    )

    assert campaign.slug == "handlingshjalp-covid-19"
    assert campaign.is_open and campaign.show_banner
    assert campaign.opened_by == coordinator
    assert list(campaign.help_types.all()) == [shopping]
    assert [(q.text, q.kind, q.required, q.order) for q in campaign.questions.all()] == [
        ("Har du bil?", "yes_no", True, 0),
        ("Vilka dagar kan du?", "text", False, 1),
    ]
    assert AuditEntry.objects.get(action="create").details["event"] == "campaign_open"


def test_slugs_are_unique_and_never_new(coordinator, shopping):
    first = campaign_open(actor=coordinator, title="Vinter", description="x", help_types=[shopping])
    second = campaign_open(
        actor=coordinator, title="Vinter", description="x", help_types=[shopping]
    )
    fixed = campaign_open(actor=coordinator, title="New", description="x", help_types=[shopping])
    assert (first.slug, second.slug, fixed.slug) == ("vinter", "vinter-2", "new-2")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": " "}, "title", "Give the campaign a title"),
        ({"description": ""}, "description", "Describe the campaign"),
        ({"help_types": []}, "help_types", "at least one kind of help"),
        ({"slug": "Med Mellanslag"}, "slug", "lower-case letters"),
        ({"questions": [QuestionSpec(f"Fråga {n}") for n in range(11)]}, None, "at most 10"),
        ({"questions": [QuestionSpec("Fråga", kind="essay")]}, None, "kind of answer"),
    ],
)
def test_bad_input_writes_nothing(coordinator, shopping, changes, field, message):
    arguments = {"title": "Vinter", "description": "Snö.", "help_types": [shopping], **changes}
    with pytest.raises(InvalidCampaign) as caught:
        campaign_open(actor=coordinator, **arguments)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert not Campaign.objects.exists()
    assert not AuditEntry.objects.exists()


def test_only_coordinators_open_and_close(shopping):
    resident = UserFactory()
    with pytest.raises(NotPermitted):
        campaign_open(actor=resident, title="X", description="Y", help_types=[shopping])
    campaign = CampaignFactory()
    with pytest.raises(NotPermitted):
        campaign_close(campaign=campaign, actor=resident)
    campaign.refresh_from_db()
    assert campaign.is_open


def test_closing_stops_requests_and_removes_the_banner(
    coordinator, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(title="Vinterhjälp")
    assert [b.slug for b in campaign_banners()] == [campaign.slug]

    with django_capture_on_commit_callbacks(execute=True):
        campaign_close(campaign=campaign, actor=coordinator)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED and campaign.closed_at
    assert campaign_banners() == []
    with pytest.raises(CampaignClosed):
        campaign_require_open(campaign)
    assert AuditEntry.objects.get(details__event="campaign_close").actor == coordinator


def test_closing_twice_is_refused(coordinator):
    campaign = CampaignFactory(status=Campaign.Status.CLOSED)
    with pytest.raises(CampaignClosed):
        campaign_close(campaign=campaign, actor=coordinator)


def test_opening_shows_the_banner_at_once(
    coordinator, shopping, django_capture_on_commit_callbacks
):
    assert campaign_banners() == []  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        campaign = campaign_open(
            actor=coordinator, title="Vinter", description="Snö.", help_types=[shopping]
        )
    assert [b.title for b in campaign_banners()] == [campaign.title]


def test_banners_come_from_the_cache(django_assert_num_queries):
    CampaignFactory(show_banner=True)
    CampaignFactory(show_banner=False)
    CampaignFactory(status=Campaign.Status.CLOSED)
    cache.clear()
    with django_assert_num_queries(1):
        assert len(campaign_banners()) == 1
    with django_assert_num_queries(0):
        assert len(campaign_banners()) == 1


# --- Standing down ------------------------------------------------------------------------------


@pytest.fixture
def closed_campaign():
    campaign = CampaignFactory(title="Handlingshjälp covid-19", status=Campaign.Status.CLOSED)
    CampaignSignupFactory(campaign=campaign, volunteer=VolunteerFactory(full_name="Omar"))
    CampaignSignupFactory(
        campaign=campaign,
        volunteer=VolunteerFactory(email="", phone="+46701112233", language="en"),
    )
    CampaignSignupFactory(
        campaign=campaign, volunteer=VolunteerFactory(status=VolunteerStatus.PAUSED)
    )
    CampaignSignupFactory(
        campaign=campaign,
        volunteer=VolunteerFactory(status=VolunteerStatus.LEFT, email="", full_name=""),
    )
    CampaignSignupFactory(volunteer=VolunteerFactory())  # another campaign
    return campaign


def test_stand_down_tells_every_volunteer_once(coordinator, closed_campaign):
    result = campaign_stand_down(
        campaign=closed_campaign, actor=coordinator, message="Tack för er insats!"
    )

    assert (result.queued, result.already_told, result.unreachable) == (3, 0, 0)
    messages = OutboxMessage.objects.order_by("pk")
    assert [m.channel for m in messages] == ["email", "sms", "email"]
    assert all(m.kind == "transactional" for m in messages)
    assert all("Tack för er insats!" in m.body for m in messages)
    assert "Handlingshjälp covid-19" in messages[0].subject
    assert [m.language for m in messages] == ["sv", "en", "sv"]
    assert messages[1].body.startswith("“Handlingshjälp covid-19” has ended:")

    again = campaign_stand_down(campaign=closed_campaign, actor=coordinator, message="Igen")
    assert (again.queued, again.already_told) == (0, 3)
    assert OutboxMessage.objects.count() == 3

    CampaignSignupFactory(campaign=closed_campaign)
    late = campaign_stand_down(campaign=closed_campaign, actor=coordinator, message="Tack!")
    assert (late.queued, late.already_told) == (1, 3)
    assert AuditEntry.objects.filter(details__event="campaign_stand_down").count() == 3


def test_stand_down_ends_the_campaigns_offers_with_one_message_each(coordinator, closed_campaign):
    signed_up = closed_campaign.signups.select_related("volunteer").first().volunteer
    outsider = VolunteerFactory(full_name="Lena")  # matched, never signed up
    request = HelpRequestFactory(campaign=closed_campaign, status="matched")
    OfferFactory(request=request, volunteer=signed_up, status=Offer.Status.ACCEPTED)
    OfferFactory(request=request, volunteer=outsider, status=Offer.Status.SENT)
    other = OfferFactory(status=Offer.Status.ACCEPTED)  # another request

    campaign_stand_down(campaign=closed_campaign, actor=coordinator, message="Tack!")

    assert set(Offer.objects.filter(request=request).values_list("status", flat=True)) == {
        Offer.Status.STOOD_DOWN
    }
    other.refresh_from_db()
    assert other.status == Offer.Status.ACCEPTED
    assert OutboxMessage.objects.filter(address=signed_up.email).count() == 1
    assert OutboxMessage.objects.filter(address=outsider.email).count() == 1
    entry = AuditEntry.objects.get(details__event="campaign_stand_down")
    assert entry.details["offers_ended"] == 2


def test_stand_down_only_after_closing(coordinator):
    campaign = CampaignFactory()
    CampaignSignupFactory(campaign=campaign)
    with pytest.raises(CampaignStillOpen):
        campaign_stand_down(campaign=campaign, actor=coordinator, message="Tack!")
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(("message", "text"), [(" ", "Write the message"), ("x" * 1001, "under")])
def test_stand_down_needs_a_message(coordinator, closed_campaign, message, text):
    with pytest.raises(InvalidCampaign) as caught:
        campaign_stand_down(campaign=closed_campaign, actor=coordinator, message=message)
    assert text in str(caught.value)
    assert not OutboxMessage.objects.exists()


def test_only_coordinators_stand_down(closed_campaign):
    with pytest.raises(NotPermitted):
        campaign_stand_down(campaign=closed_campaign, actor=UserFactory(), message="Hej")
    assert not OutboxMessage.objects.exists()
