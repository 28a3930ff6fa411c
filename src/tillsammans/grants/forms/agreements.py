"""Forms for long-term agreements."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.grants.forms.programmes import KronorField
from tillsammans.organizations.models import Organization


class AgreementForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.public().order_by("name").only("pk", "name"),
        empty_label=_("Choose an organisation"),
    )
    title = forms.CharField(label=_("What the agreement is for"), max_length=200)
    first_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)
    yearly_amount = KronorField(label=_("Amount per year"))
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["first_year"].initial = year
        self.fields["last_year"].initial = year + 2
        self.fields["decided_on"].initial = timezone.localdate()


class AgreementEndForm(forms.Form):
    last_year = forms.IntegerField(
        label=_("Last year of the agreement"), min_value=2000, max_value=2100
    )
