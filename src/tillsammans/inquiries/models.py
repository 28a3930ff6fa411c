"""Inquiries: a resident asks the municipality something (“Vad vill du?”).

Triage staff route each inquiry to a department, a named staff member or,
only with the resident's consent, a participating organisation; whoever has
it calls back. Every hand-over and every call-back is kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillsammans.accounts.models import Department
from tillsammans.core.models import Area
from tillsammans.organizations.models import Organization

TEXT_MAX_LENGTH = 2000


class Category(models.Model):
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="inquiry_categories", verbose_name=_("area")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="inquiry_categories",
        verbose_name=_("department"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name_sv"]
        verbose_name = _("inquiry category")
        verbose_name_plural = _("inquiry categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv


class CaseNumberCounter(models.Model):
    """The last case number given out in a year; locked to give the next."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    ROUTED = "routed", _("Routed")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class ContactLanguage(models.TextChoices):
    SV = "sv", _("Swedish")
    EN = "en", _("English")


class Inquiry(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case_number = models.CharField(_("case number"), max_length=20, unique=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("category")
    )
    text = models.TextField(_("what the inquiry is about"), max_length=TEXT_MAX_LENGTH)
    name = models.CharField(_("name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_time = models.CharField(_("best time to call"), max_length=200, blank=True)
    language = models.CharField(
        _("language of contact"),
        max_length=2,
        choices=ContactLanguage.choices,
        default=ContactLanguage.SV,
    )
    under_16 = models.BooleanField(_("under 16"), default=False)
    consent_to_organization = models.BooleanField(
        _("may be passed to a participating organisation"), default=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    routed_to_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("department"),
    )
    routed_to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("staff member"),
    )
    routed_to_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("organisation"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    first_contact_due = models.DateField(_("first contact due"))
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    status_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        constraints = [
            models.CheckConstraint(
                name="inquiry_organization_needs_consent",
                condition=models.Q(routed_to_organization__isnull=True)
                | models.Q(consent_to_organization=True),
            ),
            models.CheckConstraint(
                name="inquiry_some_contact",
                condition=~models.Q(phone="") | ~models.Q(email=""),
            ),
        ]
        indexes = [models.Index(fields=["status", "first_contact_due"])]

    def __str__(self) -> str:
        return self.case_number


class Handover(models.Model):
    """One routing or hand-over of an inquiry, kept for its history."""

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("inquiry")
    )
    from_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self) -> str:
        return f"{self.inquiry_id} @ {self.at:%Y-%m-%d %H:%M}"


class CallBack(models.Model):
    """A call-back to the resident: who called, when and what was said."""

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="callbacks", verbose_name=_("inquiry")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("called by"),
    )
    at = models.DateTimeField(_("when"))
    outcome = models.TextField(_("what was said"), max_length=2000)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")

    def __str__(self) -> str:
        return f"{self.inquiry_id} @ {self.at:%Y-%m-%d %H:%M}"
