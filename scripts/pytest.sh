#!/usr/bin/env bash
# `make test`'s pytest: starts the services the tests need (scripts/test_services.sh), runs the
# suite, and afterwards stops what it started, and only that: an embedded PostgreSQL or a private
# Redis that was already running (the demo's, say) is left as it was.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_was_running=no
[ -f .pgdata/postmaster.pid ] && pg_was_running=yes
redis_was_running=no
[ -f .run/redis.pid ] && kill -0 "$(cat .run/redis.pid)" 2>/dev/null && redis_was_running=yes

stop_what_we_started() {
  if [ -z "${DATABASE_URL:-}" ] && [ "$pg_was_running" = no ] && [ -f .pgdata/postmaster.pid ]; then
    .venv/bin/python scripts/embedded_pg.py stop
  fi
  if [ "$redis_was_running" = no ] && [ -f .run/redis.pid ]; then
    kill "$(cat .run/redis.pid)" 2>/dev/null || true
    rm -f .run/redis.pid
    echo "test redis: stopped"
  fi
}
trap stop_what_we_started EXIT

services="$(./scripts/test_services.sh)"
eval "$services"
.venv/bin/pytest "$@"
