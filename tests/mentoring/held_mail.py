"""The mail of a Celery worker a test starts (tests/mentoring/worker_settings.py).

The first message is held, as by a mail server slow to answer, so that the test can kill the
worker in the middle of sending: `held` appears in HELD_MAIL_DIR, holding the pid of the process
sending, once it is inside the send. Every later message is written to that folder, one .eml file
each, for the test to read.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

# Longer than the test waits for the kill: a held message is never sent.
HOLD_SECONDS = 60


class HoldTheFirstMessage(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["HELD_MAIL_DIR"])
        try:
            with (folder / "held").open("x") as held:  # one process only is ever the first
                held.write(str(os.getpid()))
        except FileExistsError:
            pass
        else:
            time.sleep(HOLD_SECONDS)
            raise RuntimeError("the held message was not meant to go")
        for message in email_messages:
            name = uuid.uuid4().hex
            (folder / f"{name}.tmp").write_bytes(message.message().as_bytes())
            (folder / f"{name}.tmp").rename(folder / f"{name}.eml")  # whole, or not there
        return len(email_messages)
