"""``make run``'s preparation in one process, doing only what changed: the migrations
not yet applied, the demo loaded again only when it, the code that makes it or its seeds
changed since it was loaded into this database, and the texts of documents not yet
read. A warm restart with nothing changed reads one fingerprint and starts."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from psycopg import sql

#: What the demo is made by: the apps' code (the services it goes through) and the seeds.
SOURCES = (
    "base",
    "councils",
    "agreements",
    "recommendations",
    "followups",
    "archive",
    "identity",
    "samverkan",
)
MARK = "samverkan-demo:"


def demo_fingerprint(*, with_accounts: bool) -> str:
    """A digest of every file the demo is made from (names and contents)."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256(f"accounts={with_accounts}".encode())
    for folder in SOURCES:
        found = []
        for directory, subfolders, files in os.walk(root / folder):
            subfolders[:] = [d for d in subfolders if d not in {"node_modules", "__pycache__"}]
            found += [Path(directory, f) for f in files if Path(f).suffix in {".py", ".txt"}]
        for path in sorted(found):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def loaded_fingerprint() -> str:
    """The fingerprint of the demo this database was loaded with ("" if none): kept as
    the database's comment, so a new or emptied database never passes for loaded."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    comment = (row[0] if row else None) or ""
    return comment.removeprefix(MARK) if comment.startswith(MARK) else ""


def _remember(fingerprint: str) -> None:
    # A utility statement takes no bound parameter (the server binds them): the comment
    # is quoted as a literal here.
    statement = sql.SQL("COMMENT ON DATABASE {} IS {}").format(
        sql.Identifier(connection.settings_dict["NAME"]), sql.Literal(MARK + fingerprint)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement.as_string(cursor.connection))


class Command(BaseCommand):
    help = (
        "Prepare make run: apply the migrations not yet applied, load the demo when "
        "anything it is made from changed, read the texts not yet read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--with-accounts", action="store_true")

    def handle(self, *args: Any, with_accounts: bool = False, **options: Any) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
        fingerprint = demo_fingerprint(with_accounts=with_accounts)
        if loaded_fingerprint() == fingerprint:
            self.stdout.write("The demo data is as loaded: nothing it is made from changed.")
        else:
            _remember("")  # a load that stops half-way is loaded again next time
            call_command("load_demo", with_accounts=with_accounts, stdout=self.stdout)
            _remember(fingerprint)
        call_command("extract_document_texts", stdout=self.stdout)
