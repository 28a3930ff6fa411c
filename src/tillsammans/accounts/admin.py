from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from tillsammans.accounts.models import ApiToken, Department, StaffMembership, User
from tillsammans.accounts.services import api_token_create, api_token_revoke


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "is_superuser", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "staff_memberships__capability"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["uuid", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["uuid", "email", "password"]}),
        (_("Person"), {"fields": ["full_name", "preferred_language"]}),
        (_("Rights"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [StaffMembershipInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "name_en", "email", "phone"]
    search_fields = ["name_sv", "name_en"]
    prepopulated_fields = {"slug": ["name_sv"]}


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "capability", "created_at"]
    list_filter = ["capability", "department"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "department"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created through the service so only the hash is stored; the
    key is shown once, in the confirmation message."""

    list_display = [
        "name",
        "user",
        "key_hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_select_related = ["user"]
    fields = ["name", "user", "expires_at", "key_hint", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hint", "last_used_at", "revoked_at"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        token, raw = api_token_create(
            actor=request.user, user=obj.user, name=obj.name, valid_days=None
        )
        if obj.expires_at:
            ApiToken.objects.filter(pk=token.pk).update(expires_at=obj.expires_at)
        obj.pk = token.pk
        self.message_user(
            request,
            _("The token is %(key)s – copy it now, it will not be shown again.") % {"key": raw},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(actor=request.user, token=token)
