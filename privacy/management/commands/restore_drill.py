"""Prove a backup restores: into a scratch database and a scratch file location, compared with the manifest."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from privacy.backup import BackupError, describe_storage, restore_drill, scratch_bucket


class Command(BaseCommand):
    help = "Restore an archive into a scratch database and file location and verify every table and file."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--benchmarks",
            default=str(settings.BASE_DIR / "docs" / "benchmarks.json"),
            help="Merge restore_rows_lost and restore_files_lost into this figures file (default docs/benchmarks.json).",
        )
        parser.add_argument("--no-record", action="store_true", help="Print the figures only.")
        parser.add_argument(
            "--scratch-bucket",
            default=settings.RESTORE_DRILL_BUCKET,
            help="With S3 storage: an existing bucket for the drill's files (a unique prefix, removed afterwards); "
            "without it a bucket is created for the drill and deleted (RESTORE_DRILL_BUCKET).",
        )

    def handle(self, *args, **options):
        try:
            with scratch_bucket(options["scratch_bucket"] or None) as scratch:
                if scratch is not None:
                    self.stdout.write(f"restore_scratch {describe_storage(scratch)}")
                result = restore_drill(Path(options["archive"]), scratch_storage=scratch)
        except BackupError as error:
            raise CommandError(f"archive refused, nothing restored: {error}") from error
        self.stdout.write(f"restore_tables {result.tables}")
        self.stdout.write(f"restore_rows {result.rows}")
        self.stdout.write(f"restore_files {result.files}")
        self.stdout.write(f"restore_rows_lost {result.rows_lost}")
        self.stdout.write(f"restore_files_lost {result.files_lost}")
        if result.tables_mismatched:
            self.stdout.write(f"restore_tables_mismatched {','.join(result.tables_mismatched)}")
        if not options["no_record"]:
            _merge(
                Path(options["benchmarks"]),
                {"restore_rows_lost": result.rows_lost, "restore_files_lost": result.files_lost},
                {
                    "date": timezone.now().isoformat(timespec="seconds"),
                    "database": connection.vendor,
                    "tables": result.tables,
                    "rows": result.rows,
                    "files": result.files,
                    "tables_mismatched": result.tables_mismatched,
                    "runtime_s": round(result.seconds, 1),
                    "machine": {"cpu_count": os.cpu_count(), "os": platform.platform(), "python": platform.python_version()},
                },
            )
        if result.rows_lost or result.files_lost or result.tables_mismatched:
            raise CommandError("the restore drill found losses")


def _merge(output: Path, figures: dict, meta: dict) -> None:
    """Merge into the shared figures file (the same shape bench/common.py writes)."""
    data = json.loads(output.read_text()) if output.exists() else {}
    data.setdefault("figures", {}).update(figures)
    data.setdefault("meta", {})["restore_drill"] = meta
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
