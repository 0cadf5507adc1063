"""Classification rules: raw survey answers -> migration background / immigration history.

The platform stores the raw answers and derives every concept separately, never a single
flag (monitoring.md §1.3, §3.4). This module turns one respondent's answers to the minimal
question set of monitoring.md §1.4 (Q1-Q7) into

* ``migration_background``  - Destatis/Mikrozensus "Migrationshintergrund" (§1.1),
* ``immigration_history``   - Destatis "Einwanderungsgeschichte" since 2023 (§1.2),
* ``one_sided_immigration_history`` - "einseitige Einwanderungsgeschichte" (§1.4), reported
  by Destatis next to the main concept,

each as ``Classification.YES`` / ``NO`` / ``UNCLASSIFIABLE``.

Derivation rules (monitoring.md §1.4, applied literally)::

    MH : Q3 = nein  OR  Q4 in {Einbuergerung, Aussiedler, Adoption}  OR  Q7m = nein  OR  Q7f = nein
    EG : (Q1 = nein AND Q2 = ja)  OR  (Q1 = ja AND Q6m = ja AND Q6f = ja)
    one-sided EG : Q1 = ja AND exactly one of Q6m, Q6f = ja

Missing information ("weiss nicht", "keine Angabe") is evaluated with three-valued (Kleene)
logic: every criterion is True, False or unknown; an OR is True as soon as one operand is
True, an AND is False as soon as one operand is False. Only if the unknown operand could still
flip the result is the respondent UNCLASSIFIABLE. This is exactly "weiss nicht about a parent
makes the respondent unclassifiable where that parent's answer is decisive" (§1.4 last bullet):
e.g. a respondent born in Germany whose father was born in Germany has no EG, whatever they
answered about the mother; but with a foreign-born (1950+) father and "weiss nicht" about the
mother, EG is UNCLASSIFIABLE, never "no".

Choices where monitoring.md is ambiguous (documented here so they can be revisited):

1. Germans born abroad to German parents who moved to Germany in 1950 or later (the open
   case in §1.4): EG = YES, MH = NO. The §1.4 EG rule counts everyone who immigrated since
   1950, irrespective of citizenship, which matches the Destatis first-generation wording
   ("selbst eingewandert"). The bpb note that Destatis has several variants (§1.2) was not
   resolved in the reference; change ``_own_immigrated`` if the project picks another variant.
2. Year of immigration: the reference asks a yes/no item "1950 oder später" (Q2, Q6) rather
   than a year, which keeps re-identification risk low. A UI that asks a year can map it with
   :func:`answer_from_immigration_year`.
3. A parent "born in the current territory of Germany" (Q5 = ja) counts as not immigrated;
   Q6 is then not asked (filter in §1.4).
4. Q5 (parent's birthplace) is irrelevant for MH: a parent born abroad with German citizenship
   since birth does not confer MH (Destatis excludes Germans born abroad whose parents have no
   MH), and a parent born in Germany can be a foreigner by birth. So only Q7 decides the
   parent criterion of MH.
5. German citizenship "by birth" together with another citizenship (Q3 = deutsche und weitere,
   Q4 = durch Geburt) does not by itself confer MH; such persons (e.g. ius-soli children) get
   MH through the parent criterion. If they do not know their parents' citizenship at birth,
   they are UNCLASSIFIABLE.
6. WWII expellees (Vertriebene) are excluded by Destatis, but Q1-Q7 cannot tell an expellee
   parent who became German through Art. 116 GG from a (Spaet-)Aussiedler parent; both answer
   Q7 = nein and yield MH = YES. This is a known limitation of the question set, practically
   irrelevant for today's staff (parents of expellee generation are rare) but documented.
7. Q1 = keine Angabe makes EG UNCLASSIFIABLE (own immigration cannot be ruled out and the
   second-generation branch requires Q1 = ja).
8. Filter logic is strict: a follow-up item must be ``NOT_ASKED`` exactly when its filter
   question does not route to it (Q2 only if Q1 = nein; Q4 only if Q3 is German; Q6 only if
   Q5 = nein). Inconsistent combinations raise :class:`InconsistentAnswersError` instead of
   being repaired silently, because a silent repair would bias the indicator.
9. The NRW TIntG §4 concept is not implemented: its text is marked [unverified] in §1.3.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

Tri = bool | None
"""Three-valued truth value: True, False or None (unknown)."""


class Classification(Enum):
    """Result of a derivation; UNCLASSIFIABLE is never silently counted as NO."""

    YES = "yes"
    NO = "no"
    UNCLASSIFIABLE = "unclassifiable"


class Answer(Enum):
    """Answer to the respondent's own yes/no items (Q1, Q2)."""

    YES = "yes"
    NO = "no"
    NO_ANSWER = "no_answer"
    NOT_ASKED = "not_asked"


