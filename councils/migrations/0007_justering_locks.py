"""A justerat protocol is locked in the database itself: neither the portal, the admin
nor a hand-written SQL statement can change or remove it, its §, their votes and jäv,
or the attendance of its meeting."""

from django.db import migrations

LOCKS = """
CREATE OR REPLACE FUNCTION councils_refuse_locked(message text) RETURNS void AS $$
BEGIN
    RAISE EXCEPTION '%', message USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION councils_paragraph_lock() RETURNS trigger AS $$
BEGIN
    IF OLD.approved_at IS NOT NULL THEN
        PERFORM councils_refuse_locked('§ ' || OLD.number || ' is justerad and locked');
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER councils_paragraph_lock BEFORE UPDATE OR DELETE ON councils_paragraph
    FOR EACH ROW EXECUTE FUNCTION councils_paragraph_lock();

CREATE OR REPLACE FUNCTION councils_paragraph_child_lock() RETURNS trigger AS $$
DECLARE
    target bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN target := OLD.paragraph_id; ELSE target := NEW.paragraph_id; END IF;
    IF EXISTS (SELECT 1 FROM councils_paragraph WHERE id = target AND approved_at IS NOT NULL)
       OR (TG_OP = 'UPDATE' AND EXISTS (
           SELECT 1 FROM councils_paragraph WHERE id = OLD.paragraph_id AND approved_at IS NOT NULL))
    THEN
        PERFORM councils_refuse_locked('the § is justerad and locked');
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER councils_vote_lock BEFORE INSERT OR UPDATE OR DELETE ON councils_vote
    FOR EACH ROW EXECUTE FUNCTION councils_paragraph_child_lock();
CREATE TRIGGER councils_conflict_lock BEFORE INSERT OR UPDATE OR DELETE
    ON councils_paragraph_conflicts
    FOR EACH ROW EXECUTE FUNCTION councils_paragraph_child_lock();

CREATE OR REPLACE FUNCTION councils_attendance_lock() RETURNS trigger AS $$
DECLARE
    target bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN target := OLD.meeting_id; ELSE target := NEW.meeting_id; END IF;
    IF EXISTS (SELECT 1 FROM councils_protocol WHERE meeting_id = target AND status = 'justerat')
    THEN
        PERFORM councils_refuse_locked('the protocol is justerat: attendance is locked');
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER councils_attendance_lock BEFORE INSERT OR UPDATE OR DELETE ON councils_attendance
    FOR EACH ROW EXECUTE FUNCTION councils_attendance_lock();

CREATE OR REPLACE FUNCTION councils_protocol_lock() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'justerat' THEN
        PERFORM councils_refuse_locked('the protocol is justerat and locked');
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER councils_protocol_lock BEFORE UPDATE OR DELETE ON councils_protocol
    FOR EACH ROW EXECUTE FUNCTION councils_protocol_lock();
"""

UNLOCKS = """
DROP TRIGGER IF EXISTS councils_protocol_lock ON councils_protocol;
DROP TRIGGER IF EXISTS councils_attendance_lock ON councils_attendance;
DROP TRIGGER IF EXISTS councils_conflict_lock ON councils_paragraph_conflicts;
DROP TRIGGER IF EXISTS councils_vote_lock ON councils_vote;
DROP TRIGGER IF EXISTS councils_paragraph_lock ON councils_paragraph;
DROP FUNCTION IF EXISTS councils_protocol_lock();
DROP FUNCTION IF EXISTS councils_attendance_lock();
DROP FUNCTION IF EXISTS councils_paragraph_child_lock();
DROP FUNCTION IF EXISTS councils_paragraph_lock();
DROP FUNCTION IF EXISTS councils_refuse_locked(text);
"""


class Migration(migrations.Migration):
    dependencies = [("councils", "0006_protocols")]

    operations = [migrations.RunSQL(LOCKS, UNLOCKS)]
