"""Factories for the grants tests."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import DepartmentFactory, StaffMembershipFactory, UserFactory
from tests.organizations.factories import OrganizationFactory
from tillsammans.accounts.models import Capability
from tillsammans.grants.models import (
    Application,
    ApplicationWindow,
    Criterion,
    Programme,
    ProgrammeBudget,
    ProgrammeKind,
    Question,
    QuestionKind,
)
from tillsammans.organizations.models import OrganizationStatus


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"bidrag-{n}")
    title = factory.Sequence(lambda n: f"Verksamhetsstöd {n}")
    summary = "Stöd till föreningar som gör Ekerö bättre för äldre."
    description = "Föreningar som är aktiva i kommunen kan söka stöd för sin verksamhet."
    kind = ProgrammeKind.OPERATING
    department = factory.SubFactory(DepartmentFactory)
    deciding_body = "Socialnämnden"
    max_amount_ore = 50_000_00
    is_published = True


class OpenWindowFactory(factory.django.DjangoModelFactory):
    """A window open now, closing in two weeks."""

    class Meta:
        model = ApplicationWindow

    programme = factory.SubFactory(ProgrammeFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    decision_meeting_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=40))


class ProgrammeBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeBudget
        django_get_or_create = ["programme", "year"]

    programme = factory.SubFactory(ProgrammeFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    amount_ore = 135_000_00


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Kriterium {n}")
    weight = 1
    scale_max = 5


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    programme = factory.SubFactory(ProgrammeFactory)
    label = factory.Sequence(lambda n: f"Fråga {n}")
    kind = QuestionKind.TEXT
    required = True


class VerifiedOrganizationFactory(OrganizationFactory):
    status = OrganizationStatus.VERIFIED


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    programme = factory.SubFactory(ProgrammeFactory)
    organization = factory.SubFactory(VerifiedOrganizationFactory)
    applicant = factory.SubFactory(UserFactory, verified=True)
    reference = factory.Sequence(lambda n: f"B-{n:05d}")
    title = "Träffar för seniorer"
    purpose = "Vi ordnar veckoträffar med fika och föredrag."
    requested_ore = 20_000_00


def grant_officer(department, **kwargs):
    """A user who is a grant officer in the department."""
    return StaffMembershipFactory(
        department=department, capability=Capability.GRANT_OFFICER, **kwargs
    ).user


# --- Granted decisions (for the transparency pages and the 360Giving export) ---


class GrantedDecisionFactory(factory.django.DjangoModelFactory):
    """A granted decision, made directly (not through the decision service).

    ``GrantedDecisionFactory(application__programme=programme)`` puts it in a
    programme; the budget is that programme's budget for the decision's year.
    """

    class Meta:
        model = "grants.Decision"

    application = factory.SubFactory(ApplicationFactory, status="granted")
    outcome = "granted"
    amount_ore = 10_000_00
    decided_on = factory.LazyFunction(lambda: timezone.localdate().replace(month=6, day=10))
    budget = factory.LazyAttribute(
        lambda o: ProgrammeBudgetFactory(programme=o.application.programme, year=o.decided_on.year)
    )
    recorded_by = factory.SubFactory(UserFactory)
