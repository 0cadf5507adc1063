"""Backups that can be proven to restore: the database, every stored file and a signed manifest in one tar.

Layout of an archive::

    manifest.json      format, time, database vendor, per-table row count and checksum, per-file size and SHA-256,
                       SHA-256 of the database dump
    manifest.sig       HMAC-SHA256 of manifest.json with BACKUP_SIGNING_KEY
    database.pgdump    pg_dump custom format (PostgreSQL)  |  database.sqlite3 (SQLite)
    files/<name>       every file of the default storage, read through Django's storage API (local or S3)

On PostgreSQL the row counts and checksums come from the same snapshot pg_dump reads
(``pg_export_snapshot`` in a REPEATABLE READ transaction held open during the dump), so a backup
taken while people work still verifies exactly.

:func:`verify_archive` reads the whole archive before anything else happens: a truncated, malformed
or tampered archive (bad signature, a member missing, added or changed, an unsafe path) is refused
with :class:`BackupError` before any database or file is touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage, storages
from django.db import connection
from django.utils import timezone

FORMAT = "interkommunal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
FILES_PREFIX = "files/"
CHUNK = 1 << 20


class BackupError(Exception):
    """The archive cannot be trusted or the backup/restore cannot proceed; nothing was overwritten."""


# --- Tables -------------------------------------------------------------------------------------

PG_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
PG_TABLE_STATE = "SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') FROM {table} AS t"


def _quote_pg(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pg_table_states(cursor) -> dict[str, dict]:
    """Row count and an order-independent checksum of every table in the public schema."""
    cursor.execute(PG_TABLES)
    states = {}
    for (table,) in cursor.fetchall():
        cursor.execute(PG_TABLE_STATE.format(table=_quote_pg(table)))
        rows, checksum = cursor.fetchone()
        states[table] = {"rows": rows, "checksum": checksum}
    return states


def sqlite_table_states(db: sqlite3.Connection) -> dict[str, dict]:
    tables = [
        row[0]
        for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    ]
    states = {}
    for table in tables:
        digests = sorted(
            hashlib.md5(repr(row).encode(), usedforsecurity=False).hexdigest()
            for row in db.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from sqlite_master
        )
        checksum = hashlib.md5("".join(digests).encode(), usedforsecurity=False).hexdigest() if digests else ""
        states[table] = {"rows": len(digests), "checksum": checksum}
    return states


# --- PostgreSQL tools ---------------------------------------------------------------------------


def pg_bindir(cursor) -> Path | None:
    """The client tools matching the server's major version (pg_dump refuses newer servers)."""
    override = os.environ.get("PG_BINDIR")
    if override:
        return Path(override)
    cursor.execute("SHOW server_version_num")
    major = int(cursor.fetchone()[0]) // 10000
    candidate = Path(f"/usr/lib/postgresql/{major}/bin")
    if (candidate / "pg_dump").exists():
        return candidate
    found = shutil.which("pg_dump")
    return Path(found).parent if found else None


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db: dict, name: str | None = None) -> list[str]:
    args = ["--dbname", name or db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed tools
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:2000]}")


# --- Files --------------------------------------------------------------------------------------


def stored_names(storage: Storage, prefix: str = "") -> Iterator[str]:
    """Every file of a storage, walked through the storage API (a folder or an S3 bucket alike)."""
    directories, files = storage.listdir(prefix)
    for name in sorted(files):
        yield f"{prefix}{name}"
    for directory in sorted(directories):
        yield from stored_names(storage, f"{prefix}{directory}/")


