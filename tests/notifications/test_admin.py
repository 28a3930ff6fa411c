import pytest
from django.urls import reverse

from tests.notifications.factories import OutboxMessageFactory
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_site_admins_can_retry_from_the_admin(roles, django_capture_on_commit_callbacks):
    failed = OutboxMessageFactory(failed=True)
    sent = OutboxMessageFactory(sent=True)
    client = roles.client("site_admin")
    changelist = reverse("admin:notifications_outboxmessage_changelist")

    assert client.get(changelist).status_code == 200
    assert (
        client.get(
            reverse("admin:notifications_outboxmessage_change", args=[failed.pk])
        ).status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist,
            {"action": "retry_now", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    page = response.content.decode()
    assert "1 meddelande har lagts i kö för att skickas igen." in page
    assert "Bara meddelanden som har misslyckats" in page
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.SENT
    assert client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403


def test_the_admin_finds_a_message_by_address_key_or_id(roles):
    message = OutboxMessageFactory(address="omar@example.se", idempotency_key="welcome:omar")
    OutboxMessageFactory(address="ingrid@example.se")
    client = roles.client("site_admin")
    changelist = reverse("admin:notifications_outboxmessage_changelist")
    for term in ("Omar@example.se", "welcome:omar", str(message.uuid)):
        response = client.get(changelist, {"q": term})
        assert list(response.context["cl"].result_list) == [message], term
    assert client.get(changelist, {"q": "not a uuid"}).status_code == 200
