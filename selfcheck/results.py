"""What the result pages, the summary PDF and the public page show; a fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from members.models import Municipality

from .charts import trend_chart
from .consolidation import COOPERATION, Cell, Consolidation, Rating, consolidate
from .models import Answer, FollowUp, Item, Round


def ratings(rounds) -> dict[int, list[Rating]]:
    by_round: dict[int, list[Rating]] = {}
    rows = Answer.objects.filter(round__in=rounds).values_list(
        "round_id", "item_id", "item__factor_id", "municipality_id", "rater_id", "value"
    )
    for round_id, item_id, factor_id, city_id, rater_id, value in rows:
        by_round.setdefault(round_id, []).append(Rating(item_id, factor_id, city_id, rater_id, value))
    return by_round


@dataclass
class ItemRow:
    item: Item
    cooperation: Cell | None
    cities: list[Cell | None]
    follow_up: FollowUp | None = None

    @property
    def flagged(self) -> bool:
        return any(c is not None and c.flagged for c in [self.cooperation, *self.cities])


@dataclass
class FactorBlock:
    title: str
    factor_id: int
    cooperation: Cell | None
    cities: list[Cell | None]
    items: list[ItemRow] = field(default_factory=list)


@dataclass
class RoundResult:
    round: Round
    cities: list[Municipality]
    raters: dict[int | None, int]
    factors: list[FactorBlock]
    trend_rounds: list[Round]
    trend_rows: list[tuple[str, list[Cell | None]]]
    chart: str

    @property
    def flagged(self) -> list[ItemRow]:
        return [row for block in self.factors for row in block.items if row.flagged]


def round_result(
    selfcheck_round: Round, city_ids: set[int] | None, *, trend_city: int | None = COOPERATION, released_only: bool = False
) -> RoundResult:
    """The consolidated result for the cities in ``city_ids`` (None: all that answered) and the cooperation,
    and the trend over this checklist's rounds up to this one (for ``trend_city``, default the cooperation;
    ``released_only``: the public trend, which leaves out rounds the office has not released)."""
    earlier = Round.objects.filter(checklist_id=selfcheck_round.checklist_id, opened_at__lte=selfcheck_round.opened_at)
    if released_only:
        earlier = earlier.filter(released=True)
    history = list(earlier.order_by("opened_at", "pk"))
    by_round = ratings(history)
    results: dict[int, Consolidation] = {r.pk: consolidate(by_round.get(r.pk, [])) for r in history}
    current = results[selfcheck_round.pk]
    answered = {key for key in current.raters if key is not COOPERATION}
    wanted = answered if city_ids is None else answered & city_ids
    cities = list(Municipality.objects.filter(pk__in=wanted).order_by("short_name"))
    follow_ups = {f.item_id: f for f in FollowUp.objects.filter(round=selfcheck_round).select_related("task")}
    blocks: dict[int, FactorBlock] = {}
    for item in selfcheck_round.items():
        block = blocks.get(item.factor_id)
        if block is None:
            block = blocks[item.factor_id] = FactorBlock(
                item.factor.title,
                item.factor_id,
                current.factor(item.factor_id),
                [current.factor(item.factor_id, c.pk) for c in cities],
            )
        block.items.append(
            ItemRow(item, current.item(item.pk), [current.item(item.pk, c.pk) for c in cities], follow_ups.get(item.pk))
        )
    factors = list(blocks.values())
    trend_rows = [(b.title, [results[r.pk].factor(b.factor_id, trend_city) for r in history]) for b in factors]
    chart = trend_chart(
        [(title, [c.median if c and not c.suppressed else None for c in cells]) for title, cells in trend_rows],
        [r.name for r in history],
        ident=f"trend-{selfcheck_round.pk}",
        title=_("Entwicklung je Erfolgsfaktor"),
    )
    return RoundResult(selfcheck_round, cities, current.raters, factors, history, trend_rows, chart)


def previous_follow_ups(selfcheck_round: Round) -> dict[str, list[FollowUp]]:
    """Tasks created from earlier rounds of the same checklist, by item key (keys stay across versions)."""
    earlier = FollowUp.objects.filter(
        round__checklist_id=selfcheck_round.checklist_id, round__opened_at__lt=selfcheck_round.opened_at
    ).select_related("task", "item", "round")
    found: dict[str, list[FollowUp]] = {}
    for follow_up in earlier:
        found.setdefault(follow_up.item.key, []).append(follow_up)
    return found


@dataclass(frozen=True)
class MonitoringFigure:
    round_name: str
    share: float | None
    lower: float | None
    upper: float | None
    index: float | None
    suppressed: bool
    url: str


def monitoring_figure(city: Municipality) -> MonitoringFigure | None:
    """The city's latest *released* monitoring result (staff with immigration history), read through the
    monitoring's public scope and report functions only: what the public may see, nothing more."""
    from django.http import Http404
    from django.urls import reverse

    from monitoring.access import public_scope
    from monitoring.models import Concept, SurveyRound, Wave
    from monitoring.reports import city_report

    released = (
        SurveyRound.objects.filter(finalised_on__isnull=False, waves__municipality=city, waves__status=Wave.Status.RELEASED)
        .order_by("-finalised_on", "-pk")
        .first()
    )
    if released is None:
        return None
    try:
        report = city_report(public_scope(released.slug, city.slug), Concept.IMMIGRATION_HISTORY)
    except Http404:
        return None
    cell = report.total
    if cell is None:
        return None
    return MonitoringFigure(
        released.name,
        cell.share,
        cell.lower,
        cell.upper,
        cell.index_total,
        bool(cell.suppressed),
        reverse("monitoring:public_city", args=[released.slug, city.slug]),
    )
