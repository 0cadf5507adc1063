"""Settings for Interkommunal, read from the environment (see .env.example).

INTERKOMMUNAL_ENV selects the mode: ``development`` (default: SQLite, local
files, mails to the console), ``test`` or ``production`` (refuses to start
without its secrets, allowed hosts and a real database).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lib.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("INTERKOMMUNAL_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENV = env_str("INTERKOMMUNAL_ENV", "development")
if ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("INTERKOMMUNAL_ENV must be development, test or production.")
PRODUCTION = ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of at least 50 characters.")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required in production.")
    if not env_str("DATABASE_URL"):
        raise ImproperlyConfigured("DATABASE_URL is required in production.")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-interkommunal-not-for-production-0123456789")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])

# Earlier keys after a rotation: sessions and signed links stay valid, stored second-factor secrets readable.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "lib",
    "accounts",
    "audit",
    "members",
    "workspaces",
    "knowledge",
    "website",
    "ops",
    "monitoring",
    "notifications",
    "tasks",
    "news",
    "calendar_events",
    "polls",
    "documents",
    "search",
    "meetings",
    "oparl",
    "selfcheck",
    "annualreport",
    "costshares",
    "projects",
    "funding",
    "privacy",
    "events",
    "scanning",
]

MIDDLEWARE = [
    "ops.metrics.MetricsMiddleware",
    "ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ops.faults.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "lib.middleware.NoStoreForAuthenticatedMiddleware",
]
if DEBUG:
    # A dead link shows the site's German 404 page, not Django's English debug page (ops/development.py).
    MIDDLEWARE.append("ops.development.StyledNotFoundMiddleware")

ROOT_URLCONF = "interkommunal.urls"
WSGI_APPLICATION = "interkommunal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    }
]
if not DEBUG:
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
        )
    ]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'interkommunal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
DATABASE_RANDOM_PAGE_COST: float | None = None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _db = DATABASES["default"]
    # A database that is down or unreachable must fail a request within seconds (a 503 page, ops/faults.py),
    # not hang a gunicorn thread; the health check at the start of each request reconnects after a restart.
    _db["OPTIONS"].setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT_SECONDS", 5))
    # Behind PgBouncer in transaction mode a cursor must not outlive its transaction (docs/deployment.md §8).
    _db["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False)
    # The planner's cost of a random page read (lib/dbsession.py): 1.1 for SSD or flash storage, as PostgreSQL's
    # manual suggests; its default 4 models spinning disks. "server" keeps the database server's own value.
    _page_cost = env_str("DATABASE_RANDOM_PAGE_COST", "1.1")
    if _page_cost != "server":
        try:
            DATABASE_RANDOM_PAGE_COST = float(_page_cost)
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_RANDOM_PAGE_COST must be a number or 'server', got {_page_cost!r}.") from exc
        if not 0 < DATABASE_RANDOM_PAGE_COST <= 100:
            raise ImproperlyConfigured("DATABASE_RANDOM_PAGE_COST must lie between 0 and 100.")
    if env_bool("DATABASE_POOL", False):
        # psycopg's connection pool inside each process; it replaces persistent connections (CONN_MAX_AGE 0),
        # and with health checks on it tests a connection before lending it (recovery after a database restart).
        _db["CONN_MAX_AGE"] = 0
        _db["CONN_HEALTH_CHECKS"] = True
        _db["OPTIONS"]["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 8),
            "timeout": env_int("DATABASE_POOL_TIMEOUT_SECONDS", 10),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.GermanCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "website:start"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Interkommunal] "
# Failed sign-ins: per client address across accounts, and per client address and account
# together ("key": see accounts.adapters.AccountAdapter._get_login_attempts_cache_key) — never
# per account alone, so a stranger cannot lock the owner (or the managing office) out.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "20/m/ip,100/h/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# Failed sign-ins per account from browsers it has never signed in from (key: the account); the
# owner's known browsers (cookie set at sign-in, valid KNOWN_DEVICE_DAYS) are never held back by it.
LOGIN_FAILED_UNKNOWN_CLIENTS_RATE = env_str("LOGIN_FAILED_UNKNOWN_CLIENTS_RATE", "30/h/key")
KNOWN_DEVICE_DAYS = env_int("KNOWN_DEVICE_DAYS", 180)
# Behind a reverse proxy every request comes from the proxy's address: name how many proxies
# append to X-Forwarded-For (or the header the proxy sets) so rate limits see the real client.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER", "") or None
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Interkommunal"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
USERSESSIONS_TRACK_ACTIVITY = True
# Roles that may only work with a second factor (issue: admins and managing office).
MFA_REQUIRED_ROLES = {"platform_admin", "managing_office"}

SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = env_bool("OIDC_AUTO_SIGNUP", False)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS: dict = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}}
if env_str("OIDC_SERVER_URL"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": env_str("OIDC_PROVIDER_ID", "stadt"),
            "name": env_str("OIDC_PROVIDER_NAME", "Anmeldung über das Stadtkonto"),
            "client_id": env_str("OIDC_CLIENT_ID", required=True),
            "secret": env_str("OIDC_CLIENT_SECRET", required=True),
            "settings": {
                "server_url": env_str("OIDC_SERVER_URL"),
                "token_auth_method": env_str("OIDC_TOKEN_AUTH_METHOD", "client_secret_basic"),
                "oauth_pkce_enabled": True,
            },
        }
    )

# --- Sessions and security ------------------------------------------------------
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF] + env_list("CSP_FORM_ACTION_EXTRA"),
    }
}

# --- Internationalisation --------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as people expect them per language (templates use SHORT_DATE_FORMAT and friends, never a fixed pattern).
FORMAT_MODULE_PATH = ["interkommunal.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and ENV != "test"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = ENV != "production"
# Uploaded documents go through Django's storage API: a local folder (MEDIA_ROOT) or an S3-compatible bucket.
FILE_STORAGE = env_str("FILE_STORAGE", "local")
if FILE_STORAGE == "s3":
    from botocore.config import Config as BotoConfig

    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET", required=True),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", required=True),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", required=True),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            # Fail fast when the object store is down: the upload is refused with a message, not left hanging.
            "client_config": BotoConfig(
                connect_timeout=env_int("S3_CONNECT_TIMEOUT_SECONDS", 5),
                read_timeout=env_int("S3_READ_TIMEOUT_SECONDS", 60),
                retries={"max_attempts": env_int("S3_MAX_ATTEMPTS", 3), "mode": "standard"},
            ),
        },
    }
elif FILE_STORAGE != "local":
    raise ImproperlyConfigured("FILE_STORAGE must be local or s3.")

# --- E-mail -------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Interkommunal <noreply@interkommunal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MANAGING_OFFICE_EMAIL = env_str("MANAGING_OFFICE_EMAIL", "geschaeftsstelle@interkommunal.example")
# Reply-To of the office's answers to accessibility feedback, so a reply reaches the office, not the no-reply sender.
FEEDBACK_REPLY_TO_EMAIL = env_str("FEEDBACK_REPLY_TO_EMAIL", "") or MANAGING_OFFICE_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_HOST is required in production.")
else:
    # Development keeps mails in a mailbox read in the browser (ops/devmail.py), so the terminal stays readable.
    EMAIL_BACKEND = env_str(
        "EMAIL_BACKEND",
        "ops.devmail.MailboxBackend" if ENV == "development" else "django.core.mail.backends.console.EmailBackend",
    )
DEV_MAILBOX_DIR = Path(env_str("DEV_MAILBOX_DIR", "") or VAR_DIR / "mail")
# The page /entwicklung/postfach/ answers only when mails go to that mailbox, never in production.
DEV_MAILBOX = not PRODUCTION and EMAIL_BACKEND == "ops.devmail.MailboxBackend"

# --- Background work ------------------------------------------------------------------
# Two queues, two lanes in every worker: text extraction never holds up the other tasks.
TASK_QUEUES = ["default", "extraction"]
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15)
WORKER_STALE_AFTER_SECONDS = env_int("WORKER_STALE_AFTER_SECONDS", 90)
# /healthz turns unhealthy when a worker has been on one task longer than this.
WORKER_TASK_STUCK_SECONDS = env_int("WORKER_TASK_STUCK_SECONDS", 600)
# A task whose worker died is run again, at most this many times in all; then it is marked failed.
WORKER_TASK_MAX_ATTEMPTS = env_int("WORKER_TASK_MAX_ATTEMPTS", 3)
# Seconds a stopping worker (SIGTERM) waits for a running task before it leaves it to be run again.
WORKER_STOP_GRACE_SECONDS = env_int("WORKER_STOP_GRACE_SECONDS", 3)
# Readiness fails when the oldest task that could run has waited longer than this (workers cannot keep up).
WORKER_QUEUE_MAX_AGE_SECONDS = env_int("WORKER_QUEUE_MAX_AGE_SECONDS", 300)
if WORKER_TASK_MAX_ATTEMPTS < 1 or WORKER_STOP_GRACE_SECONDS < 0:
    raise ImproperlyConfigured("WORKER_TASK_MAX_ATTEMPTS must be at least 1, WORKER_STOP_GRACE_SECONDS not negative.")

# --- Metrics (Prometheus, /metrics) ---------------------------------------------------------
# /metrics answers only with this bearer token or from these networks (CIDR, comma-separated); else 404.
# Behind the reverse proxy every request comes from the proxy's address: block /metrics there (docs/deployment.md).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
try:
    METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network(n, strict=False) for n in env_list("METRICS_ALLOWED_NETWORKS")]
except ValueError as _exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {_exc}") from _exc
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 characters.")

# --- Platform ---------------------------------------------------------------------------
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
ACCESSIBILITY_FEEDBACK_DAYS = env_int("ACCESSIBILITY_FEEDBACK_DAYS", 42)
DIRECTORY_PAGE_SIZE = env_int("DIRECTORY_PAGE_SIZE", 25)
# Rows per page of a workspace's documents and of its trash.
DOCUMENTS_PAGE_SIZE = env_int("DOCUMENTS_PAGE_SIZE", 50)
if DIRECTORY_PAGE_SIZE < 1 or DOCUMENTS_PAGE_SIZE < 1:
    raise ImproperlyConfigured("DIRECTORY_PAGE_SIZE and DOCUMENTS_PAGE_SIZE must be at least 1.")

# --- Notifications, tasks, news ------------------------------------------------------------
# Local hour (Europe/Berlin) from which the daily digests and task reminders go out.
NOTIFICATIONS_DIGEST_HOUR = env_int("NOTIFICATIONS_DIGEST_HOUR", 7)
# Weekday of the weekly digest: 0 = Monday … 6 = Sunday.
NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY = env_int("NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY", 0)
if not (0 <= NOTIFICATIONS_DIGEST_HOUR <= 23 and 0 <= NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY <= 6):
    raise ImproperlyConfigured("NOTIFICATIONS_DIGEST_HOUR must be 0–23 and NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY 0–6.")
# Seconds a worker holds a mail it is sending; after that another worker takes it over (longer than EMAIL_TIMEOUT).
NOTIFICATIONS_OUTBOX_LEASE_SECONDS = env_int("NOTIFICATIONS_OUTBOX_LEASE_SECONDS", 120)
NOTIFICATIONS_OUTBOX_BATCH = env_int("NOTIFICATIONS_OUTBOX_BATCH", 50)
# Tries per mail (with exponential back-off from 30 s up to an hour) before it is marked failed.
NOTIFICATIONS_OUTBOX_MAX_ATTEMPTS = env_int("NOTIFICATIONS_OUTBOX_MAX_ATTEMPTS", 8)
if NOTIFICATIONS_OUTBOX_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("NOTIFICATIONS_OUTBOX_MAX_ATTEMPTS must be at least 1.")
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env_str("NOTIFICATIONS_MESSAGE_ID_DOMAIN", "interkommunal.example")
# Jobs the worker runs once a day from NOTIFICATIONS_DIGEST_HOUR (name → function taking the date).
NOTIFICATIONS_DAILY_JOBS = {
    "task-reminders": "tasks.reminders.send_reminders",
    "notifications-housekeeping": "notifications.housekeeping.run_daily",
}
# Days the copy of a sent mail is kept (for "did it go out?"); then it is deleted.
NOTIFICATIONS_MAIL_RETENTION_DAYS = env_int("NOTIFICATIONS_MAIL_RETENTION_DAYS", 30)
if NOTIFICATIONS_MAIL_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("NOTIFICATIONS_MAIL_RETENTION_DAYS must be at least 1.")
# Days before the due date when assignees get a reminder.
TASK_REMINDER_DAYS = env_int("TASK_REMINDER_DAYS", 2)
# Largest image of a news post, in megabytes.
NEWS_IMAGE_MAX_MB = env_int("NEWS_IMAGE_MAX_MB", 5)
# News images are scaled down to fit this many pixels on their longer side.
NEWS_IMAGE_MAX_SIDE = env_int("NEWS_IMAGE_MAX_SIDE", 2560)
# Uploaded images (news, documents) with more pixels are refused before decoding (lib/images.py).
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
if NEWS_IMAGE_MAX_SIDE < 64 or not 1_000_000 <= IMAGE_MAX_PIXELS <= 178_000_000:
    raise ImproperlyConfigured("NEWS_IMAGE_MAX_SIDE must be at least 64 and IMAGE_MAX_PIXELS between 1 and 178 million.")
# --- Documents ----------------------------------------------------------------------------
# Largest upload (all files of one upload together), in megabytes.
DOCUMENTS_MAX_UPLOAD_MB = env_int("DOCUMENTS_MAX_UPLOAD_MB", 100)
if DOCUMENTS_MAX_UPLOAD_MB < 1:
    raise ImproperlyConfigured("DOCUMENTS_MAX_UPLOAD_MB must be at least 1.")
# Text extraction runs in a child process with these limits; a file that hits one is marked failed.
DOCUMENTS_EXTRACTION_CPU_SECONDS = env_int("DOCUMENTS_EXTRACTION_CPU_SECONDS", 60)
DOCUMENTS_EXTRACTION_WALL_SECONDS = env_int("DOCUMENTS_EXTRACTION_WALL_SECONDS", 120)
DOCUMENTS_EXTRACTION_MEMORY_MB = env_int("DOCUMENTS_EXTRACTION_MEMORY_MB", 1024)
# Runs of one extraction that may be cut off (the worker died) before the version is marked failed.
DOCUMENTS_EXTRACTION_MAX_ATTEMPTS = env_int("DOCUMENTS_EXTRACTION_MAX_ATTEMPTS", 2)
if min(DOCUMENTS_EXTRACTION_CPU_SECONDS, DOCUMENTS_EXTRACTION_WALL_SECONDS, DOCUMENTS_EXTRACTION_MAX_ATTEMPTS) < 1:
    raise ImproperlyConfigured("DOCUMENTS_EXTRACTION_* limits must be at least 1.")
if DOCUMENTS_EXTRACTION_MEMORY_MB < 128:
    raise ImproperlyConfigured("DOCUMENTS_EXTRACTION_MEMORY_MB must be at least 128 (the interpreter needs it).")
if WORKER_TASK_STUCK_SECONDS <= DOCUMENTS_EXTRACTION_WALL_SECONDS:
    raise ImproperlyConfigured("WORKER_TASK_STUCK_SECONDS must be longer than DOCUMENTS_EXTRACTION_WALL_SECONDS.")
# --- Upload scanning (ClamAV) ---------------------------------------------------------------
# Every upload is held back until clamd found it clean (scanning/). Production refuses to run without it;
# development and the test suite leave it off unless UPLOAD_SCANNING=true (README, "Virenprüfung").
UPLOAD_SCANNING = env_bool("UPLOAD_SCANNING", default=PRODUCTION)
if PRODUCTION and not UPLOAD_SCANNING:
    raise ImproperlyConfigured("UPLOAD_SCANNING must be on in production (clamd from Debian's clamav-daemon).")
# unix:/path/to/socket or tcp:host:port; Debian's clamav-daemon listens on unix:/run/clamav/clamd.ctl.
CLAMD_ADDRESS = env_str("CLAMD_ADDRESS", "unix:/run/clamav/clamd.ctl")
CLAMD_TIMEOUT_SECONDS = env_int("CLAMD_TIMEOUT_SECONDS", 60)
# Where the signatures lie (read by /healthz/ready when clamd's version line carries no database date).
CLAMAV_DATABASE_DIR = env_str("CLAMAV_DATABASE_DIR", "/var/lib/clamav")
# Readiness fails when the signatures are older than this (freshclam updates them several times a day).
CLAMAV_SIGNATURES_MAX_AGE_HOURS = env_int("CLAMAV_SIGNATURES_MAX_AGE_HOURS", 48)
# Files still pending this long (clamd was down) are scanned again by the workers.
UPLOAD_SCAN_RETRY_SECONDS = env_int("UPLOAD_SCAN_RETRY_SECONDS", 60)
if not CLAMD_ADDRESS.startswith(("unix:", "tcp:")):
    raise ImproperlyConfigured("CLAMD_ADDRESS must be unix:/path or tcp:host:port.")
# --- Meetings of the bodies and OParl ---------------------------------------------------------
# Days between the invitation and the meeting; fewer gives the office a warning.
MEETING_NOTICE_DAYS = env_int("MEETING_NOTICE_DAYS", 14)
# Days the attendees have to object to circulated minutes.
MEETING_OBJECTION_DAYS = env_int("MEETING_OBJECTION_DAYS", 14)
# How circulated minutes are approved: "next_meeting" (at the approval item) or "window" (after the objection days).
MEETING_MINUTES_APPROVAL = env_str("MEETING_MINUTES_APPROVAL", "next_meeting")
if MEETING_MINUTES_APPROVAL not in {"next_meeting", "window"}:
    raise ImproperlyConfigured("MEETING_MINUTES_APPROVAL must be next_meeting or window.")
# The worker's daily scheduler sends the digests before meetings and, in window mode, approves due minutes.
NOTIFICATIONS_DAILY_JOBS["meeting-digest"] = "meetings.digest.run_daily"
# Canonical base of every OParl id (never taken from the request's Host header).
OPARL_BASE_URL = env_str("OPARL_BASE_URL", SITE_URL).rstrip("/")
OPARL_PAGE_SIZE = env_int("OPARL_PAGE_SIZE", 100)

# --- Monitoring (staff survey) ------------------------------------------------------------
# Minimum respondents per published cell (k); the disclosure rules refuse anything below 5.
MONITORING_MIN_CELL_SIZE = env_int("MONITORING_MIN_CELL_SIZE", 10)
# Self-check: a city's consolidated figures need answers from this many raters (as the monitoring's minimum
# cell); items whose answers lie this many scale steps apart (or more) are flagged for discussion.
SELFCHECK_MIN_RATERS = env_int("SELFCHECK_MIN_RATERS", 3)
SELFCHECK_DISAGREEMENT_SPREAD = env_int("SELFCHECK_DISAGREEMENT_SPREAD", 2)
if SELFCHECK_MIN_RATERS < 2 or not 1 <= SELFCHECK_DISAGREEMENT_SPREAD <= 4:
    raise ImproperlyConfigured("SELFCHECK_MIN_RATERS must be at least 2, SELFCHECK_DISAGREEMENT_SPREAD between 1 and 4.")
if MONITORING_MIN_CELL_SIZE < 5:
    raise ImproperlyConfigured("MONITORING_MIN_CELL_SIZE must be at least 5.")
# Minimum HR headcount of a published group (monitoring.md §4.1 rule 1).
MONITORING_MIN_HEADCOUNT = env_int("MONITORING_MIN_HEADCOUNT", 20)
# Days after a round's aggregates are final until its raw responses are deleted.
MONITORING_RETENTION_DAYS = env_int("MONITORING_RETENTION_DAYS", 90)

# --- Annual report ---------------------------------------------------------------------------
# Minimum count of a per-city figure about people (e.g. attendances); the same k as the monitoring by default.
ANNUAL_REPORT_MIN_CELL_SIZE = env_int("ANNUAL_REPORT_MIN_CELL_SIZE", MONITORING_MIN_CELL_SIZE)
if ANNUAL_REPORT_MIN_CELL_SIZE < MONITORING_MIN_CELL_SIZE:
    raise ImproperlyConfigured("ANNUAL_REPORT_MIN_CELL_SIZE must not be below MONITORING_MIN_CELL_SIZE.")

# --- Calendar and date polls ----------------------------------------------------------------
# Days after a poll closed (its date confirmed, or else its deadline) until it is deleted with its answers.
POLL_RETENTION_DAYS = env_int("POLL_RETENTION_DAYS", 90)
# Participants who have not answered are reminded once when the deadline is less than this many hours away.
POLL_REMINDER_HOURS = env_int("POLL_REMINDER_HOURS", 48)
if POLL_RETENTION_DAYS < 1 or POLL_REMINDER_HOURS < 1:
    raise ImproperlyConfigured("POLL_RETENTION_DAYS and POLL_REMINDER_HOURS must be at least 1.")
# The worker's daily scheduler (notifications/scheduler.py) runs the poll reminders and the retention deletion.
NOTIFICATIONS_DAILY_JOBS["polls-housekeeping"] = "polls.housekeeping.run_daily"
# Events: the waiting list moves, unused contingent places return, accessibility needs and personal data are deleted.
NOTIFICATIONS_DAILY_JOBS["events-housekeeping"] = "events.housekeeping.run_daily"
# Offers from the waiting list and the cities' cut-offs may be shorter than a day: the queue moves every few minutes.
EVENTS_QUEUE_MINUTES = env_int("EVENTS_QUEUE_MINUTES", 5)
if not 1 <= EVENTS_QUEUE_MINUTES <= 60 or 60 % EVENTS_QUEUE_MINUTES:
    raise ImproperlyConfigured("EVENTS_QUEUE_MINUTES must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60).")
NOTIFICATIONS_FREQUENT_JOBS = {"events-queue": ("events.housekeeping.run_queue", EVENTS_QUEUE_MINUTES)}

# --- Logging: one JSON object per line, to stdout ------------------------------------
# Capability links (calendar feed, poll and invitation links, password reset, unsubscribe) are
# redacted in every record and every formatted line: see ops/logredact.py.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "ops.logredact.RedactingJsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"()": "ops.logredact.RedactingFormatter", "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # WeasyPrint and fontTools report every layout step at INFO: one PDF would fill a screen of the log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
SECURITY_CONTACT_EMAIL = env_str("SECURITY_CONTACT_EMAIL", "sicherheit@interkommunal.example")
FORM_RENDERER = "lib.forms.KernFormRenderer"

# A cache shared by all processes: rate limits and used one-time codes must hold across workers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "interkommunal_cache",
    }
}
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Accessibility feedback: the office is reminded before an answer is due (issue 10) ------------
# Days before the answer to accessibility feedback is due when the office is reminded.
ACCESSIBILITY_FEEDBACK_REMINDER_DAYS = env_int("ACCESSIBILITY_FEEDBACK_REMINDER_DAYS", 7)
if ACCESSIBILITY_FEEDBACK_REMINDER_DAYS < 1:
    raise ImproperlyConfigured("ACCESSIBILITY_FEEDBACK_REMINDER_DAYS must be at least 1.")
NOTIFICATIONS_DAILY_JOBS["feedback-reminders"] = "website.reminders.send_reminders"

# --- Cost shares (Kostenverteilung) -----------------------------------------------------------
# The creditor named on every payment notice and XRechnung: the managing office's paying body.
COSTSHARES_CREDITOR = {
    "name": env_str("COSTSHARES_CREDITOR_NAME", "Stadt Mülheim an der Ruhr – Geschäftsführung Integration.Interkommunal"),
    "identifier": env_str("COSTSHARES_CREDITOR_ID", "05117000"),
    "street": env_str("COSTSHARES_CREDITOR_STREET", "Am Rathaus 1"),
    "postcode": env_str("COSTSHARES_CREDITOR_POSTCODE", "45468"),
    "city": env_str("COSTSHARES_CREDITOR_CITY", "Mülheim an der Ruhr"),
    "iban": env_str("COSTSHARES_CREDITOR_IBAN", "DE02120300000000202051"),
    "contact_name": env_str("COSTSHARES_CREDITOR_CONTACT", "Geschäftsführung"),
    "contact_phone": env_str("COSTSHARES_CREDITOR_PHONE", "+49 208 455-0"),
    "contact_email": env_str("COSTSHARES_CREDITOR_EMAIL", "geschaeftsfuehrung@interkommunal.example"),
}
NOTIFICATIONS_DAILY_JOBS["costshare-reminders"] = "costshares.reminders.send_reminders"

# --- Data protection (privacy): access exports, erasure log, retention, backups (issue 14) ------------
# Days an access export (ZIP) can be downloaded before its file is deleted.
PRIVACY_EXPORT_DAYS = env_int("PRIVACY_EXPORT_DAYS", 7)
if PRIVACY_EXPORT_DAYS < 1:
    raise ImproperlyConfigured("PRIVACY_EXPORT_DAYS must be at least 1.")
# A full disk while building an export: try again this much later, this often, then mark it failed.
PRIVACY_EXPORT_RETRY_SECONDS = env_int("PRIVACY_EXPORT_RETRY_SECONDS", 600)
PRIVACY_EXPORT_DISK_RETRIES = env_int("PRIVACY_EXPORT_DISK_RETRIES", 3)
# The deletion log outside the database: put it next to the backups (not inside them), so a restore replays it.
PRIVACY_DELETION_LOG = env_str("PRIVACY_DELETION_LOG", str(VAR_DIR / "privacy" / "deletion-log.jsonl"))
# The competent municipal archive that records of lasting value are offered to (ArchivG NRW § 4, § 10).
PRIVACY_ARCHIVE_NAME = env_str("PRIVACY_ARCHIVE_NAME", "Stadtarchiv der geschäftsführenden Kommune")


def _retention_days(raw: str) -> dict[str, int]:
    periods = {}
    for pair in filter(None, (part.strip() for part in raw.split(","))):
        key, _sep, days = pair.partition("=")
        if not days.strip().isdigit() or int(days) < 1:
            raise ImproperlyConfigured(f"PRIVACY_RETENTION_DAYS: {pair!r} is not rule=days with days >= 1.")
        periods[key.strip()] = int(days)
    return periods


# Periods per retention rule, e.g. "mails=30,polls=90,ended-memberships=3650" (privacy/README.md lists the rules).
PRIVACY_RETENTION_DAYS = _retention_days(env_str("PRIVACY_RETENTION_DAYS", ""))
NOTIFICATIONS_DAILY_JOBS["privacy-retention"] = "privacy.retention.run_daily"
# Backups are signed with this key (HMAC-SHA256 over the manifest); the restore refuses an archive it cannot verify.
BACKUP_SIGNING_KEY = env_str("BACKUP_SIGNING_KEY", "") or SECRET_KEY
# With S3 storage the restore drill puts the files into a scratch bucket: this one (under a unique prefix,
# removed afterwards) or, when empty, a bucket it creates and deletes.
RESTORE_DRILL_BUCKET = env_str("RESTORE_DRILL_BUCKET", "")
# --- Knowledge base (practice examples, issue 13 §2) ------------------------------------------
# Days from an approval (or a "still current" check) to the next review-by date of a practice example.
KNOWLEDGE_REVIEW_INTERVAL_DAYS = env_int("KNOWLEDGE_REVIEW_INTERVAL_DAYS", 730)
# Days before the review-by date when the daily job puts a task on the office's list.
KNOWLEDGE_REVIEW_REMINDER_DAYS = env_int("KNOWLEDGE_REVIEW_REMINDER_DAYS", 30)
# Largest material file of a practice example, in megabytes.
KNOWLEDGE_MATERIAL_MAX_MB = env_int("KNOWLEDGE_MATERIAL_MAX_MB", 20)
# Self-registration of contributors per client address (allauth rate syntax) and problem reports.
KNOWLEDGE_SIGNUP_RATE = env_str("KNOWLEDGE_SIGNUP_RATE", "5/h/ip")
KNOWLEDGE_REPORT_RATE = env_str("KNOWLEDGE_REPORT_RATE", "10/h/ip")
if KNOWLEDGE_REVIEW_INTERVAL_DAYS < 1 or KNOWLEDGE_REVIEW_REMINDER_DAYS < 0 or KNOWLEDGE_MATERIAL_MAX_MB < 1:
    raise ImproperlyConfigured("KNOWLEDGE_* day and size settings must be positive.")
NOTIFICATIONS_DAILY_JOBS["knowledge-review-reminders"] = "knowledge.reminders.create_reminders"
