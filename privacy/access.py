"""Who may use the data-protection tools; one function per object type, 404 for missing and forbidden alike.

- everybody signed in with a person record asks for their own export and downloads it until it expires;
- the managing office (and platform admins) runs exports for anybody, erases people, reads the record of
  processing activities, the deletion log and the retention runs, and enters the archive's answers.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from accounts.roles import is_office
from members.models import Person

from .models import ArchiveOffer, DataExport


def manages_privacy(user) -> bool:
    return is_office(user)


def own_person(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def get_export_for_user(user, pk) -> DataExport:
    """A ready, unexpired export: the person's own (asked by themself), or any for the office."""
    export = DataExport.objects.select_related("person").filter(pk=pk, status=DataExport.Status.READY).first()
    if export is None or not user.is_authenticated or export.expires_at is None or export.expires_at <= timezone.now():
        raise Http404
    if manages_privacy(user):
        return export
    if export.person.user_id == user.pk and export.requested_by_id == user.pk:
        return export
    raise Http404


def get_person_for_office(user, pk) -> Person:
    if not manages_privacy(user):
        raise Http404
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def get_offer_for_office(user, pk) -> ArchiveOffer:
    if not manages_privacy(user):
        raise Http404
    offer = ArchiveOffer.objects.filter(pk=pk).first()
    if offer is None:
        raise Http404
    return offer
