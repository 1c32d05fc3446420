"""Crossread settings.

Everything that differs between a laptop and a server comes from the environment
(DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, ...). The defaults give a
development server on the embedded SQLite database.
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless the environment turns it on (`make run` and the tests do): a deployer who
# forgets a variable gets a locked-down server, not debug pages.
DEBUG = env_bool("DEBUG", False)

_DEV_SECRET = "django-insecure-crossread-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: export SECRET_KEY=<50 random characters> "
            "(or DEBUG=1 for development)."
        )
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (SECRET_KEY == _DEV_SECRET or len(set(SECRET_KEY)) < 5 or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY is not a real secret: use at least 32 random characters when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "taggit",
    "reversion",
    "axes",
    "corpus",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RefuseNulCharacters",
    "config.middleware.LimitApiBodies",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.BoundAdminSearches",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its response.
    "axes.middleware.AxesMiddleware",
]

# Password guessing: after AXES_FAILURE_LIMIT wrong passwords for one user name, or from
# one address, sign-in is refused for AXES_COOLOFF_TIME (django-axes, its attempts kept
# in the database). Behind a proxy, set AXES_IPWARE_PROXY_COUNT (see its documentation)
# so that the client's address is the one counted.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None

ROOT_URLCONF = "config.urls"

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

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while an import writes; IMMEDIATE takes the write lock at
    # the start of a transaction instead of failing half way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "corpus:article-list"
LOGOUT_REDIRECT_URL = "corpus:article-list"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# WhiteNoise serves static files in production (after collectstatic) and, through
# the finders, on a laptop with DEBUG off; it need not warn that collectstatic has
# not been run there.
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
# CROSSREAD_STATIC_MANIFEST=1 (make serve sets it, after collectstatic): file names
# carry a hash of their content, so browsers may keep them for a year, and WhiteNoise
# serves them compressed (gzip, brotli). It needs collectstatic's manifest, which the
# tests and `make run` do without: off by default.
STATIC_MANIFEST = env_bool("CROSSREAD_STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The cache is shared by every worker process of the server, never in one process's
# memory alone: Redis when REDIS_URL is set (redis://host:6379/0), else a table of
# the database (`python manage.py createcachetable`: make run and make serve run it;
# the tests' database gets it from Django's test runner).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "crossread",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "crossread_cache",
        }
    }

# Security. With DEBUG off the secure defaults apply; each can be turned off
# from the environment (for instance behind a proxy that terminates TLS itself).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The second wall behind the sanitizer: no inline script, no foreign origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Which HTML sanitizer renders user and corpus markup: "bleach" or "nh3".
# Both pass the same tests; bleach is unmaintained since 2026, nh3 is its successor.
CROSSREAD_SANITIZER = os.environ.get("CROSSREAD_SANITIZER", "bleach")

# The importer's limits: the largest file it reads (bytes), and the most text it takes
# from one (characters, once decoded or extracted from a web page or PDF).
CROSSREAD_IMPORT_MAX_BYTES = env_int("CROSSREAD_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
CROSSREAD_IMPORT_MAX_CHARS = env_int("CROSSREAD_IMPORT_MAX_CHARS", 5_000_000)
# A PDF is read in a child process with at most this much memory and time (a PDF of
# a few megabytes can decompress to gigabytes), and at most this many pages.
CROSSREAD_IMPORT_PDF_MEMORY_MB = env_int("CROSSREAD_IMPORT_PDF_MEMORY_MB", 512)
CROSSREAD_IMPORT_PDF_SECONDS = env_int("CROSSREAD_IMPORT_PDF_SECONDS", 30)
CROSSREAD_IMPORT_PDF_MAX_PAGES = env_int("CROSSREAD_IMPORT_PDF_MAX_PAGES", 500)
# Files in one submission of the import page; Django refuses a request with more.
CROSSREAD_IMPORT_MAX_FILES = env_int("CROSSREAD_IMPORT_MAX_FILES", 50)
DATA_UPLOAD_MAX_NUMBER_FILES = CROSSREAD_IMPORT_MAX_FILES
# Pasted text is a form field: let it be as large as a file.
DATA_UPLOAD_MAX_MEMORY_SIZE = CROSSREAD_IMPORT_MAX_BYTES + 1024 * 1024
# Submissions of at most this many files are imported in the request itself (a few
# seconds at worst), so that the response is their result; larger ones go to the worker.
CROSSREAD_IMPORT_INLINE_FILES = env_int("CROSSREAD_IMPORT_INLINE_FILES", 3)
# Where larger imports from the browser run: "embedded" (a thread of the web process),
# "external" (python manage.py import_worker processes) or "inline" (in the request).
# How suggested links find passages that read alike: "tfidf" (words and word pairs,
# the default) or "semantic" (a sentence model: needs the semantic extra).
CROSSREAD_SIMILARITY = os.environ.get("CROSSREAD_SIMILARITY", "tfidf")
if CROSSREAD_SIMILARITY not in {"tfidf", "semantic"}:
    raise ImproperlyConfigured("CROSSREAD_SIMILARITY must be tfidf or semantic.")
CROSSREAD_IMPORT_WORKER = os.environ.get("CROSSREAD_IMPORT_WORKER", "embedded")
if CROSSREAD_IMPORT_WORKER not in {"embedded", "external", "inline"}:
    raise ImproperlyConfigured("CROSSREAD_IMPORT_WORKER must be embedded, external or inline.")

# The largest file of annotations the import page takes (the command takes any size).
CROSSREAD_ANNOTATION_IMPORT_MAX_BYTES = env_int(
    "CROSSREAD_ANNOTATION_IMPORT_MAX_BYTES", CROSSREAD_IMPORT_MAX_BYTES
)

# The address the site is served at, without a trailing slash: the IRIs of annotations
# written outside a request (python manage.py export_annotations) start with it.
CROSSREAD_SITE_URL = os.environ.get("CROSSREAD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
