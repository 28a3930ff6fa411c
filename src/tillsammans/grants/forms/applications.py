"""Forms for applying: who applies, the application itself (the programme's
questions and a budget), withdrawing and answering a completion request.

They check the syntax of what is typed (numbers, kronor, a file's type); the
services decide whether the application may be sent. Fields a programme
requires are marked as required but may be left empty in a draft: the
service names what is missing when the applicant sends it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillsammans.core.errors import DomainError
from tillsammans.core.money import format_kronor, parse_kronor
from tillsammans.grants.models import Application, QuestionKind
from tillsammans.grants.selectors.applications import ApplicantOption
from tillsammans.grants.services.applications import AttachmentInvalid, attachment_check

INDIVIDUAL = "individual"
EMPTY_ROWS = 3
MAX_ROWS = 60

ATTACHMENT_HELP = _("PDF, JPEG, PNG, Word (DOCX) or OpenDocument text (ODT), at most 10 MB.")


class ApplicantForm(forms.Form):
    """Apply for one of the user's eligible organisations, or as an individual."""

    applicant = forms.ChoiceField(
        label=_("Who is applying?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who is applying."),
            "invalid_choice": _("Choose one of the applicants in the list."),
        },
    )

    def __init__(self, *args, options: list[ApplicantOption], allows_individuals: bool, **kw):
        super().__init__(*args, **kw)
        self.organizations = {
            str(option.organization.uuid): option.organization
            for option in options
            if option.eligible
        }
        choices = [(key, org.name) for key, org in self.organizations.items()]
        if allows_individuals:
            choices.append((INDIVIDUAL, _("Myself, as an individual")))
        self.fields["applicant"].choices = choices
        if len(choices) == 1:
            self.fields["applicant"].initial = choices[0][0]

    def service_arguments(self) -> dict[str, Any]:
        choice = self.cleaned_data["applicant"]
        if choice == INDIVIDUAL:
            return {"organization": None, "as_individual": True}
        return {"organization": self.organizations[choice], "as_individual": False}


class DraftOptional:
    """Required for sending, not for saving a draft: an empty value passes
    here and the ``(required)`` mark still shows."""

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


class DraftCharField(DraftOptional, forms.CharField):
    pass


class DraftChoiceField(DraftOptional, forms.ChoiceField):
    pass


class DraftFileField(DraftOptional, forms.FileField):
    def clean(self, data, initial=None):
        if not data:
            return None
        return super().clean(data, initial)


def _parse_number(text: str) -> str:
    cleaned = "".join(str(text).split()).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(_("Write a number, e.g. 12 or 2,5."), code="number") from None
    if not value.is_finite():
        raise ValidationError(_("Write a number, e.g. 12 or 2,5."), code="number")
    return format(value.normalize(), "f")


def _parse_amount(text: str) -> int:
    try:
        return parse_kronor(text)
    except DomainError as error:
        raise ValidationError(str(error), code=getattr(error, "code", "amount")) from None


