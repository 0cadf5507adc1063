"""Event pages: the public programme with registration, the participant's and the coordinator's personal
pages, and the organisers' pages (registrations, programme, contingents, check-in, PDFs)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import login_required
from calendar_events import ical
from calendar_events.views import login_if_anonymous
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form, add_to_messages

from . import actions, links, pdfs
from .access import (
    can_manage_event,
    can_see_needs,
    events_managed_by,
    get_contingent_by_link,
    get_documentation_for_user,
    get_documentation_item_for_user,
    get_event_for_user,
    get_registration_by_link,
    get_registration_for_user,
    published_events,
)
from .forms import (
    CheckInForm,
    ContingentForm,
    DocumentationForm,
    DocumentationItemForm,
    EventForm,
    FeedbackForm,
    PersonForm,
    RegistrationForm,
    SessionForm,
)
from .models import HOLDS_PLACE, AccessibilityNeed, Documentation, DocumentationItem, Event, Registration, Session

Status = Registration.Status
RESERVED_SLUGS = {"verwaltung", "anmeldung", "kontingent"}


def _private(response: HttpResponse) -> HttpResponse:
    """Pages behind a personal link: not for search engines, not for shared caches."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = (
        "same-origin"  # no link in referrers to other sites; "no-referrer" would send Origin: null and fail CSRF
    )
    return response


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Public -------------------------------------------------------------------------------------


@require_GET
def event_list(request):
    """Coming events first (soonest on top, with the registration state), then past ones (newest on top),
    linked to their documentation where it is published."""
    from django.utils import formats, timezone

    from website.cards import Card

    now = timezone.now()
    events = published_events().select_related("documentation").order_by("starts_at")
    upcoming, past = [], []
    for event in events:
        meta = [event.location] if event.location else []
        if event.ends_at > now:
            if event.registration_open and event.mode == Event.Mode.PUBLIC:
                closes = formats.date_format(timezone.localtime(event.registration_closes_at), "SHORT_DATE_FORMAT")
                meta.append(_("Anmeldung bis %(date)s") % {"date": closes})
            elif event.registration_open:
                meta.append(_("Teilnahme auf Einladung"))
            else:
                meta.append(_("Anmeldung geschlossen"))
            upcoming.append(
                Card(event.title, event.get_absolute_url(), event.get_kind_display(), date=event.starts_at, meta=tuple(meta))
            )
            continue
        documentation = getattr(event, "documentation", None)
        if documentation is not None and documentation.is_published:
            meta.append(_("Dokumentation mit Bericht, Präsentationen und Fotos"))
            url = documentation.get_absolute_url()
        else:
            url = event.get_absolute_url()
        past.append(Card(event.title, url, event.get_kind_display(), date=event.starts_at, meta=tuple(meta)))
    past.reverse()
    return render(request, "events/list.html", {"upcoming": upcoming, "past": past})


@require_http_methods(["GET", "POST"])
def event_public(request, slug: str):
    """The programme page; registration where it is public and open."""
    event = get_event_for_user(request.user, slug)
    form = None
    if event.mode == Event.Mode.PUBLIC and event.registration_open:
        form = RegistrationForm(request.POST or None, event=event)
        if request.method == "POST" and form.is_valid():
            data = form.action_data()
            try:
                registration = actions.register(
                    event, email=form.cleaned_data["email"], municipality=form.cleaned_data.get("municipality"), **data
                )
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _status_message(registration))
                return _private(redirect("events:registration", token=links.registration_token(registration)))
    elif request.method == "POST":
        raise Http404
    context = {
        "event": event,
        "sessions": event.sessions.all(),
        "form": form,
        "places": actions.places_of(event),
        "can_manage": can_manage_event(request.user, event),
        "documentation": Documentation.objects.filter(event=event, published_at__isnull=False).first(),
    }
    return render(request, "events/public.html", context, status=400 if form is not None and form.errors else 200)


