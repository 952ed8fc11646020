"""scripts/stop.sh (`make stop`) stops what this checkout started, by its pid files, and nothing
else: a process elsewhere on the machine that looks just like the demo server is left running."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOOKALIKE = "python manage.py runserver 127.0.0.1:8000"


def a_process_called(name: str) -> subprocess.Popen[bytes]:
    """A process whose command line reads `name` (exec -a), as another checkout's server would."""
    return subprocess.Popen(["bash", "-c", f'exec -a "{name}" sleep 60'])


def running(process: subprocess.Popen[bytes]) -> bool:
    return process.poll() is None


def test_stop_stops_the_server_in_its_pid_file_and_leaves_a_lookalike_alone(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "scripts", checkout / "scripts")
    (checkout / ".run").mkdir()
    ours = a_process_called(LOOKALIKE)
    theirs = a_process_called(LOOKALIKE)
    try:
        (checkout / ".run" / "server.pid").write_text(f"{ours.pid}\n")
        result = subprocess.run(
            ["bash", "scripts/stop.sh"],
            cwd=checkout,
            env={**os.environ, "PY": str(ROOT / ".venv" / "bin" / "python")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        ours.wait(timeout=10)
        time.sleep(0.2)
        assert not running(ours)
        assert running(theirs), "make stop killed a process it did not start"
        assert "server: stopped" in result.stdout
        assert "embedded PostgreSQL: not running" in result.stdout
        assert not (checkout / ".run" / "server.pid").exists()
    finally:
        for process in (ours, theirs):
            if running(process):
                process.kill()
                process.wait()


def test_stop_with_nothing_started_says_so_and_succeeds(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "scripts", checkout / "scripts")
    result = subprocess.run(["bash", "scripts/stop.sh"], cwd=checkout, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "server: not running",
        "test redis: not running",
        "embedded PostgreSQL: not running",
    ]
