"""Hourly limits per network address on the volunteering forms and their API twins.

The page and the API share one budget per limit, so the API is no way
around the form's limit (``core.rate_limits``).
"""

from __future__ import annotations

from django.conf import settings

from tillsammans.core.rate_limits import HourlyLimit

HELP_REQUESTS_PER_HOUR = 10

# Requests for help from one address (the form and POST /help-requests).
HELP_REQUESTS = HourlyLimit("help-requests", lambda: HELP_REQUESTS_PER_HOUR)
# Volunteer sign-ups from one address (the form and POST /volunteers); each
# sends a link, so the limit keeps the form from mailing others in bulk. Read
# when asked, so a test or a benchmark can change it.
SIGN_UPS = HourlyLimit("signups", lambda: getattr(settings, "VOLUNTEERING_SIGNUP_RATE", 20))
