"""Forms for inquiries. They check field syntax; the services check the rest
(text, ways to reach, the under-16 rule, consent) and their errors are shown
next to the fields here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillsammans.accounts.models import Department
from tillsammans.inquiries.models import TEXT_MAX_LENGTH, Category, ContactLanguage
from tillsammans.organizations.models import Organization
from tillsammans.volunteering.forms.requests import HoneypotInput


class InquiryForm(forms.Form):
    """The public form (“Vad vill du?”) and staff's phone form (``by_phone``).
    ``under_16`` keeps only a first name and one way to reach."""

    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose what it is about."),
            "invalid_choice": _("Choose one of the subjects in the list."),
        },
    )
    text = forms.CharField(
        label=_("What do you want?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX_LENGTH}),
        help_text=_("Write in your own words. At most 2000 characters."),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Your first name is enough."),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("Give a phone number or an e-mail address, or both."),
    )
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
        help_text=_("We send you a receipt with a link where you can follow your inquiry."),
    )
    preferred_time = forms.CharField(
        label=_("When is it best to call you? (optional)"),
        max_length=200,
        required=False,
        help_text=_("E.g. “weekdays after 3 pm”."),
    )
    language = forms.ChoiceField(
        label=_("Which language should we use?"),
        choices=ContactLanguage.choices,
        initial=ContactLanguage.SV,
        widget=forms.RadioSelect,
    )
    consent_to_organization = forms.BooleanField(
        label=_(
            "You may pass my inquiry to an association or organisation that works with the "
            "municipality, if they can help better."
        ),
        required=False,
    )
    under_16 = forms.BooleanField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=HoneypotInput
    )

    def __init__(self, *args, by_phone: bool = False, under_16: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_phone = by_phone
        self.fields["under_16"].initial = under_16
        if by_phone:
            del self.fields["website"]
            self.fields["text"].label = _("What does the person want?")
            self.fields["name"].label = _("The person's name")
            self.fields["phone"].label = _("The person's phone number")
            self.fields["email"].label = _("The person's e-mail address (optional)")
            self.fields["under_16"].widget = forms.CheckboxInput()
            self.fields["under_16"].label = _("The person is under 16")
            self.fields["under_16"].help_text = _(
                "Then write only a first name and one way to reach them."
            )
        if under_16 and not by_phone:
            for name in ("preferred_time", "consent_to_organization"):
                del self.fields[name]
            self.fields["name"].label = _("Your first name")
            self.fields["name"].help_text = ""
            self.fields["phone"].help_text = _(
                "Give a phone number or an e-mail address: only one of them."
            )

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
            "category": data.get("category"),
            "text": data.get("text", ""),
            "name": data.get("name", ""),
            "phone": data.get("phone", ""),
            "email": data.get("email", ""),
            "preferred_time": data.get("preferred_time", ""),
            "language": data.get("language") or ContactLanguage.SV,
            "under_16": bool(data.get("under_16")),
            "consent_to_organization": bool(data.get("consent_to_organization")),
        }


class RouteForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("No department"),
    )
    user = forms.ModelChoiceField(
        label=_("Named staff member"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody in particular"),
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation (only with the person's consent)"),
        queryset=Organization.objects.public(),
        required=False,
        empty_label=_("No organisation"),
    )
    note = forms.CharField(
        label=_("Note for the receiver"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(staff_memberships__isnull=False, is_active=True)
            .distinct()
            .order_by("full_name", "email")
        )
        self.fields["user"].label_from_instance = lambda u: u.full_name or u.email


class CallBackForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was said?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    close = forms.BooleanField(label=_("The inquiry is done: close it"), required=False)


class TakeOverForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000)
