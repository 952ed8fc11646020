"""config.celery: the beat schedule."""

from config.celery import app


def test_beat_schedules_the_invitation_expiry():
    schedule = app.conf.beat_schedule
    assert schedule["expire-invitations"]["task"] == "mentoring.tasks.expire_invitations"
    assert "mentoring.tasks.expire_invitations" in app.tasks


def test_beat_sends_the_worker_heartbeat_every_minute():
    """/readyz reports a worker alive while this keeps arriving (config/health.py)."""
    heartbeat = app.conf.beat_schedule["worker-heartbeat"]
    assert heartbeat["task"] == "mentoring.tasks.worker_heartbeat" in app.tasks
    assert heartbeat["schedule"] == 60
