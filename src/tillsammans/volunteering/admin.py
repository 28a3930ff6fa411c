"""Volunteering in the Django admin: read-mostly. Opening and closing
campaigns, filing and cancelling requests go through the pages (services);
the resident's details are read on the audited coordinator page, never here."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tillsammans.volunteering.models import (
    Campaign,
    CampaignQuestion,
    Concern,
    HelpRequest,
    HelpType,
    Offer,
    SafeguardingCheck,
    SignUpIntake,
    Skill,
    Volunteer,
)
from tillsammans.volunteering.services.volunteer_intake import signup_intakes_retry

# --- Campaigns and help requests ------------------------------------------------------------


class CampaignQuestionInline(admin.TabularInline):
    model = CampaignQuestion
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "status", "show_banner", "opened_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["help_types"]
    # Open and close on the coordinators' pages: closing locks, audits and clears the banner.
    readonly_fields = ["uuid", "slug", "status", "opened_by", "opened_at", "closed_at"]
    inlines = [CampaignQuestionInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "help_type", "locality", "starts_at", "status", "campaign"]
    list_filter = ["status", "help_type", "campaign"]
    list_select_related = ["help_type", "locality", "campaign"]
    fields = [
        "details",
        "help_type",
        "campaign",
        "locality",
        "starts_at",
        "ends_at",
        "recurrence",
        "recurrence_until",
        "volunteers_needed",
        "status",
        "created_at",
        "matched_at",
        "done_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("resident's details"))
    def details(self, help_request) -> str:
        url = reverse("volunteering:staff_help_request", args=[help_request.uuid])
        return format_html('<a href="{}">{}</a>', url, _("Open the coordinator page (logged)"))


# --- Help types, skills, volunteers and police-record checks ---------------------------------


@admin.register(HelpType)
class HelpTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name_sv",
        "name_en",
        "slug",
        "requires_safeguarding",
        "is_active",
        "sort_order",
    ]
    list_editable = ["requires_safeguarding", "is_active", "sort_order"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "name_en", "slug", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    """Read-only and without contact details: those are read on the audited
    coordinator page; changes go through the volunteer's own page (services)."""

    list_display = ["short_id", "status", "locality", "organization", "created_at"]
    list_filter = ["status", "locality", "help_types"]
    list_select_related = ["locality", "organization"]
    fields = [
        "details",
        "status",
        "locality",
        "max_distance_km",
        "max_requests_per_week",
        "organization",
        "paused_until",
        "consent_version",
        "created_at",
        "left_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("volunteer"))
    def short_id(self, volunteer) -> str:
        return str(volunteer.uuid)[:8]

    @admin.display(description=_("contact details"))
    def details(self, volunteer) -> str:
        url = reverse("volunteering:volunteer_detail", args=[volunteer.uuid])
        return format_html('<a href="{}">{}</a>', url, _("Open the coordinator page (logged)"))


@admin.register(SafeguardingCheck)
class SafeguardingCheckAdmin(admin.ModelAdmin):
    """The record of checks, read-only: coordinators record and revoke them on
    their pages (audited)."""

    list_display = [
        "extract_issued_on",
        "valid_until",
        "checked_by_label",
        "checked_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    fields = [
        "extract_issued_on",
        "valid_until",
        "checked_by_label",
        "checked_at",
        "revoked_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Offers and concerns (coordination) -------------------------------------------------------


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Offer)
class OfferAdmin(_ReadOnlyAdmin):
    """The record of offers, read-only: they are sent, answered and withdrawn
    on the coordination pages (services with row locks and messages)."""

    list_display = ["request", "status", "score", "proposed_at", "sent_at", "respond_by"]
    list_filter = ["status"]
    list_select_related = ["request", "request__help_type", "request__locality"]
    fields = [
        "request",
        "status",
        "score",
        "explanation",
        "proposed_at",
        "sent_at",
        "respond_by",
        "responded_at",
        "done_at",
        "minutes_spent",
        "details_visible_until",
    ]
    readonly_fields = fields


@admin.register(Concern)
class ConcernAdmin(_ReadOnlyAdmin):
    """Concerns are read and marked handled on the coordination page."""

    list_display = ["created_at", "status", "handled_at"]
    list_filter = ["status"]
    fields = ["status", "created_at", "handled_at", "link"]
    readonly_fields = fields

    @admin.display(description=_("read"))
    def link(self, concern) -> str:
        url = reverse("volunteering:coordination_concerns")
        return format_html('<a href="{}">{}</a>', url, _("Open the coordination page"))


@admin.register(SignUpIntake)
class SignUpIntakeAdmin(_ReadOnlyAdmin):
    """Sign-ups waiting for the task worker. Normally empty within seconds;
    one that failed several times waits here (without the person's details)
    until it is tried again or erased after 30 days."""

    list_display = ["pk", "received_at", "attempts", "last_error"]
    fields = ["received_at", "attempts", "last_error"]
    readonly_fields = fields
    actions = ["try_again"]

    @admin.action(description=_("Try the selected sign-ups again now"))
    def try_again(self, request, queryset) -> None:
        outcomes = signup_intakes_retry(pks=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            _(
                "Signed up: %(done)s. Refused (the person was told why): %(refused)s. "
                "Failed again: %(failed)s."
            )
            % {
                "done": outcomes.get("signed-up", 0),
                "refused": outcomes.get("refused", 0),
                "failed": outcomes.get("failed", 0),
            },
        )
