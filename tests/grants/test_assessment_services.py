"""Assessment services: conflict declarations (jäv), scores and proposals,
completion requests. Also the builders the other assessment, decision and
ledger tests use."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.grants.factories import (
    ApplicationFactory,
    CriterionFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    grant_officer,
)
from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import NotPermitted
from tillsammans.grants.models import ApplicationStatus, Assessment, ConflictOfInterest
from tillsammans.grants.services import assessment as services
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def submitted(programme=None, **kwargs):
    """An application as the applicant's submit leaves it."""
    kwargs.setdefault("status", ApplicationStatus.SUBMITTED)
    kwargs.setdefault("submitted_at", timezone.now())
    if programme is not None:
        kwargs["programme"] = programme
    return ApplicationFactory(**kwargs)


def setting(*, budget_ore=135_000_00, max_amount_ore=50_000_00, criteria=2):
    """A programme with criteria and this year's budget, and an officer "Anna"."""
    programme = ProgrammeFactory(max_amount_ore=max_amount_ore)
    for number in range(criteria):
        CriterionFactory(programme=programme, weight=number + 1, scale_max=5, order=number)
    ProgrammeBudgetFactory(programme=programme, amount_ore=budget_ore)
    anna = grant_officer(programme.department, user__full_name="Anna Handläggare")
    return programme, anna


def declared(officer, application, *, has_conflict=False):
    return services.conflict_declare(
        actor=officer, application=application, has_conflict=has_conflict
    )


