"""Settings for the scorecards site, read from the environment.

With nothing set the app runs for local use (DEBUG on, a development secret key,
SQLite in the project folder). With DEBUG=0 it refuses to start without SECRET_KEY
and ALLOWED_HOSTS, and `manage.py check --deploy` is clean.
"""

import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from hiring_site.env import check_secret_key, env_bool, env_int, env_list, env_str
from hiring_site.release import release
from hiring_site.sso import config as sso_config
from roles.blueprint import limits

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str(
        "SECRET_KEY", "django-insecure-local-development-only-key-not-for-production"
    )
else:
    SECRET_KEY = check_secret_key(
        env_str("SECRET_KEY", required_reason="when DEBUG is off (a long random string)")
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if "://" not in _origin:
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entry {_origin!r} needs a scheme, e.g. https://{_origin}."
        )

INSTALLED_APPS = [
    "hiring_site.apps.AdminConfig",  # django.contrib.admin, for administrators and recruiters
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "roles",
    "hiring",
    "scorecards",
    # Above the three apps: the outbox listens to their events (hiring.events,
    # scorecards.events).
    "webhooks",
    # The REST API, above the three apps (it imports them all).
    "api",
    # Last: the project package, on top of the three apps (its commands span them all).
    "hiring_site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy everywhere, and no-store on all but the static files.
    "hiring_site.middleware.ResponseHeaders",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hiring_site.middleware.HeadAsGet",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Times read and entered in the person's own time zone (their profile).
    "hiring_site.middleware.UserTimeZone",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The app's 400, 403 and 404 pages for what views raise, with DEBUG on too.
    "hiring_site.middleware.ErrorPages",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on; it answers only the provider's callback (hiring_site.sso).
    "hiring_site.sso.backend.OIDCBackend",
]
# Single sign-on through an OpenID Connect provider (OIDC_* variables,
# hiring_site/sso/config.py): None when none is configured.
SSO = sso_config.from_environment(debug=DEBUG)
# PASSWORD_LOGIN=0 leaves single sign-on the only way in (the login page and the
# admin's refuse a password); it needs a provider configured.
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)
if not PASSWORD_LOGIN and SSO is None:
    raise ImproperlyConfigured(
        "PASSWORD_LOGIN=0 needs single sign-on (OIDC_ISSUER or OIDC_DISCOVERY_URL): "
        "otherwise nobody could log in."
    )
# mozilla-django-oidc's fixed settings; the provider's come from SSO and its discovery.
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
OIDC_STORE_ID_TOKEN = True  # for the provider's end-session request at sign-out
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
# Login throttling: after 5 failures for one username from one address, that pair is
# locked out for 15 minutes. Attempts live in the database, so every app server agrees.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind a proxy, PROXY_COUNT says how many proxies append to X-Forwarded-For; without
# it the header is ignored, so a client cannot dodge the throttle by forging it.
_proxy_count = env_int("PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = _proxy_count or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if _proxy_count else ["REMOTE_ADDR"]
)

ROOT_URLCONF = "hiring_site.urls"

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
                "hiring_site.context_processors.navigation",
            ],
        },
    },
]

# Widget templates from the project's engine, so a widget of the app keeps its template
# under templates/ (hiring/widgets/person_picker.html) beside Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "hiring_site.wsgi.application"

_default_db = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
_database_url = env_str("DATABASE_URL", _default_db)
try:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL this app knows: {exc}"
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Parameters bound by the server, and each statement a connection runs a few times
    # planned once (psycopg's prepare_threshold): with persistent connections, the
    # planning of the pages' joins was a good part of their time. Turn it off behind a
    # pooler in transaction mode (PgBouncer without max_prepared_statements).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests writing at once (autosave) must wait for the lock, not fail. In
    # write-ahead-log mode readers never wait for a writer, and a commit does not wait
    # for the disk (synchronous=NORMAL: a power cut may lose the last commits, never
    # corrupt the file), which otherwise costs every write tens of milliseconds.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# The cache keeps what is computed from each application's cards (hiring/results_cache.py)
# under its panel_version; KEY_PREFIX carries the code's release (RELEASE, or a digest of
# the source), so a deploy never reads entries older code wrote. Local memory is per
# process; with several worker processes or app servers, set REDIS_URL (e.g.
# redis://cache-host:6379/0) so they share one cache.
RELEASE = release()
_redis_url = env_str("REDIS_URL", "")
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": f"scorecards:{RELEASE}",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": RELEASE,
            # A few entries per application; the default 300 would cull a large pipeline.
            "OPTIONS": {"MAX_ENTRIES": 30000},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
