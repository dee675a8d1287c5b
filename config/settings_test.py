"""Test settings: the same servers as settings.py (embedded unless DATABASE_URL/REDIS_URL are set),
with tests kept apart from a running `make run`: their own Redis database and media folder."""

from config.settings import *  # noqa: F403
from config.settings import REDIS_URL, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = REDIS_URL.rsplit("/", 1)[0] + "/15"
MEDIA_ROOT = VAR_DIR / "test-media"
DEMO_LOGINS_FILE = VAR_DIR / "test-demo-logins.json"
