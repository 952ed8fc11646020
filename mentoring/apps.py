from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Mentoring"

    def ready(self) -> None:
        # Services enqueue Celery tasks by name; importing the tasks here registers them in every
        # process (web and worker), so an eager run in tests and local settings finds them.
        from mentoring import tasks  # noqa: F401

        # Once per migrate (post_migrate is sent once per app; this listens to ours only).
        post_migrate.connect(grant_app_role_after_migrate, sender=self, dispatch_uid="grant_app_role")


def grant_app_role_after_migrate(*, using: str, **kwargs: Any) -> None:
    """Every table a migration added gets the app's role's rights, and append-only ones no more."""
    from django.conf import settings
    from django.db import connections

    from config.database_roles import grant_app_role

    if settings.DATABASE_ROLES is not None:
        grant_app_role(connections[using], settings.DATABASE_ROLES["app"]["USER"])
