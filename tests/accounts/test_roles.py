"""The role helper that later issues use for their permission tables."""

import pytest
from django.urls import reverse

from tests.roles import ROLES, STAFF_ROLES

pytestmark = pytest.mark.django_db

STAFF_PAGE = {
    "anonymous": 302,
    "resident": 403,
    "volunteer": 403,
    "organisation_representative": 403,
    **dict.fromkeys(STAFF_ROLES, 200),
    "site_admin": 200,
}


def test_every_role_is_known():
    assert ROLES[:4] == ["anonymous", "resident", "volunteer", "organisation_representative"]
    assert len(STAFF_ROLES) == 7
    assert ROLES[-1] == "site_admin"


def test_staff_tools_permission_table(roles):
    roles.assert_access(reverse("accounts:staff"), STAFF_PAGE)


def test_account_page_permission_table(roles):
    roles.assert_access(reverse("accounts:profile"), {"anonymous": 302}, default=200)


def test_helper_reports_every_mismatch(roles):
    wrong = {**STAFF_PAGE, "resident": 200, "site_admin": 403}
    with pytest.raises(AssertionError) as failure:
        roles.assert_access(reverse("accounts:staff"), wrong)
    assert "resident: expected 200, got 403" in str(failure.value)
    assert "site_admin: expected 403, got 200" in str(failure.value)


def test_helper_insists_on_a_complete_table(roles):
    with pytest.raises(AssertionError, match="roles missing"):
        roles.assert_access(reverse("accounts:staff"), {"anonymous": 302})
    with pytest.raises(AssertionError, match="unknown roles"):
        roles.assert_access(reverse("accounts:staff"), {"janitor": 200}, default=200)


def test_personas_are_what_their_names_say(roles):
    assert roles.user("anonymous") is None
    assert roles.user("organisation_representative").representations.exists()
    assert roles.user("staff_grant_officer").staff_memberships.get().capability == "grant_officer"
    assert roles.user("site_admin").is_superuser
    assert not roles.user("resident").staff_memberships.exists()
