"""Sign-ups in a surge (services.volunteer_intake): checked and stored with
their task while the person waits; a task worker makes the volunteer, sends
the link and deletes the intake. The rest of the suite runs the task at once
(the immediate backend); here the dummy backend holds it, so each step shows."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.volunteering.factories import CampaignFactory, VolunteerFactory
from tests.volunteering.test_api_volunteering import sign_up_body
from tests.volunteering.test_volunteers_views import form_data
from tillsammans.audit.models import AuditEntry
from tillsammans.core.models import PostalCode
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import Campaign, SignUpIntake, Volunteer
from tillsammans.volunteering.services import volunteer_intake
from tillsammans.volunteering.services.volunteer_intake import (
    MAX_ATTEMPTS,
    signup_intake_process,
    signup_intakes_process_waiting,
    signup_intakes_retry,
)
from tillsammans.volunteering.tasks import process_signup_intakes

pytestmark = pytest.mark.django_db

API = "/api/v1/volunteering/volunteers"


@pytest.fixture
def held_tasks(settings):
    """Tasks are held, not run: what the person waits for ends at the intake."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = process_signup_intakes.get_backend()
    backend.clear()
    return backend


def post(client, **changes):
    return client.post(
        API,
        sign_up_body(**changes),
        content_type="application/json",
        HTTP_USER_AGENT="Testwebbläsare",
    )


def test_a_sign_up_is_stored_with_its_task_and_made_a_volunteer_by_the_worker(
    client, taxonomy, held_tasks
):
    response = post(client)

    assert response.status_code == 202 and response.json()["channel"] == "email"
    intake = SignUpIntake.objects.get()
    assert intake.payload["email"] == "omar@example.se"
    assert intake.payload["postal_code"] == "17830"  # cleaned before it is stored
    assert intake.user_agent == "Testwebbläsare" and intake.ip_address == "127.0.0.1"
    assert len(held_tasks.results) == 1  # the worker is woken
    assert not Volunteer.objects.exists() and not OutboxMessage.objects.exists()

    assert process_signup_intakes.call() == {"signed-up": 1}

    volunteer = Volunteer.objects.get()
    assert (volunteer.email, volunteer.locality, volunteer.language) == (
        "omar@example.se",
        taxonomy["locality"],
        "en",
    )
    assert list(volunteer.languages.all()) == [taxonomy["swedish"]]
    assert list(volunteer.help_types.all()) == [taxonomy["shopping"]]
    assert volunteer.availability == ["1-morning"]
    message = OutboxMessage.objects.get()
    assert message.address == "omar@example.se" and "/volunteer/me/" in message.body
    entry = AuditEntry.objects.get(target_id=str(volunteer.uuid))
    # The audit entry names the request that asked, not the worker.
    assert (entry.ip_address, entry.user_agent) == ("127.0.0.1", "Testwebbläsare")
    assert not SignUpIntake.objects.exists()
    # A second (duplicate) task finds nothing to do.
    assert signup_intake_process(intake.pk) == "gone"


def test_the_form_stores_the_sign_up_and_says_where_the_link_goes(client, taxonomy, held_tasks):
    data = form_data(taxonomy, phone="")
    response = client.post(reverse("volunteering:volunteer_signup"), data)

    assert response.status_code == 302
    assert SignUpIntake.objects.count() == 1 and not Volunteer.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "o…@example.se" in page and "omar@example.se" not in page


def test_a_signed_in_person_signs_up_at_once(client, taxonomy, held_tasks):
    user = UserFactory(email="omar@example.se")
    client.force_login(user)
    data = form_data(taxonomy, phone="")
    client.post(reverse("volunteering:volunteer_signup"), data)

    assert Volunteer.objects.get().user == user
    assert not SignUpIntake.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"postal_code": "99999"}, "postal_code"),
        ({"languages": ["xx"]}, "languages"),
        ({"consent": False}, "consent"),
        ({"email": "inte en adress"}, "email"),
    ],
)
def test_a_bad_sign_up_is_refused_at_once_and_nothing_is_stored(
    client, taxonomy, held_tasks, changes, field
):
    response = post(client, **changes)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not SignUpIntake.objects.exists() and not held_tasks.results


def test_in_a_surge_one_task_is_enqueued_until_a_worker_takes_it(client, taxonomy, held_tasks):
    for number in range(3):
        assert post(client, email=f"v{number}@example.se").status_code == 202
    assert len(held_tasks.results) == 1

    assert process_signup_intakes.call() == {"signed-up": 3}  # the task takes all three
    post(client, email="later@example.se")
    assert len(held_tasks.results) == 2  # a sign-up after the task started wakes it again


