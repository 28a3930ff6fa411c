from django.utils.translation import gettext_lazy as _

from tillsammans.core.personal_data import PersonalDataProvider
from tillsammans.organizations.models import Invitation, JoinRequest, Representative


def export_representation(user) -> list[dict]:
    return [
        {"organization": rep.organization.name, "role": rep.role, "since": rep.created_at}
        for rep in Representative.objects.filter(user=user).select_related("organization")
    ]


def erase_representation(user) -> None:
    Representative.objects.filter(user=user).delete()


def export_requests(user) -> dict:
    return {
        "join_requests": [
            {
                "organization": request.organization.name,
                "message": request.message,
                "status": request.status,
                "created_at": request.created_at,
                "decided_at": request.decided_at,
            }
            for request in JoinRequest.objects.filter(user=user).select_related("organization")
        ],
        "invitations_received": [
            {
                "organization": invitation.organization.name,
                "email": invitation.email,
                "role": invitation.role,
                "created_at": invitation.created_at,
                "expires_at": invitation.expires_at,
                "accepted_at": invitation.accepted_at,
            }
            for invitation in Invitation.objects.filter(email__iexact=user.email).select_related(
                "organization"
            )
        ],
    }


def erase_requests(user) -> None:
    JoinRequest.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=user.email).delete()
    # Decisions and invitations the person made stay, without their name.
    JoinRequest.objects.filter(decided_by=user).update(decided_by=None)
    Invitation.objects.filter(invited_by=user).update(invited_by=None)


REPRESENTATION = PersonalDataProvider(
    key="organizations",
    label=_("Which organisations you represent"),
    export=export_representation,
    erase=erase_representation,
)

REQUESTS = PersonalDataProvider(
    key="organization_requests",
    label=_("Your requests to join organisations, and invitations sent to you"),
    export=export_requests,
    erase=erase_requests,
)
