"""What civil society and the municipality offer: activities with a schedule.

An activity is organised by a registered organisation or by a department of
the municipality (open meeting places, LSS leisure). It happens once or every
week (or every other week) on given weekdays, with cancelled dates as
exceptions.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.accounts.models import Department
from tillsammans.core.models import Area, Language, Locality, TargetGroup
from tillsammans.organizations.models import Organization

WEEKDAYS = [
    (0, pgettext_lazy("weekday", "Monday")),
    (1, pgettext_lazy("weekday", "Tuesday")),
    (2, pgettext_lazy("weekday", "Wednesday")),
    (3, pgettext_lazy("weekday", "Thursday")),
    (4, pgettext_lazy("weekday", "Friday")),
    (5, pgettext_lazy("weekday", "Saturday")),
    (6, pgettext_lazy("weekday", "Sunday")),
]


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every other week")


class ActivityStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class ActivityQuerySet(models.QuerySet):
    def current(self):
        """Active and not over, whoever organises it."""
        today = date.today()  # noqa: DTZ011 - compared with local dates only
        return self.filter(status=ActivityStatus.ACTIVE).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )

    def public(self):
        """Current, and organised by the municipality or by a verified organisation."""
        return self.current().filter(
            Q(organization__isnull=True) | Q(organization__status="verified")
        )


class Activity(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("identifier"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organiser (organisation)"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organiser (municipality)"),
    )
    areas = models.ManyToManyField(
        Area, blank=True, related_name="activities", verbose_name=_("areas")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="activities", verbose_name=_("target groups")
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="activities", verbose_name=_("languages")
    )
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, related_name="activities", verbose_name=_("locality")
    )
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    street_address = models.CharField(_("address"), max_length=200, blank=True)
    recurrence = models.CharField(
        _("how often"), max_length=16, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    # Weekdays as digits, Monday = 0: "02" is Monday and Wednesday. A one-off
    # activity has the weekday of its date, so the weekday filter finds it.
    weekdays = models.CharField(_("weekdays"), max_length=7, blank=True)
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    is_free = models.BooleanField(_("free of charge"), default=True)
    cost = models.CharField(_("cost"), max_length=200, blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    registration_required = models.BooleanField(_("registration needed"), default=False)
    registration_info = models.CharField(_("how to register"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | Q(department__isnull=False),
                name="activity_has_organiser",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "title"])]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser(self):
        return self.organization or self.department

    @property
    def weekday_numbers(self) -> list[int]:
        return [int(day) for day in self.weekdays]

    @property
    def weekday_names(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [names[day] for day in self.weekday_numbers]

    def occurrences(self, start: date, end: date, cancelled: set[date] | None = None) -> list[date]:
        """The dates it happens between ``start`` and ``end`` (inclusive)."""
        cancelled = cancelled or set()
        if self.recurrence == Recurrence.ONCE:
            dates = [self.starts_on] if start <= self.starts_on <= end else []
        else:
            step_weeks = 2 if self.recurrence == Recurrence.BIWEEKLY else 1
            last = min(end, self.ends_on) if self.ends_on else end
            dates = []
            day = max(start, self.starts_on)
            while day <= last:
                weeks_since = (day - self.starts_on).days // 7
                if day.weekday() in self.weekday_numbers and weeks_since % step_weeks == 0:
                    dates.append(day)
                day += timedelta(days=1)
        return [day for day in dates if day not in cancelled]


class Cancellation(models.Model):
    """A date on which a recurring activity does not take place."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="cancellations")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("cancelled date")
        verbose_name_plural = _("cancelled dates")
        constraints = [
            models.UniqueConstraint(fields=["activity", "date"], name="cancellation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.date}"
