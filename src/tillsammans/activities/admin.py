from django.contrib import admin

from tillsammans.activities.models import Activity, Cancellation


class CancellationInline(admin.TabularInline):
    model = Cancellation
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "department", "locality", "recurrence", "status"]
    list_filter = ["status", "recurrence", "department", "locality"]
    search_fields = ["title", "description", "organization__name", "slug"]
    list_select_related = ["organization", "department", "locality"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["areas", "target_groups", "languages"]
    readonly_fields = ["uuid", "created_by", "created_at", "updated_at"]
    inlines = [CancellationInline]
