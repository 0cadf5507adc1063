"""The Django admin changes no domain object: every write goes through the actions.

For every model registered in the admin, a platform admin (superuser with a second factor) posts
to its add, change and delete pages and runs the bulk delete on its list. Every table must be
unchanged afterwards, except for the writes listed in ALLOWED with their reason.
The posted data is what the admin's own form would send for an existing row, with one text
field altered, so an admin that still saved would change that row.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from allauth.usersessions.models import UserSession
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from meetings.papers.actions import add_external_committee
from members.models import Municipality
from tests.events.matrix import event_ids
from tests.knowledge.matrix import knowledge_ids
from tests.meetings.matrix import meeting_ids
from tests.support.database_state import changed_tables, database_state

# (model label, admin view) → why that write is allowed
ALLOWED = {
    ("mfa.authenticator", "delete"): "the only way to reset a lost second factor; audited in accounts/admin.py",
}


@pytest.fixture
def scene(personas):
    meeting_ids(personas)
    event_ids(personas)  # events: a forum with contingent and registrations, a documented past forum
    knowledge_ids(personas)  # a reviewed practice example with material and problem report
    from events.models import Event, Feedback

    Feedback.objects.create(event=Event.objects.get(slug="forum-matrix-doku"), rating=4, comment="Gut")
    add_external_committee(personas["office"], Municipality.objects.get(slug="essen"), "Hauptausschuss")
    Group.objects.create(name="Gruppe")
    app = SocialApp.objects.create(provider="openid_connect", provider_id="stadt", name="Stadt", client_id="id")
    account = SocialAccount.objects.create(user=personas["member"], provider="stadt", uid="m-1")
    SocialToken.objects.create(app=app, account=account, token="geheim")
    UserSession.objects.create(user=personas["member"], ip="127.0.0.1", session_key="abc", user_agent="Test")
    DBTaskResult.objects.create(task_path="ops.tasks.nothing", args_kwargs={}, queue_name="default", backend_name="default")
    return personas


def _sessions() -> set:
    """The sessions' identity (database_state ignores their table: every request moves "last seen")."""
    return set(UserSession.objects.values_list("pk", "user_id", "session_key", "ip"))


def _value(bound_field):
    value = bound_field.value()
    if isinstance(bound_field.field.widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def _change_data(model_admin, request, obj) -> dict:
    """What the admin's change form would post for ``obj``, with the first free text field altered."""
    form = model_admin.get_form(request, obj, change=True)(instance=obj)
    data: dict = {}
    altered = False
    for name, field in form.fields.items():
        bound = form[name]
        if isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(field.widget.decompress(bound.value())):
                data[f"{name}_{index}"] = "" if part is None else str(part)
            continue
        value = _value(bound)
        if value is None:
            continue
        if not altered and isinstance(field, forms.CharField) and not getattr(field, "choices", None):
            value = f"{value} (Admin)"
            altered = True
        data[name] = value
    for formset, _inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset.get_default_prefix()
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data["_save"] = "Sichern"
    return data


def _attempts(model_admin, request, obj):
    opts = model_admin.model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    data = _change_data(model_admin, request, obj)
    yield "add", reverse(f"{name}_add"), data
    yield "change", reverse(f"{name}_change", args=[obj.pk]), data
    yield "bulk delete", reverse(f"{name}_changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    yield "delete", reverse(f"{name}_delete", args=[obj.pk]), {"post": "yes"}


@pytest.mark.django_db
def test_admin_shows_but_changes_nothing(scene, client_for):
    request = RequestFactory().get("/admin/")
    request.user = scene["admin"]
    client = client_for("admin")
    assert client.get(reverse("admin:index")).status_code == 200
    failures = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label_lower):
        label = model._meta.label_lower
        obj = model._base_manager.order_by("pk").first()
        assert obj is not None, f"the scene has no {label} to try the admin on"
        opts = model._meta
        for page in (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        ):
            status = client.get(page).status_code
            if status != 200:
                failures.append(f"{label}: {page} answers {status}, the rows must stay readable")
        for view, url, data in _attempts(model_admin, request, obj):
            if (label, view) in ALLOWED:
                continue
            before, sessions = database_state(), _sessions()
            response = client.post(url, data)
            changed = changed_tables(before, database_state())
            if _sessions() != sessions:
                changed.append(UserSession._meta.db_table)
            if changed:
                failures.append(f"{label} {view} ({response.status_code}) changed {changed}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_removing_a_second_factor_in_the_admin_is_audited(scene, client_for):
    authenticator = Authenticator.objects.get(user=scene["office"])
    url = reverse("admin:mfa_authenticator_delete", args=[authenticator.pk])
    client_for("admin").post(url, {"post": "yes"})
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists()
    event = AuditEvent.objects.get(action="accounts.second_factor_removed.admin")
    assert event.actor == scene["admin"] and event.before["user"] == scene["office"].pk


@pytest.mark.django_db
def test_the_admin_never_shows_a_second_factor_secret(scene, client_for):
    authenticator = Authenticator.objects.get(user=scene["office"])
    page = client_for("admin").get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))
    assert page.status_code == 200
    assert authenticator.data["secret"] not in page.content.decode()
