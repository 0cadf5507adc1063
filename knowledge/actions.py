"""Every write of the knowledge base: drafts, submission, the four-eyes review, materials, reports, contributors.

Each action validates completely, writes in one transaction, records the audit event and tells people
through ``notifications.notify`` in the same transaction. Views, the demo and the tests call these.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_member, is_office
from audit.actions import record
from lib.concurrency import save_versioned
from lib.licences import attribution
from search.indexing import schedule

from .access import can_review, may_contribute
from .indicators import public_indicator
from .models import Contributor, Material, PracticeExample, ProblemReport, ReviewEntry, Revision

CONTENT_FIELDS = [
    "title",
    "summary",
    "field",
    "target_group",
    "partners_migrant",
    "partners_business",
    "partners_science",
    "goals",
    "approach",
    "resources",
    "joint_project",
    "results",
    "evidence_indicator",
    "transferability",
    "period_start",
    "period_end",
    "contact_name",
    "contact_email",
    "tags",
    "licence",
    "image_rights_confirmed",
]
APPROVALS_NEEDED = 2


def _office_users():
    from website.actions import _office_users as office

    return office()


def _notify(recipients, verb: str, example: PracticeExample, subject: str, text: str, actor=None) -> None:
    from notifications.actions import notify

    people = [u for u in recipients if u is not None]
    if people:
        notify(
            recipients=people,
            verb=verb,
            subject=subject,
            text=text,
            target=example,
            actor=actor,
            always=True,
            url=example.get_absolute_url(),
        )


def _revision_audit(revision: Revision) -> dict:
    return {
        "example": revision.example_id,
        "number": revision.number,
        "state": revision.state,
        "title": revision.title,
        "licence": revision.licence,
    }


def _apply(revision: Revision, data: dict) -> list:
    cities = data.get("cities")
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(revision, name, data[name])
    chosen = revision.evidence_indicator_id if "evidence_indicator" in data else None
    if chosen is not None and public_indicator(chosen) is None:
        raise ValidationError({"evidence_indicator": _("Bitte wählen Sie eine veröffentlichte Kennzahl aus dem Monitoring.")})
    revision.full_clean(exclude=["example", "created_by"])
    if revision.period_start and revision.period_end and revision.period_end < revision.period_start:
        raise ValidationError({"period_end": _("Das Ende des Zeitraums liegt vor seinem Beginn.")})
    return list(cities) if cities is not None else None


@transaction.atomic
def create_example(actor, data: dict) -> PracticeExample:
    """A new example with its first draft; only contributors and people with a seat in a body write examples."""
    if not may_contribute(actor):
        raise ValidationError(_("Sie können keine Praxisbeispiele anlegen."))
    revision = Revision(number=1, created_by=actor)
    cities = _apply(revision, data)
    example = PracticeExample.objects.create(author=actor)
    revision.example = example
    revision.save()
    revision.cities.set(cities or [])
    example.latest = revision
    example.save(update_fields=["latest"])
    record(actor, "knowledge.example.created", example, after=_revision_audit(revision))
    return example


def _working_revision(actor, example: PracticeExample) -> Revision:
    """The draft the author edits: the latest revision while it is a draft, else a new copy of it."""
    latest = example.latest
    if latest.state == Revision.State.DRAFT:
        return latest
    if latest.state == Revision.State.IN_REVIEW:
        raise ValidationError(_("Diese Fassung wird gerade geprüft. Sie können sie erst nach der Prüfung wieder ändern."))
    cities = list(latest.cities.all())
    draft = Revision(example=example, number=latest.number + 1, created_by=actor)
    for name in [*CONTENT_FIELDS, "evidence_url"]:
        setattr(draft, name, getattr(latest, name))
    draft.save()
    draft.cities.set(cities)
    example.latest = draft
    return draft


@transaction.atomic
def save_draft(actor, example: PracticeExample, expected_version: int, data: dict) -> Revision:
    """The author changes the example. A submitted version stays as it was: the change becomes a new draft."""
    if example.author_id != actor.pk:
        raise ValidationError(_("Nur die Autorin oder der Autor kann dieses Praxisbeispiel ändern."))
    revision = _working_revision(actor, example)
    revision.change_note = data.get("change_note", revision.change_note) or ""
    cities = _apply(revision, data)
    revision.save()
    if cities is not None:
        revision.cities.set(cities)
    save_versioned(example, expected_version, ["latest"])
    record(actor, "knowledge.revision.saved", revision, after=_revision_audit(revision))
    return revision


def attribution_line(revision: Revision, author) -> str:
    """The line to cite a version by: title, author and organisation, the platform, the licence."""
    person = getattr(author, "person", None)
    name = person.full_name if person else _("Interkommunal")
    organisation = ""
    contributor = getattr(person, "contributor", None) if person else None
    if contributor is not None:
        organisation = contributor.organisation
    elif person is not None and person.municipality_id:
        organisation = person.municipality.name
    elif person is not None and person.organisation_id:
        organisation = person.organisation.name
    who = f"{name} ({organisation})" if organisation else name
    return attribution(
        title=revision.title,
        who=who,
        what=_("Praxisbeispiel der Interkommunalen Kooperation"),
        extra=_("Fassung %(number)s") % {"number": revision.number},
        licence=revision.licence,
    )


@transaction.atomic
def submit(actor, example: PracticeExample, expected_version: int) -> Revision:
    """The author hands the draft to the office's review queue; from now on it is frozen."""
    if example.author_id != actor.pk:
        raise ValidationError(_("Nur die Autorin oder der Autor kann dieses Praxisbeispiel einreichen."))
    revision = Revision.objects.select_for_update().get(pk=example.latest_id)
    if revision.state != Revision.State.DRAFT:
        raise ValidationError(_("Es gibt keinen Entwurf, der eingereicht werden könnte."))
    has_images = any(m.kind in {"png", "jpeg", "gif", "webp"} for m in example.materials.all() if m.in_revision(revision.number))
    if has_images and not revision.image_rights_confirmed:
        raise ValidationError({"image_rights_confirmed": _("Bitte bestätigen Sie, dass Sie die Rechte an den Bildern besitzen.")})
    revision.state = Revision.State.IN_REVIEW
    revision.submitted_at = timezone.now()
    revision.attribution = attribution_line(revision, example.author)
    revision.save(update_fields=["state", "submitted_at", "attribution", "modified"])
    save_versioned(example, expected_version, ["latest"])
    record(actor, "knowledge.revision.submitted", revision, after=_revision_audit(revision))
    _notify(
        _office_users(),
        "knowledge.submitted",
        example,
        _("Praxisbeispiel zur Prüfung: %(title)s") % {"title": revision.title},
        _("„%(title)s“ (Fassung %(number)s) wartet in der Prüfliste der Wissensbasis.")
        % {"title": revision.title, "number": revision.number},
        actor=actor,
    )
    if example.reviewer_id:
        _notify(
            [example.reviewer],
            "knowledge.submitted",
            example,
            _("Neue Fassung zur Prüfung: %(title)s") % {"title": revision.title},
            _("Zu „%(title)s“ liegt Fassung %(number)s zur Prüfung vor.") % {"title": revision.title, "number": revision.number},
            actor=actor,
        )
    return revision


