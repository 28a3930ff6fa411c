"""Pages for grant programmes: the public page of every grant, a programme's
page with the eligibility check, and the grant officers' pages to manage
programmes, windows, budgets, criteria and questions."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, register_converter, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tillsammans.accounts.rules import is_site_admin
from tillsammans.core.errors import DomainError
from tillsammans.core.money import format_kronor
from tillsammans.core.permissions import permission_required
from tillsammans.grants.forms.programmes import (
    AS_INDIVIDUAL,
    BudgetForm,
    CriterionForm,
    FollowUpQuestionForm,
    OrganisationCheckForm,
    ProgrammeForm,
    QuestionForm,
    RegisterStatus,
    VisitorCheckForm,
    WindowForm,
)
from tillsammans.grants.models import (
    ApplicationWindow,
    Criterion,
    FollowUpQuestion,
    Programme,
    Question,
)
from tillsammans.grants.selectors import programmes as selectors
from tillsammans.grants.services import programmes as services
from tillsammans.grants.services.eligibility import (
    EligibilityProblem,
    eligibility_problems,
    next_window,
    programme_is_open,
)
from tillsammans.organizations.models import LegalForm, Organization, OrganizationStatus


class ProgrammeSlugConverter:
    """A programme's slug, but not the fixed paths beside it (/grants/decisions/
    and the like belong to other pages of the app)."""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        if value in services.RESERVED_SLUGS:
            raise ValueError(value)  # no match: the next pattern is tried
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ProgrammeSlugConverter, "programme")


def apply_domain_error(form, error: DomainError) -> None:
    """Show a service's error next to its field, or above the form."""
    field = getattr(error, "field", None)
    if field == "max_amount_ore":
        field = "max_amount"
    visible = field in form.fields and not form.fields[field].widget.is_hidden
    form.add_error(field if visible else None, str(error))


# --- Public pages ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeTimes:
    open_window: ApplicationWindow | None
    upcoming: ApplicationWindow | None


def _times(programme: Programme, now) -> ProgrammeTimes:
    window = programme_is_open(programme, now)
    return ProgrammeTimes(window, None if window else next_window(programme, now))


def _money(ore: int | None) -> str:
    return format_kronor(ore) if ore else ""


def grants_index(request):
    """Every published grant and award on one page."""
    now = timezone.now()
    rows = [
        {
            "programme": programme,
            "times": _times(programme, now),
            "who": selectors.who_may_apply(programme),
            "max_amount": _money(programme.max_amount_ore),
            "granted_last_year": format_kronor(programme.granted_last_year_ore),
        }
        for programme in selectors.programmes_published()
    ]
    context = {"rows": rows, "last_year": timezone.localdate().year - 1}
    return render(request, "grants/grants_page.html", context)


def _apply_url(programme: Programme) -> tuple[str, bool]:
    """The application page, when it exists yet (the applications pages are
    built beside this one); else this programme's page."""
    try:
        return reverse("grants:apply", args=[programme.slug]), True
    except NoReverseMatch:
        return reverse("grants:programme", args=[programme.slug]), False


def _eligibility_check(request, programme: Programme):
    """The check's form and, when it was asked, its result: (form, problems or None)."""
    asked = any(name in request.GET for name in ("applicant", "legal_form"))
    organizations = list(selectors.organizations_for_representative(request.user))
    if organizations:
        form = OrganisationCheckForm(
            request.GET if asked else None,
            organizations=organizations,
            allows_individuals=programme.allows_individuals,
            auto_id="check_%s",
        )
        if not (asked and form.is_valid()):
            return form, None
        choice = form.cleaned_data["applicant"]
        if choice == AS_INDIVIDUAL:
            return form, eligibility_problems(programme, as_individual=True)
        return form, eligibility_problems(programme, organization=form.organizations[choice])

    form = VisitorCheckForm(
        request.GET if asked else None,
        allows_individuals=programme.allows_individuals,
        auto_id="check_%s",
    )
    if not (asked and form.is_valid()):
        return form, None
    legal_form = form.cleaned_data["legal_form"]
    if legal_form == AS_INDIVIDUAL:
        return form, eligibility_problems(programme, as_individual=True)
    register = form.cleaned_data["register"]
    status = (
        OrganizationStatus.VERIFIED
        if register == RegisterStatus.VERIFIED
        else OrganizationStatus.PENDING
    )
    # Not stored: the check reads only the legal form and the status.
    organization = Organization(legal_form=legal_form, status=status)
    problems = eligibility_problems(programme, organization=organization, check_documents=False)
    if register == RegisterStatus.NOT_REGISTERED and (
        programme.requires_verified_organization or programme.required_documents
    ):
        problems = [problem for problem in problems if problem.code != "not_verified"]
        problems.append(
            EligibilityProblem(
                "not_registered",
                _(
                    "Only organisations in the municipality's register may apply: register "
                    "your organisation first. The municipality then verifies it."
                ),
            )
        )
    return form, problems


