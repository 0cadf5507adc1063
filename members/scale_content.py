"""Synthetic content at scale: workspaces, accounts, posts, tasks, events, meetings and documents.

``generate_content(scale)`` runs after ``members.scale.generate`` (the people) and tops each kind up to
its target, like the people: everything it creates lives in generated workspaces (slug ``gen-…``) or
belongs to the generated bodies' meetings (title ``… (generiert)``), so a second run counts what is
there and adds only what is missing. Object ``i`` of a kind is derived from ``(seed, kind, i)`` alone.

Targets per unit of scale: 100 posts, 100 tasks, 100 calendar events, 1 meeting with 8 agenda items and
1,000 documents (``documents`` overrides the last; the document count is what takes time). Documents get
one version each with extracted text; their files share a handful of stored blobs (the model stores only
a name, so a million rows need not mean a million files). Every searchable object gets its search entry
from the kind's own provider, built in memory and written in bulk. On PostgreSQL every row is streamed with
COPY (ids drawn from the tables' sequences); elsewhere (SQLite, small scales) ``bulk_create`` writes them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import multiprocessing
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.db.models import Model

from .models import Body, Municipality, Person

POSTS_PER_SCALE = 100
TASKS_PER_SCALE = 100
EVENTS_PER_SCALE = 100
MEETINGS_PER_SCALE = 1
AGENDA_ITEMS_PER_MEETING = 8
DOCUMENTS_PER_SCALE = 1000
ACCOUNT_EVERY = 10  # every tenth generated person has an account
WORKSPACES_PER_SCALE = 0.2
WORKSPACES_PER_ACCOUNT = 3
BATCH = 2000
BLOBS = 8
GENERATED_PREFIX = "gen-"
INVITATION_WORKSPACE = "gen-einladungen"  # every generated account is a member: the office's mass invitation
GENERATED_MEETING = " (generiert)"
FIRST_MEETING_YEAR = 2010
MEETING_SPAN_DAYS = 17 * 365  # 2010 to 2026: "many years of meetings"
CONTENT_EPOCH = dt.datetime(2016, 1, 1, 8, tzinfo=dt.UTC)
CONTENT_SPAN_SECONDS = 10 * 365 * 86400

WORDS = """Stadt Städte Verwaltung Ausbildung Beschäftigte Integration Vielfalt Zukunft Kooperation Projekt Sitzung
Protokoll Beschluss Konzept Bericht Forum Gremium Regiegruppe Projektgruppe Geschäftsführung Einladung Personal
Personalgewinnung Auswahlverfahren Bewerbung Schule Praktikum Sprache Kurs Stelle Anteil Bevölkerung
Einwanderungsgeschichte Willkommenskultur Stadtteil Bürgerinnen Bürger Amt Fachbereich Leitung Teilnahme Ergebnis
Befragung Monitoring Kennzahl Ziel Maßnahme Förderung Mittel Haushalt Antrag Land Ministerium Initiative Partner
Austausch Erfahrung Qualität Kompetenz Jugendhilfe Quartier Ehrenamt Beratung Netzwerk Sprachförderung Kita Elternarbeit
Arbeitsmarkt Anerkennung Qualifizierung Mentoring Leitbild Zielvereinbarung Haushaltsplan Zuwendung Verwendungsnachweis
interkulturelle gemeinsame neue erste wichtige öffentliche berichtet vereinbart beschließt fördert stellt plant prüft
und oder der die das den dem des ein eine mit für von zu im in auf an bei nach über aus als auch wird werden ist sind
hat haben soll können nicht mehr bis zum zur sowie dass""".split()  # noqa: SIM905 - readable as prose
TOPICS = [
    "Personalgewinnung",
    "Sprachförderung",
    "Willkommenskultur",
    "Monitoring",
    "Ausbildung",
    "Elternarbeit",
    "Anerkennung",
    "Quartiersarbeit",
    "Ehrenamt",
    "Arbeitsmarkt",
]
SENTENCE_LENGTHS = range(6, 17)
BLOB_KINDS = [("pdf", "application/pdf"), ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]

Progress = Callable[[str], None]


def _rng(seed: int, kind: int, index: int) -> random.Random:
    return random.Random(seed * 1_000_003 + kind * 100_000_007 + index)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choices(WORDS, k=words))  # one call per sentence: a million documents are ~30 million words
    return text[0].upper() + text[1:] + "."


def _text(rng: random.Random, sentences: int) -> str:
    lengths = rng.choices(SENTENCE_LENGTHS, k=sentences)
    return " ".join(_sentence(rng, words) for words in lengths)


def _when(rng: random.Random) -> dt.datetime:
    return CONTENT_EPOCH + dt.timedelta(seconds=rng.randrange(CONTENT_SPAN_SECONDS))


def targets(scale: int, documents: int | None = None) -> dict[str, int]:
    return {
        "workspaces": max(2, round(WORKSPACES_PER_SCALE * scale)) if scale else 0,
        "posts": POSTS_PER_SCALE * scale,
        "tasks": TASKS_PER_SCALE * scale,
        "events": EVENTS_PER_SCALE * scale,
        "meetings": MEETINGS_PER_SCALE * scale,
        "documents": DOCUMENTS_PER_SCALE * scale if documents is None else documents,
    }


def _fill_pks(objects: list[Model], model: type[Model], key: str) -> None:
    """SQLite before 3.35 and some back ends return no primary keys from bulk_create."""
    if all(obj.pk for obj in objects):
        return
    pks = dict(model._default_manager.filter(**{f"{key}__in": [getattr(o, key) for o in objects]}).values_list(key, "pk"))
    for obj in objects:
        obj.pk = pks[getattr(obj, key)]


def _bulk_copy() -> bool:
    """PostgreSQL: rows are streamed with COPY under ids drawn from the tables' own sequences."""
    return connection.vendor == "postgresql"


