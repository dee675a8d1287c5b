"""A frozen release and its files cannot change, whatever code or person talks to the database."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION cluebench_refuse_frozen_release() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'frozen' THEN
        RAISE EXCEPTION 'release % is frozen: it cannot be changed or deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION cluebench_refuse_frozen_release_file() RETURNS trigger AS $$
DECLARE
    owner_state text;
BEGIN
    SELECT state INTO owner_state FROM benchmark_release
        WHERE id = (CASE WHEN TG_OP = 'INSERT' THEN NEW.release_id ELSE OLD.release_id END);
    IF owner_state = 'frozen' THEN
        RAISE EXCEPTION 'the files of a frozen release cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER release_frozen_guard BEFORE UPDATE OR DELETE ON benchmark_release
    FOR EACH ROW EXECUTE FUNCTION cluebench_refuse_frozen_release();
CREATE TRIGGER release_file_frozen_guard BEFORE INSERT OR UPDATE OR DELETE ON benchmark_releasefile
    FOR EACH ROW EXECUTE FUNCTION cluebench_refuse_frozen_release_file();
"""

REVERSE = """
DROP TRIGGER IF EXISTS release_frozen_guard ON benchmark_release;
DROP TRIGGER IF EXISTS release_file_frozen_guard ON benchmark_releasefile;
DROP FUNCTION IF EXISTS cluebench_refuse_frozen_release();
DROP FUNCTION IF EXISTS cluebench_refuse_frozen_release_file();
"""


class Migration(migrations.Migration):
    dependencies = [("benchmark", "0002_release_files")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
