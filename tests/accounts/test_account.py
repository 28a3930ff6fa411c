"""Sign-up, the account page, export and erasure of one's data."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from tillsammans.accounts.models import User
from tillsammans.audit.models import AuditEntry
from tillsammans.organizations.models import Organization, Representative

pytestmark = pytest.mark.django_db


def test_sign_up_sends_a_verification_mail_through_the_outbox(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "ny@example.se",
                "password1": "ett långt lösenord 42",
                "password2": "ett långt lösenord 42",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="ny@example.se")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny@example.se"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert "Hej från Tillsammans – Ekerö kommun!" in mail.outbox[0].body
    from tillsammans.notifications.models import OutboxMessage

    assert OutboxMessage.objects.get(address="ny@example.se").status == "sent"


def test_sign_up_with_bad_input_keeps_what_was_typed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "inte-en-adress", "password1": "kort", "password2": "annat"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="inte-en-adress"' in html
    assert "error-summary" in html
    assert not User.objects.exists()


def test_duplicate_sign_up_does_not_create_a_second_account(client):
    UserFactory(email="finns@example.se", verified=True)
    client.post(
        reverse("account_signup"),
        {
            "email": "FINNS@example.se",
            "password1": "ett långt lösenord 42",
            "password2": "ett långt lösenord 42",
        },
    )
    assert User.objects.filter(email__iexact="finns@example.se").count() == 1


def test_unverified_account_cannot_sign_in(client):
    UserFactory(email="overifierad@example.se", verified=False)
    EmailAddress.objects.create(
        user=User.objects.get(email="overifierad@example.se"),
        email="overifierad@example.se",
        verified=False,
        primary=True,
    )
    client.post(
        reverse("account_login"),
        {"login": "overifierad@example.se", "password": "correct horse battery staple"},
    )
    assert "_auth_user_id" not in client.session


def test_sign_in_is_rate_limited(client):
    UserFactory(email="ingrid@example.se", verified=True)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "ingrid@example.se", "password": "fel"})
    # After five failures even the right password is refused for a while.
    response = client.post(
        reverse("account_login"),
        {"login": "ingrid@example.se", "password": "correct horse battery staple"},
    )
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_page_saves_name_and_language(client):
    user = UserFactory(verified=True)
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Ingrid Svensson", "preferred_language": "en"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Ingrid Svensson", "en")


def test_account_page_rejects_an_unknown_language_and_keeps_the_name(client):
    user = UserFactory(verified=True, full_name="Före")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Efter", "preferred_language": "xx"}
    )
    assert response.status_code == 200
    assert 'value="Efter"' in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Före"


def test_export_contains_what_every_app_holds_and_is_logged(client):
    user = UserFactory(email="ingrid@example.se", full_name="Ingrid", verified=True)
    Representative.objects.create(
        organization=Organization.objects.create(name="PRO Ekerö", slug="pro"), user=user
    )
    client.force_login(user)
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "ingrid@example.se"
    assert data["organizations"] == [
        {"organization": "PRO Ekerö", "role": "editor", "since": data["organizations"][0]["since"]}
    ]
    assert "notifications" in data
    assert AuditEntry.objects.filter(actor=user, action="export").count() == 1


def test_export_needs_post_and_an_account(client):
    assert client.post(reverse("accounts:export")).status_code == 302
    client.force_login(UserFactory(verified=True))
    assert client.get(reverse("accounts:export")).status_code == 405


def test_erase_with_the_wrong_password_keeps_everything(client):
    user = UserFactory(verified=True)
    client.force_login(user)
    response = client.post(reverse("accounts:erase"), {"password": "fel", "confirm": "on"})
    assert response.status_code == 200
    assert "Lösenordet stämmer inte." in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_erase_needs_the_confirmation(client):
    user = UserFactory(verified=True)
    client.force_login(user)
    response = client.post(reverse("accounts:erase"), {"password": "correct horse battery staple"})
    assert response.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()


def test_erase_removes_the_person_everywhere_but_keeps_an_anonymous_log(client):
    user = UserFactory(email="bort@example.se", verified=True)
    Representative.objects.create(
        organization=Organization.objects.create(name="SPF", slug="spf"), user=user
    )
    client.force_login(user)
    client.post(reverse("accounts:export"))
    response = client.post(
        reverse("accounts:erase"),
        {"password": "correct horse battery staple", "confirm": "on"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(email="bort@example.se").exists()
    assert not Representative.objects.exists()
    assert not EmailAddress.objects.filter(email="bort@example.se").exists()
    assert not AuditEntry.objects.filter(actor_label="bort@example.se").exists()
    assert AuditEntry.objects.filter(action="export", actor=None).count() == 1
    assert AuditEntry.objects.filter(action="erase").count() == 1
    assert "_auth_user_id" not in client.session


def test_site_admin_cannot_erase_themselves(roles):
    client = roles.client("site_admin")
    response = client.post(
        reverse("accounts:erase"),
        {"password": "correct horse battery staple", "confirm": "on"},
    )
    assert response.status_code == 200
    assert User.objects.filter(pk=roles.user("site_admin").pk).exists()
