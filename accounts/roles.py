"""The platform's roles, derived from accounts and current memberships.

Roles are not stored separately: a person is in the managing office because they
hold a current managing-office membership, so ending the membership ends the
role, and the audit log of memberships is also the log of role changes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PLATFORM_ADMIN = "platform_admin"
MANAGING_OFFICE = "managing_office"
BODY_MEMBER = "body_member"
EXTERNAL_GUEST = "external_guest"
ANONYMOUS = "anonymous"

ROLE_LABELS = {
    PLATFORM_ADMIN: _("Plattform-Administration"),
    MANAGING_OFFICE: _("Geschäftsführung"),
    BODY_MEMBER: _("Gremienmitglied"),
    EXTERNAL_GUEST: _("externer Gast"),
    ANONYMOUS: _("Öffentlichkeit"),
}

_CACHE_ATTR = "_interkommunal_roles"


def roles_of(user) -> frozenset[str]:
    """All roles of ``user``; cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset({ANONYMOUS})
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from django.db import connection

    from lib.compiled import compiled
    from members.models import Body, Membership

    roles: set[str] = set()
    if user.is_superuser:
        roles.add(PLATFORM_ADMIN)
    # Asked on nearly every request: the query is compiled once a day per account (lib/compiled.py).
    seats_sql = compiled(
        "roles:seats",
        user,
        lambda viewer: Membership.objects.current()
        .filter(person__user=viewer, person__is_active=True)
        .values_list("role", "body__kind"),
        roles=False,
    )
    seats: list = []
    if seats_sql is not None:
        with connection.cursor() as cursor:
            cursor.execute(*seats_sql)
            seats = cursor.fetchall()
    for role, body_kind in seats:
        if role == Membership.Role.MANAGING_OFFICE or body_kind == Body.Kind.MANAGING_OFFICE:
            roles.add(MANAGING_OFFICE)
        if role != Membership.Role.GUEST:
            roles.add(BODY_MEMBER)
    if not roles:
        roles.add(EXTERNAL_GUEST)
    result = frozenset(roles)
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_roles(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_office(user) -> bool:
    """Managing office or platform admin: may administer members and public pages."""
    return bool(roles_of(user) & {MANAGING_OFFICE, PLATFORM_ADMIN})


def is_member(user) -> bool:
    """Sees the members' contact data: anybody with a seat in a body, the office and admins."""
    return bool(roles_of(user) & {BODY_MEMBER, MANAGING_OFFICE, PLATFORM_ADMIN})


def primary_role(user) -> str:
    roles = roles_of(user)
    for role in (PLATFORM_ADMIN, MANAGING_OFFICE, BODY_MEMBER, EXTERNAL_GUEST):
        if role in roles:
            return role
    return ANONYMOUS
