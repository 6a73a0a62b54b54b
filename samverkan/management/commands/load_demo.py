from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samverkan.demo import load_demo
from samverkan.demo.councils import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Load the demo data built from the public seed documents (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Also create the demo log-ins (refused in production settings).",
        )
        parser.add_argument(
            "--without-history",
            action="store_true",
            help="Leave out the illustrative meetings of earlier years.",
        )

    def handle(
        self, *args: Any, with_accounts: bool = False, without_history: bool = False, **options: Any
    ) -> None:
        counts = load_demo(with_accounts=with_accounts, history=not without_history)
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
        if with_accounts:
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"  {account.role}: {account.username} / {account.password}")
