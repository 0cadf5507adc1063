"""Who may see, write and review practice examples. The one access function per type answers 404 alike.

- The public reads published examples whose published version carries CC BY 4.0; "internal only"
  examples are read by the members (a seat in a body), the office and admins.
- Authors read and revise their own examples, published or not; nobody else's (404).
- Reviewers: the managing office (every example) and the second reviewer assigned to an example.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import is_member, is_office

from .models import Contributor, Licence, PracticeExample


def is_contributor(user) -> bool:
    return bool(user.is_authenticated and Contributor.objects.filter(person__user=user, person__is_active=True).exists())


def may_contribute(user) -> bool:
    """External contributors and everybody with a seat in a body may write practice examples."""
    return bool(user.is_authenticated and (is_member(user) or is_contributor(user)))


def may_review_any(user) -> bool:
    return bool(user.is_authenticated and is_office(user))


def public_examples() -> QuerySet[PracticeExample]:
    return PracticeExample.objects.filter(published__isnull=False, published__licence=Licence.CC_BY)


def examples_visible_to(user) -> QuerySet[PracticeExample]:
    """Every example ``user`` may open (published ones and, for authors and reviewers, their unpublished ones)."""
    if not user.is_authenticated:
        return public_examples()
    if is_office(user):
        return PracticeExample.objects.all()
    condition = Q(published__isnull=False, published__licence=Licence.CC_BY) | Q(author=user) | Q(reviewer=user)
    if is_member(user):
        condition |= Q(published__isnull=False)
    return PracticeExample.objects.filter(condition)


def published_visible_to(user) -> QuerySet[PracticeExample]:
    """The published examples ``user`` may read (the lists and the search)."""
    published = PracticeExample.objects.filter(published__isnull=False)
    if user.is_authenticated and is_member(user):
        return published
    if user.is_authenticated:
        return published.filter(Q(published__licence=Licence.CC_BY) | Q(author=user) | Q(reviewer=user))
    return published.filter(published__licence=Licence.CC_BY)


def can_review(user, example: PracticeExample) -> bool:
    return bool(user.is_authenticated and (is_office(user) or example.reviewer_id == user.pk))


def get_example_for_user(user, pk, *, write: bool = False, review: bool = False) -> PracticeExample:
    """The example ``pk`` if ``user`` may open it (``write``: they are its author; ``review``: they review it)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    example = (
        examples_visible_to(user)
        .select_related("latest", "published", "author__person", "reviewer__person")
        .filter(pk=pk)
        .first()
    )
    if example is None:
        raise Http404
    if write and example.author_id != user.pk:
        raise Http404
    if review and not can_review(user, example):
        raise Http404
    return example
