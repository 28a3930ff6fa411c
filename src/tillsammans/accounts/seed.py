"""Departments and one demo login for every role, for seed_demo."""

from dataclasses import dataclass
from typing import TextIO

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from tillsammans.accounts.models import Capability, Department, StaffMembership, User

DEMO_PASSWORD = "tillsammans-demo"  # noqa: S105 - documented demo login, refused in production
# Every demo staff account shares this authenticator secret (base32), so a
# tester can add it to an authenticator app once; `manage.py demo_totp` prints
# the current code instead.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

DEPARTMENTS = [
    ("kommunstyrelseforvaltningen", "Kommunstyrelseförvaltningen", "Municipal executive office"),
    ("socialforvaltningen", "Socialförvaltningen", "Social services"),
    (
        "barn-och-utbildningsforvaltningen",
        "Barn- och utbildningsförvaltningen",
        "Children and education",
    ),
    ("kultur-och-fritidsforvaltningen", "Kultur- och fritidsförvaltningen", "Culture and leisure"),
    (
        "miljo-och-stadsbyggnadsforvaltningen",
        "Miljö- och stadsbyggnadsförvaltningen",
        "Environment and urban planning",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str
    department: str = ""
    capability: str = ""
    superuser: bool = False


DEMO_LOGINS = [
    DemoLogin("resident", "ingrid@demo.example", "Ingrid Invånare"),
    DemoLogin("volunteer", "omar@demo.example", "Omar Volontär"),
    DemoLogin("organisation representative", "sara@demo.example", "Sara Föreningsdotter"),
    DemoLogin(
        "coordinator",
        "karin@demo.example",
        "Karin Samordnare",
        "socialforvaltningen",
        Capability.COORDINATOR,
    ),
    DemoLogin(
        "grant officer",
        "anna@demo.example",
        "Anna Handläggare",
        "kultur-och-fritidsforvaltningen",
        Capability.GRANT_OFFICER,
    ),
    DemoLogin(
        "idea coach",
        "johan@demo.example",
        "Johan Idécoach",
        "kommunstyrelseforvaltningen",
        Capability.COACH,
    ),
    DemoLogin(
        "inquiry triage",
        "leila@demo.example",
        "Leila Lots",
        "kommunstyrelseforvaltningen",
        Capability.TRIAGE,
    ),
    DemoLogin(
        "register officer",
        "erik@demo.example",
        "Erik Registrator",
        "kultur-och-fritidsforvaltningen",
        Capability.REGISTER_OFFICER,
    ),
    DemoLogin(
        "editor",
        "maria@demo.example",
        "Maria Redaktör",
        "kommunstyrelseforvaltningen",
        Capability.EDITOR,
    ),
    DemoLogin(
        "follow-up (Samverkansorganet)",
        "lars@demo.example",
        "Lars Uppföljare",
        "miljo-och-stadsbyggnadsforvaltningen",
        Capability.FOLLOW_UP,
    ),
    DemoLogin("site admin", "admin@demo.example", "Alva Administratör", superuser=True),
]


def demo_user(login: DemoLogin) -> User:
    user = User.objects.filter(email=login.email).first()
    if user is None:
        user = User.objects.create_user(login.email, DEMO_PASSWORD, full_name=login.name)
    EmailAddress.objects.update_or_create(
        user=user, email=login.email, defaults={"verified": True, "primary": True}
    )
    return user


def build_municipality(stdout: TextIO) -> None:
    with transaction.atomic():
        departments = {}
        for slug, sv, en in DEPARTMENTS:
            departments[slug], _created = Department.objects.update_or_create(
                slug=slug, defaults={"name_sv": sv, "name_en": en}
            )
        for login in DEMO_LOGINS:
            user = demo_user(login)
            if login.capability:
                StaffMembership.objects.get_or_create(
                    user=user, department=departments[login.department], capability=login.capability
                )
            if login.superuser and not user.is_superuser:
                User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
            if (login.capability or login.superuser) and not Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
    stdout.write(
        f"  municipality: {len(DEPARTMENTS)} departments, {len(DEMO_LOGINS)} demo logins\n"
    )


def demo_totp_code(secret: str = DEMO_TOTP_SECRET) -> str:
    """The code an authenticator app would show right now for ``secret``."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
