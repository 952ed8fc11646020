"""The two locks: requirements/runtime.lock is all the production image installs, and it is
enough to run production; requirements/dev.lock adds development and tests on the same versions.
Both pin every package with hashes, and both hold what their .in files ask for."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;\\]+)")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        if match := PIN.match(line):
            found[match.group(1).lower().replace("_", "-")] = match.group(3)
    return found


def entries(path: Path) -> list[str]:
    """Each requirement of a lock with its continuation lines, as one string."""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    return [line for line in text.splitlines() if PIN.match(line)]


@pytest.mark.parametrize("lock", ["runtime.lock", "dev.lock"])
def test_every_locked_package_is_pinned_with_a_hash(lock):
    locked = entries(REQUIREMENTS / lock)
    assert len(locked) > 30
    assert [entry.split()[0] for entry in locked if "--hash=sha256:" not in entry] == []


@pytest.mark.parametrize(("source", "lock"), [("runtime.in", "runtime.lock"), ("dev.in", "dev.lock")])
def test_each_lock_holds_what_its_in_file_asks_for(source, lock):
    asked, locked = pins(REQUIREMENTS / source), pins(REQUIREMENTS / lock)
    assert asked, source
    assert {name: version for name, version in asked.items() if locked.get(name) != version} == {}


def test_development_runs_the_runtime_versions_and_production_gets_no_development_package():
    runtime, dev = pins(REQUIREMENTS / "runtime.lock"), pins(REQUIREMENTS / "dev.lock")
    assert {name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version} == {}
    for development_only in ("pytest", "pgserver", "playwright", "ruff", "mypy", "psutil", "uv"):
        assert development_only in dev and development_only not in runtime


def test_the_runtime_lock_alone_runs_production(tmp_path):
    """Installed alone into a fresh venv, as the image installs it, the runtime lock imports the
    production settings, every app, the WSGI application and the Celery app, with production's
    environment; no development package is there to lean on."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--require-hashes",
            "--no-deps",
            "-r",
            str(REQUIREMENTS / "runtime.lock"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    from tests.config.test_settings import production_env

    script = (
        "import importlib.util, django; django.setup()\n"
        "import config.wsgi, config.celery, mentoring.tasks\n"
        "from django.conf import settings\n"
        "assert settings.DEBUG is False and 'demo' not in settings.INSTALLED_APPS\n"
        "missing = [m for m in ('pytest', 'pgserver', 'playwright', 'psutil') if importlib.util.find_spec(m)]\n"
        "print('development packages:', missing)\n"
    )
    env = {key: value for key, value in production_env().items() if not key.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    result = subprocess.run([python, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "development packages: []"
