"""Settings for the edition, read from the environment.

Safe defaults for local use (SQLite, DEBUG on, localhost only). In production set
DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from documents.inline_css import inline_style_hashes
from documents.security import DEFAULT_PERMISSIONS_POLICY

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_KEY = "django-insecure-local-development-key-not-for-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # /sitemap.xml (documents/sitemaps.py)
    "simple_history",
    "axes",  # login throttling and lockout (django-axes)
    "csp",  # Content-Security-Policy header (django-csp; Django 5.2 has none of its own)
    "documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "documents.security.RejectNulMiddleware",  # %00 anywhere in the URL: 400 (PostgreSQL refuses NUL)
    "csp.middleware.CSPMiddleware",
    "documents.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: precompressed (.gz), hashed names immutable
    # HTML and data compressed (gzip; static files are whitenoise's, above). Django's GZipMiddleware pads the
    # gzip header with random bytes (BREACH mitigation) and makes the ETag weak; it is outside the page cache
    # and the ETag middleware below, so they keep seeing (and storing) the uncompressed page.
    "django.middleware.gzip.GZipMiddleware",
    "documents.http.EditionHTTPMiddleware",  # ETag/Last-Modified/304, Cache-Control, CORS (docs/api.md)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # interface language: cookie, then Accept-Language (docs/i18n.md)
    "documents.i18n.LanguageMiddleware",  # ?lang= for one response (hreflang alternates); Vary: Cookie
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into its 429 page
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is locked for AXES_COOLOFF_TIME (docs/deployment.md: how to unlock).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("EDITION_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("EDITION_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a password guesser cannot lock others out
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "documents.security.client_ip"  # behind the proxy: X-Forwarded-For

ROOT_URLCONF = "edition.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE, LANGUAGE_BIDI, LANGUAGES
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "edition.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: readers and the writer (an import, an editor) do not block each other. synchronous=NORMAL is
    # safe in WAL mode (a power cut may lose the last commits, never corrupt the database) and spares an
    # fsync per transaction: the importer commits once per file (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )

# Local memory by default; Redis (shared by every app process) when REDIS_URL is set. Production refuses a
# per-process cache (`check --deploy` error edition.E001, documents/checks.py).
REDIS_URL = os.environ.get("REDIS_URL", "")


def caches_for(redis_url: str) -> dict:
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            # Django's RedisCache that logs and serves uncached pages when Redis is down (issue 19.3).
            "BACKEND": "documents.cache_backend.DegradingRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "edition",
            # Fail fast when the Redis host is unreachable rather than holding the request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


CACHES = caches_for(REDIS_URL)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Interface languages (docs/i18n.md): the edition's texts stay in their own language; only the interface,
# dates and numbers follow the reader. Names in their own script (the switcher shows them).
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ru", "Русский"),
    ("ug", "ئۇيغۇرچە"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["edition.formats"]  # English dates as "8 June 1962" (edition/formats/en/formats.py)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The edition's own settings.
EDITION_TEI_DIR = BASE_DIR / "documents" / "tei"
EDITION_TITLE = "The Xinjiang Border Crisis of 1962: Minutes and Memorandum of 8 June 1962"
EDITION_MAX_TEI_BYTES = int(os.environ.get("EDITION_MAX_TEI_BYTES", str(50 * 1024 * 1024)))
#: Passages per reader page: a longer document (a play, a long FRUS document) is paged, ?page=N (docs/reader.md).
EDITION_READER_PAGE_PASSAGES = int(os.environ.get("EDITION_READER_PAGE_PASSAGES", "200"))
EDITION_MAX_TEI_DEPTH = int(os.environ.get("EDITION_MAX_TEI_DEPTH", "128"))  # at most 128 (tei/parser.py)
# Re-anchoring editors' notes after a re-import: minimum difflib similarity of an approximate match
# (below it the note becomes an orphan, kept and listed under "Needs attention").
EDITION_ANCHOR_THRESHOLD = float(os.environ.get("EDITION_ANCHOR_THRESHOLD", "0.75"))
# A candidate with the same words is taken only if it scores this much (context and proximity, 0-1)
# and beats the next one by the margin; otherwise the note goes to review with its candidates.
EDITION_ANCHOR_ACCEPT = float(os.environ.get("EDITION_ANCHOR_ACCEPT", "0.6"))
EDITION_ANCHOR_MARGIN = float(os.environ.get("EDITION_ANCHOR_MARGIN", "0.15"))
# RELAX NG schema the importer validates the edition's own TEI files against (files using ent:).
EDITION_TEI_SCHEMA = BASE_DIR / "documents" / "schema" / "edition.rng"
# Citations and APIs: the public origin for URLs built outside a request (management commands),
# the publisher named in citations (default: the edition's title) and page sizes of the JSON/DTS lists.
EDITION_BASE_URL = os.environ.get("EDITION_BASE_URL", "http://127.0.0.1:8000")
EDITION_PUBLISHER = os.environ.get("EDITION_PUBLISHER", "")
EDITION_BOOK_MAX_PASSAGES = int(os.environ.get("EDITION_BOOK_MAX_PASSAGES", "3000"))  # one PDF/EPUB (exports/book.py)
EDITION_API_PAGE_SIZE = int(os.environ.get("EDITION_API_PAGE_SIZE", "100"))
EDITION_DTS_PAGE_SIZE = int(os.environ.get("EDITION_DTS_PAGE_SIZE", "100"))
EDITION_OAI_PAGE_SIZE = int(os.environ.get("EDITION_OAI_PAGE_SIZE", "100"))  # OAI-PMH list page (resumption)
EDITION_OAI_ADMIN_EMAIL = os.environ.get("EDITION_OAI_ADMIN_EMAIL", "")  # OAI-PMH Identify adminEmail
EDITION_HTTP_MAX_AGE = int(os.environ.get("EDITION_HTTP_MAX_AGE", "60"))  # Cache-Control max-age of public responses
# Search: the time budget of one search's queries (statement_timeout / SQLite progress handler), in ms.
EDITION_SEARCH_TIMEOUT_MS = int(os.environ.get("EDITION_SEARCH_TIMEOUT_MS", "2000"))

# Security: strict in production, relaxed for local http.
SESSION_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies in front of the app that append to X-Forwarded-For (the login throttling's client address).
EDITION_PROXY_COUNT = int(os.environ.get("EDITION_PROXY_COUNT", "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp), in every mode so that the browser tests see violations: only the
# site's own scripts, styles, images and fonts; no inline script; no inline style but the site's own
# stylesheets inlined in <head> for the first view, each allowed by its SHA-256 hash (documents/inline_css.py;
# no 'unsafe-inline': the reader's grid rows are data attributes, static/css/rows.css), no plugins, no
# framing, forms post to the site only.
# The JSON-LD <script type="application/ld+json"> is data, never executed, so script-src does not apply.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, *inline_style_hashes()],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (documents/security.py): every powerful browser feature off; "" sends none.
EDITION_PERMISSIONS_POLICY = os.environ.get("EDITION_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "documents": {"handlers": ["console"], "level": os.environ.get("EDITION_LOG_LEVEL", "WARNING")},
    },
}
