"""Demo data for the monitoring: sourced population figures, headcounts and synthetic survey waves.

Real: the population figures (``data/population_reference.csv``, every row with its source, from
shared/reference/monitoring.md §3) and the order of magnitude of the staff headcounts (§3.3 and
the 2008/09 annex of seed 003). Synthetic and labelled as such: the split of headcounts by HR
attribute and every survey answer. The answers follow plausible parameters: response rates of
20-35 % (monitoring.md §4.2), shares with migration background well below the population's
(about half, as in Berlin 2024 and the federal DuCS), higher among trainees and younger staff.

``load_demo_monitoring()`` is idempotent and is called by ``manage.py seed_demo``.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from members.models import Municipality

from . import actions, codes
from .imports import import_population
from .models import AccessCode, HRHeadcount, PopulationReference, Questionnaire, Response, SurveyRound, Wave
from .questionnaire import CORE_V1, pages_for
from .survey import build_response

POPULATION_CSV = Path(__file__).resolve().parent / "data" / "population_reference.csv"

# Staff headcounts (order of magnitude) and where the figure comes from.
HEADCOUNTS = {
    "bochum": (6_958, "Größenordnung nach Seed 003 (Anhang, 2008/09)"),
    "bottrop": (2_400, "keine Quelle gefunden (n/f): synthetischer Wert"),
    "dortmund": (11_000, "Größenordnung nach Ruhr Nachrichten/WDR (rund 11.000 Beschäftigte)"),
    "duisburg": (6_468, "Größenordnung nach Seed 003 (Anhang, 2008/09)"),
    "essen": (10_140, "Größenordnung nach WAZ (Ende 2020)"),
    "gelsenkirchen": (5_000, "keine Quelle gefunden (n/f): synthetischer Wert"),
    "hagen": (3_000, "Größenordnung nach Westfalenpost (rund 3.000)"),
    "herne": (3_001, "Größenordnung nach WAZ (2021)"),
    "muelheim-an-der-ruhr": (3_290, "Größenordnung nach Seed 003 (Anhang, 2008/09)"),
    "oberhausen": (2_296, "Größenordnung nach Seed 003 (Anhang, 2008/09)"),
}
# The demo compares cities only on figures of one vintage: population shares with migration background
# from the Zensus 2011 (one reference date, 09.05.2011, one definition), the Einwanderungsgeschichte
# from the Zensus 2022 (15.05.2022) and the population totals of the Zensus 2022 and the IT.NRW
# Fortschreibung of 31.12.2024. The Mikrozensus values (2007 to 2019) and the city registers (2019 to
# 2022) stay in data/population_reference.csv for offices to import, but side by side they would
# compare a 2007 figure with a 2019 one. Cities without a Zensus 2011 figure show none.
DEMO_POPULATION_CONCEPTS = ("population", "mh_census_2011", "eg_census_2022")
# Population share with migration background (Zensus 2011) used to set the synthetic staff share
# (fallback 28 %, the order of the other Ruhr cities in the same census).
POPULATION_SHARE = {
    "bottrop": 0.234,
    "duisburg": 0.312,
    "gelsenkirchen": 0.2941,
    "hagen": 0.327,
    "muelheim-an-der-ruhr": 0.233,
}
# Staff distribution per HR attribute (synthetic); k.A. is not an HR category.
STAFF_MIX = {
    "department_group": {"central": 0.22, "social": 0.27, "technical": 0.2, "order": 0.19, "education": 0.12},
    "pay_band": {"low": 0.36, "middle": 0.4, "high": 0.17, "training": 0.07},
    "trainee": {"yes": 0.07, "no": 0.93},
    "age_band": {"under_30": 0.17, "30_39": 0.22, "40_49": 0.21, "50_59": 0.27, "60_plus": 0.13},
    "gender": {"female": 0.6, "male": 0.395, "diverse": 0.005},
    "working_time": {"full_time": 0.7, "part_time": 0.3},
}
DEMO_CODES = ("ESSN-DEMA-AAA2", "ESSN-DEMA-AAA3", "ESSN-DEMA-AAA4", "ESSN-DEMA-AAA5", "ESSN-DEMA-AAA6")
"""Fixed codes of the demo's running survey (Essen), listed in monitoring/README.md. Demo only."""

INTRODUCTION = (
    "Mit dieser Befragung möchten die zehn Städte der Kooperation Integration.Interkommunal erfahren, wie vielfältig "
    "ihre Verwaltungen sind. Die Teilnahme ist freiwillig und anonym. Ausgewertet werden nur Gruppen mit mindestens "
    "zehn Antworten; einzelne Antworten sieht niemand. Verantwortlich ist die Geschäftsführung der Kooperation im "
    "Auftrag der Städte; der Personalrat ist beteiligt."
)


def _split(total: int, mix: dict[str, float], rng: random.Random) -> dict[str, int]:
    """Integer counts that add up to ``total``, jittered around ``mix``."""
    weights = {key: share * rng.uniform(0.85, 1.15) for key, share in mix.items()}
    scale = total / sum(weights.values())
    counts = {key: int(weight * scale) for key, weight in weights.items()}
    first = next(iter(counts))
    counts[first] += total - sum(counts.values())
    return counts


