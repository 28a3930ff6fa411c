"""Every write to accounts, roles and API tokens."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.accounts.models import ApiToken, Department, StaffMembership, User, hash_token
from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core import personal_data
from tillsammans.core.errors import DomainError

if TYPE_CHECKING:
    from django.http import HttpRequest


class AdminCannotSelfErase(DomainError):
    message = _(
        "Site administrators cannot erase their own account. Ask another administrator to "
        "remove your administrator rights first."
    )
    status_code = 403


class WrongPassword(DomainError):
    message = _("The password is not correct.")


def account_update(*, user: User, full_name: str, preferred_language: str) -> User:
    """Change a person's name and language (the language of their messages)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.full_name = full_name.strip()
        user.preferred_language = preferred_language
        user.full_clean(exclude=["password"])
        user.save(update_fields=["full_name", "preferred_language"])
    return user


def account_export(*, user: User, request: HttpRequest | None = None) -> str:
    """Everything the platform holds about ``user`` as JSON (GDPR art. 15/20).

    Asks every registered personal-data provider; logs the export."""
    data: dict[str, Any] = {
        "exported_at": timezone.now(),
        "format": "tillsammans-personal-data/1",
    }
    for provider in personal_data.providers():
        data[provider.key] = provider.export(user)
    audit_record(actor=user, action=AuditEntry.Action.EXPORT, target=user, request=request)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def account_erase(*, user: User, password: str, request: HttpRequest | None = None) -> None:
    """Erase a person's account and their personal data everywhere (GDPR art. 17).

    One transaction: every provider erases or anonymises its data, then the
    account row is deleted. Audit entries stay, without the link to the person.
    Site administrators cannot erase themselves (so nobody locks the
    municipality out by mistake)."""
    if user.is_superuser:
        raise AdminCannotSelfErase()
    if not user.check_password(password):
        raise WrongPassword()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        audit_record(
            actor=None,
            action=AuditEntry.Action.ERASE,
            target_type="accounts.user",
            target_id=str(user.uuid),
            target_label=f"account {user.uuid}",
            request=request,
        )
        for provider in personal_data.providers():
            provider.erase(user)
        user.delete()


def staff_membership_grant(
    *, actor: User | None, user: User, department: Department, capability: str
) -> StaffMembership:
    """Give ``user`` a capability in ``department`` (idempotent; audit-logged)."""
    with transaction.atomic():
        membership, created = StaffMembership.objects.get_or_create(
            user=user, department=department, capability=capability
        )
        if created:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.GRANT,
                target=user,
                details={"department": department.slug, "capability": capability},
            )
    return membership


def staff_membership_revoke(
    *, actor: User | None, user: User, department: Department, capability: str
) -> bool:
    """Take a capability away; returns whether there was one to take."""
    with transaction.atomic():
        deleted, _rows = StaffMembership.objects.filter(
            user=user, department=department, capability=capability
        ).delete()
        if deleted:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.REVOKE,
                target=user,
                details={"department": department.slug, "capability": capability},
            )
    return bool(deleted)


def api_token_create(
    *, actor: User | None, user: User, name: str, valid_days: int | None = 365
) -> tuple[ApiToken, str]:
    """Create a token acting as ``user``; returns the token and its key, which
    is shown this once and never stored."""
    raw = ApiToken.generate_key()
    with transaction.atomic():
        token = ApiToken(
            name=name,
            user=user,
            key_hash=hash_token(raw),
            key_hint=raw[:8],
            expires_at=timezone.now() + timedelta(days=valid_days) if valid_days else None,
        )
        token.full_clean()
        token.save()
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=token)
    return token, raw


def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action=AuditEntry.Action.REVOKE, target=token)
    return token


def api_token_authenticate(*, raw_key: str) -> User | None:
    """The active user a usable token acts as, or None. Records when the token
    was last used (at most once a minute, so reads stay cheap)."""
    if not raw_key.startswith(ApiToken.PREFIX) or len(raw_key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw_key)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
