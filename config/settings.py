"""Settings for the catalogue: one module, every knob from the environment.

See README.md ("Configuration") for the variables and `.env.example` for a template.
"""

import ipaddress
import os
import urllib.parse
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envfloat(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number (seconds), not {value!r}") from None


def is_local_host(host: str) -> bool:
    """localhost, or a loopback or unspecified address (127.0.0.1, ::1, 0.0.0.0)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


# On by default so that a fresh clone's manage.py works; production sets DEBUG=false, and the
# Procfile's release step runs `check --deploy --fail-level WARNING`, which fails if it did not.
DEBUG = envbool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
BEHIND_PROXY = envbool("BEHIND_PROXY", False)  # one proxy in front: trust its X-Forwarded-* headers
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("SITE_NAME", "EconCat")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # for links in e-mails

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",  # its tables always; a login only with ORCID_CLIENT_ID (below)
    "allauth.socialaccount.providers.orcid",
    "axes",
    "simple_history",
    "corsheaders",
    "ninja",  # the API's docs page from our own static files, not a CDN (catalogue/api/)
    "catalogue",
]

MIDDLEWARE = [
    # first: /healthz and /readyz before host checking and the HTTPS redirect (a load balancer
    # calls them by address); a database that is down becomes a 503 page (views/health.py)
    "catalogue.views.health.HealthMiddleware",
    # which database a request reads from: a streaming replica for public GETs, the primary for
    # whoever wrote in the last REPLICA_PIN_SECONDS (a cookie); nothing without replicas (D25)
    "catalogue.views.replicas.ReplicaMiddleware",
    # the JSON API (/api/): CORS headers on every answer, cached or not, then its limit per
    # client (429), both before the page cache so that a cached answer counts and is shared
    "corsheaders.middleware.CorsMiddleware",
    "catalogue.views.throttle.ApiThrottleMiddleware",
    "catalogue.api.middleware.HeadAsGetMiddleware",
    # anonymous GETs of public pages from the page cache, whole (the headers of every middleware
    # below kept with them), before any session, query or middleware work (issue 17)
    "catalogue.views.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy: see CONTENT_SECURITY_POLICY below
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # before any view or middleware looks a part of the address up: PostgreSQL refuses NUL
    "catalogue.views.nul_bytes.RefuseNulBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who made a correction
    # search, exports, feeds and filtered lists: a limit per address a person never meets (429)
    "catalogue.views.throttle.ThrottleMiddleware",
    # last: turns django-axes' lockouts into a 429 page
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
                "catalogue.context_processors.site",
                "catalogue.context_processors.author",
            ],
        },
    },
]

# Database: SQLite file by default; DATABASE_URL=postgres://... for production and tests.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_health_checks=True,
    )
}


def postgres_options(database: Any) -> None:  # a dj_database_url.DBConfig
    """What every PostgreSQL alias gets, the primary's and the replicas' alike."""
    # No JIT: the site's statements are short, and JIT compiling (50-60 ms) kicks in when the
    # planner overestimates a join; it tripled search's p95 (DECISIONS.md, "PostgreSQL JIT off").
    options = database.setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    options.setdefault("connect_timeout", envint("DATABASE_CONNECT_TIMEOUT", 2))  # libpq's minimum
    if envbool("DATABASE_POOL", True):
        # psycopg's pool is per process (and per alias); keep workers x max_size below max_connections.
        database["CONN_MAX_AGE"] = 0
        options["pool"] = {
            "min_size": envint("DATABASE_POOL_MIN", 1),
            "max_size": envint("DATABASE_POOL_MAX", 4),
            # when PostgreSQL is down a page waits this long, then answers 503 (views/health.py)
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT") or 1),
        }
    else:
        database["CONN_MAX_AGE"] = envint("CONN_MAX_AGE", 600)


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    postgres_options(DATABASES["default"])
else:
    DATABASES["default"]["CONN_MAX_AGE"] = envint("CONN_MAX_AGE", 600)
    # The web server, the worker and the scheduler write at once in development (`make run`):
    # WAL lets readers go on while one writes; a writer waits up to SQLITE_TIMEOUT seconds for
    # another, and takes the write lock when its transaction begins (IMMEDIATE), so two
    # transactions never both read and then both try to write ("database is locked" at once).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": envint("SQLITE_TIMEOUT", 20),
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Streaming replicas (DECISIONS.md, D25): DATABASE_REPLICA_URL, one URL or several separated by
# commas, become the aliases replica_1..replica_n. Public GETs read from a replica that has
# replayed the primary's WAL of at most REPLICA_MAX_LAG_SECONDS ago (checked every
# REPLICA_CHECK_SECONDS in each process); a client that wrote reads the primary for
# REPLICA_PIN_SECONDS (a cookie), which must exceed the lag allowed plus the check's interval.
REPLICA_URLS = envlist("DATABASE_REPLICA_URL", "")
REPLICA_PIN_SECONDS = envfloat("REPLICA_PIN_SECONDS", 10)
REPLICA_MAX_LAG_SECONDS = envfloat("REPLICA_MAX_LAG_SECONDS", 5)
REPLICA_CHECK_SECONDS = envfloat("REPLICA_CHECK_SECONDS", 1)
if REPLICA_URLS:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL to be PostgreSQL (replicas stream from it)")
    for number, url in enumerate(REPLICA_URLS, start=1):
        replica = dj_database_url.parse(url, conn_health_checks=True)
        if replica["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured(f"DATABASE_REPLICA_URL must list postgres:// URLs, not {url.split(':')[0]!r}")
        postgres_options(replica)
        replica["TEST"] = {"MIRROR": "default"}  # the test runner makes no database for it
        DATABASES[f"replica_{number}"] = replica
    DATABASE_ROUTERS = ["config.replicas.ReplicaRouter"]


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# -- accounts: django-allauth (sign-up, e-mail confirmation, password reset, its rate limits)
# and django-axes (locks out repeated failed logins, on /admin/ and /accounts/ alike).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",  # the admin's username login
    "allauth.account.auth_backends.AuthenticationBackend",  # e-mail login
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_account"
# A correction goes through the admin's checks (catalogue.corrections); reverting from the
# history page would write an old version back without them, so the history only shows.
SIMPLE_HISTORY_REVERT_DISABLED = True
ACCOUNT_ADAPTER = "catalogue.readers.adapter.AccountAdapter"  # e-mails greet with SITE_NAME
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True  # sign-up and reset answer alike for a known address
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{os.environ.get('SITE_NAME', 'EconCat')}] "
# allauth's limits, per client address and per e-mail address (its defaults, written out so
# that they are on record): they count in the cache, so production needs REDIS_URL shared
# by every worker.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/180s/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# Logging in with ORCID (catalogue/readers/orcid): on when the client id and secret of an ORCID
# API client are set; sandbox.orcid.org for ORCID's sandbox; the member API with ORCID_MEMBER.
ORCID_CLIENT_ID = os.environ.get("ORCID_CLIENT_ID", "")
ORCID_CLIENT_SECRET = os.environ.get("ORCID_CLIENT_SECRET", "")
ORCID_BASE_DOMAIN = os.environ.get("ORCID_BASE_DOMAIN", "orcid.org")
ORCID_MEMBER = envbool("ORCID_MEMBER", False)
# The addresses themselves (ORCID_BASE_URL: the authorize page; ORCID_API_URL: token and record)
# follow from the domain; set directly only for `make run`'s stand-in of ORCID on loopback
# (manage.py orcid_standin), which is refused unless DEBUG is on: production talks to ORCID, by https.
ORCID_BASE_URL = (os.environ.get("ORCID_BASE_URL") or f"https://{ORCID_BASE_DOMAIN}").rstrip("/")
ORCID_API_URL = (
    os.environ.get("ORCID_API_URL") or f"https://{'api' if ORCID_MEMBER else 'pub'}.{ORCID_BASE_DOMAIN}"
).rstrip("/")
for _name, _url in (("ORCID_BASE_URL", ORCID_BASE_URL), ("ORCID_API_URL", ORCID_API_URL)):
    if not _url.startswith(("http://", "https://")) or not urllib.parse.urlsplit(_url).hostname:
        raise ImproperlyConfigured(f"{_name} must be an address (https://...), not {_url!r}")
    if (not _url.startswith("https://") or is_local_host(urllib.parse.urlsplit(_url).hostname or "")) and not DEBUG:
        raise ImproperlyConfigured(
            f"{_name} is {_url}: a stand-in of ORCID (http or loopback) only with DEBUG on; production uses https://orcid.org"
        )
SOCIALACCOUNT_ADAPTER = "catalogue.readers.orcid.accounts.SocialAccountAdapter"  # the app from the above only
SOCIALACCOUNT_PROVIDERS = {
    "orcid": {
        "provider_class": "catalogue.readers.orcid.provider.OrcidProvider",
        "BASE_DOMAIN": ORCID_BASE_DOMAIN,
        "MEMBER_API": ORCID_MEMBER,
    }
}
SOCIALACCOUNT_STORE_TOKENS = False  # the iD is all the site keeps of ORCID
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)  # hours
AXES_LOCKOUT_PARAMETERS = "catalogue.readers.accounts.axes_lockout_parameters"  # and per address on /admin/
AXES_USERNAME_CALLABLE = "catalogue.readers.accounts.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
# behind one proxy (BEHIND_PROXY), both take the client's address from X-Forwarded-For
AXES_IPWARE_PROXY_COUNT = 1 if BEHIND_PROXY else None
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0

# E-mail: printed on the console unless an SMTP host is given.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# a mail server that does not answer fails a send in this many seconds (it is then tried again)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
# Who hears of a scheduled job that failed for good (catalogue/tasks/runs.py): comma-separated
# e-mail addresses; none by default.
ADMINS = [(address, address) for address in envlist("ADMINS", "")]
# the address the Contact page gives readers for the site itself (corrections of an item go to
# its archive's maintainer, named on the item's page)
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", ADMINS[0][1] if ADMINS else DEFAULT_FROM_EMAIL)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Redis may fail without failing a page (config/cache.py): short timeouts (REDIS_TIMEOUT seconds,
# connect and read), errors are misses; the default cache falls back meanwhile to the process's
# memory (so allauth's rate limits keep counting), the statistics buffer drops the hits.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT") or 0.3)


def _redis_or_files(prefix: str, folder_variable: str, folder: str, max_entries: int) -> dict[str, Any]:
    """A cache that other processes see: Redis (its keys under `prefix`) when REDIS_URL is set,
    else files in the folder `folder_variable` names (default `folder` under BASE_DIR)."""
    if os.environ.get("REDIS_URL"):
        return {
            "BACKEND": "config.cache.SafeRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
            "OPTIONS": {"TIMEOUT": REDIS_TIMEOUT},
        }
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get(folder_variable) or str(BASE_DIR / folder),
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "config.cache.SafeRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"TIMEOUT": REDIS_TIMEOUT, "FALLBACK": True},
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # the buffer of usage counts (catalogue/stats/counting.py): outside the web processes, so
    # that `manage.py flush_stats` reads it and a restart loses nothing. Redis in production;
    # else files, shared by the processes of one machine (its increments are not atomic).
    "stats": _redis_or_files("stats", "STATS_BUFFER_DIR", ".stats-buffer", 1_000_000),
}
STATS_CACHE = "stats"
# The page cache (catalogue/pagecache, catalogue/views/pagecache.py): rendered public pages for
# anonymous readers, in this cache alias, for at most this many seconds (0: off). A write makes
# the pages it touches stale at once; the expiry only bounds what a cache outage could leave.
# Redis in production, without the fallback to process memory (during an outage pages are
# rendered, never stored where other processes cannot see a write); else files, shared by the
# processes of one machine (web and worker), so a correction reaches every process.
PAGE_CACHE = "pages"
CACHES["pages"] = _redis_or_files("pages", "PAGE_CACHE_DIR", ".page-cache", 20_000)
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 0 if DEBUG else 3600)  # off in development: templates change
# What a shared cache in front (a CDN, Varnish) may keep a page before it asks again with its
# ETag (s-maxage, and as long again stale while it revalidates); browsers always ask again.
# Search, exports, feeds and lists asked with a query, rendered for one address in a minute
# before it gets 429 (catalogue/views/throttle.py); 0: no limit. Cached pages do not count.
COSTLY_PAGES_PER_MINUTE = envint("COSTLY_PAGES_PER_MINUTE", 60)
PAGE_CACHE_SHARED_SECONDS = envint("PAGE_CACHE_SHARED_SECONDS", 60)
# The public JSON API (catalogue/api/, DECISIONS.md D22): requests per client address and
# minute, answered or cached, before 429 with Retry-After; 0: no limit.
API_ANON_PER_MINUTE = envint("API_ANON_PER_MINUTE", 120)
# Any site may read the API from a browser (GET only, no cookies): CORS on /api/ alone.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["Retry-After"]
# Where a write's tags are purged (a PURGE request with a Surrogate-Key header: Varnish with
# xkey, Fastly); empty: no purge, a shared cache waits for s-maxage.
CACHE_PURGE_URL = os.environ.get("CACHE_PURGE_URL", "")
STATS_COUNTING = envbool("STATS_COUNTING", True)  # abstract views and downloads
STATS_REPEAT_SECONDS = envint("STATS_REPEAT_SECONDS", 30)  # a client's repeats on an item count once

# Security: strict by default in production (DEBUG off); `check --deploy` is clean.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): scripts, styles and everything else from our own
# origin only; no inline script or style (no nonces either: pages may be cached, and a nonce
# baked into cached HTML is no nonce). Report-only while DEBUG (CSP_REPORT_ONLY), so a
# developer sees in the browser's console what would break without it blocking.
# tests/browser/test_csp_browser.py fails on any violation.
_CSP_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
_csp_report_only = envbool("CSP_REPORT_ONLY", DEBUG)  # not a setting: django-csp 3 used the name
CONTENT_SECURITY_POLICY = None if _csp_report_only else _CSP_POLICY
CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP_POLICY if _csp_report_only else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Pages: how many rows a list page shows.
PAGE_SIZE = envint("PAGE_SIZE", 50)

# ReDIF files uploaded in the admin (/admin/catalogue/upload-redif/): at most this many bytes at once.
REDIF_UPLOAD_MAX_BYTES = envint("REDIF_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)

# The covering column (INCLUDE) of the cited-by index is PostgreSQL's; SQLite builds the
# index on its key columns alone, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# -- the task queue (issue 15; DECISIONS.md, D17): Celery, its app in config/celery.py ----------
# Files the processes keep: the embedded broker's messages, the scheduler's state.
VAR_DIR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var")
# Redis (redis://...) or RabbitMQ (amqp://...) in production; by default the filesystem transport,
# which needs nothing installed: messages are files under VAR_DIR/broker, shared by the processes
# of one machine (config/celery.py makes the folders).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
_broker_folder = str(VAR_DIR / "broker" / "queue")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = (
    {
        "data_folder_in": _broker_folder,
        "data_folder_out": _broker_folder,
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem:")
    else {
        # a broker that is gone fails a publish within seconds (the enqueue is then logged and
        # dropped: catalogue/tasks/enqueue.py), never hangs the web request that enqueued
        "socket_timeout": float(os.environ.get("CELERY_BROKER_TIMEOUT") or 2),
        "socket_connect_timeout": float(os.environ.get("CELERY_BROKER_TIMEOUT") or 2),
        "max_retries": 1,
    }
)
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_TIMEOUT") or 2)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # a worker waits for its broker; a web request does not
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# No result backend: each run is recorded in the database (JobRun, shown in the admin).
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_RESULT_EXPIRES = None  # and so no celery.backend_cleanup job either
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs: a worker takes one at a time
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # LOGGING above decides
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULER = "config.celery:Scheduler"  # a job never run is due at once (config/celery.py)
# Tests run tasks in the caller (tests/conftest.py sets it on the app); never in production.
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)

# The schedule: every periodic job, each interval in seconds overridable from the environment
# (README, "Scheduled jobs", lists the same; tests/tasks/test_schedule.py holds them together).
SCHEDULE_DEFAULTS = {
    # name: (task, environment variable, default seconds)
    "flush-stats": ("catalogue.tasks.flush_stats", "SCHEDULE_FLUSH_STATS_SECONDS", 300),
    "refresh-stats": ("catalogue.tasks.refresh_stats", "SCHEDULE_REFRESH_STATS_SECONDS", 86400),
    "harvest-archives": ("catalogue.tasks.harvest_archives", "SCHEDULE_HARVEST_ARCHIVES_SECONDS", 86400),
    # after each import or harvest, and hourly to catch up with a trigger that was lost
    "match-and-relate": ("catalogue.tasks.match_and_relate", "SCHEDULE_MATCH_AND_RELATE_SECONDS", 3600),
    "clean-expired": ("catalogue.tasks.clean_expired", "SCHEDULE_CLEAN_EXPIRED_SECONDS", 86400),
    # the open-data dump (catalogue/opendata; README, "Open data")
    "dump-catalogue": ("catalogue.tasks.dump_catalogue", "SCHEDULE_DUMP_CATALOGUE_SECONDS", 86400),
    # the alerts (catalogue/alerts; README, "E-mail alerts"): NEP issues "as it happens" within a
    # minute; weekly and monthly digests and the author report once their period has ended
    "send-alerts": ("catalogue.tasks.send_alerts", "SCHEDULE_SEND_ALERTS_SECONDS", 30),
}
# HARVEST_SCHEDULED=false leaves the daily harvest out (`make run`: the demo archives' URLs are
# placeholders on example.org, which a development machine must not call); the command and the
# admin's "harvest now" still harvest.
HARVEST_SCHEDULED = envbool("HARVEST_SCHEDULED", True)
CELERY_BEAT_SCHEDULE = {
    name: {"task": task, "schedule": float(envint(variable, seconds))}
    for name, (task, variable, seconds) in SCHEDULE_DEFAULTS.items()
    if HARVEST_SCHEDULED or name != "harvest-archives"
}
# What follows an import (catalogue/changes: after_import): a callable's dotted path, called on
# commit once an import, an upload or a harvest wrote something; empty: nothing follows.
AFTER_IMPORT = os.environ.get("AFTER_IMPORT", "catalogue.tasks.enqueue.match_and_relate_soon")
# The open-data dump (catalogue/opendata): its generations and the `current` link to the newest,
# served at /data/<file> (or by a proxy straight from OPEN_DATA_DIR/current/).
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR") or VAR_DIR / "opendata")
# Runs of jobs (JobRun) and axes' access logs older than this are deleted by clean-expired.
JOB_RUNS_KEEP_DAYS = envint("JOB_RUNS_KEEP_DAYS", 30)
ACCESS_LOGS_KEEP_DAYS = envint("ACCESS_LOGS_KEEP_DAYS", 90)
MAILINGS_KEEP_DAYS = envint("MAILINGS_KEEP_DAYS", 180)  # the record of each message sent (catalogue.alerts)

# E-mail alerts and the monthly author report (issue 19, catalogue/alerts; DECISIONS.md, D29).
ALERTS_FROM_EMAIL = os.environ.get("ALERTS_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# a period's news are read this many seconds after its end, so that an import committing at
# that moment is not missed
ALERTS_SETTLE_SECONDS = envint("ALERTS_SETTLE_SECONDS", 15)

# Harvesting archives (issue 15, catalogue/harvest/): how politely, and how safely.
HARVEST_DELAY = float(os.environ.get("HARVEST_DELAY", "1.0"))  # seconds between two requests to one host
HARVEST_TIMEOUT = float(os.environ.get("HARVEST_TIMEOUT", "30"))  # seconds to connect, and between two reads
HARVEST_MAX_BYTES = envint("HARVEST_MAX_BYTES", 50 * 1024 * 1024)  # a bigger file is refused, not imported
HARVEST_RETRIES = envint("HARVEST_RETRIES", 3)  # further tries of a timeout, a 5xx or a reset, with backoff
HARVEST_ALLOW_PRIVATE = envbool("HARVEST_ALLOW_PRIVATE", False)  # private, loopback, link-local addresses too
# networks allowed though private (an operator's own mirror): 10.1.2.0/24,192.0.2.7
HARVEST_ALLOW_NETWORKS = envlist("HARVEST_ALLOW_NETWORKS", "")
HARVEST_CONTACT = os.environ.get("HARVEST_CONTACT", DEFAULT_FROM_EMAIL)  # in the User-Agent
# Archives whose files may register and update any archive (RePEc's list of all archives);
# any other archive's Archive templates count only for itself.
HARVEST_REGISTRY_ARCHIVES = envlist("HARVEST_REGISTRY_ARCHIVES", "")

# OAI-PMH provider at /oai (catalogue/oai/; DECISIONS.md, D20)
OAI_REPOSITORY_ID = os.environ.get("OAI_REPOSITORY_ID", "econcat")  # identifiers: oai:econcat:<handle>
OAI_PAGE_SIZE = envint("OAI_PAGE_SIZE", 100)  # records (or headers) per response; then a resumptionToken
OAI_TOKEN_SECONDS = envint("OAI_TOKEN_SECONDS", 24 * 3600)  # a resumptionToken expires after this
OAI_ADMIN_EMAIL = os.environ.get("OAI_ADMIN_EMAIL", ADMINS[0][1] if ADMINS else DEFAULT_FROM_EMAIL)
