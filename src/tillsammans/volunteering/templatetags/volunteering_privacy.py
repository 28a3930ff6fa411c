"""What the privacy page says about volunteering, from the settings in force.

``{% load volunteering_privacy %}{% volunteering_retention as retention %}``
gives ``retention.details_days_after_done`` (how long after an assignment is
done its volunteer still sees the resident's details),
``retention.resident_details_days`` (when the resident's details of an ended
request are erased) and ``retention.unconfirmed_days`` (when unconfirmed
sign-ups are erased), so the page never promises other periods than the code
keeps.
"""

from django import template
from django.conf import settings

from tillsammans.volunteering.services.volunteer_signup import UNCONFIRMED_RETENTION

register = template.Library()


@register.simple_tag
def volunteering_retention() -> dict[str, int]:
    return {
        "details_days_after_done": settings.VOLUNTEERING_DETAILS_DAYS_AFTER_DONE,
        "resident_details_days": settings.VOLUNTEERING_RESIDENT_DETAILS_DAYS,
        "unconfirmed_days": UNCONFIRMED_RETENTION.days,
    }