class ParentAnswer(Enum):
    """Answer to an item about a parent (Q5, Q6, Q7); parents allow "don't know"."""

    YES = "yes"
    NO = "no"
    DONT_KNOW = "dont_know"
    NO_ANSWER = "no_answer"
    NOT_ASKED = "not_asked"


class Citizenship(Enum):
    """Q3: current citizenship(s)."""

    GERMAN_ONLY = "german_only"
    GERMAN_AND_OTHER = "german_and_other"
    NOT_GERMAN = "not_german"
    NO_ANSWER = "no_answer"


class Acquisition(Enum):
    """Q4: how German citizenship was acquired (Mikrozensus categories since 2017)."""

    BIRTH = "birth"
    NATURALISATION = "naturalisation"
    AUSSIEDLER = "aussiedler"
    ADOPTION = "adoption"
    NO_ANSWER = "no_answer"
    NOT_ASKED = "not_asked"


class InconsistentAnswersError(ValueError):
    """The answer set violates the questionnaire's filter logic."""


QUESTION_TEXT_DE: Mapping[str, str] = {
    "Q1": "Wurden Sie im heutigen Gebiet Deutschlands geboren?",
    "Q2": "Sind Sie 1950 oder später nach Deutschland zugezogen?",
    "Q3": "Besitzen Sie die deutsche Staatsangehörigkeit?",
    "Q4": "Wie haben Sie die deutsche Staatsangehörigkeit erworben?",
    "Q5": "Wurde Ihre Mutter / Ihr Vater im heutigen Gebiet Deutschlands geboren?",
    "Q6": "Ist Ihre Mutter / Ihr Vater 1950 oder später nach Deutschland zugezogen?",
    "Q7": "Besaß Ihre Mutter / Ihr Vater seit der Geburt die deutsche Staatsangehörigkeit?",
}
"""Proposed item wording of monitoring.md §1.4 (derived, not an official questionnaire)."""

LABELS_DE: Mapping[Enum, str] = {
    Answer.YES: "ja",
    Answer.NO: "nein",
    Answer.NO_ANSWER: "keine Angabe",
    Answer.NOT_ASKED: "nicht gefragt",
    ParentAnswer.YES: "ja",
    ParentAnswer.NO: "nein",
    ParentAnswer.DONT_KNOW: "weiß nicht",
    ParentAnswer.NO_ANSWER: "keine Angabe",
    ParentAnswer.NOT_ASKED: "nicht gefragt",
    Citizenship.GERMAN_ONLY: "nur deutsche",
    Citizenship.GERMAN_AND_OTHER: "deutsche und weitere",
    Citizenship.NOT_GERMAN: "nein",
    Citizenship.NO_ANSWER: "keine Angabe",
    Acquisition.BIRTH: "durch Geburt",
    Acquisition.NATURALISATION: "Einbürgerung",
    Acquisition.AUSSIEDLER: "als (Spät-)Aussiedler·in (Aufnahme nach Art. 116 GG)",
    Acquisition.ADOPTION: "Adoption durch deutsche Eltern",
    Acquisition.NO_ANSWER: "keine Angabe",
    Acquisition.NOT_ASKED: "nicht gefragt",
    Classification.YES: "ja",
    Classification.NO: "nein",
    Classification.UNCLASSIFIABLE: "unklassifizierbar",
}
"""German UI labels; kept as data so the UI can render answers without touching the rules."""

