"""Forms of the register. They check field syntax; the services decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillsammans.core.models import Area, Language, Locality
from tillsammans.core.swedish_ids import normalise_bankgiro, normalise_plusgiro
from tillsammans.organizations import uploads
from tillsammans.organizations.models import (
    DocumentKind,
    LegalForm,
    Organization,
    OrganizationStatus,
    Representative,
)
from tillsammans.organizations.services import DETAIL_FIELDS, organisation_number_clean

RELATION_FIELDS = ("areas", "localities", "languages")
DOCUMENT_ACCEPT = ".pdf,.odt,.docx"
DOCUMENT_HELP = _("PDF, OpenDocument text (ODT) or Word (DOCX), at most 10 MB.")


class OrganizationForm(forms.ModelForm):
    """Registration and editing: the same fields, the same checks."""

    areas = forms.ModelMultipleChoiceField(
        label=_("Areas the organisation works in"),
        queryset=Area.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    localities = forms.ModelMultipleChoiceField(
        label=_("Localities served"),
        queryset=Locality.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages spoken"),
        queryset=Language.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        required=False,
        max_length=20,
        help_text=_(
            "Ten digits, e.g. 802000-0000. Leave empty only for a network without "
            "organisation number."
        ),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    bankgiro = forms.CharField(
        label=_("Bankgiro"),
        required=False,
        max_length=20,
        help_text=_("Shown only to the municipality's grant officers and to your representatives."),
    )
    plusgiro = forms.CharField(
        label=_("Plusgiro"),
        required=False,
        max_length=20,
        help_text=_("Shown only to the municipality's grant officers and to your representatives."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or SVG, at most 1 MB."),
        widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg,.svg"}),
    )
    statutes = forms.FileField(
        label=DocumentKind.STATUTES.label,
        required=False,
        help_text=DOCUMENT_HELP,
        widget=forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )
    annual_report = forms.FileField(
        label=DocumentKind.ANNUAL_REPORT.label,
        required=False,
        help_text=DOCUMENT_HELP,
        widget=forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )
    annual_meeting_minutes = forms.FileField(
        label=DocumentKind.ANNUAL_MEETING_MINUTES.label,
        required=False,
        help_text=DOCUMENT_HELP,
        widget=forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )

    class Meta:
        model = Organization
        fields = [*DETAIL_FIELDS, *RELATION_FIELDS]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "premises_accessibility": forms.Textarea(attrs={"rows": 3}),
        }

    # The relations follow the purpose: what the organisation does, then where.
    field_order = ["name", "legal_form", "organisation_number", "purpose", *RELATION_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["organisation_number"] = self.instance.organisation_number_display
            self.initial["bankgiro"] = self.instance.bankgiro_display
            self.initial["plusgiro"] = self.instance.plusgiro_display

    def clean_bankgiro(self):
        value = self.cleaned_data["bankgiro"].strip()
        return normalise_bankgiro(value) if value else ""

    def clean_plusgiro(self):
        value = self.cleaned_data["plusgiro"].strip()
        return normalise_plusgiro(value) if value else ""

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            uploads.validate_logo(logo)
        return logo

    def _clean_document(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            uploads.validate_document(upload)
        return upload

    def clean_statutes(self):
        return self._clean_document("statutes")

    def clean_annual_report(self):
        return self._clean_document("annual_report")

    def clean_annual_meeting_minutes(self):
        return self._clean_document("annual_meeting_minutes")

    def clean(self):
        cleaned = super().clean()
        legal_form = cleaned.get("legal_form")
        if legal_form:
            try:
                cleaned["organisation_number"] = organisation_number_clean(
                    legal_form=legal_form, value=cleaned.get("organisation_number", "")
                )
            except ValidationError as error:
                self.add_error("organisation_number", error)
        return cleaned

    def _post_clean(self):
        # The services write the instance; the form only checks syntax here.
        pass

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "fields": {key: data.get(key) for key in DETAIL_FIELDS},
            "areas": data.get("areas") or [],
            "localities": data.get("localities") or [],
            "languages": data.get("languages") or [],
            "logo": data.get("logo") or None,
            "documents": {kind: data.get(kind) for kind in DocumentKind.values},
        }


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation's administrators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: who you are and what you do in the organisation."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))
    role = forms.ChoiceField(label=_("Role"), choices=Representative.Role.choices, initial="editor")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Representative.Role.choices)


class ReturnForm(forms.Form):
    message = forms.CharField(
        label=_("What the organisation needs to change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The representatives receive this message by e-mail."),
    )


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *OrganizationStatus.choices],
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[("", _("All legal forms")), *LegalForm.choices],
    )
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=Area.objects.all(), empty_label=_("All areas")
    )
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        required=False,
        queryset=Locality.objects.all(),
        empty_label=_("All localities"),
    )

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, legal_form, organisation_number, purpose, areas, localities, "
            "email, phone, website. Separate several areas or localities with a semicolon."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
