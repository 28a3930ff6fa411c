from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tillsammans.organizations.models import (
    Invitation,
    JoinRequest,
    Organization,
    OrganizationDocument,
    Representative,
)


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    autocomplete_fields = ["user"]


class DocumentInline(admin.TabularInline):
    """Documents are uploaded by the organisation (checked by the services)
    and read through the download view, which logs the read: the file itself
    has no URL."""

    model = OrganizationDocument
    extra = 0
    fields = ["kind", "download", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("file"))
    def download(self, document) -> str:
        url = reverse("organizations:document", args=[document.uuid])
        return format_html('<a href="{}">{}</a>', url, document.original_name)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number", "legal_form", "status", "confirmed_at"]
    list_filter = ["status", "legal_form", "areas"]
    search_fields = ["name", "slug", "organisation_number", "email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["areas", "localities", "languages"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    inlines = [RepresentativeInline, DocumentInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "invited_by"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "organization__name"]
    list_select_related = ["user", "organization"]
    raw_id_fields = ["organization", "user", "decided_by"]
