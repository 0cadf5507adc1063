from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import login_required, member_required, office_required
from accounts.roles import is_office
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form

from . import actions, results, summary
from .access import (
    get_checklist_for_office,
    get_item_for_office,
    get_released_round,
    get_round_for_user,
    rater_city,
    sees_all_cities,
    takes_part,
    visible_city_ids,
)
from .consolidation import disagreement, min_raters
from .forms import AgendaForm, FollowUpForm, ItemForm, OpenRoundForm, SheetForm
from .models import Checklist, Round


@member_required
def index(request):
    """Every member reaches the page from the navigation; the rounds are listed for those who take part."""
    checklists = list(Checklist.objects.prefetch_related("rounds").order_by("pk")) if takes_part(request.user) else []
    return render(
        request,
        "selfcheck/index.html",
        {"checklists": checklists, "city": rater_city(request.user), "is_manager": is_office(request.user)},
    )


def _sheet_page(request, selfcheck_round, form, status=200):
    return render(
        request,
        "selfcheck/round.html",
        {
            "round": selfcheck_round,
            "form": form,
            "city": rater_city(request.user),
            "earlier": results.previous_follow_ups(selfcheck_round),
            "is_manager": is_office(request.user),
        },
        status=status,
    )


@login_required
def round_detail(request, pk):
    """The rater's sheet while the round is open (their own answers only); its state otherwise."""
    selfcheck_round = get_round_for_user(request.user, pk)
    can_answer = selfcheck_round.is_open and rater_city(request.user) is not None
    form = None
    if can_answer:
        form = SheetForm(request.POST or None, selfcheck_round=selfcheck_round, user=request.user)
        if request.method == "POST":
            if apply_edit(form, lambda data: actions.save_answers(request.user, selfcheck_round, data["entries"])):
                messages.success(
                    request, _("Ihre Antworten wurden gespeichert. Bis zum Abschluss der Runde können Sie sie ändern.")
                )
                return redirect(selfcheck_round)
            return _sheet_page(request, selfcheck_round, form, status=failed_status(form))
    elif request.method == "POST":
        if selfcheck_round.is_open:
            messages.error(request, _("Antworten geben nur Mitglieder der Regiegruppe und des Projektteams einer Stadt."))
        else:
            messages.error(request, _("Diese Runde ist abgeschlossen; Antworten lassen sich nicht mehr ändern."))
        return redirect(selfcheck_round)
    return _sheet_page(request, selfcheck_round, form)


def _result_context(request, selfcheck_round):
    city_ids = visible_city_ids(request.user)
    result = results.round_result(selfcheck_round, city_ids)
    figures = []
    if selfcheck_round.checklist.subject == Checklist.Subject.CITY:
        figures = [(city, results.monitoring_figure(city)) for city in result.cities]
    return {
        "round": selfcheck_round,
        "result": result,
        "k": min_raters(),
        "spread": disagreement(),
        "all_cities": city_ids is None,
        "figures": figures,
        "total_raters": result.raters.get(None, 0),
        "is_manager": is_office(request.user),
    }


@login_required
def round_results(request, pk):
    selfcheck_round = get_round_for_user(request.user, pk)
    context = _result_context(request, selfcheck_round)
    if context["is_manager"]:
        flagged = [row for row in context["result"].flagged if row.follow_up is None]
        context["follow_up_form"] = FollowUpForm(choices=[(str(row.item.pk), row.item.text) for row in flagged])
        context["agenda_form"] = AgendaForm()
    return render(request, "selfcheck/results.html", context)


@login_required
def round_pdf(request, pk):
    """The one-page summary for the Regiegruppe's agenda: the cooperation's figures only."""
    from monitoring import pdf

    selfcheck_round = get_round_for_user(request.user, pk)
    if not sees_all_cities(request.user) or not pdf.available():
        raise Http404
    response = HttpResponse(summary.summary_pdf(selfcheck_round), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{summary.file_name(selfcheck_round)}"'
    return response


@office_required
@require_POST
def round_agenda(request, pk):
    """The office puts the round's summary on a coming Regiegruppe meeting: an agenda item with the PDF."""
    selfcheck_round = get_round_for_user(request.user, pk, manage=True)
    form = AgendaForm(request.POST)
    if form.is_valid():
        try:
            item = actions.put_on_agenda(request.user, selfcheck_round, form.cleaned_data["meeting"])
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Die Zusammenfassung steht als TOP „%(title)s“ auf der Tagesordnung der Sitzung „%(meeting)s“.")
                % {"title": item.title, "meeting": item.meeting.title},
            )
            return redirect("selfcheck:results", pk=selfcheck_round.pk)
    context = _result_context(request, selfcheck_round)
    context["agenda_form"] = form
    return render(request, "selfcheck/results.html", context, status=400)


