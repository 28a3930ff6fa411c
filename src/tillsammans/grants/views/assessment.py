"""The officers' assessment pages: a programme's applications, and one
application to declare on (jäv), score, propose an amount for, or send back
for completion.

Other departments' officers and an officer who declared a conflict get 404,
as for an application that does not exist; people who are not grant
officers get 403 (anonymous visitors are sent to sign in).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillsammans.core.errors import DomainError
from tillsammans.core.money import format_kronor
from tillsammans.core.permissions import permission_required
from tillsammans.grants.forms.assessment import AssessmentForm, CompletionForm, ConflictForm
from tillsammans.grants.models import ApplicationStatus
from tillsammans.grants.selectors import assessment as selectors
from tillsammans.grants.services import assessment as services

STAFF = "grants.view_staff_pages"


@permission_required(STAFF)
def assessment_list(request, slug):
    programme = get_object_or_404(selectors.programmes_for_officer(request.user), slug=slug)
    rows = selectors.assessment_rows(request.user, programme)
    return render(request, "grants/assessment_list.html", {"programme": programme, "rows": rows})


def _page(request, application, *, conflict_form=None, form=None, completion_form=None):
    declaration = selectors.declaration_of(request.user, application)
    context = {"application": application, "programme": application.programme}
    if declaration is None:
        context["conflict_form"] = conflict_form or ConflictForm()
        return render(request, "grants/assessment_declare.html", context)
    assessments = list(application.assessments.all())
    mine = next((each for each in assessments if each.officer_id == request.user.pk), None)
    criteria = list(application.programme.criteria.all())
    assessable = application.status == ApplicationStatus.SUBMITTED
    context.update(
        {
            "declaration": declaration,
            "answers": _answers(application),
            "requested": format_kronor(application.requested_ore),
            "budget_lines": [
                (line, format_kronor(line.amount_ore)) for line in application.budget_lines.all()
            ],
            "criteria": criteria,
            "others": _others(assessments, criteria, request.user),
            "assessable": assessable,
            "form": form or AssessmentForm(criteria=criteria, assessment=mine),
            "completion_form": completion_form or CompletionForm(),
            "may_decide": request.user.has_perm("grants.decide_application", application),
        }
    )
    return render(request, "grants/assessment_detail.html", context)


def _answers(application):
    """(question, answer text, attachments) in the form's order."""
    attachments = {}
    for attachment in application.attachments.all():
        attachments.setdefault(attachment.question_id, []).append(attachment)
    return [
        (
            question,
            application.answers.get(str(question.pk), ""),
            attachments.get(question.pk, []),
        )
        for question in application.programme.questions.all()
    ]


def _others(assessments, criteria, user):
    """Other officers' assessments with their scores per criterion, in order."""
    indexed = {criterion.pk: criterion for criterion in criteria}
    result = []
    for each in assessments:
        if each.officer_id == user.pk:
            continue
        scores = {score.criterion_id: score for score in each.scores.all()}
        result.append(
            {
                "assessment": each,
                "percent": selectors.weighted_percent(each, indexed),
                "proposed": format_kronor(each.proposed_ore),
                "scores": [(criterion, scores.get(criterion.pk)) for criterion in criteria],
            }
        )
    return result


def _application(request, uuid):
    return get_object_or_404(selectors.application_to_assess(request.user, uuid))


@permission_required(STAFF)
def assessment(request, uuid):
    application = _application(request, uuid)
    if request.method == "POST":
        form = AssessmentForm(request.POST, criteria=list(application.programme.criteria.all()))
        if form.is_valid():
            try:
                services.assessment_save(
                    actor=request.user,
                    application=application,
                    scores=form.scores(),
                    proposed_ore=form.cleaned_data["proposed"],
                    comment=form.cleaned_data["comment"],
                    request=request,
                )
            except DomainError as error:
                form.apply_error(error)
            else:
                messages.success(request, _("Your assessment is saved."))
                return redirect("grants:assessment", application.uuid)
        return _page(request, application, form=form)
    return _page(request, application)


@require_POST
@permission_required(STAFF)
def declare(request, uuid):
    application = _application(request, uuid)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            declaration = services.conflict_declare(
                actor=request.user,
                application=application,
                has_conflict=form.cleaned_data["has_conflict"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except DomainError as error:
            form.apply_error(error)
        else:
            if declaration.has_conflict:
                messages.success(
                    request,
                    _(
                        "Your conflict of interest is recorded. You will not take part in "
                        "assessing or deciding %(reference)s."
                    )
                    % {"reference": application.reference},
                )
                return redirect("grants:assessment_list", application.programme.slug)
            return redirect("grants:assessment", application.uuid)
    return _page(request, application, conflict_form=form)


@require_POST
@permission_required(STAFF)
def completion(request, uuid):
    application = _application(request, uuid)
    form = CompletionForm(request.POST)
    if form.is_valid():
        try:
            services.completion_request(
                actor=request.user,
                application=application,
                message=form.cleaned_data["message"],
                request=request,
            )
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(
                request, _("The applicant has been asked to complete the application.")
            )
            return redirect("grants:assessment", application.uuid)
    return _page(request, application, completion_form=form)


urlpatterns = [
    path("staff/grants/<slug:slug>/applications/", assessment_list, name="assessment_list"),
    path("staff/grants/applications/<uuid:uuid>/", assessment, name="assessment"),
    path("staff/grants/applications/<uuid:uuid>/declare/", declare, name="assessment_declare"),
    path(
        "staff/grants/applications/<uuid:uuid>/completion/",
        completion,
        name="assessment_completion",
    ),
]
