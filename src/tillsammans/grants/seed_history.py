"""Demo history for the grants: last year's award winner and this year's
nominations, the victim-support agreement that reserves 84 000 kr a year of
Verksamhetsstöd, last year's Verksamhetsstöd round (applied for, assessed,
decided, paid, followed up), this year's open round (sent applications
waiting for assessment and a draft) and an event grant of this year.

Runs after the programmes step, through the services (so the budgets'
ledgers, the statuses, the audit log and the outbox add up; the outbox only
queues, nothing is sent). Where a service stamps "now" on a row of last year
the stamp is moved back afterwards, as said where it happens. Idempotent:
each application is looked up by its programme and title first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TextIO
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tillsammans.accounts.models import User
from tillsammans.grants.models import (
    Agreement,
    Application,
    ApplicationAttachment,
    AwardWinner,
    DecisionOutcome,
    FollowUpReport,
    Nomination,
    Programme,
    ProgrammeBudget,
    QuestionKind,
    ReportStatus,
)
from tillsammans.grants.seed import _grant_officer
from tillsammans.grants.services.agreements import agreement_create
from tillsammans.grants.services.applications import (
    _next_reference,
    application_save_draft,
    application_start,
    application_submit,
)
from tillsammans.grants.services.assessment import assessment_save, conflict_declare
from tillsammans.grants.services.decisions import decision_record, payment_record
from tillsammans.grants.services.follow_up import follow_up_schedule, report_review, report_submit
from tillsammans.organizations.models import (
    DocumentKind,
    Organization,
    OrganizationDocument,
    Representative,
)
from tillsammans.organizations.storage import private_storage

STOCKHOLM = ZoneInfo("Europe/Stockholm")

AWARD = "civilsamhallets-utmarkelse"
OPERATING = "verksamhetsstod"
VICTIM_SUPPORT = "brottsofferjouren-malaren"

NOMINATIONS = [
    (
        "ekero-handikappsegling",
        "De seglar med alla: varje tisdag kan den som har en "
        "funktionsnedsättning följa med ut på Mälaren.",
    ),
    ("rsmh-ekero", "Samtalsträffarna har varit en räddning för många under en svår tid."),
    ("pro-ekero", "Fikat och promenaderna håller ihop hela Stenhamra."),
    ("ekero-handikappsegling", "Ledarna lägger hundratals timmar ideellt varje sommar."),
]


def build_history(stdout: TextIO) -> None:
    officer = _grant_officer()
    programmes = {p.slug: p for p in Programme.objects.filter(slug__in=[AWARD, OPERATING])}
    organizations = {o.slug: o for o in Organization.objects.public()}
    if officer is None or len(programmes) < 2 or not organizations:
        stdout.write("  grants history: skipped (programmes or organisations missing)\n")
        return
    year = timezone.localdate().year
    _award(programmes[AWARD], organizations, officer, year)
    _agreement(programmes[OPERATING], organizations, officer, year)
    stdout.write("  grants history: last year's award winner, nominations, an agreement\n")
    build_rounds(stdout)


def _award(award: Programme, organizations: dict, officer, year: int) -> None:
    winner = organizations.get("pro-ekero") or next(iter(organizations.values()))
    with transaction.atomic():
        AwardWinner.objects.get_or_create(
            programme=award,
            year=year - 1,
            defaults={
                "organization": winner,
                "motivation": "För veckoträffar, promenader och telefonkedjor som gör att "
                "ingen blir ensam.",
                "decided_on": datetime.date(year - 1, 11, 18),
                "recorded_by": officer,
            },
        )
        if not Nomination.objects.filter(programme=award, year=year).exists():
            Nomination.objects.bulk_create(
                Nomination(
                    programme=award,
                    organization=organizations[slug],
                    year=year,
                    motivation=motivation,
                )
                for slug, motivation in NOMINATIONS
                if slug in organizations
            )


def _agreement(programme: Programme, organizations: dict, officer, year: int) -> None:
    organization = organizations.get(VICTIM_SUPPORT)
    if organization is None or Agreement.objects.filter(programme=programme).exists():
        return
    for budget_year in (year - 1, year, year + 1):
        ProgrammeBudget.objects.get_or_create(
            programme=programme, year=budget_year, defaults={"amount_ore": 135_000_00}
        )
    agreement_create(
        actor=officer,
        programme=programme,
        organization=organization,
        title="Stöd till brottsutsatta, vittnen och anhöriga på Mälaröarna",
        first_year=year - 1,
        last_year=year + 1,
        yearly_ore=84_000_00,
        decided_on=datetime.date(year - 1, 1, 20),
    )


# --- Applications, decisions, payments and follow-up -----------------------------------------

EVENTS = "arrangemangsbidrag"
DEMO_PDF = (
    b"%PDF-1.4\n% Demodokument\n1 0 obj << /Type /Catalog >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)

DOCUMENT_NAMES = {
    DocumentKind.STATUTES: "Stadgar.pdf",
    DocumentKind.ANNUAL_REPORT: "Verksamhetsberättelse.pdf",
    DocumentKind.ANNUAL_MEETING_MINUTES: "Årsmötesprotokoll.pdf",
}

# Representatives for the organisations that apply (Sara already represents PRO Ekerö).
REPRESENTATIVES = {
    "pro-ekero": ("sara@demo.example", "Sara Föreningsdotter"),
    "rsmh-ekero": ("jonas.lindqvist@demo.example", "Jonas Lindqvist"),
    "spf-seniorerna-ekero": ("birgitta.holm@demo.example", "Birgitta Holm"),
    "parkinsonforeningen-malaroarna": ("goran.ek@demo.example", "Göran Ek"),
    "roda-korset-ekero": ("maria.sandberg@demo.example", "Maria Sandberg"),
    "demensforeningen-ekero": ("inger.wallin@demo.example", "Inger Wallin"),
    "malaroarnas-kammarkor": ("erik.nystrom@demo.example", "Erik Nyström"),
}


@dataclass(frozen=True)
class DemoApplication:
    organization: str
    title: str
    purpose: str
    lines: tuple[tuple[str, int], ...]
    participants: int
    granted_ore: int | None = None  # None: rejected (last year) or not decided (this year)
    reason: str = ""
    report: str = ""  # last year: "approved", "submitted" or "" (left due)


LAST_YEAR = [
    DemoApplication(
        "pro-ekero",
        "Veckoträffar och promenadgrupper för seniorer",
        "Träffar varje vecka i Stenhamra och Ekerö centrum, promenadgrupper och en "
        "telefonkedja så att ingen blir ensam.",
        (("Lokalhyra", 9_000_00), ("Fika och material", 4_000_00), ("Studiebesök", 3_000_00)),
        140,
        granted_ore=14_000_00,
        report="approved",
    ),
    DemoApplication(
        "rsmh-ekero",
        "Samtalsträffar och kamratstöd",
        "Öppna samtalsträffar varannan vecka och kamratstöd för den som har psykisk ohälsa, "
        "och för deras anhöriga.",
        (("Lokalhyra", 8_000_00), ("Utbildning av samtalsledare", 6_000_00)),
        60,
        granted_ore=12_000_00,
        report="approved",
    ),
    DemoApplication(
        "spf-seniorerna-ekero",
        "Digital hjälp och friskvård för seniorer",
        "Mobil- och datorhjälp i biblioteket, stolgympa och föreläsningar om hälsa.",
        (("Ledararvoden, studiecirklar", 7_000_00), ("Lokal och fika", 5_000_00)),
        95,
        granted_ore=12_000_00,
        report="submitted",
    ),
    DemoApplication(
        "parkinsonforeningen-malaroarna",
        "Träning och anhörigträffar",
        "Anpassad träning med fysioterapeut en gång i veckan och träffar för anhöriga.",
        (("Fysioterapeut", 8_000_00), ("Lokal", 3_000_00)),
        35,
        granted_ore=10_000_00,
    ),
    DemoApplication(
        "roda-korset-ekero",
        "Second hand-butikens lokal",
        "Hyra för föreningens second hand-butik i Ekerö centrum.",
        (("Hyra för butikslokalen", 30_000_00),),
        0,
        reason="Verksamhetsstödet är till för träffar, stöd och aktiviteter för målgruppen, "
        "inte för hyra av en butikslokal. Hela budgeten avser butikens lokal.",
    ),
]

THIS_YEAR = [
    DemoApplication(
        "pro-ekero",
        "Veckoträffar, promenader och telefonkedja",
        "Vi fortsätter med träffar varje vecka, promenadgrupper och telefonkedjan, och "
        "startar en ny grupp på Färingsö.",
        (("Lokalhyra", 10_000_00), ("Fika och material", 4_000_00), ("Resor", 4_000_00)),
        160,
    ),
    DemoApplication(
        "rsmh-ekero",
        "Samtalsträffar, kamratstöd och en träff för unga vuxna",
        "Samtalsträffar varannan vecka och en ny träff för unga vuxna.",
        (("Lokalhyra", 8_000_00), ("Samtalsledare", 7_000_00)),
        70,
    ),
    DemoApplication(
        "spf-seniorerna-ekero",
        "Digital hjälp för seniorer",
        "Mobil- och datorhjälp i biblioteket varje vecka.",
        (("Ledararvoden", 6_000_00), ("Lokal och fika", 3_000_00)),
        110,
    ),
]

DRAFT = DemoApplication(
    "demensforeningen-ekero",
    "Anhörigcafé",
    "Ett café en gång i månaden där anhöriga till personer med demens kan träffas.",
    (("Fika", 2_000_00),),
    0,
)

EVENT = DemoApplication(
    "malaroarnas-kammarkor",
    "Sommarkonsert i Ekebyhovs slottspark",
    "En gratis konsert i parken för alla invånare, med allsång och barnkör.",
    (("Ljud och scen", 6_000_00), ("Annonser och affischer", 2_000_00)),
    300,
    granted_ore=8_000_00,
)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=STOCKHOLM)


def _representative(organization: Organization, slug: str) -> User:
    existing = organization.representatives.select_related("user").first()
    if existing is not None:
        return existing.user
    email, name = REPRESENTATIVES[slug]
    user = User.objects.filter(email=email).first()
    if user is None:
        # No password: a demo representative who does not log in (Sara does).
        user = User.objects.create_user(email, None, full_name=name)
    Representative.objects.get_or_create(
        organization=organization, user=user, defaults={"role": Representative.Role.ADMIN}
    )
    return user


def _demo_file(name: str) -> str:
    """A small PDF at a fixed name in the private storage (written once)."""
    if not private_storage.exists(name):
        private_storage.save(name, ContentFile(DEMO_PDF))
    return name


def _documents(organization: Organization, user: User, kinds: list[str]) -> None:
    """The register's documents a programme asks for. Made as the registration
    does (a row per document), with a small demo PDF as the file."""
    present = set(organization.documents.values_list("kind", flat=True))
    for kind in kinds:
        if kind in present:
            continue
        OrganizationDocument.objects.create(
            organization=organization,
            kind=kind,
            file=_demo_file(f"organizations/documents/demo/{organization.slug}-{kind}.pdf"),
            original_name=DOCUMENT_NAMES.get(kind, "Dokument.pdf"),
            size=len(DEMO_PDF),
            uploaded_by=user,
        )


def _fill(application: Application, demo: DemoApplication, user: User) -> Application:
    programme = application.programme
    answers = {}
    for question in programme.questions.all():
        if question.kind == QuestionKind.TEXT:
            answers[str(question.pk)] = demo.purpose
        elif question.kind == QuestionKind.NUMBER:
            answers[str(question.pk)] = demo.participants
        elif question.kind == QuestionKind.CHOICE:
            answers[str(question.pk)] = question.choice_list()[0]
        elif question.kind == QuestionKind.FILE:
            # The attachment row as application_attachment_add makes it, on a
            # shared demo file (so the demo does not write a file per run).
            ApplicationAttachment.objects.create(
                application=application,
                question=question,
                file=_demo_file("grants/attachments/demo/verksamhetsplan.pdf"),
                original_name="Verksamhetsplan.pdf",
                size=len(DEMO_PDF),
            )
    return application_save_draft(
        actor=user,
        application=application,
        title=demo.title,
        purpose=demo.purpose,
        answers=answers,
        budget_lines=demo.lines,
    )


def _apply(
    programme: Programme,
    demo: DemoApplication,
    organizations: dict,
    *,
    started: datetime.datetime | None = None,
    submitted: datetime.datetime | None = None,
) -> Application | None:
    """Start, fill in and (when ``submitted``) send one application; None
    when it is there already (or its organisation is missing)."""
    organization = organizations.get(demo.organization)
    if (
        organization is None
        or Application.objects.filter(
            programme=programme, organization=organization, title=demo.title
        ).exists()
    ):
        return None
    user = _representative(organization, demo.organization)
    _documents(organization, user, programme.required_documents)
    application = application_start(
        actor=user, programme=programme, organization=organization, now=started
    )
    if started is not None:
        # The service stamps today (and numbers by today's year): an
        # application started earlier gets the time it was started, and one
        # of last year last year's number, as it would have had then.
        fields = {"created_at": started}
        if started.year != timezone.localdate().year:
            fields["reference"] = _next_reference(started.year)
        Application.objects.filter(pk=application.pk).update(**fields)
        application.refresh_from_db()
    application = _fill(application, demo, user)
    if submitted is not None:
        application = application_submit(actor=user, application=application, now=submitted)
    return application


def _assess(application: Application, officer: User, proposed_ore: int, comment: str) -> None:
    conflict_declare(actor=officer, application=application, has_conflict=False)
    score = 4 if proposed_ore else 1
    scores = {
        criterion.pk: (min(score, criterion.scale_max), "")
        for criterion in application.programme.criteria.all()
    }
    assessment_save(
        actor=officer,
        application=application,
        scores=scores,
        proposed_ore=proposed_ore,
        comment=comment,
    )


def _last_year_round(programme: Programme, organizations: dict, officer: User, year: int) -> None:
    meeting = datetime.date(year - 1, 4, 24)
    paid_on = datetime.date(year - 1, 4, 30)
    reports = {}
    for n, demo in enumerate(LAST_YEAR):
        application = _apply(
            programme,
            demo,
            organizations,
            started=_at(datetime.date(year - 1, 2, 10 + n)),
            submitted=_at(datetime.date(year - 1, 3, 1 + 2 * n), 15),
        )
        if application is None:
            continue
        granted = demo.granted_ore or 0
        _assess(
            application,
            officer,
            granted,
            "Väl beskriven verksamhet som når målgruppen." if granted else demo.reason,
        )
        decision = decision_record(
            actor=officer,
            application=application,
            outcome=DecisionOutcome.GRANTED if granted else DecisionOutcome.REJECTED,
            amount_ore=granted,
            decided_on=meeting,
            conditions="Återrapportering senast tolv månader efter utbetalningen."
            if granted
            else "",
            reason=demo.reason,
        )
        if not granted:
            continue
        payment_record(
            actor=officer,
            decision=decision,
            paid_on=paid_on,
            amount_ore=granted,
            reference=f"Utbetalning {application.reference}",
        )
        reports[decision.pk] = demo
    if not reports:
        return
    # The daily job, on the day after the payments: the reports are asked for.
    follow_up_schedule(today=paid_on + datetime.timedelta(days=1))
    questions = list(programme.follow_up_questions.all())
    for report in FollowUpReport.objects.filter(decision_id__in=reports).select_related(
        "decision__application"
    ):
        demo = reports[report.decision_id]
        if not demo.report:
            continue
        application = report.decision.application
        report = report_submit(
            actor=application.applicant,
            report=report,
            answers={
                str(question.pk): "Vi har genomfört det vi sökte för. " + demo.purpose
                for question in questions
            },
            money_used_ore=demo.granted_ore,
        )
        if demo.report == "approved":
            report = report_review(actor=officer, report=report, outcome=ReportStatus.APPROVED)
        # The services stamp "now"; the reports came in this spring.
        sent = _at(report.due_on - datetime.timedelta(days=20))
        FollowUpReport.objects.filter(pk=report.pk).update(
            submitted_at=sent,
            reviewed_at=sent + datetime.timedelta(days=7) if report.reviewed_at else None,
        )


def _this_year_round(programme: Programme, organizations: dict) -> None:
    now = timezone.now()
    for n, demo in enumerate(THIS_YEAR):
        submitted = now - datetime.timedelta(days=10 - 3 * n)
        _apply(
            programme,
            demo,
            organizations,
            started=submitted - datetime.timedelta(days=2),
            submitted=submitted,
        )
    _apply(programme, DRAFT, organizations, started=now - datetime.timedelta(days=1))


def _event_grant(programme: Programme, organizations: dict, officer: User, year: int) -> None:
    today = timezone.localdate()
    first = datetime.date(year, 1, 1)

    def days_ago(days: int) -> datetime.date:
        return max(today - datetime.timedelta(days=days), first)

    application = _apply(
        programme,
        EVENT,
        organizations,
        started=_at(days_ago(62)),
        submitted=_at(days_ago(60)),
    )
    if application is None:
        return
    _assess(application, officer, EVENT.granted_ore, "Öppet för alla och väl planerat.")
    decision = decision_record(
        actor=officer,
        application=application,
        outcome=DecisionOutcome.GRANTED,
        amount_ore=EVENT.granted_ore,
        decided_on=days_ago(45),
    )
    payment_record(
        actor=officer,
        decision=decision,
        paid_on=days_ago(40),
        amount_ore=EVENT.granted_ore,
        reference=f"Utbetalning {application.reference}",
    )


def build_rounds(stdout: TextIO) -> None:
    officer = _grant_officer()
    programmes = {p.slug: p for p in Programme.objects.filter(slug__in=[OPERATING, EVENTS])}
    organizations = {o.slug: o for o in Organization.objects.public()}
    if officer is None or len(programmes) < 2 or not organizations:
        return
    year = timezone.localdate().year
    with transaction.atomic():
        _last_year_round(programmes[OPERATING], organizations, officer, year)
        _this_year_round(programmes[OPERATING], organizations)
        _event_grant(programmes[EVENTS], organizations, officer, year)
        # The daily job today: reports asked for, reminders queued (not sent).
        follow_up_schedule()
    stdout.write(
        "  grants history: last year's Verksamhetsstöd round with decisions, payments and "
        "reports, this year's applications, an event grant\n"
    )
