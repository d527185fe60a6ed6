"""Settings shared by every way of running Mission Commons.

Every external service is read from one environment variable. With none of
them set, the embedded default runs: SQLite in the data folder, Channels'
in-memory layer and database search. Set DATABASE_URL, REDIS_URL and
ELASTICSEARCH_URL and the same code runs on the scale-out stack.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR") or BASE_DIR / "var")


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Where the site is served (`make run`/`make serve` set it from HOST and PORT):
# emails are sent without a request, so their links are built from it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
SITE_NAME = "Mission Commons"
WAGTAIL_SITE_NAME = SITE_NAME
# Who runs the service (the controller of personal data) and how to reach
# them: written into the privacy notice, accessibility statement, contact and
# terms pages when `setup_site` first makes them (cms/service_pages.py); the
# team edits the pages in the admin after that.
SERVICE_OWNER = os.environ.get("SERVICE_OWNER", "The Mission Commons team")
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "contact@missioncommons.localhost")

INSTALLED_APPS = [
    "daphne_placeholder",  # replaced below; keeps ordering readable
    "cms",
    "consult",
    "people",
    "notifications",
    "ideas",
    "moderation",
    "opinions",
    "participation",
    "pilots",
    "prizes",
    "consultations",
    "demo",
    "opendata",
    "search",
    "live",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
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
    "rules.apps.AutodiscoverRulesConfig",
    "channels",
    "huey.contrib.djhuey",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "cms.sso",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # its templates, for cms/sitemaps.py
]
INSTALLED_APPS.remove("daphne_placeholder")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.headers.PermissionsPolicyMiddleware",
    "cms.headers.SiteCSPMiddleware",
    "cms.static.StaticFilesMiddleware",  # WhiteNoise, able to run async
    "cms.limits.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.pagecache.PageCacheMiddleware",  # signed-out pages from the cache (after session, auth, messages)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cms.admin_access.AdminAccessMiddleware",
    "cms.middleware.RequestContextMiddleware",
    "cms.middleware.DatabaseBusyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cms.context_processors.site",
                "cms.header.context",
            ],
            # Dates, times and numbers as GOV.UK writes them, in every
            # template without a load: |govuk_date, |govuk_datetime
            # ("7 December 2026 at 2:15pm"), |govuk_month, |govuk_time.
            "builtins": ["consult.templatetags.govuk_format"],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"
ASGI_APPLICATION = "cms.asgi.application"

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Under ASGI every request runs its sync code on a thread of its own, and
    # Django's connections are per thread: persistent connections
    # (CONN_MAX_AGE > 0) were never reused and never closed, and 20 clients
    # used up PostgreSQL's 100 connections in seconds (docs/benchmarks.md,
    # "Database connections"). So each process keeps a psycopg pool instead,
    # and a request hands its connection back when it finishes.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 2,
            # Per process: workers x replicas x this must stay under the
            # server's max_connections (compose: 2 x 2 x 20 = 80 of 100).
            "max_size": int(os.environ.get("DATABASE_POOL_SIZE") or 20),
            # A request waits this long for a free connection, then gets 503.
            "timeout": 10,
        }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": {
                # WAL lets readers and the writer work at once; IMMEDIATE avoids
                # "database is locked" on read-then-write transactions.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache ---------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "capacity": 5000},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mc",
            # Fail fast when Redis is down instead of hanging a request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # A signed-in request reads its session from Redis, not the database
    # (writes go to both, so nothing is lost with Redis; if Redis fails the
    # resilient cache misses and the database answers). Not on the embedded
    # default: a per-process local cache would keep a signed-out session
    # alive in the other processes.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 5000}}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Signed-out pages from the default cache, exact by the live topics' numbers
# (cms/pagecache.py); the timeout bounds what changes with time alone. Unset:
# on, except with DEBUG (a template being edited shows at once).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", None)
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT") or 300)
# Rate-limit counters live in the cache. If Redis is down, let people take
# part rather than tell every one of them "you have done this too often".
RATELIMIT_FAIL_OPEN = True
# The most API tokens one person may hold unrevoked (ideas/services/tokens.py):
# a stolen account cannot mint keys without end, and a list stays short to audit.
API_TOKEN_LIMIT = int(os.environ.get("API_TOKEN_LIMIT") or 10)

# --- Background work (Huey) -------------------------------------------------
# Computation that must not run in a request goes to a Huey queue and runs in
# `manage.py run_huey` (`make run` starts one beside the server; compose runs
# the `worker` service). Why Huey, and the conventions for declaring a task:
# cms/tasks.py and README "Background work".


def huey_config(env, data_dir):
    """The HUEY setting for this environment (a mapping like os.environ).

    Without REDIS_URL the queue is a SQLite file beside the embedded
    database, so `make run` needs no broker; with it, Redis, whose atomic
    pops let any number of consumers share one queue. Immediate mode is off
    here whatever DEBUG says (djhuey would otherwise follow DEBUG): the dev
    server queues like production, and only the tests run tasks in-process
    (cms/settings/test.py)."""
    common = {
        "name": "missioncommons",
        "immediate": False,
        "utc": True,
        # Threads, not processes: tasks mostly wait on the database, and numpy
        # releases the GIL for the heavy parts. `run_huey --workers N` overrides.
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
    redis_url = env.get("REDIS_URL") or ""
    if redis_url:
        return {**common, "huey_class": "huey.RedisHuey", "url": redis_url}
    return {**common, "huey_class": "huey.SqliteHuey", "filename": str(Path(data_dir) / "huey.sqlite3")}


HUEY = huey_config(os.environ, DATA_DIR)
# The retry policy of every non-periodic task (README "Background work"):
# each app's tasks.py declares `db_task(retries=settings.TASK_RETRIES,
# retry_delay=settings.TASK_RETRY_DELAY)`, so the policy is written once.
TASK_RETRIES = 3
TASK_RETRY_DELAY = 30  # seconds
if HUEY["huey_class"] == "huey.SqliteHuey":
    DATA_DIR.mkdir(parents=True, exist_ok=True)

# --- Search -----------------------------------------------------------------
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "missioncommons")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Accounts -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # allauth's, also finding accounts whose stored email kept capitals; first
    # with get_user, so it loads the signed-in person (with their email state).
    "cms.accounts.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_LOGOUT_ON_GET = False
# Without django.contrib.sites allauth would name the host ("[127.0.0.1:8000]");
# its email bodies use SITE_NAME too (templates/account/email/).
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_ADAPTER = "cms.accounts.AccountAdapter"
# "Signed in as <display name>", never the email or a username.
ACCOUNT_USER_DISPLAY = "people.names.display_name"
ACCOUNT_FORMS = {"login": "cms.forms.LoginForm", "signup": "cms.forms.SignupForm", "change_password":
                 "cms.forms.ChangePasswordForm", "set_password": "cms.forms.SetPasswordForm",
                 "reset_password_from_key": "cms.forms.ResetPasswordKeyForm"}
# Sign-up, password reset and the like never say whether an email is
# registered (cms/forms.py: SignupForm answers alike either way).
ACCOUNT_PREVENT_ENUMERATION = True
# The confirmation link sent on sign-up signs the new account in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# So does a password reset's link: the way in for a first sign-in on a new
# browser at an address refused for others' failed sign-ins (cms/accounts.py).
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# Sign-in and sign-up limits, in allauth's notation (amount/period/per). Ours
# ("login_attempt", "signup_attempt", "login_failed") are counted by
# cms/accounts.py on the counters every limit uses (django-ratelimit,
# inputs/ratelimits.py); allauth counts the rest itself (README "Moderation
# and abuse limits"). Per address they leave room for a workshop on one
# connection (twenty people signing up and signing in within the hour, typos
# included) and stop one address trying passwords or creating accounts
# without end. "login_failed" is keyed per address and per (normalised
# email, address), or per (email, browser) for a browser that signed in to
# that account before (cms/accounts.py), so neither a stranger's guesses
# elsewhere nor others' failures at a shared address refuse the owner's
# right password. Log-in and sign-up attempts are counted by our forms
# ("login_attempt", "signup_attempt") so a refusal keeps what was typed;
# allauth's view-level "login" and "signup" would answer with a bare 429
# page, so they are off. Others keep allauth's defaults ("confirm_email",
# "reset_password_from_key", "change_password"...).
ACCOUNT_RATE_LIMITS = {
    "login": None,
    "signup": None,
    "login_attempt": "100/10m/ip",
    "signup_attempt": "60/h/ip,200/d/ip",
    "login_failed": "60/h/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# The browser that signed in to an account before (cms/accounts.py): a signed
# digest of the email, named on the cookies page (cms/service_pages.py).
DEVICE_COOKIE_NAME = "mc_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Abuse limits ---------------------------------------------------------------
# Override per action, e.g. {"comment": {"user": "20/m"}}; see ideas/ratelimits.py.
RATE_LIMITS = {}
# Words that send a submission or comment to the moderation queue, comma-separated.
BLOCKED_TERMS = [t.strip().lower() for t in os.environ.get("BLOCKED_TERMS", "").split(",") if t.strip()]
NEW_ACCOUNT_LINK_HOLD_HOURS = 24
# Flags count towards holding an item only from people of standing: a verified
# email and an account this many days old, or public contributions that old.
FLAG_STANDING_DAYS = int(os.environ.get("FLAG_STANDING_DAYS") or 7)

# --- Email ------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mission Commons <no-reply@missioncommons.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Content-Security-Policy and Permissions-Policy (cms/headers.py) ----------
# Our own origin only; inline <script> only with the request's nonce
# (templates use {{ request.csp_nonce }}); no inline styles. 'self' covers the
# live-update WebSocket on the same host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# What the Wagtail admin (/admin/) needs beyond that, replacing the directives
# named: its InlinePanel and date widgets carry inline <script>, its templates
# and Draftail set style attributes, and the page preview is an iframe of the
# admin itself. Still nothing from another origin.
ADMIN_CONTENT_SECURITY_POLICY = {
    "script-src": [SELF, "'unsafe-inline'"],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:", "blob:"],
    "frame-src": [SELF],
    "frame-ancestors": [SELF],
}
# Gravatar would be the admin's only third-party request (and tells it who signs in).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The dashboard's release check calls releases.wagtail.io from the browser.
WAGTAIL_ENABLE_UPDATE_CHECK = False
PERMISSIONS_POLICY_DENY = [
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen",
    "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
    "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
    "xr-spatial-tracking",
]

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # "prize_files", applications' files: below (prize_files_storage).
}


def prize_files_storage(s3, data_dir):
    """STORAGES["prize_files"], applications' files: a private folder
    outside MEDIA_ROOT (so no URL serves them; only prizes' download view
    reads them, to those allowed to see them), or, when a bucket
    is named, any S3-compatible store through django-storages (its OPTIONS
    names), private objects (`default_acl`) and signed, expiring URLs
    (`querystring_auth`; the site serves the files itself anyway). Empty
    keys leave boto3 to find credentials (an instance role, AWS_* variables)."""
    if not s3.get("bucket_name"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(Path(data_dir) / "private" / "prize-files"), "base_url": None}}
    options = {"default_acl": "private", "querystring_auth": True, "querystring_expire": 300,
               "file_overwrite": False, "location": "prize-files"}
    options.update({key: value for key, value in s3.items() if value})
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# Applications' files on an S3-compatible store (README "Challenge prizes"):
# set the bucket; the endpoint for a store other than AWS (MinIO, Ceph...).
PRIZE_FILES_S3 = {
    "bucket_name": os.environ.get("PRIZE_FILES_S3_BUCKET", ""),
    "endpoint_url": os.environ.get("PRIZE_FILES_S3_ENDPOINT_URL", ""),
    "region_name": os.environ.get("PRIZE_FILES_S3_REGION", ""),
    "access_key": os.environ.get("PRIZE_FILES_S3_ACCESS_KEY_ID", ""),
    "secret_key": os.environ.get("PRIZE_FILES_S3_SECRET_ACCESS_KEY", ""),
}
STORAGES["prize_files"] = prize_files_storage(PRIZE_FILES_S3, DATA_DIR)
# Virus scanning of applications' files by ClamAV's daemon (prizes/scanning.py):
# tcp://host:3310 or unix:///run/clamav/clamd.ctl. Empty: files are NOT
# scanned (stored as "unscanned" and served).
CLAMD_URL = os.environ.get("CLAMD_URL", "")
CLAMD_INLINE_TIMEOUT = 5    # seconds an upload waits for clamd before the worker takes over
CLAMD_WORKER_TIMEOUT = 120  # seconds the worker waits for one file
WHITENOISE_USE_FINDERS = True

WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_I18N_ENABLED = False

DEMO_ACCOUNTS_FILE = DATA_DIR / "demo-accounts.json"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "missioncommons": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
# The worker's own log (`run_huey`: tasks started, finished, retried), once:
# run_huey adds a handler of its own to "huey" unless it has one already.
LOGGING["loggers"]["huey"] = {"handlers": ["console"], "level": "INFO", "propagate": False}

from .sso import *  # noqa: E402,F401,F403  (sign-in: verified email, single sign-on)
