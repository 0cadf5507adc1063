"""The search's access check reuses compiled access querysets (lib/compiled.py) and still follows every change.

Between two searches of the same person, memberships, a workspace's visibility, the person's seats
(roles) and their account change behind the actions; after each change the check must agree with the
access function built anew. Builders that read data in Python or depend on the day are never kept.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from documents.access import documents_visible_to
from lib import compiled as compiled_module
from lib.compiled import compiled
from members.models import Body, Membership, Person
from search.backends import Hit
from search.service import _checked, search
from tasks.models import Task
from tests.documents.scene import WORDS
from workspaces.models import Workspace, WorkspaceMember

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


def as_request(user: User) -> User:
    """The user as a new request loads it: nothing cached on the object."""
    return User.objects.get(pk=user.pk)


def hits_for(docs) -> list[Hit]:
    return [
        Hit(
            id=n,
            kind="document",
            object_id=d.pk,
            title=d.title,
            url="",
            date=timezone.now(),
            workspace_id=d.workspace_id,
            score=1.0,
        )
        for n, d in enumerate(docs)
    ]


def checked_ids(user, docs) -> set[int]:
    return {hit.object_id for hit in _checked(user, hits_for(docs))}


def truth(user, docs) -> set[int]:
    return set(documents_visible_to(user).filter(pk__in=[d.pk for d in docs]).values_list("pk", flat=True))


def test_the_check_follows_memberships_visibility_roles_and_the_account(scene, users):
    docs = list(scene["docs"].values())
    private = scene["workspaces"]["private"]
    outsider = users["outsider"]
    compiled_module.forget()
    before = compiled_module.stats()

    steps = [
        ("as it was", lambda: None),
        ("member of the private workspace", lambda: WorkspaceMember.objects.create(workspace=private, user=outsider)),
        ("membership ended", lambda: WorkspaceMember.objects.filter(workspace=private, user=outsider).delete()),
        ("private workspace opened to all", lambda: Workspace.objects.filter(pk=private.pk).update(visibility="public")),
        ("and closed again", lambda: Workspace.objects.filter(pk=private.pk).update(visibility="private")),
        (
            "a seat in a body (new role)",
            lambda: Membership.objects.create(
                person=outsider.person,
                body=Body.objects.get(slug="projektteam"),
                role=Membership.Role.MEMBER,
                start_date=timezone.localdate() - dt.timedelta(days=1),
            ),
        ),
        (
            "the seat ended",
            lambda: Membership.objects.filter(person=outsider.person).update(
                end_date=timezone.localdate() - dt.timedelta(days=1)
            ),
        ),
        ("made platform admin", lambda: User.objects.filter(pk=outsider.pk).update(is_superuser=True)),
        ("and back", lambda: User.objects.filter(pk=outsider.pk).update(is_superuser=False)),
    ]
    seen = []
    for label, change in steps:
        change()
        viewer = as_request(outsider)
        expected = truth(as_request(outsider), docs)
        assert checked_ids(viewer, docs) == expected, label
        seen.append(frozenset(expected))
        # the search page's path gives the same answer (scope and check both compiled)
        word = WORDS["private"].split()[0]
        found = {h.object_id for h in search(as_request(outsider), word).hits}
        assert found == expected & {scene["docs"]["private"].pk}, label
    assert len(set(seen)) >= 3, "the steps must change what the outsider may open"
    after = compiled_module.stats()
    assert after["hits"] > before["hits"], "unchanged viewers reuse the compiled statement"


def test_each_persona_gets_what_its_access_function_gives(scene, users):
    docs = list(scene["docs"].values())
    for name, user in users.items():
        viewer = as_request(user) if user is not None else AnonymousUser()
        for _ in range(2):  # built, then reused
            assert checked_ids(viewer, docs) == truth(viewer, docs), name


def test_a_builder_that_reads_data_is_used_once_and_never_kept(users):
    member = users["member"]
    calls = []

    def reads_ids(viewer):
        calls.append(1)
        return Membership.objects.filter(person_id__in=list(Person.objects.values_list("pk", flat=True)))

    def reads_the_person(viewer):
        calls.append(1)
        return Workspace.objects.filter(members__user__person__municipality_id=viewer.person.municipality_id)

    viewer = User.objects.select_related("person").get(pk=member.pk)  # the person already loaded on the request's user
    for builder in (reads_ids, reads_the_person):
        calls.clear()
        first = compiled(f"test:{builder.__name__}", viewer, builder)
        second = compiled(f"test:{builder.__name__}", viewer, builder)
        assert first == second and first is not None
        assert len(calls) == 2, f"{builder.__name__} was kept"


def test_a_builder_with_the_date_is_kept_for_the_day_and_one_with_the_time_never(users):
    calls = {"day": 0, "now": 0}

    def current(viewer):
        calls["day"] += 1
        return Membership.objects.filter(start_date__lte=timezone.localdate())

    def published(viewer):
        calls["now"] += 1
        return Membership.objects.filter(created__lte=timezone.now())

    today = timezone.localtime().replace(hour=12, minute=0)
    with time_machine.travel(today, tick=False):
        first = [compiled("test:current", as_request(users["member"]), current) for _ in range(2)]
        for _ in range(2):
            compiled("test:now", as_request(users["member"]), published)
    assert calls == {"day": 1, "now": 2}
    with time_machine.travel(today + dt.timedelta(days=1), tick=False):
        later = compiled("test:current", as_request(users["member"]), current)
    assert calls["day"] == 2, "a new day compiles again"
    assert first[0] == first[1] != later


def test_the_roles_follow_a_seat_ending_at_midnight(users):
    """The roles' own query is kept for the day: a seat that ends today counts today, not tomorrow."""
    from accounts.roles import BODY_MEMBER, roles_of

    member = users["member"]
    today = timezone.localtime().replace(hour=12, minute=0)
    Membership.objects.filter(person__user=member).update(end_date=today.date())
    with time_machine.travel(today, tick=False):
        assert BODY_MEMBER in roles_of(as_request(member))
        assert BODY_MEMBER in roles_of(as_request(member))
    with time_machine.travel(today + dt.timedelta(days=1), tick=False):
        assert BODY_MEMBER not in roles_of(as_request(member))


def test_a_builder_that_reads_only_the_row_and_the_roles_is_kept_per_viewer(users):
    calls = []

    def own(viewer):
        calls.append(1)
        return Task.objects.filter(created_by=viewer) if viewer.is_authenticated else Task.objects.none()

    compiled_module.forget()
    member, office = as_request(users["member"]), as_request(users["office"])
    assert compiled("test:own", member, own) == compiled("test:own", as_request(users["member"]), own)
    assert compiled("test:own", office, own) != compiled("test:own", member, own)
    assert compiled("test:own", AnonymousUser(), own) is None  # none(): nothing to run
    assert compiled("test:own", None, own) is None
    assert len(calls) == 3
