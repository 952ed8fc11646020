#!/usr/bin/env bash
# The app's database role, made by the postgres image on a fresh volume: docker-compose.yml mounts
# this folder at /docker-entrypoint-initdb.d, and the image runs it once, as its superuser
# ($POSTGRES_USER, who also owns the tables and runs the migrations).
#
# alongside_app may log in and nothing more: it owns nothing and is no superuser. `migrate` grants
# it its rights on the tables (config/database_roles.py), every time it runs.
#
# Safe to run again, which also sets the password anew from APP_DATABASE_PASSWORD. For a volume
# made before this script existed, or to change the password:
#   docker compose up -d postgres
#   docker compose exec -T postgres bash < scripts/postgres-init/app-role.sh
set -euo pipefail
: "${APP_DATABASE_PASSWORD:?set APP_DATABASE_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$APP_DATABASE_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE alongside_app LOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alongside_app')\gexec
ALTER ROLE alongside_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'password';
SQL
