#!/usr/bin/env bash
# Prints `export` lines for the services the tests need, starting what is missing.
# PostgreSQL: DATABASE_URL if set, else the embedded one (settings start it).
# Redis: REDIS_URL if set; else the machine's on 127.0.0.1:6379 if it answers; else a
# private redis-server (installed from Debian if missing) on 127.0.0.1:6390.
set -euo pipefail
cd "$(dirname "$0")/.."
# All in one subshell: a descriptor opened in a subshell is gone once it returns.
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'PING\r\n' >&3 && read -r -t 2 reply <&3 && [[ "$reply" == +PONG* ]]) 2>/dev/null; }
if [ -z "${REDIS_URL:-}" ]; then
  if answers 6379; then
    echo "export REDIS_URL=redis://127.0.0.1:6379/15"
  else
    if ! command -v redis-server >/dev/null; then
      echo "installing redis-server from Debian" >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >&2
    fi
    mkdir -p .run
    if ! answers 6390; then
      redis-server --port 6390 --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
        --pidfile "$PWD/.run/redis.pid" --logfile "$PWD/.run/redis.log" >&2
      for _ in $(seq 50); do answers 6390 && break; sleep 0.1; done
    fi
    echo "export REDIS_URL=redis://127.0.0.1:6390/15"
  fi
fi
