from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import seed as demo


class Command(BaseCommand):
    help = "Load fictional demo data (fixed seed, safe to re-run). --size large adds benchmark data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="with --size large: this many copies of the large set, in one organisation (default 1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_MODE", False):
            raise CommandError("seed_demo runs only in demo mode (local or test settings), never in production.")
        if options["scale"] < 1 or (options["scale"] > 1 and options["size"] != "large"):
            raise CommandError("--scale takes a whole number from 1, and only with --size large.")
        counts = demo.seed_small()
        if options["size"] == "large":
            counts.update({f"large_{key}": value for key, value in demo.seed_large(options["scale"]).items()})
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for account in [*demo.ACCOUNTS, demo.OPS_ACCOUNT]:
            self.stdout.write(f"  {account.email:40} {account.note}")