@transaction.atomic
def assign_reviewer(actor, example: PracticeExample, reviewer) -> None:
    """The office names the second reviewer with subject knowledge (a member of the cooperation, not the author)."""
    if not is_office(actor):
        raise ValidationError(_("Nur die Geschäftsführung weist Prüfende zu."))
    if reviewer.pk == example.author_id:
        raise ValidationError({"reviewer": _("Die Autorin oder der Autor kann das eigene Beispiel nicht prüfen.")})
    if not is_member(reviewer):
        raise ValidationError({"reviewer": _("Prüfen können nur Mitglieder der Gremien und die Geschäftsführung.")})
    before = example.reviewer_id
    PracticeExample.objects.filter(pk=example.pk).update(reviewer=reviewer, modified=timezone.now())
    example.reviewer = reviewer
    record(actor, "knowledge.reviewer.assigned", example, before={"reviewer": before}, after={"reviewer": reviewer.pk})
    schedule("practice_example", example.pk)
    title = example.latest.title
    _notify(
        [reviewer],
        "knowledge.reviewer.assigned",
        example,
        _("Bitte prüfen Sie: %(title)s") % {"title": title},
        _("Die Geschäftsführung bittet Sie um die fachliche Prüfung des Praxisbeispiels „%(title)s“.") % {"title": title},
        actor=actor,
    )


def _revision_under_review(actor, example: PracticeExample, revision_pk: int) -> Revision:
    if not can_review(actor, example):
        raise ValidationError(_("Sie prüfen dieses Praxisbeispiel nicht."))
    revision = Revision.objects.select_for_update().filter(pk=revision_pk, example=example).first()
    if revision is None or revision.pk != example.latest_id or revision.state != Revision.State.IN_REVIEW:
        raise ValidationError(
            _("Diese Fassung ist nicht mehr in Prüfung. Bitte laden Sie die Seite neu; Ihr Text ist unten erhalten.")
        )
    if actor.pk == example.author_id:
        raise ValidationError(_("Die Autorin oder der Autor kann das eigene Beispiel nicht prüfen."))
    return revision


