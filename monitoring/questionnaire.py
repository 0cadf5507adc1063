"""The standard questionnaire as code: fixed core items, HR attributes, routing and page order.

Why code and not database rows: the core must be identical in every city and every wave, or
cities and waves stop being comparable (monitoring.md §3.4, §4.4). A new wording or a new
answer category is a new ``CoreSpec`` version, never an edit of an old one; stored raw answers
name the version they were given under (``answers["_core"]``), so every concept can be
re-derived later with :mod:`monitoring.stats.derivation`.

Items Q1-Q7 follow monitoring.md §1.4. The country of origin is not asked (Berlin 2024 practice,
§2.1), and the HR attributes are coarse bands with "keine Angabe" (BfDI guidance, §2.5).
A city may append its own single-choice items (``Wave.local_items``); they always get
"keine Angabe" too and never feed the comparable indicators.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .stats.derivation import (
    Acquisition,
    Answer,
    Citizenship,
    DerivedStatus,
    ParentAnswer,
    ParentAnswers,
    RawAnswers,
    derive,
)

NO_ANSWER = "no_answer"
NOT_ASKED = "not_asked"


@dataclass(frozen=True)
class Item:
    """One single-choice question. ``asked`` decides from earlier answers whether it is routed to."""

    key: str
    text: str
    choices: tuple[tuple[str, str], ...]
    hint: str = ""
    asked: Callable[[Mapping[str, str]], bool] | None = None

    def is_asked(self, answers: Mapping[str, str]) -> bool:
        return self.asked is None or self.asked(answers)

    @property
    def values(self) -> frozenset[str]:
        return frozenset(value for value, _label in self.choices)

    def label_of(self, value: str) -> str:
        return str(dict(self.choices).get(value, value))


@dataclass(frozen=True)
class Page:
    """A questionnaire page; shown only if at least one of its items is routed to."""

    key: str
    title: str
    items: tuple[Item, ...]
    intro: str = ""
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def asked_items(self, answers: Mapping[str, str]) -> list[Item]:
        return [item for item in self.items if item.is_asked(answers)]


@dataclass(frozen=True)
class Facet:
    """A coarse HR attribute: the subgroups indicators are broken down by.

    ``categories`` are stored as their index (small integer) on each response, so the order is
    part of the core version and never changes within it.
    """

    key: str
    label: str
    categories: tuple[tuple[str, str], ...]

    def index_of(self, value: str) -> int:
        return [code for code, _label in self.categories].index(value)

    def code_at(self, index: int) -> str:
        return self.categories[index][0]

    def label_of(self, code: str) -> str:
        return str(dict(self.categories).get(code, code))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.categories)


YES_NO = (("yes", _("ja")), ("no", _("nein")), (NO_ANSWER, _("keine Angabe")))
PARENT = (("yes", _("ja")), ("no", _("nein")), ("dont_know", _("weiß nicht")), (NO_ANSWER, _("keine Angabe")))
GERMAN = ("german_only", "german_and_other")

CITIZENSHIP = (
    ("german_only", _("ja, nur die deutsche")),
    ("german_and_other", _("ja, die deutsche und eine weitere")),
    ("not_german", _("nein")),
    (NO_ANSWER, _("keine Angabe")),
)
ACQUISITION = (
    ("birth", _("durch Geburt")),
    ("naturalisation", _("durch Einbürgerung")),
    ("aussiedler", _("als (Spät-)Aussiedler*in (Aufnahme nach Art. 116 GG)")),
    ("adoption", _("durch Adoption durch deutsche Eltern")),
    (NO_ANSWER, _("keine Angabe")),
)


def _parent_items(suffix: str, texts: tuple[str, str, str, str]) -> tuple[Item, Item, Item]:
    """Q5–Q7 for one parent. Whole sentences per parent, so that translators see complete questions."""
    born_text, moved_text, moved_hint, citizen_text = texts
    born = Item(f"q5{suffix}", born_text, PARENT)
    moved = Item(f"q6{suffix}", moved_text, PARENT, hint=moved_hint, asked=lambda a, key=f"q5{suffix}": a.get(key) == "no")
    citizen = Item(f"q7{suffix}", citizen_text, PARENT)
    return born, moved, citizen


Q1 = Item("q1", _("Wurden Sie im heutigen Gebiet Deutschlands geboren?"), YES_NO)
Q2 = Item(
    "q2",
    _("Sind Sie 1950 oder später nach Deutschland zugezogen?"),
    YES_NO,
    hint=_("Diese Frage erscheint, weil Sie angegeben haben, nicht in Deutschland geboren zu sein."),
    asked=lambda a: a.get("q1") == "no",
)
Q3 = Item("q3", _("Besitzen Sie die deutsche Staatsangehörigkeit?"), CITIZENSHIP)
Q4 = Item(
    "q4",
    _("Wie haben Sie die deutsche Staatsangehörigkeit erworben?"),
    ACQUISITION,
    hint=_("Diese Frage erscheint, weil Sie angegeben haben, die deutsche Staatsangehörigkeit zu besitzen."),
    asked=lambda a: a.get("q3") in GERMAN,
)
Q5M, Q6M, Q7M = _parent_items(
    "m",
    (
        _("Wurde Ihre Mutter im heutigen Gebiet Deutschlands geboren?"),
        _("Ist Ihre Mutter 1950 oder später nach Deutschland zugezogen?"),
        _("Diese Frage erscheint, weil Sie angegeben haben, dass Ihre Mutter nicht in Deutschland geboren wurde."),
        _("Besaß Ihre Mutter seit der Geburt die deutsche Staatsangehörigkeit?"),
    ),
)
Q5F, Q6F, Q7F = _parent_items(
    "f",
    (
        _("Wurde Ihr Vater im heutigen Gebiet Deutschlands geboren?"),
        _("Ist Ihr Vater 1950 oder später nach Deutschland zugezogen?"),
        _("Diese Frage erscheint, weil Sie angegeben haben, dass Ihr Vater nicht in Deutschland geboren wurde."),
        _("Besaß Ihr Vater seit der Geburt die deutsche Staatsangehörigkeit?"),
    ),
)

FACETS: tuple[Facet, ...] = (
    Facet(
        "department_group",
        _("Fachbereichsgruppe"),
        (
            ("central", _("Zentrale Verwaltung, Finanzen, Personal")),
            ("social", _("Soziales, Jugend, Gesundheit")),
            ("technical", _("Bauen, Umwelt, Technik")),
            ("order", _("Ordnung, Sicherheit, Bürgerservice")),
            ("education", _("Bildung, Kultur, Sport")),
            (NO_ANSWER, _("keine Angabe")),
        ),
    ),
    Facet(
        "pay_band",
        _("Entgelt- oder Besoldungsgruppe"),
        (
            ("low", _("bis EG 8 bzw. bis A 8")),
            ("middle", _("EG 9a bis EG 12 bzw. A 9 bis A 12")),
            ("high", _("ab EG 13 bzw. ab A 13")),
            ("training", _("Ausbildungsentgelt oder Anwärterbezüge")),
            (NO_ANSWER, _("keine Angabe")),
        ),
    ),
    Facet(
        "trainee",
        _("Nachwuchskraft (Ausbildung, duales Studium, Vorbereitungsdienst)"),
        (("yes", _("ja")), ("no", _("nein")), (NO_ANSWER, _("keine Angabe"))),
    ),
    Facet(
        "age_band",
        _("Altersgruppe"),
        (
            ("under_30", _("unter 30 Jahre")),
            ("30_39", _("30 bis 39 Jahre")),
            ("40_49", _("40 bis 49 Jahre")),
            ("50_59", _("50 bis 59 Jahre")),
            ("60_plus", _("60 Jahre und älter")),
            (NO_ANSWER, _("keine Angabe")),
        ),
    ),
    Facet(
        "gender",
        _("Geschlecht"),
        (("female", _("weiblich")), ("male", _("männlich")), ("diverse", _("divers")), (NO_ANSWER, _("keine Angabe"))),
    ),
    Facet(
        "working_time",
        _("Arbeitszeit"),
        (("full_time", _("Vollzeit")), ("part_time", _("Teilzeit")), (NO_ANSWER, _("keine Angabe"))),
    ),
)
FACET_BY_KEY: Mapping[str, Facet] = {facet.key: facet for facet in FACETS}
FACET_KEYS: tuple[str, ...] = tuple(FACET_BY_KEY)

FACET_ITEMS: tuple[Item, ...] = tuple(Item(f.key, f.label, f.categories) for f in FACETS)


@dataclass(frozen=True)
class CoreSpec:
    version: str
    pages: tuple[Page, ...]
    facets: tuple[Facet, ...] = field(default=FACETS)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for page in self.pages for item in page.items)

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)


CORE_V1 = CoreSpec(
    version="1",
    pages=(
        Page(
            "you",
            _("Geburtsort und Staatsangehörigkeit"),
            (Q1, Q3),
            intro=_("Alle Fragen sind freiwillig. Wenn Sie eine Frage nicht beantworten möchten, wählen Sie „keine Angabe“."),
        ),
        Page("you_more", _("Zuzug und Erwerb der Staatsangehörigkeit"), (Q2, Q4)),
        Page(
            "parents",
            _("Ihre Eltern"),
            (Q5M, Q7M, Q5F, Q7F),
            intro=_(
                "Mit Eltern sind die Personen gemeint, die Sie als Ihre Mutter und Ihren Vater ansehen. "
                "Wenn Sie etwas nicht wissen, wählen Sie „weiß nicht“."
            ),
            groups=((_("Ihre Mutter"), ("q5m", "q7m")), (_("Ihr Vater"), ("q5f", "q7f"))),
        ),
        Page(
            "parents_more",
            _("Zuzug Ihrer Eltern"),
            (Q6M, Q6F),
            groups=((_("Ihre Mutter"), ("q6m",)), (_("Ihr Vater"), ("q6f",))),
        ),
        Page(
            "employment",
            _("Angaben zu Ihrer Beschäftigung"),
            FACET_ITEMS,
            intro=_("Diese Angaben sind bewusst grob, damit niemand wiedererkannt werden kann."),
        ),
    ),
)
CORE_SPECS: Mapping[str, CoreSpec] = {CORE_V1.version: CORE_V1}
CORE_CHOICES = [(version, _("Kernfragebogen Version %(v)s") % {"v": version}) for version in CORE_SPECS]


# --- City items -----------------------------------------------------------------------------


def local_item(spec: Mapping[str, object]) -> Item:
    """A city's own item from ``Wave.local_items`` (validated there); "keine Angabe" is added."""
    choices = tuple((str(value), str(label)) for value, label in spec["choices"])  # type: ignore[union-attr]
    if NO_ANSWER not in {value for value, _label in choices}:
        choices += ((NO_ANSWER, str(_("keine Angabe"))),)
    return Item(f"local_{spec['key']}", str(spec["text"]), choices, hint=str(spec.get("hint", "")))


