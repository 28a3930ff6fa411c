"""The officers' assessment pages: who may open them, jäv, scoring and
completion through the forms, and the list's query count."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import DepartmentFactory
from tests.grants.factories import (
    CriterionFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    QuestionFactory,
    grant_officer,
)
from tests.grants.test_assessment_services import declared, full_scores, submitted
from tests.roles import ROLES, _with_totp
from tillsammans.grants.models import (
    ApplicationAttachment,
    ApplicationStatus,
    Assessment,
    BudgetLine,
    ConflictOfInterest,
    QuestionKind,
)
from tillsammans.grants.services import assessment as services
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

# Only grant officers of the programme's department, and site admins.
OFFICERS_ONLY = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "staff_grant_officer": 200,
    "site_admin": 200,
}


def roles_programme():
    """A programme of the department the roles' staff personas belong to."""
    programme = ProgrammeFactory(department=DepartmentFactory(slug="socialforvaltningen"))
    CriterionFactory(programme=programme, title="Nytta för äldre", weight=2, scale_max=5)
    CriterionFactory(programme=programme, title="Genomförbarhet", weight=1, scale_max=5)
    ProgrammeBudgetFactory(programme=programme)
    return programme


def officer_client(officer) -> Client:
    """Signed in, with the second factor staff must have."""
    client = Client()
    client.force_login(_with_totp(officer))
    return client


def test_permission_table_for_the_list_and_the_application(roles):
    programme = roles_programme()
    application = submitted(programme)

    roles.assert_access(reverse("grants:assessment_list", args=[programme.slug]), OFFICERS_ONLY)
    roles.assert_access(reverse("grants:assessment", args=[application.uuid]), OFFICERS_ONLY)


def test_permission_table_for_declaring_and_completion(roles):
    """Posting as anyone else changes nothing; a blank form answers 200 with its errors."""
    programme = roles_programme()
    application = submitted(programme)

    for name in ("grants:assessment_declare", "grants:assessment_completion"):
        roles.assert_access(
            reverse(name, args=[application.uuid]), OFFICERS_ONLY, method="post", data={}
        )
    assert not ConflictOfInterest.objects.exists()
    assert OutboxMessage.objects.count() == 0


def test_officers_of_another_department_get_404():
    programme = roles_programme()
    application = submitted(programme)
    other = officer_client(grant_officer(ProgrammeFactory().department))

    urls = [
        reverse("grants:assessment_list", args=[programme.slug]),
        reverse("grants:assessment", args=[application.uuid]),
    ]
    for url in urls:
        assert other.get(url).status_code == 404
    for name in ("grants:assessment_declare", "grants:assessment_completion"):
        assert other.post(reverse(name, args=[application.uuid]), {}).status_code == 404


def test_a_draft_is_not_shown_to_officers():
    programme = roles_programme()
    draft = submitted(programme, status=ApplicationStatus.DRAFT, submitted_at=None)
    anna = grant_officer(programme.department)

    response = officer_client(anna).get(reverse("grants:assessment", args=[draft.uuid]))
    assert response.status_code == 404


def test_the_officer_declares_before_seeing_the_answers():
    programme = roles_programme()
    question = QuestionFactory(programme=programme, label="Hur många deltar?")
    statutes = QuestionFactory(programme=programme, label="Stadgar", kind=QuestionKind.FILE)
    application = submitted(programme, answers={str(question.pk): "Omkring fyrtio seniorer"})
    attachment = ApplicationAttachment.objects.create(
        application=application,
        question=statutes,
        file="grants/attachments/stadgar.pdf",
        original_name="stadgar.pdf",
        size=2048,
    )
    anna = grant_officer(programme.department)
    client = officer_client(anna)
    url = reverse("grants:assessment", args=[application.uuid])

    page = client.get(url).content.decode()
    assert "Omkring fyrtio seniorer" not in page
    assert "jäv" in page  # the declaration form

    response = client.post(
        reverse("grants:assessment_declare", args=[application.uuid]), {"has_conflict": "no"}
    )
    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert "Omkring fyrtio seniorer" in page
    assert "Hur många deltar?" in page
    assert reverse("grants:attachment", args=[attachment.uuid]) in page


def test_declaring_a_conflict_shuts_the_officer_out():
    programme = roles_programme()
    application = submitted(programme)
    anna = grant_officer(programme.department)
    client = officer_client(anna)

    response = client.post(
        reverse("grants:assessment_declare", args=[application.uuid]),
        {"has_conflict": "yes", "note": "Jag sitter i föreningens styrelse."},
    )

    assert response.status_code == 302
    assert ConflictOfInterest.objects.get().has_conflict is True
    for url in (
        reverse("grants:assessment", args=[application.uuid]),
        reverse("grants:decide", args=[application.uuid]),
    ):
        assert client.get(url).status_code == 404
    listing = client.get(reverse("grants:assessment_list", args=[programme.slug]))
    assert listing.status_code == 200
    assert application.reference in listing.content.decode()
    assert reverse("grants:assessment", args=[application.uuid]) not in listing.content.decode()
    assert listing.context["rows"][0].has_conflict


