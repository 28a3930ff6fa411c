"""Every write to activities: creating and editing them, taking them off and
putting them back, and cancelling single dates.

Each service runs in one transaction and checks the actor's permission
itself (the views check it too, to answer 403/404 before showing a form).
Failed checks raise ``InvalidActivity`` with one message per field, so a
form can show each next to its field; nothing is written then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tillsammans.activities.models import Activity, ActivityStatus, Cancellation, Recurrence
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.organizations.models import OrganizationStatus
from tillsammans.organizations.rules import represents

if TYPE_CHECKING:
    from tillsammans.accounts.models import Department, User
    from tillsammans.organizations.models import Organization

# The plain fields a form may set; the organiser is fixed at creation.
DETAIL_FIELDS = (
    "title",
    "description",
    "locality",
    "place_name",
    "street_address",
    "recurrence",
    "weekdays",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "is_free",
    "cost",
    "accessibility",
    "registration_required",
    "registration_info",
    "contact_name",
    "contact_email",
    "contact_phone",
)
TAG_FIELDS = ("areas", "target_groups", "languages")

MESSAGES = {
    "end_time": _("The activity must end after it starts: choose an end time after the start."),
    "ends_on": _("The last date cannot be before the first date."),
    "weekdays": _("Choose at least one weekday for an activity that recurs."),
    "weekdays_invalid": _("Choose weekdays from Monday to Sunday."),
    "no_dates": _(
        "With these weekdays and dates the activity never takes place. Check the weekdays "
        "and the first and last date."
    ),
    "cost": _("Say what it costs, or tick “free of charge”."),
    "organiser": _(
        "An activity has exactly one organiser: an organisation or a department of the "
        "municipality."
    ),
}


# --- Errors --------------------------------------------------------------------


class InvalidActivity(DomainError):
    """One or more fields failed. ``errors`` maps a field name (or ``None`` for
    the whole activity) to its messages."""

    code = "invalid_activity"

    def __init__(self, errors: dict[str | None, list[Any]]):
        self.errors = {
            field: [str(message) for message in messages] for field, messages in errors.items()
        }
        super().__init__(" ".join(m for messages in self.errors.values() for m in messages))


class OrganizationInactive(DomainError):
    message = _(
        "%(name)s is inactive in the register. Confirm the organisation's details before "
        "adding or reopening activities."
    )
    code = "organization_inactive"
    status_code = 409


class DateNotScheduled(DomainError):
    message = _("The activity does not take place on %(date)s, so that date cannot be cancelled.")
    code = "date_not_scheduled"
    field = "date"


class DateInPast(DomainError):
    message = _("%(date)s has passed. Only today's and later dates can be cancelled.")
    code = "date_in_past"
    field = "date"


class DateAlreadyCancelled(DomainError):
    message = _("%(date)s is already cancelled.")
    code = "date_already_cancelled"
    status_code = 409
    field = "date"


class DateNotCancelled(DomainError):
    message = _("%(date)s is not cancelled.")
    code = "date_not_cancelled"
    status_code = 409
    field = "date"


# --- Creating and editing ------------------------------------------------------------


def activity_create(
    *,
    actor: User,
    organization: Organization | None = None,
    department: Department | None = None,
    **fields: Any,
) -> Activity:
    """A new activity organised by ``organization`` or by ``department`` (exactly
    one of them). The actor must be allowed to add activities for that
    organiser; an inactive organisation gets none. The slug comes from the
    title and is unique. ``created_by`` records the actor. Raises
    ``InvalidActivity`` (nothing written) when a field fails."""
    if (organization is None) == (department is None):
        raise InvalidActivity({None: [MESSAGES["organiser"]]})
    if organization is not None:
        # Those who may know say why; to anyone else it is just not permitted.
        if organization.status == OrganizationStatus.INACTIVE and (
            actor.is_superuser or represents(actor, organization)
        ):
            raise OrganizationInactive(name=organization.name)
        if not actor.has_perm("activities.add_activity_for_organization", organization):
            raise NotPermitted
    elif not actor.has_perm("activities.add_municipal_activity", department):
        raise NotPermitted
    details, tags = _split(fields)
    activity = Activity(organization=organization, department=department, created_by=actor)
    with transaction.atomic():
        _apply(activity, details)
        _validate(activity)
        activity.slug = _unique_slug(activity.title)
        activity.save(force_insert=True)
        _set_tags(activity, tags)
    return activity


def activity_update(*, actor: User, activity: Activity, **fields: Any) -> Activity:
    """Change an activity's details (not its organiser, not its slug: links to
    it keep working). Locks the row. Same checks as ``activity_create``."""
    if not actor.has_perm("activities.change_activity", activity):
        raise NotPermitted
    details, tags = _split(fields)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        _apply(locked, details)
        _validate(locked)
        locked.save()
        _set_tags(locked, tags)
    return locked


def activity_deactivate(*, actor: User, activity: Activity) -> Activity:
    """Take an activity off the directory (its dates and details are kept)."""
    return _set_status(actor=actor, activity=activity, status=ActivityStatus.INACTIVE)


def activity_reactivate(*, actor: User, activity: Activity) -> Activity:
    """Put an inactive activity back; not for an inactive organisation."""
    organization = activity.organization
    if organization is not None and organization.status == OrganizationStatus.INACTIVE:
        raise OrganizationInactive(name=organization.name)
    return _set_status(actor=actor, activity=activity, status=ActivityStatus.ACTIVE)


def _set_status(*, actor: User, activity: Activity, status: str) -> Activity:
    if not actor.has_perm("activities.change_activity", activity):
        raise NotPermitted
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status != status:
            locked.status = status
            locked.save(update_fields=["status", "updated_at"])
    return locked


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Iterable]]:
    unknown = set(fields) - set(DETAIL_FIELDS) - set(TAG_FIELDS)
    if unknown:
        raise TypeError(f"Unknown activity fields: {sorted(unknown)}")
    details = {name: value for name, value in fields.items() if name in DETAIL_FIELDS}
    tags = {name: value for name, value in fields.items() if name in TAG_FIELDS}
    return details, tags


def _apply(activity: Activity, details: dict[str, Any]) -> None:
    for name, value in details.items():
        if isinstance(value, str) and name != "weekdays":
            value = value.strip()
        setattr(activity, name, value)
    weekdays = details.get("weekdays", activity.weekdays)
    if not isinstance(weekdays, str):
        weekdays = "".join(str(day) for day in weekdays)
    activity.weekdays = weekdays
    if activity.is_free:
        activity.cost = ""
    if not activity.registration_required:
        activity.registration_info = ""


def _validate(activity: Activity) -> None:
    """Field syntax (the model's own checks) and the schedule's rules; a
    one-off activity gets the weekday of its date and ends on it."""
    errors: dict[str | None, list[Any]] = {}
    try:
        activity.full_clean(
            exclude=["organization", "department", "slug", "weekdays"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors[None if field == "__all__" else field] = list(messages)
    starts_on, ends_on = activity.starts_on, activity.ends_on
    if activity.start_time and activity.end_time and activity.end_time <= activity.start_time:
        errors.setdefault("end_time", []).append(MESSAGES["end_time"])
    if not isinstance(activity.weekdays, str) or any(
        day not in "0123456" for day in activity.weekdays
    ):
        errors.setdefault("weekdays", []).append(MESSAGES["weekdays_invalid"])
    elif isinstance(starts_on, date):
        if activity.recurrence == Recurrence.ONCE:
            activity.weekdays = str(starts_on.weekday())
            activity.ends_on = ends_on = starts_on
        else:
            activity.weekdays = "".join(sorted(set(activity.weekdays)))
            if not activity.weekdays:
                errors.setdefault("weekdays", []).append(MESSAGES["weekdays"])
            elif isinstance(ends_on, date) and ends_on < starts_on:
                errors.setdefault("ends_on", []).append(MESSAGES["ends_on"])
            elif isinstance(ends_on, date) and not activity.occurrences(starts_on, ends_on):
                errors.setdefault("weekdays", []).append(MESSAGES["no_dates"])
    if not activity.is_free and not activity.cost:
        errors.setdefault("cost", []).append(MESSAGES["cost"])
    if errors:
        raise InvalidActivity(errors)


RESERVED_SLUGS = {"manage"}


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "aktivitet")[:190]
    taken = set(
        Activity.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}-")).values_list(
            "slug", flat=True
        )
    )
    # Fixed paths beside the public pages (e.g. organisations/register/) must
    # never be shadowed by a slug.
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_tags(activity: Activity, tags: dict[str, Iterable]) -> None:
    for name, values in tags.items():
        getattr(activity, name).set(values)


# --- Cancelled dates --------------------------------------------------------------


def activity_cancel_date(
    *, actor: User, activity: Activity, date: date, reason: str = ""
) -> Cancellation:
    """Cancel one date on which the activity takes place (today or later).
    Locks the activity so two people cannot cancel the same date at once."""
    if not actor.has_perm("activities.change_activity", activity):
        raise NotPermitted
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if date < timezone.localdate():
            raise DateInPast(date=_format(date))
        if not locked.occurrences(date, date):
            raise DateNotScheduled(date=_format(date))
        if locked.cancellations.filter(date=date).exists():
            raise DateAlreadyCancelled(date=_format(date))
        reason = (reason or "").strip()
        max_length = Cancellation._meta.get_field("reason").max_length
        if len(reason) > max_length:
            raise InvalidActivity(
                {
                    "reason": [
                        _("Keep the reason to at most %(max)s characters.") % {"max": max_length}
                    ]
                }
            )
        return Cancellation.objects.create(activity=locked, date=date, reason=reason)


def activity_uncancel_date(*, actor: User, activity: Activity, date: date) -> None:
    """The activity takes place on ``date`` after all."""
    if not actor.has_perm("activities.change_activity", activity):
        raise NotPermitted
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        deleted, _rows = locked.cancellations.filter(date=date).delete()
        if not deleted:
            raise DateNotCancelled(date=_format(date))


def _format(day: date) -> str:
    return date_format(day, "DATE_FORMAT")
