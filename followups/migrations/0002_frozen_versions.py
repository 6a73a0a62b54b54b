"""A verksamhetsberättelse version's content never changes, and a fastställd version
does not change at all, nor can it be deleted: enforced by the database, so no code
path (admin, shell, a future bug) can rewrite what was published."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION followups_version_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'faststalld' THEN
        RAISE EXCEPTION 'report version % is fastställd and cannot change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.snapshot IS DISTINCT FROM OLD.snapshot
            OR NEW.report_id IS DISTINCT FROM OLD.report_id
            OR NEW.number IS DISTINCT FROM OLD.number) THEN
        RAISE EXCEPTION 'the content of report version % cannot change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER followups_version_frozen
BEFORE UPDATE OR DELETE ON followups_reportversion
FOR EACH ROW EXECUTE FUNCTION followups_version_frozen();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS followups_version_frozen ON followups_reportversion;
DROP FUNCTION IF EXISTS followups_version_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
