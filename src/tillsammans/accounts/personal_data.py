"""What the accounts app holds about a person."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_forget_actor
from tillsammans.core.personal_data import PersonalDataProvider


def export_account(user) -> dict:
    return {
        "id": str(user.uuid),
        "email": user.email,
        "name": user.full_name,
        "preferred_language": user.preferred_language,
        "joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
        "two_factor_methods": sorted(
            set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
        ),
        "staff_capabilities": [
            {"department": membership.department.name_sv, "capability": membership.capability}
            for membership in user.staff_memberships.select_related("department")
        ],
        "api_tokens": [
            {"name": token.name, "created": token.created_at, "revoked": token.revoked_at}
            for token in user.api_tokens.all()
        ],
        "audit_log_entries_about_my_actions": list(
            AuditEntry.objects.filter(actor=user).values(
                "at", "action", "target_type", "target_label", "ip_address"
            )
        ),
    }


def erase_account(user) -> None:
    # E-mail addresses, authenticators, memberships and tokens go with the user
    # row (CASCADE); the audit log keeps its entries without the person.
    audit_forget_actor(user=user)


ACCOUNT = PersonalDataProvider(
    key="account",
    label=_("Your account"),
    export=export_account,
    erase=erase_account,
)
