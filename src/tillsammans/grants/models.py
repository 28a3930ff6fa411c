"""Grants and awards: programmes, applications, assessment, decisions and the budget.

Money is whole öre in integer fields (``core.money``), never floats. The
budget of a programme's year (``ProgrammeBudget``) is the ledger every
decision commits against, under a row lock, and the database refuses a
commitment above the budget. Workflows live in ``services``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tillsammans.accounts.models import Department
from tillsammans.organizations.models import DocumentKind, LegalForm, Organization
from tillsammans.organizations.storage import private_storage


class ProgrammeKind(models.TextChoices):
    OPERATING = "operating", _("Operating grant")
    EVENT = "event", _("Event grant")
    NETWORK = "network", _("Network grant")
    START_UP = "start_up", _("Start-up grant for new initiatives")
    AWARD = "award", _("Award")


class Programme(models.Model):
    """A grant or award the municipality hands out (verksamhetsstöd,
    arrangemangsbidrag, nätverksbidrag, startbidrag, utmärkelse)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    title = models.CharField(_("name"), max_length=150)
    summary = models.CharField(_("in one sentence"), max_length=300)
    description = models.TextField(_("description"))
    kind = models.CharField(_("kind"), max_length=16, choices=ProgrammeKind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="grant_programmes",
        verbose_name=_("department"),
    )
    deciding_body = models.CharField(
        _("decided by"), max_length=150, help_text=_("e.g. the social services board")
    )
    # The most one application may be granted, in öre; 0 for no maximum.
    max_amount_ore = models.BigIntegerField(
        _("largest amount per application (öre)"), default=0, validators=[MinValueValidator(0)]
    )
    # Applications at any time (decided as they come) instead of in windows.
    is_rolling = models.BooleanField(_("applications at any time"), default=False)
    # --- Who may apply ---
    # Legal forms allowed (``LegalForm`` values); empty means every form.
    allowed_legal_forms = models.JSONField(
        _("legal forms that may apply"), default=list, blank=True
    )
    requires_verified_organization = models.BooleanField(
        _("only verified, current organisations in the register"), default=True
    )
    # Serving at least one of the municipality's localities (the register's "localities served").
    requires_local_activity = models.BooleanField(
        _("only organisations active in the municipality"), default=False
    )
    allows_networks = models.BooleanField(_("loose networks may apply"), default=False)
    allows_individuals = models.BooleanField(_("individuals may apply"), default=False)
    # Documents the organisation must have in the register (``DocumentKind`` values).
    required_documents = models.JSONField(_("documents required"), default=list, blank=True)
    # --- Follow-up ---
    report_due_months = models.PositiveSmallIntegerField(
        _("report due this many months after payment"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    is_published = models.BooleanField(_("shown on the grants page"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("grant programme")
        verbose_name_plural = _("grant programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_amount_ore__gte=0), name="programme_max_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def legal_form_labels(self) -> list[str]:
        labels = dict(LegalForm.choices)
        return [str(labels.get(value, value)) for value in self.allowed_legal_forms]

    def required_document_labels(self) -> list[str]:
        labels = dict(DocumentKind.choices)
        return [str(labels.get(value, value)) for value in self.required_documents]


class ApplicationWindow(models.Model):
    """When applications are taken for one round, and when the board decides."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="windows", verbose_name=_("programme")
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    decision_meeting_on = models.DateField(_("board meeting"), null=True, blank=True)

    class Meta:
        ordering = ["opens_at"]
        verbose_name = _("application window")
        verbose_name_plural = _("application windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="window_closes_after_it_opens"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.opens_at:%Y-%m-%d}–{self.closes_at:%Y-%m-%d}"


class ProgrammeBudget(models.Model):
    """A programme's money for one year: the ledger decisions commit against."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount_ore = models.BigIntegerField(_("budget (öre)"), validators=[MinValueValidator(0)])
    # The sum of the year's granted amounts (and reservations), kept by the services.
    committed_ore = models.BigIntegerField(_("committed (öre)"), default=0)

    class Meta:
        ordering = ["programme", "-year"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="budget_one_per_year"),
            # The last line of defence: no over-commitment, whatever a service does.
            models.CheckConstraint(
                condition=Q(committed_ore__gte=0) & Q(committed_ore__lte=F("amount_ore")),
                name="budget_never_over_committed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"

    @property
    def remaining_ore(self) -> int:
        return self.amount_ore - self.committed_ore


class Criterion(models.Model):
    """What an application is assessed on, with its weight and scale."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("programme")
    )
    title = models.CharField(_("criterion"), max_length=150)
    description = models.TextField(_("what a high score means"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["programme", "order", "pk"]
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    AMOUNT = "amount", _("Amount in kronor")
    CHOICE = "choice", _("Choice")
    FILE = "file", _("File")


class ProgrammeQuestion(models.Model):
    """What every question a programme asks has: the application form's
    (``Question``) and the follow-up report's (``FollowUpQuestion``)."""

    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class Question(ProgrammeQuestion):
    """A question of a programme's application form."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="questions", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind of answer"), max_length=8, choices=QuestionKind.choices)
    # For ``choice``: the options, one per line.
    choices = models.TextField(_("options (one per line)"), blank=True)

    class Meta(ProgrammeQuestion.Meta):
        verbose_name = _("application question")
        verbose_name_plural = _("application questions")

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_COMPLETION = "needs_completion", _("Completion requested")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")


class Application(models.Model):
    """An application to a programme, by an organisation (or, where the
    programme allows, a loose network or an individual, ``applicant``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("programme"),
    )
    window = models.ForeignKey(
        ApplicationWindow,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("application window"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name=_("organisation"),
    )
    # Who wrote it: a representative of the organisation, or the individual applicant.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("applicant"),
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    title = models.CharField(_("what the money is for"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    requested_ore = models.BigIntegerField(
        _("amount applied for (öre)"), default=0, validators=[MinValueValidator(0)]
    )
    # Answers to the programme's questions, keyed by the question's pk (as text).
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # What the officer asked to complete, and when.
    completion_request = models.TextField(_("completion requested"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_ore__gte=0), name="application_request_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class BudgetLine(models.Model):
    """One line of an application's budget; the lines add up to what is applied for."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("application"),
    )
    description = models.CharField(_("cost"), max_length=200)
    amount_ore = models.BigIntegerField(_("amount (öre)"), validators=[MinValueValidator(0)])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount_ore__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description


class ApplicationAttachment(models.Model):
    """A file answering a ``file`` question. Not public: read through a view
    that checks who may see the application."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("application"),
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("question"),
    )
    file = models.FileField(_("file"), upload_to="grants/attachments/%Y/", storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["question", "-uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ConflictOfInterest(models.Model):
    """An officer's declaration about one application (jäv). An officer who
    has declared a conflict is kept out of the application's assessment."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
        verbose_name=_("application"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grant_conflict_declarations",
        verbose_name=_("officer"),
    )
    has_conflict = models.BooleanField(_("conflict of interest"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "officer"], name="one_declaration_per_officer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.officer}"


class Assessment(models.Model):
    """One officer's assessment of one application: scores and a proposal."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("application"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grant_assessments",
        verbose_name=_("officer"),
    )
    proposed_ore = models.BigIntegerField(
        _("proposed amount (öre)"), default=0, validators=[MinValueValidator(0)]
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "officer"], name="one_assessment_per_officer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.officer}"


class CriterionScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")


class Decision(models.Model):
    """The board's decision on one application, as recorded by an officer."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name=_("application"),
    )
    outcome = models.CharField(_("decision"), max_length=8, choices=DecisionOutcome.choices)
    amount_ore = models.BigIntegerField(
        _("amount granted (öre)"), default=0, validators=[MinValueValidator(0)]
    )
    conditions = models.TextField(_("conditions"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_on = models.DateField(_("decided on"))
    budget = models.ForeignKey(
        ProgrammeBudget,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("budget"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-recorded_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="granted") & Q(amount_ore__gt=0))
                | (Q(outcome="rejected") & Q(amount_ore=0) & ~Q(reason="")),
                name="decision_granted_has_amount_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"


class Payment(models.Model):
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="payments", verbose_name=_("decision")
    )
    paid_on = models.DateField(_("paid on"))
    amount_ore = models.BigIntegerField(_("amount (öre)"), validators=[MinValueValidator(1)])
    reference = models.CharField(_("payment reference"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount_ore__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.decision.application} {self.paid_on}"


class Nomination(models.Model):
    """Someone proposes an organisation for an award. Anyone may nominate;
    only verified organisations active in the municipality can be nominated.
    The nominator's name and address are kept until the award is decided
    (to thank them and ask about the motivation), then erased."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("award"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    motivation = models.TextField(_("motivation"))
    nominator_name = models.CharField(_("your name"), max_length=120, blank=True)
    nominator_email = models.EmailField(_("your e-mail address"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return f"{self.programme} {self.year}: {self.organization}"


class AwardWinner(models.Model):
    """The board's choice for an award's year; shown publicly."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="winners",
        verbose_name=_("award"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("organisation"),
    )
    motivation = models.TextField(_("the board's motivation"))
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("award winner")
        verbose_name_plural = _("award winners")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="one_winner_per_award_year"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}: {self.organization}"


class FollowUpQuestion(ProgrammeQuestion):
    """A question of a programme's follow-up report (återrapportering)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="follow_up_questions",
        verbose_name=_("programme"),
    )

    class Meta(ProgrammeQuestion.Meta):
        verbose_name = _("follow-up question")
        verbose_name_plural = _("follow-up questions")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_COMPLETION = "needs_completion", _("Completion requested")
    APPROVED = "approved", _("Approved")
    REPAYMENT_CLAIMED = "repayment_claimed", _("Repayment claimed")


class FollowUpReport(models.Model):
    """What a grant achieved, reported by the recipient after payment and
    reviewed by an officer."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        related_name="follow_up_report",
        verbose_name=_("decision"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    # Answers to the programme's follow-up questions, keyed by the question's pk (as text).
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    money_used_ore = models.BigIntegerField(
        _("money used (öre)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    review_note = models.TextField(_("officer's note"), blank=True)
    repayment_ore = models.BigIntegerField(
        _("repayment claimed (öre)"), default=0, validators=[MinValueValidator(0)]
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_after_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(repayment_ore__gte=0), name="report_repayment_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision.application} ({self.due_on})"


class Agreement(models.Model):
    """A multi-year commitment under a programme (an idéburet offentligt
    partnerskap such as the victim-support agreement): it reserves its
    yearly amount in each year's budget, so decisions cannot spend it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("programme"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="grant_agreements",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("what the agreement is for"), max_length=200)
    first_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    last_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    yearly_ore = models.BigIntegerField(
        _("amount per year (öre)"), validators=[MinValueValidator(1)]
    )
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-first_year"]
        verbose_name = _("long-term agreement")
        verbose_name_plural = _("long-term agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="agreement_years_in_order"
            ),
            models.CheckConstraint(condition=Q(yearly_ore__gt=0), name="agreement_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.title} ({self.first_year}–{self.last_year})"


class FollowUpAttachment(models.Model):
    """A file sent with a follow-up report (minutes, receipts, photos of an
    event). Not public: read through a view that checks who may see the report."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(
        FollowUpReport,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("follow-up report"),
    )
    file = models.FileField(_("file"), upload_to="grants/reports/%Y/", storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self) -> str:
        return self.original_name