_GERMAN = (Citizenship.GERMAN_ONLY, Citizenship.GERMAN_AND_OTHER)


def _require_type(value: object, enum_type: type[Enum], item: str) -> None:
    """Reject raw strings early: a typo must not become an 'unknown' answer."""
    if not isinstance(value, enum_type):
        raise InconsistentAnswersError(f"{item}: expected {enum_type.__name__}, got {value!r}")


def _require_routing(asked: bool, value: Enum, not_asked: Enum, item: str) -> None:
    """A follow-up is answered exactly when the filter question routes to it."""
    if asked and value is not_asked:
        raise InconsistentAnswersError(f"{item} must be answered (filter routes to it)")
    if not asked and value is not not_asked:
        raise InconsistentAnswersError(f"{item} must be NOT_ASKED (filter skips it)")


@dataclass(frozen=True)
class ParentAnswers:
    """Answers about one parent: Q5 born in Germany, Q6 immigrated 1950+, Q7 German since birth."""

    born_in_germany: ParentAnswer
    immigrated_since_1950: ParentAnswer
    german_since_birth: ParentAnswer

    def __post_init__(self) -> None:
        _require_type(self.born_in_germany, ParentAnswer, "Q5")
        _require_type(self.immigrated_since_1950, ParentAnswer, "Q6")
        _require_type(self.german_since_birth, ParentAnswer, "Q7")
        if self.born_in_germany is ParentAnswer.NOT_ASKED:
            raise InconsistentAnswersError("Q5 is always asked")
        if self.german_since_birth is ParentAnswer.NOT_ASKED:
            raise InconsistentAnswersError("Q7 is always asked")
        _require_routing(
            self.born_in_germany is ParentAnswer.NO,
            self.immigrated_since_1950,
            ParentAnswer.NOT_ASKED,
            "Q6",
        )


@dataclass(frozen=True)
class RawAnswers:
    """One respondent's raw answers to Q1-Q7 (monitoring.md §1.4), validated on creation."""

    born_in_germany: Answer
    immigrated_since_1950: Answer
    citizenship: Citizenship
    acquisition: Acquisition
    mother: ParentAnswers
    father: ParentAnswers

    def __post_init__(self) -> None:
        _require_type(self.born_in_germany, Answer, "Q1")
        _require_type(self.immigrated_since_1950, Answer, "Q2")
        _require_type(self.citizenship, Citizenship, "Q3")
        _require_type(self.acquisition, Acquisition, "Q4")
        if not isinstance(self.mother, ParentAnswers) or not isinstance(self.father, ParentAnswers):
            raise InconsistentAnswersError("mother and father must be ParentAnswers")
        if self.born_in_germany is Answer.NOT_ASKED:
            raise InconsistentAnswersError("Q1 is always asked")
        _require_routing(self.born_in_germany is Answer.NO, self.immigrated_since_1950, Answer.NOT_ASKED, "Q2")
        _require_routing(self.citizenship in _GERMAN, self.acquisition, Acquisition.NOT_ASKED, "Q4")


@dataclass(frozen=True)
class DerivedStatus:
    """All concepts derived from one answer set, stored side by side (§3.4)."""

    migration_background: Classification
    immigration_history: Classification
    one_sided_immigration_history: Classification


def answer_from_immigration_year(year: int | None) -> Answer:
    """Map a year-of-immigration item to the Q2 cut-off answer (None = keine Angabe)."""
    if year is None:
        return Answer.NO_ANSWER
    return Answer.YES if year >= 1950 else Answer.NO


