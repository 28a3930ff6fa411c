"""The idea form (public), the status-change form and the note form (coaches).
The forms check the shape; the rules (contact, under 16, lengths) are the
service's, and its errors are shown next to the field they name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillsammans.core.models import Area, Locality
from tillsammans.ideas.models import TEXT_MAX, HelpWanted, IdeaStatus, MessageLanguage
from tillsammans.ideas.services.ideas import TRANSITIONS, IdeaDetails
from tillsammans.volunteering.forms.requests import HoneypotInput


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Name of your idea"),
        help_text=_("A few words, for example “Repair café in Stenhamra”."),
    )
    what = forms.CharField(
        label=_("What do you want to do?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write in your own words. It does not have to be finished."),
    )
    for_whom = forms.CharField(
        label=_("Who is it for? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    area = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=Area.objects.none(), empty_label=None
    )
    locality = forms.ModelChoiceField(
        label=_("Where? (optional)"),
        queryset=Locality.objects.none(),
        required=False,
        empty_label=_("Anywhere in the municipality"),
    )
    help_wanted = forms.MultipleChoiceField(
        label=_("What help would you like? (optional)"),
        choices=HelpWanted.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    submitter_name = forms.CharField(label=_("Your name"))
    under_16 = forms.BooleanField(
        label=_("I am under 16"),
        required=False,
        help_text=_("Then write only your first name and one way to reach you."),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send you a link where you can follow your idea."),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("E-mail or mobile number: give at least one."),
    )
    language = forms.ChoiceField(
        label=_("Language of our messages to you"), choices=MessageLanguage.choices
    )
    publish_consent = forms.BooleanField(
        label=_("Show my idea on the public idea board"),
        required=False,
        help_text=_("Only the name of the idea, what it is, the area and how far it has come."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=HoneypotInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(is_active=True)
        self.fields["locality"].queryset = Locality.objects.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(
                _("The form could not be sent. Try again, or call us and we will help you.")
            )
        return cleaned

    def details(self) -> IdeaDetails:
        data = self.cleaned_data
        return IdeaDetails(
            title=data["title"],
            what=data["what"],
            for_whom=data.get("for_whom", ""),
            area=data["area"],
            locality=data.get("locality"),
            help_wanted=list(data.get("help_wanted") or []),
            submitter_name=data["submitter_name"],
            under_16=data.get("under_16", False),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            language=data["language"],
            publish_consent=data.get("publish_consent", False),
        )


class StatusChangeForm(forms.Form):
    prefix = "status"

    new_status = forms.ChoiceField(label=_("New status"))
    feedback = forms.CharField(
        label=_("Feedback to the person who sent the idea"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
        help_text=_("Required. They get it by e-mail or text message, in their language."),
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(IdeaStatus.choices)
        self.fields["new_status"].choices = [
            (status, labels[status])
            for status in IdeaStatus.values
            if status in TRANSITIONS[current]
        ]


class NoteForm(forms.Form):
    prefix = "note"

    text = forms.CharField(
        label=_("Private note (only coaches see it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
    )
