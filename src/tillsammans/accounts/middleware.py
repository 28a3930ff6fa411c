"""Staff and site administrators must use two-factor authentication."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tillsammans.accounts.rules import requires_two_factor

# Paths a person without two factors may still reach: setting it up, signing
# out, the language switch and static files.
ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/password/",
    "/accounts/reauthenticate/",
    "/i18n/",
    "/static/",
    "/accessibility/",
    "/privacy/",
)


class RequireTwoFactorForStaffMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
            and requires_two_factor(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. Set up an "
                    "authenticator app to continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
