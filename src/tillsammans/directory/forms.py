"""The directory's filters: one GET form, forgiving of anything in the address."""

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.activities.models import WEEKDAYS
from tillsammans.core.models import Area, Language, Locality, TargetGroup
from tillsammans.core.selectors import term_choices
from tillsammans.core.widgets import PlainSelect
from tillsammans.directory.selectors import DirectoryFilters

SHOW_ACTIVITIES = "activities"
SHOW_ORGANIZATIONS = "organisations"


class _CachedTermChoices(BaseChoiceIterator):
    def __init__(self, field):
        self.field = field

    def __iter__(self):
        yield ("", self.field.empty_label)
        yield from term_choices(self.field.kind)


class TermChoiceField(forms.ModelChoiceField):
    """A taxonomy term chosen by its slug, with a plain message for an unknown one.

    The options come from the cached list of terms (``term_choices``), so the
    form lists them without a query; a chosen value is still looked up.
    """

    default_error_messages = {
        "invalid_choice": _(
            "We do not know this choice, so it was left out. Pick one from the list."
        ),
    }

    widget = PlainSelect

    def __init__(self, *args, kind, any_label, **kwargs):
        self.kind = kind
        super().__init__(*args, empty_label=any_label, required=False, **kwargs)

    def _get_choices(self):
        return _CachedTermChoices(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search words"),
        required=False,
        max_length=200,
        help_text=_("For example “walk”, “choir” or “coffee”. Every word must match."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    area = TermChoiceField(
        queryset=Area.objects.filter(is_active=True),
        kind="area",
        to_field_name="slug",
        label=_("Area"),
        any_label=_("All areas"),
    )
    target_group = TermChoiceField(
        queryset=TargetGroup.objects.filter(is_active=True),
        kind="target_group",
        to_field_name="slug",
        label=_("For whom"),
        any_label=_("Everyone"),
    )
    locality = TermChoiceField(
        queryset=Locality.objects.filter(is_active=True),
        kind="locality",
        to_field_name="slug",
        label=pgettext_lazy("place", "Locality"),
        any_label=_("All localities"),
    )
    language = TermChoiceField(
        queryset=Language.objects.filter(is_active=True),
        kind="language",
        to_field_name="code",
        label=_("Language"),
        any_label=_("All languages"),
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"),
        required=False,
        choices=[("", _("Any day")), *WEEKDAYS],
        coerce=int,
        empty_value=None,
        widget=PlainSelect,
        error_messages={
            "invalid_choice": _(
                "We do not know this day, so it was left out. Pick one from the list."
            )
        },
    )
    free = forms.BooleanField(label=_("Only activities free of charge"), required=False)
    # Which tab: activities (the default) or organisations. Anything else in
    # the address counts as the default rather than an error.
    show = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def filters(self) -> DirectoryFilters:
        """The valid filters; a field with an error counts as "any" (its
        message is shown next to it)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        return DirectoryFilters(
            words=data.get("q") or "",
            area=data.get("area"),
            target_group=data.get("target_group"),
            locality=data.get("locality"),
            language=data.get("language"),
            weekday=data.get("weekday"),
            free_only=bool(data.get("free")),
        )

    def tab(self) -> str:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get("show")
        return SHOW_ORGANIZATIONS if value == SHOW_ORGANIZATIONS else SHOW_ACTIVITIES

    def chosen(self) -> list[tuple[str, str]]:
        """The valid choices as (label, value) in words, e.g. for a printout."""
        filters = self.filters()
        chosen = []
        if filters.words:
            chosen.append((self.fields["q"].label, filters.words))
        for name in ("area", "target_group", "locality", "language"):
            term = getattr(filters, name)
            if term is not None:
                chosen.append((self.fields[name].label, term.name))
        if filters.weekday is not None:
            chosen.append((self.fields["weekday"].label, dict(WEEKDAYS)[filters.weekday]))
        if filters.free_only:
            chosen.append((self.fields["free"].label, _("Yes")))
        return [(str(label), str(value)) for label, value in chosen]
