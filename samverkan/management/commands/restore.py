from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into an empty installation, checking every checksum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="A backup folder written by manage.py backup.")

    def handle(self, *args: Any, folder: str, **options: Any) -> None:
        try:
            manifest = restore(Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = len(manifest["database"]["rows"])
        files = len(manifest["files"])
        self.stdout.write(self.style.SUCCESS(f"Restored {tables} tables and {files} files."))