def spaced(text: str) -> str:
    """Amounts are written with non-breaking spaces; compare with plain ones."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def full_scores(programme, score=4):
    return {criterion.pk: (score, "Bra") for criterion in programme.criteria.all()}


# --- Declarations -----------------------------------------------------------------------


def test_an_officer_declares_no_conflict_and_it_is_audited():
    programme, anna = setting()
    application = submitted(programme)

    declaration = declared(anna, application)

    assert declaration.has_conflict is False
    assert ConflictOfInterest.objects.filter(application=application, officer=anna).count() == 1
    assert AuditEntry.objects.filter(target_type="grants.conflictofinterest").count() == 1


def test_a_declaration_is_made_once():
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application)

    with pytest.raises(services.AlreadyDeclared):
        declared(anna, application, has_conflict=True)

    assert not ConflictOfInterest.objects.filter(has_conflict=True).exists()


def test_an_officer_of_another_department_cannot_declare():
    programme, _anna = setting()
    other = grant_officer(ProgrammeFactory().department)
    application = submitted(programme)

    with pytest.raises(NotPermitted):
        declared(other, application)
    assert not ConflictOfInterest.objects.exists()


def test_a_note_longer_than_300_characters_is_refused():
    programme, anna = setting()
    application = submitted(programme)

    with pytest.raises(services.NoteTooLong):
        services.conflict_declare(
            actor=anna, application=application, has_conflict=True, note="x" * 301
        )
    assert not ConflictOfInterest.objects.exists()


# --- Scores -----------------------------------------------------------------------------


def test_an_officer_scores_and_proposes():
    programme, anna = setting()
    application = submitted(programme, requested_ore=30_000_00)
    declared(anna, application)

    assessment = services.assessment_save(
        actor=anna,
        application=application,
        scores=full_scores(programme, 3),
        proposed_ore=25_000_00,
        comment="Ett bra projekt.",
    )

    assert assessment.proposed_ore == 25_000_00
    assert sorted(score.score for score in assessment.scores.all()) == [3, 3]
    assert AuditEntry.objects.filter(target_type="grants.assessment").count() == 1


def test_saving_again_replaces_the_scores():
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application)
    services.assessment_save(
        actor=anna,
        application=application,
        scores=full_scores(programme, 1),
        proposed_ore=0,
        comment="",
    )

    services.assessment_save(
        actor=anna,
        application=application,
        scores=full_scores(programme, 5),
        proposed_ore=100,
        comment="",
    )

    assessment = Assessment.objects.get()
    assert [score.score for score in assessment.scores.all()] == [5, 5]
    assert assessment.proposed_ore == 100


def test_scoring_needs_a_declaration_first():
    programme, anna = setting()
    application = submitted(programme)

    with pytest.raises(services.DeclarationMissing):
        services.assessment_save(
            actor=anna,
            application=application,
            scores=full_scores(programme),
            proposed_ore=0,
            comment="",
        )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("is_admin", [False, True])
def test_an_officer_with_a_conflict_cannot_score(is_admin):
    """Also a site admin, who passes every permission, is kept out."""
    programme, anna = setting()
    if is_admin:
        anna = UserFactory(email="admin@kommun.example.se")
        anna.is_superuser = True
        anna.save()
    application = submitted(programme)
    declared(anna, application, has_conflict=True)

    with pytest.raises(services.ConflictDeclared):
        services.assessment_save(
            actor=anna,
            application=application,
            scores=full_scores(programme),
            proposed_ore=0,
            comment="",
        )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("score", "error"),
    [
        (6, services.ScoreOutOfRange),
        (-1, services.ScoreOutOfRange),
        ("4", services.ScoreOutOfRange),
        (None, services.ScoreMissing),
    ],
)
def test_a_score_outside_the_scale_is_refused(score, error):
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application)
    scores = full_scores(programme)
    first = programme.criteria.first()
    scores[first.pk] = (score, "")

    with pytest.raises(error) as raised:
        services.assessment_save(
            actor=anna, application=application, scores=scores, proposed_ore=0, comment=""
        )
    assert first.title in str(raised.value)
    assert not Assessment.objects.exists()


def test_a_missing_criterion_or_a_foreign_one_is_refused():
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application)
    scores = full_scores(programme)
    foreign = CriterionFactory()

    with pytest.raises(services.ScoreMissing):
        services.assessment_save(
            actor=anna,
            application=application,
            scores=dict(list(scores.items())[:1]),
            proposed_ore=0,
            comment="",
        )
    with pytest.raises(services.UnknownCriterion):
        services.assessment_save(
            actor=anna,
            application=application,
            scores={**scores, foreign.pk: (1, "")},
            proposed_ore=0,
            comment="",
        )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("proposed", "error", "text"),
    [
        (-1, services.ProposalNegative, "kan inte vara negativt"),
        (20_000_01, services.ProposalAboveRequested, "20 000 kr"),
        (50_000_01, services.ProposalAboveMaximum, "50 000 kr"),
    ],
)
def test_a_proposal_out_of_bounds_is_refused(proposed, error, text):
    programme, anna = setting()
    requested = 20_000_00 if error is services.ProposalAboveRequested else 60_000_00
    application = submitted(programme, requested_ore=requested)
    declared(anna, application)

    with pytest.raises(error) as raised:
        services.assessment_save(
            actor=anna,
            application=application,
            scores=full_scores(programme),
            proposed_ore=proposed,
            comment="",
        )
    assert text in spaced(str(raised.value))
    assert not Assessment.objects.exists()


def test_only_submitted_applications_are_scored():
    programme, anna = setting()
    application = submitted(programme, status=ApplicationStatus.NEEDS_COMPLETION)
    declared(anna, application)

    with pytest.raises(services.NotAssessable):
        services.assessment_save(
            actor=anna,
            application=application,
            scores=full_scores(programme),
            proposed_ore=0,
            comment="",
        )
    assert not Assessment.objects.exists()


def test_an_officer_of_another_department_cannot_score():
    programme, _anna = setting()
    application = submitted(programme)
    other = grant_officer(ProgrammeFactory().department)

    with pytest.raises(NotPermitted):
        services.assessment_save(
            actor=other,
            application=application,
            scores=full_scores(programme),
            proposed_ore=0,
            comment="",
        )


# --- Completion -------------------------------------------------------------------------


def test_a_completion_request_reaches_the_applicant_in_their_language():
    programme, anna = setting()
    applicant = UserFactory(preferred_language="en", full_name="Sara Sökande")
    application = submitted(programme, applicant=applicant)
    declared(anna, application)

    services.completion_request(
        actor=anna, application=application, message="Bifoga verksamhetsberättelsen."
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEEDS_COMPLETION
    assert application.completion_request == "Bifoga verksamhetsberättelsen."
    message = OutboxMessage.objects.get()
    assert message.address == applicant.email
    assert message.language == "en"
    assert application.reference in message.subject
    assert "Please complete" in message.subject
    assert "Bifoga verksamhetsberättelsen." in message.body
    assert reverse("grants:application", args=[application.uuid]) in message.body


def test_a_completion_request_needs_a_message_and_a_submitted_application():
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application)

    with pytest.raises(services.CompletionMessageMissing):
        services.completion_request(actor=anna, application=application, message="  ")
    services.completion_request(actor=anna, application=application, message="Mer, tack.")
    with pytest.raises(services.NotAssessable):
        services.completion_request(actor=anna, application=application, message="Igen.")

    assert OutboxMessage.objects.count() == 1


def test_an_officer_with_a_conflict_cannot_request_completion():
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application, has_conflict=True)

    with pytest.raises(services.ConflictDeclared):
        services.completion_request(actor=anna, application=application, message="Mer.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not OutboxMessage.objects.exists()