def _status_message(registration: Registration) -> str:
    return {
        Status.CONFIRMED: _("Sie sind angemeldet. Die Bestätigung mit dem Termin für Ihren Kalender kommt per E-Mail."),
        Status.PENDING: _("Ihre Anmeldung ist eingegangen; die Geschäftsstelle bestätigt sie per E-Mail."),
        Status.WAITING: _(
            "Die Veranstaltung ist ausgebucht. Sie stehen auf der Warteliste; wird ein Platz frei, bieten wir ihn Ihnen per E-Mail an."
        ),
    }.get(registration.status, _("Ihre Angaben sind gespeichert."))


# --- The participant's personal link ----------------------------------------------------------


def _needs_initial(registration: Registration) -> dict:
    need = AccessibilityNeed.objects.filter(registration=registration).first()
    if need is None:
        return {}
    return {f: getattr(need, f) for f in actions.NEED_FIELDS} | {"needs_consent": True}


def _registration_context(registration: Registration, form, token: str) -> dict:
    event = registration.event
    waiting_position = None
    if registration.status == Status.WAITING:
        waiting_position = (
            event.registrations.filter(status=Status.WAITING)
            .filter(Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk))
            .count()
            + 1
        )
    return {
        "event": event,
        "r": registration,
        "token": token,
        "form": form,
        "sessions": [c.session for c in registration.session_choices.select_related("session")],
        "waiting_position": waiting_position,
        "certificate": actions.certificate_allowed(registration),
        "feedback_form": FeedbackForm() if registration.checked_in_at and not hasattr(registration, "feedback") else None,
        "qr": pdfs.qr_svg(registration.code) if registration.holds_place and not event.is_past else "",
    }


@require_http_methods(["GET", "POST"])
def registration_page(request, token: str):
    """See, change (versioned) or — for an invitation — complete one's own registration."""
    registration = get_registration_by_link(token)
    event = registration.event
    if request.method == "GET":
        actions.housekeep(event)
        registration.refresh_from_db()
    invited = registration.status == Status.INVITED
    initial = {
        "name": registration.name,
        "organisation": registration.organisation,
        "municipality": registration.municipality_id,
        "photo": registration.photo,
        "sessions": list(registration.session_choices.values_list("session_id", flat=True)),
        "version": registration.version,
        **{f"q_{k}": v for k, v in registration.answers.items()},
        **_needs_initial(registration),
    }
    editable = registration.is_active and not event.is_past
    form = (
        RegistrationForm(request.POST or None, event=event, with_email=False, with_city=invited, initial=initial)
        if editable
        else None
    )
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if invited:
            if form.is_valid():
                try:
                    actions.accept_invitation(
                        registration, municipality=form.cleaned_data.get("municipality"), **form.action_data()
                    )
                except ValidationError as exc:
                    add_to_form(form, exc)
                else:
                    registration.refresh_from_db()
                    messages.success(request, _status_message(registration))
                    return _private(redirect("events:registration", token=token))
            status = 400
        else:
            done = apply_edit(
                form, lambda data: actions.change_registration(registration, data["version"] or 0, **form.action_data())
            )
            if done:
                messages.success(request, _("Ihre Änderungen sind gespeichert."))
                return _private(redirect("events:registration", token=token))
            status = failed_status(form)
    return _private(render(request, "events/registration.html", _registration_context(registration, form, token), status=status))


@require_POST
def registration_cancel(request, token: str):
    registration = get_registration_by_link(token)
    actions.cancel(registration)
    messages.success(request, _("Ihre Anmeldung ist storniert. Ihr Platz geht an die nächste Person auf der Warteliste."))
    return _private(redirect("events:registration", token=token))


@require_POST
def registration_accept(request, token: str):
    registration = get_registration_by_link(token)
    actions.housekeep(registration.event)
    try:
        actions.accept_offer(registration)
    except ValidationError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(request, _("Sie haben den Platz angenommen. Die Bestätigung kommt per E-Mail."))
    return _private(redirect("events:registration", token=token))


