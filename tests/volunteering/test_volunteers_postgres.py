"""Simultaneous identical sign-ups give one volunteer and one message
(PostgreSQL, real threads with their own connections)."""

import threading

import pytest
from django.db import connection, connections

from tests.factories import LanguageFactory, LocalityFactory
from tests.volunteering.factories import (
    CampaignFactory,
    HelpTypeFactory,
    PostalCodeFactory,
    VolunteerDetailsFactory,
)
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import Volunteer
from tillsammans.volunteering.services.volunteers import volunteer_sign_up

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(count, target):
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        try:
            barrier.wait()
            outcome = target(number)
        except Exception as error:  # reported by the assertions below
            outcome = f"error {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("different_names", [False, True])
def test_simultaneous_sign_ups_with_one_address_give_one_volunteer(different_names):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    PostalCodeFactory(code="17830", locality=LocalityFactory(slug="ekero-centrum"))
    languages = [LanguageFactory()]
    help_types = [HelpTypeFactory(slug="handla")]

    def sign_up(number):
        details = VolunteerDetailsFactory(
            full_name=f"Omar {number}" if different_names else "Omar Volontär",
            languages=languages,
            help_types=help_types,
        )
        receipt = volunteer_sign_up(details=details, consent=True, language="sv")
        return f"ok {receipt.volunteer.pk}"

    outcomes = run_at_once(8, sign_up)

    assert not [outcome for outcome in outcomes if outcome.startswith("error")], outcomes
    assert Volunteer.objects.count() == 1
    assert len(set(outcomes)) == 1
    assert OutboxMessage.objects.count() == 1
    volunteer = Volunteer.objects.get()
    assert volunteer.email == "omar@example.se" and volunteer.phone == "+46701234567"
    assert volunteer.help_types.count() == 1 and volunteer.languages.count() == 1


def test_sign_ups_racing_a_close_never_join_the_closed_campaign():
    """Sign-ups and a coordinator's close, all at once: each sign-up either
    commits before the close (and is in the campaign) or is refused with
    nothing written; none lands in the campaign after it closed."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from tests.roles import staff
    from tillsammans.volunteering.models import Campaign, CampaignSignup
    from tillsammans.volunteering.services.campaigns import CampaignClosed, campaign_close

    PostalCodeFactory(code="17830", locality=LocalityFactory(slug="ekero-centrum"))
    languages = [LanguageFactory()]
    help_types = [HelpTypeFactory(slug="handla")]
    coordinator = staff("coordinator")()
    read_open = CampaignFactory(title="Vinterhjälp")  # as each sign-up page read it
    sign_ups = 7

    def act(number):
        if number == sign_ups:
            campaign_close(campaign=Campaign.objects.get(pk=read_open.pk), actor=coordinator)
            return "closed"
        details = VolunteerDetailsFactory(
            full_name=f"Volontär {number}",
            email=f"v{number}@example.se",
            phone="",
            languages=languages,
            help_types=help_types,
        )
        try:
            volunteer_sign_up(details=details, consent=True, language="sv", campaign=read_open)
        except CampaignClosed:
            return "refused"
        return "ok"

    outcomes = run_at_once(sign_ups + 1, act)

    assert set(outcomes) <= {"closed", "ok", "refused"}, outcomes
    assert outcomes.count("closed") == 1
    campaign = Campaign.objects.get(pk=read_open.pk)
    signups = list(CampaignSignup.objects.filter(campaign=campaign))
    assert len(signups) == outcomes.count("ok") == Volunteer.objects.count()
    assert all(signup.created_at < campaign.closed_at for signup in signups)
    assert OutboxMessage.objects.count() == outcomes.count("ok")


def test_workers_sharing_a_backlog_make_each_sign_up_once(settings):
    """Four task workers at once on 40 waiting sign-ups, ten of them a second
    submission of another's address: every address one volunteer and one
    message, every intake processed exactly once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from tillsammans.volunteering.models import SignUpIntake
    from tillsammans.volunteering.services.volunteer_intake import (
        signup_intakes_work_off,
        volunteer_sign_up_accept,
    )

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    PostalCodeFactory(code="17830", locality=LocalityFactory(slug="ekero-centrum"))
    languages = [LanguageFactory()]
    help_types = [HelpTypeFactory(slug="handla")]
    for number in range(40):
        address = number % 30  # 30 addresses, 10 of them twice
        volunteer_sign_up_accept(
            details=VolunteerDetailsFactory(
                full_name=f"Volontär {number}",
                email=f"v{address}@example.se",
                phone="",
                languages=languages,
                help_types=help_types,
            ),
            consent=True,
        )

    outcomes = run_at_once(4, lambda _number: signup_intakes_work_off())

    assert not [outcome for outcome in outcomes if isinstance(outcome, str)], outcomes
    assert sum(outcome.get("signed-up", 0) for outcome in outcomes) == 40
    assert not SignUpIntake.objects.exists()
    assert Volunteer.objects.count() == 30
    assert OutboxMessage.objects.count() == 30
