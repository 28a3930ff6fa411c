"""Idélabbet: ideas from residents, a coach for each, and the feedback they get.

A resident (or a group) sends an idea for something they want to start; an
idea coach at the municipality answers with feedback at every step. The
submitter needs no account: a secret status link (only its SHA-256 is stored)
shows them their idea and the feedback. Ideas whose submitter agreed are shown
on the public idea board, without any contact details.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class HelpWanted(models.TextChoices):
    COACHING = "coaching", _("Coaching")
    CONTACTS = "contacts", _("Contacts")
    PREMISES = "premises", _("Premises")
    FUNDING = "funding", _("Funding")
    PERMITS = "permits", _("Permits")


class IdeaStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_DIALOGUE = "in_dialogue", _("In dialogue")
    COACHING = "coaching", _("Coaching")
    REALISED = "realised", _("Realised")
    NOT_PURSUED = "not_pursued", _("Not pursued")


OPEN_STATUSES = [IdeaStatus.RECEIVED, IdeaStatus.IN_DIALOGUE, IdeaStatus.COACHING]


class MessageLanguage(models.TextChoices):
    SV = "sv", _("Swedish")
    EN = "en", _("English")


TITLE_MAX = 120
TEXT_MAX = 4000


class Idea(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    what = models.TextField(_("what"), max_length=TEXT_MAX)
    for_whom = models.TextField(_("for whom"), max_length=1000, blank=True)
    locality = models.ForeignKey(
        "core.Locality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("where"),
    )
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    help_wanted = models.JSONField(_("help wanted"), default=list, blank=True)
    submitter_name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    under_16 = models.BooleanField(_("under 16"), default=False)
    language = models.CharField(
        _("language of messages"),
        max_length=2,
        choices=MessageLanguage.choices,
        default=MessageLanguage.SV,
    )
    publish_consent = models.BooleanField(_("may be shown on the idea board"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.RECEIVED
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_ideas",
        verbose_name=_("coach"),
    )
    status_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="ideas_idea_reachable"
            ),
            models.CheckConstraint(
                condition=Q(status__in=IdeaStatus.values), name="ideas_idea_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(title="") & ~Q(what=""), name="ideas_idea_title_what"
            ),
        ]
        indexes = [models.Index(fields=["status", "coach"], name="ideas_status_coach")]

    def __str__(self) -> str:
        return self.title

    def help_wanted_labels(self) -> list[str]:
        labels = dict(HelpWanted.choices)
        return [str(labels[code]) for code in self.help_wanted if code in labels]


class IdeaStatusChange(models.Model):
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("idea")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=IdeaStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=IdeaStatus.choices)
    feedback = models.TextField(_("feedback to the submitter"), max_length=TEXT_MAX)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(condition=~Q(feedback=""), name="ideas_change_feedback"),
        ]

    def __str__(self) -> str:
        return f"{self.idea}: {self.from_status} → {self.to_status}"


class CoachingNote(models.Model):
    """Private to coaches and site admins; never shown to the submitter."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="notes", verbose_name=_("idea")
    )
    text = models.TextField(_("note"), max_length=TEXT_MAX)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="ideas_note_text")]

    def __str__(self) -> str:
        return f"{self.idea}: {self.text[:40]}"