@transaction.atomic
def comment(actor, example: PracticeExample, revision_pk: int, text: str) -> ReviewEntry:
    revision = _revision_under_review(actor, example, revision_pk)
    if not text.strip():
        raise ValidationError({"text": _("Bitte schreiben Sie einen Kommentar.")})
    entry = ReviewEntry.objects.create(revision=revision, reviewer=actor, kind=ReviewEntry.Kind.COMMENT, text=text.strip())
    record(actor, "knowledge.review.commented", revision, after={"entry": entry.pk, "text": entry.text[:500]})
    return entry


@transaction.atomic
def request_changes(actor, example: PracticeExample, revision_pk: int, text: str) -> ReviewEntry:
    revision = _revision_under_review(actor, example, revision_pk)
    if not text.strip():
        raise ValidationError({"text": _("Bitte schreiben Sie, was geändert werden soll.")})
    entry = ReviewEntry.objects.create(revision=revision, reviewer=actor, kind=ReviewEntry.Kind.CHANGES, text=text.strip())
    revision.state = Revision.State.CHANGES_REQUESTED
    revision.decided_at = timezone.now()
    revision.save(update_fields=["state", "decided_at", "modified"])
    record(actor, "knowledge.review.changes_requested", revision, after={**_revision_audit(revision), "text": entry.text[:500]})
    _notify(
        [example.author],
        "knowledge.changes_requested",
        example,
        _("Änderungen erbeten: %(title)s") % {"title": revision.title},
        _("Zu Ihrem Praxisbeispiel „%(title)s“ bitten die Prüfenden um Änderungen:\n\n%(text)s")
        % {"title": revision.title, "text": entry.text},
        actor=actor,
    )
    return entry


@transaction.atomic
def approve(actor, example: PracticeExample, revision_pk: int, text: str = "") -> ReviewEntry:
    """One reviewer's approval; with the second distinct approval the revision becomes the published one."""
    revision = _revision_under_review(actor, example, revision_pk)
    if revision.reviews.filter(kind=ReviewEntry.Kind.APPROVE, reviewer=actor).exists():
        raise ValidationError(_("Sie haben diese Fassung bereits freigegeben; eine zweite Person muss zustimmen."))
    entry = ReviewEntry.objects.create(revision=revision, reviewer=actor, kind=ReviewEntry.Kind.APPROVE, text=text.strip())
    record(actor, "knowledge.review.approved", revision, after={**_revision_audit(revision), "entry": entry.pk})
    approvers = set(revision.reviews.filter(kind=ReviewEntry.Kind.APPROVE).values_list("reviewer_id", flat=True))
    if len(approvers) >= APPROVALS_NEEDED:
        _publish(actor, example, revision)
    return entry


def _publish(actor, example: PracticeExample, revision: Revision) -> None:
    before = example.published_id
    revision.state = Revision.State.APPROVED
    revision.decided_at = timezone.now()
    revision.save(update_fields=["state", "decided_at", "modified"])
    today = timezone.localdate()
    example.published = revision
    example.last_checked = today
    example.review_by = today + dt.timedelta(days=settings.KNOWLEDGE_REVIEW_INTERVAL_DAYS)
    example.reminder_task_for = None
    PracticeExample.objects.filter(pk=example.pk).update(
        published=revision,
        last_checked=example.last_checked,
        review_by=example.review_by,
        reminder_task_for=None,
        modified=timezone.now(),
    )
    record(actor, "knowledge.example.published", example, before={"published": before}, after=_revision_audit(revision))
    schedule("practice_example", example.pk)
    _notify(
        [example.author],
        "knowledge.published",
        example,
        _("Veröffentlicht: %(title)s") % {"title": revision.title},
        _("Ihr Praxisbeispiel „%(title)s“ (Fassung %(number)s) wurde von zwei Prüfenden freigegeben und ist veröffentlicht.")
        % {"title": revision.title, "number": revision.number},
        actor=actor,
    )


@transaction.atomic
def reject(actor, example: PracticeExample, revision_pk: int, reason: str) -> ReviewEntry:
    revision = _revision_under_review(actor, example, revision_pk)
    if not reason.strip():
        raise ValidationError({"text": _("Bitte begründen Sie die Ablehnung.")})
    entry = ReviewEntry.objects.create(revision=revision, reviewer=actor, kind=ReviewEntry.Kind.REJECT, text=reason.strip())
    revision.state = Revision.State.REJECTED
    revision.decided_at = timezone.now()
    revision.save(update_fields=["state", "decided_at", "modified"])
    record(actor, "knowledge.review.rejected", revision, after={**_revision_audit(revision), "reason": entry.text[:500]})
    _notify(
        [example.author],
        "knowledge.rejected",
        example,
        _("Abgelehnt: %(title)s") % {"title": revision.title},
        _("Fassung %(number)s Ihres Praxisbeispiels „%(title)s“ wurde abgelehnt. Begründung:\n\n%(text)s")
        % {"title": revision.title, "number": revision.number, "text": entry.text},
        actor=actor,
    )
    return entry


