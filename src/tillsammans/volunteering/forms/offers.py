"""Forms of coordination and of the volunteer's assignments (syntax only; the
rules live in ``services.offers``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillsammans.volunteering.models import Campaign
from tillsammans.volunteering.services.offers import CONCERN_MAX_LENGTH, MAX_MINUTES


class MatchingRunForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Requests to match"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("All open requests"),
        to_field_name="slug",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(
            status=Campaign.Status.OPEN
        ).order_by("title")


class CampaignFilterForm(MatchingRunForm):
    """The same choice, read from the query string to narrow a list."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("All open requests"),
        to_field_name="slug",
    )


class ProposalEditForm(forms.Form):
    volunteer = forms.ChoiceField(
        label=_("Propose instead"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a volunteer.")},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].choices = list(choices)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (for the log, not sent to the volunteer)"),
        max_length=200,
        required=False,
    )


class MarkDoneForm(forms.Form):
    minutes_spent = forms.IntegerField(
        label=_("Time spent, in minutes"),
        min_value=1,
        max_value=MAX_MINUTES,
        help_text=_("Including travel. For example 90 for an hour and a half."),
        error_messages={
            "required": _("Give the time you spent in minutes."),
            "invalid": _("Write the time as a whole number of minutes, for example 90."),
        },
    )


class ConcernForm(forms.Form):
    text = forms.CharField(
        label=_("What happened?"),
        max_length=CONCERN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only the coordinators read this. If someone is in danger, call 112 first."),
        error_messages={"required": _("Write what happened.")},
    )
