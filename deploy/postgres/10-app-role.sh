#!/bin/sh
# Run once by the postgres image when its data volume is new (/docker-entrypoint-initdb.d): the application's role,
# without superuser or replication rights, owning the application's database. The app connects as it; the
# superuser (POSTGRES_USER) is for the operator only.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_password="$POSTGRES_APP_PASSWORD" <<'SQL'
CREATE ROLE cluebench LOGIN NOSUPERUSER NOREPLICATION NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD :'app_password';
CREATE DATABASE cluebench OWNER cluebench;
SQL