@transaction.atomic
def confirm_current(actor, example: PracticeExample, expected_version: int) -> None:
    """The office (or the author) confirms the published text is still right: a new "last checked" date."""
    if not (is_office(actor) or example.author_id == actor.pk):
        raise ValidationError(_("Sie können dieses Praxisbeispiel nicht als geprüft markieren."))
    if example.published_id is None:
        raise ValidationError(_("Nur veröffentlichte Praxisbeispiele werden regelmäßig geprüft."))
    before = {"last_checked": str(example.last_checked), "review_by": str(example.review_by)}
    today = timezone.localdate()
    example.last_checked = today
    example.review_by = today + dt.timedelta(days=settings.KNOWLEDGE_REVIEW_INTERVAL_DAYS)
    example.reminder_task_for = None
    save_versioned(example, expected_version, ["last_checked", "review_by", "reminder_task_for"])
    record(actor, "knowledge.example.checked", example, before=before, after={"last_checked": str(today)})


@transaction.atomic
def add_material(actor, example: PracticeExample, uploaded, *, title: str = "") -> Material:
    """A file for the author's working draft, checked like every upload of the platform (documents.check_upload)."""
    from documents.actions import check_upload

    if example.author_id != actor.pk:
        raise ValidationError(_("Nur die Autorin oder der Autor kann Materialien hinzufügen."))
    if uploaded.size > settings.KNOWLEDGE_MATERIAL_MAX_MB * 1024 * 1024:
        raise ValidationError(
            {"file": _("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": settings.KNOWLEDGE_MATERIAL_MAX_MB}}
        )
    kind, safe_name, sha256, content = check_upload(uploaded)
    locked = PracticeExample.objects.select_for_update().get(pk=example.pk)
    example.latest = locked.latest
    revision = _working_revision(actor, example)
    if example.latest_id != locked.latest_id:
        PracticeExample.objects.filter(pk=example.pk).update(latest=revision, version=locked.version + 1)
        example.version = locked.version + 1
    material = Material(
        example=example,
        file_name=safe_name,
        title=title.strip()[:200],
        kind=kind.code,
        content_type=kind.content_type,
        size=content.size,
        sha256=sha256,
        uploaded_by=actor,
        added_in=revision.number,
    )
    material.file.save(safe_name, content, save=False)
    material.save()
    record(actor, "knowledge.material.added", material, after={"file": safe_name, "revision": revision.number})
    return material


@transaction.atomic
def remove_material(actor, example: PracticeExample, material: Material) -> None:
    """Taken out of the working draft; earlier versions keep showing it."""
    if example.author_id != actor.pk or material.example_id != example.pk:
        raise ValidationError(_("Dieses Material können Sie nicht entfernen."))
    locked = PracticeExample.objects.select_for_update().get(pk=example.pk)
    example.latest = locked.latest
    revision = _working_revision(actor, example)
    if example.latest_id != locked.latest_id:
        PracticeExample.objects.filter(pk=example.pk).update(latest=revision, version=locked.version + 1)
    record(actor, "knowledge.material.removed", material, after={"file": material.file_name, "revision": revision.number})
    if material.added_in == revision.number:
        name = material.file.name
        material.delete()
        transaction.on_commit(lambda: material.file.storage.delete(name))
    else:
        material.removed_in = revision.number
        material.save(update_fields=["removed_in"])


@transaction.atomic
def report_problem(example: PracticeExample, *, text: str, email: str = "", reporter=None) -> ProblemReport:
    """A reader's report goes to the office (notification), with the example's link."""
    report = ProblemReport(example=example, text=text.strip(), email=email.strip(), reporter=reporter if reporter else None)
    report.full_clean()
    report.save()
    record(reporter, "knowledge.problem.reported", example, after={"report": report.pk})
    title = str(example)
    _notify(
        _office_users(),
        "knowledge.problem",
        example,
        _("Problem gemeldet: %(title)s") % {"title": title},
        _("Zum Praxisbeispiel „%(title)s“ wurde ein Problem gemeldet:\n\n%(text)s") % {"title": title, "text": report.text},
    )
    return report


