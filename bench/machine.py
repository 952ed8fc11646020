"""What both benchmarks print about the machine they ran on."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def cores_line() -> str:
    """Usable cores (the affinity mask, which a container may narrow) and the load now."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{usable} usable (of {os.cpu_count()}); load average now {os.getloadavg()[0]:.2f}"
