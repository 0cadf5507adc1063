"""Everything that changes members data goes through here: views, admin, commands and tests alike.

Each action validates fully, writes atomically and records the change in the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.roles import forget_roles
from audit.actions import record, snapshot
from lib.concurrency import save_versioned

from .models import Membership, Municipality, Person


def _unique_slug(model, base: str, exclude_pk=None) -> str:
    base = slugify(base.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss"))[:70] or "eintrag"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_municipality(actor, **fields) -> Municipality:
    municipality = Municipality(**fields)
    if not municipality.slug:
        municipality.slug = _unique_slug(Municipality, municipality.short_name)
    municipality.full_clean()
    municipality.save()
    record(actor, "municipality.created", municipality, after=snapshot(municipality))
    return municipality


@transaction.atomic
def update_municipality(actor, municipality: Municipality, expected_version: int, **fields) -> Municipality:
    before = snapshot(Municipality.objects.get(pk=municipality.pk))
    for name, value in fields.items():
        setattr(municipality, name, value)
    municipality.full_clean()
    save_versioned(municipality, expected_version)
    record(actor, "municipality.changed", municipality, before=before, after=snapshot(municipality))
    return municipality


@transaction.atomic
def create_person(actor, **fields) -> Person:
    person = Person(**fields)
    person.full_clean()
    person.save()
    record(actor, "person.created", person, after=snapshot(person))
    return person


@transaction.atomic
def update_person(actor, person: Person, expected_version: int, **fields) -> Person:
    before = snapshot(Person.objects.get(pk=person.pk))
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    save_versioned(person, expected_version)
    after = snapshot(person)
    record(actor, "person.changed", person, before=before, after=after)
    person_changed(person.pk, named_differently=any(before.get(f) != after.get(f) for f in NAMING_FIELDS))
    return person


NAMING_FIELDS = ("title", "given_name", "family_name", "profile_visibility", "is_active")


def person_changed(person_id: int, *, named_differently: bool = True) -> None:
    """Who sees a person, or under which name, may have changed: the search entry and — when the name or
    who may see the profile changed — the stored public PDFs that name them follow in the same
    transaction (``save_versioned`` bypasses ``post_save``)."""
    from search.indexing import schedule

    schedule("person", person_id)
    if named_differently:
        from meetings.pdfs import refresh_for_person  # late: meetings builds on members

        refresh_for_person(person_id)


@transaction.atomic
def add_membership(actor, **fields) -> Membership:
    membership = Membership(**fields)
    if membership.municipality_id is None and membership.person_id:
        membership.municipality_id = Person.objects.get(pk=membership.person_id).municipality_id
    membership.full_clean()
    membership.save()
    record(actor, "membership.created", membership, after=snapshot(membership))
    if membership.person.user_id:
        forget_roles(membership.person.user)
    from workspaces.actions import sync_for_person  # late: workspaces builds on members

    transaction.on_commit(lambda: sync_for_person(membership.person_id), robust=True)
    return membership


@transaction.atomic
def end_membership(actor, membership: Membership, end_date: dt.date | None = None) -> Membership:
    """End a seat; the row stays as history. Deputies standing in for it end with it."""
    end_date = end_date or timezone.localdate()
    if membership.end_date and membership.end_date <= end_date:
        raise ValidationError({"end_date": "Diese Mitgliedschaft ist bereits beendet."})
    if end_date < membership.start_date:
        raise ValidationError({"end_date": "Das Ende darf nicht vor dem Beginn liegen."})
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    before = snapshot(locked)
    locked.end_date = end_date
    locked.save(update_fields=["end_date", "modified"])
    record(actor, "membership.ended", locked, before=before, after=snapshot(locked))
    for deputy in locked.deputies.filter(end_date__isnull=True):
        end_membership(actor, deputy, max(end_date, deputy.start_date))
    from workspaces.actions import sync_for_person  # late: workspaces builds on members

    transaction.on_commit(lambda: sync_for_person(locked.person_id), robust=True)
    return locked


@transaction.atomic
def set_platform_admin(actor, user, is_admin: bool) -> None:
    before = {"is_superuser": user.is_superuser, "is_staff": user.is_staff}
    user.is_superuser = is_admin
    user.is_staff = is_admin
    user.save(update_fields=["is_superuser", "is_staff"])
    forget_roles(user)
    record(
        actor,
        "role.platform_admin." + ("granted" if is_admin else "revoked"),
        user,
        before=before,
        after={"is_superuser": is_admin, "is_staff": is_admin},
    )
