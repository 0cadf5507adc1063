"""Grants: readers of one entry beyond its audience and workspace (assignees of tasks, a person's own profile).

Also brings the existing entries to the rules of this version without a full re-index (search/registry.py):
tasks and comments keep their workspace also in a public workspace (its own members find them there),
tasks get their assignees and people their own account as grants, and private workspaces that take
requests or are open to join are found by everybody with a seat in a body. Going back undoes each step,
so the previous version never reads an entry it would show to too many people.
(``manage.py rebuild_search_index`` gives the same result, from the providers themselves.)
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

TAKES_MEMBERS = ("request", "open")


def forward(apps, schema_editor):
    entries = apps.get_model("search", "SearchEntry").objects
    grants = apps.get_model("search", "SearchGrant").objects
    task_model = apps.get_model("tasks", "Task")
    comment_model = apps.get_model("news", "Comment")
    tasks = task_model.objects.filter(pk=OuterRef("object_id"))
    entries.filter(kind="task").update(workspace_id=Subquery(tasks.values("workspace_id")[:1]))
    comments = comment_model.objects.filter(pk=OuterRef("object_id"))
    entries.filter(kind="comment").update(workspace_id=Subquery(comments.values("post__workspace_id")[:1]))
    task_entries = dict(entries.filter(kind="task").values_list("object_id", "pk"))
    new = []
    for row in task_model.assignees.through.objects.filter(task_id__in=list(task_entries)).values("task_id", "user_id"):
        new.append(grants.model(entry_id=task_entries[row["task_id"]], user_id=row["user_id"]))
    through = task_model.assigned_municipalities.through.objects.filter(task_id__in=list(task_entries))
    for row in through.values("task_id", "municipality_id"):
        new.append(grants.model(entry_id=task_entries[row["task_id"]], municipality_id=row["municipality_id"]))
    person_entries = dict(entries.filter(kind="person").values_list("object_id", "pk"))
    people = apps.get_model("members", "Person").objects.filter(pk__in=list(person_entries), user__isnull=False)
    for person_id, user_id in people.values_list("pk", "user_id"):
        new.append(grants.model(entry_id=person_entries[person_id], user_id=user_id))
    grants.bulk_create(new, batch_size=1000)
    findable = apps.get_model("workspaces", "Workspace").objects.filter(
        visibility="private", is_archived=False, join_policy__in=TAKES_MEMBERS
    )
    entries.filter(kind="workspace", object_id__in=list(findable.values_list("pk", flat=True))).update(audience="members")


def backward(apps, schema_editor):
    entries = apps.get_model("search", "SearchEntry").objects
    entries.filter(kind="workspace", audience="members").update(audience="workspace")
    # Before: an entry with a workspace was found by everybody who may see the workspace, whatever its audience.
    entries.filter(audience="members", workspace__isnull=False).update(workspace=None)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0001_initial'),
        ('news', '0001_news_posts_and_comments'),
        ('search', '0003_vector_storage_main'),
        ('tasks', '0001_tasks_with_assignees_and_reminders'),
        ('workspaces', '0001_workspaces_members_and_join_requests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='grants', to='search.searchentry')),
                ('municipality', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.municipality', verbose_name='Kommune')),
                ('user', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='Person mit Konto')),
            ],
            options={
                'verbose_name': 'Suchfreigabe',
                'verbose_name_plural': 'Suchfreigaben',
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('municipality__isnull', True), ('user__isnull', False)), models.Q(('municipality__isnull', False), ('user__isnull', True)), _connector='OR'), name='search_grant_one_reader'), models.UniqueConstraint(condition=models.Q(('user__isnull', False)), fields=('user', 'entry'), name='search_grant_user'), models.UniqueConstraint(condition=models.Q(('municipality__isnull', False)), fields=('municipality', 'entry'), name='search_grant_municipality')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
