"""Every branch of the MH / EG derivation (monitoring.md §1.4), incl. each "weiss nicht" path."""

from __future__ import annotations

import pytest

from monitoring.stats.derivation import (
    LABELS_DE,
    Acquisition,
    Answer,
    Citizenship,
    Classification,
    InconsistentAnswersError,
    ParentAnswer,
    ParentAnswers,
    RawAnswers,
    answer_from_immigration_year,
    derive,
    immigration_history,
    migration_background,
    one_sided_immigration_history,
)

Y, N, DK, NA, SKIP = (
    ParentAnswer.YES,
    ParentAnswer.NO,
    ParentAnswer.DONT_KNOW,
    ParentAnswer.NO_ANSWER,
    ParentAnswer.NOT_ASKED,
)
YES, NO, UNCL = Classification.YES, Classification.NO, Classification.UNCLASSIFIABLE

# Parents: (Q5 born in Germany, Q6 immigrated 1950+, Q7 German since birth)
NATIVE = ParentAnswers(Y, SKIP, Y)  # born in Germany, German since birth
IMMIGRANT_FOREIGN = ParentAnswers(N, Y, N)  # came 1950+, not German at birth
IMMIGRANT_GERMAN = ParentAnswers(N, Y, Y)  # German born abroad, came 1950+
NEVER_CAME_FOREIGN = ParentAnswers(N, N, N)  # born abroad, never moved (or before 1950)
BEFORE_1950_GERMAN = ParentAnswers(N, N, Y)
BORN_HERE_FOREIGN = ParentAnswers(Y, SKIP, N)  # e.g. 2nd generation, not German at birth
BIRTHPLACE_DK = ParentAnswers(DK, SKIP, DK)
BIRTHPLACE_NA = ParentAnswers(NA, SKIP, NA)
YEAR_DK_FOREIGN = ParentAnswers(N, DK, N)
YEAR_NA_GERMAN = ParentAnswers(N, NA, Y)
CITIZENSHIP_DK = ParentAnswers(Y, SKIP, DK)
CITIZENSHIP_NA = ParentAnswers(Y, SKIP, NA)


def person(
    born: Answer = Answer.YES,
    since_1950: Answer = Answer.NOT_ASKED,
    citizenship: Citizenship = Citizenship.GERMAN_ONLY,
    acquisition: Acquisition = Acquisition.BIRTH,
    mother: ParentAnswers = NATIVE,
    father: ParentAnswers = NATIVE,
) -> RawAnswers:
    return RawAnswers(born, since_1950, citizenship, acquisition, mother, father)


ABROAD = {"born": Answer.NO, "since_1950": Answer.YES}
FOREIGNER = {"citizenship": Citizenship.NOT_GERMAN, "acquisition": Acquisition.NOT_ASKED}

