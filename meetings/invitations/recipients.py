"""Who is invited (the body's seats that get the invitation) and their personal reply links."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.actions import record
from meetings.models import Meeting, MeetingGuest, ReplyLink
from members.models import Membership, Person

RECIPIENT_ROLES = [
    Membership.Role.SPEAKER,
    Membership.Role.DEPUTY_SPEAKER,
    Membership.Role.MEMBER,
    Membership.Role.DEPUTY_MEMBER,
    Membership.Role.MANAGING_OFFICE,
]


def recipients(meeting: Meeting) -> list[Person]:
    """Members and deputies of the body (and its managing office seats) with an e-mail address."""
    people = (
        Person.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.current(timezone.localtime(meeting.start).date()).filter(
                body=meeting.body, role__in=RECIPIENT_ROLES
            ),
        )
        .exclude(email="")
        .distinct()
        .select_related("user", "municipality")
        .order_by("family_name", "given_name", "pk")
    )
    return list(people)


@transaction.atomic
def issue_reply_link(meeting: Meeting, *, person: Person | None = None, guest: MeetingGuest | None = None) -> str:
    """A new personal reply link for one mail; returns the clear token (for that mail only, never stored)."""
    token, token_hash = ReplyLink.new_token()
    ReplyLink.objects.create(meeting=meeting, person=person, guest=guest, token_hash=token_hash)
    record(
        None,
        "meetings.reply_link_issued",
        meeting,
        after={"person": person.pk if person else None, "guest": guest.pk if guest else None},
    )
    return token
