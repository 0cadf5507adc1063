"""Date poll pages: a workspace's polls, starting one, answering (members and external links), running it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import login_required
from calendar_events.views import login_if_anonymous
from lib.errors import add_to_messages
from workspaces.access import get_workspace_for_user

from . import actions, purposes
from .access import can_answer, can_manage_poll, can_see_polls, can_start_poll, get_participant_by_token, get_poll_for_user
from .forms import AnswerForm, ConfirmForm, ExternalParticipantForm, PollForm
from .models import Answer, Choice, Poll


def _workspace_with_polls(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug)
    if not can_see_polls(request.user, workspace):
        raise Http404
    return workspace


def _summary(poll: Poll, *, names: bool):
    """Per slot: who said yes / if need be / no (or only how many, for external viewers)."""
    slots = list(poll.slots.all())
    participants = list(poll.participants.select_related("user__person"))
    answers = {(a.participant_id, a.slot_id): a.choice for a in Answer.objects.filter(participant__poll=poll)}
    rows = []
    for slot in slots:
        groups = {choice: [] for choice in Choice.values}
        for p in participants:
            choice = answers.get((p.pk, slot.pk))
            if choice:
                groups[choice].append(p.name)
        rows.append(
            {
                "slot": slot,
                "counts": {c: len(groups[c]) for c in Choice.values},
                "names": groups if names else None,
                "score": len(groups["yes"]) * 2 + len(groups["maybe"]),
            }
        )
    best = max((r["score"] for r in rows), default=0)
    for r in rows:
        r["best"] = best > 0 and r["score"] == best
    return slots, participants, answers, rows


@login_if_anonymous
@require_GET
def poll_list(request, slug: str):
    workspace = _workspace_with_polls(request, slug)
    polls = workspace.polls.select_related("organiser__person").prefetch_related("slots")
    context = {"workspace": workspace, "polls": polls, "can_start": can_start_poll(request.user, workspace)}
    return render(request, "polls/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def poll_create(request, slug: str):
    workspace = _workspace_with_polls(request, slug)
    if not can_start_poll(request.user, workspace):
        raise Http404
    form = PollForm(request.POST or None, purposes=purposes.available(request.user, workspace), body=workspace.body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = actions.create_poll(
                request.user,
                workspace,
                title=data["title"],
                description=data["description"],
                location=data["location"],
                online_url=data["online_url"],
                deadline=data["deadline"],
                slots=data["slots"],
                invite_members=data["invite_members"],
                invite_body=data.get("invite_body", False),
                purpose=data.get("purpose") or purposes.EVENT,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Die Terminabstimmung „%(title)s“ läuft.") % {"title": poll.title})
            return redirect(poll)
    return render(request, "polls/form.html", {"form": form, "workspace": workspace})


@login_if_anonymous
@require_http_methods(["GET", "POST"])
def poll_detail(request, pk: int):
    poll = get_poll_for_user(request.user, pk)
    slots, participants, answers, rows = _summary(poll, names=True)
    answering = can_answer(request.user, poll) and poll.accepts_answers
    own = next((p for p in participants if p.user_id == request.user.pk), None)
    initial = {slot.pk: answers.get((own.pk, slot.pk)) for slot in slots} if own else {}
    form = AnswerForm(
        request.POST or None, poll=poll, slots=slots, initial_answers=initial, initial={"comment": own.comment if own else ""}
    )
    if request.method == "POST":
        if not can_answer(request.user, poll):
            raise Http404
        if form.is_valid():
            try:
                actions.answer(own or actions.participant_for(request.user, poll), form.choices(), form.cleaned_data["comment"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Ihre Antwort wurde gespeichert."))
                return redirect(poll)
    manage = can_manage_poll(request.user, poll)
    context = {
        "poll": poll,
        "workspace": poll.workspace,
        "rows": rows,
        "participants": participants,
        "answer_form": form if (answering or request.method == "POST") else None,
        "closed_message": _closed_message(poll),
        "can_manage": manage,
        "external_form": ExternalParticipantForm() if manage and poll.accepts_answers else None,
        "confirm_form": ConfirmForm(poll=poll) if manage and poll.is_open else None,
        "purpose": purposes.get(poll.purpose),
        "outcome": purposes.outcome_of(poll, request.user),
    }
    return render(request, "polls/detail.html", context)


def _closed_message(poll: Poll) -> str:
    try:
        actions.refuse_if_closed(poll)
    except ValidationError as exc:
        return exc.messages[0]
    return ""


@login_required
@require_POST
def poll_invite(request, pk: int):
    poll = get_poll_for_user(request.user, pk, manage=True)
    form = ExternalParticipantForm(request.POST)
    if form.is_valid():
        try:
            participant, _token = actions.add_external(request.user, poll, **form.cleaned_data)
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(
                request, _("%(name)s erhält eine E-Mail mit einem persönlichen Link zur Abstimmung.") % {"name": participant.name}
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(poll)


@login_required
@require_POST
def poll_confirm(request, pk: int):
    poll = get_poll_for_user(request.user, pk, manage=True)
    form = ConfirmForm(request.POST, poll=poll)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie einen der vorgeschlagenen Termine."))
        return redirect(poll)
    try:
        event = actions.confirm(request.user, poll, form.cleaned_data["slot"])
    except ValidationError as exc:
        add_to_messages(request, exc)
        return redirect(poll)
    messages.success(request, _("Der Termin ist bestätigt und steht im Kalender. Alle Teilnehmenden erhalten ihn per E-Mail."))
    for outcome in event.outcomes:
        messages.info(request, purposes.announcement(outcome))
    return redirect(event.outcomes[0] if event.outcomes else event)


@login_required
@require_http_methods(["GET", "POST"])
def poll_delete(request, pk: int):
    poll = get_poll_for_user(request.user, pk, manage=True)
    if request.method == "POST":
        try:
            actions.delete_poll(request.user, poll)
        except ValidationError as exc:
            add_to_messages(request, exc)
            return redirect(poll)
        messages.success(request, _("Die Terminabstimmung „%(title)s“ wurde gelöscht.") % {"title": poll.title})
        return redirect("polls:list", slug=poll.workspace.slug)
    return render(request, "polls/delete.html", {"poll": poll, "workspace": poll.workspace})


@require_http_methods(["GET", "POST"])
def external_answer(request, token: str):
    """An external participant answers through their personal link, without an account, only for their own row."""
    participant = get_participant_by_token(token)
    poll = participant.poll
    slots, _participants, answers, rows = _summary(poll, names=False)
    initial = {slot.pk: answers.get((participant.pk, slot.pk)) for slot in slots}
    form = AnswerForm(
        request.POST or None, poll=poll, slots=slots, initial_answers=initial, initial={"comment": participant.comment}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer(participant, form.choices(), form.cleaned_data["comment"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Vielen Dank, Ihre Antwort wurde gespeichert. Sie können sie bis zum Ende der Abstimmung ändern.")
            )
            return redirect("polls:external", token=token)
    context = {
        "poll": poll,
        "participant": participant,
        "rows": rows,
        "answer_form": form if (poll.accepts_answers or request.method == "POST") else None,
        "closed_message": _closed_message(poll),
    }
    response = render(request, "polls/external.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
