"""The access log's writer. Every policy's fetch helper calls it as it hands over a record,
so a view cannot show a confidential record without leaving an entry.

It is in the policy layer, under the services, because fetching is where reading happens:
a policy that lets her see a record also says it was seen.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model

from mentoring.models import AccessLog, Hub, User

REASON_LENGTH = 200


def _entry(*, user: User, action: str, obj: Model, hub: Hub | None, reason: str) -> AccessLog:
    entry = AccessLog(
        user=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        hub=hub,
        reason=reason[:REASON_LENGTH],
    )
    # The people and hub are known to exist (they came from the request and her record):
    # validating them would cost two queries on every read of a record.
    entry.clean_fields(exclude=["user", "hub"])
    return entry


def access_log_record(*, user: User, action: str, obj: Model, hub: Hub | None = None, reason: str = "") -> AccessLog:
    """Record a read, export or grant of a sensitive record: type and id only, never content."""
    entry = _entry(user=user, action=action, obj=obj, hub=hub, reason=reason)
    entry.save()
    return entry


def access_log_reads(
    *, user: User, records: Iterable[tuple[Model, Hub | None]], reason: str, action: str = AccessLog.Action.VIEW
) -> None:
    """One entry per record shown together on one page (her mentor's phone home), or exported
    together in one file, in one insert."""
    entries = [_entry(user=user, action=action, obj=obj, hub=hub, reason=reason) for obj, hub in records]
    if entries:
        # One INSERT of every row is atomic by itself: bulk_create would wrap it in a transaction
        # of its own, two more round trips each time she opens her phone home.
        fields = [field for field in AccessLog._meta.concrete_fields if not field.primary_key]
        AccessLog.objects._insert(entries, fields=fields)  # type: ignore[attr-defined]
