"""Writing the access log: who read, revealed, exported or granted a confidential record."""

from __future__ import annotations

from django.db.models import Model

from mentoring.models import AccessLog, Hub, User


def access_log_record(*, user: User, action: str, obj: Model, hub: Hub | None = None, reason: str = "") -> AccessLog:
    """Record a read, export or grant of a sensitive record: type and id only, never content."""
    entry = AccessLog(
        user=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        hub=hub,
        reason=reason[:200],
    )
    # The people and hub are known to exist (they came from the request and her record):
    # validating them would cost two queries on every read of a record.
    entry.clean_fields(exclude=["user", "hub"])
    entry.save()
    return entry