@require_POST
def registration_feedback(request, token: str):
    registration = get_registration_by_link(token)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            actions.give_feedback(registration, **form.cleaned_data)
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(request, _("Vielen Dank für Ihre Rückmeldung."))
    else:
        messages.error(request, _("Bitte wählen Sie eine Bewertung."))
    return _private(redirect("events:registration", token=token))


@require_GET
def registration_certificate(request, token: str):
    registration = get_registration_by_link(token)
    if not actions.certificate_allowed(registration):
        raise Http404
    return _private(_pdf(pdfs.certificate_pdf(registration), f"teilnahmebescheinigung-{registration.event.slug}.pdf"))


@require_GET
def registration_ics(request, token: str):
    registration = get_registration_by_link(token)
    if not registration.holds_place:
        raise Http404
    response = HttpResponse(ical.event_ics(registration.event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{registration.event.slug}.ics"'
    return _private(response)


# --- The city coordinator's personal link -----------------------------------------------------


@require_http_methods(["GET", "POST"])
def contingent_page(request, token: str):
    contingent = get_contingent_by_link(token)
    event = contingent.event
    if request.method == "GET":
        actions.housekeep(event)
        contingent.refresh_from_db()
    form = PersonForm(request.POST or None) if event.contingents_open and contingent.returned_at is None else None
    status = 200
    if request.method == "POST":
        if form is None:
            messages.error(
                request,
                _("Die Frist für Benennungen ist abgelaufen; nicht genutzte Plätze sind an die allgemeine Anmeldung gegangen."),
            )
            return _private(redirect("events:contingent", token=token))
        if form.is_valid():
            try:
                registration = actions.register(
                    event,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    organisation=form.cleaned_data["organisation"],
                    contingent=contingent,
                )
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(
                    request, _("%(name)s ist angemeldet und erhält die Bestätigung per E-Mail.") % {"name": registration.name}
                )
                return _private(redirect("events:contingent", token=token))
        status = 400
    nominees = contingent.registrations.order_by("created", "pk")
    used = sum(1 for r in nominees if r.holds_place)
    context = {"contingent": contingent, "event": event, "form": form, "nominees": nominees, "used": used, "token": token}
    return _private(render(request, "events/contingent.html", context, status=status))


@require_POST
def contingent_cancel(request, token: str, pk: int):
    contingent = get_contingent_by_link(token)
    registration = contingent.registrations.filter(pk=pk).first()
    if registration is None:
        raise Http404
    actions.cancel(registration)
    messages.success(request, _("Die Anmeldung von %(name)s ist storniert.") % {"name": registration.name})
    return _private(redirect("events:contingent", token=token))


# --- Organisers ---------------------------------------------------------------------------------


@login_required
@require_GET
def manage_list(request):
    events = events_managed_by(request.user).order_by("-starts_at")
    if not _can_create(request.user) and not events.exists():
        raise Http404
    return render(request, "events/manage_list.html", {"events": events, "can_create": _can_create(request.user)})


def _can_create(user) -> bool:
    from accounts.roles import is_office

    return is_office(user)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    if not _can_create(request.user):
        raise Http404
    form = EventForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "slug")}
        if form.cleaned_data["slug"] in RESERVED_SLUGS:
            form.add_error("slug", _("Dieses Kürzel ist für Seiten der Plattform reserviert."))
        else:
            try:
                event = actions.create_event(request.user, slug=form.cleaned_data["slug"], organisers=[request.user], **data)
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Die Veranstaltung ist angelegt."))
                return redirect(event.get_manage_url())
    return render(request, "events/event_form.html", {"form": form, "creating": True}, status=400 if form.errors else 200)


