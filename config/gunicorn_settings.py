"""The one gunicorn configuration: the image (and so docker-compose.yml) and the log test use it.

Workers come from the environment (WEB_CONCURRENCY, as gunicorn reads it); the access log keeps
paths only (config/gunicorn_logging.py).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
logger_class = "config.gunicorn_logging.RedactingLogger"
if os.environ.get("LOG_FORMAT", "json") == "json":
    # Production: the app logs each request itself, as JSON with its id, route, user id and time
    # (config/request_log.py), so gunicorn's text access log is off and its own lines are JSON too.
    accesslog = None
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.request_log.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
    }
else:
    accesslog = "-"
    access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(L)s'
# gunicorn 25+ opens a runtime-management socket in $HOME unless told not to.
control_socket_disable = True
# Heartbeat files in memory: the image's filesystem is read-only.
SHARED_MEMORY = "/dev/shm"  # noqa: S108  (gunicorn's own advice for containers)
if os.path.isdir(SHARED_MEMORY):
    worker_tmp_dir = SHARED_MEMORY
