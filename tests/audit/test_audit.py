import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from tests.factories import UserFactory
from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_forget_actor, audit_record

pytestmark = pytest.mark.django_db


def test_records_who_what_when_and_from_where():
    reader = UserFactory(email="karin@kommun.example.se")
    subject = UserFactory(email="ingrid@example.se")
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox")
    entry = audit_record(
        actor=reader, action="read", target=subject, reason="phone call", request=request
    )
    assert entry.actor == reader
    assert entry.actor_label == "karin@kommun.example.se"
    assert entry.target_type == "accounts.user"
    assert entry.target_id == str(subject.uuid)
    assert (entry.ip_address, entry.user_agent, entry.reason) == (
        "10.1.2.3",
        "Firefox",
        "phone call",
    )
    assert entry.at is not None


def test_forwarded_address_is_used_only_behind_a_trusted_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert audit_record(actor=None, action="read", request=request).ip_address == "10.0.0.1"
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    assert audit_record(actor=None, action="read", request=request).ip_address == "192.0.2.7"


def test_entries_cannot_be_changed_or_deleted_through_the_app():
    entry = audit_record(actor=None, action="read", target_label="x")
    entry.reason = "covering tracks"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    entry.refresh_from_db()
    assert entry.reason == ""


def test_forgetting_an_actor_keeps_the_entries():
    person = UserFactory()
    audit_record(actor=person, action="export", target=person)
    assert audit_forget_actor(user=person) == 1
    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.actor_label == f"erased account {person.uuid}"


def test_admin_lists_entries_read_only(roles):
    audit_record(actor=None, action="read", target_label="Ingrid")
    client = roles.client("site_admin")
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    entry = AuditEntry.objects.get()
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.count() == 1


def test_only_site_admins_reach_the_audit_log(roles):
    roles.assert_access(
        "/admin/audit/auditentry/",
        {"anonymous": 302, "site_admin": 200},
        default=302,
    )
