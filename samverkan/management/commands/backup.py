from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from samverkan.backup import backup


class Command(BaseCommand):
    help = "Back up the database and the stored files, with a manifest of checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target",
            nargs="?",
            default=str(Path(settings.DATA_DIR) / "backups"),
            help="Folder to write the backup under (default .data/backups).",
        )

    def handle(self, *args: Any, target: str, **options: Any) -> None:
        folder = backup(Path(target))
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
