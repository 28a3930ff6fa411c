"""Forms for asking for help, on the web or by phone through staff. They check
field syntax; the services check the rest (time window, phone, locality,
campaign) and their errors are shown next to the fields here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillsammans.core.models import Language, Locality
from tillsammans.organizations.models import Organization
from tillsammans.volunteering.models import Campaign, HelpRequest, HelpType, Recurrence
from tillsammans.volunteering.selectors.requests import organizations_with_volunteers
from tillsammans.volunteering.services.requests import TimeWindow


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class HoneypotInput(forms.TextInput):
    """A text box no person sees (``hidden``) and software that fills every
    box does; rendered with the form's hidden fields."""

    is_hidden = True

    def __init__(self):
        super().__init__(attrs={"hidden": True, "autocomplete": "off", "tabindex": "-1"})


NOTES_WARNING = _(
    "Do not write anything about health, illnesses or medicines here: the volunteer "
    "reads this. Write only what helps them, e.g. “ring the bell twice” or “cash "
    "payment only”."
)


class HelpRequestForm(forms.Form):
    """The same fields for a resident on the web and for staff on the phone;
    ``by_phone`` changes the labels from “you” to “the resident”."""

    help_type = forms.ModelChoiceField(
        label=_("What do you need help with?"),
        queryset=HelpType.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the kinds of help in the list.")},
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("No campaign"),
    )
    date = forms.DateField(label=_("Day"), widget=DateInput)
    time_from = forms.TimeField(label=_("From"), widget=TimeInput)
    time_to = forms.TimeField(label=_("Until"), widget=TimeInput)
    recurrence = forms.ChoiceField(
        label=_("How often?"),
        choices=Recurrence.choices,
        initial=Recurrence.ONCE,
        widget=forms.RadioSelect,
    )
    recurrence_until = forms.DateField(
        label=_("Last time (for help that repeats)"),
        required=False,
        widget=DateInput,
        help_text=_("Only when the help repeats every week or every other week."),
    )
    resident_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    resident_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_(
            "We call you on this number. A mobile number also gets a text message with "
            "your reference."
        ),
    )
    address = forms.CharField(
        label=_("Street address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
        help_text=_("Write the postal code or choose the locality below."),
    )
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=Locality.objects.filter(is_active=True),
        required=False,
        empty_label=_("Choose a locality"),
    )
    language = forms.ModelChoiceField(
        label=_("Language the volunteer should speak"),
        queryset=Language.objects.filter(is_active=True),
        required=False,
        empty_label=_("Swedish is fine"),
    )
    volunteers_needed = forms.IntegerField(
        label=_("Number of volunteers"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("Usually one. Two, e.g., to carry something heavy."),
    )
    preferred_organization = forms.ModelChoiceField(
        label=_("Would you like a volunteer from a particular organisation? (optional)"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("No preference"),
        help_text=_("We look there first, but someone else may come if nobody there can."),
    )
    notes = forms.CharField(
        label=_("Anything else the volunteer should know?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTES_WARNING,
    )
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=HoneypotInput
    )

    def __init__(
        self,
        *args,
        by_phone: bool = False,
        campaign: Campaign | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.by_phone = by_phone
        self.fields["preferred_organization"].queryset = organizations_with_volunteers()
        if by_phone:
            self.fields["help_type"].label = _("What does the resident need help with?")
            self.fields["resident_name"].label = _("The resident's name")
            self.fields["resident_phone"].label = _("The resident's phone number")
            self.fields["resident_phone"].help_text = _(
                "Landlines are fine. A mobile number gets a text message with the reference."
            )
            del self.fields["website"]
        # Only open campaigns are offered; a closed one that is posted anyway
        # gets the service's message, not a bare “invalid choice”.
        campaign_field = self.fields["campaign"]
        campaign_field.widget = forms.HiddenInput()
        if campaign is not None:
            campaign_field.initial = campaign.slug
            self.fields["help_type"].queryset = campaign.help_types.filter(is_active=True)
        elif by_phone:
            open_campaigns = list(Campaign.objects.filter(status=Campaign.Status.OPEN))
            if open_campaigns:
                campaign_field.widget = forms.Select()
                campaign_field.choices = [("", _("No campaign"))] + [
                    (c.slug, c.title) for c in open_campaigns
                ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(
                _("The form could not be sent. Try again, or call us and we will help you.")
            )
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "help_type": data["help_type"],
            "campaign": data.get("campaign"),
            "window": TimeWindow(data["date"], data["time_from"], data["time_to"]),
            "recurrence": data["recurrence"],
            "recurrence_until": data.get("recurrence_until"),
            "resident_name": data["resident_name"],
            "resident_phone": data["resident_phone"],
            "address": data["address"],
            "postal_code": data.get("postal_code", ""),
            "locality": data.get("locality"),
            "language": data.get("language"),
            "volunteers_needed": data["volunteers_needed"],
            "notes": data.get("notes", ""),
            "preferred_organization": data.get("preferred_organization"),
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the request cancelled?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the log of the request. Do not write health details."),
    )


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *HelpRequest.Status.choices],
    )
    help_type = forms.ModelChoiceField(
        label=_("Kind of help"),
        queryset=HelpType.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=Locality.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {key: value or None for key, value in self.cleaned_data.items()}
