"""Forms for managing activities. They check field syntax; the services
decide the rest (times, dates, weekdays, cost) and their errors are shown
next to the fields here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillsammans.accounts.models import Department
from tillsammans.activities.models import WEEKDAYS, Activity, Recurrence
from tillsammans.activities.services import DETAIL_FIELDS, TAG_FIELDS
from tillsammans.core.models import Area, Language, Locality, TargetGroup
from tillsammans.organizations.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _field(name: str, **kwargs) -> Any:
    """The model field's form field, with its label and length."""
    return Activity._meta.get_field(name).formfield(**kwargs)


class ActivityForm(forms.Form):
    """Creating and editing an activity; the organiser is chosen by the view
    (or by ``organization``/``department`` in the subclasses below)."""

    title = _field("title")
    description = _field(
        "description",
        help_text=_("What happens, for whom, and what to bring. Plain language helps everyone."),
    )
    recurrence = forms.ChoiceField(
        label=_("How often"), choices=Recurrence.choices, widget=forms.RadioSelect
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For an activity that recurs. A one-off activity takes its weekday from the date."
        ),
    )
    starts_on = forms.DateField(
        label=_("First date"), widget=DateInput, help_text=_("For a one-off activity: its date.")
    )
    ends_on = forms.DateField(
        label=_("Last date"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty if it goes on until further notice."),
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput)
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=Locality.objects.filter(is_active=True),
        empty_label=_("Choose a locality"),
    )
    place_name = _field("place_name", help_text=_("E.g. Kajutan, Stockbygården, the library."))
    street_address = _field("street_address")
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=Area.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages spoken"),
        queryset=Language.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_free = forms.BooleanField(label=_("Free of charge"), required=False, initial=True)
    cost = _field("cost", help_text=_("If it is not free: what it costs, e.g. “20 kr for coffee”."))
    accessibility = _field(
        "accessibility",
        help_text=_("Step-free access, accessible toilet, hearing loop, seating …"),
    )
    registration_required = forms.BooleanField(label=_("Registration needed"), required=False)
    registration_info = _field("registration_info")
    contact_name = _field("contact_name")
    contact_email = _field("contact_email")
    contact_phone = _field("contact_phone")

    def __init__(self, *args, activity: Activity | None = None, **kwargs):
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(activity)
        super().__init__(*args, **kwargs)
        self.fields["recurrence"].initial = Recurrence.WEEKLY
        if activity is not None:
            # Terms taken out of use stay choosable on the activities that have them,
            # so saving does not drop them silently.
            self.fields["locality"].queryset = Locality.objects.filter(
                Q(is_active=True) | Q(pk=activity.locality_id)
            )
            for name in TAG_FIELDS:
                model = self.fields[name].queryset.model
                kept = [term.pk for term in getattr(activity, name).all()]
                self.fields[name].queryset = model.objects.filter(
                    Q(is_active=True) | Q(pk__in=kept)
                )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments = {name: data[name] for name in (*DETAIL_FIELDS, *TAG_FIELDS) if name in data}
        arguments["weekdays"] = "".join(str(day) for day in data.get("weekdays") or [])
        for name in (
            "place_name",
            "street_address",
            "cost",
            "accessibility",
            "registration_info",
            "contact_name",
            "contact_email",
            "contact_phone",
        ):
            arguments[name] = data.get(name) or ""
        return arguments


def initial_from(activity: Activity) -> dict[str, Any]:
    initial = {name: getattr(activity, name) for name in DETAIL_FIELDS}
    initial["weekdays"] = activity.weekday_numbers
    initial["locality"] = activity.locality_id
    for name in TAG_FIELDS:
        initial[name] = list(getattr(activity, name).all())
    return initial


class OrganizationActivityForm(ActivityForm):
    """A new activity for one of the user's organisations, chosen here."""

    organization = forms.ModelChoiceField(
        label=_("Organiser"), queryset=Organization.objects.none(), empty_label=None
    )
    field_order = ["organization"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].to_field_name = "uuid"


class MunicipalActivityForm(ActivityForm):
    """A new activity of the municipality, for one of the editor's departments."""

    department = forms.ModelChoiceField(
        label=_("Organiser (department)"), queryset=Department.objects.none(), empty_label=None
    )
    field_order = ["department"]

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].to_field_name = "uuid"


class CancelDateForm(forms.Form):
    date = forms.DateField(label=_("Date to cancel"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("Shown to visitors, e.g. “Holiday” or “The leader is ill”."),
    )