class _Hashing:
    """A read-only file wrapper that hashes what passes through (tarfile reads it once)."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sign(manifest_bytes: bytes) -> str:
    return hmac.new(settings.BACKUP_SIGNING_KEY.encode(), manifest_bytes, hashlib.sha256).hexdigest()


# --- Backup -------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    bytes: int


def create_backup(output: Path, *, storage: Storage | None = None) -> BackupResult:
    """Write a complete, signed backup archive to ``output`` (written to a temporary name, then renamed)."""
    storage = storage or default_storage
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    manifest: dict = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "files": {},
    }
    with tempfile.TemporaryDirectory(prefix="backup-") as scratch, tarfile.open(partial, "w") as archive:
        if connection.vendor == "postgresql":
            dump = Path(scratch) / PG_DUMP
            manifest["tables"] = _dump_postgresql(dump)
        elif connection.vendor == "sqlite":
            dump = Path(scratch) / SQLITE_COPY
            manifest["tables"] = _copy_sqlite(dump)
        else:
            raise BackupError(f"no backup for the {connection.vendor} database")
        manifest["database"] = {"member": dump.name, "sha256": _sha256_file(dump), "size": dump.stat().st_size}
        archive.add(dump, arcname=dump.name)
        # Files after the database: a file named by a row in the dump already exists (files are never changed in place).
        for name in stored_names(storage):
            info = tarfile.TarInfo(FILES_PREFIX + name)
            info.size = storage.size(name)
            info.mtime = int(timezone.now().timestamp())
            with storage.open(name, "rb") as handle:
                hashing = _Hashing(handle)
                archive.addfile(info, hashing)
            manifest["files"][name] = {"size": hashing.size, "sha256": hashing.digest.hexdigest()}
        body = json.dumps(manifest, indent=1, sort_keys=True).encode()
        for member, data in ((MANIFEST, body), (SIGNATURE, sign(body).encode())):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, _bytes_reader(data))
    partial.replace(output)
    return BackupResult(
        output,
        len(manifest["tables"]),
        sum(t["rows"] for t in manifest["tables"].values()),
        len(manifest["files"]),
        output.stat().st_size,
    )


def _bytes_reader(data: bytes):
    import io

    return io.BytesIO(data)


def _dump_postgresql(target: Path) -> dict:
    """pg_dump in custom format from an exported snapshot; the tables' states read in that snapshot."""
    import psycopg

    db = settings.DATABASES["default"]
    with psycopg.connect(**_psycopg_kwargs(db)) as snapshot_conn, snapshot_conn.cursor() as cursor:
        bindir = pg_bindir(cursor)
        if bindir is None:
            raise BackupError("pg_dump not found; install postgresql-client of the server's major version or set PG_BINDIR")
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            [
                str(bindir / "pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *_pg_args(db),
            ],
            _pg_env(db),
        )
        states = pg_table_states(cursor)
        cursor.execute("COMMIT")
    return states


def _psycopg_kwargs(db: dict, name: str | None = None) -> dict:
    kwargs = {"dbname": name or db["NAME"], "autocommit": True}
    for key, arg in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if db.get(key):
            kwargs[arg] = db[key]
    return kwargs


def _copy_sqlite(target: Path) -> dict:
    """SQLite's online backup API: a consistent copy while the platform runs (not from inside an open transaction)."""
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("the SQLite backup cannot run inside an open transaction")
    with contextlib.closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        return sqlite_table_states(copy)


# --- Verification -------------------------------------------------------------------------------

SAFE_NAME = re.compile(r"^[A-Za-z0-9._/ ()+,=@~-]+$")


@dataclass
class VerifiedArchive:
    path: Path
    manifest: dict
    created_at: dt.datetime
    members: dict[str, tarfile.TarInfo] = field(default_factory=dict)


