"""Every role on the platform, and a check of one URL against all of them.

Later capabilities assert their whole permission table in one test::

    def test_permissions(roles):
        roles.assert_access(reverse("grants:list"), {
            "anonymous": 302, "resident": 403, ..., "site_admin": 200,
        })

Add or refine a persona by replacing its builder in ``PERSONAS``. The
volunteer has an active, confirmed Volunteer profile linked to the account.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from tests.factories import DepartmentFactory, StaffMembershipFactory, UserFactory
from tests.volunteering.factories import VolunteerFactory
from tillsammans.accounts.models import Capability, User
from tillsammans.organizations.models import Organization, Representative

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _with_totp(user: User) -> User:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TEST_TOTP_SECRET)
    return user


def resident() -> User:
    return UserFactory(email="resident@example.se", full_name="Ingrid Invånare", verified=True)


def volunteer() -> User:
    """An account with an active volunteer profile whose e-mail is confirmed."""
    user = UserFactory(email="volunteer@example.se", full_name="Omar Volontär", verified=True)
    VolunteerFactory(user=user, email=user.email, full_name=user.full_name)
    return user


def organisation_representative() -> User:
    user = UserFactory(email="rep@example.se", full_name="Sara Föreningsdotter", verified=True)
    organization, _created = Organization.objects.get_or_create(
        slug="pro-test", defaults={"name": "PRO Test"}
    )
    Representative.objects.get_or_create(
        organization=organization, user=user, defaults={"role": Representative.Role.ADMIN}
    )
    return user


def staff(capability: str) -> Callable[[], User]:
    def build() -> User:
        user = UserFactory(email=f"{capability}@kommun.example.se", verified=True)
        StaffMembershipFactory(
            user=user,
            department=DepartmentFactory(slug="socialforvaltningen"),
            capability=capability,
        )
        return _with_totp(user)

    return build


def site_admin() -> User:
    user = UserFactory(email="admin@kommun.example.se", verified=True)
    User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    user.refresh_from_db()
    return _with_totp(user)


PERSONAS: dict[str, Callable[[], User | None]] = {
    "anonymous": lambda: None,
    "resident": resident,
    "volunteer": volunteer,
    "organisation_representative": organisation_representative,
    **{f"staff_{capability}": staff(capability) for capability in Capability.values},
    "site_admin": site_admin,
}
ROLES = list(PERSONAS)
STAFF_ROLES = [f"staff_{capability}" for capability in Capability.values]


class RoleClients:
    def __init__(self):
        self._users: dict[str, User | None] = {}

    def user(self, role: str) -> User | None:
        if role not in self._users:
            self._users[role] = PERSONAS[role]()
        return self._users[role]

    def client(self, role: str) -> Client:
        client = Client()
        user = self.user(role)
        if user is not None:
            client.force_login(user)
        return client

    def assert_access(
        self,
        url: str,
        expected: dict[str, int],
        *,
        method: str = "get",
        data: dict | None = None,
        default: int | None = None,
    ) -> None:
        """Request ``url`` as every role and compare the status codes with
        ``expected``. Every role must be named unless ``default`` is given;
        all mismatches are reported together."""
        unknown = set(expected) - set(ROLES)
        assert not unknown, f"unknown roles in the table: {sorted(unknown)}"
        missing = [role for role in ROLES if role not in expected]
        assert default is not None or not missing, f"roles missing from the table: {missing}"
        mismatches = []
        for role in ROLES:
            want = expected.get(role, default)
            response = getattr(self.client(role), method)(url, data or {})
            if response.status_code != want:
                mismatches.append(f"{role}: expected {want}, got {response.status_code}")
        assert not mismatches, f"{method.upper()} {url}\n" + "\n".join(mismatches)
