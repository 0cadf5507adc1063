"""The knowledge base's pages: public list and example, the author's drafts, the review queue, contributors."""

from __future__ import annotations

import json

from allauth.account.internal.flows.email_verification import send_verification_email_to_address
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import login_required, office_required
from accounts.models import User
from accounts.roles import is_member, is_office
from documents.filetypes import KINDS
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form
from lib.pagination import paginate
from members.models import Body, Membership
from website.cards import Card, Download

from . import actions
from .access import can_review, get_example_for_user, may_contribute, published_visible_to
from .diff import compare
from .forms import (
    AssignReviewerForm,
    ContributorInviteForm,
    ContributorSignupForm,
    ExampleForm,
    FilterForm,
    MaterialForm,
    ProblemReportForm,
    ReviewForm,
    VersionForm,
)
from .indicators import public_indicator
from .models import Licence, Material, PracticeExample, ProblemReport, ReviewEntry, Revision

DOWNLOAD_CSP = "default-src 'none'; sandbox"


def _rate_limited(request, action: str, rate: str) -> bool:
    """True when this client has used up ``rate`` for ``action`` (allauth's cache-based counter)."""
    return ratelimit.consume(request, app="knowledge", action=action, config={action: rate}) is None


EXAMPLES_PER_PAGE = 20  # cards, like the publications


def example_list(request):
    """Published examples with filters by field, city and target group (GET parameters, shareable)."""
    form = FilterForm(request.GET or None)
    examples = published_visible_to(request.user).select_related("published")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("feld"):
            examples = examples.filter(published__field=data["feld"])
        if data.get("stadt"):
            examples = examples.filter(published__cities=data["stadt"])
        if data.get("zielgruppe"):
            examples = examples.filter(published__target_group=data["zielgruppe"])
    examples = examples.prefetch_related("published__cities", "materials").order_by("-published__decided_at", "pk")
    page, query = paginate(request, examples, EXAMPLES_PER_PAGE, by_key=True)
    cards = [_card(e) for e in page.object_list]
    return render(request, "knowledge/list.html", {"cards": cards, "page": page, "query": query, "form": form})


def _card(example: PracticeExample) -> Card:
    """The example in the public library's card shape (shared with the publications)."""
    revision = example.published
    downloads = []
    for material in _materials(example, revision):
        kind = KINDS.get(material.kind)
        downloads.append(
            Download(
                label=str(material),
                url=reverse("knowledge:material", args=[example.pk, material.pk]),
                file_type=kind.label if kind else material.kind.upper(),
                size=material.size,
            )
        )
    return Card(
        title=revision.title,
        url=example.get_absolute_url(),
        kind=revision.get_field_display(),
        summary=revision.summary,
        cities=tuple(city.name for city in revision.cities.all()),
        meta=(_("Zielgruppe: %(group)s") % {"group": revision.get_target_group_display()},),
        date=example.last_checked,
        date_label=_("zuletzt geprüft am"),
        licence=revision.licence_info,
        downloads=tuple(downloads),
    )


def _materials(example: PracticeExample, revision: Revision | None) -> list[Material]:
    if revision is None:
        return []
    return [m for m in example.materials.all() if m.in_revision(revision.number)]


def _json_ld(request, example: PracticeExample, revision: Revision) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": revision.title,
        "description": revision.summary,
        "url": request.build_absolute_uri(example.get_absolute_url()),
        "inLanguage": "de",
        "about": revision.get_field_display(),
        "audience": {"@type": "Audience", "audienceType": revision.get_target_group_display()},
        "keywords": revision.tag_list,
        "spatialCoverage": [{"@type": "City", "name": m.name} for m in revision.cities.all()],
        "author": {"@type": "Person", "name": example.author.get_full_name()},
        "version": revision.number,
        "dateModified": (revision.decided_at or revision.modified).isoformat(),
        "creditText": revision.attribution,
    }
    if example.last_checked:
        data["lastReviewed"] = example.last_checked.isoformat()
    if revision.licence_info.canonical_url:
        data["license"] = revision.licence_info.canonical_url
    text = json.dumps(data, ensure_ascii=False)
    # Inside <script> nothing may close the element or open a comment: escape <, > and & as JSON allows.
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