def _assign_ids(model: type[Model], objects: list[Model]) -> None:
    """Draw primary keys for ``objects`` from the table's sequence (safe beside other writers: nextval)."""
    if not objects:
        return
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, len(objects)]
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk


def _copy(model: type[Model], objects: list[Model]) -> None:
    """Write ``objects`` with one COPY: every concrete column as the ORM would save it (defaults, auto_now, FK ids).

    Columns that PostgreSQL computes itself (the search entry's tsvector) are not in the model and stay out."""
    if not objects:
        return
    with_pk = objects[0].pk is not None
    fields = [f for f in model._meta.concrete_fields if not f.generated and (with_pk or not f.primary_key)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
        for obj in objects:
            obj._prepare_related_fields_for_save(operation_name="copy")
            stream.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def _store(model: type[Model], objects: list[Model], *, ids: bool = True) -> None:
    """Insert new rows: COPY on PostgreSQL, ``bulk_create`` elsewhere (SQLite). With ``ids`` the objects have their
    primary keys afterwards (on PostgreSQL drawn first, unless already set)."""
    if _bulk_copy():
        if ids and objects and objects[0].pk is None:
            _assign_ids(model, objects)
        _copy(model, objects)
    else:
        model._default_manager.bulk_create(objects, batch_size=BATCH)


def _cache_related(obj: Model, name: str, related: list[Model], model: type[Model]) -> None:
    """Put ``related`` where a prefetch would, so ``obj.<name>.all()`` reads it without a query."""
    queryset = model._default_manager.none()
    queryset._result_cache = list(related)
    queryset._prefetch_done = True
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = queryset


@functools.cache
def _cleaned_characters() -> re.Pattern:
    """The characters that ``search.backends.clean_for_index`` changes (highlight markers, NUL, typographic quotes).

    It maps character by character, so a value without any of them is indexed as it is: testing for them costs
    microseconds, the mapping itself a fraction of a millisecond per page of German text."""
    from search.backends import clean_for_index

    changed = [chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000 and clean_for_index(chr(code)) != chr(code)]
    return re.compile("[" + re.escape("".join(changed)) + "]")


def _entry_fields(data, open_workspaces: set[int]) -> dict:
    """What ``search.indexing.index_now`` writes for a provider's entry (``indexing._fields``), faster for clean text.

    ``open_workspaces``: the workspaces visible without an account, for ``public`` (read once per batch)."""
    from search.backends import BODY_INDEX_CHARS, clean_for_index
    from search.indexing import found_without_account

    unclean = _cleaned_characters()

    def clean(value: str) -> str:
        return clean_for_index(value) if unclean.search(value) else value

    return {
        "workspace_id": data.workspace_id,
        "municipality_id": data.municipality_id,
        "audience": data.audience,
        "public": found_without_account(data, open_workspaces),
        "date": data.date,
        "title": clean(data.title)[:300],
        "body": clean(data.body)[:BODY_INDEX_CHARS],
        "url": data.url[:300],
    }


def _index(kind: str, objects: list[Model]) -> int:
    """Search entries for freshly created objects, built in memory by the kind's provider, written in bulk.

    The objects carry what the provider reads (related objects attached, m2m relations in the prefetch
    cache), so ``build`` runs as it does in ``search.indexing.index_now`` but without a query per object;
    the fields are the ones ``index_now`` writes (``_entry_fields``)."""
    from search.backends import backend
    from search.models import SearchEntry, SearchGrant
    from search.registry import provider_for

    provider = provider_for(kind)
    if provider is None or not objects:
        return 0
    from django.contrib.auth.models import AnonymousUser

    from workspaces.access import workspaces_visible_to

    open_workspaces = set(workspaces_visible_to(AnonymousUser()).values_list("pk", flat=True))
    rows, readers = [], []
    for obj in objects:
        data = provider.build(obj)
        if data is None:
            continue
        rows.append(SearchEntry(kind=kind, object_id=obj.pk, **_entry_fields(data, open_workspaces)))
        readers.append((set(data.readers), set(data.reader_municipalities)))
    _store(SearchEntry, rows)
    if any(row.pk is None for row in rows):  # a back end that returns no ids from bulk_create
        pks = dict(
            SearchEntry.objects.filter(kind=kind, object_id__in=[r.object_id for r in rows]).values_list("object_id", "pk")
        )
        for row in rows:
            row.pk = pks[row.object_id]
    search_backend = backend()
    for row in rows:
        search_backend.write(row)  # SQLite's FTS row; nothing on PostgreSQL, which computes its tsvector column itself
    grants = []
    for row, (users, cities) in zip(rows, readers, strict=True):
        grants += [SearchGrant(entry=row, user_id=pk) for pk in sorted(users)]
        grants += [SearchGrant(entry=row, municipality_id=pk) for pk in sorted(cities)]
    _store(SearchGrant, grants, ids=False)
    return len(rows)


class _Context:
    def __init__(self, seed: int, progress: Progress) -> None:
        from workspaces.models import Workspace

        self.seed = seed
        self.progress = progress
        self.cities = list(Municipality.objects.order_by("pk"))
        self.bodies = list(Body.objects.order_by("pk"))
        self.workspaces = list(Workspace.objects.filter(slug__startswith=GENERATED_PREFIX).order_by("pk"))
        self.content_workspaces = [w for w in self.workspaces if w.slug != INVITATION_WORKSPACE]
        users = get_user_model().objects.filter(person__in=_generated_people()).select_related("person").order_by("pk")
        self.users = {user.pk: user for user in users}  # with their person: the document entries read the city
        self.user_ids = list(self.users)


def _generated_people():
    from .scale import generated_people

    return generated_people()


@transaction.atomic
def _accounts_and_workspaces(ctx: _Context, target_workspaces: int) -> dict[str, int]:
    """Accounts for every tenth generated person; generated workspaces; their members."""
    from workspaces.models import Workspace, WorkspaceMember

    User = get_user_model()
    people = list(_generated_people().filter(user__isnull=True).order_by("pk").only("pk", "email"))
    people = [p for p in people if int(p.email.split("@")[0].rsplit(".", 1)[1]) % ACCOUNT_EVERY == 0]
    users = [User(email=p.email, password=make_password(None)) for p in people]  # sign-in by link or SSO
    User.objects.bulk_create(users, batch_size=BATCH)
    _fill_pks(users, User, "email")
    for person, user in zip(people, users, strict=True):
        person.user_id = user.pk
    Person.objects.bulk_update(people, ["user"], batch_size=BATCH)

    existing = {w.slug for w in ctx.workspaces}
    new = []
    if INVITATION_WORKSPACE not in existing:
        new.append(Workspace(name="Einladungen (alle generierten Konten)", slug=INVITATION_WORKSPACE, visibility="private"))
    for i in range(target_workspaces):
        slug = f"{GENERATED_PREFIX}{i:04d}"
        if slug in existing:
            continue
        rng = _rng(ctx.seed, 1, i)
        topic = rng.choice(TOPICS)
        visibility = rng.choices(["private", "platform", "public"], weights=[6, 3, 1])[0]
        kind = rng.choice(["project", "working_group", "event"])
        new.append(
            Workspace(
                name=f"{topic} {i + 1} (generiert)",
                slug=slug,
                kind=kind,
                visibility=visibility,
                description=_text(rng, 3),
            )
        )
    Workspace.objects.bulk_create(new, batch_size=BATCH)
    ctx.__init__(ctx.seed, ctx.progress)

    invitation = next(w for w in ctx.workspaces if w.slug == INVITATION_WORKSPACE)
    have = set(
        WorkspaceMember.objects.filter(workspace__slug__startswith=GENERATED_PREFIX).values_list("workspace_id", "user_id")
    )
    members = []
    for position, user_id in enumerate(ctx.user_ids):
        wanted = {(invitation.pk, user_id)}
        rng = _rng(ctx.seed, 2, user_id)
        for workspace in rng.sample(ctx.content_workspaces, min(WORKSPACES_PER_ACCOUNT, len(ctx.content_workspaces))):
            wanted.add((workspace.pk, user_id))
        for workspace_id, uid in sorted(wanted - have):
            role = "manager" if position % 50 == 0 and workspace_id != invitation.pk else rng.choice(["editor", "reader"])
            members.append(WorkspaceMember(workspace_id=workspace_id, user_id=uid, role=role))
    WorkspaceMember.objects.bulk_create(members, batch_size=BATCH)
    return {"accounts": len(users), "workspaces": len(new), "workspace_members": len(members)}


def _existing(model: type[Model], **lookup) -> int:
    return model._default_manager.filter(**lookup).count()


def _bulk_session() -> None:
    """PostgreSQL, for the current transaction: no wait for the WAL flush at each batch's commit (a crash loses at
    most the last batches, which the next run tops up), and LZ4 for the long texts where the server has it."""
    if not _bulk_copy():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('synchronous_commit', 'off', true), set_config('default_toast_compression', 'lz4', true)"
            " FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )


def _top_up(
    ctx: _Context,
    label: str,
    kind: str | None,
    indices: Sequence[int],
    target: int,
    make: Callable[[Sequence[int]], list],
    save: Callable[[list], list[Model]],
    workers: int = 1,
) -> int:
    """Create objects number ``indices`` (of ``target``) in batches, one transaction each, and index them.

    ``make`` builds a batch in memory (no database), ``save`` writes it. With ``workers`` > 1 on PostgreSQL,
    that many processes (forked) write every ``workers``-th batch each: one PostgreSQL backend computes the
    full-text vectors of about 1,000 documents a second, two cores do more with two."""
    if not indices:
        return 0
    chunks = [indices[first : first + BATCH] for first in range(0, len(indices), BATCH)]
    if workers <= 1 or not _bulk_copy():
        _write_chunks(ctx, label, kind, chunks, target, make, save)
        return len(indices)
    connections.close_all()  # every process opens its own connection
    fork = multiprocessing.get_context("fork")
    processes = [
        fork.Process(target=_worker, args=(ctx, f"{label} [{w + 1}/{workers}]", kind, chunks[w::workers], target, make, save))
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        for process in processes:
            process.join()
    except BaseException:  # Ctrl+C or SIGTERM: the workers roll back their open batch and stop
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join()
        raise
    failed = [p.exitcode for p in processes if p.exitcode]
    if failed:
        raise RuntimeError(f"{label}: {len(failed)} von {workers} Prozessen sind gescheitert (Exit-Code {failed[0]}).")
    return len(indices)


_INHERITED: list = []  # the parent's database sessions, held (never used, never closed) in a forked worker


def _own_connections() -> None:
    """Start a forked worker with database connections of its own.

    A forked process inherits its parent's open sessions (a socket each): if the parent still held one —
    inside a transaction, from a connection pool, or opened by another part of the process — two workers
    would talk over the same socket and read each other's answers. Closing it would end the parent's
    session (psycopg says goodbye to the server). So every inherited connection and pool is put aside
    untouched, and each alias gets a new, unconnected wrapper; the worker leaves with ``os._exit``, so
    the put-aside objects are never finalised."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    pools = DatabaseWrapper._connection_pools
    _INHERITED.append((list(connections.all(initialized_only=True)), dict(pools)))
    pools.clear()
    for alias in connections:
        connections[alias] = connections.create_connection(alias)


def _worker(*args) -> None:
    _own_connections()
    try:
        _write_chunks(*args)
    finally:
        connections.close_all()


def _write_chunks(
    ctx: _Context,
    label: str,
    kind: str | None,
    chunks: list[Sequence[int]],
    target: int,
    make: Callable[[Sequence[int]], list],
    save: Callable[[list], list[Model]],
) -> None:
    """The batches of one process. The next batch is made in a second thread while this one is written:
    Python waits for PostgreSQL's COPY meanwhile, so the two overlap."""
    if not chunks:
        return
    began, done = time.monotonic(), 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="generate") as pool:
        pending = pool.submit(make, chunks[0])
        for n, chunk in enumerate(chunks):
            made = pending.result()
            if n + 1 < len(chunks):
                pending = pool.submit(make, chunks[n + 1])
            with transaction.atomic():
                _bulk_session()
                objects = save(made)
                if kind:
                    _index(kind, objects)
            done += len(chunk)
            rate = done / max(time.monotonic() - began, 1e-6)
            ctx.progress(f"  {label}: {chunk[-1] + 1}/{target} ({done} neu, {rate:.0f}/s)")


def _missing_documents(target: int) -> list[int]:
    """Numbers of the generated documents below ``target`` that do not exist (the number ends the title).

    Not just "from the count on": parallel workers stopped midway leave gaps, which a re-run fills."""
    from documents.models import Document

    titles = Document.objects.filter(workspace__slug__startswith=GENERATED_PREFIX).values_list("title", flat=True)
    present = set()
    for title in titles.iterator(chunk_size=20_000):
        number = title.rsplit(" ", 1)[-1]
        if number.isdigit():
            present.add(int(number))
    return [i for i in range(target) if i not in present]


def _posts(ctx: _Context, chunk: range) -> list[Model]:
    from news.models import Post

    posts = []
    for i in chunk:
        rng = _rng(ctx.seed, 3, i)
        workspace = ctx.content_workspaces[i % len(ctx.content_workspaces)]
        when = _when(rng)
        published = rng.random() < 0.9
        posts.append(
            Post(
                workspace=workspace,
                title=f"{rng.choice(TOPICS)}: {_sentence(rng, 5)[:-1]} #{i}",
                body=_text(rng, rng.randint(3, 10)),
                author_id=rng.choice(ctx.user_ids) if ctx.user_ids else None,
                is_public=published and workspace.visibility == "public" and rng.random() < 0.5,
                published_at=when if published else None,
            )
        )
    return posts


def _tasks(ctx: _Context, chunk: range) -> list[Model]:
    from tasks.models import Task

    tasks = []
    for i in chunk:
        rng = _rng(ctx.seed, 4, i)
        status = rng.choices(["open", "in_progress", "done"], weights=[4, 2, 4])[0]
        when = _when(rng)
        tasks.append(
            Task(
                workspace=ctx.content_workspaces[i % len(ctx.content_workspaces)],
                title=f"{rng.choice(TOPICS)}: {_sentence(rng, 4)[:-1]} #{i}",
                description=_text(rng, rng.randint(1, 4)),
                status=status,
                due_date=(when + dt.timedelta(days=rng.randint(7, 90))).date(),
                created_by_id=rng.choice(ctx.user_ids) if ctx.user_ids else None,
                completed_at=when + dt.timedelta(days=rng.randint(1, 60)) if status == "done" else None,
            )
        )
        users = [_rng(ctx.seed, 5, i).choice(ctx.user_ids)] if ctx.user_ids and i % 3 == 0 else []
        _cache_related(tasks[-1], "assignees", [ctx.users[pk] for pk in users], get_user_model())
        _cache_related(tasks[-1], "assigned_municipalities", [], Municipality)
    return tasks


def _save_tasks(tasks: list[Model]) -> list[Model]:
    from tasks.models import Task

    _store(Task, tasks)
    through = Task.assignees.through
    assigned = [through(task_id=task.pk, user_id=user.pk) for task in tasks for user in task.assignees.all()]
    _store(through, assigned, ids=False)
    return tasks


def _events(ctx: _Context, chunk: range) -> list[Model]:
    from calendar_events.models import Event

    events = []
    for i in chunk:
        rng = _rng(ctx.seed, 6, i)
        starts = _when(rng).replace(minute=0, second=0)
        online = rng.random() < 0.3
        events.append(
            Event(
                workspace=ctx.content_workspaces[i % len(ctx.content_workspaces)],
                title=f"{rng.choice(['Treffen', 'Workshop', 'Fachtag', 'Austausch'])} {rng.choice(TOPICS)} #{i}",
                description=_text(rng, 2),
                location="" if online else f"Rathaus {rng.choice(ctx.cities).name}",
                online_url="https://konferenz.example/raum" if online else "",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=rng.randint(1, 4)),
                created_by_id=rng.choice(ctx.user_ids) if ctx.user_ids else None,
            )
        )
    return events