def comparable_population_rows() -> bytes:
    """The sourced figures of the vintages the demo compares (DEMO_POPULATION_CONCEPTS), as CSV."""
    header, *rows = POPULATION_CSV.read_text(encoding="utf-8").splitlines()
    kept = [row for row in rows if row.split(";")[2] in DEMO_POPULATION_CONCEPTS]
    return "\n".join([header, *kept, ""]).encode("utf-8")


def load_headcounts(day: dt.date, rng: random.Random, growth: float = 1.0) -> None:
    for slug, (total, source) in HEADCOUNTS.items():
        city = Municipality.objects.get(slug=slug)
        size = round(total * growth)
        label = f"Demo: Gesamtzahl {source}; Aufteilung nach Merkmalen synthetisch"
        rows = [
            HRHeadcount(municipality=city, reference_date=day, attribute="total", category="total", headcount=size, source=label)
        ]
        for attribute, mix in STAFF_MIX.items():
            for category, count in _split(size, mix, rng).items():
                rows.append(
                    HRHeadcount(
                        municipality=city,
                        reference_date=day,
                        attribute=attribute,
                        category=category,
                        headcount=count,
                        source=label,
                    )
                )
        HRHeadcount.objects.bulk_create(rows)


# --- Synthetic answers ------------------------------------------------------------------------------------


def _pick(rng: random.Random, mix: dict[str, float]) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _employment(rng: random.Random) -> dict[str, str]:
    trainee = rng.random() < 0.06  # trainees answer a little less often than their 7 % of staff
    age = (
        "under_30"
        if trainee and rng.random() < 0.85
        else _pick(rng, {"under_30": 0.13, "30_39": 0.22, "40_49": 0.23, "50_59": 0.29, "60_plus": 0.13})
    )
    answers = {
        "department_group": _pick(rng, STAFF_MIX["department_group"]),
        "pay_band": "training" if trainee else _pick(rng, {"low": 0.38, "middle": 0.43, "high": 0.19}),
        "trainee": "yes" if trainee else "no",
        "age_band": age,
        "gender": _pick(rng, STAFF_MIX["gender"]),
        "working_time": "full_time" if trainee else _pick(rng, STAFF_MIX["working_time"]),
    }
    for key in answers:
        if rng.random() < 0.025:
            answers[key] = "no_answer"
    return answers


def _origin(rng: random.Random, with_background: bool) -> dict[str, str]:
    """Raw answers Q1-Q7 of one synthetic person (Destatis concepts derive from them)."""
    german_parents = {"q5m": "yes", "q7m": "yes", "q5f": "yes", "q7f": "yes"}
    if not with_background:
        answers = {"q1": "yes", "q3": "german_only", "q4": "birth", **german_parents}
        if rng.random() < 0.035:  # does not know a parent's citizenship at birth: unclassifiable, never "no"
            answers["q7f"] = "dont_know"
        return answers
    kind = rng.random()
    if kind < 0.5:  # immigrated themselves
        citizenship = rng.choice(["not_german", "german_only", "german_and_other"])
        acquisition = (
            rng.choice(["naturalisation", "naturalisation", "aussiedler"]) if citizenship != "not_german" else "not_asked"
        )
        return {
            "q1": "no",
            "q2": "yes",
            "q3": citizenship,
            "q4": acquisition,
            "q5m": "no",
            "q6m": "yes",
            "q7m": "no",
            "q5f": "no",
            "q6f": "yes",
            "q7f": "no",
        }
    if kind < 0.75:  # born here, both parents immigrated
        return {
            "q1": "yes",
            "q3": rng.choice(["german_only", "german_and_other"]),
            "q4": rng.choice(["birth", "naturalisation"]),
            "q5m": "no",
            "q6m": "yes",
            "q7m": "no",
            "q5f": "no",
            "q6f": "yes",
            "q7f": "no",
        }
    if kind < 0.95:  # one immigrant parent: migration background, no (two-sided) immigration history
        return {"q1": "yes", "q3": "german_only", "q4": "birth", **german_parents, "q5f": "no", "q6f": "yes", "q7f": "no"}
    return {"q1": "yes", "q3": "german_only", "q4": "naturalisation", "q5m": "yes", "q7m": "no", "q5f": "yes", "q7f": "no"}


def synthetic_responses(wave: Wave, count: int, base_share: float, rng: random.Random) -> list[Response]:
    pages = pages_for(CORE_V1, wave.local_items)
    local_items = [item for page in pages if page.key == "local" for item in page.items]
    rows = []
    for _ in range(count):
        employment = _employment(rng) | {item.key: rng.choice(sorted(item.values)) for item in local_items}
        factor = 1.8 if employment["trainee"] == "yes" else 1.0
        factor *= {"under_30": 1.5, "30_39": 1.2, "40_49": 1.0, "50_59": 0.75, "60_plus": 0.6}.get(employment["age_band"], 1.0)
        own = _origin(rng, rng.random() < min(base_share * factor, 0.95))
        rows.append(build_response(wave, pages, {**own, **employment}))
    return rows


