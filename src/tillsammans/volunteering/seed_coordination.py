"""Demo data for coordination: after the volunteers and requests steps, Karin
has run the matching (proposals wait for her review) and Omar has one offer
waiting for his answer. Idempotent: nothing is done when proposals exist."""

from __future__ import annotations

from typing import TextIO

from tillsammans.accounts.models import User
from tillsammans.core.errors import DomainError
from tillsammans.volunteering.models import Offer, Volunteer


def build_coordination(stdout: TextIO) -> None:
    from tillsammans.volunteering.services.matching_run import matching_run
    from tillsammans.volunteering.services.offers import offer_send

    karin = User.objects.filter(email="karin@demo.example").first()
    if karin is None:
        stdout.write("  volunteering: no coordinator, no matching run\n")
        return
    if Offer.objects.filter(status=Offer.Status.PROPOSED).exists():
        stdout.write("  volunteering: proposals already there\n")
        return
    result = matching_run(actor=karin)
    sent = 0
    omar = Volunteer.objects.filter(email="omar@demo.example").first()
    if omar is not None and not omar.offers.filter(status=Offer.Status.SENT).exists():
        proposal = omar.offers.filter(status=Offer.Status.PROPOSED).order_by("-score").first()
        if proposal is None:
            proposal = _proposal_for_omar(omar)
        if proposal is not None:
            try:
                offer_send(offer=proposal, actor=karin)
                sent += 1
            except DomainError:
                pass
    stdout.write(
        f"  volunteering: {result.proposals} proposals for {result.requests} open requests, "
        f"{sent} offer to Omar\n"
    )


def _proposal_for_omar(omar: Volunteer) -> Offer | None:
    """The first open request Omar could take, even if the matching preferred
    someone else for it: proposed to him so the demo has an offer to answer."""
    from tillsammans.volunteering.services.matching_run import (
        matchable_requests,
        request_candidates,
    )

    for help_request in matchable_requests():
        for candidate in request_candidates(help_request=help_request, limit=50):
            if candidate.volunteer.pk == omar.pk:
                Offer.objects.filter(request=help_request, status=Offer.Status.PROPOSED).delete()
                return Offer.objects.create(
                    request=help_request,
                    volunteer=omar,
                    status=Offer.Status.PROPOSED,
                    score=candidate.score,
                    explanation=candidate.explanation,
                )
    return None
