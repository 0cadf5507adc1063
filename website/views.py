"""The public website: start page, content pages, member cities, accessibility feedback."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import office_required
from lib.concurrency import apply_edit, failed_status
from lib.fragments import cached_fragment
from members.models import Body, Membership, Municipality

from . import actions
from .forms import AccessibilityFeedbackForm, FeedbackAnswerForm, FeedbackStatusForm, PageForm
from .models import AccessibilityFeedback, Page

FEEDBACK_PAGE = "barrierefreiheit"


def _page_or_404(slug: str) -> Page:
    page = Page.objects.filter(slug=slug).first()
    if page is None:
        raise Http404
    return page


def start(request):
    # The content is the same for every visitor and changes only with these tables (lib/fragments.py).
    content = cached_fragment("start", [Municipality, Body, Page], "website/_start_content.html", _start_context)
    return render(request, "website/start.html", {"content": content})


def _start_context() -> dict:
    municipalities = list(Municipality.objects.active(timezone.localdate()).order_by("join_date", "short_name"))
    return {
        "page": Page.objects.filter(slug="start").first(),
        "municipalities": municipalities,
        "bodies": list(Body.objects.order_by("name")),
        "founding_year": min((m.join_date.year for m in municipalities), default=None),
    }


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
    if request.method == "POST":

        def write(data):
            data = dict(data)
            actions.update_page(request.user, page, data.pop("version"), **data)

        if apply_edit(form, write):
            messages.success(request, _("Die Seite wurde gespeichert."))
            return redirect("website:page", slug=slug)
        return render(request, "website/page_edit.html", {"page": page, "form": form}, status=failed_status(form))
    return render(request, "website/page_edit.html", {"page": page, "form": form})


FEEDBACK_FILTERS = {
    "offen": AccessibilityFeedback.OPEN_STATUSES,
    "alle": AccessibilityFeedback.Status.values,
}


@office_required
def feedback_list(request):
    """Open feedback first by deadline (the office must answer within six weeks); ``?anzeigen=alle`` for all."""
    show = request.GET.get("anzeigen", "offen")
    if show not in FEEDBACK_FILTERS:
        show = "offen"
    items = AccessibilityFeedback.objects.filter(status__in=FEEDBACK_FILTERS[show])
    items = items.order_by("due_on", "pk") if show == "offen" else items.order_by("-created")
    return render(request, "website/feedback_list.html", {"items": items[:200], "show": show, "today": timezone.localdate()})


def _feedback_or_404(pk) -> AccessibilityFeedback:
    feedback = AccessibilityFeedback.objects.select_related("answered_by__person").filter(pk=pk).first()
    if feedback is None:
        raise Http404
    return feedback


def _feedback_page(request, feedback, *, status: int = 200, answer_form=None, status_form=None):
    return render(
        request,
        "website/feedback_detail.html",
        {
            "feedback": feedback,
            "answer_form": answer_form or FeedbackAnswerForm(initial={"version": feedback.version}, prefix="antwort"),
            "status_form": status_form
            or FeedbackStatusForm(initial={"version": feedback.version, "status": feedback.status}, prefix="status"),
        },
        status=status,
    )


@office_required
def feedback_detail(request, pk: int):
    return _feedback_page(request, _feedback_or_404(pk))


@office_required
@require_POST
def feedback_answer(request, pk: int):
    feedback = _feedback_or_404(pk)
    form = FeedbackAnswerForm(request.POST, prefix="antwort")
    if apply_edit(form, lambda data: actions.answer_feedback(request.user, feedback, data["version"], data["answer"])):
        messages.success(
            request, _("Die Antwort wird an %(email)s gesendet; die Rückmeldung ist beantwortet.") % {"email": feedback.email}
        )
        return redirect(feedback)
    return _feedback_page(request, _feedback_or_404(pk), status=failed_status(form), answer_form=form)


@office_required
@require_POST
def feedback_status(request, pk: int):
    feedback = _feedback_or_404(pk)
    form = FeedbackStatusForm(request.POST, prefix="status")
    if apply_edit(form, lambda data: actions.set_feedback_status(request.user, feedback, data["version"], data["status"])):
        messages.success(request, _("Der Status ist jetzt „%(status)s“.") % {"status": feedback.get_status_display()})
        return redirect(feedback)
    return _feedback_page(request, _feedback_or_404(pk), status=failed_status(form), status_form=form)


def municipalities(request):
    content = cached_fragment("municipalities", [Municipality], "website/_municipalities_content.html", _municipalities_context)
    return render(request, "website/municipalities.html", {"content": content})


def _municipalities_context() -> dict:
    today = timezone.localdate()
    return {
        "current": list(Municipality.objects.active(today).order_by("join_date", "short_name")),
        "upcoming": list(Municipality.objects.filter(join_date__gt=today, left_on__isnull=True).order_by("join_date")),
        "former": list(Municipality.objects.filter(status=Municipality.Status.LEFT).order_by("short_name")),
    }


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
