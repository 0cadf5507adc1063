"""Invitations and account lifecycle."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record
from members.models import Person

from .models import Invitation, User
from .tasks import send_invitation_mail


@transaction.atomic
def invite_person(actor, person: Person, *, email: str | None = None, message: str = "") -> tuple[Invitation, str]:
    """Create an invitation and queue its mail. Returns the invitation and the clear token (for the mail only)."""
    email = (email or person.email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Für die Einladung wird eine E-Mail-Adresse benötigt.")})
    if person.user_id:
        raise ValidationError(_("%(name)s hat bereits ein Konto.") % {"name": person.full_name})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Zu dieser E-Mail-Adresse gibt es bereits ein Konto.")})
    if Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True).exists():
        # An expired but unrevoked invitation is replaced; an open one is a duplicate.
        if Invitation.objects.open().filter(email__iexact=email).exists():
            raise ValidationError({"email": _("An diese Adresse wurde bereits eine Einladung verschickt, die noch gültig ist.")})
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    token, token_hash = Invitation.new_token()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email,
                person=person,
                invited_by=actor,
                message=message,
                token_hash=token_hash,
                expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_VALID_DAYS),
            )
    except IntegrityError:
        raise ValidationError(
            {"email": _("An diese Adresse wurde bereits eine Einladung verschickt, die noch gültig ist.")}
        ) from None
    record(actor, "invitation.sent", invitation, after={"email": email, "person": person.pk})
    transaction.on_commit(lambda: send_invitation_mail.enqueue(invitation.pk, token))
    return invitation, token


@transaction.atomic
def revoke_invitation(actor, invitation: Invitation) -> None:
    if not invitation.is_open:
        raise ValidationError(_("Diese Einladung ist nicht mehr offen."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(actor, "invitation.revoked", invitation, after={"email": invitation.email})


@transaction.atomic
def accept_invitation(invitation: Invitation, password: str) -> User:
    """The invitee sets a password; the account is created, linked to the person, and its address is verified."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ValidationError(_("Diese Einladung ist nicht mehr gültig."))
    person = Person.objects.select_for_update().get(pk=locked.person_id)
    if person.user_id:
        raise ValidationError(_("Für diese Person gibt es bereits ein Konto."))
    user = User.objects.create_user(email=locked.email, password=password)
    EmailAddress.objects.create(user=user, email=locked.email, primary=True, verified=True)
    person.user = user
    if not person.email:
        person.email = locked.email
    person.save(update_fields=["user", "email", "modified"])
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    record(user, "invitation.accepted", locked, after={"email": locked.email, "user": user.pk})
    from workspaces.actions import sync_for_person  # late: workspaces builds on accounts

    transaction.on_commit(lambda: sync_for_person(person.pk), robust=True)
    return user


def end_all_sessions(user, *, keep_session_key: str | None = None) -> int:
    """Log out everywhere: delete every session of ``user`` except, optionally, the current one."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        if keep_session_key and user_session.session_key == keep_session_key:
            continue
        Session.objects.filter(session_key=user_session.session_key).delete()
        user_session.delete()
        ended += 1
    record(user, "account.sessions_ended", user, after={"count": ended})
    return ended
