#!/usr/bin/env bash
# `make run`: migrate, load the demo data (idempotent), print the logins, serve on :8000.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.local
PY=.venv/bin/python
mkdir -p .run
if [ -f .run/server.pid ] && kill -0 "$(cat .run/server.pid)" 2>/dev/null; then
  echo "Alongside is already running (pid $(cat .run/server.pid)). 'make stop' stops it."; exit 0
fi
$PY manage.py migrate --no-input -v 0
$PY manage.py seed_demo
echo
echo "Serving Alongside on http://127.0.0.1:8000  (Ctrl-C or 'make stop' to stop)"
echo "$$" > .run/server.pid
exec $PY manage.py runserver 127.0.0.1:8000 --noreload
