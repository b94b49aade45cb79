"""Settings shared by every environment.

Never used on its own: `production` is the default of every entry point
(manage.py, wsgi.py, celery.py), `local` is what `make run` asks for, `dev` and
`test` are asked for by name. Everything that differs between machines comes
from environment variables (documented in `.env.example`); the data defaults
are the embedded ones, so the portal runs with nothing but Python: SQLite
under `var/` and kombu's filesystem broker. Point DATABASE_URL and
CELERY_BROKER_URL at PostgreSQL and Redis and the same code uses them.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = False  # only `dev` turns it on
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "guardian",
    "simple_history",
    "django_ratelimit",
    "axes",
    "tongchuan_portal.core",
    "tongchuan_portal.units",
    "tongchuan_portal.notifications",
    "tongchuan_portal.clock",
    "disclosure",
    "disclosure.applications",
    "disclosure.annual_report",
    "interpretation",
    "participation",
    "opinion",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "tongchuan_portal.sections",
    "tongchuan_portal.monitoring",
    "tongchuan_portal.api",
]

MIDDLEWARE = [
    # Outermost, so that every answer (the 413 below included) carries the CSP and Permissions-Policy.
    "tongchuan_portal.core.middleware.SecurityHeadersMiddleware",
    # Before anything reads the body: an over-long request is refused from its Content-Length.
    "tongchuan_portal.core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # W3: the open-data API answers GET from any origin (CORS_URLS_REGEX); nothing else does.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tongchuan_portal.core.middleware.PrivateCacheMiddleware",
    "tongchuan_portal.core.params.CleanInputMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tongchuan_portal.urls"
WSGI_APPLICATION = "tongchuan_portal.wsgi.application"

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
                "tongchuan_portal.core.context_processors.site",
                "tongchuan_portal.sections.context_processors.share",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections, checked before each request reuses them: a connection the database
# closed (restart, failover, pg_terminate_backend) is replaced instead of answering 500.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when REDIS_URL is set; otherwise a file cache every local process shares
# (worker heartbeats and calendar versions must be visible across processes).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "tongchuan_portal.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# django-ratelimit (participation: comments, messages, registrations, query codes) counts in the
# default cache. Its E003 flags the embedded file cache: its increment is not atomic, so two
# simultaneous requests can count once and a limit may be overshot by a request or two. That is
# acceptable only for the single-machine `make run`, so it is silenced only when REDIS_URL is unset.
# W001 says Django's own RedisCache is not on the package's list; its incr is Redis INCRBY, which
# is atomic, so the limits hold exactly there.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if REDIS_URL else ["django_ratelimit.E003"])
# The client's address, for every limit (django-ratelimit, the fallback counter, django-axes):
# REMOTE_ADDR, or — behind TRUSTED_PROXY_COUNT reverse proxies that each append to
# X-Forwarded-For — the address the outermost trusted proxy saw. See core/clientip.py.
TRUSTED_PROXY_COUNT = int(env.str("TRUSTED_PROXY_COUNT", default="").strip() or 0)
RATELIMIT_IP_META_KEY = "tongchuan_portal.core.clientip.client_ip"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins a username is locked
# wherever the attempts come from, and an address is locked whatever usernames it tries; both
# for AXES_COOLOFF_MINUTES, and a successful login clears the count. The admin login is covered
# (axes guards authenticate() itself). Attempts live in the database: no Redis needed.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tongchuan_portal.core.clientip.client_ip"
AXES_USERNAME_CALLABLE = "tongchuan_portal.core.params.login_username"
AXES_LOCKOUT_CALLABLE = "tongchuan_portal.core.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # public reading needs no guardian (STYLE.md)
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:workspace"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site root by WhiteNoise (favicon.ico, which browsers ask for by that path).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# django-simple-history: the history is the record; nobody reverts it.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The named account that Celery tasks act as, so the audit trail says who acted.
SYSTEM_USERNAME = "system"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="政务公开平台 <noreply@tongchuan.gov.cn>")

# --- Celery -------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        # Fanout exchanges (remote control); kombu's default is ./control in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="portal")
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Every periodic task, in one place.
HEARTBEAT_INTERVAL_SECONDS = env.float("HEARTBEAT_INTERVAL_SECONDS", default=15)
CLOCK_SWEEP_INTERVAL_SECONDS = env.float("CLOCK_SWEEP_INTERVAL_SECONDS", default=60)
NOTIFICATION_EMAIL_INTERVAL_SECONDS = env.float("NOTIFICATION_EMAIL_INTERVAL_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.heartbeat", "schedule": HEARTBEAT_INTERVAL_SECONDS},
    # CLOCK3: the sweep is the source of truth for every deadline; no ETA task is.
    "deadline-sweep": {"task": "clock.sweep", "schedule": CLOCK_SWEEP_INTERVAL_SECONDS},
    # Backstop for e-mails whose task was lost (e.g. Redis flushed) or whose retry has come due.
    # Calendar changes need no entry of their own: each sweep first recomputes what is pending (CLOCK4).
    "notification-emails": {
        "task": "notifications.send_pending_emails", "schedule": NOTIFICATION_EMAIL_INTERVAL_SECONDS,
    },
    # W2: valid messages unanswered for three months are flagged to their unit.
    "participation-flag-unanswered": {"task": "participation.flag_unanswered_messages", "schedule": 3600.0},
    "publish-scheduled-documents": {"task": "disclosure.publish_scheduled", "schedule": 60.0},
    "flush-view-counts": {"task": "disclosure.flush_view_counts", "schedule": 60.0},
    # D12: the yearly self-check opens on 2 January (idempotent; a missed run opens it on the next).
    # W2: the daily website checks (findings open and resolve themselves), and the external-link checker.
    "monitoring-daily-run": {"task": "monitoring.daily_run", "schedule": crontab(minute=15, hour=2)},
    "monitoring-external-links": {"task": "monitoring.check_external_links", "schedule": 600.0},
    # A6: on 1 January each unit's report for the year just ended opens with its due date (idempotent).
    "open-annual-reports": {"task": "annual_report.open_year", "schedule": crontab(minute=5, hour=0, day_of_month="1-31", month_of_year="1")},
    "open-self-checks": {"task": "disclosure.open_self_checks", "schedule": crontab(minute=30, hour=8, day_of_month="2-31", month_of_year="1")},
}

# Only one beat sends: it holds a lock in the shared cache, renewed every few seconds, that
# lapses this many seconds after its holder dies; a second beat waits and shows on /healthz.
BEAT_LOCK_TTL_SECONDS = env.float("BEAT_LOCK_TTL_SECONDS", default=30)
BEAT_SINGLE_LOCK = env.bool("BEAT_SINGLE_LOCK", default=True)

# E-mail behind the inbox: a sender's claim on a batch lapses after this many seconds (keep it
# above EMAIL_TIMEOUT × batch size); a failing message is retried with backoff this many times.
NOTIFICATION_EMAIL_LEASE_SECONDS = env.int("NOTIFICATION_EMAIL_LEASE_SECONDS", default=600)
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env.int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", default=8)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)  # seconds; Django's default waits forever

# /healthz considers a heartbeat stale after this many seconds.
HEALTH_MAX_HEARTBEAT_AGE = env.int("HEALTH_MAX_HEARTBEAT_AGE", default=90)
# Anonymous callers of /healthz get which checks failed, no details; staff and callers sending
# this token (header "Authorization: Bearer <token>") get the details. Empty: staff only.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

# --- Disclosure ------------------------------------------------------------------------
DISCLOSURE_MAX_ATTACHMENT_MB = env.int("DISCLOSURE_MAX_ATTACHMENT_MB", default=20)
# Office files (zip containers) are refused when they would inflate past this or hold more entries.
DISCLOSURE_MAX_UNZIPPED_MB = env.int("DISCLOSURE_MAX_UNZIPPED_MB", default=200)
DISCLOSURE_MAX_ZIP_ENTRIES = env.int("DISCLOSURE_MAX_ZIP_ENTRIES", default=2000)

# Request sizes. A body larger than REQUEST_MAX_BODY_MB (by its Content-Length) is refused with 413
# before it is read; it is a few attachments' worth. Form fields beyond 5 MB are refused by
# Django; uploads beyond 2.5 MB are spooled to a temporary file instead of memory.
REQUEST_MAX_BODY_MB = env.int("REQUEST_MAX_BODY_MB", default=3 * DISCLOSURE_MAX_ATTACHMENT_MB + 2)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Review turnaround clocks, in working days (configurable; the rules themselves set no limit).
DISCLOSURE_SEAL_REVIEW_DAYS = env.int("DISCLOSURE_SEAL_REVIEW_DAYS", default=3)
DISCLOSURE_REVIEW_DAYS = env.int("DISCLOSURE_REVIEW_DAYS", default=5)
DISCLOSURE_CONFIDENTIALITY_DAYS = env.int("DISCLOSURE_CONFIDENTIALITY_DAYS", default=3)

# --- Participation, opinion, interpretation (all in working days unless named otherwise) ---------
PARTICIPATION_ADOPTION_REPORT_DAYS = env.int("PARTICIPATION_ADOPTION_REPORT_DAYS", default=10)
PARTICIPATION_CONCENTRATED_THRESHOLD = env.int("PARTICIPATION_CONCENTRATED_THRESHOLD", default=5)
# Abuse limits on public writes (django-ratelimit syntax: count/period, period s, m, h or d).
PARTICIPATION_COMMENT_RATE_IP = env.str("PARTICIPATION_COMMENT_RATE_IP", default="10/10m")
PARTICIPATION_COMMENT_RATE_CONTACT = env.str("PARTICIPATION_COMMENT_RATE_CONTACT", default="5/h")
PARTICIPATION_MESSAGE_RATE_IP = env.str("PARTICIPATION_MESSAGE_RATE_IP", default="5/h")
PARTICIPATION_QUERY_RATE_IP = env.str("PARTICIPATION_QUERY_RATE_IP", default="30/h")
# Public search (W5): searches per client address, and the longest one search statement may run.
DISCLOSURE_SEARCH_RATE_IP = env.str("DISCLOSURE_SEARCH_RATE_IP", default="30/m")
SEARCH_STATEMENT_TIMEOUT_MS = env.int("SEARCH_STATEMENT_TIMEOUT_MS", default=500)
OPINION_REMINDER_MINUTES = tuple(env.list("OPINION_REMINDER_MINUTES", cast=int, default=[60]))
INTERPRETATION_FOLLOW_UP_DAYS = env.int("INTERPRETATION_FOLLOW_UP_DAYS", default=60)

# --- Site identity (W3 metadata, footer) ------------------------------------------
SITE_NAME = "铜川市人民政府"
SITE_DOMAIN = env.str("SITE_DOMAIN", default="www.tongchuan.gov.cn")
# Every absolute URL (og:url, share links, feeds, sitemap) is built from this, never from the
# request's Host header.
SITE_BASE_URL = env.str("SITE_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_ID_CODE = env.str("SITE_ID_CODE", default="6102000001")
SITE_CONTACT = {
    "office": "铜川市人民政府办公室",
    "address": "陕西省铜川市新区正阳路铜川市行政中心",
    "postcode": "727031",
    "phone": "0919-3185100",
    "email": "tcszfb@tongchuan.gov.cn",
    "hours": "工作日 上午 8:30—12:00,下午 14:30—18:00",
    "icp": "陕ICP备05001783号",
}

# Content-Security-Policy of every HTML page: the site's own scripts, styles and images only.
# The admin's widgets set style attributes, so its pages also allow inline styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Website monitoring (W2) ------------------------------------------------------------
MONITORING_LINK_CHECKS_PER_RUN = env.int("MONITORING_LINK_CHECKS_PER_RUN", default=50)
MONITORING_LINK_TIMEOUT_SECONDS = env.float("MONITORING_LINK_TIMEOUT_SECONDS", default=5)

# --- Open-data API (W3) -----------------------------------------------------------------
# Django REST framework with drf-spectacular: read-only JSON, keyset pages, OpenAPI 3 schema.
API_RATE = env.str("API_RATE", default="120/min")  # per client address (core/clientip.py)
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["tongchuan_portal.api.throttling.ClientIpRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tongchuan_portal.api.exceptions.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "铜川市政务公开平台开放数据接口",
    "DESCRIPTION": "已主动公开的政府信息、附件、政策解读、征求意见及采纳情况、会议公告、回应关切、主动公开目录、"
                   "政府信息公开工作年度报告(含表格数据)和单位名录,以 JSON 提供,供其他平台共享使用。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "tongchuan_portal.api.schema.add_error_responses"],
}
# CORS for the API only, GET only, no credentials (django-cors-headers).
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