@login_if_anonymous
@require_GET
def manage(request, slug: str):
    event = get_event_for_user(request.user, slug, manage=True)
    actions.housekeep(event)
    registrations = event.registrations.select_related("municipality", "contingent").order_by(
        "status", "queued_at", "created", "pk"
    )
    needs = AccessibilityNeed.objects.filter(registration__event=event, registration__status__in=HOLDS_PLACE)
    aggregates = needs.aggregate(
        wheelchair=Count("pk", filter=Q(wheelchair=True)),
        sign_language=Count("pk", filter=Q(sign_language=True)),
        induction_loop=Count("pk", filter=Q(induction_loop=True)),
        dietary=Count("pk", filter=~Q(dietary="")),
    )
    feedback = event.feedback.aggregate(n=Count("pk"))
    context = {
        "event": event,
        "registrations": registrations,
        "places": actions.places_of(event),
        "contingents": event.contingents.select_related("municipality").annotate(
            used=Count("registrations", filter=Q(registrations__status__in=HOLDS_PLACE))
        ),
        "aggregates": aggregates,
        "can_see_needs": can_see_needs(request.user, event),
        "contingent_form": ContingentForm(),
        "invite_form": PersonForm() if event.mode == Event.Mode.INVITATION else None,
        "feedback": feedback,
        "feedback_items": event.feedback.order_by("-created")[:20],
    }
    return render(request, "events/manage.html", context)