def programme_detail(request, slug):
    programme = get_object_or_404(selectors.programme_public(slug))
    now = timezone.now()
    form, problems = _eligibility_check(request, programme)
    apply_url, apply_exists = _apply_url(programme)
    windows = list(programme.windows.all())
    context = {
        "programme": programme,
        "times": _times(programme, now),
        "who": selectors.who_may_apply(programme),
        "max_amount": _money(programme.max_amount_ore),
        "granted_last_year": format_kronor(programme.granted_last_year_ore),
        "last_year": timezone.localdate().year - 1,
        "windows": [w for w in windows if w.closes_at > now],
        "past_windows": [w for w in windows if w.closes_at <= now],
        "criteria": list(programme.criteria.all()),
        "questions": list(programme.questions.all()),
        "check_form": form,
        "check_problems": problems,
        "apply_url": apply_url,
        "apply_exists": apply_exists,
        "document_labels": programme.required_document_labels(),
        "signed_in_visitor": request.user.is_authenticated,
        "is_network_form": LegalForm.NETWORK,
    }
    return render(request, "grants/programme_detail.html", context)


# --- Staff pages -----------------------------------------------------------------------


def _managed_programme(request, slug) -> Programme:
    """The programme, if the user may manage it; 404 otherwise (as elsewhere)."""
    programme = selectors.programme_for_staff(request.user, slug).first()
    if programme is None or not request.user.has_perm("grants.manage_programme", programme):
        raise Http404
    return programme


@permission_required("grants.view_staff_pages")
def staff_programmes(request):
    programmes = list(selectors.programmes_for_staff(request.user))
    rows = [
        {
            "programme": programme,
            "budgets": [
                {
                    "year": budget.year,
                    "amount": format_kronor(budget.amount_ore),
                    "committed": format_kronor(budget.committed_ore),
                    "remaining": format_kronor(budget.remaining_ore),
                }
                for budget in programme.budgets.all()
            ],
        }
        for programme in programmes
    ]
    context = {"rows": rows, "sees_all": is_site_admin(request.user)}
    return render(request, "grants/staff_programme_list.html", context)


@permission_required("grants.view_staff_pages")
def staff_programme_new(request):
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=request.user, request=request, **form.service_arguments()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The programme “%(title)s” is created. Add its windows, budget, criteria "
                    "and questions."
                )
                % {"title": programme.title},
            )
            return redirect("grants:staff_programme", programme.slug)
    context = {"form": form, "programme": None}
    return render(request, "grants/staff_programme_form.html", context)


@permission_required("grants.view_staff_pages")
def staff_programme(request, slug):
    programme = _managed_programme(request, slug)
    budgets = [
        {
            "budget": budget,
            "amount": format_kronor(budget.amount_ore),
            "committed": format_kronor(budget.committed_ore),
            "remaining": format_kronor(budget.remaining_ore),
        }
        for budget in programme.budgets.all()
    ]
    context = {
        "programme": programme,
        "max_amount": _money(programme.max_amount_ore),
        "windows": list(programme.windows.all()),
        "budgets": budgets,
        "criteria": list(programme.criteria.all()),
        "questions": list(programme.questions.all()),
        "follow_up_questions": list(programme.follow_up_questions.all()),
        "who": selectors.who_may_apply(programme),
    }
    return render(request, "grants/staff_programme_detail.html", context)


