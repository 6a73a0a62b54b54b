"""The search table: one row per searchable record and audience, with its stored
vector, the filters' columns and who may see it. PostgreSQL keeps it: triggers on the
records' tables rewrite a record's rows in the same statement that changed it
(``migrations/0001_initial.py``), so nothing written any way (a save, ``update``,
``bulk_create``, COPY, raw SQL) leaves it behind. The table is partitioned by kind, so
each kind's matches are read from its own part of one GIN index.

Who sees a row (``search.queries.visible``): the secretariat the rows marked ``staff``;
anyone else a ``public`` row unless they hold a seat in one of its ``hidden_from``
arenas (they see the record's internal row instead), and a row one of whose
``readers`` arenas they hold a seat in. The rules are those of the gates
(``cases_for_user``, ``documents_for_user``, ``paragraphs_visible_to``, …), written
once more in SQL; ``tests/search/test_index.py`` holds the two to each other.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    class Audience(models.TextChoices):
        PUBLIC = "p", "public text"
        INTERNAL = "i", "internal text"

    pk = models.CompositePrimaryKey("kind", "object_id", "audience")
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    audience = models.CharField(max_length=1, choices=Audience.choices)
    public = models.BooleanField()
    staff = models.BooleanField()
    readers = ArrayField(models.BigIntegerField())
    hidden_from = ArrayField(models.BigIntegerField())
    vector = SearchVectorField()
    number = models.CharField(max_length=40, blank=True)
    body_id = models.BigIntegerField(null=True)
    organisations = ArrayField(models.BigIntegerField())
    year_from = models.SmallIntegerField(null=True)
    year_until = models.SmallIntegerField(null=True)

    class Meta:
        db_table = "search_entry"

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.audience})"
