"""The decision list, recording a decision and payments through the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.grants.factories import ProgrammeBudgetFactory, ProgrammeFactory, grant_officer
from tests.grants.test_assessment_services import declared, full_scores, spaced, submitted
from tests.grants.test_assessment_views import OFFICERS_ONLY, officer_client, roles_programme
from tillsammans.grants.models import ApplicationStatus, Decision, Payment, ProgrammeBudget
from tillsammans.grants.services import assessment as assessment_services
from tillsammans.grants.services import decisions as services
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def grant(officer, application, amount_ore):
    return services.decision_record(
        actor=officer,
        application=application,
        outcome="granted",
        amount_ore=amount_ore,
        decided_on=today(),
    )


def test_permission_table_for_every_decision_page(roles):
    programme = roles_programme()
    application = submitted(programme)
    decided = submitted(programme)
    officer = roles.user("staff_grant_officer")
    admin = roles.user("site_admin")
    for user in (officer, admin):
        declared(user, application)
        declared(user, decided)
    decision = grant(officer, decided, 1_000_00)

    roles.assert_access(reverse("grants:decision_list", args=[programme.slug]), OFFICERS_ONLY)
    roles.assert_access(reverse("grants:decide", args=[application.uuid]), OFFICERS_ONLY)
    roles.assert_access(reverse("grants:payments", args=[decision.uuid]), OFFICERS_ONLY)
    # Posting an empty form as anyone: nothing is written.
    roles.assert_access(
        reverse("grants:decide", args=[application.uuid]), OFFICERS_ONLY, method="post", data={}
    )
    roles.assert_access(
        reverse("grants:payments", args=[decision.uuid]), OFFICERS_ONLY, method="post", data={}
    )
    assert Decision.objects.count() == 1
    assert not Payment.objects.exists()


def test_jav_and_other_departments_get_404_on_decision_pages():
    programme = roles_programme()
    application = submitted(programme)
    decided = submitted(programme)
    anna = grant_officer(programme.department)
    declared(anna, decided)
    decision = grant(anna, decided, 1_000_00)
    bertil = grant_officer(programme.department)
    declared(bertil, application, has_conflict=True)
    declared(bertil, decided, has_conflict=True)
    other = grant_officer(ProgrammeFactory().department)

    for client in (officer_client(bertil), officer_client(other)):
        assert client.get(reverse("grants:decide", args=[application.uuid])).status_code == 404
        assert client.get(reverse("grants:payments", args=[decision.uuid])).status_code == 404
    assert (
        officer_client(other).get(reverse("grants:decision_list", args=[programme.slug]))
    ).status_code == 404


def test_deciding_and_paying_need_a_declaration_first():
    programme = roles_programme()
    application = submitted(programme)
    decided = submitted(programme)
    anna = grant_officer(programme.department)
    bertil = grant_officer(programme.department)
    declared(bertil, decided)
    decision = grant(bertil, decided, 1_000_00)
    client = officer_client(anna)

    response = client.get(reverse("grants:decide", args=[application.uuid]))
    paying = client.post(
        reverse("grants:payments", args=[decision.uuid]),
        {"paid_on": today().isoformat(), "amount": "100", "reference": "Ver 9"},
    )

    assert response.status_code == 302
    assert response.url == reverse("grants:assessment", args=[application.uuid])
    assert paying.status_code == 302
    assert paying.url == reverse("grants:assessment", args=[decided.uuid])
    assert not Payment.objects.exists()


def _decide(client, application, **data):
    data.setdefault("decided_on", today().isoformat())
    return client.post(reverse("grants:decide", args=[application.uuid]), data)


def test_recording_a_grant_through_the_form():
    programme = roles_programme()
    application = submitted(programme, requested_ore=20_000_00)
    anna = grant_officer(programme.department)
    declared(anna, application)

    response = _decide(
        officer_client(anna),
        application,
        outcome="granted",
        amount="12 500",
        conditions="Redovisa i juni.",
    )

    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.amount_ore == 12_500_00 and decision.conditions == "Redovisa i juni."
    assert ProgrammeBudget.objects.get(programme=programme).committed_ore == 12_500_00
    assert OutboxMessage.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": "granted", "amount": "tolv tusen"}, "amount"),
        ({"outcome": "granted", "amount": "-100"}, "amount"),
        ({"outcome": "granted", "amount": "100,001"}, "amount"),
        ({"outcome": "granted", "amount": ""}, "amount"),
        ({"outcome": "granted", "amount": "0"}, "amount"),
        ({"outcome": "granted", "amount": "20 000,01"}, "amount"),
        ({"outcome": "granted", "amount": "60 000"}, "amount"),
        ({"outcome": "rejected", "reason": ""}, "reason"),
        ({"outcome": "kanske"}, "outcome"),
        ({"outcome": "granted", "amount": "100", "decided_on": "igår"}, "decided_on"),
    ],
)
def test_bad_input_on_the_decision_form_is_shown_and_nothing_is_written(data, field):
    programme = roles_programme()
    application = submitted(programme, requested_ore=20_000_00)
    anna = grant_officer(programme.department)
    declared(anna, application)

    response = _decide(officer_client(anna), application, conditions="Villkor", **data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "error-summary" in response.content.decode()
    assert "Villkor" in response.content.decode()
    assert not Decision.objects.exists()
    assert ProgrammeBudget.objects.get(programme=programme).committed_ore == 0
    assert not OutboxMessage.objects.exists()


def test_over_commitment_is_shown_next_to_the_amount():
    programme = roles_programme()
    ProgrammeBudget.objects.filter(programme=programme).update(amount_ore=30_000_00)
    first = submitted(programme, requested_ore=20_000_00)
    second = submitted(programme, requested_ore=20_000_00)
    anna = grant_officer(programme.department)
    declared(anna, first)
    declared(anna, second)
    grant(anna, first, 18_000_00)

    response = _decide(officer_client(anna), second, outcome="granted", amount="15 000")

    assert response.status_code == 200
    assert "12 000 kr" in spaced(" ".join(response.context["form"].errors["amount"]))
    assert Decision.objects.count() == 1


def test_a_second_decision_is_refused_on_the_page():
    programme = roles_programme()
    application = submitted(programme)
    anna = grant_officer(programme.department)
    declared(anna, application)
    grant(anna, application, 1_000_00)
    client = officer_client(anna)

    page = client.get(reverse("grants:decide", args=[application.uuid]))
    response = _decide(client, application, outcome="granted", amount="500")

    assert page.context["decided"] is True
    assert response.status_code == 200
    assert Decision.objects.count() == 1
    assert ProgrammeBudget.objects.get(programme=programme).committed_ore == 1_000_00


def test_recording_payments_through_the_form():
    programme = roles_programme()
    application = submitted(programme, requested_ore=10_000_00)
    anna = grant_officer(programme.department)
    declared(anna, application)
    decision = grant(anna, application, 10_000_00)
    client = officer_client(anna)
    url = reverse("grants:payments", args=[decision.uuid])
    paid_on = today().isoformat()

    first = client.post(url, {"paid_on": paid_on, "amount": "6 000", "reference": "Ver 1"})
    too_much = client.post(url, {"paid_on": paid_on, "amount": "4 000,01", "reference": "Ver 2"})
    bad = client.post(url, {"paid_on": paid_on, "amount": "fyra", "reference": "Ver 3"})
    early = client.post(
        url,
        {"paid_on": (today() - timedelta(days=1)).isoformat(), "amount": "1", "reference": "V"},
    )

    assert first.status_code == 302
    assert "4 000 kr" in spaced(" ".join(too_much.context["form"].errors["amount"]))
    assert bad.context["form"].errors["amount"]
    assert early.context["form"].errors["paid_on"]
    assert list(Payment.objects.values_list("amount_ore", flat=True)) == [6_000_00]
    page = client.get(url).content.decode()
    assert "Ver 1" in spaced(page)


def test_the_decision_list_sorts_by_score_and_totals_against_the_budget():
    programme = roles_programme()
    ProgrammeBudget.objects.filter(programme=programme).update(
        amount_ore=100_000_00, committed_ore=40_000_00
    )
    anna = grant_officer(programme.department)
    low = submitted(programme, requested_ore=30_000_00, title="Låg")
    high = submitted(programme, requested_ore=30_000_00, title="Hög")
    unscored = submitted(programme, requested_ore=10_000_00, title="Obedömd")
    conflicted = submitted(programme, requested_ore=10_000_00, title="Jävig")
    decided = submitted(programme, status=ApplicationStatus.GRANTED)
    bertil = grant_officer(programme.department)
    for application, score, proposed in ((low, 1, 10_000_00), (high, 5, 30_000_00)):
        declared(bertil, application)
        assessment_services.assessment_save(
            actor=bertil,
            application=application,
            scores=full_scores(programme, score),
            proposed_ore=proposed,
            comment="",
        )
    declared(anna, conflicted, has_conflict=True)

    response = officer_client(anna).get(reverse("grants:decision_list", args=[programme.slug]))

    report = response.context["report"]
    assert [row.application for row in report.rows] == [high, low, unscored]
    assert decided not in [row.application for row in report.rows]
    assert report.left_out == 1
    assert report.proposed_total_ore == 40_000_00
    assert report.would_remain_ore == 100_000_00 - 40_000_00 - 40_000_00
    page = spaced(response.content.decode())
    assert "100 000 kr" in page and "40 000 kr" in page and "20 000 kr" in page
    assert "Jävig" not in page


def test_the_decision_list_of_another_year():
    programme = roles_programme()
    ProgrammeBudgetFactory(programme=programme, year=2031, amount_ore=7_000_00)
    anna = grant_officer(programme.department)
    client = officer_client(anna)
    url = reverse("grants:decision_list", args=[programme.slug])

    assert client.get(url, {"year": "2031"}).context["report"].budget_ore == 7_000_00
    fallback = client.get(url, {"year": "förra året"}).context["report"]
    assert fallback.year == today().year


@pytest.mark.parametrize("count", [3, 30])
def test_the_decision_list_has_a_fixed_query_count(count, django_assert_num_queries):
    programme = roles_programme()
    anna = grant_officer(programme.department)
    bertil = grant_officer(programme.department)
    for number in range(count):
        application = submitted(programme)
        declared(anna, application, has_conflict=number == 0)
        declared(bertil, application)
        assessment_services.assessment_save(
            actor=bertil,
            application=application,
            scores=full_scores(programme, 3),
            proposed_ore=1_000_00,
            comment="",
        )
    client = officer_client(anna)
    url = reverse("grants:decision_list", args=[programme.slug])
    client.get(url)

    # session, user, capabilities, second factor, officer departments, programme,
    # budget, criteria, applications, assessments, scores, the officer's declarations
    with django_assert_num_queries(12):
        response = client.get(url)

    assert len(response.context["report"].rows) == count - 1