@permission_required("grants.view_staff_pages")
def staff_programme_edit(request, slug):
    programme = _managed_programme(request, slug)
    form = ProgrammeForm(request.POST or None, user=request.user, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_update(
                programme=programme,
                actor=request.user,
                request=request,
                **form.service_arguments(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("grants:staff_programme", programme.slug)
    context = {"form": form, "programme": programme}
    return render(request, "grants/staff_programme_form.html", context)


def _part_page(request, programme, *, form, title, save, success, part=None):
    """The add/edit page of one part of a programme (window, budget, criterion, question)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect("grants:staff_programme", programme.slug)
    context = {"programme": programme, "form": form, "title": title, "part": part}
    return render(request, "grants/staff_programme_part_form.html", context)


def _delete_page(request, programme, *, title, what, delete):
    if request.method == "POST":
        try:
            delete()
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Deleted: %(what)s") % {"what": what})
        return redirect("grants:staff_programme", programme.slug)
    context = {"programme": programme, "title": title, "what": what}
    return render(request, "grants/staff_programme_part_delete.html", context)


@permission_required("grants.view_staff_pages")
def staff_window(request, slug, pk=None):
    programme = _managed_programme(request, slug)
    window = get_object_or_404(programme.windows.all(), pk=pk) if pk else None
    form = WindowForm(request.POST or None, window=window)

    def save(data):
        services.window_save(
            programme=programme, actor=request.user, window=window, request=request, **data
        )

    title = _("Change the application window") if window else _("Add an application window")
    return _part_page(
        request, programme, form=form, title=title, save=save,
        success=_("The application window is saved."), part=window,
    )  # fmt: skip


@permission_required("grants.view_staff_pages")
@require_http_methods(["GET", "POST"])
def staff_window_delete(request, slug, pk):
    programme = _managed_programme(request, slug)
    window = get_object_or_404(ApplicationWindow, programme=programme, pk=pk)
    what = _("the window %(opens)s–%(closes)s") % {
        "opens": timezone.localtime(window.opens_at).strftime("%Y-%m-%d %H:%M"),
        "closes": timezone.localtime(window.closes_at).strftime("%Y-%m-%d %H:%M"),
    }
    return _delete_page(
        request, programme, title=_("Delete the application window"), what=what,
        delete=lambda: services.window_delete(window=window, actor=request.user, request=request),
    )  # fmt: skip


@permission_required("grants.view_staff_pages")
def staff_budget(request, slug, year=None):
    programme = _managed_programme(request, slug)
    budget = get_object_or_404(programme.budgets.all(), year=year) if year else None
    form = BudgetForm(request.POST or None, budget=budget)

    def save(data):
        services.budget_set(
            programme=programme,
            actor=request.user,
            year=budget.year if budget else data["year"],
            amount_ore=data["amount"],
            request=request,
        )

    title = (
        _("Change the budget for %(year)s") % {"year": budget.year}
        if budget
        else _("Set a yearly budget")
    )
    return _part_page(
        request, programme, form=form, title=title, save=save,
        success=_("The budget is saved."), part=budget,
    )  # fmt: skip


@permission_required("grants.view_staff_pages")
def staff_criterion(request, slug, pk=None):
    programme = _managed_programme(request, slug)
    criterion = get_object_or_404(programme.criteria.all(), pk=pk) if pk else None
    form = CriterionForm(request.POST or None, criterion=criterion)

    def save(data):
        services.criterion_save(
            programme=programme, actor=request.user, criterion=criterion, request=request, **data
        )

    title = _("Change the criterion") if criterion else _("Add an assessment criterion")
    return _part_page(
        request, programme, form=form, title=title, save=save,
        success=_("The criterion is saved."), part=criterion,
    )  # fmt: skip


@permission_required("grants.view_staff_pages")
@require_http_methods(["GET", "POST"])
def staff_criterion_delete(request, slug, pk):
    programme = _managed_programme(request, slug)
    criterion = get_object_or_404(Criterion, programme=programme, pk=pk)
    return _delete_page(
        request, programme, title=_("Delete the criterion"), what=criterion.title,
        delete=lambda: services.criterion_delete(
            criterion=criterion, actor=request.user, request=request
        ),
    )  # fmt: skip


@permission_required("grants.view_staff_pages")
def staff_question(request, slug, pk=None):
    programme = _managed_programme(request, slug)
    question = get_object_or_404(programme.questions.all(), pk=pk) if pk else None
    form = QuestionForm(request.POST or None, question=question)

    def save(data):
        services.question_save(
            programme=programme, actor=request.user, question=question, request=request, **data
        )

    title = _("Change the question") if question else _("Add a question to the application form")
    return _part_page(
        request, programme, form=form, title=title, save=save,
        success=_("The question is saved."), part=question,
    )  # fmt: skip


@permission_required("grants.view_staff_pages")
@require_http_methods(["GET", "POST"])
def staff_question_delete(request, slug, pk):
    programme = _managed_programme(request, slug)
    question = get_object_or_404(Question, programme=programme, pk=pk)
    return _delete_page(
        request, programme, title=_("Delete the question"), what=question.label,
        delete=lambda: services.question_delete(
            question=question, actor=request.user, request=request
        ),
    )  # fmt: skip


@permission_required("grants.view_staff_pages")
def staff_follow_up_question(request, slug, pk=None):
    programme = _managed_programme(request, slug)
    question = get_object_or_404(programme.follow_up_questions.all(), pk=pk) if pk else None
    form = FollowUpQuestionForm(request.POST or None, question=question)

    def save(data):
        services.follow_up_question_save(
            programme=programme, actor=request.user, question=question, request=request, **data
        )

    title = _("Change the question") if question else _("Add a question to the follow-up report")
    return _part_page(
        request, programme, form=form, title=title, save=save,
        success=_("The question is saved."), part=question,
    )  # fmt: skip


@permission_required("grants.view_staff_pages")
@require_http_methods(["GET", "POST"])
def staff_follow_up_question_delete(request, slug, pk):
    programme = _managed_programme(request, slug)
    question = get_object_or_404(FollowUpQuestion, programme=programme, pk=pk)
    return _delete_page(
        request, programme, title=_("Delete the question"), what=question.label,
        delete=lambda: services.follow_up_question_delete(
            question=question, actor=request.user, request=request
        ),
    )  # fmt: skip


urlpatterns = [
    path("grants/", grants_index, name="index"),
    path("grants/<programme:slug>/", programme_detail, name="programme"),
    path("staff/grants/", staff_programmes, name="staff_programmes"),
    path("staff/grants/new/", staff_programme_new, name="staff_programme_new"),
    path("staff/grants/<programme:slug>/", staff_programme, name="staff_programme"),
    path("staff/grants/<programme:slug>/edit/", staff_programme_edit, name="staff_programme_edit"),
    path("staff/grants/<programme:slug>/windows/new/", staff_window, name="staff_window_new"),
    path("staff/grants/<programme:slug>/windows/<int:pk>/", staff_window, name="staff_window"),
    path(
        "staff/grants/<programme:slug>/windows/<int:pk>/delete/",
        staff_window_delete,
        name="staff_window_delete",
    ),
    path("staff/grants/<programme:slug>/budgets/new/", staff_budget, name="staff_budget_new"),
    path("staff/grants/<programme:slug>/budgets/<int:year>/", staff_budget, name="staff_budget"),
    path(
        "staff/grants/<programme:slug>/criteria/new/", staff_criterion, name="staff_criterion_new"
    ),
    path(
        "staff/grants/<programme:slug>/criteria/<int:pk>/", staff_criterion, name="staff_criterion"
    ),
    path(
        "staff/grants/<programme:slug>/criteria/<int:pk>/delete/",
        staff_criterion_delete,
        name="staff_criterion_delete",
    ),
    path("staff/grants/<programme:slug>/questions/new/", staff_question, name="staff_question_new"),
    path(
        "staff/grants/<programme:slug>/questions/<int:pk>/", staff_question, name="staff_question"
    ),
    path(
        "staff/grants/<programme:slug>/questions/<int:pk>/delete/",
        staff_question_delete,
        name="staff_question_delete",
    ),
    path(
        "staff/grants/<programme:slug>/follow-up-questions/new/",
        staff_follow_up_question,
        name="staff_follow_up_question_new",
    ),
    path(
        "staff/grants/<programme:slug>/follow-up-questions/<int:pk>/",
        staff_follow_up_question,
        name="staff_follow_up_question",
    ),
    path(
        "staff/grants/<programme:slug>/follow-up-questions/<int:pk>/delete/",
        staff_follow_up_question_delete,
        name="staff_follow_up_question_delete",
    ),
]
