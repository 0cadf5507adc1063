"""What the load test's users need, made in the platform's own process (its secret key, its database).

``prepare(members)`` returns the JSON-able setup the locustfile reads: sessions for ``members`` active
accounts of generated workspaces (bench/load/locustfile.py cycles through them), an open scheduling poll
in each of their workspaces, and the office's session as manager of the invitation workspace (all
generated accounts are its members, so a post there notifies about 2,000 people at scale 1000).
"""

from __future__ import annotations

import datetime as dt

POLL_TITLE = "Lasttest: Termin für den Fachtag"


def _cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _poll_for(workspace, organiser, now: dt.datetime) -> int:
    from polls.models import Poll, Slot

    poll = Poll.objects.filter(workspace=workspace, title=POLL_TITLE, deadline__gt=now + dt.timedelta(days=1)).first()
    if poll is None:
        poll = Poll.objects.create(
            workspace=workspace, title=POLL_TITLE, deadline=now + dt.timedelta(days=30), organiser=organiser, location="Rathaus"
        )
        for day in (10, 11, 12):
            start = now + dt.timedelta(days=day)
            Slot.objects.create(poll=poll, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    return poll.pk


def prepare(members: int) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from members.scale_content import INVITATION_WORKSPACE
    from workspaces.models import WorkspaceMember

    seats = (
        WorkspaceMember.objects.filter(workspace__slug__startswith="gen-0", user__is_active=True, user__person__is_active=True)
        .select_related("workspace", "user")
        .order_by("user_id", "workspace_id")
    )
    by_user: dict = {}
    for seat in seats:
        by_user.setdefault(seat.user, []).append(seat)
    chosen = list(by_user.items())[:members]
    now = timezone.now()
    polls: dict[int, int] = {}
    for _user, user_seats in chosen:
        for seat in user_seats:
            if seat.workspace_id not in polls:
                polls[seat.workspace_id] = _poll_for(seat.workspace, seat.user, now)
    office = WorkspaceMember.objects.filter(workspace__slug=INVITATION_WORKSPACE).order_by("user_id").first()
    office.role = "manager"
    office.save(update_fields=["role"])
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "members": [
            {
                "email": user.email,
                "cookie": _cookie(user),
                "workspaces": [s.workspace.slug for s in user_seats],
                "editor_workspaces": [s.workspace.slug for s in user_seats if s.role in ("manager", "editor")],
                "polls": [polls[s.workspace_id] for s in user_seats],
            }
            for user, user_seats in chosen
        ],
        "invited": WorkspaceMember.objects.filter(workspace__slug=INVITATION_WORKSPACE).count(),
        "office": {"cookie": _cookie(office.user), "workspace": INVITATION_WORKSPACE},
    }
