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


# --- Volunteers (build_volunteers) -------------------------------------------------------------

# Invented names, as diverse as the municipality; e-mail addresses use the reserved .example domain.
VOLUNTEER_NAMES = [
    "Anna Lindberg",
    "Erik Johansson",
    "Maria Karlsson",
    "Lars Nilsson",
    "Karin Eriksson",
    "Johan Larsson",
    "Eva Olsson",
    "Per Persson",
    "Kerstin Svensson",
    "Mikael Gustafsson",
    "Ingrid Pettersson",
    "Anders Jonsson",
    "Birgitta Jansson",
    "Stefan Hansson",
    "Lena Bengtsson",
    "Fatima Hassan",
    "Ahmed Ali",
    "Amina Mohamed",
    "Yusuf Abdi",
    "Hodan Warsame",
    "Dawit Tesfay",
    "Selam Gebremedhin",
    "Olena Kovalenko",
    "Andrij Shevchenko",
    "Iryna Bondar",
    "Reza Ahmadi",
    "Maryam Karimi",
    "Leila Hosseini",
    "Omid Rahimi",
    "Sara Nouri",
    "Aino Virtanen",
    "Matti Korhonen",
    "Hanna Mäkinen",
    "Klaus Becker",
    "Sabine Wagner",
    "Lucía García",
    "Javier Martínez",
    "Elin Holm",
    "Oskar Sandberg",
    "Maja Lund",
    "Hugo Berglund",
    "Wilma Ek",
    "Alva Strand",
    "Nils Forsberg",
    "Elsa Sjöberg",
    "Gustav Wallin",
    "Astrid Engström",
    "Viktor Lindqvist",
    "Ebba Hedlund",
    "Axel Nyberg",
    "Saga Holmberg",
    "Filip Åberg",
    "Tove Lundgren",
    "Emil Björk",
    "Ida Sundberg",
    "Gunnar Ek",
    "Margareta Dahl",
    "Rolf Blom",
    "Sonja Falk",
    "Bertil Håkansson",
]

# Extra languages by name (everyone speaks Swedish here, a few also other languages).
_NAME_LANGUAGES = {
    "Fatima Hassan": ["ar", "en"],
    "Ahmed Ali": ["ar"],
    "Amina Mohamed": ["so", "en"],
    "Yusuf Abdi": ["so"],
    "Hodan Warsame": ["so", "ar"],
    "Dawit Tesfay": ["ti", "en"],
    "Selam Gebremedhin": ["ti"],
    "Olena Kovalenko": ["uk", "ru", "en"],
    "Andrij Shevchenko": ["uk", "ru"],
    "Iryna Bondar": ["uk"],
    "Reza Ahmadi": ["fa", "en"],
    "Maryam Karimi": ["fa"],
    "Leila Hosseini": ["fa", "en"],
    "Omid Rahimi": ["fa"],
    "Sara Nouri": ["ar", "fa"],
    "Aino Virtanen": ["fi"],
    "Matti Korhonen": ["fi"],
    "Hanna Mäkinen": ["fi", "en"],
    "Klaus Becker": ["de", "en"],
    "Sabine Wagner": ["de"],
    "Lucía García": ["es", "en"],
    "Javier Martínez": ["es"],
    "Margareta Dahl": ["sgn"],
}

_VOLUNTEER_ORGANISATIONS = [
    "roda-korset-ekero",
    "pro-ekero",
    "lions-club-ekero",
    "spf-seniorerna-ekero",
    "svenska-kyrkan-ekero",
    "ekero-frivilliga-resursgrupp",
]

_HELP_TYPE_MIXES = [
    ["handla", "apoteksarende"],
    ["handla", "skjuts"],
    ["besok", "telefonsallskap"],
    ["hoglasning", "besok"],
    ["ledsagning", "skjuts"],
    ["telefonsallskap"],
    ["handla", "apoteksarende", "ledsagning"],
    ["annat", "handla"],
]


def _demo_volunteer(
    *,
    email: str,
    phone: str,
    name: str,
    locality,
    languages: list,
    help_types: list,
    skills: list,
    availability: list[str],
    max_per_week: int,
    max_distance_km: int,
    organization,
    status: str,
    paused_until,
    user=None,
):
    from django.conf import settings as django_settings

    from tillsammans.volunteering.models import Volunteer

    now = timezone.now()
    lookup = {"email": email} if email else {"phone": phone}
    volunteer, _created = Volunteer.objects.update_or_create(
        **lookup,
        defaults={
            "user": user,
            "full_name": name,
            "phone": phone,
            "email_verified_at": now if email and status != "unverified" else None,
            "phone_verified_at": now if not email and status != "unverified" else None,
            "locality": locality,
            "postal_code": locality.postal_codes.first().code
            if locality.postal_codes.exists()
            else "",
            "latitude": locality.latitude,
            "longitude": locality.longitude,
            "availability": availability,
            "max_requests_per_week": max_per_week,
            "max_distance_km": max_distance_km,
            "organization": organization,
            "status": status,
            "paused_until": paused_until,
            "consent_version": django_settings.VOLUNTEERING_CONSENT_VERSION,
            "consented_at": now,
        },
    )
    volunteer.languages.set(languages)
    volunteer.help_types.set(help_types)
    volunteer.skills.set(skills)
    return volunteer


