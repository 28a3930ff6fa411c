"""The register of civil-society organisations (föreningsregistret).

An organisation is registered by a signed-in person who becomes its admin.
Register officers verify it; once a year it confirms its details. Only
verified, current organisations appear in the public directory.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillsammans.core.models import Area, Language, Locality
from tillsammans.core.swedish_ids import (
    format_bankgiro,
    format_organisation_number,
    format_plusgiro,
)
from tillsammans.organizations.storage import private_storage


class LegalForm(models.TextChoices):
    NONPROFIT_ASSOCIATION = "ideell_forening", _("Non-profit association (ideell förening)")
    FOUNDATION = "stiftelse", _("Foundation (stiftelse)")
    FAITH_COMMUNITY = "trossamfund", _("Registered faith community")
    ECONOMIC_ASSOCIATION = "ekonomisk_forening", _("Economic association (ekonomisk förening)")
    LIMITED_DIVIDEND_COMPANY = (
        "svb_aktiebolag",
        _(
            "Limited company with restricted dividends "
            "(aktiebolag med särskild vinstutdelningsbegränsning)"
        ),
    )
    STUDY_ASSOCIATION = "studieforbund", _("Study association (studieförbund)")
    NETWORK = "natverk", _("Network without organisation number")
    OTHER = "annan", _("Other")

    @classmethod
    def without_number(cls) -> set[str]:
        return {cls.NETWORK}


class OrganizationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    RETURNED = "returned", _("Returned for changes")
    VERIFIED = "verified", _("Verified")
    NEEDS_UPDATE = "needs_update", _("Needs yearly update")
    INACTIVE = "inactive", _("Inactive")


class OrganizationQuerySet(models.QuerySet):
    def public(self):
        """Verified and current: what the public directory shows."""
        return self.filter(status=OrganizationStatus.VERIFIED)


class Organization(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=200, unique=True)
    legal_form = models.CharField(
        _("legal form"),
        max_length=32,
        choices=LegalForm.choices,
        default=LegalForm.NONPROFIT_ASSOCIATION,
    )
    organisation_number = models.CharField(
        _("organisation number"), max_length=10, blank=True, default=""
    )
    purpose = models.TextField(
        _("purpose"), help_text=_("What the organisation does and for whom, in a few sentences.")
    )
    areas = models.ManyToManyField(
        Area, blank=True, related_name="organizations", verbose_name=_("areas")
    )
    localities = models.ManyToManyField(
        Locality, blank=True, related_name="organizations", verbose_name=_("localities served")
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="organizations", verbose_name=_("languages spoken")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    postal_address = models.CharField(_("postal address"), max_length=200, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    founding_year = models.PositiveSmallIntegerField(
        _("founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1600), MaxValueValidator(2100)],
    )
    logo = models.FileField(_("logo"), upload_to="organizations/logos/", blank=True)
    bankgiro = models.CharField(_("bankgiro"), max_length=8, blank=True)
    plusgiro = models.CharField(_("plusgiro"), max_length=8, blank=True)
    premises_accessibility = models.TextField(
        _("accessibility of premises"),
        blank=True,
        help_text=_("Step-free entrance, accessible toilet, hearing loop, and so on."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.PENDING,
    )
    review_message = models.TextField(_("message from the register officer"), blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    confirmed_at = models.DateTimeField(
        _("details last confirmed"),
        null=True,
        blank=True,
        help_text=_("The organisation confirms its details once a year."),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~Q(organisation_number=""),
                name="organization_number_unique",
            )
        ]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_number_display(self) -> str:
        return format_organisation_number(self.organisation_number)

    @property
    def bankgiro_display(self) -> str:
        return format_bankgiro(self.bankgiro)

    @property
    def plusgiro_display(self) -> str:
        return format_plusgiro(self.plusgiro)

    @property
    def is_public(self) -> bool:
        return self.status == OrganizationStatus.VERIFIED


class DocumentKind(models.TextChoices):
    STATUTES = "statutes", _("Statutes")
    ANNUAL_REPORT = "annual_report", _("Latest annual report")
    ANNUAL_MEETING_MINUTES = "annual_meeting_minutes", _("Minutes of the latest annual meeting")


class OrganizationDocument(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    # Not under MEDIA_ROOT: documents are read through the download view only.
    file = models.FileField(
        _("file"), upload_to="organizations/documents/%Y/", storage=private_storage
    )
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class Representative(models.Model):
    """A person who may act for an organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Editor")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="representations",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "role"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="representative_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organization})"


class Invitation(models.Model):
    """An admin invites someone by e-mail to represent the organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=Representative.Role.choices,
        default=Representative.Role.EDITOR,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"


class JoinRequest(models.Model):
    """Someone asks to represent an existing organisation; an admin decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message to the organisation"), blank=True, max_length=1000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organization}"
