"""Every write to the organisation register.

Registration, editing, representatives (invitations, requests to join, roles),
the register officers' verification and the yearly confirmation. Each service
runs in one transaction, locks what can race, audits decisions that matter and
queues e-mail through the outbox (delivered after commit).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.core.swedish_ids import (
    normalise_bankgiro,
    normalise_organisation_number,
    normalise_plusgiro,
)
from tillsammans.notifications.services import notification_queue_templated
from tillsammans.organizations import uploads
from tillsammans.organizations.models import (
    DocumentKind,
    Invitation,
    JoinRequest,
    LegalForm,
    Organization,
    OrganizationDocument,
    OrganizationStatus,
    Representative,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

Status = OrganizationStatus
Role = Representative.Role

INVITATION_VALIDITY = timedelta(days=14)
# Changing one of these sends a verified organisation back to the register
# officers: they are what the verification vouched for.
KEY_FIELDS = ("name", "organisation_number", "legal_form", "purpose")
# The plain fields a representative fills in (the rest are relations and files).
DETAIL_FIELDS = (
    "name",
    "legal_form",
    "organisation_number",
    "purpose",
    "email",
    "phone",
    "website",
    "postal_address",
    "member_count",
    "founding_year",
    "bankgiro",
    "plusgiro",
    "premises_accessibility",
)
# Yearly confirmation, in months since the details were last confirmed.
REMIND_AFTER_MONTHS = 11
NEEDS_UPDATE_AFTER_MONTHS = 12
INACTIVE_AFTER_MONTHS = 14


# --- Errors --------------------------------------------------------------------


class InvalidDetails(DomainError):
    """A field failed validation; ``field`` names it so a form can show it there."""

    code = "invalid_details"

    def __init__(self, message, *, field: str | None = None, **params):
        self.field = field
        super().__init__(message, **params)


class AlreadyRegistered(DomainError):
    message = _(
        "%(name)s is already registered with organisation number %(number)s. "
        "You can ask to join it instead."
    )
    code = "already_registered"
    status_code = 409

    def __init__(self, organization: Organization):
        self.organization = organization
        super().__init__(name=organization.name, number=organization.organisation_number_display)


class LastAdmin(DomainError):
    message = _(
        "An organisation needs at least one administrator. Make someone else an "
        "administrator first."
    )
    code = "last_admin"
    status_code = 409


class AlreadyRepresentative(DomainError):
    message = _("%(person)s already represents %(organization)s.")
    code = "already_representative"
    status_code = 409


class JoinRequestPending(DomainError):
    message = _("You have already asked to join %(organization)s. An administrator will answer.")
    code = "join_request_pending"
    status_code = 409


class JoinRequestDecided(DomainError):
    message = _("This request has already been answered.")
    code = "join_request_decided"
    status_code = 409


class InvitationUnusable(DomainError):
    code = "invitation_unusable"
    status_code = 409


class WrongStatus(DomainError):
    message = _("This cannot be done while the organisation's status is “%(status)s”.")
    code = "wrong_status"
    status_code = 409


# --- Validation ------------------------------------------------------------------


def organisation_number_clean(*, legal_form: str, value: str) -> str:
    """The organisationsnummer as ten digits, or "" for a network.

    Raises ``ValidationError`` with one message per failure: missing, not
    allowed for a network, or wrong (``normalise_organisation_number``)."""
    value = (value or "").strip()
    if legal_form in LegalForm.without_number():
        if value:
            raise ValidationError(
                _(
                    "A network without organisation number must leave this field empty. "
                    "If the network has an organisation number, choose another legal form."
                ),
                code="number_not_allowed",
            )
        return ""
    if not value:
        raise ValidationError(
            _(
                "Write the organisation number. Only networks without an organisation "
                "number may leave it empty."
            ),
            code="number_required",
        )
    return normalise_organisation_number(value)


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _clean_details(fields: dict[str, Any]) -> dict[str, Any]:
    """Normalise the identifiers; raise ``InvalidDetails`` naming the field."""
    cleaned = {key: fields[key] for key in DETAIL_FIELDS if key in fields}
    for key in ("name", "purpose"):
        cleaned[key] = (cleaned.get(key) or "").strip()
    if not cleaned["name"]:
        raise InvalidDetails(_("Write the organisation's name."), field="name")
    if not cleaned["purpose"]:
        raise InvalidDetails(_("Describe the organisation's purpose."), field="purpose")
    if cleaned.get("legal_form") not in LegalForm.values:
        raise InvalidDetails(_("Choose a legal form from the list."), field="legal_form")
    try:
        cleaned["organisation_number"] = organisation_number_clean(
            legal_form=cleaned["legal_form"], value=cleaned.get("organisation_number", "")
        )
    except ValidationError as error:
        raise InvalidDetails(_message(error), field="organisation_number") from None
    for key, normalise in (("bankgiro", normalise_bankgiro), ("plusgiro", normalise_plusgiro)):
        value = (cleaned.get(key) or "").strip()
        try:
            cleaned[key] = normalise(value) if value else ""
        except ValidationError as error:
            raise InvalidDetails(_message(error), field=key) from None
    for key in ("email", "phone", "website", "postal_address", "premises_accessibility"):
        cleaned[key] = (cleaned.get(key) or "").strip()
    return cleaned


def _validate_files(logo, documents: dict[str, Any] | None) -> None:
    if logo:
        try:
            uploads.validate_logo(logo)
        except ValidationError as error:
            raise InvalidDetails(_message(error), field="logo") from None
    for kind, upload in (documents or {}).items():
        if kind not in DocumentKind.values:
            raise ValueError(f"Unknown document kind {kind!r}.")
        if upload:
            try:
                uploads.validate_document(upload)
            except ValidationError as error:
                raise InvalidDetails(_message(error), field=kind) from None


def _full_clean(organization: Organization) -> None:
    try:
        organization.full_clean(exclude=["slug", "logo"], validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidDetails(" ".join(messages), field=field) from None


def organization_find_by_number(value: str) -> Organization | None:
    """The registered organisation with this organisationsnummer, if any."""
    try:
        digits = normalise_organisation_number(value)
    except ValidationError:
        return None
    return Organization.objects.filter(organisation_number=digits).first()


RESERVED_SLUGS = {"register", "manage", "join", "invitations"}


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(name) or "organisation")[:190]
    taken = set(
        Organization.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}-"))
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    # Fixed paths beside the public pages (e.g. organisations/register/) must
    # never be shadowed by a slug.
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save_documents(organization, documents, actor) -> None:
    for kind, upload in (documents or {}).items():
        if not upload:
            continue
        OrganizationDocument.objects.create(
            organization=organization,
            kind=kind,
            file=upload,
            original_name=(upload.name or "")[:200],
            size=upload.size,
            uploaded_by=actor,
        )


# --- Registration and editing ------------------------------------------------------


def organization_register(
    *,
    actor: User,
    fields: dict[str, Any],
    areas: Iterable = (),
    localities: Iterable = (),
    languages: Iterable = (),
    logo=None,
    documents: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> Organization:
    """Register an organisation; ``actor`` becomes its administrator.

    Validates every field (``InvalidDetails`` names the field, nothing is
    written), refuses a second registration of the same organisationsnummer
    (``AlreadyRegistered``, also when two people race: the database's unique
    constraint decides), gives it a unique slug and status ``pending`` so it
    enters the register officers' queue. Audited."""
    cleaned = _clean_details(fields)
    _validate_files(logo, documents)
    number = cleaned["organisation_number"]
    with transaction.atomic():
        if number:
            existing = Organization.objects.filter(organisation_number=number).first()
            if existing is not None:
                raise AlreadyRegistered(existing)
        organization = Organization(
            **cleaned, slug=_unique_slug(cleaned["name"]), status=Status.PENDING
        )
        _full_clean(organization)
        if logo:
            organization.logo = logo
        try:
            with transaction.atomic():
                organization.save()
        except IntegrityError:
            existing = Organization.objects.filter(organisation_number=number).first()
            if number and existing is not None:
                raise AlreadyRegistered(existing) from None
            raise
        organization.areas.set(areas)
        organization.localities.set(localities)
        organization.languages.set(languages)
        Representative.objects.create(organization=organization, user=actor, role=Role.ADMIN)
        _save_documents(organization, documents, actor)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=organization,
            request=request,
            details={"event": "organization_register"},
        )
    return organization