def verify_archive(path: Path) -> VerifiedArchive:
    """Read and check the whole archive; raise BackupError on anything unexpected. Touches nothing else."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    try:
        with tarfile.open(path, "r:") as archive:
            members = {}
            for member in archive.getmembers():
                _check_member(member, members)
                members[member.name] = member
            if MANIFEST not in members or SIGNATURE not in members:
                raise BackupError("manifest or signature missing")
            body = archive.extractfile(members[MANIFEST]).read()
            signature = archive.extractfile(members[SIGNATURE]).read().decode("ascii", "replace").strip()
            if not hmac.compare_digest(signature, sign(body)):
                raise BackupError("the manifest's signature does not match (tampered archive or another BACKUP_SIGNING_KEY)")
            manifest = _parse_manifest(body)
            expected = {MANIFEST, SIGNATURE, manifest["database"]["member"]} | {FILES_PREFIX + n for n in manifest["files"]}
            if set(members) != expected:
                extra, missing = sorted(set(members) - expected), sorted(expected - set(members))
                raise BackupError(f"archive members differ from the manifest (extra: {extra[:5]}, missing: {missing[:5]})")
            _check_digest(archive, members[manifest["database"]["member"]], manifest["database"])
            for name, meta in manifest["files"].items():
                _check_digest(archive, members[FILES_PREFIX + name], meta)
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError) as error:
        raise BackupError(f"not a readable backup archive: {error}") from error
    return VerifiedArchive(path, manifest, dt.datetime.fromisoformat(manifest["created_at"]), members)


def _check_member(member: tarfile.TarInfo, seen: dict) -> None:
    name = member.name
    if not member.isfile():
        raise BackupError(f"unexpected member type: {name!r}")
    if name.startswith("/") or ".." in name.split("/") or not SAFE_NAME.match(name) or name in seen:
        raise BackupError(f"unsafe or repeated member name: {name!r}")


def _parse_manifest(body: bytes) -> dict:
    try:
        manifest = json.loads(body)
        dt.datetime.fromisoformat(manifest["created_at"])
        valid = (
            manifest["format"] == FORMAT
            and manifest["version"] == FORMAT_VERSION
            and manifest["database"]["member"] in (PG_DUMP, SQLITE_COPY)
            and isinstance(manifest["tables"], dict)
            and isinstance(manifest["files"], dict)
            and all(SAFE_NAME.match(name) and ".." not in name.split("/") for name in manifest["files"])
        )
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError("the manifest is malformed") from error
    if not valid:
        raise BackupError("the manifest is malformed")
    return manifest


def _check_digest(archive: tarfile.TarFile, member: tarfile.TarInfo, meta: dict) -> None:
    handle = archive.extractfile(member)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    if size != meta["size"] or digest.hexdigest() != meta["sha256"]:
        raise BackupError(f"{member.name} does not match its checksum in the manifest")


# --- Restore drill and restore ------------------------------------------------------------------


@dataclass
class DrillResult:
    rows_lost: int
    files_lost: int
    tables_mismatched: list[str]
    tables: int
    rows: int
    files: int
    seconds: float


def _extract(verified: VerifiedArchive, member: str, target: Path) -> Path:
    with (
        tarfile.open(verified.path, "r:") as archive,
        archive.extractfile(verified.members[member]) as source,
        target.open("wb") as sink,
    ):
        shutil.copyfileobj(source, sink, CHUNK)
    return target


def compare_tables(expected: dict, actual: dict) -> tuple[int, list[str]]:
    lost = 0
    mismatched = []
    for table, state in expected.items():
        found = actual.get(table, {"rows": 0, "checksum": None})
        lost += max(0, state["rows"] - found["rows"])
        if found != state:
            mismatched.append(table)
    return lost, mismatched


@contextlib.contextmanager
def scratch_bucket(bucket: str | None = None) -> Iterator[Storage | None]:
    """With an S3 default storage: a scratch place in the object store for the drill, emptied afterwards.

    ``bucket`` names an existing bucket the operator set aside (the drill writes under a unique prefix and
    removes it); without one a bucket is created for the drill and deleted after it. With a local default
    storage this yields None (the drill uses a temporary folder).
    """
    from storages.backends.s3 import S3Storage

    if not isinstance(storages["default"], S3Storage):
        yield None
        return
    options = dict(settings.STORAGES["default"].get("OPTIONS", {}))
    tag = uuid.uuid4().hex[:12]
    created = not bucket
    name = bucket or f"restore-drill-{tag}"
    storage = S3Storage(**{**options, "bucket_name": name, "location": "" if created else f"restore-drill-{tag}"})
    client = storage.connection.meta.client
    if created:
        region = options.get("region_name")
        client.create_bucket(Bucket=name, **({"CreateBucketConfiguration": {"LocationConstraint": region}} if region else {}))
    try:
        yield storage
    finally:
        storage.bucket.objects.filter(Prefix=storage.location).delete()
        if created:
            client.delete_bucket(Bucket=name)


def describe_storage(storage: Storage) -> str:
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        return f"s3://{bucket}/{getattr(storage, 'location', '')}".rstrip("/")
    return f"file://{getattr(storage, 'location', '')}"


def restore_drill(path: Path, *, scratch_storage: Storage | None = None) -> DrillResult:
    """Restore into a scratch database and a scratch file location; compare everything with the manifest.

    Files go through the storage API into ``scratch_storage`` (a scratch bucket from :func:`scratch_bucket`
    when the platform stores its files in S3), or into a temporary folder.
    """
    from django.core.files.storage import FileSystemStorage

    started = timezone.now()
    verified = verify_archive(path)
    manifest = verified.manifest
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"the archive holds a {manifest['vendor']} database; this installation runs {connection.vendor}")
    with tempfile.TemporaryDirectory(prefix="restore-drill-") as scratch:
        dump = _extract(verified, manifest["database"]["member"], Path(scratch) / manifest["database"]["member"])
        if manifest["vendor"] == "postgresql":
            actual = _drill_postgresql(dump)
        else:
            with contextlib.closing(sqlite3.connect(dump)) as copy:
                actual = sqlite_table_states(copy)
        rows_lost, mismatched = compare_tables(manifest["tables"], actual)
        storage = scratch_storage or FileSystemStorage(location=Path(scratch) / "files")
        files_lost = _drill_files(verified, storage)
    return DrillResult(
        rows_lost,
        files_lost,
        mismatched,
        len(manifest["tables"]),
        sum(t["rows"] for t in manifest["tables"].values()),
        len(manifest["files"]),
        (timezone.now() - started).total_seconds(),
    )


def _drill_postgresql(dump: Path) -> dict:
    import psycopg

    db = settings.DATABASES["default"]
    scratch_name = f"restore_drill_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**_psycopg_kwargs(db)) as admin:
        bindir = pg_bindir(admin.cursor())
        if bindir is None:
            raise BackupError("pg_restore not found; install postgresql-client of the server's major version or set PG_BINDIR")
        admin.execute(f'CREATE DATABASE "{scratch_name}" TEMPLATE template0')
        try:
            _run(
                [
                    str(bindir / "pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    *_pg_args(db, scratch_name),
                    str(dump),
                ],
                _pg_env(db),
            )
            with psycopg.connect(**_psycopg_kwargs(db, scratch_name)) as restored, restored.cursor() as cursor:
                return pg_table_states(cursor)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch_name}" WITH (FORCE)')


def _drill_files(verified: VerifiedArchive, storage: Storage) -> int:
    """Put every file into the scratch storage through the storage API, read it back, compare its digest."""
    lost = 0
    with tarfile.open(verified.path, "r:") as archive:
        for name, meta in verified.manifest["files"].items():
            with archive.extractfile(verified.members[FILES_PREFIX + name]) as source:
                saved = storage.save(name, File(source, name=name))
            if saved != name or not storage.exists(name):
                lost += 1
                continue
            digest = hashlib.sha256()
            with storage.open(name, "rb") as handle:
                for chunk in iter(lambda handle=handle: handle.read(CHUNK), b""):
                    digest.update(chunk)
            if digest.hexdigest() != meta["sha256"]:
                lost += 1
    return lost


def restore(path: Path, *, storage: Storage | None = None) -> dict:
    """Overwrite the database and the stored files with the archive, then replay the deletions made since.

    The archive is verified completely first; nothing is overwritten when it does not verify.
    """
    from .replay import replay_since

    storage = storage or default_storage
    verified = verify_archive(path)
    manifest = verified.manifest
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"the archive holds a {manifest['vendor']} database; this installation runs {connection.vendor}")
    with tempfile.TemporaryDirectory(prefix="restore-") as scratch:
        dump = _extract(verified, manifest["database"]["member"], Path(scratch) / manifest["database"]["member"])
        db = settings.DATABASES["default"]
        if manifest["vendor"] == "postgresql":
            connection.close()
            import psycopg

            with psycopg.connect(**_psycopg_kwargs(db)) as admin:
                bindir = pg_bindir(admin.cursor())
            _run(
                [
                    str(bindir / "pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *_pg_args(db),
                    str(dump),
                ],
                _pg_env(db),
            )
        else:
            connection.ensure_connection()
            with contextlib.closing(sqlite3.connect(dump)) as source:
                source.backup(connection.connection)
        with tarfile.open(verified.path, "r:") as archive:
            for name in manifest["files"]:
                with archive.extractfile(verified.members[FILES_PREFIX + name]) as source:
                    if storage.exists(name):
                        storage.delete(name)
                    storage.save(name, File(source, name=name))
    replayed = replay_since(verified.created_at)
    return {
        "tables": len(manifest["tables"]),
        "files": len(manifest["files"]),
        **{f"replayed_{k}": v for k, v in replayed.items()},
    }
