"""Restore a backup onto this installation, then replay the deletions made since (data-protection erasures)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from privacy.backup import BackupError, restore


class Command(BaseCommand):
    help = "Overwrite the database and the stored files with a verified backup archive and replay the deletion log."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Confirm that the current data is to be overwritten.")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("restore overwrites the database and the stored files; repeat with --yes")
        try:
            result = restore(Path(options["archive"]))
        except BackupError as error:
            raise CommandError(f"archive refused, nothing restored: {error}") from error
        for key, value in result.items():
            self.stdout.write(f"restore_{key} {value}")
