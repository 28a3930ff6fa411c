"""Forms for volunteers and for coordinators' work with them.

They check field syntax (and show every problem at once); the services decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from tillsammans.core.models import Language, Locality
from tillsammans.organizations.models import Organization
from tillsammans.volunteering.models import (
    Campaign,
    CampaignQuestion,
    HelpType,
    Skill,
    TimeSlot,
    Volunteer,
    Weekday,
    availability_code,
)
from tillsammans.volunteering.selectors.volunteers import STATUS_FILTERS, public_organizations
from tillsammans.volunteering.services.safeguarding import default_renewal_date
from tillsammans.volunteering.services.volunteer_details import (
    AVAILABILITY_CODES,
    MAX_DISTANCE_KM,
    MAX_REQUESTS_PER_WEEK,
    VolunteerDetails,
    VolunteerError,
    email_clean,
    locality_resolve,
    phone_clean,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class HelpTypeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: HelpType) -> str:
        if obj.requires_safeguarding:
            return _("%(name)s (needs a police-record extract)") % {"name": obj.name}
        return obj.name


class LanguageChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Language) -> str:
        return obj.name.capitalize()


@dataclass(frozen=True)
class AvailabilityCell:
    code: str
    id: str
    label: str
    checked: bool


@dataclass(frozen=True)
class AvailabilityRow:
    day: str
    cells: list[AvailabilityCell]


def _at_most_times_a_week(count: int) -> str:
    return ngettext("At most once a week", "At most %(count)s times a week", count) % {
        "count": count
    }


# Lazy, so the label is translated when the form is shown, not when it is imported.
_times_a_week = lazy(_at_most_times_a_week, str)


class VolunteerForm(forms.Form):
    """A volunteer's details: sign-up (with consent) and changing them later."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=30,
        help_text=_(
            "Give an e-mail address, a mobile number or both. We send the confirmation "
            "to the e-mail address, or by text message if you give no e-mail address."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=6,
        help_text=_("We use it only to find your locality, e.g. 178 30."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    locality = forms.ModelChoiceField(
        label=pgettext_lazy("place", "Locality"),
        required=False,
        queryset=Locality.objects.filter(is_active=True),
        empty_label=_("Choose your locality (if you give no postal code)"),
    )
    max_distance_km = forms.IntegerField(
        label=_("How far can you travel? (km)"),
        min_value=MAX_DISTANCE_KM[0],
        max_value=MAX_DISTANCE_KM[1],
        initial=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    languages = LanguageChoiceField(
        label=_("Languages you speak"),
        queryset=Language.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    help_types = HelpTypeChoiceField(
        label=_("What can you help with?"),
        queryset=HelpType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For visits and reading aloud, a coordinator needs to see an extract from the "
            "police record (utdrag ur belastningsregistret) before you are asked."
        ),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Do you have any of these?"),
        required=False,
        queryset=Skill.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When can you usually help?"),
        required=False,
        choices=[(code, code) for code in sorted(AVAILABILITY_CODES)],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the times that usually suit you. Tick nothing if any time suits you."),
    )
    max_requests_per_week = forms.TypedChoiceField(
        label=_("How often may we ask you?"),
        coerce=int,
        initial=1,
        choices=[
            (n, _times_a_week(n))
            for n in range(MAX_REQUESTS_PER_WEEK[0], MAX_REQUESTS_PER_WEEK[1] + 1)
        ],
        help_text=_("We never ask you more often than this, and only when someone needs help."),
    )
    organization = forms.ModelChoiceField(
        label=_("Do you volunteer through an organisation? (optional)"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("No, on my own"),
    )

    field_groups = {
        "contact": ["full_name", "email", "phone"],
        "place": ["postal_code", "locality", "max_distance_km"],
        "help": ["languages", "help_types", "skills"],
        "asking": ["max_requests_per_week", "organization"],
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = public_organizations()
        self._locality = None

    def clean_email(self):
        return self._domain_clean(email_clean, self.cleaned_data["email"])

    def clean_phone(self):
        return self._domain_clean(phone_clean, self.cleaned_data["phone"])

    @staticmethod
    def _domain_clean(function, value):
        try:
            return function(value)
        except VolunteerError as error:
            raise ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        if (
            "email" in cleaned
            and "phone" in cleaned
            and not cleaned["email"]
            and not cleaned["phone"]
        ):
            self.add_error(
                "email",
                _("Give an e-mail address or a mobile number (or both), so that we can reach you."),
            )
        if "postal_code" in cleaned and "locality" in cleaned:
            try:
                self._locality, cleaned["postal_code"] = locality_resolve(
                    postal_code=cleaned["postal_code"], locality=cleaned["locality"]
                )
            except VolunteerError as error:
                self.add_error(error.field, str(error))
        return cleaned

    def details(self) -> VolunteerDetails:
        data = self.cleaned_data
        return VolunteerDetails(
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            postal_code=data["postal_code"],
            locality=data["locality"],
            languages=list(data["languages"]),
            help_types=list(data["help_types"]),
            skills=list(data["skills"]),
            availability=list(data["availability"]),
            max_requests_per_week=data["max_requests_per_week"],
            max_distance_km=data["max_distance_km"],
            organization=data["organization"],
        )

    def group(self, name: str) -> list[forms.BoundField]:
        return [self[field] for field in self.field_groups[name] if field in self.fields]

    @property
    def contact_fields(self):
        return self.group("contact")

    @property
    def place_fields(self):
        return self.group("place")

    @property
    def help_fields(self):
        return self.group("help")

    @property
    def asking_fields(self):
        return self.group("asking")

    def availability_rows(self) -> list[AvailabilityRow]:
        """The weekday × time-of-day grid, with what is ticked (also after an error)."""
        bound = self["availability"]
        selected = set(bound.value() or [])
        rows = []
        for day in Weekday:
            cells = []
            for slot in TimeSlot:
                code = availability_code(day.value, slot.value)
                cells.append(
                    AvailabilityCell(
                        code=code,
                        id=f"{bound.auto_id}_{code}",
                        label=f"{day.label} {slot.label}",
                        checked=code in selected,
                    )
                )
            rows.append(AvailabilityRow(day=str(day.label), cells=cells))
        return rows

    @property
    def time_slots(self):
        return list(TimeSlot)

    def apply_error(self, error: VolunteerError) -> None:
        field = getattr(error, "field", None)
        self.add_error(field if field in self.fields else None, str(error))


def volunteer_initial(volunteer: Volunteer) -> dict:
    return {
        "full_name": volunteer.full_name,
        "email": volunteer.email,
        "phone": volunteer.phone,
        "postal_code": (
            f"{volunteer.postal_code[:3]} {volunteer.postal_code[3:]}"
            if volunteer.postal_code
            else ""
        ),
        "locality": volunteer.locality_id if not volunteer.postal_code else None,
        "max_distance_km": volunteer.max_distance_km,
        "languages": list(volunteer.languages.all()),
        "help_types": list(volunteer.help_types.all()),
        "skills": list(volunteer.skills.all()),
        "availability": list(volunteer.availability),
        "max_requests_per_week": volunteer.max_requests_per_week,
        "organization": volunteer.organization_id,
    }


class CampaignQuestionsMixin:
    """A campaign's extra questions as fields ``question_<pk>``."""

    def add_campaign_questions(self, campaign: Campaign | None) -> None:
        self.campaign = campaign
        self.question_names: list[str] = []
        if campaign is None:
            return
        for question in campaign.questions.all():
            name = f"question_{question.pk}"
            if question.kind == CampaignQuestion.Kind.YES_NO:
                field = forms.ChoiceField(
                    label=question.text,
                    required=question.required,
                    choices=[("yes", _("Yes")), ("no", _("No"))],
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.CharField(
                    label=question.text, required=question.required, max_length=500
                )
            self.fields[name] = field
            self.question_names.append(name)

    @property
    def question_fields(self):
        return [self[name] for name in self.question_names]

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("question_"): self.cleaned_data.get(name) or ""
            for name in self.question_names
        }


class VolunteerSignUpForm(CampaignQuestionsMixin, VolunteerForm):
    consent = forms.BooleanField(
        label=_("I agree that my details are kept and used as described above."),
    )

    def __init__(self, *args, campaign: Campaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_campaign_questions(campaign)
        if campaign is not None and not self.is_bound:
            self.initial.setdefault("help_types", list(campaign.help_types.all()))
        if not self.is_bound:
            self.initial.setdefault(
                "languages", list(Language.objects.filter(code="sv", is_active=True))
            )
        self.fields["consent"].help_text = format_html(
            '{} {} <a href="{}">{}</a>',
            _(
                "We use your details only to ask you for help when someone near you needs what "
                "you offer, and to keep in touch with you about it. The municipality's volunteer "
                "coordinators see them. We keep them while you are a volunteer: when you leave, "
                "we erase them at once, and only anonymous statistics remain. A sign-up that is "
                "not confirmed within 30 days is erased."
            ),
            _("You can see, change, export and erase your details on your own page."),
            reverse("core:privacy"),
            _("How the municipality handles personal data"),
        )


class CampaignJoinForm(CampaignQuestionsMixin, forms.Form):
    """A volunteer who is already signed up joins a campaign."""

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_campaign_questions(campaign)

    def apply_error(self, error: VolunteerError) -> None:
        field = getattr(error, "field", None)
        self.add_error(field if field in self.fields else None, str(error))


class LinkRequestForm(forms.Form):
    address = forms.CharField(
        label=_("Your e-mail address or mobile number"),
        max_length=254,
        help_text=_("The one you signed up with."),
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )

    def clean_address(self):
        value = self.cleaned_data["address"].strip()
        try:
            if "@" in value:
                return email_clean(value)
            normalised = phone_clean(value)
        except VolunteerError as error:
            raise ValidationError(str(error)) from error
        if not normalised:
            raise ValidationError(_("Write an e-mail address or a mobile number."))
        return normalised


class PauseForm(forms.Form):
    until = forms.DateField(
        label=_("Pause up to and including"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave it empty to pause until you resume yourself."),
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until is not None and until <= timezone.localdate():
            raise ValidationError(_("Choose a date after today, or pause until further notice."))
        return until


class VolunteerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (name, e-mail or phone)"), required=False, max_length=100)
    locality = forms.ModelChoiceField(
        label=pgettext_lazy("place", "Locality"),
        required=False,
        queryset=Locality.objects.all(),
        empty_label=_("All localities"),
    )
    language = forms.ModelChoiceField(
        label=_("Language"),
        required=False,
        queryset=Language.objects.filter(is_active=True),
        empty_label=_("All languages"),
    )
    help_type = forms.ModelChoiceField(
        label=_("Help type"),
        required=False,
        queryset=HelpType.objects.all(),
        empty_label=_("All help types"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Everyone who has not left")),
            *zip(
                STATUS_FILTERS,
                [
                    _("Active"),
                    _("Paused"),
                    _("Waiting for confirmation"),
                    _("Left"),
                ],
                strict=True,
            ),
        ],
    )

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class SafeguardingCheckForm(forms.Form):
    extract_issued_on = forms.DateField(
        label=_("Date the extract was issued"),
        widget=DateInput(),
        help_text=_("As printed on the extract. Do not keep a copy of it."),
    )
    valid_until = forms.DateField(
        label=_("Must be renewed by"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave it empty for one year after the date of issue."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("extract_issued_on") and not cleaned.get("valid_until"):
            cleaned["valid_until"] = default_renewal_date(cleaned["extract_issued_on"])
        return cleaned

    def apply_error(self, error) -> None:
        field = getattr(error, "field", None)
        self.add_error(field if field in self.fields else None, str(error))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the check revoked?"),
        max_length=200,
        help_text=_("Kept in the audit log. Do not write details of any offence."),
    )
