"""Test settings: the same servers as settings.py (embedded unless DATABASE_URL/REDIS_URL are set),
with tests kept apart from a running `make run`: their own Redis database and media folder."""

import os

from config.settings import *  # noqa: F403
from config.settings import REDIS_URL, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = REDIS_URL.rsplit("/", 1)[0] + "/15"
MEDIA_ROOT = VAR_DIR / "test-media"
DEMO_LOGINS_FILE = VAR_DIR / "test-demo-logins.json"

# Several test runs at once on one checkout (e.g. two people's suites) each name their own database and media folder.
_RUN = os.environ.get("CLUEBENCH_TEST_RUN", "")
if _RUN:
    DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_cluebench_{_RUN}"  # noqa: F405
    MEDIA_ROOT = VAR_DIR / f"test-media-{_RUN}"
