"""Registering an organisation and changing its details: the identifiers
cleaned, the files checked, one organisation per organisationsnummer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import DomainError
from tillsammans.core.swedish_ids import (
    normalise_bankgiro,
    normalise_organisation_number,
    normalise_plusgiro,
)
from tillsammans.organizations import uploads
from tillsammans.organizations.models import (
    DocumentKind,
    LegalForm,
    Organization,
    OrganizationDocument,
    Representative,
)
from tillsammans.organizations.services._common import (
    InvalidDetails,
    Role,
    Status,
    audit,
    message_of,
    organization_locked,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

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
# Fixed paths beside the public pages (e.g. organisations/register/) must
# never be shadowed by a slug.
RESERVED_SLUGS = {"register", "manage", "join", "invitations", "documents"}


class AlreadyRegistered(DomainError):
    message = _(
        "%(name)s is already registered with organisation number %(number)s. "
        "You can ask to join it instead."
    )
    code = "already_registered"
    status_code = 409

    # Whether the person already represents the organisation (a page then
    # links to it instead of offering to ask to join).
    yours = False

    def __init__(self, organization: Organization):
        self.organization = organization
        super().__init__(name=organization.name, number=organization.organisation_number_display)


class AlreadyYourOrganization(AlreadyRegistered):
    message = _(
        "You already represent %(name)s (organisation number %(number)s). "
        "You do not need to register it again."
    )
    code = "already_your_organization"
    yours = True


# --- Checks ----------------------------------------------------------------------


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


def organisation_number_check_free(
    *, number: str, actor: User, exclude: Organization | None = None
) -> None:
    """Refuse a number another organisation has: ``AlreadyYourOrganization``
    if ``actor`` represents that one, else ``AlreadyRegistered``. An empty
    number (a network) is always free."""
    if not number:
        return
    existing = (
        Organization.objects.filter(organisation_number=number)
        .exclude(pk=exclude.pk if exclude else None)
        .first()
    )
    if existing is None:
        return
    if Representative.objects.filter(organization=existing, user=actor).exists():
        raise AlreadyYourOrganization(existing)
    raise AlreadyRegistered(existing)


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
        raise InvalidDetails(message_of(error), field="organisation_number") from None
    for key, normalise in (("bankgiro", normalise_bankgiro), ("plusgiro", normalise_plusgiro)):
        value = (cleaned.get(key) or "").strip()
        try:
            cleaned[key] = normalise(value) if value else ""
        except ValidationError as error:
            raise InvalidDetails(message_of(error), field=key) from None
    for key in ("email", "phone", "website", "postal_address", "premises_accessibility"):
        cleaned[key] = (cleaned.get(key) or "").strip()
    return cleaned


def _validate_files(logo, documents: dict[str, Any] | None) -> None:
    checks = [("logo", logo, uploads.validate_logo)]
    for kind, upload in (documents or {}).items():
        if kind not in DocumentKind.values:
            raise ValueError(f"Unknown document kind {kind!r}.")
        checks.append((kind, upload, uploads.validate_document))
    for field, upload, validate in checks:
        if upload:
            try:
                validate(upload)
            except ValidationError as error:
                raise InvalidDetails(message_of(error), field=field) from None


def _full_clean(organization: Organization) -> None:
    try:
        organization.full_clean(exclude=["slug", "logo"], validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidDetails(" ".join(messages), field=field) from None


def unique_slug(name: str) -> str:
    """A slug from the name that no organisation and no fixed path has."""
    base = (slugify(name) or "organisation")[:190]
    taken = set(
        Organization.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}-")).values_list(
            "slug", flat=True
        )
    )
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Writes ----------------------------------------------------------------------------


def _save_relations(organization, *, areas, localities, languages, documents, actor) -> list[str]:
    """Set the taxonomy and store the uploaded documents; the kinds stored."""
    organization.areas.set(areas)
    organization.localities.set(localities)
    organization.languages.set(languages)
    stored = []
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
        stored.append(kind)
    return stored


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
        organisation_number_check_free(number=number, actor=actor)
        organization = Organization(
            **cleaned, slug=unique_slug(cleaned["name"]), status=Status.PENDING
        )
        _full_clean(organization)
        if logo:
            organization.logo = logo
        try:
            with transaction.atomic():
                organization.save()
        except IntegrityError:
            organisation_number_check_free(number=number, actor=actor)
            raise
        Representative.objects.create(organization=organization, user=actor, role=Role.ADMIN)
        _save_relations(
            organization,
            areas=areas,
            localities=localities,
            languages=languages,
            documents=documents,
            actor=actor,
        )
        audit(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            organization=organization,
            event="organization_register",
            request=request,
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
        organization = organization_locked(organization)
        if cleaned["organisation_number"] != organization.organisation_number:
            organisation_number_check_free(
                number=cleaned["organisation_number"], actor=actor, exclude=organization
            )
        changed = [key for key, value in cleaned.items() if getattr(organization, key) != value]
        for key, value in cleaned.items():
            setattr(organization, key, value)
        _full_clean(organization)
        previous_status = organization.status
        key_changed = any(key in KEY_FIELDS for key in changed)
        if (key_changed and organization.status != Status.PENDING) or (
            organization.status == Status.RETURNED
        ):
            organization.status = Status.PENDING
        if logo:
            organization.logo = logo
            changed.append("logo")
        organization.save()
        changed += _save_relations(
            organization,
            areas=areas,
            localities=localities,
            languages=languages,
            documents=documents,
            actor=actor,
        )
        audit(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            organization=organization,
            event="organization_update",
            request=request,
            changed=changed,
            previous_status=previous_status,
            status=organization.status,
        )
    return organization