def test_another_officers_conflict_does_not_hide_the_application_from_me():
    programme = roles_programme()
    application = submitted(programme)
    anna = grant_officer(programme.department)
    bertil = grant_officer(programme.department)
    declared(anna, application)
    declared(bertil, application, has_conflict=True)

    client = officer_client(anna)
    assert client.get(reverse("grants:assessment", args=[application.uuid])).status_code == 200
    assert client.get(reverse("grants:decide", args=[application.uuid])).status_code == 200
    rows = client.get(reverse("grants:assessment_list", args=[programme.slug])).context["rows"]
    assert rows[0].may_see


def test_a_declaration_without_a_choice_shows_the_error():
    programme = roles_programme()
    application = submitted(programme)
    anna = grant_officer(programme.department)

    response = officer_client(anna).post(
        reverse("grants:assessment_declare", args=[application.uuid]), {"note": "Hm"}
    )

    assert response.status_code == 200
    assert response.context["conflict_form"].errors["has_conflict"]
    assert 'value="Hm"' in response.content.decode()
    assert not ConflictOfInterest.objects.exists()


def _score_data(programme, **overrides):
    data = {"proposed": "15 000", "comment": "Bra idé."}
    for criterion in programme.criteria.all():
        data[f"score_{criterion.pk}"] = "4"
        data[f"comment_{criterion.pk}"] = "Tydligt"
    data.update(overrides)
    return data


def test_scoring_through_the_form():
    programme = roles_programme()
    application = submitted(programme, requested_ore=20_000_00)
    BudgetLine.objects.create(application=application, description="Hyra", amount_ore=20_000_00)
    anna = grant_officer(programme.department)
    declared(anna, application)
    client = officer_client(anna)
    url = reverse("grants:assessment", args=[application.uuid])

    response = client.post(url, _score_data(programme, proposed="15 000,50"))

    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.proposed_ore == 15_000_50
    assert [score.score for score in assessment.scores.all()] == [4, 4]
    page = client.get(url).content.decode()
    assert "Hyra" in page


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"proposed": "tjugo"}, "proposed"),
        ({"proposed": "-5"}, "proposed"),
        ({"proposed": "100,505"}, "proposed"),
        ({"proposed": "20 000,01"}, "proposed"),
        ({"proposed": "60 000"}, "proposed"),
        ({"score": "6"}, "score"),
        ({"score": "-1"}, "score"),
        ({"score": "fyra"}, "score"),
    ],
)
def test_bad_input_on_the_scoring_form_keeps_what_was_typed(override, field):
    programme = roles_programme()
    application = submitted(programme, requested_ore=20_000_00)
    anna = grant_officer(programme.department)
    declared(anna, application)
    first = programme.criteria.first()
    data = _score_data(programme)
    if "score" in override:
        data[f"score_{first.pk}"] = override["score"]
        field = f"score_{first.pk}"
    else:
        data.update(override)

    response = officer_client(anna).post(
        reverse("grants:assessment", args=[application.uuid]), data
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field]
    page = response.content.decode()
    assert "error-summary" in page
    assert f'value="{data[field]}"' in page
    assert "Bra idé." in page
    assert not Assessment.objects.exists()


def test_other_officers_scores_are_visible():
    programme = roles_programme()
    application = submitted(programme)
    anna = grant_officer(programme.department)
    bertil = grant_officer(programme.department, user__full_name="Bertil Bedömare")
    for officer in (anna, bertil):
        declared(officer, application)
    services.assessment_save(
        actor=bertil,
        application=application,
        scores=full_scores(programme, 2),
        proposed_ore=5_000_00,
        comment="Svag förankring.",
    )

    page = officer_client(anna).get(reverse("grants:assessment", args=[application.uuid]))

    text = page.content.decode()
    assert "Bertil Bedömare" in text
    assert "Svag förankring." in text
    assert "40.0 %" in text or "40,0 %" in text


def test_requesting_completion_through_the_form():
    programme = roles_programme()
    application = submitted(programme)
    anna = grant_officer(programme.department)
    declared(anna, application)
    client = officer_client(anna)
    url = reverse("grants:assessment_completion", args=[application.uuid])

    empty = client.post(url, {"message": ""})
    assert empty.status_code == 200 and empty.context["completion_form"].errors["message"]
    response = client.post(url, {"message": "Bifoga protokollet från årsmötet."})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEEDS_COMPLETION
    assert "Bifoga protokollet" in OutboxMessage.objects.get().body


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_has_a_fixed_query_count(count, django_assert_num_queries):
    programme = roles_programme()
    anna = grant_officer(programme.department)
    bertil = grant_officer(programme.department)
    for number in range(count):
        application = submitted(programme)
        declared(anna, application, has_conflict=number == 0)
        declared(bertil, application)
        services.assessment_save(
            actor=bertil,
            application=application,
            scores=full_scores(programme, 3),
            proposed_ore=1_000_00,
            comment="",
        )
    client = officer_client(anna)
    url = reverse("grants:assessment_list", args=[programme.slug])
    client.get(url)  # the session and the like, read once

    # session, user, capabilities, second factor, officer departments, programme,
    # criteria, applications, assessments, scores, the officer's declarations
    with django_assert_num_queries(11):
        response = client.get(url)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == count
    assert sum(row.has_conflict for row in rows) == 1
    assert all(row.average_score == 60.0 for row in rows if not row.has_conflict)
    assert all(row.proposed_ore == 1_000_00 for row in rows if not row.has_conflict)