def organization_update(
    *,
    organization: Organization,
    actor: User,
    fields: dict[str, Any],
    areas: Iterable = (),
    localities: Iterable = (),
    languages: Iterable = (),
    logo=None,
    documents: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> Organization:
    """A representative changes the organisation's details.

    A change of a key field (name, organisationsnummer, legal form, purpose) of
    a verified organisation, or any change of a returned one, sends it to the
    register officers' queue as ``pending``; it leaves the public directory
    until an officer has verified the new details (what was verified is no
    longer what is shown). Other changes keep the status. Audited with the
    names of the changed fields."""
    cleaned = _clean_details(fields)
    _validate_files(logo, documents)
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        number = cleaned["organisation_number"]
        if number and number != organization.organisation_number:
            existing = (
                Organization.objects.filter(organisation_number=number)
                .exclude(pk=organization.pk)
                .first()
            )
            if existing is not None:
                raise AlreadyRegistered(existing)
        changed = [key for key, value in cleaned.items() if getattr(organization, key) != value]
        for key, value in cleaned.items():
            setattr(organization, key, value)
        _full_clean(organization)
        key_changed = any(key in KEY_FIELDS for key in changed)
        previous_status = organization.status
        if (key_changed and organization.status != Status.PENDING) or (
            organization.status == Status.RETURNED
        ):
            organization.status = Status.PENDING
        if logo:
            organization.logo = logo
            changed.append("logo")
        organization.save()
        organization.areas.set(areas)
        organization.localities.set(localities)
        organization.languages.set(languages)
        _save_documents(organization, documents, actor)
        changed += [kind for kind, upload in (documents or {}).items() if upload]
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=organization,
            request=request,
            details={
                "event": "organization_update",
                "changed": changed,
                "previous_status": previous_status,
                "status": organization.status,
            },
        )
    return organization