# (id, answers, expected MH, expected EG, expected one-sided EG)
CASES = [
    ("native_no_history", person(), NO, NO, NO),
    ("one_immigrant_parent", person(mother=IMMIGRANT_FOREIGN), YES, NO, YES),
    ("one_immigrant_parent_father", person(father=IMMIGRANT_FOREIGN), YES, NO, YES),
    ("second_generation_both_parents", person(mother=IMMIGRANT_FOREIGN, father=IMMIGRANT_FOREIGN), YES, YES, NO),
    (
        "first_generation_foreigner",
        person(**ABROAD, **FOREIGNER, mother=NEVER_CAME_FOREIGN, father=NEVER_CAME_FOREIGN),
        YES,
        YES,
        NO,
    ),
    (
        "naturalised_immigrant",
        person(**ABROAD, acquisition=Acquisition.NATURALISATION, mother=NEVER_CAME_FOREIGN, father=NEVER_CAME_FOREIGN),
        YES,
        YES,
        NO,
    ),
    (
        "aussiedler",
        person(**ABROAD, acquisition=Acquisition.AUSSIEDLER, mother=IMMIGRANT_FOREIGN, father=IMMIGRANT_FOREIGN),
        YES,
        YES,
        NO,
    ),
    ("adopted_by_germans", person(acquisition=Acquisition.ADOPTION), YES, NO, NO),
    (
        "third_generation_naturalised",
        person(acquisition=Acquisition.NATURALISATION, mother=BORN_HERE_FOREIGN, father=BORN_HERE_FOREIGN),
        YES,
        NO,
        NO,
    ),
    ("german_born_abroad_german_parents", person(**ABROAD, mother=IMMIGRANT_GERMAN, father=IMMIGRANT_GERMAN), NO, YES, NO),
    (
        "immigrated_before_1950",
        person(born=Answer.NO, since_1950=Answer.NO, mother=BEFORE_1950_GERMAN, father=BEFORE_1950_GERMAN),
        NO,
        NO,
        NO,
    ),
    (
        "ius_soli_dual_citizen",
        person(citizenship=Citizenship.GERMAN_AND_OTHER, mother=BORN_HERE_FOREIGN, father=BORN_HERE_FOREIGN),
        YES,
        NO,
        NO,
    ),
    (
        "dual_citizen_immigrant_parents",
        person(citizenship=Citizenship.GERMAN_AND_OTHER, mother=IMMIGRANT_FOREIGN, father=IMMIGRANT_FOREIGN),
        YES,
        YES,
        NO,
    ),
    ("parents_immigrated_before_1950", person(mother=BEFORE_1950_GERMAN, father=BEFORE_1950_GERMAN), NO, NO, NO),
    # --- "weiss nicht" / "keine Angabe" about a parent: decisive -> UNCLASSIFIABLE
    ("mother_citizenship_dk_decisive", person(mother=CITIZENSHIP_DK), UNCL, NO, NO),
    ("mother_citizenship_na_decisive", person(mother=CITIZENSHIP_NA), UNCL, NO, NO),
    ("father_birthplace_dk_decisive_for_eg", person(mother=IMMIGRANT_FOREIGN, father=BIRTHPLACE_DK), YES, UNCL, UNCL),
    ("father_birthplace_na_decisive_for_eg", person(mother=IMMIGRANT_FOREIGN, father=BIRTHPLACE_NA), YES, UNCL, UNCL),
    ("father_year_dk_decisive_for_eg", person(mother=IMMIGRANT_FOREIGN, father=YEAR_DK_FOREIGN), YES, UNCL, UNCL),
    ("both_years_na", person(mother=YEAR_NA_GERMAN, father=YEAR_NA_GERMAN), NO, UNCL, UNCL),
    ("both_parents_na", person(mother=BIRTHPLACE_NA, father=BIRTHPLACE_NA), UNCL, UNCL, UNCL),
    # --- ... and not decisive -> the other answers settle it
    ("father_dk_but_mother_native", person(father=BIRTHPLACE_DK), UNCL, NO, UNCL),
    ("mother_dk_but_self_foreigner", person(**FOREIGNER, mother=CITIZENSHIP_DK), YES, NO, NO),
    ("parents_dk_but_self_immigrated", person(**ABROAD, **FOREIGNER, mother=BIRTHPLACE_DK, father=BIRTHPLACE_DK), YES, YES, NO),
    ("mother_dk_father_foreign_at_birth", person(mother=BIRTHPLACE_DK, father=BORN_HERE_FOREIGN), YES, NO, UNCL),
    # --- own "keine Angabe"
    ("own_citizenship_na", person(citizenship=Citizenship.NO_ANSWER, acquisition=Acquisition.NOT_ASKED), UNCL, NO, NO),
    (
        "own_citizenship_na_parent_decides",
        person(citizenship=Citizenship.NO_ANSWER, acquisition=Acquisition.NOT_ASKED, mother=IMMIGRANT_FOREIGN),
        YES,
        NO,
        YES,
    ),
    ("own_acquisition_na", person(acquisition=Acquisition.NO_ANSWER), UNCL, NO, NO),
    ("own_birthplace_na", person(born=Answer.NO_ANSWER), NO, UNCL, NO),
    (
        "own_birthplace_na_immigrant_parents",
        person(born=Answer.NO_ANSWER, mother=IMMIGRANT_FOREIGN, father=IMMIGRANT_FOREIGN),
        YES,
        UNCL,
        NO,
    ),
    ("own_birthplace_na_one_immigrant_parent", person(born=Answer.NO_ANSWER, mother=IMMIGRANT_FOREIGN), YES, UNCL, UNCL),
    ("own_year_na", person(born=Answer.NO, since_1950=Answer.NO_ANSWER), NO, UNCL, NO),
]


