"""config.celery: the beat schedule."""

from config.celery import app


def test_beat_schedules_the_invitation_expiry():
    schedule = app.conf.beat_schedule
    assert schedule["expire-invitations"]["task"] == "mentoring.tasks.expire_invitations"
    assert "mentoring.tasks.expire_invitations" in app.tasks
