from django.contrib import admin

from tillsammans.ideas.models import CoachingNote, Idea, IdeaStatusChange


class StatusChangeInline(admin.TabularInline):
    model = IdeaStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "feedback", "changed_by", "created_at"]
    can_delete = False


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "status", "coach", "created_at"]
    list_filter = ["status", "area"]
    search_fields = ["title"]
    readonly_fields = ["status_token_hash", "status"]
    inlines = [StatusChangeInline]


admin.site.register(CoachingNote)
