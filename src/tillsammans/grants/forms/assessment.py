"""Forms of the officers' pages: the conflict declaration, the assessment
(a score and a comment per criterion, a proposed amount), a completion
request, the board's decision and a payment. Amounts are typed in kronor
and kept as öre; the services check the business rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core.errors import DomainError
from tillsammans.core.money import format_kronor, parse_kronor
from tillsammans.grants.models import DecisionOutcome


class ServiceErrorMixin:
    def apply_error(self, error: DomainError) -> None:
        """Show a service's error next to its field, or above the form."""
        field = getattr(error, "field", None)
        self.add_error(field if field in self.fields else None, str(error))


class KronorField(forms.CharField):
    """An amount typed in kronor ("12 500", "1 234,50"), cleaned to öre."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", _("In kronor, e.g. 12 500 or 1 234,50."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_kronor(value, with_unit=False)
        return value

    def clean(self, value):
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            return parse_kronor(text)
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ConflictForm(ServiceErrorMixin, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest in this application?"),
        help_text=_(
            "For example: you, a relative or someone close to you is a member, board member "
            "or employee of the applicant, or gains from the decision in another way."
        ),
        choices=[
            ("no", _("No, I have no conflict of interest")),
            ("yes", _("Yes, I have a conflict of interest")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=300,
        required=False,
        help_text=_("Seen by other officers, e.g. why you have a conflict."),
    )


class AssessmentForm(ServiceErrorMixin, forms.Form):
    """A score and a comment per criterion, then the proposal."""

    def __init__(self, *args, criteria, assessment=None, **kwargs):
        initial = {}
        if assessment is not None:
            initial["proposed"] = assessment.proposed_ore
            initial["comment"] = assessment.comment
            for score in assessment.scores.all():
                initial[f"score_{score.criterion_id}"] = score.score
                initial[f"comment_{score.criterion_id}"] = score.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("Score for “%(criterion)s” (0–%(maximum)s)")
                % {"criterion": criterion.title, "maximum": criterion.scale_max},
                help_text=criterion.description,
                min_value=0,
                max_value=criterion.scale_max,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.title},
                max_length=500,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["proposed"] = KronorField(label=_("Proposed amount"))
        self.fields["comment"] = forms.CharField(
            label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
        )

    def criterion_fields(self):
        """Pairs of (criterion, score field, comment field) for the template."""
        return [
            (criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def scores(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {
            criterion.pk: (data[f"score_{criterion.pk}"], data.get(f"comment_{criterion.pk}", ""))
            for criterion in self.criteria
        }


class CompletionForm(ServiceErrorMixin, forms.Form):
    message = forms.CharField(
        label=_("What must the applicant complete?"),
        help_text=_("Sent to the applicant by e-mail. Write plainly what is missing."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(ServiceErrorMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    amount = KronorField(
        label=_("Amount granted"),
        required=False,
        help_text=_("In kronor, e.g. 12 500. Only for a grant."),
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=DateInput(), initial=timezone.localdate
    )
    conditions = forms.CharField(
        label=_("Conditions (for a grant)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Reason (required for a rejection)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "amount_ore": data["amount"] or 0,
            "decided_on": data["decided_on"],
            "conditions": data["conditions"],
            "reason": data["reason"],
        }


class PaymentForm(ServiceErrorMixin, forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), initial=timezone.localdate)
    amount = KronorField(label=_("Amount paid"))
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        help_text=_("E.g. the voucher number in the finance system."),
    )