# --- Notifications -------------------------------------------------------------------


def _link(name: str, *args) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse(name, args=args)


def _notify_representatives(organization, *, template: str, key: str, context=None) -> None:
    recipients = Representative.objects.filter(organization=organization).select_related("user")
    for representative in recipients:
        notification_queue_templated(
            channel="email",
            template_prefix=f"organizations/emails/{template}",
            context={
                "organization": organization,
                "person": representative.user,
                "manage_url": _link("organizations:manage_detail", organization.uuid),
                **(context or {}),
            },
            user=representative.user,
            idempotency_key=f"{key}:{representative.user.uuid}",
        )


# --- Representatives -------------------------------------------------------------------


def _require_admin(organization, actor) -> None:
    """The organisation's administrators, and site administrators (who act on
    anyone's behalf), manage its representatives."""
    if actor.is_superuser:
        return
    if not Representative.objects.filter(
        organization=organization, user=actor, role=Role.ADMIN
    ).exists():
        raise NotPermitted()


def invitation_create(
    *,
    organization: Organization,
    actor: User,
    email: str,
    role: str = Role.EDITOR,
    now: datetime | None = None,
) -> Invitation:
    """An administrator invites someone by e-mail. The invitation is valid for
    14 days; the link reaches the person through the outbox. Someone who
    already represents the organisation cannot be invited."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    if role not in Role.values:
        raise InvalidDetails(_("Choose a role from the list."), field="role")
    with transaction.atomic():
        _require_admin(organization, actor)
        if Representative.objects.filter(
            organization=organization, user__email__iexact=email
        ).exists():
            raise AlreadyRepresentative(person=email, organization=organization.name)
        invitation = Invitation(
            organization=organization,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=now + INVITATION_VALIDITY,
        )
        try:
            invitation.full_clean(exclude=["invited_by"])
        except ValidationError:
            raise InvalidDetails(
                _("“%(address)s” is not a valid e-mail address."), field="email", address=email
            ) from None
        invitation.save()
        notification_queue_templated(
            channel="email",
            address=email,
            template_prefix="organizations/emails/invitation",
            context={
                "organization": organization,
                "invitation": invitation,
                "inviter": actor,
                "accept_url": _link("organizations:invitation", invitation.uuid),
            },
            idempotency_key=f"organization-invitation:{invitation.uuid}",
        )
    return invitation


def invitation_accept(
    *, invitation: Invitation, actor: User, now: datetime | None = None
) -> Representative:
    """The invited person accepts, signed in with the invited e-mail address.
    Refused when expired, already used, or signed in with another address."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationUnusable(_("This invitation has already been used."))
        if invitation.expires_at <= now:
            raise InvitationUnusable(
                _("This invitation has expired. Ask the organisation to invite you again.")
            )
        if actor.email.lower() != invitation.email.lower():
            raise InvitationUnusable(
                _(
                    "This invitation was sent to another e-mail address. Sign in with the "
                    "address the invitation was sent to."
                )
            )
        representative, _created = Representative.objects.get_or_create(
            organization=invitation.organization, user=actor, defaults={"role": invitation.role}
        )
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.GRANT,
            target=invitation.organization,
            details={"event": "invitation_accept", "role": representative.role},
        )
    return representative


