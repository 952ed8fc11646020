"""The access log: who viewed, revealed, exported or was granted a confidential record, and why."""

from __future__ import annotations

import pgtrigger
from django.db import models
from django.utils import timezone

from mentoring.fields import EncryptedCharField
from mentoring.models.people import Hub, User


class AccessLog(models.Model):
    """Append-only record of every view, export or grant of a sensitive record.

    It says who, what (type and id, never content), when and why. The database
    itself refuses UPDATE and DELETE (trigger), so not even a bug or a superuser
    in a shell can rewrite it.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        REVEAL = "reveal", "Revealed a protected field"
        EXPORT = "export", "Exported"
        GRANT = "grant", "Granted access"
        REVOKE = "revoke", "Revoked access"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = EncryptedCharField(max_length=200)

    class Meta:
        ordering = ["-at", "-pk"]
        # A page of her hubs' log, newest first, is read from the hub index already in the page's
        # order (ties on the time broken by the id), so no sort runs however long the log grows.
        indexes = [models.Index(fields=["hub", "-at", "-id"]), models.Index(fields=["object_type", "object_id"])]
        triggers = [
            pgtrigger.Protect(name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id}"
