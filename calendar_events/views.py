"""Calendar pages: a workspace's dates, one event (also as .ics), editing, and the personal calendar with its feed."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import login_required
from lib.concurrency import apply_edit, failed_status
from lib.pagination import paginate
from workspaces.access import can_contribute, can_view, get_workspace_for_user

from . import actions, ical, personal
from . import month as month_view
from .access import get_event_for_user
from .forms import EventForm
from .models import CalendarFeed

FEED_PAST_DAYS = 90
FEED_FUTURE_DAYS = 400


def login_if_anonymous(view):
    """Anonymous visitors of pages they cannot reach go to the login, like the workspace page; others get 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if not request.user.is_authenticated and request.method == "GET":
                return redirect_to_login(request.get_full_path())
            raise

    return wrapped


def _viewable_workspace(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug)
    if not can_view(request.user, workspace):
        raise Http404
    return workspace


EVENTS_PER_PAGE = 50


@login_if_anonymous
@require_GET
def workspace_calendar(request, slug: str):
    workspace = _viewable_workspace(request, slug)
    now = timezone.now()
    show_past = request.GET.get("vergangen") == "1"
    events = workspace.events.all()
    if show_past:
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    page, query = paginate(request, events, EVENTS_PER_PAGE)
    context = {
        "workspace": workspace,
        "events": page.object_list,
        "page": page,
        "query": query,
        "show_past": show_past,
        "can_add": can_contribute(request.user, workspace),
    }
    return render(request, "calendar_events/workspace_calendar.html", context)


def _month_context(request) -> dict:
    return {"month": month_view.build_month(month_view.parse_month(request.GET.get("monat"), timezone.localdate()))}


@login_if_anonymous
@require_GET
def workspace_month(request, slug: str):
    """The workspace's dates as a month table (list on small screens); ``?monat=JJJJ-MM``."""
    workspace = _viewable_workspace(request, slug)
    context = _month_context(request)
    month = context["month"]
    events = workspace.events.filter(ends_at__gt=month.start, starts_at__lt=month.end).order_by("starts_at", "pk")
    month_view.place(month, events)
    return render(
        request,
        "calendar_events/workspace_month.html",
        {**context, "workspace": workspace, "can_add": can_contribute(request.user, workspace)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request, slug: str):
    workspace = _viewable_workspace(request, slug)
    if not can_contribute(request.user, workspace):
        raise Http404
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            event = actions.create_event(request.user, workspace, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Der Termin „%(title)s“ wurde eingetragen.") % {"title": event.title})
            return redirect(event)
    return render(request, "calendar_events/event_form.html", {"form": form, "workspace": workspace, "creating": True})


@login_if_anonymous
@require_GET
def event_detail(request, pk: int):
    event = get_event_for_user(request.user, pk)
    context = {"event": event, "workspace": event.workspace, "can_edit": can_contribute(request.user, event.workspace)}
    return render(request, "calendar_events/event_detail.html", context)


@login_if_anonymous
@require_GET
def event_ics(request, pk: int):
    event = get_event_for_user(request.user, pk)
    response = HttpResponse(ical.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(event.title)[:60] or "termin"}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = get_event_for_user(request.user, pk, write=True)
    form = EventForm(request.POST or None, instance=event, initial={"version": event.version})
    if request.method == "POST":

        def write(data):
            data = dict(data)
            actions.update_event(request.user, event, data.pop("version", None) or 0, **data)

        if apply_edit(form, write):
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            return redirect(event)
        fresh = get_event_for_user(request.user, pk, write=True)
        context = {"form": form, "workspace": fresh.workspace, "event": fresh, "creating": False}
        return render(request, "calendar_events/event_form.html", context, status=failed_status(form))
    context = {"form": form, "workspace": event.workspace, "event": event, "creating": False}
    return render(request, "calendar_events/event_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_delete(request, pk: int):
    event = get_event_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            actions.delete_event(request.user, event)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect(event)
        messages.success(request, _("Der Termin „%(title)s“ wurde gelöscht.") % {"title": event.title})
        return redirect("calendar_events:workspace", slug=event.workspace.slug)
    return render(request, "calendar_events/event_delete.html", {"event": event, "workspace": event.workspace})


# --- Personal calendar and feed -------------------------------------------------------------------


def _feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar_events:feed", args=[token]))


def _my_calendar_page(request, new_token: str | None = None):
    now = timezone.now()
    entries = personal.entries_for(request.user, now - dt.timedelta(hours=12), now + dt.timedelta(days=FEED_FUTURE_DAYS))
    context = {
        "entries": entries,
        "feed": CalendarFeed.objects.filter(user=request.user).first(),
        "new_feed_url": _feed_url(request, new_token) if new_token else None,
    }
    return render(request, "calendar_events/my_calendar.html", context)


@login_required
@require_GET
def my_calendar(request):
    return _my_calendar_page(request)


@login_required
@require_GET
def my_month(request):
    """The personal calendar as a month table (list on small screens); ``?monat=JJJJ-MM``."""
    context = _month_context(request)
    month = context["month"]
    month_view.place(month, personal.entries_for(request.user, month.start, month.end))
    return render(request, "calendar_events/my_month.html", context)


@login_required
@require_POST
def feed_create(request):
    """Answer with the page itself: the address is shown this once and never stored in clear (not even in the session)."""
    token = actions.create_feed(request.user)
    messages.success(request, _("Ihre neue Abonnement-Adresse ist bereit. Eine frühere Adresse funktioniert nicht mehr."))
    return _my_calendar_page(request, token)


@login_required
@require_POST
def feed_revoke(request):
    if actions.revoke_feed(request.user):
        messages.success(request, _("Die Abonnement-Adresse wurde widerrufen. Kalender-Apps erhalten keine Termine mehr."))
    else:
        messages.info(request, _("Sie hatten keine Abonnement-Adresse."))
    return redirect("calendar_events:mine")


@require_GET
def feed(request, token: str):
    """The secret feed: no login (calendar apps cannot log in); an unknown or revoked token answers 404."""
    subscription = actions.find_feed(token)
    if subscription is None:
        raise Http404
    now = timezone.now()
    entries = personal.entries_for(
        subscription.user, now - dt.timedelta(days=FEED_PAST_DAYS), now + dt.timedelta(days=FEED_FUTURE_DAYS)
    )
    body = ical.feed_ics(entries, name=_("Interkommunal – %(name)s") % {"name": subscription.user})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="interkommunal.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
