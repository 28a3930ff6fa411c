"""Public, read-only API: metadata and the shared taxonomy (open data)."""

import re

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from tillsammans.core.selectors import active_terms

router = Router(tags=["taxonomy"])


class ApiInfo(Schema):
    name: str
    municipality: str
    version: str
    openapi: str


class Term(Schema):
    id: str
    slug: str
    name_sv: str
    name_en: str


class LocalityOut(Term):
    latitude: float
    longitude: float
    postal_codes: list[str]


class LanguageOut(Schema):
    code: str
    name_sv: str
    name_en: str
    native_name: str


@router.get("/", response=ApiInfo, summary="About this API")
def api_info(request):
    return {
        "name": "Tillsammans",
        "municipality": settings.MUNICIPALITY_NAME,
        "version": "1.0.0",
        "openapi": request.build_absolute_uri("/api/v1/openapi.json"),
    }


def _term(term) -> dict:
    return {
        "id": str(term.uuid),
        "slug": term.slug,
        "name_sv": term.name_sv,
        "name_en": term.name_en,
    }


def _locality(locality) -> dict:
    return {
        **_term(locality),
        "latitude": float(locality.latitude),
        "longitude": float(locality.longitude),
        "postal_codes": [postal.code for postal in locality.postal_codes.all()],
    }


@router.get("/areas", response=list[Term], summary="Areas of cooperation (samverkansområden)")
def areas(request):
    return [_term(area) for area in active_terms("area")]


@router.get("/target-groups", response=list[Term], summary="Target groups")
def target_groups(request):
    return [_term(group) for group in active_terms("target_group")]


@router.get("/localities", response=list[LocalityOut], summary="Localities with coordinates")
def localities(request):
    return [_locality(locality) for locality in active_terms("locality")]


class PostalCodeQuery(Schema):
    postal_code: str


@router.get(
    "/localities/by-postal-code",
    response=LocalityOut,
    summary="The locality a Swedish postal code belongs to",
)
def locality_by_postal_code(request, query: Query[PostalCodeQuery]):
    code = re.sub(r"\s", "", query.postal_code)
    if not re.fullmatch(r"\d{5}", code):
        raise HttpError(422, _("A Swedish postal code has five digits, e.g. 178 30."))
    locality = get_object_or_404(active_terms("locality"), postal_codes__code=code)
    return _locality(locality)


@router.get("/languages", response=list[LanguageOut], summary="Languages (ISO 639)")
def languages(request):
    return list(active_terms("language").values("code", "name_sv", "name_en", "native_name"))
