"""What the notifications app holds about a person: the messages sent to them."""

from django.utils.translation import gettext_lazy as _

from tillsammans.core.personal_data import PersonalDataProvider
from tillsammans.notifications.selectors import messages_of_user
from tillsammans.notifications.services import notifications_erase_for_user


def export_notifications(user) -> list[dict]:
    """Each message to the person: how, where, what about, when, and whether it
    arrived. Not the texts (they can hold one-time links) and nothing about
    anybody else."""
    return [
        {
            "id": str(message.uuid),
            "channel": message.channel,
            "address": message.address,
            "subject": message.subject,
            "kind": message.kind,
            "language": message.language,
            "status": message.status,
            "created": message.created_at.isoformat(),
            "sent": message.sent_at.isoformat() if message.sent_at else None,
        }
        for message in messages_of_user(user)
        .defer("body", "html_body")
        .order_by("created_at", "id")
    ]


def erase_notifications(user) -> None:
    notifications_erase_for_user(user=user)


NOTIFICATIONS = PersonalDataProvider(
    key="notifications",
    label=_("E-mails and text messages sent to you"),
    export=export_notifications,
    erase=erase_notifications,
)
