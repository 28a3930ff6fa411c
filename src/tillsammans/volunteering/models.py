"""Volunteers, the help they are asked for, and the campaigns that gather both.

The data is shaped by what the pandemic taught: ask a volunteer only when there
is a clear need (offers, never broadcasts; a weekly limit the volunteer sets),
and keep the people who are helped safe (their name, address and phone are
visible to coordinators and, while an assignment lasts, to its volunteer only;
home visits need a seen police-record extract).

Workflows live in ``services``; this module holds data and invariants.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core.models import Language, Locality, TaxonomyTerm
from tillsammans.organizations.models import Organization


class HelpType(TaxonomyTerm):
    """What a volunteer can do for someone: grocery shopping, a visit, …"""

    requires_safeguarding = models.BooleanField(
        _("requires a police-record extract"),
        default=False,
        help_text=_(
            "Home visits to vulnerable people and contact with children: only volunteers "
            "whose extract from the police record a coordinator has seen are proposed."
        ),
    )

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("help type")
        verbose_name_plural = _("help types")


class Skill(TaxonomyTerm):
    """Something that widens what a volunteer can take on: a car, first aid, …"""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class Weekday(models.IntegerChoices):
    MONDAY = 1, pgettext_lazy("day of the week", "Monday")
    TUESDAY = 2, pgettext_lazy("day of the week", "Tuesday")
    WEDNESDAY = 3, pgettext_lazy("day of the week", "Wednesday")
    THURSDAY = 4, pgettext_lazy("day of the week", "Thursday")
    FRIDAY = 5, pgettext_lazy("day of the week", "Friday")
    SATURDAY = 6, pgettext_lazy("day of the week", "Saturday")
    SUNDAY = 7, pgettext_lazy("day of the week", "Sunday")


class TimeSlot(models.TextChoices):
    MORNING = "morning", _("Morning (8–12)")
    AFTERNOON = "afternoon", _("Afternoon (12–17)")
    EVENING = "evening", _("Evening (17–21)")


def availability_code(weekday: int, slot: str) -> str:
    """How one weekly slot is stored in ``Volunteer.availability``: ``"1-morning"``."""
    return f"{weekday}-{slot}"


class Campaign(models.Model):
    """A drive for a crisis or a season ("Handlingshjälp covid-19").

    An open campaign has its own sign-up page and may show a banner on the
    start page; closing it stops new sign-ups and requests for it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"))
    help_types = models.ManyToManyField(
        HelpType, related_name="campaigns", verbose_name=_("help types")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    show_banner = models.BooleanField(_("show a banner on the start page"), default=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CampaignQuestion(models.Model):
    """An extra question on a campaign's sign-up page."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Short text")
        YES_NO = "yes_no", _("Yes or no")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind, default=Kind.TEXT)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("campaign question")
        verbose_name_plural = _("campaign questions")

    def __str__(self) -> str:
        return self.text


class VolunteerStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Waiting for confirmation")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class Volunteer(models.Model):
    """Someone who has offered to help.

    Sign-up needs no account: the volunteer confirms an e-mail address or a
    mobile number, and manages their profile through a personal link (or
    their account, when they have one). When a volunteer leaves, the personal
    fields are emptied and the row stays for anonymous statistics.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
    )
    full_name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the secret in the volunteer's personal link; the secret itself is never stored.
    access_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Where the current personal link was sent ("email" or "sms") and when:
    # opening it confirms that address; a new link is sent at most every few minutes.
    link_channel = models.CharField(max_length=5, blank=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)
    # Messages to the volunteer are written in this language (the page's at sign-up).
    language = models.CharField(
        _("language of messages"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("locality")
    )
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    # Coordinates of the locality (no external geocoding): what distances are measured from.
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    max_distance_km = models.PositiveSmallIntegerField(
        _("how far I can travel (km)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    languages = models.ManyToManyField(
        Language, related_name="volunteers", verbose_name=_("languages")
    )
    help_types = models.ManyToManyField(
        HelpType, related_name="volunteers", verbose_name=_("help types")
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="volunteers", verbose_name=_("skills")
    )
    # Weekly slots as "<ISO weekday>-<slot>" codes (``availability_code``); empty means any time.
    availability = models.JSONField(_("availability"), default=list, blank=True)
    max_requests_per_week = models.PositiveSmallIntegerField(
        _("how often I may be asked (per week)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("organisation I volunteer through"),
    )
    campaigns = models.ManyToManyField(
        Campaign, through="CampaignSignup", blank=True, related_name="volunteers"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=VolunteerStatus, default=VolunteerStatus.UNVERIFIED
    )
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    consent_version = models.CharField(max_length=20, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    last_asked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=VolunteerStatus.LEFT) & (~Q(email="") | ~Q(phone=""))
                | Q(status=VolunteerStatus.LEFT),
                name="volunteer_reachable_unless_left",
            ),
            # A double submission of the same sign-up gives one volunteer, not two.
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="volunteer_unique_email"
            ),
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="volunteer_unique_phone"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or str(_("Volunteer who has left"))

    @property
    def is_verified(self) -> bool:
        return bool(self.email_verified_at or self.phone_verified_at)


class SignUpIntake(models.Model):
    """A sign-up that has been checked and accepted but not yet processed.

    In a surge (a pandemic appeal brings thousands in an hour) a sign-up only
    has to be checked and stored here, with a task in the same transaction;
    a task worker turns it into a ``Volunteer``, sends the personal link and
    deletes the row (``services.volunteer_intake``). The row holds the cleaned
    details for those few seconds; one that keeps failing is kept for staff
    to look at and erased with the unconfirmed sign-ups.
    """

    # The cleaned details with primary keys for the terms (``intake_payload``).
    payload = models.JSONField()
    # Where the sign-up came from, for the audit entry written when it is processed.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("sign-up waiting to be processed")
        verbose_name_plural = _("sign-ups waiting to be processed")

    def __str__(self) -> str:
        return f"sign-up {self.pk} received {self.received_at:%Y-%m-%d %H:%M}"


class CampaignSignup(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="campaign_signups"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="signups")
    # {question pk (as text): answer}
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "campaign"], name="one_signup_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.campaign}"


class SafeguardingCheck(models.Model):
    """A coordinator saw the volunteer's extract from the police record.

    Only the fact is kept (who, when, valid until); never a copy of the
    document.
    """

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="safeguarding_checks"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_by_label = models.CharField(max_length=200, blank=True)
    extract_issued_on = models.DateField(_("date the extract was issued"))
    valid_until = models.DateField(_("must be renewed by"))
    checked_at = models.DateTimeField(auto_now_add=True)
    # A revoked check is kept (who checked, who revoked) with valid_until in the past.
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("police-record check")
        verbose_name_plural = _("police-record checks")

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.valid_until}"


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every other week")


