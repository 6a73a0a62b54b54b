"""The search table, the function that rewrites a record's rows and the triggers that
call it whenever a record's table changes (statement-level, with transition tables: a
COPY of 200 000 § is rewritten in one set-based statement, not row by row).

The visibility written here is the gates' (``councils.selectors``): a case's public
text while its personal data is clear, its internal text to its arena's members; a
document public when not confidential, its text read and no personal data unconfirmed
in it or its case, otherwise to the members of its case's arena and of every arena
whose agenda carries it; a § once justerad, to everyone if its item is public, else to
its arena's members, and every § (drafts too) to the secretariat; meetings,
agreements and follow-ups public. ``tests/search/test_index.py`` compares the two.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.db import migrations, models

KINDS = ("arende", "paragraf", "handling", "sammantrade", "overenskommelse", "uppfoljning")

COLUMNS = (
    "kind, object_id, audience, public, staff, readers, hidden_from, vector, number,"
    " body_id, organisations, year_from, year_until"
)

TABLE = f"""
CREATE TABLE search_entry (
    kind varchar(20) NOT NULL,
    object_id bigint NOT NULL,
    audience varchar(1) NOT NULL,
    public boolean NOT NULL,
    staff boolean NOT NULL,
    readers bigint[] NOT NULL,
    hidden_from bigint[] NOT NULL,
    vector tsvector NOT NULL,
    number varchar(40) NOT NULL DEFAULT '',
    body_id bigint,
    organisations bigint[] NOT NULL,
    year_from smallint,
    year_until smallint,
    PRIMARY KEY (kind, object_id, audience)
) PARTITION BY LIST (kind);
{"".join(f"CREATE TABLE search_entry_{k} PARTITION OF search_entry FOR VALUES IN ('{k}');" for k in KINDS)}
CREATE INDEX search_entry_vector ON search_entry USING gin (vector);
CREATE INDEX search_entry_number ON search_entry_arende USING gin (number gin_trgm_ops);
"""

CLEAR = "(personal_data = 0 OR personal_data_reason <> '')"

REFRESH = f"""
CREATE FUNCTION search_refresh(refresh_kind text, ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    DELETE FROM search_entry WHERE kind = refresh_kind AND object_id = ANY(ids);
    IF refresh_kind = 'arende' THEN
        INSERT INTO search_entry ({COLUMNS})
        SELECT 'arende', c.id, 'p', true, false, '{{}}', array_remove(ARRAY[c.body_id], NULL),
               c.search_public, c.diarienummer, c.body_id,
               array_remove(ARRAY[b.organisation_id], NULL), c.year, c.year
        FROM councils_case c LEFT JOIN councils_body b ON b.id = c.body_id
        WHERE c.id = ANY(ids) AND {CLEAR.replace("personal_data", "c.personal_data")}
        UNION ALL
        SELECT 'arende', c.id, 'i', false, true, array_remove(ARRAY[c.body_id], NULL), '{{}}',
               c.search_internal, c.diarienummer, c.body_id,
               array_remove(ARRAY[b.organisation_id], NULL), c.year, c.year
        FROM councils_case c LEFT JOIN councils_body b ON b.id = c.body_id
        WHERE c.id = ANY(ids);
    ELSIF refresh_kind = 'handling' THEN
        INSERT INTO search_entry ({COLUMNS})
        SELECT 'handling', d.id, 'p',
               NOT d.confidential AND (d.file = '' OR d.text_state = 'last')
                   AND {CLEAR.replace("personal_data", "d.personal_data")}
                   AND {CLEAR.replace("personal_data", "c.personal_data")},
               true,
               array_remove(ARRAY[c.body_id], NULL) || coalesce((
                   SELECT array_agg(DISTINCT m.body_id)
                   FROM councils_agendaitem_documents ad
                   JOIN councils_agendaitem ai ON ai.id = ad.agendaitem_id
                   JOIN councils_meeting m ON m.id = ai.meeting_id
                   WHERE ad.document_id = d.id), '{{}}'),
               '{{}}', d.search, '', c.body_id, array_remove(ARRAY[b.organisation_id], NULL),
               extract(year FROM d.document_date)::smallint,
               extract(year FROM d.document_date)::smallint
        FROM councils_document d
        JOIN councils_case c ON c.id = d.case_id
        LEFT JOIN councils_body b ON b.id = c.body_id
        WHERE d.id = ANY(ids);
    ELSIF refresh_kind = 'paragraf' THEN
        INSERT INTO search_entry ({COLUMNS})
        SELECT 'paragraf', p.id, 'p', p.approved_at IS NOT NULL AND p.public, true,
               CASE WHEN p.approved_at IS NOT NULL THEN ARRAY[m.body_id] ELSE '{{}}' END,
               '{{}}', p.search, '', p.body_id, array_remove(ARRAY[b.organisation_id], NULL),
               p.year, p.year
        FROM councils_paragraph p
        JOIN councils_meeting m ON m.id = p.meeting_id
        LEFT JOIN councils_body b ON b.id = p.body_id
        WHERE p.id = ANY(ids);
    ELSIF refresh_kind = 'sammantrade' THEN
        -- the year as the pages read it: in the portal's time zone (settings.TIME_ZONE)
        INSERT INTO search_entry ({COLUMNS})
        SELECT 'sammantrade', m.id, 'p', true, true, '{{}}', '{{}}',
               to_tsvector('swedish', concat_ws(' ', b.name, b.short_name, m.place)),
               '', m.body_id, array_remove(ARRAY[b.organisation_id], NULL),
               extract(year FROM m.starts_at AT TIME ZONE 'Europe/Stockholm')::smallint,
               extract(year FROM m.starts_at AT TIME ZONE 'Europe/Stockholm')::smallint
        FROM councils_meeting m JOIN councils_body b ON b.id = m.body_id
        WHERE m.id = ANY(ids);
    ELSIF refresh_kind = 'overenskommelse' THEN
        INSERT INTO search_entry ({COLUMNS})
        SELECT 'overenskommelse', a.id, 'p', true, true, '{{}}', '{{}}', a.search, '',
               a.responsible_body_id,
               coalesce((SELECT array_agg(ap.organisation_id) FROM agreements_agreement_parties ap
                         WHERE ap.agreement_id = a.id), '{{}}'),
               extract(year FROM a.valid_from)::smallint, extract(year FROM a.valid_until)::smallint
        FROM agreements_agreement a
        WHERE a.id = ANY(ids);
    ELSIF refresh_kind = 'uppfoljning' THEN
        INSERT INTO search_entry ({COLUMNS})
        SELECT 'uppfoljning', f.id, 'p', true, true, '{{}}', '{{}}', f.search, '', f.body_id,
               coalesce((SELECT array_agg(ap.organisation_id) FROM agreements_agreement_parties ap
                         WHERE ap.agreement_id = f.agreement_id), '{{}}'),
               f.year, f.year
        FROM followups_followup f
        WHERE f.id = ANY(ids);
    END IF;
END
$$;
"""


def _changed(
    table: str, key: str, body: str, *, update_only: bool = False
) -> tuple[str, list[str]]:
    """A trigger function for ``table`` and its three statement triggers. ``body`` runs
    with ``ids`` (the rows' ``key``: new rows, or the old ones when deleted)."""
    function = f"search_{table}_changed"
    sql = f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT DISTINCT {key} FROM old_rows);
    ELSE
        ids := ARRAY(SELECT DISTINCT {key} FROM new_rows);
    END IF;
    {body}
    RETURN NULL;
END
$$;
"""
    events = ["UPDATE"] if update_only else ["INSERT", "UPDATE", "DELETE"]
    triggers = []
    for event in events:
        tables = {
            "INSERT": "NEW TABLE AS new_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "DELETE": "OLD TABLE AS old_rows",
        }[event]
        triggers.append(
            f"CREATE TRIGGER search_{event.lower()} AFTER {event} ON {table} "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        )
    return sql, triggers


def _changed_where(columns: str) -> str:
    """The updated rows (by id) whose ``columns`` changed."""
    old = ", ".join(f"o.{c.strip()}" for c in columns.split(","))
    new = ", ".join(f"n.{c.strip()}" for c in columns.split(","))
    return (
        "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        f"WHERE ({new}) IS DISTINCT FROM ({old})"
    )


TRIGGERS = [
    _changed(
        "councils_case",
        "id",
        f"""PERFORM search_refresh('arende', ids);
    IF TG_OP = 'UPDATE' THEN  -- a document's visibility follows its case's
        PERFORM search_refresh('handling', ARRAY(
            SELECT d.id FROM councils_document d
            WHERE d.case_id IN ({_changed_where("personal_data, personal_data_reason, body_id")})));
    END IF;""",
    ),
    _changed("councils_document", "id", "PERFORM search_refresh('handling', ids);"),
    _changed(
        "councils_agendaitem_documents", "document_id", "PERFORM search_refresh('handling', ids);"
    ),
    _changed(
        "councils_agendaitem",
        "id",
        f"""PERFORM search_refresh('handling', ARRAY(
        SELECT ad.document_id FROM councils_agendaitem_documents ad
        WHERE ad.agendaitem_id IN ({_changed_where("meeting_id")})));""",
        update_only=True,
    ),
    _changed("councils_paragraph", "id", "PERFORM search_refresh('paragraf', ids);"),
    _changed(
        "councils_meeting",
        "id",
        f"""PERFORM search_refresh('sammantrade', ids);
    IF TG_OP = 'UPDATE' THEN  -- who reads its § and its agenda's documents
        PERFORM search_refresh('paragraf', ARRAY(
            SELECT p.id FROM councils_paragraph p
            WHERE p.meeting_id IN ({_changed_where("body_id")})));
        PERFORM search_refresh('handling', ARRAY(
            SELECT ad.document_id FROM councils_agendaitem_documents ad
            JOIN councils_agendaitem ai ON ai.id = ad.agendaitem_id
            WHERE ai.meeting_id IN ({_changed_where("body_id")})));
    END IF;""",
    ),
    _changed(
        "councils_body",
        "id",
        f"""ids := ARRAY({_changed_where("name, short_name, organisation_id")});
    PERFORM search_refresh('sammantrade', ARRAY(
        SELECT m.id FROM councils_meeting m WHERE m.body_id = ANY(ids)));
    PERFORM search_refresh('arende', ARRAY(
        SELECT c.id FROM councils_case c WHERE c.body_id = ANY(ids)));
    PERFORM search_refresh('paragraf', ARRAY(
        SELECT p.id FROM councils_paragraph p WHERE p.body_id = ANY(ids)));
    PERFORM search_refresh('handling', ARRAY(
        SELECT d.id FROM councils_document d JOIN councils_case c ON c.id = d.case_id
        WHERE c.body_id = ANY(ids)));""",
        update_only=True,
    ),
    _changed(
        "agreements_agreement",
        "id",
        """PERFORM search_refresh('overenskommelse', ids);
    PERFORM search_refresh('uppfoljning', ARRAY(
        SELECT f.id FROM followups_followup f WHERE f.agreement_id = ANY(ids)));""",
    ),
    _changed(
        "agreements_agreement_parties",
        "agreement_id",
        """PERFORM search_refresh('overenskommelse', ids);
    PERFORM search_refresh('uppfoljning', ARRAY(
        SELECT f.id FROM followups_followup f WHERE f.agreement_id = ANY(ids)));""",
    ),
    _changed("followups_followup", "id", "PERFORM search_refresh('uppfoljning', ids);"),
]

SOURCES = {
    "arende": "councils_case",
    "handling": "councils_document",
    "paragraf": "councils_paragraph",
    "sammantrade": "councils_meeting",
    "overenskommelse": "agreements_agreement",
    "uppfoljning": "followups_followup",
}

FILL = "".join(
    f"SELECT search_refresh('{kind}', ARRAY(SELECT id FROM {table}));"
    for kind, table in SOURCES.items()
)


def _forward() -> list[str]:
    statements = [TABLE, REFRESH]
    for function, triggers in TRIGGERS:
        statements += [function, *triggers]
    # The planner's figures for the new table: without them it reads a kind's whole
    # part through the primary key before the vector's index (ten times slower).
    return [*statements, FILL, "ANALYZE search_entry;"]


def _backward() -> list[str]:
    functions = [sql.split("FUNCTION ", 1)[1].split("(", 1)[0] for sql, _triggers in TRIGGERS]
    return [
        *(f"DROP FUNCTION {name}() CASCADE;" for name in functions),
        "DROP FUNCTION search_refresh(text, bigint[]);",
        "DROP TABLE search_entry;",
    ]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("councils", "0036_held_back_indexes"),
        ("agreements", "0002_search"),
        ("followups", "0008_reportrendering"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(_forward(), _backward())],
            state_operations=[
                migrations.CreateModel(
                    name="SearchEntry",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "kind", "object_id", "audience", blank=True, editable=False,
                                primary_key=True, serialize=False,
                            ),
                        ),
                        ("kind", models.CharField(max_length=20)),
                        ("object_id", models.BigIntegerField()),
                        (
                            "audience",
                            models.CharField(
                                choices=[("p", "public text"), ("i", "internal text")],
                                max_length=1,
                            ),
                        ),
                        ("public", models.BooleanField()),
                        ("staff", models.BooleanField()),
                        ("readers", ArrayField(base_field=models.BigIntegerField(), size=None)),
                        (
                            "hidden_from",
                            ArrayField(base_field=models.BigIntegerField(), size=None),
                        ),
                        ("vector", SearchVectorField()),
                        ("number", models.CharField(blank=True, max_length=40)),
                        ("body_id", models.BigIntegerField(null=True)),
                        (
                            "organisations",
                            ArrayField(base_field=models.BigIntegerField(), size=None),
                        ),
                        ("year_from", models.SmallIntegerField(null=True)),
                        ("year_until", models.SmallIntegerField(null=True)),
                    ],
                    options={"db_table": "search_entry"},
                ),
            ],
        ),
    ]
