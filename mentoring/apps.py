from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Mentoring"

    def ready(self) -> None:
        # Services enqueue Celery tasks by name; importing the tasks here registers them in every
        # process (web and worker), so an eager run in tests and local settings finds them.
        from mentoring import tasks  # noqa: F401
