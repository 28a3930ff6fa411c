"""Follow-up pages: the recipient's report, the officers' overview per
programme and year, and their review of one report."""

from __future__ import annotations

from contextlib import suppress

from django.db.models import Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from tillsammans.core.money import format_kronor
from tillsammans.core.permissions import permission_required
from tillsammans.grants.forms.follow_up import ReportForm, ReviewForm
from tillsammans.grants.models import FollowUpAttachment, FollowUpReport, ReportStatus
from tillsammans.grants.selectors.programmes import programme_for_staff
from tillsammans.grants.services import follow_up as services
from tillsammans.grants.services.applications import AttachmentInvalid, attachment_content_type
from tillsammans.grants.views import programmes  # noqa: F401 (registers <programme:slug>)


def _report(uuid) -> FollowUpReport:
    return get_object_or_404(
        FollowUpReport.objects.select_related(
            "decision__application__programme", "decision__application__organization"
        ),
        uuid=uuid,
    )


def _answers(follow_up: FollowUpReport) -> list[tuple[str, str]]:
    """(question, answer) for each of the programme's follow-up questions."""
    return [
        (question.label, follow_up.answers.get(str(question.pk), ""))
        for question in follow_up.decision.application.programme.follow_up_questions.all()
    ]


def _apply_error(form, error: services.FollowUpError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def report(request, uuid):
    """The recipient's report: the form while it is open, what was sent after."""
    follow_up = _report(uuid)
    application = follow_up.decision.application
    if not request.user.has_perm("grants.view_own_application", application):
        raise Http404
    is_open = follow_up.status in services.OPEN_STATUSES
    form = None
    if is_open:
        form = ReportForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            report=follow_up,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.report_submit(
                    actor=request.user,
                    report=follow_up,
                    answers=form.answers(),
                    money_used_ore=form.cleaned_data["money_used"],
                    attachments=form.cleaned_data["attachments"],
                    request=request,
                )
            except services.FollowUpError as error:
                _apply_error(form, error)
            except AttachmentInvalid as error:
                form.add_error("attachments", str(error))
            else:
                return redirect("grants:follow_up_report", uuid=follow_up.uuid)
    context = {
        "report": follow_up,
        "application": application,
        "form": form,
        "granted": format_kronor(follow_up.decision.amount_ore),
        "money_used": format_kronor(follow_up.money_used_ore or 0),
        "repayment": format_kronor(follow_up.repayment_ore),
        "answers": _answers(follow_up),
        "attachments": list(follow_up.attachments.all()),
    }
    return render(request, "grants/follow_up_report.html", context)


@permission_required("grants.view_staff_pages")
def overview(request, slug):
    """A programme's reports for one year of decisions, with what was
    granted, paid and used (a fixed number of queries)."""
    programme = programme_for_staff(request.user, slug).first()
    if programme is None or not request.user.has_perm("grants.manage_programme", programme):
        raise Http404
    year = timezone.localdate().year
    with suppress(ValueError):
        year = int(request.GET.get("year") or year)
    reports = list(
        FollowUpReport.objects.filter(
            decision__application__programme=programme, decision__decided_on__year=year
        )
        .select_related("decision__application__organization")
        .annotate(paid_ore=Sum("decision__payments__amount_ore"))
        .order_by("due_on", "pk")
    )
    today = timezone.localdate()
    rows = [
        {
            "report": item,
            "granted": format_kronor(item.decision.amount_ore),
            "paid": format_kronor(item.paid_ore or 0),
            "used": format_kronor(item.money_used_ore) if item.money_used_ore is not None else "",
            "overdue": item.status in services.OPEN_STATUSES and item.due_on < today,
        }
        for item in reports
    ]
    counts = {
        status: sum(1 for item in reports if item.status == status)
        for status in ReportStatus.values
    }
    context = {
        "programme": programme,
        "year": year,
        "rows": rows,
        "counts": [(label, counts[value]) for value, label in ReportStatus.choices],
        "overdue": sum(1 for row in rows if row["overdue"]),
    }
    return render(request, "grants/follow_up_overview.html", context)


@permission_required("grants.view_staff_pages")
def review(request, uuid):
    follow_up = _report(uuid)
    application = follow_up.decision.application
    if not request.user.has_perm("grants.decide_application", application):
        raise Http404
    form = None
    if follow_up.status == ReportStatus.SUBMITTED:
        form = ReviewForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.report_review(
                    actor=request.user,
                    report=follow_up,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    repayment_ore=form.cleaned_data["repayment"] or 0,
                    request=request,
                )
            except services.FollowUpError as error:
                _apply_error(form, error)
            else:
                return redirect("grants:follow_up_overview", slug=application.programme.slug)
    context = {
        "report": follow_up,
        "application": application,
        "answers": _answers(follow_up),
        "attachments": list(follow_up.attachments.all()),
        "form": form,
        "granted": format_kronor(follow_up.decision.amount_ore),
        "paid": format_kronor(services.paid_ore(follow_up)),
        "money_used": format_kronor(follow_up.money_used_ore or 0),
        "repayment": format_kronor(follow_up.repayment_ore),
    }
    return render(request, "grants/follow_up_review.html", context)


def attachment_download(request, uuid):
    """A report's file, for the recipient's side and the programme's officers
    without a declared conflict (as an application's attachments); 404 for
    everyone else. Each read is logged."""
    attachment = get_object_or_404(
        FollowUpAttachment.objects.select_related("report__decision__application__programme"),
        uuid=uuid,
    )
    if not request.user.has_perm(
        "grants.download_attachment", attachment.report.decision.application
    ):
        raise Http404
    try:
        file = services.report_attachment_open(
            actor=request.user, attachment=attachment, request=request
        )
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        file,
        as_attachment=True,
        filename=attachment.original_name or "file",
        content_type=attachment_content_type(attachment) or "application/octet-stream",
    )


urlpatterns = [
    path("grants/reports/<uuid:uuid>/", report, name="follow_up_report"),
    path(
        "grants/reports/attachments/<uuid:uuid>/",
        attachment_download,
        name="follow_up_attachment",
    ),
    path("staff/grants/<programme:slug>/follow-up/", overview, name="follow_up_overview"),
    path("staff/grants/reports/<uuid:uuid>/", review, name="follow_up_review"),
]
