"""Stop the embedded PostgreSQL (pgserver) that `make run` or `make test` started."""

import os
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"


def stop() -> int:
    if not (DATA_DIR / "postmaster.pid").exists():
        print("embedded PostgreSQL: not running")
        return 0
    os.environ.setdefault("XDG_RUNTIME_DIR", str(DATA_DIR.parent / ".run"))
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    # As root, pgserver runs the server as its own OS user; pg_ctl must run as that user too.
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=DATA_DIR, user=user)
    print("embedded PostgreSQL: stopped")
    return 0


if __name__ == "__main__":
    sys.exit(stop() if sys.argv[1:] == ["stop"] else 2)
