"""A representative leaves an organisation; the only administrator cannot."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.organizations.factories import RepresentativeFactory
from tillsammans.audit.models import AuditEntry
from tillsammans.notifications.models import OutboxMessage
from tillsammans.organizations import services
from tillsammans.organizations.models import Representative

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return RepresentativeFactory(
        organization__name="PRO Ekerö", user__full_name="Anna Administratör"
    )


def editor_of(organization, **kwargs):
    return RepresentativeFactory(organization=organization, role="editor", **kwargs)


def test_an_editor_leaves_and_the_admins_are_told(english, admin):
    organization = admin.organization
    omar = editor_of(organization, user__full_name="Omar Redaktör")
    other_editor = editor_of(organization)

    services.representative_leave(organization=organization, actor=omar.user)

    assert not Representative.objects.filter(pk=omar.pk).exists()
    entry = AuditEntry.objects.get(details__event="representative_leave")
    assert entry.actor == omar.user
    assert entry.action == AuditEntry.Action.REVOKE
    assert entry.details["role"] == "editor"
    message = OutboxMessage.objects.get()
    assert message.address == admin.user.email
    assert "Omar Redaktör" in message.subject
    assert "företräder inte längre organisationen" in message.body
    assert not OutboxMessage.objects.filter(address=other_editor.user.email).exists()


def test_an_admin_leaves_when_another_admin_remains(admin):
    organization = admin.organization
    second = RepresentativeFactory(organization=organization, role="admin")
    services.representative_leave(organization=organization, actor=admin.user)
    assert list(organization.representatives.all()) == [second]
    assert list(OutboxMessage.objects.values_list("address", flat=True)) == [second.user.email]


def test_leaving_again_after_rejoining_tells_the_admins_again(admin):
    organization = admin.organization
    omar = UserFactory()
    for _ in range(2):
        Representative.objects.create(organization=organization, user=omar, role="editor")
        services.representative_leave(organization=organization, actor=omar)
    assert OutboxMessage.objects.filter(address=admin.user.email).count() == 2


def test_the_only_admin_cannot_leave(english, admin):
    editor_of(admin.organization)
    with pytest.raises(services.LastAdminCannotLeave) as caught:
        services.representative_leave(organization=admin.organization, actor=admin.user)
    assert "You are the only administrator of PRO Ekerö" in str(caught.value)
    assert "Make another representative an administrator first" in str(caught.value)
    assert Representative.objects.filter(pk=admin.pk).exists()
    assert not AuditEntry.objects.filter(details__event="representative_leave").exists()
    assert not OutboxMessage.objects.exists()


def test_someone_who_does_not_represent_it_cannot_leave(english, admin):
    with pytest.raises(services.NotRepresentative) as caught:
        services.representative_leave(organization=admin.organization, actor=UserFactory())
    assert str(caught.value) == "You do not represent PRO Ekerö."
    assert Representative.objects.count() == 1


# --- The page ---------------------------------------------------------------------------


def signed_in(client, user):
    client.force_login(user)
    client.cookies["tillsammans_language"] = "en"
    return client


def test_leaving_through_the_confirmation_page(client, admin):
    organization = admin.organization
    omar = editor_of(organization)
    signed_in(client, omar.user)
    detail = client.get(reverse("organizations:manage_detail", args=[organization.uuid]))
    url = reverse("organizations:leave", args=[organization.uuid])
    assert f'href="{url}"' in detail.content.decode()

    page = client.get(url).content.decode()
    assert "You represent PRO Ekerö as editor" in page
    assert "Leave PRO Ekerö</button>" in page
    assert Representative.objects.filter(pk=omar.pk).exists()  # GET changes nothing

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("organizations:manage")
    assert "You no longer represent PRO Ekerö." in response.content.decode()
    assert not Representative.objects.filter(pk=omar.pk).exists()


def test_the_only_admin_is_told_to_appoint_another_first(client, admin):
    editor_of(admin.organization)
    signed_in(client, admin.user)
    url = reverse("organizations:leave", args=[admin.organization.uuid])
    for response in (client.get(url), client.post(url)):
        page = response.content.decode()
        assert response.status_code == 200
        assert "You are the only administrator of PRO Ekerö" in page
        assert "Leave PRO Ekerö</button>" not in page
    assert Representative.objects.filter(pk=admin.pk).exists()
