"""People, the municipality's departments, staff capabilities and API tokens."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Residents need none for most things; volunteers, organisation
    representatives and staff have one. Signs in by e-mail."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Messages from the platform are written in this language."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("site administrator"),
        default=False,
        help_text=_("May sign in to the administration site."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


class Department(models.Model):
    """A förvaltning of the municipality."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name_sv"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_sv if (get_language() or "sv").startswith("sv") else self.name_en


class Capability(models.TextChoices):
    """What a staff member may do. Samverkansorganet = staff with FOLLOW_UP."""

    COORDINATOR = "coordinator", _("Volunteer coordinator")
    GRANT_OFFICER = "grant_officer", _("Grant officer")
    COACH = "coach", _("Idea coach")
    TRIAGE = "triage", _("Inquiry triage")
    REGISTER_OFFICER = "register_officer", _("Register officer")
    EDITOR = "editor", _("Editor")
    FOLLOW_UP = "follow_up", _("Follow-up (Samverkansorganet)")


class StaffMembership(models.Model):
    """One capability for one person in one department."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="staff_memberships", verbose_name=_("user")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="staff_memberships",
        verbose_name=_("department"),
    )
    capability = models.CharField(_("capability"), max_length=32, choices=Capability.choices)
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["department__name_sv", "capability"]
        verbose_name = _("staff capability")
        verbose_name_plural = _("staff capabilities")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "capability"], name="staff_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_capability_display()} ({self.department})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for an integration. Only its SHA-256 is stored; the token
    itself is shown once, when it is created."""

    PREFIX = "tsm_"

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("acts as")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
