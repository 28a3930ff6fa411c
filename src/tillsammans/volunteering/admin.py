"""Volunteering in the Django admin: read-mostly. Opening and closing
campaigns, filing and cancelling requests go through the pages (services);
the resident's details are read on the audited coordinator page, never here."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tillsammans.volunteering.models import Campaign, CampaignQuestion, HelpRequest

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