def example_detail(request, pk: int):
    example = get_example_for_user(request.user, pk)
    is_author = example.author_id == request.user.pk
    reviewing = can_review(request.user, example)
    revision = example.published
    if revision is None:  # only its author and reviewers get here
        revision = example.latest
    context = {
        "example": example,
        "revision": revision,
        "is_published": revision.pk == example.published_id,
        "pending": example.latest if example.latest_id != revision.pk else None,
        "is_author": is_author,
        "reviewing": reviewing,
        "materials": _materials(example, revision),
        "indicator": public_indicator(revision.evidence_indicator_id),
        "report_form": ProblemReportForm(),
        "check_form": VersionForm(initial={"version": example.version}),
        "may_check": example.published_id and (is_author or is_office(request.user)),
        "json_ld": _json_ld(request, example, revision)
        if revision.pk == example.published_id and revision.licence == Licence.CC_BY
        else "",
    }
    return render(request, "knowledge/detail.html", context)


@require_GET
def material_download(request, pk: int, material_pk: int):
    example = get_example_for_user(request.user, pk)
    material = example.materials.filter(pk=material_pk).first()
    if material is None:
        raise Http404
    insider = example.author_id == request.user.pk or can_review(request.user, example)
    if not insider and (example.published is None or not material.in_revision(example.published.number)):
        raise Http404
    kind = KINDS.get(material.kind)
    try:
        handle = material.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not (kind and kind.inline),
        filename=material.file_name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def report_problem(request, pk: int):
    example = get_example_for_user(request.user, pk)
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST":
        if _rate_limited(request, "problem_report", settings.KNOWLEDGE_REPORT_RATE):
            form.is_valid()
            form.add_error(None, _("Zu viele Meldungen in kurzer Zeit. Bitte versuchen Sie es später noch einmal."))
            return render(request, "knowledge/report.html", {"example": example, "form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            if not data["website"]:
                actions.report_problem(
                    example,
                    text=data["text"],
                    email=data["email"],
                    reporter=request.user if request.user.is_authenticated else None,
                )
            messages.success(request, _("Vielen Dank! Ihre Meldung ist bei der Geschäftsführung eingegangen."))
            return redirect(example.get_absolute_url())
        return render(request, "knowledge/report.html", {"example": example, "form": form}, status=400)
    return render(request, "knowledge/report.html", {"example": example, "form": form})


@login_required
def versions(request, pk: int):
    """Every version with its review notes, and a word-level diff of two of them (?von=1&bis=2)."""
    example = get_example_for_user(request.user, pk)
    if not (example.author_id == request.user.pk or can_review(request.user, example)):
        raise Http404
    revisions = list(example.revisions.prefetch_related("cities", "reviews__reviewer__person").order_by("number"))
    by_number = {r.number: r for r in revisions}
    try:
        new = by_number.get(int(request.GET.get("bis", revisions[-1].number)))
        old = by_number.get(int(request.GET.get("von", max(1, revisions[-1].number - 1))))
    except ValueError:
        new = old = None
    diff = compare(old, new) if old and new and old.pk != new.pk else None
    return render(
        request,
        "knowledge/versions.html",
        {"example": example, "revisions": revisions, "old": old, "new": new, "diff": diff},
    )


@login_required
def my_examples(request):
    if not may_contribute(request.user):
        raise Http404
    examples = PracticeExample.objects.filter(author=request.user).select_related("latest", "published").order_by("-modified")
    return render(request, "knowledge/mine.html", {"examples": examples})


@login_required
@require_http_methods(["GET", "POST"])
def example_create(request):
    if not may_contribute(request.user):
        raise Http404
    form = ExampleForm(request.POST or None)
    if request.method == "POST":
        created = []

        def write(data):
            created.append(actions.create_example(request.user, data))

        if apply_edit(form, write):
            messages.success(request, _("Der Entwurf ist gespeichert. Fügen Sie Materialien hinzu oder reichen Sie ihn ein."))
            return redirect("knowledge:edit", pk=created[0].pk)
        return render(request, "knowledge/edit.html", {"form": form}, status=failed_status(form))
    return render(request, "knowledge/edit.html", {"form": form})


def _edit_page(request, example, form, *, status=200, material_form=None, submit_form=None):
    latest = example.latest
    return render(
        request,
        "knowledge/edit.html",
        {
            "example": example,
            "form": form,
            "latest": latest,
            "locked": latest.state == Revision.State.IN_REVIEW,
            "materials": [m for m in example.materials.all() if m.removed_in is None],
            "material_form": material_form or MaterialForm(),
            "submit_form": submit_form or VersionForm(initial={"version": example.version}, prefix="einreichen"),
            "reviews": latest.reviews.select_related("reviewer__person")
            if latest.state != Revision.State.DRAFT
            else ReviewEntry.objects.filter(revision__example=example, revision__number=latest.number - 1).select_related(
                "reviewer__person"
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def example_edit(request, pk: int):
    example = get_example_for_user(request.user, pk, write=True)
    latest = example.latest
    initial = {"version": example.version, "cities": list(latest.cities.all())}
    if latest.state != Revision.State.DRAFT:
        initial["change_note"] = ""
    form = ExampleForm(
        request.POST or None,
        instance=Revision(**{n: getattr(latest, n) for n in [*actions.CONTENT_FIELDS, "evidence_url"]}),
        initial=initial,
    )
    if request.method == "POST":

        def write(data):
            data = dict(data)
            version = data.pop("version") or 0
            actions.save_draft(request.user, example, version, data)

        if apply_edit(form, write):
            messages.success(request, _("Ihre Änderungen sind als Entwurf gespeichert."))
            return redirect("knowledge:edit", pk=example.pk)
        return _edit_page(request, example, form, status=failed_status(form))
    return _edit_page(request, example, form)


@login_required
@require_POST
def example_submit(request, pk: int):
    example = get_example_for_user(request.user, pk, write=True)
    form = VersionForm(request.POST, prefix="einreichen")

    def write(data):
        actions.submit(request.user, example, data["version"])

    if apply_edit(form, write):
        messages.success(request, _("Eingereicht. Die Geschäftsführung und eine zweite Person prüfen Ihr Praxisbeispiel."))
        return redirect("knowledge:mine")
    edit_form = ExampleForm(
        instance=example.latest, initial={"version": example.version, "cities": list(example.latest.cities.all())}
    )
    return _edit_page(request, example, edit_form, status=failed_status(form), submit_form=form)


@login_required
@require_POST
def material_add(request, pk: int):
    example = get_example_for_user(request.user, pk, write=True)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_material(request.user, example, form.cleaned_data["file"], title=form.cleaned_data["title"])
        except actions.ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Das Material wurde hinzugefügt."))
            return redirect("knowledge:edit", pk=example.pk)
    example.refresh_from_db()
    edit_form = ExampleForm(
        instance=example.latest, initial={"version": example.version, "cities": list(example.latest.cities.all())}
    )
    return _edit_page(request, example, edit_form, status=400, material_form=form)


@login_required
@require_POST
def material_remove(request, pk: int, material_pk: int):
    example = get_example_for_user(request.user, pk, write=True)
    material = example.materials.filter(pk=material_pk, removed_in__isnull=True).first()
    if material is None:
        raise Http404
    try:
        actions.remove_material(request.user, example, material)
    except actions.ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Das Material wurde aus dem Entwurf entfernt."))
    return redirect("knowledge:edit", pk=example.pk)


@login_required
def review_queue(request):
    """The office sees every submission; a second reviewer the ones assigned to them."""
    if not (is_office(request.user) or is_member(request.user)):
        raise Http404
    examples = PracticeExample.objects.select_related("latest", "published", "author__person", "reviewer__person")
    if not is_office(request.user):
        examples = examples.filter(reviewer=request.user)
    waiting = examples.filter(latest__state=Revision.State.IN_REVIEW).order_by("latest__submitted_at", "pk")
    others = examples.exclude(latest__state=Revision.State.IN_REVIEW).exclude(latest__state=Revision.State.DRAFT)
    reports = (
        ProblemReport.objects.filter(resolved_at__isnull=True).select_related("example__published")
        if is_office(request.user)
        else []
    )
    return render(
        request,
        "knowledge/queue.html",
        {"waiting": waiting, "others": others.order_by("-modified")[:100], "reports": reports},
    )


def _reviewer_choices(example):
    seated = Membership.objects.current().filter(person__is_active=True, person__user__isnull=False)
    seated = seated.exclude(role=Membership.Role.GUEST) | seated.filter(body__kind=Body.Kind.MANAGING_OFFICE)
    return (
        User.objects.filter(is_active=True, pk__in=seated.values("person__user_id"))
        .exclude(pk=example.author_id)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


def _review_page(request, example, *, form=None, assign_form=None, status=200):
    latest = example.latest
    return render(
        request,
        "knowledge/review.html",
        {
            "example": example,
            "latest": latest,
            "reviews": ReviewEntry.objects.filter(revision__example=example).select_related("revision", "reviewer__person"),
            "approvals": latest.reviews.filter(kind=ReviewEntry.Kind.APPROVE).count(),
            "form": form or ReviewForm(initial={"revision": latest.pk}),
            "assign_form": assign_form
            or (
                AssignReviewerForm(
                    reviewers=_reviewer_choices(example), initial={"reviewer": example.reviewer_id}, prefix="zuweisen"
                )
                if is_office(request.user)
                else None
            ),
            "materials": [m for m in example.materials.all() if m.in_revision(latest.number)],
            "reports": example.problem_reports.all(),
            "is_office": is_office(request.user),
        },
        status=status,
    )


DECISIONS = {
    ReviewEntry.Kind.COMMENT: (actions.comment, _("Ihr Kommentar ist gespeichert.")),
    ReviewEntry.Kind.CHANGES: (actions.request_changes, _("Die Autorin oder der Autor wird um Änderungen gebeten.")),
    ReviewEntry.Kind.APPROVE: (actions.approve, _("Ihre Freigabe ist gespeichert.")),
    ReviewEntry.Kind.REJECT: (actions.reject, _("Die Fassung ist abgelehnt; die Begründung geht an die Autorin oder den Autor.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    example = get_example_for_user(request.user, pk, review=True)
    if request.method == "GET":
        return _review_page(request, example)
    form = ReviewForm(request.POST)

    def write(data):
        action, _message = DECISIONS[data["decision"]]
        action(request.user, example, data["revision"], data["text"])

    if apply_edit(form, write):
        messages.success(request, DECISIONS[form.cleaned_data["decision"]][1])
        return redirect("knowledge:review", pk=example.pk)
    return _review_page(request, example, form=form, status=failed_status(form))


@office_required
@require_POST
def assign(request, pk: int):
    example = get_example_for_user(request.user, pk, review=True)
    form = AssignReviewerForm(request.POST, reviewers=_reviewer_choices(example), prefix="zuweisen")

    def write(data):
        actions.assign_reviewer(request.user, example, data["reviewer"])

    if apply_edit(form, write):
        messages.success(request, _("Die zweite Prüferin oder der zweite Prüfer ist benachrichtigt."))
        return redirect("knowledge:review", pk=example.pk)
    return _review_page(request, example, assign_form=form, status=failed_status(form))


@login_required
@require_POST
def confirm_current(request, pk: int):
    example = get_example_for_user(request.user, pk)
    if not (example.author_id == request.user.pk or is_office(request.user)):
        raise Http404
    form = VersionForm(request.POST)

    def write(data):
        actions.confirm_current(request.user, example, data["version"])

    if apply_edit(form, write):
        messages.success(request, _("Als aktuell bestätigt."))
    else:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()) or _("Das hat nicht geklappt."))
    return redirect(example.get_absolute_url())


@office_required
@require_POST
def resolve_report(request, pk: int, report_pk: int):
    example = get_example_for_user(request.user, pk, review=True)
    report = example.problem_reports.filter(pk=report_pk).first()
    if report is None:
        raise Http404
    actions.resolve_problem(request.user, report)
    messages.success(request, _("Die Meldung ist als erledigt markiert."))
    return redirect("knowledge:review", pk=example.pk)


@require_http_methods(["GET", "POST"])
def contributor_signup(request):
    """Self-registration of contributors: a honeypot and a rate limit per client instead of a captcha."""
    if request.user.is_authenticated:
        return redirect("knowledge:mine")
    form = ContributorSignupForm(request.POST or None)
    if request.method == "POST":
        if _rate_limited(request, "contributor_signup", settings.KNOWLEDGE_SIGNUP_RATE):
            form.is_valid()
            form.add_error(None, _("Zu viele Registrierungen von diesem Anschluss. Bitte versuchen Sie es später noch einmal."))
            return render(request, "knowledge/signup.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            if not data["website"]:
                contributor = actions.register_contributor(
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    email=data["email"],
                    password=data["password1"],
                    organisation=data["organisation"],
                    kind=data["kind"],
                )
                if contributor is not None:
                    address = EmailAddress.objects.get(user=contributor.person.user, primary=True)
                    send_verification_email_to_address(request, address, signup=True)
            return render(request, "knowledge/signup_done.html", {"email": data["email"]})
        return render(request, "knowledge/signup.html", {"form": form}, status=400)
    return render(request, "knowledge/signup.html", {"form": form})


@office_required
@require_http_methods(["GET", "POST"])
def contributor_invite(request):
    form = ContributorInviteForm(request.POST or None)
    if request.method == "POST":

        def write(data):
            actions.invite_contributor(request.user, **data)

        if apply_edit(form, write):
            messages.success(request, _("Die Einladung ist verschickt."))
            return redirect(reverse("knowledge:invite"))
        return render(request, "knowledge/invite.html", {"form": form}, status=failed_status(form))
    return render(request, "knowledge/invite.html", {"form": form})
