"""Forms for campaigns: opening one (with a few extra sign-up questions, as
rows that work without JavaScript), and the message that stands volunteers
down."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillsammans.volunteering.models import Campaign, CampaignQuestion, HelpType
from tillsammans.volunteering.services.campaigns import (
    MAX_QUESTIONS,
    STAND_DOWN_MAX_LENGTH,
    QuestionSpec,
)

QUESTION_ROWS = 4


class CampaignForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=160,
        help_text=_(
            "E.g. “Handlingshjälp covid-19”. Shown on the start page and the campaign page."
        ),
    )
    slug = forms.SlugField(
        label=_("Web address"),
        max_length=70,
        required=False,
        help_text=_("Leave empty to make it from the title."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who the campaign is for, what volunteers do, and how long it lasts."),
    )
    help_types = forms.ModelMultipleChoiceField(
        label=_("Kinds of help in the campaign"),
        queryset=HelpType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    show_banner = forms.BooleanField(
        label=_("Show a banner on the start page"), required=False, initial=True
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "slug": data.get("slug", ""),
            "description": data["description"],
            "help_types": data["help_types"],
            "show_banner": data["show_banner"],
        }


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of answer"),
        choices=CampaignQuestion.Kind.choices,
        initial=CampaignQuestion.Kind.TEXT,
    )
    required = forms.BooleanField(label=_("Must be answered"), required=False)

    def spec(self) -> QuestionSpec | None:
        data = getattr(self, "cleaned_data", None) or {}
        if not (data.get("text") or "").strip():
            return None
        return QuestionSpec(text=data["text"], kind=data["kind"], required=data["required"])


QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=QUESTION_ROWS, max_num=MAX_QUESTIONS, absolute_max=MAX_QUESTIONS
)


def question_specs(formset) -> list[QuestionSpec]:
    return [spec for form in formset.forms if (spec := form.spec()) is not None]


class StandDownForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the volunteers"),
        max_length=STAND_DOWN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Every volunteer signed up to the campaign gets it once, by e-mail or text "
            "message. Thank them, and say whether they stay in the register for ordinary "
            "volunteering."
        ),
    )


class StatisticsFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.order_by("-opened_at"),
        to_field_name="slug",
        required=False,
        empty_label=_("All requests"),
    )
