"""Forms for grant programmes: the officers' programme form and the forms for
its windows, budgets, criteria and questions; and the eligibility check on
a programme's public page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core.errors import DomainError
from tillsammans.core.money import format_kronor, parse_kronor
from tillsammans.grants.models import ProgrammeKind, QuestionKind
from tillsammans.grants.selectors.programmes import departments_for_officer
from tillsammans.organizations.models import DocumentKind, LegalForm

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class KronorField(forms.Field):
    """An amount typed in kronor ("12 500", "1 234,50"), cleaned to öre."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "maxlength": "30"})
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_kronor(value, with_unit=False)
        return value

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if not value:
            return None
        if len(value) > 30:
            raise forms.ValidationError(_("Write an amount in kronor, e.g. 12 500 or 1 234,50."))
        try:
            return parse_kronor(value)
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Name"), max_length=150)
    slug = forms.SlugField(
        label=_("Web address"),
        max_length=80,
        help_text=_(
            "Letters, digits and hyphens, e.g. “verksamhetsstod”: /grants/verksamhetsstod/"
        ),
    )
    summary = forms.CharField(label=_("In one sentence"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the money is for, and what the applicant commits to."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeKind.choices)
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, empty_label=None)
    deciding_body = forms.CharField(
        label=_("Decided by"), max_length=150, help_text=_("E.g. “Socialnämnden”.")
    )
    max_amount = KronorField(
        label=_("Largest amount per application, in kronor"),
        required=False,
        help_text=_("Leave empty for no maximum."),
    )
    is_rolling = forms.BooleanField(
        label=_("Applications at any time (no application windows)"), required=False
    )
    allowed_legal_forms = forms.MultipleChoiceField(
        label=_("Legal forms that may apply"),
        choices=LegalForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to let every legal form apply."),
    )
    requires_verified_organization = forms.BooleanField(
        label=_("Only verified, current organisations in the register"), required=False
    )
    requires_local_activity = forms.BooleanField(
        label=_("Only organisations active in the municipality"),
        required=False,
        help_text=_("The organisation serves at least one of the municipality's localities."),
    )
    allows_networks = forms.BooleanField(label=_("Loose networks may apply"), required=False)
    allows_individuals = forms.BooleanField(label=_("Individuals may apply"), required=False)
    required_documents = forms.MultipleChoiceField(
        label=_("Documents the organisation must have in the register"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    report_due_months = forms.IntegerField(
        label=_("Report due, months after payment"),
        min_value=1,
        max_value=36,
        required=False,
        help_text=_("Leave empty if no report is asked for."),
    )
    is_published = forms.BooleanField(label=_("Shown on the grants page"), required=False)

    def __init__(self, *args, user, programme=None, **kwargs):
        if programme is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": programme.title,
                "slug": programme.slug,
                "summary": programme.summary,
                "description": programme.description,
                "kind": programme.kind,
                "department": programme.department_id,
                "deciding_body": programme.deciding_body,
                "max_amount": programme.max_amount_ore or None,
                "is_rolling": programme.is_rolling,
                "allowed_legal_forms": programme.allowed_legal_forms,
                "requires_verified_organization": programme.requires_verified_organization,
                "requires_local_activity": programme.requires_local_activity,
                "allows_networks": programme.allows_networks,
                "allows_individuals": programme.allows_individuals,
                "required_documents": programme.required_documents,
                "report_due_months": programme.report_due_months,
                "is_published": programme.is_published,
            }
        kwargs.setdefault("initial", {"requires_verified_organization": True})
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_for_officer(user).order_by("slug")

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["max_amount_ore"] = data.pop("max_amount") or 0
        return data


class WindowForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        help_text=_("Date and time, Swedish time."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        help_text=_("Applications are refused from this moment."),
    )
    decision_meeting_on = forms.DateField(
        label=_("Board meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When the board decides on this window's applications."),
    )

    def __init__(self, *args, window=None, **kwargs):
        if window is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "opens_at": timezone.localtime(window.opens_at),
                "closes_at": timezone.localtime(window.closes_at),
                "decision_meeting_on": window.decision_meeting_on,
            }
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The window must close after it opens."))
        return data


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = KronorField(label=_("Budget in kronor"))

    def __init__(self, *args, budget=None, **kwargs):
        if budget is not None and "initial" not in kwargs:
            kwargs["initial"] = {"year": budget.year, "amount": budget.amount_ore}
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        if budget is not None:
            self.fields["year"].disabled = True


class CriterionForm(forms.Form):
    title = forms.CharField(label=_("Criterion"), max_length=150)
    description = forms.CharField(
        label=_("What a high score means"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Applicants read this on the programme's page."),
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=10, initial=1)
    scale_max = forms.IntegerField(label=_("Highest score"), min_value=2, max_value=10, initial=5)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=0)

    def __init__(self, *args, criterion=None, **kwargs):
        if criterion is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(criterion, name)
                for name in ("title", "description", "weight", "scale_max", "order")
            }
        super().__init__(*args, **kwargs)


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Help text"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for the kind “Choice”."),
    )
    required = forms.BooleanField(label=_("Must be answered"), required=False, initial=True)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=0)

    def __init__(self, *args, question=None, **kwargs):
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(question, name)
                for name in ("label", "help_text", "kind", "choices", "required", "order")
            }
        super().__init__(*args, **kwargs)


class FollowUpQuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Help text"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Must be answered"), required=False, initial=True)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=0)

    def __init__(self, *args, question=None, **kwargs):
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(question, name)
                for name in ("label", "help_text", "required", "order")
            }
        super().__init__(*args, **kwargs)


# --- The eligibility check -------------------------------------------------------------

AS_INDIVIDUAL = "individual"


class RegisterStatus:
    VERIFIED = "verified"
    WAITING = "waiting"
    NOT_REGISTERED = "not_registered"

    choices = [
        (VERIFIED, _("Yes, and it is verified")),
        (WAITING, _("Yes, but it is waiting for verification")),
        (NOT_REGISTERED, _("No, it is not in the register")),
    ]


class OrganisationCheckForm(forms.Form):
    """For a signed-in representative: which of their organisations applies."""

    applicant = forms.ChoiceField(label=_("Who applies?"), widget=forms.RadioSelect)

    def __init__(self, *args, organizations, allows_individuals: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {organization.slug: organization for organization in organizations}
        choices = [(org.slug, org.name) for org in organizations]
        if allows_individuals:
            choices.append((AS_INDIVIDUAL, _("I apply as an individual")))
        self.fields["applicant"].choices = choices


class VisitorCheckForm(forms.Form):
    """For anyone: the legal form and whether the organisation is in the register."""

    legal_form = forms.ChoiceField(label=_("Legal form"))
    register = forms.ChoiceField(
        label=_("Is the organisation in the municipality's register?"),
        choices=RegisterStatus.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, allows_individuals: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(LegalForm.choices)
        if allows_individuals:
            choices.append((AS_INDIVIDUAL, _("None: I apply as an individual")))
        self.fields["legal_form"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("legal_form") not in (None, AS_INDIVIDUAL) and not data.get("register"):
            self.add_error("register", _("Say whether the organisation is in the register."))
        return data