@office_required
@require_POST
def round_follow_ups(request, pk):
    selfcheck_round = get_round_for_user(request.user, pk, manage=True)
    items = {str(item.pk): item for item in selfcheck_round.items()}
    form = FollowUpForm(request.POST, choices=[(key, item.text) for key, item in items.items()])
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie mindestens eine Prüffrage aus."))
        return redirect("selfcheck:results", pk=selfcheck_round.pk)
    try:
        created = actions.create_follow_ups(request.user, selfcheck_round, [items[key] for key in form.cleaned_data["items"]])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d Aufgaben im Arbeitsbereich der Regiegruppe angelegt.") % {"n": len(created)})
    return redirect("selfcheck:results", pk=selfcheck_round.pk)


def _office_step(request, pk, step, done: str):
    selfcheck_round = get_round_for_user(request.user, pk, manage=True)
    try:
        step(request.user, selfcheck_round)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("selfcheck:results", pk=selfcheck_round.pk)


@office_required
@require_POST
def round_close(request, pk):
    return _office_step(request, pk, actions.close_round, _("Die Runde ist abgeschlossen."))


@office_required
@require_POST
def round_release(request, pk):
    return _office_step(
        request, pk, actions.release_round, _("Das Ergebnis der Kooperation ist jetzt öffentlich; die Städte bleiben intern.")
    )


@office_required
def manage(request):
    checklists = list(Checklist.objects.prefetch_related("rounds").order_by("pk"))
    return render(request, "selfcheck/manage.html", {"checklists": checklists, "form": OpenRoundForm()})


@office_required
@require_POST
def round_open(request, slug):
    checklist = get_checklist_for_office(request.user, slug)
    form = OpenRoundForm(request.POST)
    if form.is_valid():
        try:
            selfcheck_round = actions.open_round(request.user, checklist, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Die Runde „%(name)s“ ist eröffnet.") % {"name": selfcheck_round.name})
            return redirect("selfcheck:manage")
    checklists = list(Checklist.objects.prefetch_related("rounds").order_by("pk"))
    return render(request, "selfcheck/manage.html", {"checklists": checklists, "form": form, "failed": checklist}, status=400)


def _checklist_page(request, checklist, form, status=200):
    factors = list(checklist.factors.prefetch_related("items"))
    running = Round.objects.filter(checklist=checklist, status=Round.Status.OPEN).first()
    return render(
        request,
        "selfcheck/checklist.html",
        {"checklist": checklist, "factors": factors, "form": form, "running": running},
        status=status,
    )


@office_required
def checklist_manage(request, slug):
    checklist = get_checklist_for_office(request.user, slug)
    form = ItemForm(request.POST or None, checklist=checklist)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.add_item(request.user, data["factor"], key=data["key"], text=data["text"])
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Die Prüffrage wurde aufgenommen."))
                return redirect("selfcheck:checklist", slug=checklist.slug)
        return _checklist_page(request, checklist, form, status=400)
    return _checklist_page(request, checklist, form)


@office_required
@require_POST
def item_retire(request, pk):
    item = get_item_for_office(request.user, pk)
    try:
        actions.retire_item(request.user, item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Die Prüffrage ist ab der nächsten Runde nicht mehr enthalten."))
    return redirect("selfcheck:checklist", slug=item.factor.checklist.slug)


def public_result(request, pk):
    """A released round: the cooperation's figures only, never a city's."""
    selfcheck_round = get_released_round(pk)
    result = results.round_result(selfcheck_round, set(), released_only=True)
    return render(request, "selfcheck/public.html", {"round": selfcheck_round, "result": result, "k": min_raters()})
