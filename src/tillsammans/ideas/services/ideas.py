"""Idélabbet's business rules: sending an idea, changing its status (always
with feedback to the submitter), and coaches' private notes.

Which coach gets a new idea: among active users with the COACH capability
(in any department), the one with the fewest open ideas (received, in
dialogue or coaching); ties go to the coach who has been a coach longest
(lowest membership id). Without any coach the idea waits unassigned and
shows in every coach's list.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillsammans.accounts.models import Capability, User
from tillsammans.accounts.rules import is_coach
from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.ideas.models import (
    OPEN_STATUSES,
    TEXT_MAX,
    TITLE_MAX,
    CoachingNote,
    HelpWanted,
    Idea,
    IdeaStatus,
    IdeaStatusChange,
    MessageLanguage,
)
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notification_queue_templated
from tillsammans.volunteering.services.volunteer_details import email_clean, phone_clean

if TYPE_CHECKING:
    from tillsammans.core.models import Area, Locality

EMAIL = OutboxMessage.Channel.EMAIL
SMS = OutboxMessage.Channel.SMS

TRANSITIONS: dict[str, set[str]] = {
    IdeaStatus.RECEIVED: {IdeaStatus.IN_DIALOGUE},
    IdeaStatus.IN_DIALOGUE: {IdeaStatus.COACHING, IdeaStatus.NOT_PURSUED},
    IdeaStatus.COACHING: {IdeaStatus.REALISED, IdeaStatus.NOT_PURSUED},
    IdeaStatus.REALISED: set(),
    IdeaStatus.NOT_PURSUED: set(),
}


class IdeaError(DomainError):
    field: str | None = None


class TitleMissing(IdeaError):
    message = _("Give your idea a short name.")
    field = "title"


class WhatMissing(IdeaError):
    message = _("Tell us what your idea is.")
    field = "what"


class TextTooLong(IdeaError):
    message = _("Please shorten this text to at most %(limit)s characters.")


class NameMissing(IdeaError):
    message = _("Tell us your name.")
    field = "submitter_name"


class ContactMissing(IdeaError):
    message = _("Give an e-mail address or a mobile number so that a coach can reach you.")
    field = "email"


class InvalidEmail(IdeaError):
    message = _("This does not look like an e-mail address.")
    field = "email"


class InvalidPhone(IdeaError):
    message = _("Write a mobile number, for example 070-123 45 67.")
    field = "phone"


class UnderSixteenName(IdeaError):
    message = _("If you are under 16, write only your first name.")
    field = "submitter_name"


class UnderSixteenContact(IdeaError):
    message = _("If you are under 16, give only one way to reach you: e-mail or mobile number.")
    field = "phone"


class HelpWantedInvalid(IdeaError):
    message = _("Choose help from the list.")
    field = "help_wanted"


class AreaNotAvailable(IdeaError):
    message = _("Choose an area from the list.")
    field = "area"


class FeedbackMissing(IdeaError):
    message = _("Write feedback to the person who sent the idea: they are told about every change.")
    field = "feedback"


class TransitionNotAllowed(IdeaError):
    message = _("An idea cannot go from “%(from_status)s” to “%(to_status)s”.")
    field = "new_status"


class NoteMissing(IdeaError):
    message = _("Write the note.")
    field = "text"


def status_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def status_url(token: str) -> str:
    return settings.SITE_URL + reverse("ideas:status", kwargs={"token": token})


def _text(value: str, *, limit: int, field_name: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        error = TextTooLong(limit=limit)
        error.field = field_name
        raise error
    return value


@dataclass
class IdeaDetails:
    title: str
    what: str
    area: Area
    submitter_name: str
    email: str = ""
    phone: str = ""
    for_whom: str = ""
    locality: Locality | None = None
    help_wanted: list[str] = field(default_factory=list)
    under_16: bool = False
    language: str = MessageLanguage.SV
    publish_consent: bool = False


def idea_details_clean(details: IdeaDetails) -> IdeaDetails:
    title = _text(details.title, limit=TITLE_MAX, field_name="title")
    if not title:
        raise TitleMissing()
    what = _text(details.what, limit=TEXT_MAX, field_name="what")
    if not what:
        raise WhatMissing()
    for_whom = _text(details.for_whom, limit=1000, field_name="for_whom")
    name = " ".join(_text(details.submitter_name, limit=120, field_name="submitter_name").split())
    if not name:
        raise NameMissing()
    try:
        email = email_clean(details.email)
    except DomainError:
        raise InvalidEmail() from None
    try:
        phone = phone_clean(details.phone)
    except DomainError:
        raise InvalidPhone() from None
    if not email and not phone:
        raise ContactMissing()
    if details.under_16:
        if " " in name:
            raise UnderSixteenName()
        if email and phone:
            raise UnderSixteenContact()
    help_wanted = list(dict.fromkeys(details.help_wanted))
    if not set(help_wanted) <= set(HelpWanted.values):
        raise HelpWantedInvalid()
    if details.area is None or not details.area.is_active:
        raise AreaNotAvailable()
    language = details.language if details.language in MessageLanguage.values else "sv"
    return IdeaDetails(
        title=title,
        what=what,
        area=details.area,
        submitter_name=name,
        email=email,
        phone=phone,
        for_whom=for_whom,
        locality=details.locality,
        help_wanted=help_wanted,
        under_16=details.under_16,
        language=language,
        publish_consent=details.publish_consent,
    )


def coach_choose() -> User | None:
    """The coach with the fewest open ideas (see the module's docstring)."""
    return (
        User.objects.filter(is_active=True, staff_memberships__capability=Capability.COACH)
        .annotate(
            open_ideas=Count(
                "coached_ideas",
                filter=Q(coached_ideas__status__in=OPEN_STATUSES),
                distinct=True,
            ),
            first_membership=Min("staff_memberships__id"),
        )
        .order_by("open_ideas", "first_membership")
        .first()
    )


def idea_submit(*, details: IdeaDetails, request=None) -> tuple[Idea, str]:
    """Store the idea, give it a coach and send a receipt with the secret
    status link when there is an e-mail address. Returns the idea and the
    status link's token (shown once on the receipt page)."""
    data = idea_details_clean(details)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        idea = Idea.objects.create(
            title=data.title,
            what=data.what,
            for_whom=data.for_whom,
            locality=data.locality,
            area=data.area,
            help_wanted=data.help_wanted,
            submitter_name=data.submitter_name,
            email=data.email,
            phone=data.phone,
            under_16=data.under_16,
            language=data.language,
            publish_consent=data.publish_consent,
            coach=coach_choose(),
            status_token_hash=status_token_hash(token),
        )
        if idea.email:
            notification_queue_templated(
                channel=EMAIL,
                template_prefix="ideas/email/idea_receipt",
                context={"idea": idea, "status_url": status_url(token)},
                idempotency_key=f"idea-receipt:{idea.uuid}",
                address=idea.email,
                kind=OutboxMessage.Kind.TRANSACTIONAL,
                language=idea.language,
            )
        audit_record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            target=idea,
            request=request,
            details={"coach": idea.coach_id, "area": idea.area_id},
        )
    return idea, token


