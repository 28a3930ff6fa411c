"""Idélabbet's pages: the public form, receipt, status page by secret link and
idea board; the coaches' list and idea page."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from tillsammans.accounts.rules import is_coach
from tillsammans.core.errors import DomainError
from tillsammans.core.permissions import permission_required
from tillsammans.core.rate_limits import HourlyLimit
from tillsammans.ideas.forms import IdeaForm, NoteForm, StatusChangeForm
from tillsammans.ideas.models import Idea
from tillsammans.ideas.services import ideas as services

SUBMISSIONS = HourlyLimit("ideas-submissions", lambda: 10)
RECEIPT_SESSION_KEY = "ideas-receipt"
BOARD_SIZE = 200


class TooManyIdeas(DomainError):
    pass


def _add_service_error(form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


@require_http_methods(["GET", "POST"])
def idea_new(request):
    form = IdeaForm(request.POST or None)
    if request.method == "POST":
        if SUBMISSIONS.exceeded(request):
            return render(request, "ideas/too_many.html", status=429)
        if form.is_valid():
            try:
                with SUBMISSIONS.use(request, TooManyIdeas):
                    idea, token = services.idea_submit(details=form.details(), request=request)
            except TooManyIdeas:
                return render(request, "ideas/too_many.html", status=429)
            except DomainError as error:
                _add_service_error(form, error)
            else:
                request.session[RECEIPT_SESSION_KEY] = {"uuid": str(idea.uuid), "token": token}
                return redirect("ideas:sent")
    return render(request, "ideas/idea_form.html", {"form": form})


def idea_sent(request):
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not receipt:
        return redirect("ideas:new")
    idea = Idea.objects.filter(uuid=receipt["uuid"]).first()
    if idea is None:
        raise Http404
    context = {"idea": idea, "status_url": services.status_url(receipt["token"])}
    return render(request, "ideas/idea_sent.html", context)


def idea_status(request, token):
    if len(token) > 100:
        raise Http404
    idea = (
        Idea.objects.select_related("area", "locality")
        .prefetch_related("status_changes")
        .filter(status_token_hash=services.status_token_hash(token))
        .first()
    )
    if idea is None:
        raise Http404
    response = render(request, "ideas/idea_status.html", {"idea": idea})
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def idea_board(request):
    ideas = (
        Idea.objects.filter(publish_consent=True)
        .select_related("area")
        .only("uuid", "title", "what", "status", "created_at", "area")[:BOARD_SIZE]
    )
    return render(request, "ideas/idea_board.html", {"ideas": ideas})


@permission_required("ideas.view_staff_pages")
def staff_list(request):
    ideas = (
        Idea.objects.select_related("area", "coach")
        .annotate(
            mine=Case(
                When(coach_id=request.user.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("mine", "-created_at", "-id")
    )
    return render(request, "ideas/staff_list.html", {"ideas": ideas})


@permission_required("ideas.view_staff_pages")
@require_http_methods(["GET", "POST"])
def staff_idea(request, uuid):
    idea = Idea.objects.select_related("area", "locality", "coach").filter(uuid=uuid).first()
    if idea is None:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    status_form = StatusChangeForm(
        request.POST if action == "status" else None, current=idea.status
    )
    note_form = NoteForm(request.POST if action == "note" else None)
    if action == "status" and status_form.is_valid():
        try:
            services.idea_status_change(
                actor=request.user,
                idea=idea,
                new_status=status_form.cleaned_data["new_status"],
                feedback=status_form.cleaned_data["feedback"],
                request=request,
            )
        except DomainError as error:
            _add_service_error(status_form, error)
        else:
            return redirect("ideas:staff_idea", uuid=idea.uuid)
    if action == "note" and note_form.is_valid():
        try:
            services.coaching_note_add(
                actor=request.user, idea=idea, text=note_form.cleaned_data["text"], request=request
            )
        except DomainError as error:
            _add_service_error(note_form, error)
        else:
            return redirect("ideas:staff_idea", uuid=idea.uuid)
    can_see_notes = request.user.has_perm("ideas.view_notes")
    context = {
        "idea": idea,
        "changes": list(idea.status_changes.select_related("changed_by")),
        "notes": list(idea.notes.select_related("written_by")) if can_see_notes else [],
        "can_see_notes": can_see_notes,
        "can_add_note": is_coach(request.user),
        "status_form": status_form if status_form.fields["new_status"].choices else None,
        "note_form": note_form,
    }
    return render(request, "ideas/staff_idea.html", context)


urlpatterns = [
    path("ideas/", idea_board, name="board"),
    path("ideas/new/", idea_new, name="new"),
    path("ideas/sent/", idea_sent, name="sent"),
    path("ideas/status/<str:token>/", idea_status, name="status"),
    path("staff/ideas/", staff_list, name="staff_list"),
    path("staff/ideas/<uuid:uuid>/", staff_idea, name="staff_idea"),
]
