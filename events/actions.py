"""Everything that changes events and registrations: views, the demo, the daily job, the benchmark and the
tests call these.

Places are given under a row lock on the event (``SELECT … FOR UPDATE``): every action that gives or frees a
place (register, promote, cancel, approve, return of contingents) first locks the event row, so two
registrations for the last place run one after the other and no place is given twice. A partial unique
index keeps one live registration per address and event even if two requests arrive at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record, snapshot
from documents.filetypes import RASTER_IMAGES
from lib.concurrency import save_versioned
from search.indexing import schedule
from workspaces.actions import add_member, create_workspace
from workspaces.models import Workspace

from . import notices
from .access import can_manage_event
from .models import (
    ACTIVE,
    HOLDS_PLACE,
    AccessibilityNeed,
    Contingent,
    Documentation,
    DocumentationItem,
    Event,
    Feedback,
    Question,
    Registration,
    Session,
    SessionChoice,
)

log = logging.getLogger(__name__)
Status = Registration.Status
NEED_FIELDS = ("wheelchair", "sign_language", "induction_loop", "dietary", "other")
EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "format",
    "venue_name",
    "venue_address",
    "venue_accessibility",
    "online_url",
    "mode",
    "capacity",
    "requires_approval",
    "registration_closes_at",
    "contingent_deadline",
    "offer_hours",
    "accessibility_retention_days",
    "retention_days",
    "min_sessions_for_certificate",
    "certificate_signatory",
    "is_published",
)


def duplicate_message() -> str:
    return _(
        "Mit dieser E-Mail-Adresse besteht bereits eine Anmeldung zu dieser Veranstaltung. "
        "Wir haben Ihnen den Link zu Ihrer Anmeldung per E-Mail geschickt; dort können Sie sie ansehen und ändern."
    )


def _refuse_unless_organiser(actor, event: Event) -> None:
    if not can_manage_event(actor, event):
        raise ValidationError(_("Nur die Organisation der Veranstaltung darf das."))


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("workspace").get(pk=event.pk)


def _audit(registration: Registration) -> dict:
    """What the audit log keeps of a registration: no needs, no answers (special-category and free text)."""
    return {"status": registration.status, "contingent": registration.contingent_id, "walk_in": registration.walk_in}


# --- Events ------------------------------------------------------------------------------------


@transaction.atomic
def create_event(actor, *, slug: str, organisers=(), sessions=(), questions=(), **fields) -> Event:
    """An event with its own workspace for the organisers (kind "event"); the creator manages both."""
    workspace = create_workspace(
        actor, name=fields["title"][:150], kind=Workspace.Kind.EVENT, description=_("Arbeitsbereich der Organisation")
    )
    event = Event(workspace=workspace, slug=slug, **fields)
    event.full_clean()
    event.save()
    for user in organisers:
        event.organisers.add(user)
        if user != actor and not workspace.members.filter(user=user).exists():
            add_member(None, workspace, user, role="editor")
    for session in sessions:
        Session.objects.create(event=event, **session)
    for position, (label, required) in enumerate(questions):
        Question.objects.create(event=event, label=label, required=required, position=position)
    record(actor, "event.created", event, after=snapshot(event))
    schedule("registration_event", event.pk)
    return event


@transaction.atomic
def update_event(actor, event: Event, expected_version: int, **fields) -> Event:
    """A versioned edit by an organiser; a larger capacity may move people up from the waiting list."""
    _refuse_unless_organiser(actor, event)
    before = snapshot(event)
    event = _lock(event)
    for name, value in fields.items():
        if name not in EVENT_FIELDS:
            raise ValueError(name)
        setattr(event, name, value)
    event.full_clean()
    save_versioned(event, expected_version, fields=list(fields))
    record(actor, "event.updated", event, before=before, after=snapshot(event))
    promote(event)
    schedule("registration_event", event.pk)
    documentation = Documentation.objects.filter(event=event).first()
    if documentation is not None:
        schedule("event_documentation", documentation.pk)  # unpublishing the programme hides it too
    return event


@transaction.atomic
def add_session(actor, event: Event, **fields) -> Session:
    _refuse_unless_organiser(actor, event)
    session = Session(event=event, **fields)
    session.full_clean()
    session.save()
    record(actor, "event.session.added", event, after={"session": session.pk, "title": session.title})
    schedule("registration_event", event.pk)
    return session


@transaction.atomic
def add_contingent(
    actor, event: Event, *, municipality, places: int, coordinator_name: str, coordinator_email: str
) -> Contingent:
    """Reserve places for a city; its coordinator gets the personal link by mail."""
    _refuse_unless_organiser(actor, event)
    event = _lock(event)
    if event.contingent_deadline is None or not event.contingents_open:
        raise ValidationError(_("Kontingente brauchen eine Benennungsfrist in der Zukunft."))
    free = places_of(event)["free"]
    if places > free:
        raise ValidationError({"places": _("Es sind nur noch %(n)s Plätze frei.") % {"n": free}})
    try:
        with transaction.atomic():
            contingent = Contingent.objects.create(
                event=event,
                municipality=municipality,
                places=places,
                coordinator_name=coordinator_name,
                coordinator_email=coordinator_email.strip().lower(),
            )
    except IntegrityError:
        raise ValidationError({"municipality": _("Für diese Stadt gibt es bereits ein Kontingent.")}) from None
    record(actor, "event.contingent.added", event, after={"city": municipality.short_name, "places": places})
    notices.contingent_opened(contingent)
    return contingent


# --- Places ------------------------------------------------------------------------------------


def _contingents_reserve(event: Event) -> bool:
    """Whether cities may still hold unused places (their contingents are not returned yet)."""
    return event.contingent_deadline is not None and event.unused_returned_at is None


def free_places(event: Event) -> int:
    """Free places in the general pool: one aggregate query (two while contingents reserve places)."""
    held = dict(
        event.registrations.filter(status__in=HOLDS_PLACE)
        .values_list("contingent_id")
        .annotate(n=Count("pk"))
        .values_list("contingent_id", "n")
    )
    reserved = 0
    if _contingents_reserve(event):
        reserved = sum(max(0, c.places - held.get(c.pk, 0)) for c in event.contingents.filter(returned_at__isnull=True))
    return max(0, event.capacity - sum(held.values()) - reserved)


def places_of(event: Event) -> dict[str, int]:
    """Capacity, places held, places still reserved for cities, free places and the waiting list, for pages."""
    held = event.registrations.filter(status__in=HOLDS_PLACE).count()
    free = free_places(event)
    return {
        "capacity": event.capacity,
        "held": held,
        "reserved": max(0, event.capacity - held - free),
        "free": free,
        "waiting": event.registrations.filter(status=Status.WAITING).count(),
    }


def _session_places(event: Event, session_ids: list[int]) -> list[Session]:
    """The chosen sessions, refusing ones that are full (only people holding a place count)."""
    chosen = list(event.sessions.filter(pk__in=session_ids, needs_choice=True))
    if len(chosen) != len(set(session_ids)):
        raise ValidationError({"sessions": _("Bitte wählen Sie nur Programmpunkte dieser Veranstaltung.")})
    full = []
    for session in chosen:
        if session.capacity is None:
            continue
        taken = SessionChoice.objects.filter(session=session, registration__status__in=HOLDS_PLACE).count()
        if taken >= session.capacity:
            full.append(session.title)
    if full:
        raise ValidationError(
            {"sessions": _("Ausgebucht: %(titles)s. Bitte wählen Sie einen anderen Programmpunkt.") % {"titles": ", ".join(full)}}
        )
    return chosen


def _check_answers(event: Event, answers: dict[str, str]) -> dict[str, str]:
    clean: dict[str, str] = {}
    errors = []
    for question in event.questions.all():
        value = (answers.get(str(question.pk)) or "").strip()[:2000]
        if question.required and not value:
            errors.append(_("Bitte beantworten Sie: %(q)s") % {"q": question.label})
        if value:
            clean[str(question.pk)] = value
    if errors:
        raise ValidationError(errors)
    return clean


def _check_needs(needs: dict | None, consent: bool) -> bool:
    """Whether needs are given; refused without the separate, explicit consent."""
    given = any(v for k, v in (needs or {}).items() if k in NEED_FIELDS)
    if given and not consent:
        raise ValidationError(
            {"needs_consent": _("Angaben zur Barrierefreiheit speichern wir nur mit Ihrer ausdrücklichen Einwilligung.")}
        )
    return given


def _save_needs(registration: Registration, needs: dict | None, consent: bool, *, fresh: bool = False) -> None:
    """Needs are kept only with the separate, explicit consent; without needs nothing is stored (and what was
    stored goes: removing the needs withdraws the consent)."""
    if not _check_needs(needs, consent):
        if not fresh:
            AccessibilityNeed.objects.filter(registration=registration).delete()
        return
    texts = ("dietary", "other")
    values = {k: (needs or {}).get(k) or ("" if k in texts else False) for k in NEED_FIELDS}
    AccessibilityNeed.objects.update_or_create(registration=registration, defaults={**values, "consent_at": timezone.now()})


@dataclass
class Placement:
    registration: Registration
    token: str


def register(
    event: Event,
    *,
    name: str,
    email: str,
    organisation: str = "",
    municipality=None,
    answers: dict[str, str] | None = None,
    session_ids: list[int] | None = None,
    photo: str = Registration.Photo.GROUP_ONLY,
    needs: dict | None = None,
    needs_consent: bool = False,
    contingent: Contingent | None = None,
    actor=None,
) -> Registration:
    """Register somebody: a place (or the office's approval) while places are free, else the waiting list.

    A second registration with the same address is refused with a clear message; the link to the existing
    registration goes to that address by mail (never shown on the page).
    """
    email = email.strip().lower()
    try:
        return _register(
            event,
            name=" ".join(name.split()),
            email=email,
            organisation=organisation.strip(),
            municipality=municipality,
            answers=answers or {},
            session_ids=session_ids or [],
            photo=photo,
            needs=needs,
            needs_consent=needs_consent,
            contingent=contingent,
            actor=actor,
        )
    except IntegrityError:
        pass  # the same address at the same moment: the partial unique index took the second one
    except _Duplicate:
        pass
    _tell_existing(event, email)
    raise ValidationError({"email": duplicate_message()})


class _Duplicate(Exception):
    pass


@transaction.atomic
def _tell_existing(event: Event, email: str) -> None:
    existing = event.registrations.filter(email=email, status__in=ACTIVE, anonymised=False).first()
    if existing is not None:
        notices.existing(existing)


@transaction.atomic
def _register(event: Event, *, email: str, contingent: Contingent | None, actor, **data) -> Registration:
    # Everything that needs no lock first: the lock on the event is held until the commit, so the work
    # under it is kept to the placement, the row, its audit entry and its mail.
    if event.registrations.filter(email=email, status__in=ACTIVE, anonymised=False).exists():
        raise _Duplicate
    registration = Registration(
        event=event,
        name=data["name"],
        email=email,
        organisation=data["organisation"],
        municipality=contingent.municipality if contingent else data["municipality"],
        contingent=contingent,
        answers=_check_answers(event, data["answers"]),
        photo=data["photo"],
        status=Status.WAITING,
    )
    registration.full_clean(
        exclude=["status", "event", "contingent", "municipality"], validate_unique=False, validate_constraints=False
    )
    _check_needs(data["needs"], data["needs_consent"])
    due = (
        _contingents_reserve(event)
        or event.registrations.filter(status=Status.OFFERED, offer_expires_at__lte=timezone.now()).exists()
    )
    event = _lock(event)
    registration.event = event
    if due:
        _housekeep_locked(event)
    if contingent is not None:
        contingent = Contingent.objects.select_for_update().get(pk=contingent.pk)
        if contingent.event_id != event.pk or contingent.returned_at is not None or not event.contingents_open:
            raise ValidationError(
                _("Die Frist für Benennungen ist abgelaufen; nicht genutzte Plätze sind an die allgemeine Anmeldung gegangen.")
            )
        used = contingent.registrations.filter(status__in=HOLDS_PLACE).count()
        if used >= contingent.places:
            raise ValidationError(
                _("Das Kontingent von %(city)s ist ausgeschöpft (%(n)s Plätze).")
                % {"city": contingent.municipality.short_name, "n": contingent.places}
            )
    elif actor is None and event.mode != Event.Mode.PUBLIC:
        raise ValidationError(_("Zu dieser Veranstaltung wird nur auf Einladung angemeldet."))
    if not event.registration_open:
        raise ValidationError(_("Die Anmeldung zu dieser Veranstaltung ist geschlossen."))
    _place(event, registration, data["session_ids"])
    _save_needs(registration, data["needs"], data["needs_consent"], fresh=True)
    record(actor, "event.registration.created", registration, after=_audit(registration))
    _tell(registration)
    return registration


def _place(event: Event, registration: Registration, session_ids: list[int]) -> None:
    """Give a place (the event row is locked by the caller) or put the person on the waiting list."""
    has_place = registration.contingent_id is not None or free_places(event) > 0
    sessions = (
        _session_places(event, session_ids) if has_place else list(event.sessions.filter(pk__in=session_ids, needs_choice=True))
    )
    if has_place:
        needs_approval = event.requires_approval and registration.contingent_id is None
        registration.status = Status.PENDING if needs_approval else Status.CONFIRMED
    else:
        registration.status = Status.WAITING
        registration.queued_at = timezone.now()
    new = registration._state.adding
    registration.save()
    if not new:
        SessionChoice.objects.filter(registration=registration).exclude(session__in=sessions).delete()
    for session in sessions:
        SessionChoice.objects.get_or_create(registration=registration, session=session)


def _tell(registration: Registration) -> None:
    if registration.status == Status.CONFIRMED:
        notices.confirmed(registration)
    else:
        notices.received(registration)


@transaction.atomic
def invite(actor, event: Event, *, name: str, email: str) -> Registration:
    """Invitation mode: the office invites a person, who registers through the personal link."""
    _refuse_unless_organiser(actor, event)
    event = _lock(event)
    email = email.strip().lower()
    if event.registrations.filter(email=email, status__in=ACTIVE, anonymised=False).exists():
        raise ValidationError({"email": _("Diese Person ist bereits eingeladen oder angemeldet.")})
    registration = Registration(event=event, name=" ".join(name.split()), email=email, status=Status.INVITED)
    registration.full_clean(exclude=["event"])
    registration.save()
    record(actor, "event.registration.invited", registration, after=_audit(registration))
    notices.invited(registration)
    return registration


@transaction.atomic
def accept_invitation(registration: Registration, **data) -> Registration:
    """The invited person registers: the same placement as a public registration."""
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.INVITED:
        raise ValidationError(_("Diese Einladung wurde bereits beantwortet."))
    if not event.registration_open:
        raise ValidationError(_("Die Anmeldung zu dieser Veranstaltung ist geschlossen."))
    registration.name = " ".join(data["name"].split()) or registration.name
    registration.organisation = data.get("organisation", "").strip()
    registration.municipality = data.get("municipality")
    registration.answers = _check_answers(event, data.get("answers") or {})
    registration.photo = data.get("photo", registration.photo)
    _place(event, registration, data.get("session_ids") or [])
    _save_needs(registration, data.get("needs"), data.get("needs_consent", False))
    record(None, "event.registration.accepted", registration, after=_audit(registration))
    _tell(registration)
    return registration


@transaction.atomic
def change_registration(registration: Registration, expected_version: int, **data) -> Registration:
    """The participant changes their details through their link (a versioned edit: nothing is overwritten)."""
    event = _lock(registration.event)
    if registration.status not in ACTIVE:
        raise ValidationError(_("Diese Anmeldung ist nicht mehr aktiv und lässt sich nicht ändern."))
    if event.is_past:
        raise ValidationError(_("Die Veranstaltung ist vorbei; die Anmeldung lässt sich nicht mehr ändern."))
    registration.name = " ".join(data["name"].split())
    registration.organisation = data.get("organisation", "").strip()
    registration.answers = _check_answers(event, data.get("answers") or {})
    registration.photo = data.get("photo", registration.photo)
    registration.full_clean(exclude=["event", "contingent", "municipality"])
    if "session_ids" in data and registration.holds_place:
        current = set(registration.session_choices.values_list("session_id", flat=True))
        new = set(data["session_ids"]) - current
        _session_places(event, list(new))
        registration.session_choices.exclude(session_id__in=data["session_ids"]).delete()
        for session_id in new:
            SessionChoice.objects.create(registration=registration, session_id=session_id)
    save_versioned(registration, expected_version, fields=["name", "organisation", "answers", "photo"])
    _save_needs(registration, data.get("needs"), data.get("needs_consent", False))
    record(None, "event.registration.changed", registration, after=_audit(registration))
    return registration


@transaction.atomic
def cancel(registration: Registration, *, actor=None) -> Registration:
    """The participant (or the coordinator who nominated them) cancels; the place goes to the waiting list."""
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in ACTIVE:
        return registration  # a second click on "stornieren" changes nothing
    registration.status = Status.CANCELLED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at", "modified"])
    record(actor, "event.registration.cancelled", registration, after=_audit(registration))
    notices.cancelled(registration)
    promote(event)
    return registration


@transaction.atomic
def decide(actor, registration: Registration, *, approve: bool, reason: str = "") -> Registration:
    """The office approves or rejects a registration that waits for approval."""
    event = _lock(registration.event)
    _refuse_unless_organiser(actor, event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.PENDING:
        raise ValidationError(_("Über diese Anmeldung ist bereits entschieden."))
    registration.status = Status.CONFIRMED if approve else Status.REJECTED
    registration.save(update_fields=["status", "modified"])
    record(
        actor,
        "event.registration.approved" if approve else "event.registration.rejected",
        registration,
        after=_audit(registration),
    )
    if approve:
        notices.confirmed(registration)
    else:
        notices.cancelled(registration, by_office=True, reason=reason.strip())
        promote(event)
    return registration


# --- The waiting list --------------------------------------------------------------------------


def promote(event: Event, now: dt.datetime | None = None) -> int:
    """Offer free places to the waiting list in order (the caller holds the event's lock). Returns the offers."""
    now = now or timezone.now()
    if event.ends_at <= now:
        return 0
    free = places_of(event)["free"]
    offered = 0
    queue = event.registrations.filter(status=Status.WAITING).order_by("queued_at", "pk")
    for registration in queue[:free] if free else []:
        registration.status = Status.OFFERED
        registration.offer_expires_at = now + dt.timedelta(hours=event.offer_hours)
        registration.save(update_fields=["status", "offer_expires_at", "modified"])
        # A session that filled up meanwhile is dropped from the choice; the person sees it on their page.
        for choice in registration.session_choices.select_related("session"):
            try:
                _session_places(event, [choice.session_id])
            except ValidationError:
                choice.delete()
        record(None, "event.registration.offered", registration, after=_audit(registration))
        notices.offered(registration)
        offered += 1
    return offered


@transaction.atomic
def accept_offer(registration: Registration) -> Registration:
    """The person confirms the offered place within the time; a late confirmation is refused."""
    event = _lock(registration.event)
    _housekeep_locked(event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Status.CONFIRMED:
        return registration
    if registration.status == Status.EXPIRED:
        raise ValidationError(_("Das Platzangebot ist abgelaufen; der Platz ist an die nächste Person gegangen."))
    if registration.status != Status.OFFERED:
        raise ValidationError(_("Für diese Anmeldung liegt kein Platzangebot vor."))
    registration.status = Status.CONFIRMED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at", "modified"])
    record(None, "event.registration.offer_accepted", registration, after=_audit(registration))
    notices.confirmed(registration)
    return registration


def _expire_offers_locked(event: Event, now: dt.datetime) -> int:
    expired = list(event.registrations.filter(status=Status.OFFERED, offer_expires_at__lte=now))
    for registration in expired:
        registration.status = Status.EXPIRED
        registration.save(update_fields=["status", "modified"])
        record(None, "event.registration.offer_expired", registration, after=_audit(registration))
        notices.offer_expired(registration)
    return len(expired)


def _return_contingents_locked(event: Event, now: dt.datetime) -> int:
    """After the cut-off, the places a city did not use go back to the pool (once per contingent)."""
    if not _contingents_reserve(event) or event.contingent_deadline > now:
        return 0
    event.unused_returned_at = now
    event.save(update_fields=["unused_returned_at", "modified"])
    returned = 0
    for contingent in event.contingents.filter(returned_at__isnull=True):
        used = contingent.registrations.filter(status__in=HOLDS_PLACE).count()
        contingent.returned_at = now
        contingent.returned_places = max(0, contingent.places - used)
        contingent.save(update_fields=["returned_at", "returned_places", "modified"])
        record(
            None,
            "event.contingent.returned",
            event,
            after={"city": contingent.municipality_id, "places": contingent.returned_places},
        )
        returned += contingent.returned_places
    return returned


def _housekeep_locked(event: Event, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    changed = _expire_offers_locked(event, now) + _return_contingents_locked(event, now)
    if changed:
        promote(event, now)


def move_queue(now: dt.datetime | None = None) -> dict[str, int]:
    """The scheduled step: expired offers pass on, unused contingent places return, the waiting list moves."""
    now = now or timezone.now()
    totals = {"expired": 0, "returned": 0, "offered": 0}
    due = Event.objects.filter(ends_at__gt=now).filter(
        Q(registrations__status=Status.OFFERED, registrations__offer_expires_at__lte=now)
        | Q(contingent_deadline__lte=now, unused_returned_at__isnull=True)
    )
    for pk in set(due.values_list("pk", flat=True)):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=pk)
            totals["expired"] += _expire_offers_locked(event, now)
            totals["returned"] += _return_contingents_locked(event, now)
            totals["offered"] += promote(event, now)
    return totals


@transaction.atomic
def housekeep(event: Event) -> None:
    """Run the scheduled step for one event now (pages call it so nobody waits for the daily job)."""
    _housekeep_locked(_lock(event))


# --- On the day ----------------------------------------------------------------------------------


@dataclass
class CheckIn:
    registration: Registration
    outcome: str  # "checked_in", "repeat" (the same request again) or "already" (the code was used before)


def check_in(actor, event: Event, code: str, *, request_id: str = "", session: Session | None = None) -> CheckIn:
    """Check a person in by the code of their badge or QR code, idempotently.

    The same request sent twice (a phone on a flaky connection) is harmless and answers as the first did;
    a code used before answers "already" with the time; a code of another event or an unknown one is refused.
    """
    _refuse_unless_organiser(actor, event)
    code = "".join(code.split()).upper()[:16]
    registration = Registration.objects.filter(code=code).select_related("event").first()
    if registration is None:
        raise ValidationError(_("Diesen Code kennen wir nicht. Bitte prüfen Sie die Eingabe."))
    if registration.event_id != event.pk:
        raise ValidationError(
            _("Dieser Code gehört zu einer anderen Veranstaltung („%(title)s“).") % {"title": registration.event.title}
        )
    if registration.status not in (Status.CONFIRMED, Status.PENDING):
        raise ValidationError(
            _("%(name)s hat keinen Platz (Status: %(status)s).")
            % {"name": registration.name, "status": registration.get_status_display()}
        )
    if session is not None and session.event_id != event.pk:
        raise ValidationError(_("Dieser Programmpunkt gehört nicht zu dieser Veranstaltung."))
    now = timezone.now()
    with transaction.atomic():
        first = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
            checked_in_at=now, checkin_request=request_id[:64], modified=now
        )
        attended = 0
        if session is not None:
            choice, _created = SessionChoice.objects.get_or_create(registration=registration, session=session)
            attended = SessionChoice.objects.filter(pk=choice.pk, attended_at__isnull=True).update(attended_at=now)
        registration.refresh_from_db()
        if first or attended:
            record(actor, "event.checked_in", registration, after={"session": session.pk if session else None})
            return CheckIn(registration, "checked_in")
    if request_id and registration.checkin_request == request_id:
        return CheckIn(registration, "repeat")
    return CheckIn(registration, "already")


@transaction.atomic
def walk_in(actor, event: Event, *, name: str, email: str = "", organisation: str = "", municipality=None) -> Registration:
    """Somebody comes without registration: registered and checked in at once (the office decides on the spot,
    so a walk-in may go beyond the capacity)."""
    _refuse_unless_organiser(actor, event)
    event = _lock(event)
    email = email.strip().lower()
    if email and event.registrations.filter(email=email, status__in=ACTIVE, anonymised=False).exists():
        raise ValidationError(
            {
                "email": _(
                    "Mit dieser E-Mail-Adresse besteht bereits eine Anmeldung; bitte checken Sie die Person über die Liste ein."
                )
            }
        )
    now = timezone.now()
    registration = Registration(
        event=event,
        name=" ".join(name.split()),
        email=email or f"vor-ort-{timezone.now().timestamp():.0f}@vor-ort.invalid",
        organisation=organisation.strip(),
        municipality=municipality,
        status=Status.CONFIRMED,
        walk_in=True,
        checked_in_at=now,
    )
    registration.full_clean(exclude=["event", "contingent", "municipality"])
    registration.save()
    record(actor, "event.registration.walk_in", registration, after=_audit(registration))
    return registration


# --- Afterwards -----------------------------------------------------------------------------------


def attended_sessions(registration: Registration) -> list[Session]:
    return [
        c.session
        for c in registration.session_choices.filter(attended_at__isnull=False)
        .select_related("session")
        .order_by("session__starts_at")
    ]


def certificate_allowed(registration: Registration) -> bool:
    """Only who was there: checked in, and where the event sets a rule, enough sessions that count."""
    if registration.checked_in_at is None or registration.anonymised:
        return False
    event = registration.event
    if event.min_sessions_for_certificate == 0:
        return True
    counted = registration.session_choices.filter(attended_at__isnull=False, session__counts_for_certificate=True).count()
    return counted >= event.min_sessions_for_certificate


@transaction.atomic
def give_feedback(registration: Registration, *, rating: int, comment: str = "") -> Feedback:
    if registration.event.starts_at > timezone.now():
        raise ValidationError(_("Rückmeldungen sind ab Beginn der Veranstaltung möglich."))
    if registration.checked_in_at is None:
        raise ValidationError(_("Rückmeldungen geben die Teilnehmenden, die dabei waren."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Bitte wählen Sie eine Bewertung von 1 bis 5.")})
    feedback, _created = Feedback.objects.update_or_create(
        registration=registration, defaults={"event": registration.event, "rating": rating, "comment": comment.strip()[:3000]}
    )
    return feedback


def delete_accessibility_data(now: dt.datetime | None = None) -> int:
    """Delete the accessibility needs of events that ended ``accessibility_retention_days`` ago (logged, audited)."""
    now = now or timezone.now()
    deleted = 0
    for event in Event.objects.filter(accessibility_deleted_at__isnull=True, ends_at__lt=now):
        if event.ends_at + dt.timedelta(days=event.accessibility_retention_days) > now:
            continue
        with transaction.atomic():
            count, _detail = AccessibilityNeed.objects.filter(registration__event=event).delete()
            event.accessibility_deleted_at = now
            event.save(update_fields=["accessibility_deleted_at", "modified"])
            record(None, "event.accessibility.deleted", event, after={"deleted": count})
        log.info("events: deleted %s accessibility records of event %s", count, event.pk)
        deleted += count
    return deleted


def delete_personal_data(now: dt.datetime | None = None) -> int:
    """The retention rule: ``retention_days`` after the event, names, addresses, answers and feedback links go;
    city, status and attendance stay for the yearly figures."""
    now = now or timezone.now()
    cleared = 0
    for event in Event.objects.filter(personal_data_deleted_at__isnull=True, ends_at__lt=now):
        if event.ends_at + dt.timedelta(days=event.retention_days) > now:
            continue
        with transaction.atomic():
            rows = list(event.registrations.filter(anonymised=False))
            AccessibilityNeed.objects.filter(registration__event=event).delete()
            Feedback.objects.filter(event=event).update(registration=None)
            for registration in rows:
                registration.name = _("gelöscht")
                registration.email = f"geloescht-{registration.pk}@geloescht.invalid"
                registration.organisation = ""
                registration.answers = {}
                registration.anonymised = True
                registration.save(update_fields=["name", "email", "organisation", "answers", "anonymised", "modified"])
            event.contingents.update(coordinator_name=_("gelöscht"), coordinator_email="geloescht@geloescht.invalid")
            event.personal_data_deleted_at = now
            event.save(update_fields=["personal_data_deleted_at", "modified"])
            record(None, "event.personal_data.deleted", event, after={"registrations": len(rows)})
        log.info("events: anonymised %s registrations of event %s", len(rows), event.pk)
        cleared += len(rows)
    return cleared


# --- Documentation after the event ----------------------------------------------------------------

PHOTO_KINDS = frozenset(RASTER_IMAGES.values())
Item = DocumentationItem


def _documentation_locked(actor, event: Event) -> Documentation:
    """The event's documentation (made on the first write), locked; organisers only."""
    _refuse_unless_organiser(actor, event)
    event = _lock(event)
    documentation, _created = Documentation.objects.get_or_create(event=event)
    documentation = Documentation.objects.select_for_update().get(pk=documentation.pk)
    documentation.event = event
    return documentation


def _documentation_state(documentation: Documentation) -> dict:
    return {
        "licence": documentation.licence,
        "attribution": documentation.attribution,
        "report_chars": len(documentation.report),
        "published": documentation.is_published,
    }


@transaction.atomic
def update_documentation(
    actor, event: Event, expected_version: int, *, report: str, licence: str, attribution: str = ""
) -> Documentation:
    """The report text, licence and attribution of the documentation (a versioned edit by an organiser)."""
    documentation = _documentation_locked(actor, event)
    before = _documentation_state(documentation)
    documentation.report = report.strip()
    documentation.licence = licence
    documentation.attribution = attribution.strip()
    documentation.full_clean(exclude=["event"])
    save_versioned(documentation, expected_version, fields=["report", "licence", "attribution"])
    record(actor, "event.documentation.updated", event, before=before, after=_documentation_state(documentation))
    schedule("event_documentation", documentation.pk)
    return documentation


def _is_uploader(actor, version) -> bool:
    return actor is not None and actor.is_authenticated and version.uploaded_by_id == actor.pk


@transaction.atomic
def add_documentation_item(
    actor,
    event: Event,
    *,
    document,
    kind: str,
    title: str = "",
    alt_text: str = "",
    credit: str = "",
    consent: str = "",
    release: bool = False,
) -> DocumentationItem:
    """Choose a document of the event's workspace for the documentation: its current version is pinned.

    A photo needs an image file, an alternative text and the organiser's confirmation of who can be seen
    (``consent``); it becomes public only once its uploader released it (``release`` here, when the organiser
    uploaded it themself, or later with :func:`release_photo`).
    """
    documentation = _documentation_locked(actor, event)
    if (
        document is None
        or document.workspace_id != documentation.event.workspace_id
        or document.is_trashed
        or document.current_id is None
    ):
        raise ValidationError({"document": _("Bitte wählen Sie ein Dokument aus dem Arbeitsbereich der Veranstaltung.")})
    version = document.current
    if kind not in Item.Kind.values:
        raise ValidationError({"kind": _("Bitte wählen Sie Präsentation oder Foto.")})
    item = Item(
        documentation=documentation,
        kind=kind,
        version=version,
        title=(title.strip() or document.title)[:200],
        alt_text=alt_text.strip(),
        credit=credit.strip(),
        position=documentation.items.count(),
    )
    if kind == Item.Kind.PHOTO:
        errors = {}
        if version.kind not in PHOTO_KINDS:
            errors["document"] = _("Als Foto eignen sich nur Bilder (PNG, JPEG, GIF oder WebP).")
        if not item.alt_text:
            errors["alt_text"] = _("Bitte beschreiben Sie in einem Alternativtext, was auf dem Foto zu sehen ist.")
        if consent not in Item.Consent.values:
            errors["consent"] = _("Bitte bestätigen Sie, wer auf dem Foto zu erkennen ist.")
        if release and not _is_uploader(actor, version):
            errors["release"] = _("Freigeben kann ein Foto nur, wer es hochgeladen hat.")
        if errors:
            raise ValidationError(errors)
        item.consent = consent
        item.consent_confirmed_by = actor
        if release:
            item.released_by = actor
            item.released_at = timezone.now()
    item.full_clean(exclude=["documentation", "version"], validate_constraints=False, validate_unique=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise ValidationError({"document": _("Diese Fassung ist bereits Teil der Dokumentation.")}) from None
    record(
        actor,
        "event.documentation.item_added",
        event,
        after={
            "item": item.pk,
            "kind": kind,
            "document": document.pk,
            "version": version.number,
            "consent": item.consent,
            "released": item.released_at is not None,
        },
    )
    schedule("event_documentation", documentation.pk)
    return item


@transaction.atomic
def release_photo(actor, item: DocumentationItem) -> DocumentationItem:
    """The uploader of a photo releases it for the public documentation (nobody else can)."""
    documentation = _documentation_locked(actor, item.documentation.event)
    item = Item.objects.select_for_update().select_related("version").get(pk=item.pk, documentation=documentation)
    if item.kind != Item.Kind.PHOTO:
        raise ValidationError(_("Nur Fotos werden freigegeben."))
    if not _is_uploader(actor, item.version):
        raise ValidationError(_("Freigeben kann ein Foto nur, wer es hochgeladen hat."))
    if item.released_at is None:
        item.released_by = actor
        item.released_at = timezone.now()
        item.save(update_fields=["released_by", "released_at", "modified"])
        record(actor, "event.documentation.photo_released", documentation.event, after={"item": item.pk})
        schedule("event_documentation", documentation.pk)
    return item


@transaction.atomic
def remove_documentation_item(actor, item: DocumentationItem) -> None:
    documentation = _documentation_locked(actor, item.documentation.event)
    gone = {"item": item.pk, "kind": item.kind, "title": item.title}
    Item.objects.filter(pk=item.pk, documentation=documentation).delete()
    record(actor, "event.documentation.item_removed", documentation.event, before=gone)
    schedule("event_documentation", documentation.pk)


@transaction.atomic
def publish_documentation(actor, event: Event, publish: bool) -> Documentation:
    """Publish the documentation on the public site after the event, or withdraw it (audited)."""
    documentation = _documentation_locked(actor, event)
    event = documentation.event
    if publish == documentation.is_published:
        return documentation
    if publish:
        if not event.is_past:
            raise ValidationError(_("Die Dokumentation erscheint nach der Veranstaltung."))
        if not event.is_published:
            raise ValidationError(_("Bitte veröffentlichen Sie zuerst das Programm der Veranstaltung."))
        ready = [item for item in documentation.items.all() if item.is_public_ready]
        if not documentation.report.strip() and not ready:
            raise ValidationError(_("Die Dokumentation ist noch leer: bitte einen Bericht schreiben oder Dateien auswählen."))
        documentation.published_at = timezone.now()
    else:
        documentation.published_at = None
    documentation.save(update_fields=["published_at", "modified"])
    record(
        actor,
        "event.documentation.published" if publish else "event.documentation.unpublished",
        event,
        after=_documentation_state(documentation),
    )
    schedule("event_documentation", documentation.pk)
    return documentation
