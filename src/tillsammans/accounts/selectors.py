from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from tillsammans.accounts.models import StaffMembership


def account_overview(user) -> dict:
    """What the account page shows: addresses, two-factor state, staff roles."""
    return {
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ),
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "staff_memberships": list(
            StaffMembership.objects.filter(user=user).select_related("department")
        ),
    }
