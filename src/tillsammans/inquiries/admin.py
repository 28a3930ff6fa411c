from django.contrib import admin

from tillsammans.inquiries.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "name_en", "area", "department", "is_active", "order"]
    list_filter = ["is_active", "department"]
    prepopulated_fields = {"slug": ["name_en"]}
