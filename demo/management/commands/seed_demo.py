import time
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
        parser.add_argument(
            "--sessions",
            type=int,
            default=demo.SESSIONS,
            help=f"with --size large: session logs in the large set, if it has none yet (default {demo.SESSIONS:,})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_MODE", False):
            raise CommandError("seed_demo runs only in demo mode (local or test settings), never in production.")
        if options["scale"] < 1 or (options["scale"] > 1 and options["size"] != "large"):
            raise CommandError("--scale takes a whole number from 1, and only with --size large.")
        if options["sessions"] < 0:
            raise CommandError("--sessions takes a whole number from 0.")
        counts = demo.seed_small()
        if options["size"] == "large":
            started = time.perf_counter()
            large = demo.seed_large(options["scale"], sessions=options["sessions"], say=self.stdout.write)
            counts.update({f"large_{key}": value for key, value in large.items()})
            self.stdout.write(f"large seed: {time.perf_counter() - started:.1f} s")
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for account in [*demo.ACCOUNTS, demo.OPS_ACCOUNT]:
            self.stdout.write(f"  {account.email:40} {account.note}")