def idea_status_change(
    *, actor: User, idea: Idea, new_status: str, feedback: str, request=None
) -> IdeaStatusChange:
    """Move the idea on and tell the submitter why, in their language."""
    if not actor.has_perm("ideas.change_status"):
        raise NotPermitted()
    feedback = _text(feedback, limit=TEXT_MAX, field_name="feedback")
    if not feedback:
        raise FeedbackMissing()
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if new_status not in TRANSITIONS.get(idea.status, set()):
            labels = dict(IdeaStatus.choices)
            raise TransitionNotAllowed(
                from_status=labels.get(idea.status, idea.status),
                to_status=labels.get(new_status, new_status),
            )
        change = IdeaStatusChange.objects.create(
            idea=idea,
            from_status=idea.status,
            to_status=new_status,
            feedback=feedback,
            changed_by=actor,
        )
        idea.status = new_status
        idea.save(update_fields=["status", "updated_at"])
        channel = EMAIL if idea.email else SMS
        folder = "email" if channel == EMAIL else "sms"
        notification_queue_templated(
            channel=channel,
            template_prefix=f"ideas/{folder}/idea_feedback",
            context={"idea": idea, "change": change},
            idempotency_key=f"idea-feedback:{change.pk}",
            address=idea.email or idea.phone,
            kind=OutboxMessage.Kind.TRANSACTIONAL,
            language=idea.language,
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=idea,
            request=request,
            details={"from": change.from_status, "to": change.to_status},
        )
    return change


def coaching_note_add(*, actor: User, idea: Idea, text: str, request=None) -> CoachingNote:
    # The predicate, not has_perm: a superuser has every permission, but only
    # coaches write notes (site admins read them).
    if not is_coach(actor):
        raise NotPermitted()
    text = _text(text, limit=TEXT_MAX, field_name="text")
    if not text:
        raise NoteMissing()
    with transaction.atomic():
        note = CoachingNote.objects.create(idea=idea, text=text, written_by=actor)
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=note, request=request)
    return note