class ApplicationForm(forms.Form):
    """The programme's questions and the budget, as many budget rows as
    ``rows`` (the lines written plus a few empty ones; "Add more rows" asks
    for more)."""

    use_required_attribute = False  # "Save draft" must work with empty fields

    title = DraftCharField(label=_("What the money is for"), max_length=200)
    purpose = DraftCharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you want to do, for whom, and what difference it makes."),
    )
    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ROWS)

    def __init__(self, *args, application: Application, rows: int | None = None, **kwargs):
        self.application = application
        self.questions = list(application.programme.questions.all())
        lines = list(application.budget_lines.all())
        initial = kwargs.pop("initial", None) or self._initial(application, lines)
        super().__init__(*args, initial=initial, **kwargs)
        if self.is_bound:
            try:
                rows = int(self.data.get("rows") or 0)
            except ValueError:
                rows = 0
        rows = min(max(rows or 0, len(lines) + EMPTY_ROWS, EMPTY_ROWS), MAX_ROWS)
        self.row_count = rows
        self.initial["rows"] = rows
        if self.is_bound:
            self.data = self.data.copy()
            self.data["rows"] = str(rows)
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = self._question_field(question)
        for i in range(rows):
            self.fields[f"line_{i}_description"] = forms.CharField(
                label=_("Cost, row %(row)s") % {"row": i + 1}, max_length=200, required=False
            )
            self.fields[f"line_{i}_amount"] = forms.CharField(
                label=_("Amount in kronor, row %(row)s") % {"row": i + 1},
                max_length=30,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    @staticmethod
    def _initial(application: Application, lines) -> dict[str, Any]:
        initial: dict[str, Any] = {"title": application.title, "purpose": application.purpose}
        for question in application.programme.questions.all():
            value = application.answers.get(str(question.pk))
            if value in (None, ""):
                continue
            if question.kind == QuestionKind.AMOUNT:
                value = format_kronor(value, with_unit=False)
            elif question.kind == QuestionKind.NUMBER:
                value = str(value).replace(".", ",")
            initial[f"q_{question.pk}"] = value
        for i, line in enumerate(lines):
            initial[f"line_{i}_description"] = line.description
            initial[f"line_{i}_amount"] = format_kronor(line.amount_ore, with_unit=False)
        return initial

    def _question_field(self, question) -> forms.Field:
        options = {"label": question.label, "help_text": question.help_text}
        if question.kind == QuestionKind.CHOICE:
            field = DraftChoiceField(
                choices=[("", _("Choose…"))] + [(c, c) for c in question.choice_list()],
                error_messages={"invalid_choice": _("Choose one of the options in the list.")},
                **options,
            )
        elif question.kind == QuestionKind.FILE:
            options["help_text"] = " ".join(
                filter(None, [question.help_text, str(ATTACHMENT_HELP)])
            )
            field = DraftFileField(**options)
        elif question.kind in (QuestionKind.NUMBER, QuestionKind.AMOUNT):
            field = DraftCharField(
                max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **options
            )
        else:
            field = DraftCharField(widget=forms.Textarea(attrs={"rows": 4}), **options)
        field.required = question.required
        field.question = question
        return field

    # --- Cleaning ---

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            name = f"q_{question.pk}"
            value = cleaned.get(name)
            if value in (None, ""):
                continue
            try:
                if question.kind == QuestionKind.NUMBER:
                    cleaned[name] = _parse_number(value)
                elif question.kind == QuestionKind.AMOUNT:
                    cleaned[name] = _parse_amount(value)
                elif question.kind == QuestionKind.FILE:
                    attachment_check(value)
            except ValidationError as error:
                self.add_error(name, error)
            except AttachmentInvalid as error:
                self.add_error(name, str(error))
        for i in range(self.row_count):
            description = (cleaned.get(f"line_{i}_description") or "").strip()
            amount_text = (cleaned.get(f"line_{i}_amount") or "").strip()
            if amount_text:
                try:
                    cleaned[f"line_{i}_amount"] = _parse_amount(amount_text)
                except ValidationError as error:
                    self.add_error(f"line_{i}_amount", error)
                    continue
            if amount_text and not description:
                self.add_error(f"line_{i}_description", _("Say what the cost is for."))
        return cleaned

    # --- For the view and the template ---

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{question.pk}"] for question in self.questions]

    def line_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (i + 1, self[f"line_{i}_description"], self[f"line_{i}_amount"])
            for i in range(self.row_count)
        ]

    def budget_total(self) -> str:
        return format_kronor(sum(amount for _description, amount in self._lines()))

    def _lines(self) -> list[tuple[str, int]]:
        data = getattr(self, "cleaned_data", {})
        lines = []
        for i in range(self.row_count):
            name_d, name_a = f"line_{i}_description", f"line_{i}_amount"
            if name_d in self.errors or name_a in self.errors:
                continue
            description = (data.get(name_d) or "").strip()
            amount = data.get(name_a)
            amount = amount if isinstance(amount, int) else 0
            if description:
                lines.append((description, amount))
        return lines

    def service_arguments(self) -> dict[str, Any]:
        """What can be stored of what was typed: every field without an error
        (so saving a draft with a mistake in one row keeps the rest)."""
        data = self.cleaned_data
        answers = {}
        for question in self.questions:
            name = f"q_{question.pk}"
            if question.kind == QuestionKind.FILE:
                continue
            if name in self.errors or name not in data:
                # Keep the answer stored earlier rather than lose it.
                previous = self.application.answers.get(str(question.pk))
                if previous not in (None, ""):
                    answers[str(question.pk)] = previous
                continue
            answers[str(question.pk)] = data[name]
        stored = self.application
        return {
            "title": stored.title if "title" in self.errors else data.get("title", ""),
            "purpose": stored.purpose if "purpose" in self.errors else data.get("purpose", ""),
            "answers": answers,
            "budget_lines": self._lines(),
        }

    def uploads(self) -> list[tuple[Any, Any]]:
        """(question, file) for each file chosen without an error."""
        return [
            (question, self.cleaned_data[f"q_{question.pk}"])
            for question in self.questions
            if question.kind == QuestionKind.FILE
            and f"q_{question.pk}" not in self.errors
            and self.cleaned_data.get(f"q_{question.pk}")
        ]

    def apply_service_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            if name == "budget":
                self.add_error(None, message)
                self.budget_error = message
            else:
                self.add_error(name if name in self.fields else None, message)


class CompletionForm(forms.Form):
    reply = forms.CharField(
        label=_("Your answer to the officer (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("Change the application first, then send it back here."),
    )
