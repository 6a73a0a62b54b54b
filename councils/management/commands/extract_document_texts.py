from typing import Any

from django.core.management.base import BaseCommand

from councils import services
from councils.models import Document


class Command(BaseCommand):
    help = (
        "Read the text of the handlings' files not yet read, for search and the "
        "personal-data check before publication (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        pending = Document.objects.filter(text_state=Document.TextState.PENDING).exclude(file="")
        done = sum(
            1
            for pk in pending.values_list("pk", flat=True)
            if services.document_text_extract(document_id=pk)
        )
        self.stdout.write(self.style.SUCCESS(f"Text read from {done} documents."))