def _admins_locked(organization) -> list[Representative]:
    return list(
        Representative.objects.select_for_update().filter(
            organization=organization, role=Role.ADMIN
        )
    )


def representative_remove(
    *, representative: Representative, actor: User, request: HttpRequest | None = None
) -> None:
    """An administrator removes a representative (or someone leaves). The last
    administrator can never be removed (``LastAdmin``); the administrators'
    rows are locked so two removals cannot both pass the check."""
    with transaction.atomic():
        organization = representative.organization
        if representative.user_id != actor.pk:
            _require_admin(organization, actor)
        admins = _admins_locked(organization)
        if representative.role == Role.ADMIN and len(admins) <= 1:
            raise LastAdmin()
        Representative.objects.filter(pk=representative.pk).delete()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.REVOKE,
            target=organization,
            request=request,
            details={"event": "representative_remove", "user": str(representative.user.uuid)},
        )


def representative_change_role(
    *,
    representative: Representative,
    role: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Representative:
    """An administrator changes a representative's role; the last
    administrator cannot become an editor (``LastAdmin``)."""
    if role not in Role.values:
        raise InvalidDetails(_("Choose a role from the list."), field="role")
    with transaction.atomic():
        organization = representative.organization
        _require_admin(organization, actor)
        admins = _admins_locked(organization)
        representative = Representative.objects.select_for_update().get(pk=representative.pk)
        if representative.role == Role.ADMIN and role != Role.ADMIN and len(admins) <= 1:
            raise LastAdmin()
        previous = representative.role
        representative.role = role
        representative.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.GRANT,
            target=organization,
            request=request,
            details={
                "event": "representative_change_role",
                "user": str(representative.user.uuid),
                "previous_role": previous,
                "role": role,
            },
        )
    return representative


