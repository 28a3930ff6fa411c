"""Staff and site admins must use two factors; others may."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import StaffMembershipFactory, UserFactory
from tillsammans.accounts.models import User

pytestmark = pytest.mark.django_db


def test_staff_without_an_authenticator_is_sent_to_set_one_up(client):
    staff = StaffMembershipFactory().user
    client.force_login(staff)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up page itself and signing out stay reachable.
    # Setting it up (after confirming the password) stays reachable.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert response.status_code == 200


def test_site_admin_without_an_authenticator_is_sent_to_set_one_up(client):
    admin = UserFactory(verified=True)
    User.objects.filter(pk=admin.pk).update(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")


def test_resident_is_not_forced(client):
    client.force_login(UserFactory(verified=True))
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_staff_with_an_authenticator_passes(roles):
    assert Authenticator.objects.filter(user=roles.user("staff_triage")).exists()
    assert roles.client("staff_triage").get(reverse("accounts:staff")).status_code == 200


def test_staff_sign_in_asks_for_the_code(client):
    from tests.roles import TEST_TOTP_SECRET, _with_totp
    from tillsammans.accounts.seed import demo_totp_code

    staff = _with_totp(StaffMembershipFactory(user__email="karin@kommun.example.se").user)
    response = client.post(
        reverse("account_login"),
        {"login": staff.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": demo_totp_code(TEST_TOTP_SECRET)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_admin_site_signs_in_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
