from django.contrib import admin
from django.db import models

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
    model = OrganizationDocument
    extra = 0
    fields = ["kind", "file", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "size", "uploaded_by", "uploaded_at"]


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
