"""Forms for awards: the public nomination and the officers' record of the winner."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.grants.services.awards import MOTIVATION_MAX_LENGTH
from tillsammans.organizations.models import Organization


class NominationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_("Organisations verified in the municipality's register."),
    )
    motivation = forms.CharField(
        label=_("Why should the organisation get the award?"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MOTIVATION_MAX_LENGTH}),
        max_length=MOTIVATION_MAX_LENGTH,
    )
    nominator_name = forms.CharField(
        label=_("Your name (optional)"), max_length=120, required=False
    )
    nominator_email = forms.CharField(
        label=_("Your e-mail address (optional)"),
        max_length=254,
        required=False,
        help_text=_(
            "Only if we may contact you about the nomination. Erased when the winner is chosen."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class WinnerForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Winner"), queryset=Organization.objects.none(), empty_label=None
    )
    motivation = forms.CharField(
        label=_("The board's motivation"), widget=forms.Textarea(attrs={"rows": 4})
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["decided_on"].initial = timezone.localdate()
