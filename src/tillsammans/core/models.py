"""The shared taxonomy every capability tags its records with.

Areas (samverkansområden), localities (orter and islands, with coordinates
for distance and postal codes for look-up), target groups and languages. Site
admins edit them in the Django admin; apps only read them.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TaxonomyTerm(models.Model):
    """A term with a stable slug, a Swedish and an English name."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name_sv"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        language = (get_language() or "sv").split("-")[0]
        return self.name_sv if language == "sv" else self.name_en


class Area(TaxonomyTerm):
    """Samverkansområde: a field where the municipality and civil society work together."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("area of cooperation")
        verbose_name_plural = _("areas of cooperation")


class TargetGroup(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


postal_code_validator = RegexValidator(
    r"^\d{3} ?\d{2}$", _("Enter a Swedish postal code with five digits, e.g. 178 30.")
)


class Locality(TaxonomyTerm):
    """An ort, village or island, with a point used for distances."""

    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(55), MaxValueValidator(70)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(10), MaxValueValidator(25)],
    )

    class Meta(TaxonomyTerm.Meta):
        verbose_name = pgettext_lazy("place", "locality")
        verbose_name_plural = pgettext_lazy("place", "localities")


class PostalCode(models.Model):
    locality = models.ForeignKey(
        Locality, on_delete=models.CASCADE, related_name="postal_codes", verbose_name=_("locality")
    )
    code = models.CharField(
        _("postal code"), max_length=5, unique=True, validators=[RegexValidator(r"^\d{5}$")]
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")

    def __str__(self) -> str:
        return f"{self.code[:3]} {self.code[3:]}"


class Language(models.Model):
    """A language by its ISO 639-1 code (ISO 639-3 where no two-letter code exists)."""

    code = models.CharField(
        _("ISO 639 code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[a-z]{2,3}$", _("Use a two- or three-letter ISO 639 code."))],
    )
    name_sv = models.CharField(_("name in Swedish"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80)
    native_name = models.CharField(_("name in the language itself"), max_length=80)
    is_active = models.BooleanField(_("in use"), default=True)
    is_right_to_left = models.BooleanField(_("written right to left"), default=False)

    class Meta:
        ordering = ["name_sv"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        language = (get_language() or "sv").split("-")[0]
        return self.name_sv if language == "sv" else self.name_en
