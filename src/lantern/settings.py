"""Lantern's settings, read from the environment (12-factor) through ``lantern.environment``.

``LANTERN_ENV`` is ``local`` (the default: ``make run`` and the tests) or ``production``.
Production refuses to start without an explicit ``SECRET_KEY`` and ``ALLOWED_HOSTS``, sends
cookies only over HTTPS and requires a second factor for every account. Importing this
module writes no file: ``lantern`` creates ``var/`` and the local keys before Django starts
(``environment.prepare_local_files``).
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from lantern import environment as env

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = env.base_dir()
VAR_DIR = env.var_dir()

LANTERN_ENV = env.text("LANTERN_ENV", "local")
if LANTERN_ENV not in {"local", "production"}:
    raise ImproperlyConfigured("LANTERN_ENV must be 'local' or 'production'.")
PRODUCTION = LANTERN_ENV == "production"


SECRET_KEY = env.text("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when LANTERN_ENV=production.")
    SECRET_KEY = env.local_secret(VAR_DIR, "secret_key")

DEBUG = not PRODUCTION and env.flag("DEBUG", default=False)

ALLOWED_HOSTS = env.items(
    "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when LANTERN_ENV=production.")

# Victims' personal data is encrypted at rest (docs/adr/0013-encrypted-fields.md). The field
# key is derived from SECRET_KEY and the first of these salts; older salts (and
# SECRET_KEY_FALLBACKS) still decrypt what they encrypted, which is how keys are rotated.
SALT_KEY = env.items("LANTERN_FIELD_ENCRYPTION_SALTS")
if not SALT_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "LANTERN_FIELD_ENCRYPTION_SALTS must be set when LANTERN_ENV=production."
        )
    SALT_KEY = [env.local_secret(VAR_DIR, "field_encryption_salt")]
SECRET_KEY_FALLBACKS = env.items("SECRET_KEY_FALLBACKS")

# Backups (docs/adr/0023-backup-and-restore.md): `lantern backup` encrypts with the first
# of these keys (comma-separated, newest first); `lantern restore` tries each. Required in
# production (`lantern check --deploy` says so); locally generated once into var/.
LANTERN_BACKUP_KEY = env.text("LANTERN_BACKUP_KEY")
if not LANTERN_BACKUP_KEY and not PRODUCTION:
    LANTERN_BACKUP_KEY = env.local_secret(VAR_DIR, "backup_key")
# Where `lantern backup` writes; in production a mounted volume copied off the machine.
LANTERN_BACKUP_DIR = env.text("LANTERN_BACKUP_DIR", "" if PRODUCTION else str(VAR_DIR / "backups"))

CSRF_TRUSTED_ORIGINS = env.items("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lantern.core",
    "lantern.accounts",
    "lantern.public",
    "lantern.intelligence",
    "lantern.entities",
    "lantern.safeguarding",
    "lantern.operations",
    "lantern.outreach",
    "lantern.evaluation",
    "lantern.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "knox",
    "django_countries",
    "django_tasks_db",
    # Scheduled work and the background jobs page; last, as it sits above every app.
    "lantern.housekeeping",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lantern.core.middleware.NoStoreMiddleware",
    "lantern.core.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lantern.core.middleware.UnreadableInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "lantern.core.middleware.NotFoundMiddleware",
]

ROOT_URLCONF = "lantern.urls"
WSGI_APPLICATION = "lantern.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lantern.core.context_processors.navigation",
                "lantern.core.context_processors.session_timeout",
                "lantern.public.context_processors.portal",
            ],
        },
    },
]
FORM_RENDERER = "lantern.core.forms.GovukFormRenderer"

# Databases: SQLite in var/ unless DATABASE_URL says otherwise. SQLite runs in WAL mode
# with immediate transactions so that concurrent writers queue instead of failing.
DATABASES = {
    "default": dj_database_url.parse(
        env.text("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lantern.sqlite3'}"),
        conn_max_age=env.integer("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.text("REDIS_URL"),
        }
        if env.text("REDIS_URL")
        # Shared by every worker of `lantern serve`, so that rate limits hold across them.
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    )
}

# Accounts and log-in security.
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "lantern.accounts.sso.ProviderBackend",
]
# Single sign-on through an organisation's own OpenID Connect provider (mozilla-django-oidc;
# docs/adr/0028-accounts-sso-and-access-review.md). Each provider's endpoints, client and
# secret are in the database, per organisation; these are the protocol's fixed choices.
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_RP_SCOPES = "openid email profile"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False
OIDC_TIMEOUT = env.integer("OIDC_TIMEOUT", 10)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "lantern.accounts.validators.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Joiners and leavers (docs/adr/0026-accounts.md): invitation links last INVITATION_HOURS;
# a reset link an hour; accounts unused for ACCOUNT_IDLE_DAYS are flagged to their
# organisation's administrator and deactivated ACCOUNT_IDLE_GRACE_DAYS later unless confirmed.
# Whether organisation administrators may remove a lost authenticator of their own staff
# (never an administrator's, never a role that needs a second approval).
ORGANISATION_ADMINS_RESET_SECOND_FACTOR = env.flag(
    "ORGANISATION_ADMINS_RESET_SECOND_FACTOR", default=True
)
# The periodic access review: every ACCESS_REVIEW_MONTHS (a quarter) each organisation's
# administrator confirms its users; reminded every ACCESS_REVIEW_REMINDER_DAYS, reported to
# the hub coordinators when not confirmed ACCESS_REVIEW_GRACE_DAYS after it opened.
ACCESS_REVIEW_MONTHS = env.integer("ACCESS_REVIEW_MONTHS", 3)
ACCESS_REVIEW_GRACE_DAYS = env.integer("ACCESS_REVIEW_GRACE_DAYS", 30)
ACCESS_REVIEW_REMINDER_DAYS = env.integer("ACCESS_REVIEW_REMINDER_DAYS", 7)
INVITATION_HOURS = env.integer("INVITATION_HOURS", 72)
PASSWORD_RESET_TIMEOUT = env.integer("PASSWORD_RESET_SECONDS", 3600)
PASSWORD_RESET_ADDRESS_RATE_LIMIT = env.text("PASSWORD_RESET_ADDRESS_RATE_LIMIT", "3/h")
PASSWORD_RESET_CLIENT_RATE_LIMIT = env.text("PASSWORD_RESET_CLIENT_RATE_LIMIT", "20/h")
ACCOUNT_IDLE_DAYS = env.integer("ACCOUNT_IDLE_DAYS", 90)
ACCOUNT_IDLE_GRACE_DAYS = env.integer("ACCOUNT_IDLE_GRACE_DAYS", 14)
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.number("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Failures count against the account whatever the spelling of its email, and against the
# client address (an IPv6 client by its /64): core/lockout.py.
AXES_USERNAME_CALLABLE = "lantern.core.lockout.username"
AXES_CLIENT_IP_CALLABLE = "lantern.core.lockout.client_address"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env.flag("AXES_ENABLED", default=True)

# Sessions end after half an hour without activity.
SESSION_COOKIE_AGE = env.integer("SESSION_IDLE_SECONDS", 1800)
# Pages warn this long before the session ends, and let the user stay (WCAG 2.2.1).
LANTERN_SESSION_WARNING_SECONDS = env.integer("SESSION_WARNING_SECONDS", 120)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Like the session cookie, the CSRF cookie ends when the browser closes: nothing of a
# visit to the public portal outlives it on a shared device.
CSRF_COOKIE_AGE = None
# Messages ride in the session: no extra cookie on public pages.
# Sessions are read from the shared cache and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_FAILURE_VIEW = "lantern.core.views.csrf_failure"

# A second factor: enforced for every account in production, optional locally.
LANTERN_REQUIRE_SECOND_FACTOR = env.flag("LANTERN_REQUIRE_SECOND_FACTOR", default=PRODUCTION)
OTP_TOTP_ISSUER = "Lantern"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False

# Content Security Policy: only Lantern's own scripts, styles and images; no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Languages: English at /, French at /fr/.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates and numbers in each language's own style (src/lantern/formats/).
FORMAT_MODULE_PATH = ["lantern.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/London"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Files only staff may see (photos sent with public reports): outside every web root,
# served by views that check the access policy.
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": env.text("PRIVATE_STORAGE_DIR", str(VAR_DIR / "private"))},
}

# The public portal. Reports per client address (django-ratelimit's "N/period" syntax),
# and the neutral site that "Exit this page" opens.
# How long each process keeps small lookup tables (core.lookups) before reading them again.
LOOKUP_CACHE_SECONDS = env.integer("LOOKUP_CACHE_SECONDS", 60)
PUBLIC_REPORT_RATE_LIMIT = env.text("PUBLIC_REPORT_RATE_LIMIT", "10/h")
# Visits through a campaign's short link counted per client address: more still land on
# the public pages but are not counted, so that a script cannot inflate a campaign's reach.
CAMPAIGN_VISIT_RATE_LIMIT = env.text("CAMPAIGN_VISIT_RATE_LIMIT", "20/h")
# Wrong pairing codes typed on an attendee's test page per client address, before any
# typed code is refused for a while (a code cannot be guessed by trying many).
TRAINING_PAIRING_RATE_LIMIT = env.text("TRAINING_PAIRING_RATE_LIMIT", "10/h")
# Correlation: an entity mentioned in more reports than this is too common to link
# (a helpline number, a supermarket car park) and raises no more suggestions.
ENTITY_COMMON_VALUE_LIMIT = env.integer("ENTITY_COMMON_VALUE_LIMIT", 25)
# Map tiles for the hotspot map, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
# empty (the default) draws the areas on a blank map, with no request leaving Lantern.
MAP_TILE_URL = env.text("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env.text("MAP_TILE_ATTRIBUTION", "")
if MAP_TILE_URL:
    # Tiles are images from the tile server: its host (any {s} subdomain) and no other.
    _tiles = urlsplit(MAP_TILE_URL)
    SECURE_CSP["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}")
# Mail (the reference sent to a reporter who gave an address): SMTP in production, printed
# to the console locally. Django 6.1's MAILERS replaces the EMAIL_* settings.
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env.text("EMAIL_HOST", "localhost"),
                "port": env.integer("EMAIL_PORT", 25),
                "username": env.text("EMAIL_HOST_USER", ""),
                "password": env.text("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env.flag("EMAIL_USE_TLS", default=False),
            },
        }
        if PRODUCTION or env.text("EMAIL_HOST")
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "lantern@localhost")
# Background work (docs/adr/0024-background-tasks.md): Django's tasks framework with the
# database-backed worker, so a job is queued in the transaction of the change that causes
# it and needs no other service. ``lantern worker`` (or ``lantern serve --with-worker``)
# runs the jobs.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Each worker says it is alive this often; a job left running by a worker silent for six
# beats (or whose process on the same machine is gone) is reclaimed (housekeeping.workers).
LANTERN_WORKER_HEARTBEAT_SECONDS = env.number("LANTERN_WORKER_HEARTBEAT_SECONDS", 10)
PUBLIC_EXIT_URL = env.text("PUBLIC_EXIT_URL", "https://www.bbc.co.uk/weather")
RATELIMIT_VIEW = "lantern.public.views.rate_limited"
# Behind a reverse proxy, set CLIENT_ADDRESS_HEADER=HTTP_X_FORWARDED_FOR: the last address
# of that header (the one the proxy added) is the client that sign-in lock-outs and the
# public portal's rate limit count (core/lockout.py). RATELIMIT_IP_META_KEY, its former
# name, is still read.
CLIENT_ADDRESS_HEADER = env.text("CLIENT_ADDRESS_HEADER", env.text("RATELIMIT_IP_META_KEY"))
RATELIMIT_IP_META_KEY = "lantern.core.lockout.client_address"

# The REST API for partner systems (/api/v1/, docs/adr/0010-api-authentication.md): a
# partner system signs in with a token of its own service account, people with their
# session. JSON only: the browsable API needs inline scripts the CSP refuses.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials is told to send a token (401).
        # django-rest-knox: only a hash of each token is stored, tokens expire, an account
        # may hold several (docs/adr/0018-hashed-api-tokens.md).
        "lantern.core.api_authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's JSON parser, refusing text no encoding can store (core/text.py).
    "DEFAULT_PARSER_CLASSES": ["lantern.core.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "lantern.core.parsers.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.text("API_RATE_LIMIT", "2000/hour")},
}
# Tokens are issued only by `lantern api-token` (knox's log-in views are not routed). The
# prefix lets secret scanners recognise a leaked Lantern token; the lifetime is the
# default of `lantern api-token create --expires-in`.
REST_KNOX = {
    "TOKEN_PREFIX": "lantern_",
    "TOKEN_TTL": timedelta(days=env.integer("API_TOKEN_DAYS", 365)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "WARNING")},
}

# Disclosure control (evaluation): the smallest count shown to people who may not read the
# records; counts from 1 to this minus one are withheld (docs/adr/0022-disclosure-control.md).
DISCLOSURE_THRESHOLD = env.integer("DISCLOSURE_THRESHOLD", 5)
