"""Built-in providers for apps that have no search module of their own: people and workspaces.

Both apps save their rows in several places (actions, admin, body sync), so these providers follow
``post_save``/``post_delete`` instead of asking every caller to schedule re-indexing.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from .indexing import schedule
from .models import Audience
from .registry import Entry, Provider, register

PERSON_AUDIENCE = {"public": Audience.PUBLIC, "members": Audience.MEMBERS, "office": Audience.OFFICE}


class PersonProvider(Provider):
    """Only fields that are visible together with the profile are indexed: name, function, department, city.

    E-mail and phone have their own, possibly narrower visibility and are never indexed, so a search
    cannot reveal them (nor find a person by them) to somebody who may not see them.

    Who finds a profile is who may open it (``members.access.people_visible_to``): the audience of its
    profile visibility while active, the office always, and the person themself (a grant to their account).
    """

    kind = "person"
    label = _("Personen")

    @property
    def model(self):
        from members.models import Person

        return Person

    def queryset(self):
        return self.model.objects.select_related("municipality", "organisation")

    def visible_to(self, user):
        from members.access import people_visible_to

        return people_visible_to(user)

    def build(self, person) -> Entry | None:
        audience = PERSON_AUDIENCE[person.profile_visibility] if person.is_active else Audience.OFFICE
        body = " · ".join(p for p in (person.function, person.department, person.affiliation) if p)
        return Entry(
            title=person.full_name,
            body=body,
            url=person.get_absolute_url(),
            date=person.modified,
            audience=audience,
            municipality_id=person.municipality_id,
            readers=[person.user_id] if person.user_id else [],
        )

    def connect(self) -> None:
        _follow(self.model, self.kind)


class WorkspaceProvider(Provider):
    """Found by who may find it (``workspaces.access.can_find``): who may see it, and, for a private workspace
    that takes requests or is open to join and is not archived, everybody with a seat in a body (name and
    description only, as on its page)."""

    kind = "workspace"
    label = _("Arbeitsbereiche")

    @property
    def model(self):
        from workspaces.models import Workspace

        return Workspace

    def visible_to(self, user):
        from workspaces.access import workspaces_findable_by

        return workspaces_findable_by(user)

    def build(self, workspace) -> Entry | None:
        if workspace.visibility == workspace.Visibility.PUBLIC:
            audience = Audience.PUBLIC
        elif workspace.visibility == workspace.Visibility.PRIVATE and _takes_members(workspace):
            audience = Audience.MEMBERS
        else:
            audience = Audience.WORKSPACE
        return Entry(
            title=workspace.name,
            body=workspace.description,
            url=workspace.get_absolute_url(),
            date=workspace.modified,
            audience=audience,
            workspace_id=workspace.pk,
        )

    def connect(self) -> None:
        _follow(self.model, self.kind)


def _takes_members(workspace) -> bool:
    """Whether members with a seat in a body may find the workspace to ask to join or join (see can_find)."""
    return not workspace.is_archived and workspace.join_policy in {
        workspace.JoinPolicy.REQUEST,
        workspace.JoinPolicy.OPEN,
    }


def _follow(model, kind: str) -> None:
    def changed(sender, instance, **kwargs):
        schedule(kind, instance.pk)

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"search-{kind}-save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"search-{kind}-delete")


def register_builtin() -> None:
    register(PersonProvider())
    register(WorkspaceProvider())