def join_request_create(
    *, organization: Organization, actor: User, message: str = ""
) -> JoinRequest:
    """A person asks to represent an organisation; its administrators are told
    by e-mail. One pending request per person and organisation."""
    message = (message or "").strip()
    if len(message) > 1000:
        raise InvalidDetails(
            _("Keep the message under 1,000 characters (it has %(count)d)."),
            field="message",
            count=len(message),
        )
    with transaction.atomic():
        if Representative.objects.filter(organization=organization, user=actor).exists():
            raise AlreadyRepresentative(person=str(actor), organization=organization.name)
        if JoinRequest.objects.filter(
            organization=organization, user=actor, status=JoinRequest.Status.PENDING
        ).exists():
            raise JoinRequestPending(organization=organization.name)
        try:
            with transaction.atomic():
                join_request = JoinRequest.objects.create(
                    organization=organization, user=actor, message=message
                )
        except IntegrityError:
            raise JoinRequestPending(organization=organization.name) from None
        admins = Representative.objects.filter(
            organization=organization, role=Role.ADMIN
        ).select_related("user")
        for admin in admins:
            notification_queue_templated(
                channel="email",
                template_prefix="organizations/emails/join_request",
                context={
                    "organization": organization,
                    "join_request": join_request,
                    "requester": actor,
                    "manage_url": _link("organizations:manage_detail", organization.uuid),
                },
                user=admin.user,
                idempotency_key=f"organization-join-request:{join_request.uuid}:{admin.user.uuid}",
            )
    return join_request


def join_request_decide(
    *,
    join_request: JoinRequest,
    actor: User,
    approve: bool,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> JoinRequest:
    """An administrator approves (the person becomes an editor) or declines;
    the person is told by e-mail either way."""
    now = now or timezone.now()
    with transaction.atomic():
        join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        organization = join_request.organization
        _require_admin(organization, actor)
        if join_request.status != JoinRequest.Status.PENDING:
            raise JoinRequestDecided()
        join_request.status = (
            JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        )
        join_request.decided_at = now
        join_request.decided_by = actor
        join_request.save(update_fields=["status", "decided_at", "decided_by"])
        if approve:
            Representative.objects.get_or_create(
                organization=organization, user=join_request.user, defaults={"role": Role.EDITOR}
            )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.GRANT if approve else AuditEntry.Action.CHANGE,
            target=organization,
            request=request,
            details={
                "event": "join_request_decide",
                "user": str(join_request.user.uuid),
                "status": join_request.status,
            },
        )
        notification_queue_templated(
            channel="email",
            template_prefix="organizations/emails/join_decided",
            context={
                "organization": organization,
                "approved": approve,
                "manage_url": _link("organizations:manage"),
            },
            user=join_request.user,
            idempotency_key=f"organization-join-decided:{join_request.uuid}",
        )
    return join_request


# --- Verification --------------------------------------------------------------------------