# --- Loading -----------------------------------------------------------------------------------------------


def _round(actor, slug: str, name: str, questionnaire: Questionnaire, previous: SurveyRound | None) -> SurveyRound:
    return actions.create_round(actor, slug=slug, name=name, questionnaire=questionnaire, min_cell_size=10, previous=previous)


def _survey(actor, survey_round: SurveyRound, start: dt.date, rng: random.Random, scale: float, drift: float) -> None:
    for slug, (total, _source) in HEADCOUNTS.items():
        city = Municipality.objects.get(slug=slug)
        wave = actions.save_wave(
            actor, Wave(round=survey_round, municipality=city, fielding_start=start, fielding_end=start + dt.timedelta(days=41))
        )
        rate = rng.uniform(0.2, 0.35)
        share = POPULATION_SHARE.get(slug, 0.28) * rng.uniform(0.4, 0.55) * drift
        count = max(int(total * rate * scale), 1)
        # Synthetic answers are generated in random order already, so the demo skips the shuffle of closing.
        Response.objects.bulk_create(synthetic_responses(wave, count, share, rng), batch_size=2000)
        Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)


@transaction.atomic
def load_demo_monitoring(*, scale: float = 1.0, seed: int = 2026) -> dict:
    """Population figures, headcounts, two evaluated rounds (2023, 2025) and a running one (2026)."""
    if Questionnaire.objects.exists():
        return {"created": False}
    rng = random.Random(seed)
    if not PopulationReference.objects.exists():
        result = import_population(comparable_population_rows(), None)
        if not result.ok:
            raise RuntimeError(f"demo population figures do not import: {result.errors}")
    load_headcounts(dt.date(2022, 12, 31), rng, growth=0.97)
    load_headcounts(dt.date(2024, 12, 31), rng)
    questionnaire = Questionnaire.objects.create(
        version="2023-1", core=CORE_V1.version, title="Beschäftigtenbefragung zur Vielfalt", introduction=INTRODUCTION
    )
    first = _round(None, "2023", "Beschäftigtenbefragung 2023", questionnaire, None)
    _survey(None, first, dt.date(2023, 3, 1), rng, scale, drift=0.9)
    actions.finalise_round(None, first)
    second = _round(None, "2025", "Beschäftigtenbefragung 2025", questionnaire, first)
    _survey(None, second, dt.date(2025, 3, 3), rng, scale, drift=1.0)
    actions.finalise_round(None, second)

    # History as it would be: the 2023 raw answers are gone (retention), its results public.
    Wave.objects.filter(round=first).update(finalised_on=dt.date(2023, 6, 30))
    SurveyRound.objects.filter(pk=first.pk).update(finalised_on=dt.date(2023, 6, 30))
    for wave in Wave.objects.filter(round=first):
        actions.set_wave_status(None, wave, Wave.Status.RELEASED)
        actions.delete_raw_responses(None, wave)
    for wave in Wave.objects.filter(round=second).exclude(municipality__slug__in=["bottrop", "hagen", "herne"]):
        actions.set_wave_status(None, wave, Wave.Status.RELEASED)

    # A running survey to try: Essen is fielding with the demo codes, Herne with an open link.
    today = timezone.localdate()
    third = _round(None, "2026", "Beschäftigtenbefragung 2026", questionnaire, second)
    for slug in ("essen", "herne"):
        wave = actions.save_wave(
            None,
            Wave(
                round=third,
                municipality=Municipality.objects.get(slug=slug),
                fielding_start=today - dt.timedelta(days=7),
                fielding_end=today + dt.timedelta(days=60),
            ),
            open_link=slug == "herne",
        )
        actions.set_wave_status(None, wave, Wave.Status.FIELDING)
        if slug == "essen":
            AccessCode.objects.bulk_create(
                AccessCode(wave=wave, code_hash=codes.code_hash(codes.normalise(c))) for c in DEMO_CODES
            )
    _demo_city_account()
    return {"created": True, "rounds": [first, second, third]}


DEMO_HR_EMAIL = "personal.essen@interkommunal.example"


def _demo_city_account() -> None:
    """A login for Essen's HR department, to see a city dashboard (password as for all demo logins)."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from members.demo import DEMO_PASSWORD
    from members.models import Person

    if User.objects.filter(email=DEMO_HR_EMAIL).exists():
        return
    user = User.objects.create_user(email=DEMO_HR_EMAIL, password=DEMO_PASSWORD)
    EmailAddress.objects.create(user=user, email=DEMO_HR_EMAIL, primary=True, verified=True)
    essen = Municipality.objects.get(slug="essen")
    Person.objects.create(
        given_name="Pia",
        family_name="Personal",
        municipality=essen,
        department="Personalentwicklung",
        email=DEMO_HR_EMAIL,
        user=user,
    )
    actions.grant_access(None, user, essen, "hr")