class HelpRequest(models.Model):
    """Someone needs help: asked for by the resident or by staff on the phone.

    The resident's name, address and phone are sensitive (social services
    secrecy): coordinators see them; a volunteer sees them once they have
    accepted, until the assignment is done plus
    ``VOLUNTEERING_DETAILS_DAYS_AFTER_DONE`` days; every read is audited.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a volunteer")
        MATCHED = "matched", _("Volunteer found")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="help_requests"
    )
    help_type = models.ForeignKey(
        HelpType,
        on_delete=models.PROTECT,
        related_name="help_requests",
        verbose_name=_("help with"),
    )
    # The resident's account when they asked themselves; empty when staff took it by phone.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Sensitive: see the class docstring.
    resident_name = models.CharField(_("name"), max_length=120)
    resident_phone = models.CharField(_("phone number"), max_length=20)
    address = models.CharField(_("address"), max_length=200)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, related_name="help_requests", verbose_name=_("locality")
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    recurrence = models.CharField(
        _("how often"), max_length=10, choices=Recurrence, default=Recurrence.ONCE
    )
    recurrence_until = models.DateField(_("last time"), null=True, blank=True)
    language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("language needed"),
    )
    volunteers_needed = models.PositiveSmallIntegerField(
        _("number of volunteers"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    notes = models.TextField(_("notes for the volunteer"), blank=True)
    # The resident may prefer a volunteer from an organisation they know (e.g.
    # their PRO chapter); matching gives such volunteers extra points.
    preferred_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferably a volunteer from"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="help_window_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.help_type} · {self.locality} · {self.starts_at:%Y-%m-%d}"

    @property
    def reference(self) -> str:
        """A short number to say on the phone."""
        return f"H-{self.pk:05d}"


class Offer(models.Model):
    """A request offered to one volunteer.

    ``proposed`` by the matching engine → confirmed by a coordinator (``sent``,
    with a deadline) → ``accepted`` (an assignment) or ``declined`` /
    ``expired``, after which the next-best candidate is offered. A coordinator
    may also ``reject`` a proposal or ``withdraw`` a sent offer.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        REJECTED = "rejected", _("Rejected by coordinator")
        SENT = "sent", _("Waiting for answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("No answer in time")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DONE = "done", _("Done")
        STOOD_DOWN = "stood_down", pgettext_lazy("volunteer", "Stood down")

    # An offer in these states holds a place of the request and of the volunteer's week.
    HOLDING = (Status.SENT, Status.ACCEPTED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="offers")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PROPOSED)
    score = models.IntegerField(default=0)
    # The matching engine's reasons, as codes with parameters (translated when shown).
    explanation = models.JSONField(default=dict, blank=True)
    response_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    proposed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    minutes_spent = models.PositiveIntegerField(_("minutes spent"), null=True, blank=True)
    # Until when the volunteer may see the resident's details (set when done).
    details_visible_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            # One live offer per volunteer and request.
            models.UniqueConstraint(
                fields=["request", "volunteer"],
                condition=Q(status__in=["proposed", "sent", "accepted", "done"]),
                name="one_live_offer_per_volunteer_and_request",
            )
        ]
        indexes = [models.Index(fields=["status", "respond_by"])]

    def __str__(self) -> str:
        return f"{self.request} → {self.volunteer}"


class Concern(models.Model):
    """A volunteer tells a coordinator something worrying about an assignment."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLED = "handled", _("Handled")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns"
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns"
    )
    text = models.TextField(_("what happened"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.created_at:%Y-%m-%d}"