def organization_verify(
    *,
    organization: Organization,
    actor: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Organization:
    """A register officer verifies a pending organisation: it becomes public,
    counts as confirmed now, and its representatives are told. Audited."""
    now = now or timezone.now()
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.status != Status.PENDING:
            raise WrongStatus(status=organization.get_status_display())
        organization.status = Status.VERIFIED
        organization.verified_at = now
        organization.confirmed_at = now
        organization.review_message = ""
        organization.save(
            update_fields=["status", "verified_at", "confirmed_at", "review_message", "updated_at"]
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=organization,
            request=request,
            details={"event": "organization_verify"},
        )
        _notify_representatives(
            organization,
            template="verified",
            key=f"organization-verified:{organization.uuid}:{now.isoformat()}",
        )
    return organization


def organization_return(
    *,
    organization: Organization,
    actor: User,
    message: str,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Organization:
    """A register officer returns a pending organisation with a message saying
    what to change; the representatives get the message by e-mail. Audited."""
    now = now or timezone.now()
    message = (message or "").strip()
    if not message:
        raise InvalidDetails(_("Write what the organisation needs to change."), field="message")
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.status != Status.PENDING:
            raise WrongStatus(status=organization.get_status_display())
        organization.status = Status.RETURNED
        organization.review_message = message
        organization.save(update_fields=["status", "review_message", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=organization,
            request=request,
            reason=message,
            details={"event": "organization_return"},
        )
        _notify_representatives(
            organization,
            template="returned",
            key=f"organization-returned:{organization.uuid}:{now.isoformat()}",
            context={"message": message},
        )
    return organization


# --- Yearly confirmation ---------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment ``months`` calendar months earlier (31 March − 1 month
    is 28/29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def organization_confirm_details(
    *, organization: Organization, actor: User, now: datetime | None = None
) -> Organization:
    """ "Our details are still correct": sets ``confirmed_at``; an organisation
    that needed its yearly update is verified again. An inactive one goes to
    the register officers' queue, since it has not been checked for over a
    year. Pending and returned organisations have nothing to confirm yet."""
    now = now or timezone.now()
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.status in (Status.PENDING, Status.RETURNED):
            raise WrongStatus(status=organization.get_status_display())
        previous = organization.status
        organization.confirmed_at = now
        if organization.status == Status.NEEDS_UPDATE:
            organization.status = Status.VERIFIED
        elif organization.status == Status.INACTIVE:
            organization.status = Status.PENDING
        organization.save(update_fields=["confirmed_at", "status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=organization,
            details={
                "event": "organization_confirm_details",
                "previous_status": previous,
                "status": organization.status,
            },
        )
    return organization


def register_yearly_update(*, now: datetime | None = None) -> dict[str, int]:
    """The yearly confirmation round; safe to run as often as you like.

    Counting from ``confirmed_at`` (or ``verified_at`` if never confirmed):

    - after 11 months, the representatives of a verified organisation are
      reminded to confirm (once per confirmation period: the outbox's
      idempotency key holds the date being counted from);
    - after 12 months a verified organisation becomes ``needs_update`` (it
      leaves the public directory) and the representatives are told;
    - after 14 months a verified or needs_update organisation becomes
      ``inactive`` and the representatives are told.

    Status changes are made under row locks and audited (no actor: the
    system). Returns how many organisations each step touched."""
    now = now or timezone.now()
    counts = {"reminded": 0, "needs_update": 0, "inactive": 0}
    active = Organization.objects.annotate(
        last_confirmed=Coalesce("confirmed_at", "verified_at")
    ).filter(last_confirmed__isnull=False)

    steps = [
        (
            "inactive",
            INACTIVE_AFTER_MONTHS,
            (Status.VERIFIED, Status.NEEDS_UPDATE),
            Status.INACTIVE,
        ),
        ("needs_update", NEEDS_UPDATE_AFTER_MONTHS, (Status.VERIFIED,), Status.NEEDS_UPDATE),
    ]
    for name, months, from_statuses, new_status in steps:
        cutoff = months_before(now, months)
        due = active.filter(status__in=from_statuses, last_confirmed__lte=cutoff)
        for pk in due.values_list("pk", flat=True):
            with transaction.atomic():
                organization = (
                    Organization.objects.select_for_update()
                    .annotate(last_confirmed=Coalesce("confirmed_at", "verified_at"))
                    .get(pk=pk)
                )
                if organization.status not in from_statuses or organization.last_confirmed > cutoff:
                    continue  # Confirmed or changed since we looked.
                previous = organization.status
                organization.status = new_status
                organization.save(update_fields=["status", "updated_at"])
                audit_record(
                    actor=None,
                    action=AuditEntry.Action.CHANGE,
                    target=organization,
                    details={
                        "event": "register_yearly_update",
                        "previous_status": previous,
                        "status": new_status,
                    },
                )
                _notify_representatives(
                    organization,
                    template=name,
                    key=(
                        f"organization-{name}:{organization.uuid}:"
                        f"{organization.last_confirmed:%Y-%m-%d}"
                    ),
                )
                counts[name] += 1

    cutoff = months_before(now, REMIND_AFTER_MONTHS)
    due = active.filter(status=Status.VERIFIED, last_confirmed__lte=cutoff)
    for organization in due:
        with transaction.atomic():
            _notify_representatives(
                organization,
                template="yearly_reminder",
                key=(
                    f"organization-yearly-reminder:{organization.uuid}:"
                    f"{organization.last_confirmed:%Y-%m-%d}"
                ),
            )
        counts["reminded"] += 1
    return counts
