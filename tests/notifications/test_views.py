"""The staff outbox page and its "Retry now" button."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.notifications.factories import OutboxMessageFactory
from tests.roles import STAFF_ROLES
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

OUTBOX = reverse("notifications:outbox")

STAFF_ONLY = {
    "anonymous": 302,
    "resident": 403,
    "volunteer": 403,
    "organisation_representative": 403,
    **dict.fromkeys(STAFF_ROLES, 200),
    "site_admin": 200,
}


def test_permission_table(roles):
    roles.assert_access(OUTBOX, STAFF_ONLY)
    # Retrying: the same people; a refused retry still redirects back with a message.
    message = OutboxMessageFactory(sent=True)
    retry = reverse("notifications:retry", args=[message.uuid])
    roles.assert_access(
        retry, {**STAFF_ONLY, **dict.fromkeys(STAFF_ROLES, 302), "site_admin": 302}, method="post"
    )


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(OUTBOX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_page_shows_what_needs_attention_with_masked_addresses(roles):
    OutboxMessageFactory(address="omar@example.se", failed=True)
    OutboxMessageFactory(sms=True, address="+46701234512", retrying=True)
    OutboxMessageFactory(address="ingrid@example.se", sent=True)

    response = roles.client("staff_coordinator").get(OUTBOX)

    page = response.content.decode()
    assert '<th scope="row">o…@example.se</th>' in page
    assert '<th scope="row">+4670…12</th>' in page
    assert "omar@example.se" not in page
    assert "+46701234512" not in page
    assert "i…@example.se" not in page, "sent messages need no attention"
    assert "<caption>" in page
    assert 'scope="col"' in page
    counts = {status: count for status, _label, count in response.context["status_counts"]}
    assert counts == {
        "queued": 0,
        "sending": 0,
        "sent": 1,
        "retrying": 1,
        "failed": 1,
        "cancelled": 0,
    }


def test_retry_now_queues_the_message_again_and_says_so(roles, django_capture_on_commit_callbacks):
    message = OutboxMessageFactory(address="omar@example.se", failed=True)
    client = roles.client("staff_coordinator")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry", args=[message.uuid]), follow=True)

    assert response.redirect_chain == [(OUTBOX, 302)]
    assert "skickas igen inom kort" in response.content.decode()
    message.refresh_from_db()
    # The immediate task backend delivered it at once.
    assert message.status == OutboxMessage.Status.SENT
    assert mail.outbox[0].to == ["omar@example.se"]


def test_retrying_a_sent_message_is_refused_with_a_message(roles):
    message = OutboxMessageFactory(sent=True)
    response = roles.client("site_admin").post(
        reverse("notifications:retry", args=[message.uuid]), follow=True
    )
    assert "Bara meddelanden som har misslyckats eller väntar på nytt försök" in (
        response.content.decode()
    )
    assert mail.outbox == []


def test_retry_needs_post_and_an_existing_message(roles):
    client = roles.client("staff_coordinator")
    message = OutboxMessageFactory(failed=True)
    assert client.get(reverse("notifications:retry", args=[message.uuid])).status_code == 405
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.post(reverse("notifications:retry", args=[missing])).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_the_page_uses_a_fixed_number_of_queries(rows, roles, django_assert_num_queries):
    client = roles.client("staff_coordinator")
    OutboxMessageFactory.create_batch(rows // 3, failed=True)
    OutboxMessageFactory.create_batch(rows - rows // 3, sms=True, retrying=True)
    OutboxMessageFactory.create_batch(rows, sent=True)
    # Session, user, staff capabilities, two-factor check, counts, page count, page.
    with django_assert_num_queries(7):
        response = client.get(OUTBOX)
    assert len(response.context["outbox_messages"]) == rows


def test_the_page_is_paginated_by_fifty(roles):
    OutboxMessageFactory.create_batch(51, failed=True)
    client = roles.client("staff_coordinator")
    assert len(client.get(OUTBOX).context["outbox_messages"]) == 50
    second = client.get(OUTBOX, {"page": 2})
    assert len(second.context["outbox_messages"]) == 1
    assert 'rel="prev"' in second.content.decode()
