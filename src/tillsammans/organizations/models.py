"""Organisations of civil society and the people who represent them.

The Foundation only needs who represents which organisation (for roles and
permissions); the register itself (legal form, organisationsnummer,
verification, documents) grows here with the organisation-register issue.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


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
