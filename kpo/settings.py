"""The one settings module of the KPO platform, configured from the environment.

Without any environment variables it runs the *embedded default*: SQLite, Celery tasks executed
in-process, e-mail to the console and the local search node started by ``tools/search-node``.
``KPO_ENV=production`` turns on every safety check and refuses to start with a default secret key
or with DEBUG on.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = Path(os.environ.get("KPO_RUN_DIR", BASE_DIR / ".run"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- environment and safety ---------------------------------------------------------------------

KPO_ENV = os.environ.get("KPO_ENV", "development").strip().lower()
if KPO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"KPO_ENV must be development, test or production, not {KPO_ENV!r}")
PRODUCTION = KPO_ENV == "production"

DEFAULT_SECRET_KEY = "kpo-insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=KPO_ENV == "development")

if PRODUCTION:
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Production needs its own SECRET_KEY of at least 50 characters (KPO_ENV=production)."
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production (KPO_ENV=production).")

# Demo accounts (one per role) exist only on the embedded default. Production never creates them
# and the authentication backend refuses them there.
DEMO_ACCOUNTS_ALLOWED = not PRODUCTION

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- applications -------------------------------------------------------------------------------

INSTALLED_APPS = [
    "kpo.core",
    "kpo.accounts",
    "kpo.themes",
    "kpo.notifications",
    "kpo.security",
    "kpo.audit",
    "kpo.privacy",
    "kpo.law",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "search",
    "kennisbank",
    "communities",
    "academie",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files (no CDN)
    "django_tasks",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: the request id for the logs and the latency metric per route (kpo.core.observability).
    "kpo.core.observability.RequestObservabilityMiddleware",
    # The content version (ADR 0013) is read once per request (ADR 0035).
    "kpo.core.fragments.ContentVersionScopeMiddleware",
    # Outside everything that can answer an /api/ request by itself (2FA, rate limit, NUL).
    "kpo.core.middleware.ApiVersionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files with hashed names and far-future cache headers, served by the app itself.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kpo.security.middleware.SecurityHeadersMiddleware",
    "kpo.core.middleware.RejectNulBytesMiddleware",
    "kpo.audit.middleware.AuditRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kpo.core.middleware.CommonMiddleware",  # Django's, without APPEND_SLASH under /api/
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kpo.security.middleware.IdleTimeoutMiddleware",
    "kpo.security.middleware.TwoFactorMiddleware",
    "kpo.security.ratelimit.RateLimitMiddleware",
    # a confirmation after "Goedkeuren (met opmerking)" / "Wijzigingen vragen" in the admin
    "kpo.core.workflow_messages.WorkflowActionMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # last: one transaction per admin view, rolled back on a refused publication (ADR 0007)
    "kpo.core.publication.AdminAtomicMiddleware",
    # Very last (acts in process_view, after every door): whole Wagtail pages per principal set
    # for logged-in readers, personal parts filled in per request (ADR 0024).
    "kpo.core.pagecache.PageCacheMiddleware",
]
# Seconds a rendered page stays in the page cache (ADR 0024); 0 turns the page cache off.
KPO_PAGE_CACHE_SECONDS = int(os.environ.get("KPO_PAGE_CACHE_SECONDS", "600"))

ROOT_URLCONF = "kpo.urls"
WSGI_APPLICATION = "kpo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kpo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kpo.core.context_processors.navigation",
                "kpo.core.fragments.fragment_keys",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": RUN_DIR / "kpo.sqlite3",  # type: ignore[typeddict-item]  # SQLite takes a Path
            "OPTIONS": {"timeout": 20},
        }
    }
if os.environ.get("KPO_TEST_DB_NAME"):
    # Lets several test runs on one machine use their own test database.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["KPO_TEST_DB_NAME"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth ---------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# The e-mail backend of accounts with lock-out (kpo.security.lockout).
AUTHENTICATION_BACKENDS = ["kpo.security.backends.LockoutEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if KPO_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- i18n ---------------------------------------------------------------------------------------

LANGUAGE_CODE = "nl"
# Dutch only (docs/decisions/0011): no English translation of the platform's own strings exists,
# so offering "en" would mix languages on one page. Django and Wagtail ship Dutch catalogs.
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "kpo" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands")]

# --- static and media ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [BASE_DIR / "kpo" / "static"]
# Hashed names (cache-busting) and precompressed files; whitenoise serves hashed files with a
# one-year immutable cache header. That needs `collectstatic` first (the image, `tools/prodlike`),
# so it is the default in production only; the demo (`make run`, DEBUG off, runserver --insecure)
# and the tests keep the plain storage, which needs no manifest.
KPO_MANIFEST_STATIC = env_bool("KPO_MANIFEST_STATIC", default=PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Private files (community attachments), through kpo.core.storage.PrivateStorage.
    "private": {"BACKEND": "kpo.core.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if KPO_MANIFEST_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


# Media on an S3-compatible server when KPO_MEDIA_S3_BUCKET is set (docs/decisions/0022).
def s3_storages(environ) -> dict | None:
    """``STORAGES`` entries for media on an S3-compatible server, or None when
    ``KPO_MEDIA_S3_BUCKET`` is not set. Objects are written without an ACL (they get the
    bucket's, which must not grant public read); URLs are presigned unless the operator turns
    querystring auth off for public media behind a custom domain. Private files never get a
    custom domain and always need a signature."""
    bucket = environ.get("KPO_MEDIA_S3_BUCKET", "").strip()
    if not bucket:
        return None
    common = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("KPO_MEDIA_S3_ENDPOINT_URL") or None,
        "access_key": environ.get("KPO_MEDIA_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("KPO_MEDIA_S3_SECRET_ACCESS_KEY") or None,
        "region_name": environ.get("KPO_MEDIA_S3_REGION") or None,
        "default_acl": None,
        "file_overwrite": False,
        "querystring_expire": int(environ.get("KPO_MEDIA_S3_URL_EXPIRE", "300")),
    }
    querystring_auth = environ.get("KPO_MEDIA_S3_QUERYSTRING_AUTH", "true").strip().lower()
    media = {
        **common,
        "location": environ.get("KPO_MEDIA_S3_LOCATION", "media"),
        "custom_domain": environ.get("KPO_MEDIA_S3_CUSTOM_DOMAIN") or None,
        "querystring_auth": querystring_auth not in {"0", "false", "no", "off"},
    }
    private = {
        **common,
        "location": environ.get("KPO_MEDIA_S3_PRIVATE_LOCATION", "private"),
        "custom_domain": None,
        "querystring_auth": True,
    }
    backend = "storages.backends.s3.S3Storage"
    return {
        "default": {"BACKEND": backend, "OPTIONS": media},
        "private": {"BACKEND": backend, "OPTIONS": private},
    }


STORAGES.update(s3_storages(os.environ) or {})
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", RUN_DIR / "media"))
# Private files (attachments of restricted content) live outside MEDIA_ROOT and are only served
# through views that apply the access rule.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", RUN_DIR / "private"))
KPO_MAX_UPLOAD_BYTES = int(os.environ.get("KPO_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))
# Uploads (kpo.core.uploads): office archives are judged on their central directory before
# anything decompresses them; images above the pixel bound are refused before decoding.
KPO_UPLOAD_MAX_ZIP_ENTRIES = int(os.environ.get("KPO_UPLOAD_MAX_ZIP_ENTRIES", 2000))
KPO_UPLOAD_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("KPO_UPLOAD_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
)
KPO_UPLOAD_MAX_COMPRESSION_RATIO = int(os.environ.get("KPO_UPLOAD_MAX_COMPRESSION_RATIO", 100))
KPO_UPLOAD_MAX_IMAGE_PIXELS = int(os.environ.get("KPO_UPLOAD_MAX_IMAGE_PIXELS", 50_000_000))
# Profile photos (kpo.accounts.photos, ADR 0031): at most 5 MB and this many pixels, at least
# KPO_PROFILE_PHOTO_MIN_SIDE on the short side; stored as square WebP files of these sizes and the
# largest also as JPEG.
KPO_PROFILE_PHOTO_MAX_BYTES = int(os.environ.get("KPO_PROFILE_PHOTO_MAX_BYTES", 5 * 1024 * 1024))
KPO_PROFILE_PHOTO_MAX_PIXELS = int(os.environ.get("KPO_PROFILE_PHOTO_MAX_PIXELS", 40_000_000))
KPO_PROFILE_PHOTO_MIN_SIDE = 64
KPO_PROFILE_PHOTO_SIZES = (64, 160, 400)
# Kennisbank board decisions (ADR 0017): approving votes of the Redactieraad needed before the
# board step of a review workflow completes (four eyes by default).
KPO_BOARD_QUORUM = max(1, int(os.environ.get("KPO_BOARD_QUORUM", 2)))
# Target share of live knowledge documents that are "actueel", per theme (freshness dashboard).
KPO_FRESHNESS_TARGET = float(os.environ.get("KPO_FRESHNESS_TARGET", 0.8))
# Routed questions (communities.services.routing, ADR 0028): the answer deadline in days (the
# platform default, and the bounds within which a community's default and the asker's choice must
# lie), the reminder this many hours before the deadline (at most half the time given), and at most
# this many experts by profile per question (the theme's ambassadors come on top).
KPO_ROUTING_DEADLINE_DAYS = {
    "default": int(os.environ.get("KPO_ROUTING_DEADLINE_DEFAULT_DAYS", 5)),
    "min": int(os.environ.get("KPO_ROUTING_DEADLINE_MIN_DAYS", 1)),
    "max": int(os.environ.get("KPO_ROUTING_DEADLINE_MAX_DAYS", 30)),
}
KPO_ROUTING_REMINDER_HOURS = int(os.environ.get("KPO_ROUTING_REMINDER_HOURS", 24))
KPO_ROUTING_MAX_EXPERTS = int(os.environ.get("KPO_ROUTING_MAX_EXPERTS", 10))
# Text extraction sandbox (kpo.core.extraction): wall clock, CPU and address space per file.
KPO_EXTRACTION_TIMEOUT_SECONDS = float(os.environ.get("KPO_EXTRACTION_TIMEOUT_SECONDS", 60))
KPO_EXTRACTION_CPU_SECONDS = int(os.environ.get("KPO_EXTRACTION_CPU_SECONDS", 30))
KPO_EXTRACTION_MEMORY_BYTES = int(os.environ.get("KPO_EXTRACTION_MEMORY_BYTES", 768 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# mp4/webm/vtt: self-hosted lesson videos and their captions (ADR 0012).
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "mp4", "webm", "vtt"]
# Documents uploaded in the admin are checked on their content, like front-end uploads.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "kennisbank.forms.AttachmentDocumentForm"
# Images uploaded in the admin are re-encoded without EXIF/GPS, like community images.
WAGTAILIMAGES_IMAGE_FORM_BASE = "kpo.core.forms.CleanImageForm"

# --- Wagtail ------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Kennisplatform Ondermijning"
# The admin makes no third-party requests (blocked by our CSP anyway): no Gravatar avatars, no
# release check against releases.wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's own admin search stays on its database backend; the platform's search is `search/`.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# Air-tight: the admin makes no request to a third party (no avatars from Gravatar, which would
# also leak e-mail hashes; no update check; no embed provider lookups).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_FINDERS: list[dict] = []

# Wagtail 8 runs its own background jobs (search index and reference index updates) on
# django-tasks. We run them in-process right after the request's transaction commits: they are
# small, and the immediate backend needs no second queue next to Celery. Our own jobs use Celery.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

# --- cache, Redis and Celery --------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down = cache miss (pages keep working; rate limits fail open meanwhile).
            "BACKEND": "kpo.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kpo"),
        }
    }
    # Sessions read from Redis, written through to the database (ADR 0033): a page hit needs no
    # session query; a Redis flush costs one database read per session, nobody is logged out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Embedded default: no Redis, so tasks run in-process (eagerly) right after commit.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "kpo")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "retry_on_timeout": False,
    "max_retries": 1,
}
# A write must not hang when Redis is down: publishing gives up quickly, the outbox row stays and
# beat drains it later (ARCHITECTURE §5).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Our tasks record their effect in the database; nobody waits on results. Not storing them also
# keeps a publish from waiting on the result backend while Redis is down.
CELERY_TASK_IGNORE_RESULT = True
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
# Every task has a time budget: the soft limit raises SoftTimeLimitExceeded inside the task (it
# can clean up), the hard limit kills the child process; the worker goes on. Per-task budgets in
# CELERY_TASK_ANNOTATIONS (or on the task) where the default does not fit.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", 240))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", 300))
CELERY_TASK_ANNOTATIONS = {
    # Compares every index document with the database: long on a big corpus.
    "search.tasks.reconcile_task": {"soft_time_limit": 1740, "time_limit": 1800},
    # One e-mail per user; many users on a Monday morning.
    "kpo.notifications.tasks.send_daily_digest_task": {"soft_time_limit": 840, "time_limit": 900},
    "kpo.notifications.tasks.send_weekly_digest_task": {"soft_time_limit": 840, "time_limit": 900},
    "kpo.privacy.tasks.retention_enforce_task": {"soft_time_limit": 840, "time_limit": 900},
    "kpo.security.tasks.accounts_inactive_task": {"soft_time_limit": 840, "time_limit": 900},
    # At most 10 batches of 20 e-mails, each SMTP step bounded by EMAIL_TIMEOUT.
    "kpo.notifications.tasks.send_pending_email_task": {"soft_time_limit": 540, "time_limit": 600},
    # Reminders and escalations of routed questions, in batches; a few per run.
    "communities.tasks.question_routes_due_task": {"soft_time_limit": 120, "time_limit": 180},
}
# A fresh child process after this many tasks: memory of a parser or a leak is given back.
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_TASKS_PER_CHILD", 200))
# With late acks a task killed by its time limit is still acknowledged (not redelivered in a loop);
# a worker that dies (OOM, SIGKILL) gives its task back (REJECT_ON_WORKER_LOST above).
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "search-drain-outbox": {
        "task": "search.tasks.drain_outbox_task",
        "schedule": timedelta(minutes=1),
    },
    "search-reconcile": {
        "task": "search.tasks.reconcile_task",
        "schedule": crontab(hour=3, minute=15),
    },
    "notifications-drain-email": {
        "task": "kpo.notifications.tasks.send_pending_email_task",
        "schedule": timedelta(minutes=1),
    },
    "privacy-retention": {
        "task": "kpo.privacy.tasks.retention_enforce_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "kennisbank-extract-pending": {
        "task": "kennisbank.tasks.extract_pending_attachments_task",
        "schedule": timedelta(minutes=10),
    },
    "kennisbank-review-cycle": {
        "task": "kennisbank.tasks.review_cycle_task",
        "schedule": crontab(hour=6, minute=30),
    },
    "academie-session-reminders": {
        "task": "academie.tasks.session_reminder_task",
        "schedule": crontab(minute=0, hour="9-17"),
    },
    "academie-certificate-renewal-reminders": {
        "task": "academie.tasks.certificate_renewal_reminder_task",
        "schedule": crontab(hour=8, minute=15),
    },
    "notifications-daily-digest": {
        "task": "kpo.notifications.tasks.send_daily_digest_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "notifications-weekly-digest": {
        "task": "kpo.notifications.tasks.send_weekly_digest_task",
        "schedule": crontab(day_of_week=1, hour=7, minute=15),
    },
    "communities-event-reminders": {
        "task": "communities.tasks.send_event_reminders_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "communities-question-routes": {
        "task": "communities.tasks.question_routes_due_task",
        "schedule": timedelta(minutes=15),
    },
    "security-inactive-accounts": {
        "task": "kpo.security.tasks.accounts_inactive_task",
        "schedule": crontab(hour=4, minute=0),
    },
    "security-lockout-purge": {
        "task": "kpo.security.tasks.lockout_counters_purge_task",
        "schedule": crontab(hour=4, minute=30),
    },
}

# --- search -------------------------------------------------------------------------------------

SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "opensearch").strip().lower()
if SEARCH_ENGINE not in {"opensearch", "elasticsearch"}:
    raise ImproperlyConfigured("SEARCH_ENGINE must be 'opensearch' or 'elasticsearch'.")
SEARCH_NODE_PORT = int(os.environ.get("SEARCH_NODE_PORT", "9250"))
# One URL, or every node of a cluster comma-separated (the client fails over between them).
SEARCH_URL = os.environ.get("SEARCH_URL", f"http://127.0.0.1:{SEARCH_NODE_PORT}")
# Sizing of the content index (docs/operations.md, "Search cluster sizing"): the corpus fits one
# shard; on a cluster one replica keeps every document on two nodes.
SEARCH_INDEX_SHARDS = int(os.environ.get("SEARCH_INDEX_SHARDS", "1"))
SEARCH_INDEX_REPLICAS = int(os.environ.get("SEARCH_INDEX_REPLICAS", "0"))
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", f"kpo-{KPO_ENV}")
SEARCH_TIMEOUT_SECONDS = float(os.environ.get("SEARCH_TIMEOUT_SECONDS", "5"))
# Counting stops at this many hits (cheaper requests); past it the page says "meer dan N
# resultaten" and the API answers count_exact: false.
SEARCH_TRACK_TOTAL_HITS = int(os.environ.get("SEARCH_TRACK_TOTAL_HITS", "1000"))
# The hits request ranks by the text alone and re-ranks this many best candidates per shard with
# the phrase boost and the trust/freshness factors (ADR 0034).
SEARCH_RESCORE_WINDOW = int(os.environ.get("SEARCH_RESCORE_WINDOW", "100"))
# A full reindex merges the new index to one segment before the alias swap (ADR 0032); 0 skips it
# (a faster reindex, the node then merges in the background after the swap).
SEARCH_REINDEX_FORCE_MERGE = os.environ.get("SEARCH_REINDEX_FORCE_MERGE", "1") != "0"

# --- e-mail -------------------------------------------------------------------------------------

# Every e-mail is queued in the durable outbox (kpo.notifications.mail.OutboxEmailBackend), also
# Django's password-reset mail and Wagtail's workflow mail. Only the outbox sender uses the
# delivery backend: EMAIL_DELIVERY_BACKEND (or, as before, EMAIL_BACKEND) from the environment.
# Outside production and tests it writes files to EMAIL_FILE_PATH, read in the staff-only
# mailbox ("Verzonden e-mail", kpo.core.mailbox) so a newcomer can follow a link from a mail.
EMAIL_BACKEND = "kpo.notifications.mail.OutboxEmailBackend"
KPO_EMAIL_DELIVERY_BACKEND = (
    os.environ.get("EMAIL_DELIVERY_BACKEND")
    or os.environ.get("EMAIL_BACKEND")
    or (
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.locmem.EmailBackend"
        if KPO_ENV == "test"
        else "django.core.mail.backends.filebased.EmailBackend"
    )
)
if KPO_EMAIL_DELIVERY_BACKEND == EMAIL_BACKEND:
    raise ImproperlyConfigured("EMAIL_DELIVERY_BACKEND must be a real backend, not the outbox.")
# Seconds before an SMTP connect/read gives up (the sender then retries the row later).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 10))
# Failed sends: retried with back-off (base doubling up to the cap), then dead letter.
KPO_EMAIL_MAX_ATTEMPTS = int(os.environ.get("KPO_EMAIL_MAX_ATTEMPTS", 8))
KPO_EMAIL_RETRY_BASE_SECONDS = int(os.environ.get("KPO_EMAIL_RETRY_BASE_SECONDS", 60))
KPO_EMAIL_RETRY_MAX_SECONDS = int(os.environ.get("KPO_EMAIL_RETRY_MAX_SECONDS", 6 * 3600))
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(RUN_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Kennisplatform Ondermijning <noreply@kennisplatform.example>"
)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -----------------------------------------------------------------------------------

# The API's conventions (NL API Design Rules, docs/decisions/0014) are global, so every endpoint
# gets them: JSON only, one pagination, django-filter, Problem Details errors, the schema hooks.
KPO_API_VERSION = "1.0.0"  # SemVer; the API-Version header and the schema's info.version
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Hashed, expiring tokens (django-rest-knox); refused for roles that need a second factor.
        "kpo.security.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "kpo.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "kpo.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kennisplatform Ondermijning API",
    "DESCRIPTION": "REST API van het Kennisplatform Ondermijning (RIEC-LIEC-netwerk).",
    "VERSION": KPO_API_VERSION,
    "CONTACT": {
        "name": os.environ.get("KPO_API_CONTACT_NAME", "Beheer Kennisplatform Ondermijning"),
        "email": os.environ.get("KPO_API_CONTACT_EMAIL", "beheer@kennisplatform-ondermijning.nl"),
        "url": os.environ.get("KPO_API_CONTACT_URL", "https://kennisplatform-ondermijning.nl"),
    },
    "SERVERS": [{"url": "/api/v1", "description": "Deze omgeving"}],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # The interactive docs page loads Swagger UI from our own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No online validator badge (a third-party request); the schema is linted in CI instead.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "PREPROCESSING_HOOKS": ["kpo.core.openapi.schema_only_platform_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kpo.security.openapi.rate_limit_responses_hook",
        "kpo.core.openapi.conventions_hook",
    ],
}

# --- security -----------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Idle sessions are logged out (kpo.security.middleware.IdleTimeoutMiddleware).
KPO_SESSION_IDLE_TIMEOUT = int(os.environ.get("KPO_SESSION_IDLE_TIMEOUT", 30 * 60))
# One password-reset path (ours, with lock-out); Wagtail's own is switched off.
WAGTAIL_PASSWORD_RESET_ENABLED = False
OTP_TOTP_ISSUER = "Kennisplatform Ondermijning"
# Passkeys (WebAuthn, django-otp-webauthn) as a second factor beside TOTP and recovery codes; not
# as a password replacement (one login path: password, then the second factor). Browsers accept
# a domain name as relying-party id, not an IP address: open a development site on localhost.
# (Passkeys need https, or http on localhost.)
_BASE = urlparse(WAGTAILADMIN_BASE_URL)
if _BASE.scheme == "https":
    _WEBAUTHN_ORIGIN, _WEBAUTHN_RP_ID = f"https://{_BASE.netloc}", _BASE.hostname
else:
    _WEBAUTHN_ORIGIN, _WEBAUTHN_RP_ID = f"http://localhost:{_BASE.port or 80}", "localhost"
OTP_WEBAUTHN_RP_ID = os.environ.get("KPO_WEBAUTHN_RP_ID", _WEBAUTHN_RP_ID)
OTP_WEBAUTHN_RP_NAME = "Kennisplatform Ondermijning"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("KPO_WEBAUTHN_ORIGINS", [_WEBAUTHN_ORIGIN])
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# API tokens (django-rest-knox): only a SHA-512 digest is stored; every token expires.
KPO_API_TOKEN_TTL_DAYS = int(os.environ.get("KPO_API_TOKEN_TTL_DAYS", 30))
# A community invitation can be accepted for this many days after it was sent (issue #18).
KPO_INVITATION_TTL_DAYS = int(os.environ.get("KPO_INVITATION_TTL_DAYS", 14))
KPO_API_TOKEN_LIMIT = 10
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=KPO_API_TOKEN_TTL_DAYS),
    "TOKEN_PREFIX": "kpo_",
    "AUTO_REFRESH": False,
}
# The django-admin must never show a TOTP secret or QR code (and its config view then answers
# 403 instead of crashing on an unknown device id).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Lock-out with back-off per scope (kpo.security.lockout): failures within window -> locked for
# base_seconds, doubling per repeat up to max_seconds.
KPO_LOCKOUT = {
    "login": {"failures": 5, "window": 900, "base_seconds": 60, "max_seconds": 3600},
    "login_ip": {"failures": 50, "window": 900, "base_seconds": 300, "max_seconds": 3600},
    "password_reset": {"failures": 3, "window": 3600, "base_seconds": 900, "max_seconds": 86400},
    "password_reset_ip": {
        "failures": 20,
        "window": 3600,
        "base_seconds": 900,
        "max_seconds": 86400,
    },
    "otp": {"failures": 5, "window": 900, "base_seconds": 60, "max_seconds": 3600},
}
if KPO_ENV == "test":
    # Parallel test runs share 127.0.0.1: per-address limits only where a test sets them.
    KPO_LOCKOUT["login_ip"]["failures"] = 100000
    KPO_LOCKOUT["password_reset_ip"]["failures"] = 100000
# Reverse proxies in front of the application that we trust to append the client address to
# X-Forwarded-For (kpo.security.ip). 0: none, the header is ignored and REMOTE_ADDR is the client.
KPO_TRUSTED_PROXY_COUNT = int(os.environ.get("KPO_TRUSTED_PROXY_COUNT", 0))
# Rate limits per user and action (kpo.security.ratelimit); generous in tests, where a test
# that checks them overrides this setting.
# KPO_RATE_LIMIT_FACTOR lifts them for load benchmarks (make bench), never set it in production.
_RATE_FACTOR = 1000 if KPO_ENV == "test" else int(os.environ.get("KPO_RATE_LIMIT_FACTOR", "1"))
KPO_RATE_LIMITS = {
    "post": {"limit": 30 * _RATE_FACTOR, "period": 60},
    "search": {"limit": 60 * _RATE_FACTOR, "period": 60},
    "upload": {"limit": 10 * _RATE_FACTOR, "period": 300},
    # Autocomplete has its own bucket: typing a query never uses up the real search.
    "suggest": {"limit": 300 * _RATE_FACTOR, "period": 60},
    # Public certificate verification (form and link): guessing codes stays slow.
    "verify": {"limit": 10 * _RATE_FACTOR, "period": 60},
    # Messages to colleagues ("Wie weet wat", ADR 0031): a few an hour, no mass mailing.
    "contact": {"limit": 20 * _RATE_FACTOR, "period": 3600},
}
# Academie certificates (docs/decisions/0030): holders are reminded this many days before a
# certificate expires, and may earn it again from then on.
KPO_CERTIFICATE_RENEWAL_DAYS = int(os.environ.get("KPO_CERTIFICATE_RENEWAL_DAYS", 30))
# Open Badges 3.0 export: the issuer's Ed25519 signing key as PEM text, or a file holding it.
# Without either, a key is generated once into RUN_DIR; production sets one of them to a kept
# secret (docs/operations.md), since badges already handed out are checked against it.
KPO_BADGE_SIGNING_KEY = os.environ.get("KPO_BADGE_SIGNING_KEY", "")
KPO_BADGE_SIGNING_KEY_FILE = os.environ.get("KPO_BADGE_SIGNING_KEY_FILE") or str(
    RUN_DIR / "openbadges-signing-key.pem"
)
KPO_BADGE_ISSUER_NAME = os.environ.get(
    "KPO_BADGE_ISSUER_NAME", "Ondermijningsacademie (RIEC-LIEC-netwerk)"
)
# The secret behind each quiz attempt's random draw (academie.selectors.quiz_draw_seed); empty:
# SECRET_KEY.
KPO_QUIZ_DRAW_SECRET = os.environ.get("KPO_QUIZ_DRAW_SECRET", "")
# Accounts without a login for this many days get a warning e-mail, then are deactivated.
KPO_INACTIVE_WARNING_DAYS = int(os.environ.get("KPO_INACTIVE_WARNING_DAYS", 335))
KPO_INACTIVE_DEACTIVATE_DAYS = int(os.environ.get("KPO_INACTIVE_DEACTIVATE_DAYS", 365))
KPO_REGISTRATION_CONFIRM_DAYS = 3
# Retention per data type in days (kpo.privacy.services.retention_enforce); empty keeps forever.
KPO_RETENTION_DAYS = {
    "audit": int(os.environ.get("KPO_RETENTION_AUDIT_DAYS", 730)),
    "search_queries": int(os.environ.get("KPO_RETENTION_SEARCH_DAYS", 90)),
    "email_outbox": int(os.environ.get("KPO_RETENTION_EMAIL_DAYS", 30)),
    "notifications": int(os.environ.get("KPO_RETENTION_NOTIFICATION_DAYS", 365)),
    "unconfirmed_registrations": 14,
}
# Load balancers and container health checks call /health/ over plain HTTP, also when
# SECURE_SSL_REDIRECT sends everything else to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- logging ------------------------------------------------------------------------------------

# ``LOG_LEVEL`` sets the root level; libraries log at WARNING or, when the root is quieter
# (``tools/run`` loads the demo with ERROR), at that level too. JSON lines (one object per
# record, with the request id) in production and wherever LOG_FORMAT=json; plain text on a
# developer's terminal.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
_LIBRARY_LOG_LEVEL = LOG_LEVEL if LOG_LEVEL in {"ERROR", "CRITICAL"} else "WARNING"
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "plain").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kpo.core.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        name: {"level": _LIBRARY_LOG_LEVEL}
        for name in ("opensearch", "elastic_transport", "urllib3", "django_tasks", "wagtail")
    },
}

# /metrics (Prometheus): staff, or a scraper sending "Authorization: Bearer <token>".
KPO_METRICS_TOKEN = os.environ.get("KPO_METRICS_TOKEN", "")

# --- platform -----------------------------------------------------------------------------------

KPO_CORPUS_PATH = Path(
    os.environ.get("KPO_CORPUS_PATH", BASE_DIR.parent / "shared" / "corpus" / "kpo-corpus.yaml")
)
