"""The applicant's pages: start an application, write it (save a draft, send
it), follow it, withdraw it, answer a completion request; the list of one's
applications; and downloading an attachment (applicants and the programme's
officers without a declared conflict)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tillsammans.core.errors import DomainError
from tillsammans.core.money import format_kronor
from tillsammans.grants.forms.applications import ApplicantForm, ApplicationForm, CompletionForm
from tillsammans.grants.models import (
    ApplicationAttachment,
    ApplicationStatus,
    Programme,
    QuestionKind,
)
from tillsammans.grants.selectors import applications as selectors
from tillsammans.grants.services import applications as services
from tillsammans.grants.services.eligibility import (
    eligibility_problems,
    next_window,
    programme_is_open,
)

AUTOSAVE_HEADER = "X-Autosave"


def _application_or_404(request, uuid, perm: str):
    """The application, if the user may see it; 404 as if it did not exist otherwise."""
    application = selectors.application_for_pages(uuid)
    if application is None or not request.user.has_perm(perm, application):
        raise Http404
    return application


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    """Choose who applies (an organisation the user represents, where it may,
    or the user as an individual, where the programme allows), then a draft
    is made and the user goes on to write it."""
    programme = get_object_or_404(
        Programme.objects.filter(is_published=True).prefetch_related("windows"), slug=slug
    )
    options = selectors.applicant_options(request.user, programme)
    form = ApplicantForm(
        request.POST or None, options=options, allows_individuals=programme.allows_individuals
    )
    window = programme_is_open(programme)
    upcoming = None if window else next_window(programme)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(
                actor=request.user, programme=programme, request=request, **form.service_arguments()
            )
        except services.NotEligible as error:
            problems = error.problems
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("grants:application_edit", uuid=application.uuid)
    if not options and not programme.allows_individuals:
        problems = eligibility_problems(programme)
    context = {
        "programme": programme,
        "form": form,
        "options": options,
        "problems": problems,
        "window": window,
        "upcoming": upcoming,
        "can_choose": bool(form.fields["applicant"].choices) and (window or upcoming),
    }
    return render(request, "grants/application_start.html", context)


def _save(request, form, application) -> list[str]:
    """Store what can be stored of the form (also with errors elsewhere) and
    the files chosen; the messages of what could not be stored."""
    problems = []
    try:
        services.application_save_draft(
            actor=request.user, application=application, **form.service_arguments()
        )
    except DomainError as error:
        problems.append(str(error))
    for question, upload in form.uploads():
        try:
            services.application_attachment_add(
                actor=request.user, application=application, question=question, upload=upload
            )
        except DomainError as error:
            form.add_error(f"q_{question.pk}", str(error))
    return problems


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, uuid):
    """Write the application. "Save draft" keeps everything typed, also when
    something is wrong; "Add more rows" saves and gives more budget rows;
    "Send" saves and sends (or names what is missing). An htmx request with
    the ``X-Autosave`` header saves the draft and answers with one line."""
    application = _application_or_404(request, uuid, "grants.edit_own_application")
    autosave = request.method == "POST" and request.headers.get(AUTOSAVE_HEADER)
    if application.status not in services.EDITABLE:
        if autosave:  # sent from another tab: say so instead of swapping in a page
            return HttpResponse(str(services.ApplicationNotEditable.message))
        return redirect("grants:application", uuid=application.uuid)
    rows = request.GET.get("rows")
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        application=application,
        rows=int(rows) if rows and rows.isdigit() else None,
    )
    if request.method != "POST":
        return _edit_page(request, form, application)
    valid = form.is_valid()
    problems = _save(request, form, application)
    if autosave:
        saved_at = timezone.localtime().strftime("%H:%M")
        return HttpResponse(_("Draft saved automatically at %(time)s.") % {"time": saved_at})
    action = request.POST.get("action", "save")
    application = selectors.application_for_pages(uuid)
    if valid and not form.errors and not problems and action == "submit":
        if application.status == ApplicationStatus.NEEDS_COMPLETION:
            return redirect("grants:application", uuid=application.uuid)
        try:
            services.application_submit(
                actor=request.user, application=application, request=request
            )
        except services.ApplicationIncomplete as error:
            form.apply_service_errors(error.errors)
        except services.NotEligible as error:
            for problem in error.problems or [error]:
                form.add_error(None, str(problem))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your application has been sent. A receipt is on its way by e-mail.")
            )
            return redirect("grants:application", uuid=application.uuid)
    elif valid and not form.errors and not problems:
        if action == "more_rows":
            url = reverse("grants:application_edit", args=[application.uuid])
            return redirect(f"{url}?rows={form.row_count + 3}#budget")
        messages.success(request, _("Your draft has been saved."))
        return redirect("grants:application_edit", uuid=application.uuid)
    for problem in problems:
        form.add_error(None, problem)
    if form.errors and action != "submit":
        messages.info(request, _("What could be stored has been saved. Correct the marked fields."))
    if action == "more_rows":
        form = _with_more_rows(request, application, form)
    return _edit_page(request, form, application, status=200)


def _with_more_rows(request, application, form):
    """The same typed values with three more empty budget rows."""
    data = request.POST.copy()
    data["rows"] = str(form.row_count + 3)
    more = ApplicationForm(data, request.FILES or None, application=application)
    more.is_valid()
    return more


def _edit_page(request, form, application, status=200):
    context = {
        "application": application,
        "programme": application.programme,
        "form": form,
        "window": programme_is_open(application.programme),
        "max_amount": format_kronor(application.programme.max_amount_ore),
        "requested": format_kronor(application.requested_ore),
        "attachment_rows": [
            (question, attachment)
            for question in application.programme.questions.all()
            for attachment in application.attachment_list
            if attachment.question_id == question.pk
        ],
        "autosave_header": f'{{"{AUTOSAVE_HEADER}": "1"}}',
        "file_fields": ",".join(
            name
            for name, field in form.fields.items()
            if hasattr(field, "question") and field.question.kind == "file"
        ),
    }
    return render(request, "grants/application_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request, uuid):
    """Where the application stands; the officer's request and a form to
    send it back when completion is asked for; the decision once made."""
    application = _application_or_404(request, uuid, "grants.view_own_application")
    completion_form = None
    if application.status == ApplicationStatus.NEEDS_COMPLETION:
        completion_form = CompletionForm(request.POST or None)
        if request.method == "POST" and completion_form.is_valid():
            try:
                services.application_complete(
                    actor=request.user,
                    application=application,
                    reply=completion_form.cleaned_data["reply"],
                    request=request,
                )
            except services.ApplicationIncomplete as error:
                completion_form.add_error(None, str(error))
                for message in error.errors.values():
                    completion_form.add_error(None, message)
            except DomainError as error:
                completion_form.add_error(None, str(error))
            else:
                messages.success(request, _("Your completed application has been sent back."))
                return redirect("grants:application", uuid=application.uuid)
    elif request.method == "POST":
        return redirect("grants:application", uuid=application.uuid)
    decision = getattr(application, "decision", None)
    context = {
        "application": application,
        "programme": application.programme,
        "decision": decision,
        "completion_form": completion_form,
        "answers": _answers(application),
        "lines": [
            (line.description, format_kronor(line.amount_ore))
            for line in application.budget_lines.all()
        ],
        "requested": format_kronor(application.requested_ore),
        "granted": format_kronor(decision.amount_ore) if decision else "",
        "can_edit": application.status in services.EDITABLE,
        "can_withdraw": application.status in services.WITHDRAWABLE,
    }
    return render(request, "grants/application_detail.html", context)


def _answers(application) -> list[tuple]:
    """(question, answer as shown, files) for each question."""
    rows = []
    for question in application.programme.questions.all():
        answer = application.answers.get(str(question.pk), "")
        if question.kind == QuestionKind.AMOUNT and isinstance(answer, int):
            answer = format_kronor(answer)
        elif question.kind == QuestionKind.NUMBER and answer:
            answer = str(answer).replace(".", ",") if get_language() == "sv" else answer
        files = [a for a in application.attachment_list if a.question_id == question.pk]
        rows.append((question, answer, files))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, uuid):
    """Ask "are you sure?", then withdraw."""
    application = _application_or_404(request, uuid, "grants.edit_own_application")
    error = None
    if request.method == "POST":
        try:
            services.application_withdraw(
                actor=request.user, application=application, request=request
            )
        except DomainError as failure:
            error = str(failure)
        else:
            messages.success(request, _("The application has been withdrawn."))
            return redirect("grants:application", uuid=application.uuid)
    context = {"application": application, "programme": application.programme, "error": error}
    return render(request, "grants/application_withdraw.html", context)


@login_required
def my_applications(request):
    applications = list(selectors.applications_of_user(request.user))
    for application in applications:
        application.requested_display = format_kronor(application.requested_ore)
    return render(request, "grants/application_list.html", {"applications": applications})


@login_required
def attachment_download(request, uuid):
    """An attachment, for the applicant, their organisation's representatives
    and the programme's officers without a declared conflict; 404 for anyone
    else, as if it did not exist. Each read is logged."""
    attachment = get_object_or_404(
        ApplicationAttachment.objects.select_related(
            "application__programme", "application__organization"
        ),
        uuid=uuid,
    )
    if not request.user.has_perm("grants.download_attachment", attachment.application):
        raise Http404
    try:
        file = services.attachment_open(actor=request.user, attachment=attachment, request=request)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        file,
        as_attachment=True,
        filename=attachment.original_name or "attachment",
        content_type=services.attachment_content_type(attachment) or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


urlpatterns = [
    path("grants/mine/", my_applications, name="my_applications"),
    path("grants/applications/<uuid:uuid>/", application_detail, name="application"),
    path("grants/applications/<uuid:uuid>/edit/", application_edit, name="application_edit"),
    path(
        "grants/applications/<uuid:uuid>/withdraw/",
        application_withdraw,
        name="application_withdraw",
    ),
    path("grants/attachments/<uuid:uuid>/", attachment_download, name="attachment"),
    path("grants/<slug:slug>/apply/", apply, name="apply"),
]
