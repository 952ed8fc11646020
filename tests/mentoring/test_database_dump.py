"""A copy of the database alone does not give away what can identify or endanger a woman.

Every encrypted field of every model is given a canary (a unique string nobody would type), the
rows are committed, the test database is dumped with pg_dump, and no canary may appear in the
dump. So that the test can fail, a canary put in a column that is plain on purpose (her chosen
name, and the history's copy of it) must appear: the dump does hold the data.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from mentoring.fields import EncryptedTextField
from mentoring.models import AccessLog, Mentee
from mentoring.policies.audit import access_log_record
from tests.mentoring.models.test_encrypted_fields import MUST_BE_ENCRYPTED

# The data must be committed for pg_dump (another connection) to see it, so the test
# is transactional; it ends by emptying every table. The migrations' rows are put back before it
# (standard_need_areas) and, for the runs after this one, at the end of the run.
pytestmark = pytest.mark.usefixtures("committed_db")


def major_version(pg_dump: str) -> int | None:
    found = re.search(r"\) (\d+)", subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout)
    return int(found.group(1)) if found else None


def pg_dump_for(server_major: int) -> str:
    """A pg_dump that can dump this server: one older than the server refuses to. The embedded
    server (DATABASE_URL unset) brings its own; the machine's are in PATH and under Debian's
    /usr/lib/postgresql."""
    candidates = [str(path) for path in sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))]
    try:
        import pgserver

        candidates.insert(0, str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"))
    except ImportError:
        pass
    if found := shutil.which("pg_dump"):
        candidates.append(found)
    versions = {path: major_version(path) for path in candidates if Path(path).exists()}
    usable = sorted((v, path) for path, v in versions.items() if v is not None and v >= server_major)
    if not usable:
        pytest.fail(f"No pg_dump of version {server_major} or newer (found {versions})")
    return usable[0][1]  # the nearest version


def dump_test_database() -> str:
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    command = [pg_dump_for(server_major), "--no-owner", "--dbname", settings["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [option, str(settings[key])]
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"]} if settings.get("PASSWORD") else None
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def canary(label: str) -> str:
    return f"CANARY{uuid.uuid4().hex}{label.replace('.', '')}"


def test_a_dump_of_the_database_holds_no_encrypted_text_in_plain(every_kind_of_record, amber, carys):
    canaries: dict[str, str] = {}
    for model in apps.get_models():
        # Every encrypted field, and the ones that must be even if someone made them plain again.
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField) or f"{model._meta.label}.{f.name}" in MUST_BE_ENCRYPTED
        ]
        if not fields:
            continue
        if model is AccessLog:
            # Append-only: a new entry carries the canary.
            label = "mentoring.AccessLog.reason"
            canaries[label] = canary(label)
            access_log_record(user=carys, action=AccessLog.Action.REVEAL, obj=amber, reason=canaries[label])
            continue
        row = model._default_manager.order_by("pk").first()
        assert row is not None, f"Add a {model._meta.label} to every_kind_of_record: its encrypted fields go untested"
        values = {field.name: canary(f"{model._meta.label}.{field.name}") for field in fields}
        model._default_manager.filter(pk=row.pk).update(**values)
        canaries.update({f"{model._meta.label}.{name}": value for name, value in values.items()})
        stored = model._default_manager.values(*values).get(pk=row.pk)
        assert stored == values  # each canary is stored, and reads back through the field
    # A canary in a column that is plain on purpose (the history trigger copies it too).
    plain = canary("plain")
    Mentee.objects.filter(pk=amber.pk).update(chosen_name=plain)
    assert set(MUST_BE_ENCRYPTED) <= set(canaries)

    dump = dump_test_database()

    assert dump.count(plain) >= 2, "the dump should hold her chosen name and its history copy"
    leaked = sorted(label for label, value in canaries.items() if value in dump)
    assert leaked == []
