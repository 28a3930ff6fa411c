"""Awards: anyone nominates an organisation, the board chooses, the winner is public.

Only organisations can be nominated or win, and only those the award's
rules admit (``eligibility_problems``: verified and current in the register,
allowed legal form; never loose networks or individuals unless the
programme says so). The nominators' names and addresses are kept only until
the year's winner is recorded, then erased: they were asked for to thank
them and to ask about the motivation.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError
from tillsammans.grants.models import AwardWinner, Nomination, Programme, ProgrammeKind
from tillsammans.grants.services.eligibility import eligibility_problems, programme_is_open
from tillsammans.notifications.addresses import normalise_email

if TYPE_CHECKING:
    from tillsammans.accounts.models import User
    from tillsammans.organizations.models import Organization

MOTIVATION_MAX_LENGTH = 2000


class AwardError(DomainError):
    """A failed rule about an award; ``field`` names the form field it is about."""

    field: str | None = None


class NotAnAward(AwardError):
    message = _("This programme is not an award.")
    status_code = 404


class NominationsClosed(AwardError):
    message = _("Nominations for this award are closed.")
    status_code = 409


class NotNominable(AwardError):
    field = "organization"


class MotivationMissing(AwardError):
    message = _("Tell us why the organisation deserves the award.")
    field = "motivation"


class MotivationTooLong(AwardError):
    message = _("Keep the motivation under %(limit)s characters.")
    field = "motivation"


class NominatorEmailInvalid(AwardError):
    message = _("“%(value)s” is not an e-mail address. Write it like name@example.se.")
    field = "nominator_email"


class WinnerAlreadyRecorded(AwardError):
    message = _("The winner of %(year)s is already recorded.")
    status_code = 409


class DecisionDateInvalid(AwardError):
    message = _("The decision cannot be dated in the future.")
    field = "decided_on"


def _require_award(programme: Programme) -> None:
    if programme.kind != ProgrammeKind.AWARD:
        raise NotAnAward()


def _require_nominable(programme: Programme, organization: Organization) -> None:
    problems = eligibility_problems(programme, organization=organization)
    if problems:
        raise NotNominable(problems[0].message)


def nomination_create(
    *,
    programme: Programme,
    organization: Organization,
    motivation: str,
    nominator_name: str = "",
    nominator_email: str = "",
    now=None,
) -> Nomination:
    """Anyone nominates an organisation while the award takes nominations
    (``NominationsClosed``); the organisation must be one the award admits
    (``NotNominable`` with what is missing). No account needed."""
    _require_award(programme)
    now = now or timezone.now()
    if programme_is_open(programme, now) is None:
        raise NominationsClosed()
    _require_nominable(programme, organization)
    motivation = (motivation or "").strip()
    if not motivation:
        raise MotivationMissing()
    if len(motivation) > MOTIVATION_MAX_LENGTH:
        raise MotivationTooLong(limit=MOTIVATION_MAX_LENGTH)
    email = ""
    if (nominator_email or "").strip():
        email = normalise_email(nominator_email.strip())
        if email is None:
            raise NominatorEmailInvalid(value=nominator_email.strip())
    with transaction.atomic():
        nomination = Nomination.objects.create(
            programme=programme,
            organization=organization,
            year=timezone.localdate(now).year,
            motivation=motivation,
            nominator_name=" ".join((nominator_name or "").split())[:120],
            nominator_email=email,
        )
    return nomination


def award_winner_record(
    *,
    actor: User,
    programme: Programme,
    year: int,
    organization: Organization,
    motivation: str,
    decided_on: date,
    request=None,
) -> AwardWinner:
    """Record the board's choice for the award's year (one winner a year:
    ``WinnerAlreadyRecorded``), then erase the year's nominators' names and
    addresses. The winner must still be one the award admits. Locks the
    programme row, so two officers recording at once give one winner."""
    _require_award(programme)
    motivation = (motivation or "").strip()
    if not motivation:
        raise MotivationMissing()
    if decided_on > timezone.localdate():
        raise DecisionDateInvalid()
    _require_nominable(programme, organization)
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        if AwardWinner.objects.filter(programme=programme, year=year).exists():
            raise WinnerAlreadyRecorded(year=year)
        winner = AwardWinner.objects.create(
            programme=programme,
            year=year,
            organization=organization,
            motivation=motivation,
            decided_on=decided_on,
            recorded_by=actor,
        )
        erased = Nomination.objects.filter(programme=programme, year=year).update(
            nominator_name="", nominator_email=""
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=winner,
            request=request,
            details={"award": programme.slug, "year": year, "nominators_erased": erased},
        )
    return winner
