"""User accounts (login by e-mail) and invitations."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """An account. The person behind it (name, city, contact data) lives in members.Person."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    ical_token = models.CharField(max_length=64, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")

    def __str__(self) -> str:
        person = getattr(self, "person", None)
        if person is None and self.email.endswith("@geloescht.invalid"):
            return str(_("ehemaliges Mitglied"))  # an erased person's locked shell (privacy.erasure)
        return person.full_name if person else self.email

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        person = getattr(self, "person", None)
        return person.given_name if person else self.email


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """The managing office invites a person by e-mail; the link is valid for a limited time.

    Only a hash of the token is stored, so a database leak does not leak usable links.
    """

    email = models.EmailField(_("E-Mail-Adresse"))
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.TextField(_("persönliche Nachricht"), blank=True, max_length=2000)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return self.email

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @classmethod
    def find_open(cls, token: str) -> Invitation | None:
        return cls.objects.open().select_related("person").filter(token_hash=_hash_token(token)).first()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status_label(self) -> str:
        if self.accepted_at:
            return _("angenommen")
        if self.revoked_at:
            return _("zurückgezogen")
        if self.expires_at <= timezone.now():
            return _("abgelaufen")
        return _("offen")
