"""The report's figures, computed from the platform's data for a year and the year before.

Every section is a list of rows with the year's value and the previous year's value side by side.
The whole computation runs a fixed number of queries (grouped counts for both years at once),
however many meetings, tasks or documents the platform holds.

Survey indicators come only from the monitoring's released, disclosure-controlled aggregates
(``AggregateCell`` of released waves); raw responses are never read. Per-city counts that describe
people (attendances) follow a minimum-cell rule with the monitoring's k, including a secondary
suppression, so that no suppressed count can be recovered from the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import translation
from django.utils.translation import gettext as _

# Section keys, in report order. Texts ("commentary-<key>") belong to each.
SECTIONS = (
    "meetings",
    "attendance",
    "representation",
    "decisions",
    "actions",
    "events",
    "participants",
    "publications",
    "survey",
    "projects",
)
PARTNER_FIELDS = ("information", "outreach", "training", "hr")

# Words in titles and decisions that assign an activity to a measure field of the state initiative
# "Erfolgsfaktor Interkulturelle Öffnung". Lower case; matched as substrings.
PARTNER_KEYWORDS: dict[str, tuple[str, ...]] = {
    "information": ("information", "informier", "newsletter", "intranet", "beschäftigte", "mitarbeitend", "rundschreiben"),
    "outreach": (
        "einwanderungsgeschichte",
        "zuwanderungsgeschichte",
        "migrationshintergrund",
        "migrant",
        "ansprache",
        "gewinnung",
        "nachwuchs",
        "talente",
        "ausbildungsmesse",
        "willkommen",
    ),
    "training": ("fortbildung", "schulung", "training", "sensibilisierung", "qualifizierung", "seminar", "workshop", "kompetenz"),
    "hr": (
        "personal",
        "organisationsentwicklung",
        "auswahlverfahren",
        "stellenausschreibung",
        "monitoring",
        "befragung",
        "diversity",
        "vielfalt",
        "qualitätsmerkmal",
        "ausbildung",
    ),
}
PARTNER_EXAMPLES = 8


def min_cell_size() -> int:
    return settings.ANNUAL_REPORT_MIN_CELL_SIZE


def protect_counts(counts: dict[str, int], k: int) -> tuple[dict[str, int | None], int | None]:
    """Per-city counts about people with the minimum-cell rule: None where suppressed.

    Primary: a count from 1 to k-1 is suppressed. Secondary: while the total is shown, the suppressed
    counts together must be at least k (else the total minus the shown counts would pin them down to
    less than k), so the next smallest positive counts are suppressed as well, or, if there are none,
    the total. A total below k is never shown.
    """
    shown: dict[str, int | None] = {key: (None if 0 < n < k else n) for key, n in counts.items()}
    total = sum(counts.values())
    total_shown: int | None = total if total == 0 or total >= k else None
    hidden_sum = sum(n for key, n in counts.items() if shown[key] is None)
    while total_shown is not None and 0 < hidden_sum < k:
        candidates = sorted((n, key) for key, n in counts.items() if shown[key] is not None and n > 0)
        if not candidates:
            total_shown = None
            break
        n, key = candidates[0]
        shown[key] = None
        hidden_sum += n
    return shown, total_shown


def _row(label: str, current, previous, **extra) -> dict:
    return {"label": label, "current": current, "previous": previous, **extra}


def _by_year(rows: Iterable[dict], key: str, year: int) -> tuple[dict, dict]:
    current: dict = defaultdict(int)
    previous: dict = defaultdict(int)
    for row in rows:
        (current if row["y"] == year else previous)[row[key]] += row["n"]
    return current, previous


def _meetings(year: int) -> tuple[dict, dict[int, int]]:
    from meetings.models import Meeting, MeetingStatus
    from members.models import Body

    bodies = list(Body.objects.order_by("name").values("pk", "name"))
    held = (
        Meeting.objects.filter(deleted_at__isnull=True, status=MeetingStatus.HELD, start__year__in=[year - 1, year])
        .annotate(y=ExtractYear("start"))
        .values("y", "body_id")
        .annotate(n=Count("pk"))
    )
    current, previous = _by_year(held, "body_id", year)
    rows = [_row(b["name"], current.get(b["pk"], 0), previous.get(b["pk"], 0)) for b in bodies]
    rows = [r for r in rows if r["current"] or r["previous"]]
    totals = {year: sum(current.values()), year - 1: sum(previous.values())}
    section = {
        "key": "meetings",
        "rows": rows,
        "total": _row(_("Alle Gremien"), totals[year], totals[year - 1]),
        "chart": True,
    }
    return section, totals


def _cities() -> list[dict]:
    from members.models import Municipality

    return list(Municipality.objects.order_by("short_name").values("pk", "short_name"))


def _attendance(year: int, cities: list[dict], k: int) -> dict:
    """Attendances (person × held meeting, from the minutes' attendance lists) per city of the person."""
    from meetings.models import MeetingStatus, Minutes

    through = Minutes.attendees.through
    rows = (
        through.objects.filter(
            minutes__meeting__deleted_at__isnull=True,
            minutes__meeting__status=MeetingStatus.HELD,
            minutes__meeting__start__year__in=[year - 1, year],
        )
        .annotate(y=ExtractYear("minutes__meeting__start"))
        .values("y", "person__municipality_id")
        .annotate(n=Count("pk"))
    )
    current, previous = _by_year(rows, "person__municipality_id", year)
    return _people_per_city("attendance", _("Alle Teilnahmen"), current, previous, cities, k)


def _participants(year: int, cities: list[dict], k: int) -> dict:
    """People checked in at the cooperation's events (forum, workshops) per city, with the minimum-cell rule."""
    from events.reporting import participants_per_city

    current, previous = participants_per_city(year), participants_per_city(year - 1)
    return _people_per_city("participants", _("Alle Teilnehmenden"), current, previous, cities, k)


def _people_per_city(key: str, total_label: str, current: dict, previous: dict, cities: list[dict], k: int) -> dict:
    """A section of counts about people per city (id → count, None: no city), both years under the minimum-cell rule."""
    keys = [str(c["pk"]) for c in cities] + ["none"]
    labels = {str(c["pk"]): c["short_name"] for c in cities} | {"none": _("ohne Stadt (Gäste, Organisationen)")}

    def counts(source: dict) -> dict[str, int]:
        return {name: source.get(None if name == "none" else int(name), 0) for name in keys}

    shown_current, total_current = protect_counts(counts(current), k)
    shown_previous, total_previous = protect_counts(counts(previous), k)
    out = [_row(labels[name], shown_current[name], shown_previous[name]) for name in keys]
    out = [r for r in out if r["current"] != 0 or r["previous"] != 0]
    return {
        "key": key,
        "rows": out,
        "total": _row(total_label, total_current, total_previous),
        "chart": True,
        "protected": True,
    }


def _representation(year: int, cities: list[dict], held: dict[int, int]) -> dict:
    """At how many held meetings each city was represented (the minutes' list of cities)."""
    from meetings.models import MeetingStatus, Minutes

    through = Minutes.cities.through
    rows = (
        through.objects.filter(
            minutes__meeting__deleted_at__isnull=True,
            minutes__meeting__status=MeetingStatus.HELD,
            minutes__meeting__start__year__in=[year - 1, year],
        )
        .annotate(y=ExtractYear("minutes__meeting__start"))
        .values("y", "municipality_id")
        .annotate(n=Count("pk"))
    )
    current, previous = _by_year(rows, "municipality_id", year)
    out = []
    for city in cities:
        now, before = current.get(city["pk"], 0), previous.get(city["pk"], 0)
        if now or before:
            out.append(
                _row(
                    city["short_name"],
                    now,
                    before,
                    current_share=round(100 * now / held[year]) if held[year] else None,
                    previous_share=round(100 * before / held[year - 1]) if held[year - 1] else None,
                )
            )
    return {
        "key": "representation",
        "rows": out,
        "total": _row(_("Durchgeführte Sitzungen"), held[year], held[year - 1]),
        "chart": True,
    }


def _decisions(year: int) -> dict:
    from meetings.models import Decision

    rows = (
        Decision.objects.filter(
            agenda_item__deleted_at__isnull=True,
            agenda_item__meeting__deleted_at__isnull=True,
            agenda_item__meeting__start__year__in=[year - 1, year],
        )
        .annotate(y=ExtractYear("agenda_item__meeting__start"))
        .values("y", "kind", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple[str, str, int], int] = defaultdict(int)
    for row in rows:
        counts[(row["kind"], row["status"], row["y"])] += row["n"]
    out = []
    for kind, kind_label in Decision.Kind.choices:
        for status, status_label in Decision.Status.choices:
            now, before = counts[(kind, status, year)], counts[(kind, status, year - 1)]
            if now or before:
                out.append(_row(f"{kind_label}: {status_label}", now, before))
    return {
        "key": "decisions",
        "rows": out,
        "total": _row(
            _("Beschlüsse und Verabredungen"),
            sum(n for (_k, _s, y), n in counts.items() if y == year),
            sum(n for (_k, _s, y), n in counts.items() if y == year - 1),
        ),
    }


def _actions(year: int) -> dict:
    """Actions from the minutes, by the state of their task (the task is the one source of truth)."""
    from meetings.models import ActionItem
    from tasks.models import TaskStatus

    base = ActionItem.objects.filter(
        agenda_item__deleted_at__isnull=True,
        agenda_item__meeting__deleted_at__isnull=True,
        agenda_item__meeting__start__year__in=[year - 1, year],
    ).annotate(y=ExtractYear("agenda_item__meeting__start"))
    rows = base.values("y").annotate(
        done=Count("pk", filter=Q(task__status=TaskStatus.DONE)),
        open=Count("pk", filter=Q(task__status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])),
        dropped=Count("pk", filter=Q(task__isnull=True) | Q(task__status=TaskStatus.CANCELLED)),
        total=Count("pk"),
    )
    by_year = {row["y"]: row for row in rows}
    empty = {"done": 0, "open": 0, "dropped": 0, "total": 0}
    now, before = by_year.get(year, empty), by_year.get(year - 1, empty)
    labels = (("done", _("erledigt")), ("open", _("offen")), ("dropped", _("entfallen")))
    return {
        "key": "actions",
        "rows": [_row(label, now[key], before[key]) for key, label in labels],
        "total": _row(_("Aufgaben aus den Protokollen"), now["total"], before["total"]),
        "chart": True,
    }


def _year_counts(queryset, field: str, year: int, **conditions: Q) -> dict[str, tuple[int, int]]:
    """Several counts for both years in one query: {name: (this year, previous year)}."""
    aggregates = {}
    for name, condition in conditions.items():
        aggregates[f"{name}_now"] = Count("pk", filter=condition & Q(**{f"{field}__year": year}))
        aggregates[f"{name}_before"] = Count("pk", filter=condition & Q(**{f"{field}__year": year - 1}))
    result = queryset.filter(**{f"{field}__year__in": [year - 1, year]}).aggregate(**aggregates)
    return {name: (result[f"{name}_now"], result[f"{name}_before"]) for name in conditions}


def _events(year: int) -> dict:
    from calendar_events.models import Event

    counts = _year_counts(Event.objects.all(), "starts_at", year, all=Q(), online=~Q(online_url=""), in_place=~Q(location=""))
    return {
        "key": "events",
        "rows": [
            _row(_("davon mit Ort"), *counts["in_place"]),
            _row(_("davon online"), *counts["online"]),
        ],
        "total": _row(_("Termine in den Arbeitsbereichen"), *counts["all"]),
    }


def euro(value) -> str:
    """A sum of money as German text ("2.000,00 €"): the snapshot keeps it exactly as printed."""
    text = f"{value:,.2f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return f"{text} €"


def _joint_project_rows(year: int) -> list[dict]:
    """Joint projects carried out in each year (approved or later, by their dates), begun, ended; milestones reached."""
    from projects.models import JointProject, Milestone, ProjectStatus

    carried_out = [ProjectStatus.APPROVED, ProjectStatus.RUNNING, ProjectStatus.PROOF_OF_USE, ProjectStatus.CLOSED]
    spans = JointProject.objects.filter(status__in=carried_out, starts_on__isnull=False).values_list("starts_on", "ends_on")

    def counts(y: int) -> tuple[int, int, int]:
        active = [(start, end) for start, end in spans if start.year <= y and (end is None or end.year >= y)]
        return (
            len(active),
            sum(1 for start, _end in active if start.year == y),
            sum(1 for _s, end in active if end and end.year == y),
        )

    spans = list(spans)
    now, before = counts(year), counts(year - 1)
    reached = _year_counts(Milestone.objects.filter(done_on__isnull=False), "done_on", year, all=Q())["all"]
    granted, spent = _funding_sums(year)
    if not any(now + before + reached) and not any(granted + spent):
        return []
    return [
        _row(_("Gemeinschaftsprojekte in Umsetzung"), now[0], before[0]),
        _row(_("davon begonnen"), now[1], before[1]),
        _row(_("davon beendet"), now[2], before[2]),
        _row(_("Meilensteine erreicht"), *reached),
        _row(_("Zuwendungen bewilligt (Bescheide des Jahres)"), euro(granted[0]), euro(granted[1])),
        _row(_("Ausgaben der Projekte (zuwendungsfähig, ohne nicht anerkannte)"), euro(spent[0]), euro(spent[1])),
    ]


def _funding_sums(year: int) -> tuple[tuple[Decimal, Decimal], tuple[Decimal, Decimal]]:
    """Grants approved by notices dated in each year; eligible expenses paid in each year (rejected ones left out)."""
    from django.db.models import Sum

    from funding.models import Expense, ExpenseStatus, Notice

    def by_year(queryset, field: str, amount: str) -> tuple[Decimal, Decimal]:
        sums = dict(
            queryset.filter(**{f"{field}__year__in": [year - 1, year]})
            .annotate(y=ExtractYear(field))
            .values("y")
            .annotate(total=Sum(amount))
            .values_list("y", "total")
        )
        return sums.get(year) or Decimal(0), sums.get(year - 1) or Decimal(0)

    granted = by_year(Notice.objects.all(), "date", "amount")
    spent = by_year(Expense.objects.exclude(status=ExpenseStatus.REJECTED), "paid_on", "eligible")
    return granted, spent


def _projects(year: int) -> dict:
    """The members' cost shares: set (newest version of each year's setting), received, cities paid in full."""
    from costshares.models import Payment, Setting, Share

    newest: dict[int, int] = {}
    for setting_id, setting_year in (
        Setting.objects.filter(year__in=[year - 1, year]).order_by("year", "number").values_list("pk", "year")
    ):
        newest[setting_year] = setting_id
    due: dict[int, dict[int, Decimal]] = {year: {}, year - 1: {}}
    for setting_id, city, amount in Share.objects.filter(setting_id__in=newest.values()).values_list(
        "setting_id", "municipality_id", "amount"
    ):
        due[next(y for y, pk in newest.items() if pk == setting_id)][city] = amount
    paid: dict[int, dict[int, Decimal]] = {year: defaultdict(Decimal), year - 1: defaultdict(Decimal)}
    for pay_year, city, amount in Payment.objects.filter(year__in=[year - 1, year]).values_list(
        "year", "municipality_id", "amount"
    ):
        paid[pay_year][city] += amount

    def in_full(y: int) -> str:
        return f"{sum(1 for city, amount in due[y].items() if paid[y][city] >= amount)} / {len(due[y])}"

    rows = _joint_project_rows(year)
    if newest:
        rows += [
            _row(
                _("Umlage festgesetzt"), euro(sum(due[year].values(), Decimal(0))), euro(sum(due[year - 1].values(), Decimal(0)))
            ),
            _row(
                _("Umlage eingegangen"),
                euro(sum(paid[year].values(), Decimal(0))),
                euro(sum(paid[year - 1].values(), Decimal(0))),
            ),
            _row(_("Städte mit vollständig gezahltem Anteil"), in_full(year), in_full(year - 1)),
        ]
    return {"key": "projects", "rows": rows, "costshares": True}


def _practice_examples(year: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Practice examples first published in each year (their first approved version), and later versions approved."""
    from django.db.models import Min

    from knowledge.models import PracticeExample, Revision

    approved = Q(revisions__state=Revision.State.APPROVED)
    first = (
        PracticeExample.objects.annotate(first=Min("revisions__decided_at", filter=approved))
        .filter(first__year__in=[year - 1, year])
        .annotate(y=ExtractYear("first"))
        .values_list("y", flat=True)
    )
    first_years = list(first)
    new = (first_years.count(year), first_years.count(year - 1))
    all_approved = _year_counts(Revision.objects.filter(state=Revision.State.APPROVED), "decided_at", year, all=Q())["all"]
    return new, (all_approved[0] - new[0], all_approved[1] - new[1])


def _publications(year: int) -> dict:
    from documents.models import Document
    from meetings.models import Minutes
    from news.models import Post

    posts = _year_counts(Post.objects.all(), "published_at", year, all=Q(), public=Q(is_public=True))
    documents = _year_counts(Document.objects.filter(trashed_at__isnull=True), "created", year, all=Q())
    published = _year_counts(Document.objects.filter(trashed_at__isnull=True, is_public=True), "published_at", year, all=Q())
    minutes = _year_counts(Minutes.objects.filter(meeting__deleted_at__isnull=True), "published_at", year, all=Q())
    examples_new, examples_revised = _practice_examples(year)
    return {
        "key": "publications",
        "rows": [
            _row(_("Neuigkeiten veröffentlicht"), *posts["all"]),
            _row(_("davon auf der öffentlichen Website"), *posts["public"]),
            _row(_("Dokumente neu in der Wissensbasis"), *documents["all"]),
            _row(_("Dokumente öffentlich veröffentlicht"), *published["all"]),
            _row(_("Protokolle veröffentlicht"), *minutes["all"]),
            _row(_("Praxisbeispiele in der Wissensdatenbank neu veröffentlicht"), *examples_new),
            _row(_("Praxisbeispiele überarbeitet und erneut freigegeben"), *examples_revised),
        ],
    }


def _survey(year: int) -> dict:
    """Released survey indicators: the latest round finalised in each year, released cities only.

    Only ``AggregateCell`` rows of released waves are read (already protected by the monitoring's
    disclosure control; suppressed counts are NULL there and stay suppressed here). The all-cities
    row appears only when every wave of the round is released, as on the monitoring's public pages.
    """
    from monitoring.models import AggregateCell, Concept, SurveyRound, Wave

    rounds = {}
    for survey_round in SurveyRound.objects.filter(finalised_on__year__in=[year - 1, year]).order_by("finalised_on", "slug"):
        rounds[survey_round.finalised_on.year] = survey_round
    if not rounds:
        return {"key": "survey", "rows": [], "rounds": {}}
    waves = list(Wave.objects.filter(round__in=rounds.values()).values("round_id", "municipality_id", "status"))
    released: dict[int, set[int]] = defaultdict(set)
    complete: dict[int, bool] = defaultdict(lambda: True)
    for wave in waves:
        if wave["status"] == Wave.Status.RELEASED:
            released[wave["round_id"]].add(wave["municipality_id"])
        else:
            complete[wave["round_id"]] = False
    where = Q()
    for survey_round in rounds.values():
        where |= Q(round=survey_round, municipality_id__in=released[survey_round.pk])
        if released[survey_round.pk] and complete[survey_round.pk]:
            where |= Q(round=survey_round, municipality__isnull=True)
    cells = AggregateCell.objects.filter(where, facet="total", concept=Concept.IMMIGRATION_HISTORY).select_related("municipality")
    by_round: dict[int, dict[str, dict]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for cell in cells:
        key = cell.municipality.short_name if cell.municipality else "~"
        labels[key] = cell.municipality.short_name if cell.municipality else _("Alle Städte")
        suppressed = cell.suppressed or cell.share is None
        by_round[cell.round_id][key] = {
            "share": None if suppressed else round(100 * cell.share, 1),
            "lower": None if suppressed or cell.lower is None else round(100 * cell.lower, 1),
            "upper": None if suppressed or cell.upper is None else round(100 * cell.upper, 1),
            "respondents": cell.respondents,
        }
    current = by_round.get(rounds[year].pk, {}) if year in rounds else {}
    previous = by_round.get(rounds[year - 1].pk, {}) if year - 1 in rounds else {}
    rows = []
    for key in sorted(labels):
        now, before = current.get(key), previous.get(key)
        rows.append(
            _row(
                labels[key],
                now["share"] if now else None,
                before["share"] if before else None,
                current_interval=[now["lower"], now["upper"]] if now else None,
                previous_interval=[before["lower"], before["upper"]] if before else None,
                current_respondents=now["respondents"] if now else None,
                previous_respondents=before["respondents"] if before else None,
                current_released=now is not None,
                previous_released=before is not None,
            )
        )
    return {
        "key": "survey",
        "rows": rows,
        "rounds": {str(y): {"name": r.name, "slug": r.slug, "k": r.min_cell_size} for y, r in sorted(rounds.items())},
        "chart": True,
    }


def partner_activities(year: int) -> list[dict]:
    """The activities of ``year`` and the year before (events, decisions, public documents and news), each with
    the measure fields it counts for: the office's explicit assignment where there is one, else the keywords.

    Four queries for the activities and one for the assignments, however many there are.
    """
    from calendar_events.models import Event
    from documents.models import Document
    from meetings.models import Decision
    from news.models import Post

    from .models import PartnerAssignment

    Kind = PartnerAssignment.Kind
    items: list[tuple[str, int, int, str]] = []
    items += [(Kind.EVENT, pk, y, t) for pk, t, y in _titles(Event.objects.all(), "starts_at", year)]
    decisions = Decision.objects.filter(
        agenda_item__deleted_at__isnull=True, agenda_item__meeting__deleted_at__isnull=True
    ).exclude(status=Decision.Status.SUPERSEDED)
    items += [
        (Kind.DECISION, pk, y, t) for pk, t, y in _titles(decisions, "agenda_item__meeting__start", year, text_field="text")
    ]
    public_documents = Document.objects.filter(trashed_at__isnull=True, is_public=True)
    items += [(Kind.DOCUMENT, pk, y, t) for pk, t, y in _titles(public_documents, "published_at", year)]
    items += [(Kind.POST, pk, y, t) for pk, t, y in _titles(Post.objects.filter(is_public=True), "published_at", year)]
    explicit = {  # the office's decisions: few rows, read at once
        (kind, object_id, field): assigned
        for kind, object_id, field, assigned in PartnerAssignment.objects.values_list("kind", "object_id", "field", "assigned")
    }
    labels = dict(Kind.choices)
    rows = []
    for kind, pk, y, title in items:
        lowered = title.lower()
        fields, explicit_fields = [], []
        for key in PARTNER_FIELDS:
            decided = explicit.get((kind, pk, key))
            if decided is not None:
                explicit_fields.append(key)
            if decided if decided is not None else any(w in lowered for w in PARTNER_KEYWORDS[key]):
                fields.append(key)
        rows.append(
            {
                "kind": str(kind),
                "kind_label": str(labels[kind]),
                "pk": pk,
                "year": y,
                "title": title,
                "fields": fields,
                "explicit": explicit_fields,
            }
        )
    return rows


def _partner(year: int) -> dict:
    """The year's activities per measure field of the state initiative (see :func:`partner_activities`)."""
    activities = partner_activities(year)
    fields = []
    for key in PARTNER_FIELDS:
        matches = [row for row in activities if key in row["fields"]]
        now = sorted((row["kind_label"], row["title"]) for row in matches if row["year"] == year)
        fields.append(
            {
                "key": key,
                "current": len(now),
                "previous": sum(1 for row in matches if row["year"] == year - 1),
                "examples": [f"{kind}: {title[:140]}" for kind, title in now[:PARTNER_EXAMPLES]],
            }
        )
    return {"fields": fields}


def _titles(queryset, field: str, year: int, *, text_field: str = "title") -> list[tuple[int, str, int]]:
    rows = (
        queryset.filter(**{f"{field}__year__in": [year - 1, year]})
        .annotate(y=ExtractYear(field))
        .values_list("pk", text_field, "y")
        .order_by("y", text_field, "pk")
    )
    return list(rows)


def compute(year: int) -> dict:
    """All figures of the report for ``year`` (and ``year - 1`` beside them), as JSON-safe data.

    Labels are written in German: the report is a German document, and a frozen one keeps its words.
    """
    k = min_cell_size()
    with translation.override("de"):
        cities = _cities()
        meetings, held = _meetings(year)
        sections = [
            meetings,
            _attendance(year, cities, k),
            _representation(year, cities, held),
            _decisions(year),
            _actions(year),
            _events(year),
            _participants(year, cities, k),
            _publications(year),
            _survey(year),
            _projects(year),
        ]
        return {"year": year, "previous": year - 1, "k": k, "sections": sections, "partner": _partner(year)}
