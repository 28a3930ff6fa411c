"""Who may do what in volunteer coordination.

Coordinators (staff with the ``coordinator`` capability) run everything. A
volunteer acts on their own profile and offers; the resident's personal
details of a request are for coordinators and, while an accepted assignment
lasts (plus ``VOLUNTEERING_DETAILS_DAYS_AFTER_DONE`` days), its volunteer.
"""

import rules

from tillsammans.accounts.rules import is_coordinator, is_site_admin

is_coordinating_staff = is_coordinator | is_site_admin


@rules.predicate
def is_volunteer(user) -> bool:
    """Has a volunteer profile that has not left (read once per request-bound user)."""
    if not (user and user.is_authenticated):
        return False
    cached = getattr(user, "_is_active_volunteer", None)
    if cached is None:
        from tillsammans.volunteering.models import Volunteer, VolunteerStatus

        cached = user._is_active_volunteer = (
            Volunteer.objects.filter(user=user).exclude(status=VolunteerStatus.LEFT).exists()
        )
    return cached


@rules.predicate
def sees_details_through_offer(user, offer) -> bool:
    """The volunteer of an accepted (or recently done) offer sees the resident's details."""
    if offer is None or not (user and user.is_authenticated):
        return False
    if offer.volunteer.user_id != user.pk:
        return False
    # The same check as for volunteers without an account (session): one rule.
    from tillsammans.volunteering.selectors.offers import offer_details_visible

    return offer_details_visible(offer, offer.volunteer)


@rules.predicate
def is_requester_of(user, help_request) -> bool:
    """The resident who asked for this help themselves, signed in."""
    return bool(
        help_request is not None
        and user
        and user.is_authenticated
        and help_request.requester_id == user.pk
    )


rules.add_perm("volunteering.coordinate", is_coordinating_staff)
rules.add_perm("volunteering.manage_campaigns", is_coordinating_staff)
rules.add_perm("volunteering.check_safeguarding", is_coordinating_staff)
rules.add_perm("volunteering.take_request_by_phone", is_coordinating_staff)
rules.add_perm("volunteering.view_statistics", is_coordinating_staff)
rules.add_perm(
    "volunteering.view_offer_details", sees_details_through_offer | is_coordinating_staff
)
# Help requests: residents ask themselves (no account needed) and follow their own.
rules.add_perm("volunteering.view_own_help_requests", rules.is_authenticated)
rules.add_perm("volunteering.cancel_help_request", is_coordinating_staff | is_requester_of)
