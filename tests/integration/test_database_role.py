"""The app connects to PostgreSQL as an application role that is no superuser and has no replication rights: it
cannot switch the frozen-release trigger off for its session, and it owns what it made."""

import pytest
from django.db import DatabaseError, connection, transaction

pytestmark = pytest.mark.django_db


def test_the_app_role_is_no_superuser_and_cannot_bypass_triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper, rolreplication, rolbypassrls FROM pg_roles "
                       "WHERE rolname = current_user")
        user, superuser, replication, bypass = cursor.fetchone()
    if connection.settings_dict["HOST"] and not connection.settings_dict["HOST"].startswith("/"):
        pytest.skip("DATABASE_URL names another server: its role is the deployment's to choose")
    assert user == "cluebench" and not superuser and not replication and not bypass
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")


def test_the_app_role_owns_the_tables_it_migrated():
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'")
        owners = {row[0] for row in cursor.fetchall()}
    assert owners == {connection.settings_dict["USER"]}
