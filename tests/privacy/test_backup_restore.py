"""Backup, restore drill and restore, through the management commands (on PostgreSQL in bin/test).

- the drill restores into a scratch database and file location and finds no row and no file lost;
- a malformed or tampered archive is refused before anything is overwritten;
- a restore replays the erasures made since the backup, so an erased person does not come back.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from documents import actions as document_actions
from members.models import Person
from privacy.actions import erase_person
from privacy.models import DeletionLogEntry
from workspaces.actions import ensure_body_workspaces
from workspaces.models import Workspace


@pytest.fixture
def isolated_files(settings, tmp_path):
    """A storage and a deletion log of this test alone (the storage API follows MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVACY_DELETION_LOG = str(tmp_path / "deletion-log.jsonl")
    return tmp_path


def _upload(user, name: str, content: bytes):
    ensure_body_workspaces()
    workspace = Workspace.objects.get(body__slug="regiegruppe")
    return document_actions.upload(user, workspace, SimpleUploadedFile(name, content))


def _backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_restore_drill_loses_no_row_and_no_file(personas, isolated_files):
    _upload(personas["member"], "bericht.txt", b"Bericht der Regiegruppe")
    _upload(personas["office"], "protokoll.txt", "Protokoll – Umlaute äöü".encode())
    archive = isolated_files / "backup.tar"
    summary = _backup(archive)
    assert "backup_files 2" in summary
    figures = isolated_files / "benchmarks.json"
    out = io.StringIO()
    call_command("restore_drill", str(archive), benchmarks=str(figures), stdout=out)
    lines = dict(line.split(" ", 1) for line in out.getvalue().splitlines())
    assert lines["restore_rows_lost"] == "0" and lines["restore_files_lost"] == "0"
    assert int(lines["restore_rows"]) > 100 and lines["restore_files"] == "2"
    recorded = json.loads(figures.read_text())
    assert recorded["figures"] == {"restore_rows_lost": 0, "restore_files_lost": 0}


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers()}


def _write(path: Path, members: dict[str, bytes], *, odd: tuple[str, ...] = ()) -> Path:
    with tarfile.open(path, "w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name in odd:
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            archive.addfile(info)
    return path


def _bad_archives(good: Path, tmp: Path) -> dict[str, Path]:
    members = _members(good)
    file_member = next(name for name in members if name.startswith("files/"))
    database = next(name for name in members if name.startswith("database."))
    manifest = json.loads(members["manifest.json"])
    manifest["tables"]["members_person"]["rows"] += 1
    forged = json.dumps(manifest).encode()
    truncated = tmp / "truncated.tar"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    garbage = tmp / "garbage.tar"
    garbage.write_bytes(b"PK\x03\x04 not a tar at all" * 100)
    return {
        "truncated": truncated,
        "garbage": garbage,
        "changed file": _write(tmp / "changed-file.tar", {**members, file_member: b"manipuliert"}),
        "changed database": _write(tmp / "changed-db.tar", {**members, database: members[database][:-10] + b"0123456789"}),
        "forged manifest": _write(tmp / "forged.tar", {**members, "manifest.json": forged}),
        "missing file": _write(tmp / "missing.tar", {k: v for k, v in members.items() if k != file_member}),
        "extra member": _write(tmp / "extra.tar", {**members, "files/../../evil.txt": b"x"}),
        "symlink": _write(tmp / "symlink.tar", members, odd=("files/link",)),
        "no signature": _write(tmp / "unsigned.tar", {k: v for k, v in members.items() if k != "manifest.sig"}),
    }


@pytest.mark.django_db(transaction=True)  # the backup reads committed data (pg_dump in its own session)
def test_malformed_or_tampered_archives_are_refused_before_anything_is_overwritten(personas, isolated_files):
    document = _upload(personas["member"], "bericht.txt", b"Stand beim Backup")
    good = isolated_files / "backup.tar"
    _backup(good)
    # after the backup: a new person and a changed file, which a restore would overwrite
    newcomer = Person.objects.create(given_name="Nina", family_name="Neu", municipality=personas["member"].person.municipality)
    name = document.current.file.name
    default_storage.delete(name)
    default_storage.save(name, io.BytesIO(b"Stand nach dem Backup"))
    for label, path in _bad_archives(good, isolated_files).items():
        with pytest.raises(CommandError, match="archive refused"):
            call_command("restore", str(path), yes=True, stdout=io.StringIO())
        with pytest.raises(CommandError, match="archive refused"):
            call_command("restore_drill", str(path), no_record=True, stdout=io.StringIO())
        assert Person.objects.filter(pk=newcomer.pk).exists(), label
        with default_storage.open(name) as handle:
            assert handle.read() == b"Stand nach dem Backup", label


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_does_not_resurrect_an_erased_person(personas, isolated_files):
    member = personas["member"]
    person_pk = member.person.pk
    _upload(member, "bericht.txt", b"Bericht von Mara")
    archive = isolated_files / "backup.tar"
    _backup(archive)
    erase_person(personas["office"], member.person, remove_content=True)
    assert Path(isolated_files / "deletion-log.jsonl").read_text().count("\n") == 1

    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)

    assert "restore_replayed_people 1" in out.getvalue()
    person = Person.objects.filter(pk=person_pk).first()
    assert person is None or (person.email == "" and person.user_id is None and not person.is_active)
    member.refresh_from_db()
    assert not member.is_active and "member@" not in member.email
    assert not Person.objects.filter(email="member@test.example").exists()
    assert not member.__class__.objects.filter(email="member@test.example").exists()
    # the restored deletion log knows the erasure again, with its original time
    assert DeletionLogEntry.objects.filter(subject_type="members.Person", subject_id=str(person_pk)).count() == 1
