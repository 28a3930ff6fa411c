"""Demo data: five inquiry categories mapped to the seeded areas and
departments, and three inquiries (one routed, one called back)."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from tillsammans.accounts.models import Department, User
from tillsammans.core.models import Area
from tillsammans.inquiries.models import Category, Inquiry
from tillsammans.inquiries.services import inquiries as services

TRIAGE_EMAIL = "leila@demo.example"

CATEGORIES = [
    # slug, Swedish, English, area, department
    ("aldre", "Äldre och omsorg", "Older people and care", "aldre", "socialforvaltningen"),
    (
        "barn-och-unga",
        "Barn, unga och skola",
        "Children, young people and school",
        "barn-och-unga",
        "barn-och-utbildningsforvaltningen",
    ),
    (
        "fritid",
        "Kultur, fritid och föreningar",
        "Culture, leisure and associations",
        "kultur-och-fritid",
        "kultur-och-fritidsforvaltningen",
    ),
    (
        "miljo",
        "Miljö, natur och gator",
        "Environment, nature and streets",
        "miljo",
        "miljo-och-stadsbyggnadsforvaltningen",
    ),
    (
        "delaktighet",
        "Något annat eller en idé",
        "Something else or an idea",
        "demokrati-och-delaktighet",
        "kommunstyrelseforvaltningen",
    ),
]

INQUIRIES = [
    {
        "category": "aldre",
        "text": "Min mamma bor ensam på Ekerö och behöver hjälp att handla. Vart vänder vi oss?",
        "name": "Karin",
        "phone": "070-111 22 33",
        "preferred_time": "Vardagar efter 16",
    },
    {
        "category": "miljo",
        "text": "Gatlampan vid busshållplatsen i Stenhamra har varit trasig i två veckor.",
        "name": "Per Svensson",
        "email": "per@demo.example",
        "consent_to_organization": True,
    },
    {
        "category": "fritid",
        "text": "Finns det någon förening som spelar schack för nybörjare?",
        "name": "Sam",
        "email": "sam@demo.example",
        "under_16": True,
        "language": "en",
    },
]


def build_inquiries(stdout: TextIO) -> None:
    areas = {area.slug: area for area in Area.objects.all()}
    departments = {department.slug: department for department in Department.objects.all()}
    if not all(c[3] in areas and c[4] in departments for c in CATEGORIES):
        stdout.write("  inquiries: skipped (areas or departments are not seeded)\n")
        return
    with transaction.atomic():
        categories = {}
        for order, (slug, sv, en, area, department) in enumerate(CATEGORIES):
            categories[slug], _created = Category.objects.update_or_create(
                slug=slug,
                defaults={
                    "name_sv": sv,
                    "name_en": en,
                    "area": areas[area],
                    "department": departments[department],
                    "order": order,
                    "is_active": True,
                },
            )
        if Inquiry.objects.exists():
            stdout.write(f"  inquiries: {len(CATEGORIES)} categories (inquiries kept)\n")
            return
        submitted = [
            services.inquiry_submit(**{**spec, "category": categories[spec["category"]]})
            for spec in INQUIRIES
        ]
        triage = User.objects.filter(email=TRIAGE_EMAIL).first()
        if triage is not None:
            first = submitted[0].inquiry
            services.inquiry_route(
                inquiry=first,
                actor=triage,
                department=departments["socialforvaltningen"],
                note="Gäller hemtjänst eller frivilliga; ring gärna i dag.",
            )
            services.callback_record(
                inquiry=first,
                actor=triage,
                outcome="Berättade om frivilliga som handlar; Karin anmäler via formuläret.",
            )
    stdout.write(f"  inquiries: {len(CATEGORIES)} categories, {len(INQUIRIES)} inquiries\n")
