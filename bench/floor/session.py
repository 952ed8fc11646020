"""The floor's tables, one user and a signed-in session for her; prints the session key.

Run from the project's root as `python -m bench.floor.session` (bench/pages.py does)."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor.settings")
django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402  (the floor's own, not the project's)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402

call_command("migrate", "--no-input", verbosity=0)
user, _ = User.objects.get_or_create(username="floor")
user.set_unusable_password()
user.save()
store = SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
sys.stdout.write(store.session_key or "")