def _meetings(ctx: _Context, chunk: range) -> list[Model]:
    from meetings.models import AgendaItem, Meeting

    meetings = []
    for i in chunk:
        rng = _rng(ctx.seed, 7, i)
        body = ctx.bodies[i % len(ctx.bodies)]
        day = dt.date(FIRST_MEETING_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(MEETING_SPAN_DAYS))
        start = dt.datetime(day.year, day.month, day.day, 9 + rng.randint(0, 5), tzinfo=dt.UTC)
        meetings.append(
            Meeting(
                body=body,
                title=f"{rng.randint(1, 99)}. Sitzung {body.name}{GENERATED_MEETING}",
                start=start,
                end=start + dt.timedelta(hours=3),
                status=rng.choices(["held", "invited", "cancelled"], weights=[90, 5, 5])[0],
                host_municipality=ctx.cities[i % len(ctx.cities)],
                invitation_sent_at=start - dt.timedelta(days=14),
            )
        )
    _store(Meeting, meetings)
    items = []
    for meeting in meetings:
        rng = _rng(ctx.seed, 8, meeting.pk)
        for position in range(AGENDA_ITEMS_PER_MEETING):
            public = rng.random() < 0.8
            items.append(
                AgendaItem(
                    body=meeting.body,
                    meeting=meeting,
                    status="accepted",
                    position=position,
                    title=f"{rng.choice(TOPICS)}: {_sentence(rng, 4)[:-1]}",
                    description=_text(rng, 2),
                    municipality=rng.choice(ctx.cities),
                    duration_minutes=rng.choice([10, 15, 20, 30, 45]),
                    public=public,
                    was_public=public,
                    summary=_text(rng, 3) if meeting.status == "held" else "",
                    result=rng.choice(["beschlossen", "zur Kenntnis genommen", "vertagt", ""]),
                )
            )
    _store(AgendaItem, items, ids=False)
    return meetings