@pytest.mark.parametrize(("answers", "mh", "eg", "one_sided"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_derivation_table(answers: RawAnswers, mh: Classification, eg: Classification, one_sided: Classification) -> None:
    assert migration_background(answers) is mh
    assert immigration_history(answers) is eg
    assert one_sided_immigration_history(answers) is one_sided
    assert derive(answers).migration_background is mh


def test_unclassifiable_is_never_no() -> None:
    """The explicit rule of §1.4: "weiss nicht" must not be reported as "no"."""
    answers = person(mother=IMMIGRANT_FOREIGN, father=BIRTHPLACE_DK)
    assert immigration_history(answers) is not NO


@pytest.mark.parametrize(
    "build",
    [
        lambda: person(since_1950=Answer.YES),  # Q2 answered although born in Germany
        lambda: person(born=Answer.NO),  # Q2 missing although born abroad
        lambda: person(born=Answer.NOT_ASKED),  # Q1 is always asked
        lambda: person(citizenship=Citizenship.NOT_GERMAN),  # Q4 answered for a foreigner
        lambda: person(acquisition=Acquisition.NOT_ASKED),  # Q4 missing for a German
        lambda: person(citizenship=Citizenship.NO_ANSWER),  # Q4 must be skipped after k.A.
        lambda: ParentAnswers(Y, Y, Y),  # Q6 answered although parent born in Germany
        lambda: ParentAnswers(N, SKIP, Y),  # Q6 missing although parent born abroad
        lambda: ParentAnswers(DK, DK, Y),  # Q6 only follows Q5 = nein
        lambda: ParentAnswers(SKIP, SKIP, Y),  # Q5 is always asked
        lambda: ParentAnswers(Y, SKIP, SKIP),  # Q7 is always asked
        lambda: ParentAnswers("ja", SKIP, Y),  # raw strings are rejected
        lambda: RawAnswers("yes", Answer.NOT_ASKED, Citizenship.GERMAN_ONLY, Acquisition.BIRTH, NATIVE, NATIVE),
        lambda: RawAnswers(Answer.YES, Answer.NOT_ASKED, Citizenship.GERMAN_ONLY, Acquisition.BIRTH, None, NATIVE),
    ],
)
def test_inconsistent_answers_are_rejected(build) -> None:
    with pytest.raises(InconsistentAnswersError):
        build()


def test_raw_answers_are_frozen() -> None:
    answers = person()
    with pytest.raises(AttributeError):
        answers.born_in_germany = Answer.NO  # type: ignore[misc]


def test_every_answer_has_a_german_label() -> None:
    from enum import Enum

    for enum_type in (Answer, ParentAnswer, Citizenship, Acquisition, Classification):
        member: Enum
        for member in enum_type:
            assert LABELS_DE[member]
    assert LABELS_DE[ParentAnswer.DONT_KNOW] == "weiß nicht"
    assert LABELS_DE[Answer.NO_ANSWER] == "keine Angabe"


@pytest.mark.parametrize(
    ("year", "expected"), [(1949, Answer.NO), (1950, Answer.YES), (2015, Answer.YES), (None, Answer.NO_ANSWER)]
)
def test_year_item_maps_to_cutoff(year: int | None, expected: Answer) -> None:
    assert answer_from_immigration_year(year) is expected