def validate_local_items(items: object) -> list[str]:
    """Problems in a ``local_items`` definition, in German; empty list if it is usable."""
    problems: list[str] = []
    if not isinstance(items, list):
        return [str(_("Die eigenen Fragen müssen eine Liste sein."))]
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(str(_("Frage %(n)s ist kein Objekt.") % {"n": number}))
            continue
        key = item.get("key")
        if not isinstance(key, str) or not key.isidentifier() or len(key) > 30:
            problems.append(
                str(_("Frage %(n)s: „key“ muss ein kurzer Bezeichner sein (Buchstaben, Ziffern, _).") % {"n": number})
            )
        elif key in seen:
            problems.append(str(_("Frage %(n)s: der Bezeichner „%(key)s“ kommt doppelt vor.") % {"n": number, "key": key}))
        else:
            seen.add(key)
        if not isinstance(item.get("text"), str) or not item["text"].strip():
            problems.append(str(_("Frage %(n)s: der Fragetext fehlt.") % {"n": number}))
        choices = item.get("choices")
        if (
            not isinstance(choices, list)
            or len(choices) < 2
            or not all(isinstance(c, list | tuple) and len(c) == 2 and all(isinstance(x, str) and x for x in c) for c in choices)
        ):
            problems.append(str(_("Frage %(n)s: mindestens zwei Antworten als [Wert, Text] angeben.") % {"n": number}))
        elif len({c[0] for c in choices}) != len(choices):
            problems.append(str(_("Frage %(n)s: Antwortwerte müssen eindeutig sein.") % {"n": number}))
    return problems