def _any(*values: Tri) -> Tri:
    """Kleene OR: True wins, otherwise unknown beats False."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def _all(*values: Tri) -> Tri:
    """Kleene AND: False wins, otherwise unknown beats True."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def _xor(a: Tri, b: Tri) -> Tri:
    """Exactly one of two is True; unknown if either operand is unknown."""
    if a is None or b is None:
        return None
    return a != b


def _to_classification(value: Tri) -> Classification:
    if value is None:
        return Classification.UNCLASSIFIABLE
    return Classification.YES if value else Classification.NO


def _parent_yes_no(answer: ParentAnswer) -> Tri:
    """ja -> True, nein -> False, weiss nicht / keine Angabe -> unknown."""
    if answer is ParentAnswer.YES:
        return True
    if answer is ParentAnswer.NO:
        return False
    return None


def _own_lacks_birth_citizenship(answers: RawAnswers) -> Tri:
    """MH own criterion: not German, or German but not by birth (Q3, Q4)."""
    if answers.citizenship is Citizenship.NOT_GERMAN:
        return True
    if answers.citizenship is Citizenship.NO_ANSWER:
        return None
    if answers.acquisition is Acquisition.BIRTH:
        return False
    if answers.acquisition is Acquisition.NO_ANSWER:
        return None
    return True  # naturalisation, (Spaet-)Aussiedler, adoption


def _parent_lacks_birth_citizenship(parent: ParentAnswers) -> Tri:
    """MH parent criterion: the parent was not German since birth (Q7 = nein)."""
    german_since_birth = _parent_yes_no(parent.german_since_birth)
    return None if german_since_birth is None else not german_since_birth


def _own_immigrated(answers: RawAnswers) -> Tri:
    """EG first generation: born abroad and moved to Germany in 1950 or later (Q1, Q2)."""
    if answers.born_in_germany is Answer.YES:
        return False
    if answers.born_in_germany is Answer.NO_ANSWER:
        return None
    if answers.immigrated_since_1950 is Answer.YES:
        return True
    if answers.immigrated_since_1950 is Answer.NO:
        return False
    return None


def _born_in_germany(answers: RawAnswers) -> Tri:
    if answers.born_in_germany is Answer.NO_ANSWER:
        return None
    return answers.born_in_germany is Answer.YES


def _parent_immigrated(parent: ParentAnswers) -> Tri:
    """Parent born abroad and moved to Germany in 1950 or later (Q5, Q6)."""
    born_here = _parent_yes_no(parent.born_in_germany)
    if born_here is None:
        return None
    if born_here:
        return False
    return _parent_yes_no(parent.immigrated_since_1950)


def migration_background(answers: RawAnswers) -> Classification:
    """Destatis/Mikrozensus Migrationshintergrund (monitoring.md §1.1, rule in §1.4)."""
    return _to_classification(
        _any(
            _own_lacks_birth_citizenship(answers),
            _parent_lacks_birth_citizenship(answers.mother),
            _parent_lacks_birth_citizenship(answers.father),
        )
    )


def immigration_history(answers: RawAnswers) -> Classification:
    """Destatis Einwanderungsgeschichte since 2023: self or both parents immigrated 1950+."""
    second_generation = _all(
        _born_in_germany(answers),
        _parent_immigrated(answers.mother),
        _parent_immigrated(answers.father),
    )
    return _to_classification(_any(_own_immigrated(answers), second_generation))


def one_sided_immigration_history(answers: RawAnswers) -> Classification:
    """Born in Germany with exactly one parent who immigrated 1950+ (not counted as EG)."""
    exactly_one = _xor(_parent_immigrated(answers.mother), _parent_immigrated(answers.father))
    return _to_classification(_all(_born_in_germany(answers), exactly_one))


def derive(answers: RawAnswers) -> DerivedStatus:
    """Derive every concept at once, so callers never store just one flag."""
    return DerivedStatus(
        migration_background=migration_background(answers),
        immigration_history=immigration_history(answers),
        one_sided_immigration_history=one_sided_immigration_history(answers),
    )