def test_accepting_a_sign_up_reads_no_terms_from_the_database(client, taxonomy, held_tasks):
    post(client, email="first@example.se")  # fills the cache of terms
    with CaptureQueriesContext(connection) as queries:
        assert post(client, email="second@example.se").status_code == 202
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert statements == ["INSERT"]  # the intake; nothing read


def test_a_new_postal_code_counts_at_once(client, taxonomy, held_tasks):
    post(client, email="first@example.se")  # the terms are now cached
    PostalCode.objects.create(code="17890", locality=taxonomy["locality"])

    assert post(client, email="second@example.se", postal_code="178 90").status_code == 202


def test_a_double_submission_gives_one_volunteer_and_one_message(client, taxonomy, held_tasks):
    assert post(client).status_code == post(client).status_code == 202

    outcomes = signup_intakes_process_waiting()

    assert outcomes == {"signed-up": 2}
    assert Volunteer.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_a_known_address_is_handled_as_in_a_direct_sign_up(client, taxonomy, held_tasks):
    known = VolunteerFactory(email="omar@example.se", email_verified_at=timezone.now())
    post(client, full_name="Someone Else")

    signup_intakes_process_waiting()

    known.refresh_from_db()
    assert known.full_name != "Someone Else"  # a confirmed volunteer is never overwritten
    assert Volunteer.objects.count() == 1
    assert not SignUpIntake.objects.exists()


def test_a_campaign_closed_before_processing_tells_the_person_why(client, taxonomy, held_tasks):
    campaign = CampaignFactory(slug="vinter", title="Vinterhjälp")
    assert post(client, campaign="vinter").status_code == 202
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")

    assert signup_intakes_process_waiting() == {"refused": 1}

    assert not Volunteer.objects.exists() and not SignUpIntake.objects.exists()
    message = OutboxMessage.objects.get()
    assert message.address == "omar@example.se" and message.language == "en"
    assert "could not be completed" in message.subject
    assert "Vinterhjälp" in message.body and "is closed" in message.body
    assert reverse("volunteering:volunteer_signup") in message.body


def test_a_closed_campaign_is_refused_at_once(client, taxonomy, held_tasks):
    CampaignFactory(slug="vinter", status="closed")

    assert post(client, campaign="vinter").status_code == 409
    assert not SignUpIntake.objects.exists()


def test_an_unexpected_failure_keeps_the_sign_up_for_another_attempt(
    client, taxonomy, held_tasks, monkeypatch
):
    post(client)
    intake = SignUpIntake.objects.get()

    def broken(**kwargs):
        raise RuntimeError("omar@example.se could not be written")

    monkeypatch.setattr(volunteer_intake, "volunteer_sign_up", broken)
    for _attempt in range(MAX_ATTEMPTS):
        assert signup_intakes_process_waiting() == {"failed": 1}

    intake.refresh_from_db()
    assert intake.attempts == MAX_ATTEMPTS
    assert intake.last_error == "RuntimeError"  # never the message, which may hold the address
    assert signup_intakes_process_waiting() == {}  # now it waits for staff
    monkeypatch.undo()
    assert signup_intakes_retry(pks=[intake.pk]) == {"signed-up": 1}
    assert Volunteer.objects.count() == 1


def test_the_command_processes_what_is_waiting(client, taxonomy, held_tasks, capsys):
    post(client, email="a@example.se")
    post(client, email="b@example.se")

    call_command("volunteering_process_signups")

    assert "2 signed-up" in capsys.readouterr().out
    assert Volunteer.objects.count() == 2 and not SignUpIntake.objects.exists()
    call_command("volunteering_process_signups", loop=1, iterations=1)
    assert "none waiting" in capsys.readouterr().out


def test_sign_ups_that_could_not_be_processed_are_erased_after_30_days(
    client, taxonomy, held_tasks
):
    post(client, email="old@example.se")
    post(client, email="new@example.se")
    SignUpIntake.objects.filter(payload__email="old@example.se").update(
        received_at=timezone.now() - timedelta(days=31)
    )

    call_command("volunteers_erase_unconfirmed")

    assert [i.payload["email"] for i in SignUpIntake.objects.all()] == ["new@example.se"]


def test_with_the_database_backend_a_worker_finds_the_task(client, taxonomy, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post(client)

    task = DBTaskResult.objects.get()
    assert task.task_path == "tillsammans.volunteering.tasks.process_signup_intakes"
    assert SignUpIntake.objects.count() == 1


def test_only_site_admins_see_waiting_sign_ups_and_never_the_details(client, taxonomy, held_tasks):
    post(client)
    intake = SignUpIntake.objects.get()
    url = reverse("admin:volunteering_signupintake_change", args=[intake.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302  # to the admin's login

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(url).content.decode()
    assert "omar@example.se" not in page and "Omar" not in page
