"""Write a complete backup: database (pg_dump custom format or a SQLite copy), every stored file, a signed manifest."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from privacy.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write a backup archive (database + stored files + signed manifest) for restore_drill and restore."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Path of the archive (default: VAR_DIR/backups/backup-<time>.tar).")

    def handle(self, *args, **options):
        output = Path(options["output"] or settings.VAR_DIR / "backups" / f"backup-{timezone.now():%Y%m%dT%H%M%SZ}.tar")
        try:
            result = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup {result.path}")
        self.stdout.write(f"backup_tables {result.tables}")
        self.stdout.write(f"backup_rows {result.rows}")
        self.stdout.write(f"backup_files {result.files}")
        self.stdout.write(f"backup_bytes {result.bytes}")
