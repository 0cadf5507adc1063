"""Evidence links: addresses of the platform's own pages, resolved to the objects and checked with each
object type's access function, so a rater links only what they may see.

Accepted (path, or a full address of this platform):
* a document: ``/dokumente/<id>/``
* a meeting: ``/sitzungen/<id>/``
* a decision: ``/sitzungen/<id>/#beschluss-<decision id>`` (a decision of that meeting)
* a survey wave: ``/monitoring/ergebnisse/<round>/<city>/`` (released) or ``/monitoring/runden/<round>/<city>/``
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .models import Evidence

MAX_LINKS = 10
DECISION_FRAGMENT = re.compile(r"^beschluss-(\d{1,12})$")


@dataclass(frozen=True)
class Link:
    kind: str
    object_id: int
    url: str
    label: str


def _document(user, pk, fragment) -> Link:
    from documents.access import get_document_for_user

    document = get_document_for_user(user, pk)
    return Link(Evidence.Kind.DOCUMENT, document.pk, f"/dokumente/{document.pk}/", document.title)


def _meeting(user, pk, fragment) -> Link:
    from meetings.access import decisions_visible_to, get_meeting_for_user

    meeting = get_meeting_for_user(user, pk)
    label = f"{meeting.body.short_name or meeting.body.name}, {meeting.start:%d.%m.%Y}"
    if not fragment:
        return Link(Evidence.Kind.MEETING, meeting.pk, f"/sitzungen/{meeting.pk}/", label)
    match = DECISION_FRAGMENT.match(fragment)
    decision = match and decisions_visible_to(user).filter(pk=int(match.group(1)), agenda_item__meeting=meeting).first()
    if not decision:
        raise Http404
    return Link(
        Evidence.Kind.DECISION,
        decision.pk,
        f"/sitzungen/{meeting.pk}/#beschluss-{decision.pk}",
        f"{label}: {Truncator(decision.text).chars(120)}",
    )


def _wave(scope) -> Link:
    wave = scope.waves[0]
    return Link(
        Evidence.Kind.WAVE,
        wave.pk,
        f"/monitoring/ergebnisse/{scope.round.slug}/{wave.municipality.slug}/",
        f"{scope.round} – {wave.municipality}",
    )


def _public_wave(user, round_slug, city_slug, fragment) -> Link:
    from monitoring.access import public_scope

    return _wave(public_scope(round_slug, city_slug))


def _city_wave(user, round_slug, city_slug, fragment) -> Link:
    from monitoring.access import city_scope

    link = _wave(city_scope(user, round_slug, city_slug))
    return Link(link.kind, link.object_id, f"/monitoring/runden/{round_slug}/{city_slug}/", link.label)


RESOLVERS = {
    "documents:detail": lambda user, kw, fragment: _document(user, kw["pk"], fragment),
    "meetings:detail": lambda user, kw, fragment: _meeting(user, kw["pk"], fragment),
    "monitoring:public_city": lambda user, kw, fragment: _public_wave(user, kw["round_slug"], kw["city_slug"], fragment),
    "monitoring:city": lambda user, kw, fragment: _city_wave(user, kw["round_slug"], kw["city_slug"], fragment),
}


def resolve_link(user, address: str) -> Link:
    """The object behind ``address``; ValidationError (one message for unknown and not visible alike)."""
    refused = ValidationError(
        _("„%(address)s“ ist kein Dokument, keine Sitzung, kein Beschluss und keine Befragungswelle, die Sie sehen können.")
        % {"address": Truncator(address).chars(80)}
    )
    parts = urlsplit(address.strip())
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        raise refused from None
    resolver = RESOLVERS.get(match.view_name)
    if resolver is None:
        raise refused
    try:
        return resolver(user, match.kwargs, parts.fragment)
    except Http404:
        raise refused from None


def parse_links(user, text: str) -> list[Link]:
    addresses = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(addresses) > MAX_LINKS:
        raise ValidationError(_("Bitte geben Sie höchstens %(n)d Belege an.") % {"n": MAX_LINKS})
    links, errors = [], []
    for address in addresses:
        try:
            link = resolve_link(user, address)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if link not in links:
            links.append(link)
    if errors:
        raise ValidationError(errors)
    return links
