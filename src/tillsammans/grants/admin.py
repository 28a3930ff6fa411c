"""Grants in the Django admin, for site admins: programmes with their
windows, budgets, criteria and questions. Applications, assessments and
decisions go through the pages (services with the budget's row lock and the
audit log) and are read-only here."""

from django.contrib import admin

from tillsammans.grants.models import (
    ApplicationWindow,
    Criterion,
    FollowUpQuestion,
    Programme,
    ProgrammeBudget,
    Question,
)


class WindowInline(admin.TabularInline):
    model = ApplicationWindow
    extra = 0


class BudgetInline(admin.TabularInline):
    model = ProgrammeBudget
    extra = 0
    readonly_fields = ["committed_ore"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class FollowUpQuestionInline(admin.TabularInline):
    model = FollowUpQuestion
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "department", "is_published"]
    list_filter = ["kind", "department", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [
        WindowInline,
        BudgetInline,
        CriterionInline,
        QuestionInline,
        FollowUpQuestionInline,
    ]
