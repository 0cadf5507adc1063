"""The public website: start page, content pages, member cities, accessibility feedback."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import office_required
from lib.concurrency import CONFLICT_MESSAGE, EditConflict
from members.models import Body, Cooperation, Membership, Municipality

from . import actions
from .forms import AccessibilityFeedbackForm, PageForm
from .models import AccessibilityFeedback, Page

FEEDBACK_PAGE = "barrierefreiheit"


def _page_or_404(slug: str) -> Page:
    page = Page.objects.filter(slug=slug).first()
    if page is None:
        raise Http404
    return page


def start(request):
    today = timezone.localdate()
    municipalities = list(Municipality.objects.active(today).order_by("join_date", "short_name"))
    bodies = list(Body.objects.order_by("name"))
    return render(
        request,
        "website/start.html",
        {
            "page": Page.objects.filter(slug="start").first(),
            "cooperation": Cooperation.objects.select_related("managing_municipality").first(),
            "municipalities": municipalities,
            "bodies": bodies,
            "founding_year": min((m.join_date.year for m in municipalities), default=None),
        },
    )


@require_http_methods(["GET", "POST"])
def page(request, slug: str):
    page = _page_or_404(slug)
    form = None
    if slug == FEEDBACK_PAGE:
        form = AccessibilityFeedbackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            if not data.pop("website"):
                actions.submit_accessibility_feedback(**data)
            messages.success(
                request,
                _(
                    "Vielen Dank! Ihre Rückmeldung ist bei der Geschäftsführung eingegangen. Wir antworten innerhalb von sechs Wochen."
                ),
            )
            return redirect(request.path + "#barriere-melden")
    elif request.method == "POST":
        return render(request, "website/page.html", {"page": page}, status=405)
    return render(request, "website/page.html", {"page": page, "feedback_form": form})


@office_required
@require_http_methods(["GET", "POST"])
def page_edit(request, slug: str):
    page = _page_or_404(slug)
    form = PageForm(request.POST or None, instance=page, initial={"version": page.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            actions.update_page(request.user, page, version, **data)
        except EditConflict:
            form.add_error(None, CONFLICT_MESSAGE)
        else:
            messages.success(request, _("Die Seite wurde gespeichert."))
            return redirect("website:page", slug=slug)
    return render(request, "website/page_edit.html", {"page": page, "form": form})


@office_required
def feedback_list(request):
    items = AccessibilityFeedback.objects.all()[:200]
    return render(request, "website/feedback_list.html", {"items": items})


def municipalities(request):
    today = timezone.localdate()
    return render(
        request,
        "website/municipalities.html",
        {
            "current": list(Municipality.objects.active(today).order_by("join_date", "short_name")),
            "upcoming": list(Municipality.objects.filter(join_date__gt=today, left_on__isnull=True).order_by("join_date")),
            "former": list(Municipality.objects.filter(status=Municipality.Status.LEFT).order_by("short_name")),
        },
    )


def municipality(request, slug: str):
    city = Municipality.objects.filter(slug=slug).first()
    if city is None:
        raise Http404
    public_contacts = (
        Membership.objects.current()
        .filter(municipality=city, person__profile_visibility="public", person__is_active=True)
        .select_related("person", "body")
        .order_by("body__name", "person__family_name")
    )
    return render(
        request,
        "website/municipality.html",
        {
            "city": city,
            "public_contacts": public_contacts,
            "population": list(city.population_figures.order_by("-reference_date")),
        },
    )


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
