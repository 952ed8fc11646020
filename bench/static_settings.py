"""The local demo's settings, serving static files the way production does.

For bench/weight.py and bench/lighthouse.py: `collectstatic` writes hashed, compressed copies
into BENCH_STATIC_ROOT (a temporary folder), and whitenoise serves them from there with
production's headers (far-future caching for hashed names, gzip where the browser takes it).
Not for real people's data: it is the demo, with its demo app and seeds.
"""

from pathlib import Path

from config.settings.local import *  # noqa: F403
from config.settings.local import env

STATIC_ROOT = Path(env.str("BENCH_STATIC_ROOT"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