def build_volunteers(stdout: TextIO) -> None:
    """About sixty volunteers spread over the demo localities, languages and
    help types; most active, a few paused or waiting for confirmation; some
    through Röda Korset, PRO, Lions and others; police-record checks (seen by
    Karin) for most of those who visit or read aloud, a few due for renewal
    soon. Omar (omar@demo.example) is an active volunteer with his account.
    Idempotent: volunteers by address, a check only for those without one."""
    import datetime as dt
    import random as random_lib

    from tillsammans.accounts.models import User
    from tillsammans.core.models import Language, Locality
    from tillsammans.organizations.models import Organization
    from tillsammans.volunteering.models import (
        HelpType,
        SafeguardingCheck,
        Skill,
        TimeSlot,
        Weekday,
        availability_code,
    )
    from tillsammans.volunteering.services.safeguarding import default_renewal_date

    rng = random_lib.Random(60)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    with transaction.atomic():
        localities = list(Locality.objects.filter(is_active=True).order_by("sort_order", "pk"))
        if not localities:
            stdout.write("  volunteers: no localities (run the taxonomy step first)\n")
            return
        languages = {language.code: language for language in Language.objects.all()}
        help_types = {help_type.slug: help_type for help_type in HelpType.objects.all()}
        skills = {skill.slug: skill for skill in Skill.objects.all()}
        organisations = list(
            Organization.objects.public().filter(slug__in=_VOLUNTEER_ORGANISATIONS)
        )
        karin = User.objects.filter(email="karin@demo.example").first()
        all_slots = [availability_code(d, s) for d in Weekday.values for s in TimeSlot.values]

        def pick_languages(codes):
            return [languages[code] for code in ["sv", *codes] if code in languages]

        volunteers = []
        for n, name in enumerate(VOLUNTEER_NAMES):
            # Most live in the bigger places; every locality gets someone.
            locality = (
                localities[n % len(localities)]
                if n < len(localities)
                else rng.choice(localities[:4] + localities)
            )
            mix = _HELP_TYPE_MIXES[n % len(_HELP_TYPE_MIXES)]
            phone_only = n % 9 == 4
            status = "active"
            paused_until = None
            if n in (7, 33):
                paused_until = today + dt.timedelta(days=14 + n)
            elif n == 21:
                status = "paused"
            elif n in (12, 48):
                status = "unverified"
            availability = (
                []
                if n % 3 == 0
                else sorted(rng.sample(all_slots, rng.randint(3, 9)), key=all_slots.index)
            )
            local_part = name.lower().replace(" ", ".").translate(str.maketrans("åäöéíú", "aaoeiu"))
            volunteers.append(
                _demo_volunteer(
                    email="" if phone_only else f"{local_part}@demo.example",
                    phone=f"+4673555{n:04d}" if phone_only or n % 2 else "",
                    name=name,
                    locality=locality,
                    languages=pick_languages(
                        _NAME_LANGUAGES.get(name, ["en"] if n % 4 == 1 else [])
                    ),
                    help_types=[help_types[slug] for slug in mix if slug in help_types],
                    skills=[
                        skills[slug]
                        for slug in (
                            (["korkort", "bil"] if "skjuts" in mix else [])
                            + (["forsta-hjalpen"] if n % 5 == 0 else [])
                            + (["teckensprak"] if name == "Margareta Dahl" else [])
                            + (["rullstol"] if "ledsagning" in mix and n % 2 == 0 else [])
                        )
                        if slug in skills
                    ],
                    availability=availability,
                    max_per_week=1 if n % 4 else rng.choice([2, 3]),
                    max_distance_km=rng.choice([5, 10, 10, 15, 20, 30]),
                    organization=organisations[n % len(organisations)]
                    if organisations and n % 5 in (0, 2)
                    else None,
                    status=status,
                    paused_until=paused_until,
                )
            )

        omar_user = User.objects.filter(email="omar@demo.example").first()
        if omar_user is not None:
            centrum = next(
                (loc for loc in localities if loc.slug == "ekero-centrum"), localities[0]
            )
            volunteers.append(
                _demo_volunteer(
                    email="omar@demo.example",
                    phone="+46735550999",
                    name=omar_user.full_name or "Omar Volontär",
                    locality=centrum,
                    languages=pick_languages(["ar", "en"]),
                    help_types=[
                        help_types[slug]
                        for slug in ("handla", "apoteksarende", "ledsagning", "skjuts")
                        if slug in help_types
                    ],
                    skills=[skills[slug] for slug in ("korkort", "bil") if slug in skills],
                    availability=[
                        availability_code(day, slot)
                        for day in (1, 3, 5, 6)
                        for slot in ("afternoon", "evening")
                    ],
                    max_per_week=2,
                    max_distance_km=15,
                    organization=next(
                        (o for o in organisations if o.slug == "roda-korset-ekero"), None
                    ),
                    status="active",
                    paused_until=None,
                    user=omar_user,
                )
            )

        checked = 0
        for n, volunteer in enumerate(volunteers):
            needs_check = any(
                help_type.requires_safeguarding for help_type in volunteer.help_types.all()
            )
            if not needs_check or volunteer.status == "unverified" or n % 7 == 6:
                continue  # a few visitors still wait for their check
            if volunteer.safeguarding_checks.exists():
                continue
            # Most checks are months old; every fourth is due for renewal within a month.
            age = 350 - (n % 20) if checked % 4 == 0 else 20 + (n * 4) % 300
            issued = today - dt.timedelta(days=age)
            SafeguardingCheck.objects.create(
                volunteer=volunteer,
                checked_by=karin,
                checked_by_label=karin.full_name if karin else "",
                extract_issued_on=issued,
                valid_until=default_renewal_date(issued),
            )
            checked += 1
    stdout.write(
        f"  volunteers: {len(volunteers)} volunteers, {checked} new police-record checks\n"
    )
