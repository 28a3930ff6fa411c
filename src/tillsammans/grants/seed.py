"""Demo grant programmes for seed_demo: Ekerö's grants and award, with their
windows, budgets, criteria and questions (applications and decisions come
from later steps). Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tillsammans.accounts.models import Capability, Department, StaffMembership, User
from tillsammans.accounts.seed import DEMO_LOGINS
from tillsammans.grants.models import (
    ApplicationWindow,
    Criterion,
    FollowUpQuestion,
    Programme,
    ProgrammeBudget,
    ProgrammeKind,
    Question,
    QuestionKind,
)
from tillsammans.organizations.models import DocumentKind, LegalForm

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SOCIAL_SERVICES = "socialforvaltningen"
CULTURE_AND_LEISURE = "kultur-och-fritidsforvaltningen"

PROGRAMMES = [
    {
        "slug": "verksamhetsstod",
        "title": "Verksamhetsstöd",
        "summary": "Stöd till föreningar som ger äldre och människor i utsatta situationer "
        "gemenskap, hjälp och stöd i Ekerö kommun.",
        "description": (
            "Socialnämnden ger varje år verksamhetsstöd till ideella föreningar som arbetar "
            "för äldre, anhöriga, personer med funktionsnedsättning och människor i utsatta "
            "situationer i Ekerö kommun.\n\n"
            "Stödet är till för den löpande verksamheten: träffar, stödsamtal, besök och "
            "aktiviteter. Föreningen berättar i ansökan vad den gör, för vilka och hur många, "
            "och redovisar efter året vad pengarna har gjort."
        ),
        "kind": ProgrammeKind.OPERATING,
        "department": SOCIAL_SERVICES,
        "deciding_body": "Socialnämnden",
        "max_amount_ore": 40_000_00,
        "allowed_legal_forms": [
            LegalForm.NONPROFIT_ASSOCIATION,
            LegalForm.FAITH_COMMUNITY,
            LegalForm.FOUNDATION,
        ],
        "required_documents": [DocumentKind.STATUTES, DocumentKind.ANNUAL_REPORT],
        "requires_local_activity": True,
        "report_due_months": 12,
        "follow_up_questions": [
            (
                "Vad har ni gjort med bidraget, och hur många deltog?",
                "Berätta om träffar, besök och aktiviteter under året.",
            ),
            (
                "Vad vill ni göra annorlunda nästa år?",
                "Till exempel nya grupper, samarbeten eller det som inte blev av.",
            ),
        ],
        "budgets": {0: 135_000_00, -1: 135_000_00},
        "criteria": [
            (
                "Nytta för målgruppen",
                "Verksamheten möter ett tydligt behov hos äldre eller "
                "människor i utsatta situationer i kommunen.",
                3,
            ),
            (
                "Förankring i Ekerö",
                "Verksamheten bedrivs i kommunen och når invånare i flera kommundelar.",
                2,
            ),
            ("Samverkan", "Föreningen samarbetar med andra föreningar eller kommunen.", 1),
            ("Rimlig budget", "Budgeten hänger ihop med verksamheten och har fler finansiärer.", 1),
        ],
        "questions": [
            ("Vad gör föreningen, och för vilka?", QuestionKind.TEXT, ""),
            ("Hur många deltagare nådde ni förra året?", QuestionKind.NUMBER, ""),
            ("Verksamhetsplan för året", QuestionKind.FILE, ""),
        ],
    },
    {
        "slug": "arrangemangsbidrag",
        "title": "Arrangemangsbidrag",
        "summary": "Bidrag till öppna arrangemang för invånarna: föreläsningar, "
        "kulturkvällar, friluftsdagar och fester.",
        "description": (
            "Kultur- och fritidsnämnden ger bidrag till arrangemang som är öppna för alla "
            "invånare i Ekerö kommun. Ansök när som helst, senast sex veckor före "
            "arrangemanget. Beslut fattas löpande av handläggare på delegation."
        ),
        "kind": ProgrammeKind.EVENT,
        "department": CULTURE_AND_LEISURE,
        "deciding_body": "Kultur- och fritidsnämnden (delegation)",
        "max_amount_ore": 15_000_00,
        "is_rolling": True,
        "allowed_legal_forms": [],
        "required_documents": [DocumentKind.STATUTES],
        "report_due_months": 3,
        "budgets": {0: 60_000_00, -1: 60_000_00},
        "criteria": [
            ("Öppet för alla", "Arrangemanget är gratis eller billigt och tillgängligt.", 2),
            ("Lokal förankring", "Arrangemanget äger rum i kommunen och engagerar invånare.", 1),
        ],
        "questions": [
            ("Vad ska ni ordna, var och när?", QuestionKind.TEXT, ""),
            ("Hur många besökare räknar ni med?", QuestionKind.NUMBER, ""),
            (
                "Är arrangemanget gratis för besökarna?",
                QuestionKind.CHOICE,
                "Ja\nNej, det kostar under 100 kr\nNej, det kostar 100 kr eller mer",
            ),
        ],
    },
    {
        "slug": "natverksbidrag",
        "title": "Nätverksbidrag",
        "summary": "Ett litet bidrag till lösa nätverk och grupper utan organisationsnummer "
        "som gör något för sina grannar.",
        "description": (
            "Grannar som ordnar promenadgrupper, läxhjälp eller byadagar behöver inte bilda "
            "en förening för att få stöd. Nätverksbidraget betalas ut till en kontaktperson "
            "som redovisar vad pengarna har använts till."
        ),
        "kind": ProgrammeKind.NETWORK,
        "department": SOCIAL_SERVICES,
        "deciding_body": "Socialnämndens arbetsutskott",
        "max_amount_ore": 5_000_00,
        "allowed_legal_forms": [LegalForm.NETWORK, LegalForm.NONPROFIT_ASSOCIATION],
        "requires_verified_organization": False,
        "allows_networks": True,
        "required_documents": [],
        "report_due_months": 6,
        "budgets": {0: 20_000_00},
        "criteria": [
            ("Gemenskap", "Aktiviteten minskar ensamhet och skapar kontakt mellan grannar.", 2),
            ("Delaktighet", "Fler än de som ansöker är med och gör aktiviteten.", 1),
        ],
        "questions": [
            ("Vilka är ni, och vad vill ni göra?", QuestionKind.TEXT, ""),
            ("Hur många är med i nätverket?", QuestionKind.NUMBER, ""),
        ],
    },
    {
        "slug": "startbidrag",
        "title": "Startbidrag för nya initiativ",
        "summary": "Hjälp att komma igång för nya föreningar, nätverk och eldsjälar med en "
        "idé för civilsamhället i Ekerö.",
        "description": (
            "Startbidraget är till för den som vill starta något nytt: en förening, en "
            "mötesplats eller en ny sorts verksamhet. Kommunens idécoach hjälper gärna till "
            "med ansökan. Även enskilda personer kan söka."
        ),
        "kind": ProgrammeKind.START_UP,
        "department": SOCIAL_SERVICES,
        "deciding_body": "Socialnämnden",
        "max_amount_ore": 15_000_00,
        "allowed_legal_forms": [],
        "requires_verified_organization": False,
        "allows_networks": True,
        "allows_individuals": True,
        "required_documents": [],
        "report_due_months": 6,
        "budgets": {0: 30_000_00},
        "criteria": [
            ("Ny verksamhet", "Idén finns inte redan i kommunen, eller når nya grupper.", 2),
            (
                "Genomförbarhet",
                "Planen är realistisk och det finns människor som vill bära den.",
                2,
            ),
            ("Varaktighet", "Verksamheten kan leva vidare när bidraget är slut.", 1),
        ],
        "questions": [
            ("Beskriv idén och vem den är till för.", QuestionKind.TEXT, ""),
            ("Vad behöver pengarna användas till först?", QuestionKind.TEXT, ""),
            ("Vill du ha hjälp av kommunens idécoach?", QuestionKind.CHOICE, "Ja\nNej"),
        ],
    },
    {
        "slug": "civilsamhallets-utmarkelse",
        "title": "Ekerö kommuns utmärkelse för civilsamhället",
        "summary": "En årlig utmärkelse på 10 000 kr till en förening som har gjort "
        "särskilt mycket för invånarna i Ekerö.",
        "description": (
            "Varje år delar kommunen ut en utmärkelse till en förening som har gjort en "
            "särskild insats för människor i kommunen. Föreningar kan ansöka själva, och "
            "vem som helst kan nominera en förening. Bara föreningar kan få utmärkelsen, "
            "inte lösa nätverk eller enskilda personer."
        ),
        "kind": ProgrammeKind.AWARD,
        "department": SOCIAL_SERVICES,
        "requires_local_activity": True,
        "deciding_body": "Kommunstyrelsen",
        "max_amount_ore": 10_000_00,
        "allowed_legal_forms": [
            LegalForm.NONPROFIT_ASSOCIATION,
            LegalForm.FAITH_COMMUNITY,
            LegalForm.STUDY_ASSOCIATION,
        ],
        "required_documents": [],
        "budgets": {0: 10_000_00, -1: 10_000_00},
        "criteria": [
            (
                "Insats för invånarna",
                "Föreningens arbete har gjort skillnad för många "
                "eller för dem som behöver det mest.",
                3,
            ),
            ("Förebild", "Arbetet kan inspirera andra.", 1),
        ],
        "questions": [
            ("Vad har föreningen gjort under året?", QuestionKind.TEXT, ""),
            ("Vilka har haft nytta av det?", QuestionKind.TEXT, ""),
        ],
    },
]


def _at(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)


def _windows(slug: str, today: datetime.date) -> list[tuple]:
    """(opens_at, closes_at, decision_meeting_on) per programme: fixed dates of
    last, this and next year (Verksamhetsstöd's window open now is added by
    ``_ensure_open_window``). A window closes at 23:59 on its last day."""
    year = today.year

    def window(opens: tuple, last_day: tuple, meeting: tuple) -> tuple:
        return (
            _at(datetime.date(*opens)),
            _at(datetime.date(*last_day), 23, 59),
            datetime.date(*meeting),
        )

    if slug == "verksamhetsstod":
        return [window((year - 1, 2, 1), (year - 1, 3, 15), (year - 1, 4, 24))]
    if slug == "natverksbidrag":
        return [
            window((year, 3, 1), (year, 3, 31), (year, 4, 22)),
            window((year, 9, 1), (year, 9, 30), (year, 10, 21)),
            window((year + 1, 3, 1), (year + 1, 3, 31), (year + 1, 4, 21)),
        ]
    if slug == "startbidrag":
        return [
            window((year, 4, 1), (year, 4, 30), (year, 5, 27)),
            window((year + 1, 4, 1), (year + 1, 4, 30), (year + 1, 5, 26)),
        ]
    if slug == "civilsamhallets-utmarkelse":
        return [
            window((year - 1, 8, 15), (year - 1, 9, 30), (year - 1, 11, 18)),
            window((year, 8, 15), (year, 9, 30), (year, 11, 17)),
            window((year + 1, 8, 15), (year + 1, 9, 30), (year + 1, 11, 16)),
        ]
    return []


def _ensure_open_window(programme: Programme, today: datetime.date) -> None:
    """Verksamhetsstöd is open when the demo is seeded: three weeks ago to
    a month ahead (left alone when a window is open already)."""
    now = timezone.now()
    if programme.windows.filter(opens_at__lte=now, closes_at__gt=now).exists():
        return
    ApplicationWindow.objects.create(
        programme=programme,
        opens_at=_at(today - datetime.timedelta(days=21)),
        closes_at=_at(today + datetime.timedelta(days=30), 23, 59),
        decision_meeting_on=today + datetime.timedelta(days=60),
    )


def _grant_officer() -> User | None:
    login = next(
        (login for login in DEMO_LOGINS if login.capability == Capability.GRANT_OFFICER), None
    )
    return User.objects.filter(email=login.email).first() if login else None


def build_programmes(stdout: TextIO) -> None:
    today = timezone.localdate()
    departments = {department.slug: department for department in Department.objects.all()}
    if SOCIAL_SERVICES not in departments or CULTURE_AND_LEISURE not in departments:
        stdout.write("  grants: skipped (the departments are not seeded)\n")
        return
    with transaction.atomic():
        officer = _grant_officer()
        if officer is not None:
            # The demo grant officer handles both departments' programmes.
            for slug in (SOCIAL_SERVICES, CULTURE_AND_LEISURE):
                StaffMembership.objects.get_or_create(
                    user=officer, department=departments[slug], capability=Capability.GRANT_OFFICER
                )
        for spec in PROGRAMMES:
            spec = dict(spec)
            budgets = spec.pop("budgets")
            criteria = spec.pop("criteria")
            questions = spec.pop("questions")
            follow_up_questions = spec.pop("follow_up_questions", [])
            spec["department"] = departments[spec["department"]]
            programme, _created = Programme.objects.update_or_create(
                slug=spec.pop("slug"), defaults={**spec, "is_published": True}
            )
            for opens_at, closes_at, meeting in _windows(programme.slug, today):
                ApplicationWindow.objects.get_or_create(
                    programme=programme,
                    opens_at=opens_at,
                    closes_at=closes_at,
                    defaults={"decision_meeting_on": meeting},
                )
            if programme.slug == "verksamhetsstod":
                _ensure_open_window(programme, today)
            for offset, amount in budgets.items():
                ProgrammeBudget.objects.get_or_create(
                    programme=programme, year=today.year + offset, defaults={"amount_ore": amount}
                )
            for order, (title, description, weight) in enumerate(criteria):
                Criterion.objects.update_or_create(
                    programme=programme,
                    title=title,
                    defaults={"description": description, "weight": weight, "order": order},
                )
            for order, (label, kind, choices) in enumerate(questions):
                Question.objects.update_or_create(
                    programme=programme,
                    label=label,
                    defaults={"kind": kind, "choices": choices, "order": order},
                )
            for order, (label, help_text) in enumerate(follow_up_questions):
                FollowUpQuestion.objects.update_or_create(
                    programme=programme,
                    label=label,
                    defaults={"help_text": help_text, "order": order},
                )
    stdout.write(f"  grants: {len(PROGRAMMES)} programmes with windows, budgets and criteria\n")
