"""What the readiness check asks: can this process reach PostgreSQL and Redis, and when did a
Celery worker last say it was alive. Each answer is a word ("ok", "down"...), never an error's
text: the check is public, and an error can carry a host name or a password."""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.db import connection

# A worker writes this key every HEARTBEAT_SECONDS (the beat schedule's worker-heartbeat task);
# older than WORKER_STALE_SECONDS, the worker is taken to be gone.
HEARTBEAT_KEY = "alongside:worker-heartbeat"
HEARTBEAT_SECONDS = 60
WORKER_STALE_SECONDS = 3 * HEARTBEAT_SECONDS
# A Redis that doesn't answer within this is down, as far as a sign-in is concerned.
REDIS_TIMEOUT_SECONDS = 1.0


def _redis() -> redis.Redis | None:
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return "down"
    return "ok"


def redis_state() -> str:
    """ "ok", "down", or "not used" where no REDIS_URL is set (the local demo runs tasks in-process)."""
    client = _redis()
    if client is None:
        return "not used"
    try:
        client.ping()
    except redis.RedisError:
        return "down"
    finally:
        client.close()
    return "ok"


def worker_state() -> str:
    """ "ok" when a worker's heartbeat is fresh, "stale" when it is old or missing, "unknown" when
    Redis can't be asked (or isn't used)."""
    client = _redis()
    if client is None:
        return "unknown"
    try:
        beat = client.get(HEARTBEAT_KEY)
    except redis.RedisError:
        return "unknown"
    finally:
        client.close()
    if beat is None:
        return "stale"
    try:
        age = time.time() - float(beat)
    except ValueError:
        return "stale"
    return "ok" if age <= WORKER_STALE_SECONDS else "stale"


def worker_heartbeat_record() -> None:
    client = _redis()
    if client is None:
        return
    try:
        client.set(HEARTBEAT_KEY, str(time.time()), ex=WORKER_STALE_SECONDS * 2)
    finally:
        client.close()