def _blobs() -> list[tuple[str, str, str, int, str]]:
    """A handful of stored files that the generated document versions share (name, kind, type, size, sha256).

    Saved through the configured storage when missing, so a run against another storage (S3 in the
    topology) makes them downloadable there too."""
    blobs = []
    for n in range(BLOBS):
        kind, content_type = BLOB_KINDS[n % len(BLOB_KINDS)]
        payload = (f"Generiertes Dokument {n}\n" + " ".join(WORDS) * (n + 1)).encode()
        name = f"documents/generated/blob-{n}.{kind}"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(payload))
        blobs.append((name, kind, content_type, len(payload), hashlib.sha256(payload).hexdigest()))
    return blobs


def _documents(ctx: _Context, blobs: list, chunk: range) -> list[tuple[Model, Model]]:
    from documents.models import Document, DocumentVersion, Tag, TextStatus

    documents, texts = [], []
    for i in chunk:
        rng = _rng(ctx.seed, 9, i)
        workspace = ctx.content_workspaces[i % len(ctx.content_workspaces)]
        public = workspace.visibility == "public" and rng.random() < 0.3
        when = _when(rng)
        documents.append(
            Document(
                workspace=workspace,
                title=f"{rng.choice(['Protokoll', 'Konzept', 'Bericht', 'Vorlage', 'Handreichung'])} {rng.choice(TOPICS)} {i}",
                description=_sentence(rng, 8) if rng.random() < 0.3 else "",
                is_public=public,
                published_at=when if public else None,
                created_by=ctx.users[rng.choice(ctx.user_ids)] if ctx.user_ids else None,
            )
        )
        texts.append(rng)
    versions = []
    for i, document, rng in zip(chunk, documents, texts, strict=True):
        name, kind, content_type, size, sha = blobs[i % len(blobs)]
        pages = rng.randint(1, 3)
        versions.append(
            DocumentVersion(
                number=1,
                file=name,
                file_name=f"{document.title}.{kind}",
                kind=kind,
                content_type=content_type,
                size=size,
                sha256=sha,
                uploaded_by_id=document.created_by_id,
                text=_text(rng, 12 * pages),
                text_status=TextStatus.EXTRACTED,
                page_count=pages,
            )
        )
    for document in documents:
        _cache_related(document, "tags", [], Tag)
    return list(zip(documents, versions, strict=True))


