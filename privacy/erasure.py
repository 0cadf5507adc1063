"""Erasing a person (Art. 17 GDPR), driven by the registry's ``erasure`` policy of each model.

- Rows that only serve the person (settings, links, copies of mails, sign-in data) are deleted.
- What they wrote in shared spaces stays and is shown as "ehemaliges Mitglied": the account row
  remains as an empty, locked shell (no e-mail address, no password, no name) so posts, comments
  and decisions keep their author link without saying who it was. Where the office decides so
  (``remove_content``), that content is deleted instead.
- The public record of the bodies (seats, replies, attendance, objections, minutes) and the
  append-only audit log are kept, with the reason; the person row then keeps only the name the
  record needs and loses every contact detail.

Each erasure writes a :class:`~privacy.models.DeletionLogEntry` (model labels and ids, no data) and
appends it to the log file outside the database, from which a restore replays it.
"""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from members.models import Person, Visibility

from .collect import linked, stored_files, subject_filter
from .models import DataExport, DeletionLogEntry
from .registry import Erasure

log = logging.getLogger(__name__)

ERASED_EMAIL_DOMAIN = "geloescht.invalid"


def _split_fields(model: type[models.Model], names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    many = tuple(n for n in names if model._meta.get_field(n).many_to_many)
    return tuple(n for n in names if n not in many), many


def _unlink_many(model, meta, person: Person, deleted: list) -> None:
    """Take the person (or their account) out of many-to-many links such as a task's assignees."""
    _fk_person, m2m_person = _split_fields(model, meta.person_fields)
    _fk_user, m2m_user = _split_fields(model, meta.user_fields)
    for name in m2m_person:
        for obj in model._default_manager.filter(**{name: person}):
            getattr(obj, name).remove(person)
            deleted.append([f"{model._meta.label}.{name}", obj.pk])
    if person.user_id:
        for name in m2m_user:
            for obj in model._default_manager.filter(**{name: person.user_id}):
                getattr(obj, name).remove(person.user_id)
                deleted.append([f"{model._meta.label}.{name}", obj.pk])


def erase(person: Person, *, remove_content: bool = False) -> tuple[list, list]:
    """Erase ``person`` inside the caller's transaction; returns (deleted, kept) as [label, id(, reason)] lists."""
    deleted: list = []
    kept: list = []
    for export in DataExport.objects.filter(person=person):
        if export.file:
            default_storage.delete(export.file)
    user = person.user
    if user is not None:
        from allauth.usersessions.models import UserSession

        Session.objects.filter(session_key__in=UserSession.objects.filter(user=user).values("session_key")).delete()
    for model, meta, _rows in list(linked(person)):
        if meta.erasure in (Erasure.SUBJECT, Erasure.NONE):
            continue
        if meta.erasure == Erasure.KEEP:
            condition = subject_filter(meta, person)
            for pk in model._default_manager.filter(condition).distinct().values_list("pk", flat=True):
                kept.append([model._meta.label, pk, meta.keep_reason])
            continue
        _unlink_many(model, meta, person, deleted)
        condition = subject_filter(meta, person, skip=meta.trace_fields)
        if condition is None:
            continue
        rows = model._default_manager.filter(condition)
        remove = meta.erasure == Erasure.DELETE or (meta.erasure == Erasure.AUTHORED and remove_content)
        if remove:
            for obj in rows.distinct():
                for _name, fieldfile in stored_files(obj):
                    transaction.on_commit(lambda name=fieldfile.name, storage=fieldfile.storage: storage.delete(name))
                deleted.append([model._meta.label, obj.pk])
                obj.delete()
    if kept:
        _pseudonymise(person)
        kept.append([Person._meta.label, person.pk, "nur der Name bleibt, weil die öffentliche Aufzeichnung ihn nennt"])
    else:
        deleted.append([Person._meta.label, person.pk])
        Person.objects.filter(pk=person.pk).delete()
    if user is not None:
        _lock_shell_account(user)
        kept.append([user._meta.label, user.pk, "leeres, gesperrtes Konto: Beiträge erscheinen als „ehemaliges Mitglied“"])
    return deleted, kept


def _pseudonymise(person: Person) -> None:
    Person.objects.filter(pk=person.pk).update(
        user=None,
        salutation="",
        pronouns="",
        department="",
        function="",
        email="",
        phone="",
        mobile="",
        profile_visibility=Visibility.OFFICE,
        email_visibility=Visibility.OFFICE,
        phone_visibility=Visibility.OFFICE,
        is_active=False,
        modified=timezone.now(),
    )


def _lock_shell_account(user) -> None:
    user.email = f"ehemaliges-mitglied-{secrets.token_hex(8)}@{ERASED_EMAIL_DOMAIN}"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.ical_token = ""
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def is_erased_account(user) -> bool:
    return bool(user is not None and getattr(user, "email", "").endswith("@" + ERASED_EMAIL_DOMAIN))


def append_to_log_file(entry: DeletionLogEntry) -> None:
    """Append the entry to the log file beside the backups (see ``PRIVACY_DELETION_LOG``)."""
    path = Path(settings.PRIVACY_DELETION_LOG)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(log_line(entry), ensure_ascii=False) + "\n")
    except OSError:
        log.exception("privacy: deletion log entry %s could not be written to %s", entry.pk, path)


def log_line(entry: DeletionLogEntry) -> dict:
    return {
        "at": entry.at.isoformat(),
        "kind": entry.kind,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "options": entry.options,
        "deleted": entry.deleted,
    }


def read_log_file(path: str | Path | None = None) -> list[dict]:
    path = Path(path or settings.PRIVACY_DELETION_LOG)
    if not path.exists():
        return []
    entries = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                entries.append(json.loads(line))
    return entries
