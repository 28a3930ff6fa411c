"""Reads of the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.db.models import Count, Q, QuerySet

from tillsammans.notifications.models import OutboxMessage

if TYPE_CHECKING:
    from tillsammans.accounts.models import User

Status = OutboxMessage.Status


def messages_needing_attention() -> QuerySet[OutboxMessage]:
    """Failed messages and messages waiting to retry, newest first: what staff
    look at on the outbox page. The texts are left out (the page does not
    show them, and they can be long)."""
    return (
        OutboxMessage.objects.filter(status__in=[Status.FAILED, Status.RETRYING])
        .defer("body", "html_body")
        .order_by("-created_at", "-id")
    )


def outbox_counts() -> dict[str, int]:
    """How many messages are in each status, every status present (0 if none),
    in one query."""
    counts = dict.fromkeys(Status.values, 0)
    rows = OutboxMessage.objects.order_by().values("status").annotate(n=Count("id"))
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def requests_to_address_count(*, address: str, since: datetime) -> int:
    """Requests (kind ``request``) to one address since a moment, not counting
    cancelled ones: what the weekly cap compares with."""
    return (
        OutboxMessage.objects.filter(
            address=address, kind=OutboxMessage.Kind.REQUEST, created_at__gte=since
        )
        .exclude(status=Status.CANCELLED)
        .count()
    )


def messages_of_user(user: User) -> QuerySet[OutboxMessage]:
    """The messages that are this person's personal data: those linked to the
    account, and e-mails to the account's address or another address the
    person has verified (sent before the link existed, or without one).
    Unverified addresses are left out: they may be someone else's."""
    addresses = {user.email.lower()} if user.email else set()
    addresses.update(
        email.lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )
    return OutboxMessage.objects.filter(
        Q(recipient_user=user)
        | Q(channel=OutboxMessage.Channel.EMAIL, address__in=sorted(addresses))
    )
