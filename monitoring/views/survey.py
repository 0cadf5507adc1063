"""The anonymous survey under /umfrage/.

What these views deliberately do not do: read ``request.user``, touch the session, use the
messages framework, render a CSRF token, or log. So they set no cookie at all, and nothing the
server keeps ties a request to a person. The request log skips /umfrage/ (ops.middleware).

CSRF: the views are exempt from Django's cookie-based protection because it would require a
cookie and protects nothing here: a forged request could only submit answers for a code the
forger already knows, which they can do directly. Cross-site form posts are still refused by
looking at the ``Sec-Fetch-Site`` and ``Origin`` headers the browser sends.

The questionnaire is stateless between pages: answers given so far travel as hidden fields,
and the server stores something only when the respondent pauses (encrypted, under the code) or
submits (the response). Every posted value is checked against the questionnaire; anything else
is refused as tampering with status 400 and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..forms import CodeForm, page_form_class
from ..models import Wave
from ..questionnaire import Item, Page, pages_for
from ..stats.derivation import InconsistentAnswersError
from ..survey import Access, SubmissionRefused, check_code, fielding_state, load_partial, save_partial, submit, wave_for_open_link

ACTIONS = {"start", "next", "back", "pause", "submit"}


def _no_store(response: HttpResponse) -> HttpResponse:
    """Answers must not stay in caches. (The site-wide Referrer-Policy "same-origin" stays: with
    "no-referrer" browsers send "Origin: null" on form posts, which the cross-site check refuses.)"""
    response["Cache-Control"] = "no-store"
    return response


def _cross_site(request) -> bool:
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and origin != f"{request.scheme}://{request.get_host()}"


def _access_message(access: Access, wave: Wave | None) -> str:
    if access is Access.USED:
        return _(
            "Mit diesem Zugangscode wurde der Fragebogen bereits abgeschickt. Jeder Code gilt nur für eine Antwort – "
            "Ihre Antworten sind gespeichert. Vielen Dank!"
        )
    if access is Access.NOT_STARTED and wave is not None:
        return _("Die Befragung beginnt am %(date)s. Bitte verwenden Sie Ihren Code ab diesem Tag.") % {
            "date": date_format(wave.fielding_start, "SHORT_DATE_FORMAT")
        }
    if access is Access.ENDED and wave is not None:
        return _("Die Befragung ist beendet (sie lief bis zum %(date)s). Es können keine Antworten mehr angenommen werden.") % {
            "date": date_format(wave.fielding_end, "SHORT_DATE_FORMAT")
        }
    return _(
        "Diesen Zugangscode kennen wir nicht. Bitte prüfen Sie die Schreibweise: "
        "Der Code hat zwölf Zeichen aus Buchstaben und Ziffern, z. B. ABCD-EFGH-JKLM."
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def start(request):
    """Code entry. A valid code opens the questionnaire (or resumes it where it was paused)."""
    if request.method == "POST":
        if _cross_site(request):
            return HttpResponseForbidden()
        form = CodeForm(request.POST)
        if form.is_valid():
            check = check_code(form.cleaned_data["code"])
            if check.access is Access.OK:
                answers = load_partial(check.code)
                return _step(request, check.wave, answers, action="start", code=check.code, resumed=bool(answers))
            form.add_error("code", _access_message(check.access, check.wave))
        return _no_store(render(request, "monitoring/survey/start.html", {"form": form}))
    return _no_store(render(request, "monitoring/survey/start.html", {"form": CodeForm()}))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def questionnaire(request):
    """One step of the questionnaire answered with a code (POST only; GET goes to code entry)."""
    if request.method == "GET":
        return redirect("monitoring:survey_start")
    if _cross_site(request):
        return HttpResponseForbidden()
    check = check_code(request.POST.get("code", ""))
    if check.access is not Access.OK:
        context = {"form": CodeForm(), "message": _access_message(check.access, check.wave)}
        return _no_store(render(request, "monitoring/survey/start.html", context, status=403))
    return _posted_step(request, check.wave, code=check.code)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def open_link(request, token: str):
    """The weaker variant: one link per city, no codes, no pause (documented for the office)."""
    wave = wave_for_open_link(token)
    if wave is None:  # own page instead of Http404: the site's 404 page would set a CSRF cookie
        message = _("Diesen Link zur Befragung gibt es nicht. Bitte prüfen Sie die Adresse.")
        return _no_store(render(request, "monitoring/survey/closed.html", {"wave": None, "message": message}, status=404))
    state = fielding_state(wave)
    if state is not Access.OK:
        return _no_store(
            render(request, "monitoring/survey/closed.html", {"wave": wave, "message": _access_message(state, wave)}, status=403)
        )
    if request.method == "GET":
        return _step(request, wave, {}, action="start")
    if _cross_site(request):
        return HttpResponseForbidden()
    return _posted_step(request, wave)


@require_http_methods(["GET"])
def thanks(request):
    return _no_store(render(request, "monitoring/survey/thanks.html"))


# --- Steps ---------------------------------------------------------------------------------------


class Tampered(Exception):
    pass


def _items(pages: list[Page]) -> dict[str, Item]:
    return {item.key: item for page in pages for item in page.items}


def _posted_answers(post: Mapping[str, str], items: dict[str, Item]) -> dict[str, str]:
    """Every posted answer, each checked against its item; a value not offered is tampering."""
    answers: dict[str, str] = {}
    for key, item in items.items():
        values = post.getlist(key) if hasattr(post, "getlist") else [post[key]] if key in post else []
        if not values:
            continue
        if len(values) != 1 or values[0] not in item.values:
            raise Tampered(key)
        answers[key] = values[0]
    return answers


def _visible(pages: list[Page], answers: Mapping[str, str]) -> list[Page]:
    return [page for page in pages if page.asked_items(answers)]


def _first_incomplete(pages: list[Page], answers: Mapping[str, str]) -> Page | None:
    for page in _visible(pages, answers):
        if any(item.key not in answers for item in page.asked_items(answers)):
            return page
    return None


def _posted_step(request, wave: Wave, code: str | None = None) -> HttpResponse:
    pages = pages_for(wave.round.questionnaire.spec, wave.local_items)
    try:
        answers = _posted_answers(request.POST, _items(pages))
    except Tampered:
        return _refuse(request, wave, code)
    action = request.POST.get("action", "next")
    if action not in ACTIONS or (action == "pause" and code is None):
        return _refuse(request, wave, code)
    return _step(request, wave, answers, action=action, code=code, page_key=request.POST.get("page", ""))


def _refuse(request, wave: Wave, code: str | None) -> HttpResponse:
    context = {"wave": wave, "message": _("Die gesendeten Angaben passen nicht zum Fragebogen. Es wurde nichts gespeichert.")}
    return _no_store(render(request, "monitoring/survey/closed.html", context, status=400))


def _step(
    request,
    wave: Wave,
    answers: dict[str, str],
    *,
    action: str,
    code: str | None = None,
    page_key: str = "",
    resumed: bool = False,
) -> HttpResponse:
    pages = pages_for(wave.round.questionnaire.spec, wave.local_items)
    visible = _visible(pages, answers)
    current = next((p for p in visible if p.key == page_key), None)
    if action == "start" or current is None:
        target = (_first_incomplete(pages, answers) or visible[-1]) if resumed else visible[0]
        return _render_page(request, wave, pages, target, answers, code=code, resumed=resumed)
    if action == "back":
        index = visible.index(current)
        return _render_page(request, wave, pages, visible[max(index - 1, 0)], answers, code=code)
    if action == "pause":
        save_partial(wave, code, answers)
        return _no_store(render(request, "monitoring/survey/paused.html", {"wave": wave}))
    if any(item.key not in answers for item in current.asked_items(answers)):  # values were checked above
        form = page_form_class(current, answers)(request.POST)
        form.is_valid()
        return _render_page(request, wave, pages, current, answers, code=code, form=form)
    visible = _visible(pages, answers)
    later = visible[visible.index(current) + 1 :]
    if later:
        return _render_page(request, wave, pages, later[0], answers, code=code)
    if action != "submit":
        return _render_page(request, wave, pages, current, answers, code=code)
    incomplete = _first_incomplete(pages, answers)
    if incomplete is not None:
        form = page_form_class(incomplete, answers)(dict(answers))
        form.is_valid()
        return _render_page(request, wave, pages, incomplete, answers, code=code, form=form, status=400)
    try:
        submit(wave, pages, answers, code=code)
    except SubmissionRefused as refused:
        return _no_store(
            render(
                request,
                "monitoring/survey/closed.html",
                {"wave": wave, "message": _access_message(refused.access, wave)},
                status=403,
            )
        )
    except InconsistentAnswersError:
        return _refuse(request, wave, code)
    return redirect("monitoring:survey_thanks")


def _render_page(
    request,
    wave: Wave,
    pages: list[Page],
    page: Page,
    answers: dict[str, str],
    *,
    code: str | None,
    form=None,
    resumed: bool = False,
    status: int = 200,
) -> HttpResponse:
    visible = _visible(pages, answers)
    position = visible.index(page) if page in visible else 0
    if form is None:
        form = page_form_class(page, answers)(initial={k: answers[k] for k in answers})
    on_page = {item.key for item in page.items}
    groups = []
    if page.groups:
        for title, keys in page.groups:
            fields = [form[k] for k in keys if k in form.fields]
            if fields:
                groups.append((title, fields))
    context = {
        "wave": wave,
        "questionnaire": wave.round.questionnaire,
        "page": page,
        "form": form,
        "groups": groups,
        "hidden_answers": sorted((k, v) for k, v in answers.items() if k not in on_page),
        "code": code,
        "position": position + 1,
        "total": len(visible),
        "is_first": position == 0,
        "is_last": position == len(visible) - 1,
        "resumed": resumed,
        "action_url": request.path if code is None else None,
        "min_cell_size": wave.round.min_cell_size,
    }
    return _no_store(render(request, "monitoring/survey/page.html", context, status=status))
