"""Forms for follow-up: the recipient's report and the officer's review."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillsammans.grants.forms.programmes import KronorField
from tillsammans.grants.models import ReportStatus
from tillsammans.grants.services.follow_up import ANSWER_MAX_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the browser's multiple file picker)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    money_used = KronorField(
        label=_("How much of the grant have you used?"),
        help_text=_("In kronor, e.g. 12 500."),
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["money_used"].initial = report.money_used_ore
        for question in report.decision.application.programme.follow_up_questions.all():
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=question.label,
                help_text=question.help_text,
                required=question.required,
                max_length=ANSWER_MAX_LENGTH,
                initial=report.answers.get(str(question.pk), ""),
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        self.fields["attachments"] = MultipleFileField(
            label=_("Files (optional)"),
            required=False,
            help_text=_(
                "For example minutes, receipts or pictures: PDF, JPEG, PNG, DOCX or ODT, at most "
                "10 MB each, at most 5 files."
            ),
        )

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("question_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("question_")
        }


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Your review"),
        choices=[
            (ReportStatus.APPROVED, _("Approve the report")),
            (ReportStatus.NEEDS_COMPLETION, _("Ask the recipient to complete it")),
            (ReportStatus.REPAYMENT_CLAIMED, _("Claim money back")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Message to the recipient"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you ask for completion or claim money back."),
    )
    repayment = KronorField(label=_("Amount claimed back"), required=False)
