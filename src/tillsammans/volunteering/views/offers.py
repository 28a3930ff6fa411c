"""The volunteer's side of an offer: the answer link in the message (no
sign-in needed: the link is the key), and "My assignments" for the volunteer
of the session or the signed-in account (``current_volunteer``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillsammans.core.errors import DomainError
from tillsammans.volunteering.forms.offers import ConcernForm, MarkDoneForm
from tillsammans.volunteering.models import Offer
from tillsammans.volunteering.selectors import offers as selectors
from tillsammans.volunteering.selectors.volunteers import current_volunteer, remember_volunteer
from tillsammans.volunteering.services import offers as services

ANSWERS = {"accept": services.offer_accept, "decline": services.offer_decline}


def _actor(request):
    return request.user if request.user.is_authenticated else None


def _details(request, offer, volunteer):
    """The resident's details if this volunteer may see them now (audited)."""
    if volunteer is None or not selectors.offer_details_visible(offer, volunteer):
        return None
    return services.offer_resident_details(
        offer=offer, volunteer=volunteer, actor=_actor(request), request=request
    )


# --- The answer link ---------------------------------------------------------------


def offer_respond(request, token):
    offer = selectors.offer_by_token(token)
    if offer is None:
        raise Http404
    if request.method == "POST":
        answer = ANSWERS.get(request.POST.get("answer", ""))
        if answer is None:
            messages.error(request, _("Choose yes or no."))
        else:
            try:
                answer(offer=offer, actor=_actor(request), request=request)
            except DomainError as error:
                messages.error(request, str(error))
            else:
                if request.POST["answer"] == "accept":
                    # The link reached the volunteer's confirmed address, as
                    # their personal link does: this browser may now show
                    # them their assignments.
                    if current_volunteer(request) is None:
                        remember_volunteer(request, offer.volunteer)
                    messages.success(
                        request, _("Thank you! Here is what you need to know to help.")
                    )
                else:
                    messages.success(
                        request, _("Thank you for answering. We will ask someone else.")
                    )
        return redirect("volunteering:offer_respond", token=token)
    context = {
        "offer": offer,
        "help_request": offer.request,
        "open_for_answer": offer.status == Offer.Status.SENT
        and offer.respond_by is not None
        and offer.respond_by > timezone.now(),
        "details": _details(request, offer, offer.volunteer),
    }
    return render(request, "volunteering/offer_respond.html", context)


# --- My assignments ------------------------------------------------------------------


def _volunteer_or_none(request):
    volunteer = current_volunteer(request)
    if volunteer is None:
        return None, render(request, "volunteering/assignment_no_volunteer.html", status=403)
    return volunteer, None


def assignment_list(request):
    volunteer, denied = _volunteer_or_none(request)
    if denied:
        return denied
    context = {
        "volunteer": volunteer,
        "waiting": selectors.offers_awaiting_answer_of(volunteer),
        "assignments": selectors.assignments_of(volunteer),
        "concern_form": ConcernForm(),
    }
    return render(request, "volunteering/assignment_list.html", context)


def _own_offer(request, uuid):
    volunteer, denied = _volunteer_or_none(request)
    if denied:
        return None, None, denied
    offer = selectors.assignment_of(volunteer, uuid)
    if offer is None:
        raise Http404
    return volunteer, offer, None


def _render_detail(request, volunteer, offer, *, done_form=None, concern_form=None, status=200):
    context = {
        "volunteer": volunteer,
        "offer": offer,
        "help_request": offer.request,
        "details": _details(request, offer, volunteer),
        "done_form": done_form or MarkDoneForm(),
        "concern_form": concern_form or ConcernForm(),
    }
    return render(request, "volunteering/assignment_detail.html", context, status=status)


def assignment_detail(request, uuid):
    volunteer, offer, denied = _own_offer(request, uuid)
    if denied:
        return denied
    return _render_detail(request, volunteer, offer)


@require_POST
def assignment_answer(request, uuid):
    _volunteer, offer, denied = _own_offer(request, uuid)
    if denied:
        return denied
    answer = ANSWERS.get(request.POST.get("answer", ""))
    if answer is None:
        messages.error(request, _("Choose yes or no."))
        return redirect("volunteering:assignments")
    try:
        answer(offer=offer, actor=_actor(request), request=request)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("volunteering:assignments")
    if request.POST["answer"] == "accept":
        messages.success(request, _("Thank you! Here is what you need to know to help."))
        return redirect("volunteering:assignment", uuid=offer.uuid)
    messages.success(request, _("Thank you for answering. We will ask someone else."))
    return redirect("volunteering:assignments")


@require_POST
def assignment_done(request, uuid):
    volunteer, offer, denied = _own_offer(request, uuid)
    if denied:
        return denied
    form = MarkDoneForm(request.POST)
    if form.is_valid():
        try:
            services.offer_mark_done(
                offer=offer,
                volunteer=volunteer,
                minutes_spent=form.cleaned_data["minutes_spent"],
                actor=_actor(request),
                request=request,
            )
        except services.InvalidMinutes as error:
            form.add_error("minutes_spent", str(error))
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("volunteering:assignment", uuid=offer.uuid)
        else:
            messages.success(request, _("Thank you for your help! The assignment is done."))
            return redirect("volunteering:assignment", uuid=offer.uuid)
    return _render_detail(request, volunteer, offer, done_form=form, status=422)


@require_POST
def assignment_concern(request, uuid):
    volunteer, offer, denied = _own_offer(request, uuid)
    if denied:
        return denied
    form = ConcernForm(request.POST)
    if form.is_valid():
        try:
            services.concern_report(
                volunteer=volunteer,
                offer=offer,
                text=form.cleaned_data["text"],
                actor=_actor(request),
                request=request,
            )
        except DomainError as error:
            form.add_error("text", str(error))
        else:
            messages.success(
                request, _("Thank you for telling us. A coordinator will read it soon.")
            )
            return redirect("volunteering:assignment", uuid=offer.uuid)
    return _render_detail(request, volunteer, offer, concern_form=form, status=422)


@require_POST
def concern_general(request):
    volunteer, denied = _volunteer_or_none(request)
    if denied:
        return denied
    form = ConcernForm(request.POST)
    if form.is_valid():
        try:
            services.concern_report(
                volunteer=volunteer,
                text=form.cleaned_data["text"],
                actor=_actor(request),
                request=request,
            )
        except DomainError as error:
            form.add_error("text", str(error))
        else:
            messages.success(
                request, _("Thank you for telling us. A coordinator will read it soon.")
            )
            return redirect("volunteering:assignments")
    context = {
        "volunteer": volunteer,
        "waiting": selectors.offers_awaiting_answer_of(volunteer),
        "assignments": selectors.assignments_of(volunteer),
        "concern_form": form,
    }
    return render(request, "volunteering/assignment_list.html", context, status=422)


urlpatterns = [
    path("volunteer/offers/<str:token>/", offer_respond, name="offer_respond"),
    path("volunteer/assignments/", assignment_list, name="assignments"),
    path("volunteer/assignments/concern/", concern_general, name="concern_general"),
    path("volunteer/assignments/<uuid:uuid>/", assignment_detail, name="assignment"),
    path(
        "volunteer/assignments/<uuid:uuid>/answer/",
        assignment_answer,
        name="assignment_answer",
    ),
    path("volunteer/assignments/<uuid:uuid>/done/", assignment_done, name="assignment_done"),
    path(
        "volunteer/assignments/<uuid:uuid>/concern/",
        assignment_concern,
        name="assignment_concern",
    ),
]
