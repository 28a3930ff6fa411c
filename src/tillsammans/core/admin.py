from django.contrib import admin

from tillsammans.core.models import Area, Language, Locality, PostalCode, TargetGroup


class TermAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "name_en", "slug", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["name_sv", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_sv"]}


admin.site.register(Area, TermAdmin)
admin.site.register(TargetGroup, TermAdmin)


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 1


@admin.register(Locality)
class LocalityAdmin(TermAdmin):
    list_display = [*TermAdmin.list_display, "latitude", "longitude"]
    inlines = [PostalCodeInline]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sv", "name_en", "native_name", "is_active", "is_right_to_left"]
    list_editable = ["is_active"]
    search_fields = ["code", "name_sv", "name_en", "native_name"]