# --- Routing and derivation --------------------------------------------------------------------


def pages_for(spec: CoreSpec, local_items: Sequence[Mapping[str, object]] = ()) -> list[Page]:
    """All pages of a wave's questionnaire: the core, then the city's own items at the end."""
    pages = list(spec.pages)
    if local_items:
        pages.append(Page("local", _("Fragen Ihrer Stadt"), tuple(local_item(i) for i in local_items)))
    return pages


def complete_answers(pages: Sequence[Page], answers: Mapping[str, str]) -> dict[str, str]:
    """The stored raw answers: every item of every page, NOT_ASKED where routing skipped it.

    Values for items that are not routed to are dropped (a respondent who first said "not born
    in Germany", answered Q2, then went back and changed Q1 must not keep a stale Q2).
    """
    complete: dict[str, str] = {}
    for page in pages:
        for item in page.items:
            complete[item.key] = answers[item.key] if item.is_asked({**answers, **complete}) else NOT_ASKED
    return complete


def raw_answers(answers: Mapping[str, str]) -> RawAnswers:
    """Core answers (complete, as stored) -> the typed answer set of the derivation rules."""

    def own(key: str) -> Answer:
        return Answer(answers[key])

    def parent(suffix: str) -> ParentAnswers:
        return ParentAnswers(
            born_in_germany=ParentAnswer(answers[f"q5{suffix}"]),
            immigrated_since_1950=ParentAnswer(answers[f"q6{suffix}"]),
            german_since_birth=ParentAnswer(answers[f"q7{suffix}"]),
        )

    return RawAnswers(
        born_in_germany=own("q1"),
        immigrated_since_1950=own("q2"),
        citizenship=Citizenship(answers["q3"]),
        acquisition=Acquisition(answers["q4"]),
        mother=parent("m"),
        father=parent("f"),
    )


def derive_status(answers: Mapping[str, str]) -> DerivedStatus:
    return derive(raw_answers(answers))