@transaction.atomic
def resolve_problem(actor, report: ProblemReport) -> None:
    if not is_office(actor):
        raise ValidationError(_("Nur die Geschäftsführung bearbeitet Problemmeldungen."))
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.save(update_fields=["resolved_at"])
        record(actor, "knowledge.problem.resolved", report.example, after={"report": report.pk})


def _new_contributor_person(*, given_name: str, family_name: str, email: str, organisation: str, kind: str, origin: str):
    from members.models import Person

    person = Person(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        email=email,
        profile_visibility="office",
        email_visibility="office",
        phone_visibility="office",
    )
    # No municipality or organisation row: the organisation's name lives on the contributor, so a
    # self-registration adds nothing to the cooperation's directory of organisations.
    person.clean_fields(exclude=["municipality", "organisation"])
    person.save()
    contributor = Contributor(person=person, organisation=organisation.strip(), kind=kind, origin=origin)
    contributor.full_clean()
    contributor.save()
    return person, contributor


@transaction.atomic
def invite_contributor(
    actor, *, given_name: str, family_name: str, email: str, organisation: str, kind: str, message: str = ""
) -> Contributor:
    """The office invites somebody from outside; they accept through the platform's usual invitation link."""
    from accounts.actions import invite_person

    if not is_office(actor):
        raise ValidationError(_("Nur die Geschäftsführung lädt Mitwirkende ein."))
    email = email.strip().lower()
    person, contributor = _new_contributor_person(
        given_name=given_name,
        family_name=family_name,
        email=email,
        organisation=organisation,
        kind=kind,
        origin=Contributor.Origin.INVITED,
    )
    invite_person(actor, person, email=email, message=message)
    record(actor, "knowledge.contributor.invited", contributor, after={"email": email, "organisation": contributor.organisation})
    return contributor


@transaction.atomic
def register_contributor(
    *, given_name: str, family_name: str, email: str, password: str, organisation: str, kind: str
) -> Contributor | None:
    """Self-registration: an account whose address must be confirmed before it can sign in (allauth, mandatory).

    An address that already has an account gets no second one and the answer looks the same (no enumeration).
    """
    from allauth.account.models import EmailAddress

    from accounts.models import User

    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists():
        return None
    user = User.objects.create_user(email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    person, contributor = _new_contributor_person(
        given_name=given_name,
        family_name=family_name,
        email=email,
        organisation=organisation,
        kind=kind,
        origin=Contributor.Origin.SELF_REGISTERED,
    )
    person.user = user
    person.save(update_fields=["user"])
    record(
        user, "knowledge.contributor.registered", contributor, after={"email": email, "organisation": contributor.organisation}
    )
    return contributor


def create_review_reminders(today: dt.date) -> int:
    """Daily: a task for the office for every published example whose review-by date is near; once per date."""
    from tasks.actions import create_task
    from workspaces.actions import ensure_body_workspaces
    from workspaces.models import Workspace

    horizon = today + dt.timedelta(days=settings.KNOWLEDGE_REVIEW_REMINDER_DAYS)
    created = 0
    ensure_body_workspaces()
    workspace = Workspace.objects.filter(body__kind="managing_office").order_by("pk").first()
    if workspace is None:
        return 0
    while True:
        with transaction.atomic():
            example = (
                PracticeExample.objects.select_for_update(skip_locked=True)
                .filter(published__isnull=False, review_by__isnull=False, review_by__lte=horizon)
                .exclude(reminder_task_for=F("review_by"))
                .select_related("published")
                .order_by("review_by", "pk")
                .first()
            )
            if example is None:
                return created
            title = _("Praxisbeispiel prüfen: %(title)s") % {"title": example.published.title}
            description = _(
                "Das Praxisbeispiel „%(title)s“ soll bis %(date)s auf Aktualität geprüft werden. "
                "Ist alles noch richtig, markieren Sie es auf seiner Seite als geprüft: %(url)s"
            ) % {
                "title": example.published.title,
                "date": f"{example.review_by:%d.%m.%Y}",
                "url": settings.SITE_URL.rstrip("/") + example.get_absolute_url(),
            }
            due = max(example.review_by, today)
            create_task(
                None, workspace, title=title[:200], description=description, due_date=due, source=example, allow_past_due=True
            )
            PracticeExample.objects.filter(pk=example.pk).update(reminder_task_for=example.review_by)
            record(None, "knowledge.example.review_reminder", example, after={"review_by": str(example.review_by)})
            _notify(
                [example.author],
                "knowledge.review_reminder",
                example,
                _("Bitte prüfen: %(title)s") % {"title": example.published.title},
                description,
            )
            created += 1