# The app's date formats (hiring_site/formats/en/formats.py): one for a moment, one for a day.
FORMAT_MODULE_PATH = ["hiring_site.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
# The app speaks English only (no translations, no LocaleMiddleware): with the
# translation machinery off, Django's date filter, reverse() and get_format no longer
# look up the active language per call (a thread-local read each), some 0.3 to 0.5 ms
# of a list page's 25 rows. Output is the same: Django's English is its default.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
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

if DEBUG:
    # Locally static files come from the finders; the collectstatic folder may not exist yet.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads: blueprints are text files of tens of kilobytes; refuse anything huge early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The role editor posts a whole revision in one form: at the limits of a role
# (roles/blueprint/limits.py) that is up to EDITOR_MAX_FIELDS fields, past Django's
# default of 1,000, and a role the editor shows must save. Lowering the limits instead
# would refuse blueprints the parser reads; the memory limit above still bounds a post.
DATA_UPLOAD_MAX_NUMBER_FIELDS = limits.EDITOR_MAX_FIELDS
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
# Bytes of a file past this are not kept (the form refuses it by name and real size).
UPLOAD_FILE_MAX_BYTES = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "hiring_site.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "scorecards@localhost")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds `send_outbox` waits on the mail server.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# Seconds the one attempt made right after a request's commit waits on the mail server
# (hiring.outbox): a slow or absent server must not hold the page up; send_outbox retries.
EMAIL_REQUEST_TIMEOUT = env_int("EMAIL_REQUEST_TIMEOUT", 3)
# The address people use to reach the app, for links in emails (reminders).
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
# Days an invitation's link to set a password stays valid (hiring_site/people.py).
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 3)
if not 1 <= INVITATION_EXPIRY_DAYS <= 90:
    raise ImproperlyConfigured(
        f"INVITATION_EXPIRY_DAYS={INVITATION_EXPIRY_DAYS} is not a number of days from 1 to 90."
    )

# How long a candidate's data is kept once their last application closed (a decision or
# a withdrawal), in days: `manage.py apply_retention` (run it daily from cron) erases
# those past it. 0 or unset: off, nothing is erased by age.
RETENTION_DAYS = env_int("RETENTION_DAYS", 0)
if RETENTION_DAYS < 0:
    raise ImproperlyConfigured(
        f"RETENTION_DAYS={RETENTION_DAYS} is negative; use a number of days, or 0 for off."
    )

# The REST API (/api/v1/, the api app): personal tokens (Authorization: Bearer) or the
# browser's session with its CSRF check; every request needs a user; lists in pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: its 401 answer names the Bearer scheme (WWW-Authenticate).
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests one token (or one person's session) may make: "<n>/<second|minute|hour|day>".
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "300/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Scorecards API",
    "DESCRIPTION": (
        "Roles, candidates, applications, interviews, scorecards, panels, decisions and "
        "calibration figures, under the same access rules and blindness as the pages. "
        "Authenticate with a personal token (your profile page, or `manage.py "
        "create_api_token`): `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Operations grouped by what they are about (roles, candidates, ...), not by "v1".
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "hiring.models.Application.Status",
        "CardStateEnum": "hiring.models.CardState",
        "DecisionOutcomeEnum": "hiring.models.Decision.Outcome",
        "RevisionStatusEnum": "roles.models.RoleRevision.Status",
        "ScorecardStatusEnum": "scorecards.models.Scorecard.Status",
        "CardRecommendationEnum": "scorecards.models.Scorecard.Recommendation",
    },
}

X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere in the app's pages: everything comes from /static/.
# The Django admin keeps a few inline snippets of its own, so it is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The provider's pages: signing out posts here, then goes on to end its session.
        "form-action": [SELF, *(SSO.origins() if SSO else [])],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page uses, turned off (hiring_site.middleware.ResponseHeaders).
PERMISSIONS_POLICY_DISABLED = (
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
)
# A form refused by the CSRF check gets the app's 403 page, saying what to do.
CSRF_FAILURE_VIEW = "hiring_site.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint (the interview kit's PDF) logs each step of every PDF at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
