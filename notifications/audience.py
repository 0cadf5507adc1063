"""Who an event goes to, stored as data so the worker can work out the people later.

A news post in a workspace of 2,000 members is one ``Audience.workspace(...)``: the request writes
one event row, and the worker turns it into 2,000 notifications.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from accounts.models import User


@dataclass(frozen=True)
class Audience:
    kind: str  # users | workspace | municipality | members
    ids: tuple[int, ...] = ()
    exclude: tuple[int, ...] = field(default=())

    @classmethod
    def users(cls, users, *, exclude=()) -> Audience:
        return cls("users", tuple(sorted({u.pk for u in users})), _ids(exclude))

    @classmethod
    def workspace(cls, workspace, *, exclude=()) -> Audience:
        return cls("workspace", (workspace.pk,), _ids(exclude))

    @classmethod
    def municipality(cls, municipality, *, exclude=()) -> Audience:
        return cls("municipality", (municipality.pk,), _ids(exclude))

    @classmethod
    def platform_members(cls, *, exclude=()) -> Audience:
        """Everybody with a seat in a body, the managing office and the platform admins."""
        return cls("members", (), _ids(exclude))

    def as_json(self) -> dict:
        return {"kind": self.kind, "ids": list(self.ids), "exclude": list(self.exclude)}

    @classmethod
    def from_json(cls, data: dict) -> Audience:
        return cls(data["kind"], tuple(data.get("ids", ())), tuple(data.get("exclude", ())))

    def resolve(self) -> QuerySet[User]:
        """The active accounts this audience means today."""
        from members.models import Membership

        qs = User.objects.filter(is_active=True).exclude(email="")
        if self.kind == "users":
            qs = qs.filter(pk__in=self.ids)
        elif self.kind == "workspace":
            qs = qs.filter(workspace_memberships__workspace_id__in=self.ids)
        elif self.kind == "municipality":
            qs = qs.filter(person__municipality_id__in=self.ids, person__is_active=True)
        elif self.kind == "members":
            seated = (
                Membership.objects.current()
                .filter(person__is_active=True, person__user__isnull=False)
                .exclude(role=Membership.Role.GUEST)
                .values("person__user_id")
            )
            qs = qs.filter(Q(is_superuser=True) | Q(pk__in=seated))
        else:
            raise ValueError(f"unknown audience {self.kind!r}")
        if self.exclude:
            qs = qs.exclude(pk__in=self.exclude)
        return qs.distinct()


def _ids(users) -> tuple[int, ...]:
    return tuple(sorted({u.pk for u in users if u is not None and getattr(u, "pk", None)}))