def _save_documents(pairs: list[tuple[Model, Model]]) -> list[Model]:
    """A document and its version point at each other: on PostgreSQL both get their ids first and the
    foreign key to the version is checked at commit (deferred); elsewhere the current version is set after."""
    from documents.models import Document, DocumentVersion

    documents = [document for document, _version in pairs]
    versions = [version for _document, version in pairs]
    if _bulk_copy():
        _assign_ids(Document, documents)
        _assign_ids(DocumentVersion, versions)
        for document, version in pairs:
            version.document = document
            document.current = version
        _copy(Document, documents)
        _copy(DocumentVersion, versions)
    else:
        _store(Document, documents)
        for document, version in pairs:
            version.document = document
        _store(DocumentVersion, versions)
        for document, version in pairs:
            document.current = version
        Document.objects.bulk_update(documents, ["current"], batch_size=BATCH)
    return documents


BULK_THRESHOLD = 20_000  # from this many new objects on, the full-text GIN index is dropped and built once at the end


@contextlib.contextmanager
def _gin_index_built_once(objects: int, say: Progress) -> Iterator[None]:
    """A bulk load on PostgreSQL: drop the search table's GIN indexes, load, build them again (also on Ctrl+C).

    Updating a GIN index row by row costs far more than building it once over the whole table."""
    if connection.vendor != "postgresql" or objects < BULK_THRESHOLD:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_searchentry' AND indexdef LIKE '%%USING gin%%'"
        )
        indexes = cursor.fetchall()
        for name, definition in indexes:
            say(f"  DROP INDEX {name} (wird am Ende neu gebaut: {definition})")
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, definition in indexes:
                say(f"  CREATE INDEX {name}")
                cursor.execute("SET maintenance_work_mem = '256MB'")
                cursor.execute(definition)


