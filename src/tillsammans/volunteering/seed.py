"""Demo volunteering for seed_demo: campaigns and help requests.

Names of the people asking for help are invented (demo data only); phone
numbers are in the 070-555 range and in Ekerö's 08-560 range for landlines.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tillsammans.accounts.models import User
from tillsammans.core.models import Language, Locality
from tillsammans.volunteering.models import (
    Campaign,
    CampaignQuestion,
    CampaignSignup,
    HelpRequest,
    HelpType,
    Offer,
    Recurrence,
    Volunteer,
    VolunteerStatus,
)

# --- Requests and campaigns ---------------------------------------------------------------

RESIDENTS = [
    "Gunnel Andersson",
    "Birgitta Lindqvist",
    "Sven-Erik Holm",
    "Margareta Berg",
    "Karl-Gustav Nyström",
    "Ulla Sjöberg",
    "Inga-Lill Forsberg",
    "Rune Ekström",
    "Märta Lundgren",
    "Bengt Wikström",
    "Gun Hedlund",
    "Alvar Engström",
    "Siv Blomqvist",
    "Göte Håkansson",
    "Elsa Dahlberg",
    "Lennart Sandberg",
    "Maj-Britt Axelsson",
    "Stig Lindholm",
    "Barbro Åberg",
    "Ingvar Söderberg",
    "Astrid Wallin",
    "Kjell Fransson",
    "Britt-Marie Nordin",
    "Harald Strand",
    "Solveig Hellström",
    "Gösta Isaksson",
    "Rut Mattsson",
    "Olle Björklund",
    "Karin Löfgren",
    "Evert Lundberg",
    "Greta Sundqvist",
    "Ove Hedberg",
    "Dagny Eriksson",
    "Arne Falk",
    "Vera Johansson",
    "Tage Nilsson",
    "Aina Persson",
    "Erling Bergström",
    "Elvy Gustafsson",
    "Holger Sjögren",
]
STREETS = [
    "Bryggvägen",
    "Kyrkvägen",
    "Tappströmsvägen",
    "Stenhamravägen",
    "Skogsbacken",
    "Ängsvägen",
    "Sjövägen",
    "Lindvägen",
    "Björkbacken",
    "Gamla Landsvägen",
]
NOTES = [
    "",
    "",
    "Ring på två gånger, jag hör dåligt på dörrklockan.",
    "Betalar med Swish eller kontant.",
    "Porten har kod, ring så öppnar jag.",
    "Hunden är snäll men skäller.",
    "",
    "Inköpslistan får du på telefon dagen innan.",
]

COVID = {
    "slug": "handlingshjalp-covid-19",
    "title": "Handlingshjälp covid-19",
    "description": (
        "Under pandemin hjälpte frivilliga den som var 70 år eller äldre, eller i en riskgrupp, "
        "med att handla mat, hämta ut mediciner och hålla kontakten på telefon. Tack till alla "
        "som ställde upp!"
    ),
    "help_types": ["handla", "apoteksarende", "telefonsallskap", "skjuts"],
    "opened": datetime.datetime(2020, 3, 16, 9, 0, tzinfo=datetime.UTC),
    "closed": datetime.datetime(2021, 9, 29, 15, 0, tzinfo=datetime.UTC),
}
WINTER = {
    "slug": "vinterhjalp-2026",
    "title": "Vinterhjälp 2026",
    "description": (
        "När snön ligger djup och vägarna är hala hjälper frivilliga äldre och den som har svårt "
        "att ta sig ut: skotta trappan och vägen till brevlådan, handla mat, eller ringa och "
        "prata en stund."
    ),
    "help_types": ["snoskottning", "handla", "telefonsallskap"],
    "questions": [
        ("Har du egen snöskyffel?", CampaignQuestion.Kind.YES_NO, False),
        ("Vilka tider kan du hjälpa till med snöskottning?", CampaignQuestion.Kind.TEXT, False),
    ],
}
# (help type, how many) for the covid campaign's history, all done.
COVID_HISTORY = [("handla", 7), ("apoteksarende", 3), ("telefonsallskap", 2)]
# Requests of today: (help type, status, campaign?) spread over the localities.
CURRENT = [
    ("handla", "open", "winter"),
    ("handla", "open", "winter"),
    ("snoskottning", "open", "winter"),
    ("snoskottning", "open", "winter"),
    ("snoskottning", "matched", "winter"),
    ("telefonsallskap", "open", "winter"),
    ("handla", "matched", "winter"),
    ("snoskottning", "done", "winter"),
    ("handla", "done", "winter"),
    ("besok", "open", None),
    ("besok", "matched", None),
    ("besok", "done", None),
    ("hoglasning", "open", None),
    ("hoglasning", "matched", None),
    ("ledsagning", "open", None),
    ("ledsagning", "done", None),
    ("apoteksarende", "open", None),
    ("apoteksarende", "done", None),
    ("skjuts", "open", None),
    ("skjuts", "matched", None),
    ("skjuts", "done", None),
    ("telefonsallskap", "matched", None),
    ("telefonsallskap", "done", None),
    ("handla", "open", None),
    ("handla", "done", None),
    ("annat", "open", None),
    ("annat", "cancelled", None),
    ("handla", "cancelled", None),
]


def _phone(n: int, rng: random.Random) -> str:
    """Mostly mobiles; about a third landlines (no SMS receipt for those)."""
    if n and rng.random() < 0.3:
        return f"+468560{n:05d}"
    return f"+4670555{n:04d}"


def _offer(request: HelpRequest, volunteer: Volunteer, status: str, rng: random.Random) -> None:
    sent = request.matched_at or request.created_at
    offer = Offer.objects.create(
        request=request,
        volunteer=volunteer,
        status=status,
        score=rng.randint(40, 95),
        sent_at=sent - datetime.timedelta(hours=2),
        respond_by=sent + datetime.timedelta(hours=settings.VOLUNTEERING_OFFER_HOURS),
        responded_at=sent,
    )
    if status == Offer.Status.DONE:
        Offer.objects.filter(pk=offer.pk).update(
            done_at=request.done_at,
            minutes_spent=rng.choice([30, 45, 60, 60, 90, 120]),
            details_visible_until=request.done_at
            + datetime.timedelta(days=settings.VOLUNTEERING_DETAILS_DAYS_AFTER_DONE),
        )


def _campaign(spec: dict, help_types: dict[str, HelpType], karin: User | None) -> Campaign:
    campaign, created = Campaign.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "title": spec["title"],
            "description": spec["description"],
            "opened_by": karin,
            "show_banner": "closed" not in spec,
        },
    )
    if created:
        campaign.help_types.set([help_types[slug] for slug in spec["help_types"]])
        for order, (text, kind, required) in enumerate(spec.get("questions", [])):
            CampaignQuestion.objects.create(
                campaign=campaign, text=text, kind=kind, required=required, order=order
            )
        if "closed" in spec:
            Campaign.objects.filter(pk=campaign.pk).update(
                status=Campaign.Status.CLOSED,
                opened_at=spec["opened"],
                closed_at=spec["closed"],
            )
            campaign.refresh_from_db()
    return campaign


def build_requests_and_campaigns(stdout: TextIO) -> None:
    """A closed covid-19 campaign with its history, an open winter campaign
    with a banner, and about forty requests across the municipality, some
    taken by Karin on the phone and two asked for by Ingrid herself.
    Idempotent: campaigns by slug; requests only when none of ours exist."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    with transaction.atomic():
        snow, _created = HelpType.objects.get_or_create(
            slug="snoskottning",
            defaults={"name_sv": "Snöskottning", "name_en": "Snow clearing", "sort_order": 65},
        )
        help_types = {h.slug: h for h in HelpType.objects.all()}
        karin = User.objects.filter(email="karin@demo.example").first()
        ingrid = User.objects.filter(email="ingrid@demo.example").first()
        covid = _campaign(COVID, help_types, karin)
        winter = _campaign(WINTER, help_types, karin)
        volunteers = list(
            Volunteer.objects.filter(status=VolunteerStatus.ACTIVE)
            .prefetch_related("help_types")
            .order_by("pk")[:60]
        )
        offers_to = {v.pk: {h.pk for h in v.help_types.all()} for v in volunteers}
        for volunteer in volunteers[:25]:
            CampaignSignup.objects.get_or_create(volunteer=volunteer, campaign=covid)
        for volunteer in volunteers[10:22]:
            CampaignSignup.objects.get_or_create(volunteer=volunteer, campaign=winter)

        if HelpRequest.objects.filter(resident_phone__startswith="+4670555").exists():
            stdout.write("  volunteering: campaigns and help requests already there\n")
            return
        localities = list(Locality.objects.filter(is_active=True).order_by("sort_order"))
        languages = {lang.code: lang for lang in Language.objects.all()}
        if not localities:
            stdout.write("  volunteering: no localities, no help requests\n")
            return
        now = timezone.now()
        today = timezone.localdate()
        plan = [
            (slug, "done", "covid", index) for slug, n in COVID_HISTORY for index in range(n)
        ] + [(slug, status, campaign, 0) for slug, status, campaign in CURRENT]
        created = 0
        for n, (slug, status, campaign_key, index) in enumerate(plan):
            locality = localities[n % len(localities)]
            if campaign_key == "covid":
                day = datetime.date(2020, 4, 1) + datetime.timedelta(days=23 * n + index)
            elif status in ("done", "cancelled"):
                day = today - datetime.timedelta(days=rng.randint(2, 40))
            elif status == "matched":
                day = today + datetime.timedelta(days=rng.randint(1, 6))
            else:
                day = today + datetime.timedelta(days=rng.randint(1, 14))
            start_hour = rng.choice([9, 10, 11, 13, 14])
            zone = timezone.get_default_timezone()
            starts = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(start_hour)), zone
            )
            weekly = slug in ("besok", "hoglasning", "telefonsallskap") and status != "done"
            by_phone = karin is not None and n % 3 != 2
            requester = ingrid if n in (len(plan) - 5, len(plan) - 9) else None
            request = HelpRequest.objects.create(
                campaign={"covid": covid, "winter": winter}.get(campaign_key),
                help_type=help_types[slug],
                requester=requester,
                created_by=requester or (karin if by_phone else None),
                resident_name=requester.full_name if requester else RESIDENTS[n % len(RESIDENTS)],
                resident_phone=_phone(n, rng),
                address=f"{rng.choice(STREETS)} {rng.randint(1, 40)}",
                locality=locality,
                latitude=locality.latitude,
                longitude=locality.longitude,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=rng.choice([1, 2, 2, 3])),
                recurrence=Recurrence.WEEKLY if weekly else Recurrence.ONCE,
                recurrence_until=day + datetime.timedelta(weeks=8) if weekly else None,
                language=languages.get("fi") if n % 11 == 4 else None,
                volunteers_needed=2 if slug == "snoskottning" and n % 2 else 1,
                notes=NOTES[n % len(NOTES)],
            )
            created_at = min(starts - datetime.timedelta(days=rng.randint(1, 4)), now)
            changes = {"created_at": created_at, "status": status}
            if status in ("matched", "done"):
                changes["matched_at"] = created_at + datetime.timedelta(
                    hours=rng.choice([1, 2, 3, 5, 8, 20, 26])
                )
            if status == "done":
                changes["done_at"] = request.ends_at
            HelpRequest.objects.filter(pk=request.pk).update(**changes)
            request.refresh_from_db()
            created += 1
            candidates = [v for v in volunteers if request.help_type_id in offers_to[v.pk]]
            if status in ("matched", "done") and candidates:
                offer_status = Offer.Status.DONE if status == "done" else Offer.Status.ACCEPTED
                for volunteer in rng.sample(
                    candidates, min(request.volunteers_needed, len(candidates))
                ):
                    _offer(request, volunteer, offer_status, rng)
    stdout.write(
        f"  volunteering: 2 campaigns ({snow.name_sv} added as a kind of help), "
        f"{created} help requests\n"
    )