@login_if_anonymous
@require_http_methods(["GET", "POST"])
def event_edit(request, slug: str):
    event = get_event_for_user(request.user, slug, manage=True)
    form = EventForm(request.POST or None, instance=event, initial={"version": event.version})
    if request.method == "POST":
        fields = [f for f in form.fields if f != "version"]
        if apply_edit(
            form,
            lambda data: actions.update_event(request.user, event, data["version"] or 0, **{f: data[f] for f in fields}),
        ):
            messages.success(request, _("Die Veranstaltung ist gespeichert."))
            return redirect(event.get_manage_url())
        return render(request, "events/event_form.html", {"form": form, "event": event}, status=failed_status(form))
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_if_anonymous
@require_http_methods(["GET", "POST"])
def session_add(request, slug: str):
    event = get_event_for_user(request.user, slug, manage=True)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_session(request.user, event, **form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Der Programmpunkt ist eingetragen."))
            return redirect("events:session_add", slug=event.slug)
    context = {"event": event, "form": form, "sessions": event.sessions.all()}
    return render(request, "events/sessions.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def contingent_add(request, slug: str):
    event = get_event_for_user(request.user, slug, manage=True)
    form = ContingentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_contingent(request.user, event, **form.cleaned_data)
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(request, _("Das Kontingent ist angelegt; die Koordination erhält ihren Link per E-Mail."))
    else:
        messages.error(request, _("Bitte füllen Sie alle Angaben zum Kontingent aus."))
    return redirect(event.get_manage_url())


@login_required
@require_POST
def invite(request, slug: str):
    event = get_event_for_user(request.user, slug, manage=True)
    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            actions.invite(request.user, event, name=form.cleaned_data["name"], email=form.cleaned_data["email"])
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(request, _("Die Einladung mit dem persönlichen Link ist unterwegs."))
    else:
        messages.error(request, _("Bitte geben Sie Name und E-Mail-Adresse an."))
    return redirect(event.get_manage_url())


@login_required
@require_POST
def decide(request, slug: str, pk: int):
    event = get_event_for_user(request.user, slug, manage=True)
    registration = get_registration_for_user(request.user, event, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        actions.decide(request.user, registration, approve=approve, reason=request.POST.get("reason", "")[:1000])
    except ValidationError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(request, _("Die Anmeldung ist bestätigt.") if approve else _("Die Anmeldung ist abgelehnt."))
    return redirect(event.get_manage_url())


@login_if_anonymous
@require_GET
def needs_detail(request, slug: str):
    """The individual needs, for the named organisers only."""
    event = get_event_for_user(request.user, slug, needs=True)
    needs = (
        AccessibilityNeed.objects.filter(registration__event=event, registration__status__in=HOLDS_PLACE)
        .select_related("registration")
        .order_by("registration__name")
    )
    return render(request, "events/needs.html", {"event": event, "needs": needs})


@login_if_anonymous
@require_http_methods(["GET", "POST"])
def checkin(request, slug: str):
    """Check-in on a phone: by the QR code (it opens this page with the code) or by ticking the list."""
    event = get_event_for_user(request.user, slug, manage=True)
    session = None
    session_id = request.POST.get("session") or request.GET.get("sitzung")
    if session_id and str(session_id).isdigit():
        session = Session.objects.filter(pk=int(session_id), event=event).first()
    result = None
    status = 200
    form = CheckInForm(
        request.POST or None, initial={"code": request.GET.get("code", ""), "request_id": uuid.uuid4().hex, "session": session_id}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                result = actions.check_in(
                    request.user, event, form.cleaned_data["code"], request_id=form.cleaned_data["request_id"], session=session
                )
            except ValidationError as exc:
                add_to_form(form, exc)
                status = 400
        else:
            status = 400
        if result is not None:
            form = CheckInForm(initial={"request_id": uuid.uuid4().hex, "session": session_id})
    people = event.registrations.filter(status__in=(Status.CONFIRMED, Status.PENDING)).select_related("municipality")
    if session is not None:
        people = people.annotate(
            session_attended=Count(
                "session_choices", filter=Q(session_choices__session=session, session_choices__attended_at__isnull=False)
            )
        )
    context = {
        "event": event,
        "form": form,
        "result": result,
        "people": people.order_by("name", "pk"),
        "session": session,
        "sessions": event.sessions.all(),
        "walk_in_form": PersonForm(email_required=False),
        "new_request_id": uuid.uuid4().hex,
        "checked_in": people.filter(checked_in_at__isnull=False).count(),
    }
    return render(request, "events/checkin.html", context, status=status)


@login_required
@require_POST
def walk_in(request, slug: str):
    event = get_event_for_user(request.user, slug, manage=True)
    form = PersonForm(request.POST, email_required=False)
    if form.is_valid():
        try:
            registration = actions.walk_in(request.user, event, **form.cleaned_data)
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(request, _("%(name)s ist vor Ort angemeldet und eingecheckt.") % {"name": registration.name})
    else:
        messages.error(request, _("Bitte geben Sie mindestens den Namen an."))
    return redirect(reverse("events:checkin", args=[event.slug]))


@login_if_anonymous
@require_GET
def badges(request, slug: str):
    event = get_event_for_user(request.user, slug, manage=True)
    return _pdf(pdfs.badges_pdf(event), f"namensschilder-{event.slug}.pdf")


@login_if_anonymous
@require_GET
def signatures(request, slug: str):
    event = get_event_for_user(request.user, slug, manage=True)
    return _pdf(pdfs.signature_list_pdf(event), f"unterschriftenliste-{event.slug}.pdf")


# --- Documentation after the event ----------------------------------------------------------------


@require_GET
def documentation(request, slug: str):
    """The public page of a past event's documentation: report, presentations and released photos, licence."""
    documentation = get_documentation_for_user(request.user, slug)
    event = documentation.event
    can_manage = can_manage_event(request.user, event)
    items = documentation.items.select_related("version").filter(version__document__trashed_at__isnull=True)
    visible = [i for i in items if i.is_public_ready]
    context = {
        "event": event,
        "documentation": documentation,
        "presentations": [i for i in visible if i.kind == DocumentationItem.Kind.PRESENTATION],
        "photos": [i for i in visible if i.kind == DocumentationItem.Kind.PHOTO],
        "sessions": event.sessions.all(),
        "can_manage": can_manage,
    }
    return render(request, "events/documentation.html", context)


@require_GET
def documentation_file(request, slug: str, pk: int):
    item = get_documentation_item_for_user(request.user, slug, pk)
    from documents.views import _serve  # the documents app's one way to hand out a stored file

    return _serve(item.version)


def _documentation_context(request, documentation, form=None, item_form=None) -> dict:
    event = documentation.event
    items = list(documentation.items.select_related("version__uploaded_by__person")) if documentation.pk else []
    photo_prefs = dict(
        event.registrations.filter(status__in=HOLDS_PLACE, anonymised=False)
        .values_list("photo")
        .annotate(n=Count("pk"))
        .values_list("photo", "n")
    )
    return {
        "event": event,
        "documentation": documentation,
        "form": form
        or DocumentationForm(
            initial={
                "version": documentation.version,
                "report": documentation.report,
                "licence": documentation.licence,
                "attribution": documentation.attribution,
            }
        ),
        "item_form": item_form or DocumentationItemForm(event=event),
        "items": items,
        "photo_prefs": [(label, photo_prefs.get(value, 0)) for value, label in Registration.Photo.choices],
        "no_photos": event.registrations.filter(status__in=HOLDS_PLACE, anonymised=False, photo=Registration.Photo.NONE).order_by(
            "name"
        ),
    }


@login_if_anonymous
@require_http_methods(["GET", "POST"])
def documentation_manage(request, slug: str):
    documentation = get_documentation_for_user(request.user, slug, manage=True)
    event = documentation.event
    if request.method == "POST":
        form = DocumentationForm(request.POST)
        if apply_edit(
            form,
            lambda data: actions.update_documentation(
                request.user,
                event,
                data["version"] or 0,
                report=data["report"],
                licence=data["licence"],
                attribution=data["attribution"],
            ),
        ):
            messages.success(request, _("Die Dokumentation ist gespeichert."))
            return redirect("events:documentation_manage", slug=event.slug)
        context = _documentation_context(request, documentation, form=form)
        return render(request, "events/documentation_manage.html", context, status=failed_status(form))
    return render(request, "events/documentation_manage.html", _documentation_context(request, documentation))


@login_required
@require_POST
def documentation_item_add(request, slug: str):
    documentation = get_documentation_for_user(request.user, slug, manage=True)
    event = documentation.event
    form = DocumentationItemForm(request.POST, event=event)
    if form.is_valid():
        try:
            actions.add_documentation_item(request.user, event, **form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Die Datei ist Teil der Dokumentation."))
            return redirect("events:documentation_manage", slug=event.slug)
    context = _documentation_context(request, documentation, item_form=form)
    return render(request, "events/documentation_manage.html", context, status=400)


def _item_for_organiser(request, slug: str, pk: int) -> DocumentationItem:
    documentation = get_documentation_for_user(request.user, slug, manage=True)
    item = (
        documentation.items.filter(pk=pk).select_related("documentation__event", "version").first() if documentation.pk else None
    )
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def documentation_item_release(request, slug: str, pk: int):
    item = _item_for_organiser(request, slug, pk)
    try:
        actions.release_photo(request.user, item)
    except ValidationError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(request, _("Das Foto ist freigegeben."))
    return redirect("events:documentation_manage", slug=slug)


@login_required
@require_POST
def documentation_item_remove(request, slug: str, pk: int):
    item = _item_for_organiser(request, slug, pk)
    actions.remove_documentation_item(request.user, item)
    messages.success(request, _("Die Datei ist nicht mehr Teil der Dokumentation."))
    return redirect("events:documentation_manage", slug=slug)


@login_required
@require_POST
def documentation_publish(request, slug: str):
    documentation = get_documentation_for_user(request.user, slug, manage=True)
    publish = request.POST.get("public") == "1"
    try:
        actions.publish_documentation(request.user, documentation.event, publish)
    except ValidationError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(
            request,
            _("Die Dokumentation ist veröffentlicht.") if publish else _("Die Dokumentation ist nicht mehr öffentlich."),
        )
    return redirect("events:documentation_manage", slug=slug)
