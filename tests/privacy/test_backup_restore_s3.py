"""Backup, restore drill and restore when the files live in S3 (moto's server, a real HTTP S3 process).

Files are read for the backup and written back for the drill and the restore through the storage API;
the drill uses a scratch bucket that is gone afterwards, and reports no row and no file lost.
"""

from __future__ import annotations

import io

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from tests.privacy.test_backup_restore import _backup, _upload
from tests.storage.conftest import s3_server, s3_storage  # noqa: F401 - fixtures
from tests.support import s3


@pytest.fixture
def bucket_client(s3_storage, settings, tmp_path):  # noqa: F811 - the fixture imported above
    settings.PRIVACY_DELETION_LOG = str(tmp_path / "deletion-log.jsonl")
    return boto3.client(
        "s3",
        endpoint_url=s3_storage["endpoint"],
        region_name="eu-central-1",
        aws_access_key_id=s3.ACCESS_KEY,
        aws_secret_access_key=s3.SECRET_KEY,
    )


def _keys(client, bucket: str) -> set[str]:
    return {o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def _lines(out: str) -> dict[str, str]:
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)


@pytest.mark.django_db(transaction=True)
def test_the_restore_drill_against_s3_uses_a_scratch_bucket_and_loses_nothing(personas, bucket_client, tmp_path):
    first = _upload(personas["member"], "bericht.txt", b"Bericht im Objektspeicher")
    second = _upload(personas["office"], "protokoll.txt", "Protokoll – Umlaute äöü".encode())
    names = {first.current.file.name, second.current.file.name}
    assert names <= _keys(bucket_client, s3.BUCKET)
    archive = tmp_path / "backup.tar"
    assert "backup_files 2" in _backup(archive)
    buckets_before = {b["Name"] for b in bucket_client.list_buckets()["Buckets"]}

    out = io.StringIO()
    call_command("restore_drill", str(archive), benchmarks=str(tmp_path / "figures.json"), stdout=out)
    lines = _lines(out.getvalue())
    assert lines["restore_scratch"].startswith("s3://restore-drill-")
    assert lines["restore_rows_lost"] == "0" and lines["restore_files_lost"] == "0" and lines["restore_files"] == "2"
    assert {b["Name"] for b in bucket_client.list_buckets()["Buckets"]} == buckets_before  # scratch bucket removed
    assert names <= _keys(bucket_client, s3.BUCKET)  # the live bucket untouched

    # An operator-provided scratch bucket: the drill writes under a prefix of its own and cleans it up.
    bucket_client.create_bucket(Bucket="drill", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    bucket_client.put_object(Bucket="drill", Key="keep.txt", Body=b"x")
    out = io.StringIO()
    call_command("restore_drill", str(archive), "--scratch-bucket", "drill", "--no-record", stdout=out)
    lines = _lines(out.getvalue())
    assert lines["restore_scratch"].startswith("s3://drill/restore-drill-") and lines["restore_files_lost"] == "0"
    assert _keys(bucket_client, "drill") == {"keep.txt"}


@pytest.mark.django_db(transaction=True)
def test_a_restore_puts_lost_objects_back_into_the_bucket(personas, bucket_client, tmp_path):
    document = _upload(personas["member"], "bericht.txt", b"Wird wiederhergestellt")
    name = document.current.file.name
    archive = tmp_path / "backup.tar"
    _backup(archive)
    bucket_client.delete_object(Bucket=s3.BUCKET, Key=name)
    assert not default_storage.exists(name)
    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    with default_storage.open(name, "rb") as restored:
        assert restored.read() == b"Wird wiederhergestellt"