def _analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


KINDS = ("posts", "tasks", "events", "meetings", "documents")


def generate_content(
    scale: int,
    seed: int = 1,
    *,
    documents: int | None = None,
    progress: Progress | None = None,
    only: frozenset[str] | None = None,
    workers: int = 1,
) -> dict:
    """Top every content kind (or the kinds in ``only``) up to its target for ``scale``; return what was created.

    The kinds are independent of each other once accounts and workspaces exist, so several processes may
    each top up other kinds at the same time (what a big run on a busy machine does)."""
    from calendar_events.models import Event
    from meetings.models import Meeting
    from news.models import Post
    from tasks.models import Task

    say = progress or (lambda _message: None)
    if scale == 0:
        return {}
    goal = targets(scale, documents)
    for kind in set(KINDS) - set(only or KINDS):
        goal[kind] = 0
    ctx = _Context(seed, say)
    created = _accounts_and_workspaces(ctx, goal["workspaces"])
    in_generated = {"workspace__slug__startswith": GENERATED_PREFIX}
    created.update(dict.fromkeys(KINDS, 0))
    have = {k: _existing(m, **in_generated) for k, m in [("posts", Post), ("tasks", Task), ("events", Event)]}
    new_documents = _missing_documents(goal["documents"]) if goal["documents"] else []
    missing = sum(max(goal[k] - have[k], 0) for k in have) + len(new_documents)
    with _gin_index_built_once(missing, say):
        created["posts"] = _top_up(
            ctx,
            "Beiträge",
            "post",
            range(have["posts"], goal["posts"]),
            goal["posts"],
            lambda c: _posts(ctx, c),
            lambda posts: _store(Post, posts) or posts,
        )
        created["tasks"] = _top_up(
            ctx, "Aufgaben", "task", range(have["tasks"], goal["tasks"]), goal["tasks"], lambda c: _tasks(ctx, c), _save_tasks
        )
        created["events"] = _top_up(
            ctx,
            "Termine",
            "event",
            range(have["events"], goal["events"]),
            goal["events"],
            lambda c: _events(ctx, c),
            lambda events: _store(Event, events) or events,
        )
        created["meetings"] = _top_up(  # few, and their agenda items need the meetings' ids: made and written at once
            ctx,
            "Sitzungen",
            None,
            range(_existing(Meeting, title__endswith=GENERATED_MEETING), goal["meetings"]),
            goal["meetings"],
            lambda c: c,
            lambda c: _meetings(ctx, c),
        )
        blobs = _blobs()
        created["documents"] = _top_up(
            ctx,
            "Dokumente",
            "document",
            new_documents,
            goal["documents"],
            lambda c: _documents(ctx, blobs, c),
            _save_documents,
            workers,
        )
    if any(created.values()):
        say("  ANALYZE")
        _analyse()
    return created
