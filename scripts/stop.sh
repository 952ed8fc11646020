#!/usr/bin/env bash
# `make stop`: stops what this checkout started, found by the pid files it wrote in .run/ (the
# demo server, a private test Redis) and the embedded PostgreSQL of its own .pgdata/. Nothing
# else on the machine is touched, not even another checkout's server on the same port.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

stop_pid_file() {  # stop_pid_file <file> <what>
  local file=$1 what=$2 pid
  if [ ! -f "$file" ]; then echo "$what: not running"; return; fi
  pid=$(cat "$file")
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "$what: stopped"
  else
    echo "$what: not running"
  fi
  rm -f "$file"
}

stop_pid_file .run/server.pid "server"
stop_pid_file .run/redis.pid "test redis"
if [ -f .pgdata/postmaster.pid ]; then "$PY" scripts/embedded_pg.py stop; else echo "embedded PostgreSQL: not running"; fi
