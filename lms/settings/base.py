"""Settings shared by every environment; dev, test and production refine them."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "courses",
    "quizzes",
    "certificates",
    "fixtures",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
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
    "django_filters",
    "rest_framework",
    "django_tasks_db",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "courses.middleware.AdminContentSecurityPolicyMiddleware",
    "courses.middleware.PrivateCacheControlMiddleware",
    "courses.site_history.SiteHistoryScopeMiddleware",
    # Last, as django-axes asks: turns a lockout into courses.lockout's response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"

# Content-Security-Policy of every page but the Wagtail admin's: our own code only, inline code
# only with the response's nonce (our templates have none; {% nonce_attr %} gives it), no plugins,
# no framing by other sites. Course videos play from YouTube and Vimeo; images may be data: URLs
# (the API documentation's icons). The Wagtail admin gets this policy with 'unsafe-inline'
# scripts and styles (courses.middleware, LMS["ADMIN_CSP"]). A host serving media from another
# origin (S3, a CDN) adds it to "img-src" (and "media-src"); see the README.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "frame-src": [
        CSP.SELF,
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "lms.wsgi.application"

# SQLite by default so the README works anywhere; production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once (Wagtail's editor autosaves while previews and delegates' pages
    # write): WAL lets readers go on while one writes; IMMEDIATE takes the write lock when a
    # transaction begins, so a second writer waits (up to the timeout, in seconds) instead of
    # failing with "database is locked" when its read-then-write transaction tries to upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's database search backend uses PostgreSQL's full-text indexes.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password or token is checked.
    "courses.auth.LockoutBackend",
    "courses.auth.EmailOrUsernameBackend",
    "courses.auth.APITokenBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in lockout (django-axes; courses/lockout.py says how the LMS uses it): after
# AXES_FAILURE_LIMIT failed sign-ins for one account from one address, that account is refused
# from that address until AXES_COOLOFF_TIME has passed since the last failure. Production reads
# both from LOGIN_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "courses.lockout.account_key"
AXES_CLIENT_IP_CALLABLE = "courses.client_address.request_client_address"
AXES_LOCKOUT_CALLABLE = "courses.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Trying again while locked out does not push the end of the lockout further away, so the time
# the page gives is the time it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Only failures are kept (and only for the cool-off): no log of every sign-in.
AXES_DISABLE_ACCESS_LOG = True
# Lockouts are seen and lifted in the Wagtail admin (Settings → Sign-in lockouts).
AXES_ENABLE_ADMIN = False
# Failures are still logged as warnings, without the name tried or the address.
AXES_VERBOSE = False
LOGIN_URL = "courses:login"
LOGIN_REDIRECT_URL = "courses:dashboard"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
]
# lms/locale first (ours), then Vietnamese for what Wagtail leaves in English.
LOCALE_PATHS = [PROJECT_DIR / "locale", PROJECT_DIR / "wagtail_locale"]
FORMAT_MODULE_PATH = ["lms.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor can exceed Django's default of 1000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "LMS"
# No Gravatar: staff avatars would send a hash of each email address to a third party (and the
# admin's Content-Security-Policy allows no images from other sites).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No call from administrators' browsers to releases.wagtail.org (the admin's policy refuses it).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Wagtail's Vietnamese admin catalogue is partial and not offered by default.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# The REST API at /api/v1/ (lms/api.py). Browsers use their session (CSRF enforced),
# integrations a bearer token (Wagtail's APIToken) that an administrator creates in the Wagtail
# admin. Tokens come first so that a request without credentials is answered 401 with a
# WWW-Authenticate header.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "courses.api.authentication.APITokenAuthentication",
        "courses.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["courses.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "courses.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["courses.api.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # Per user. Autosave writes every few seconds at most; codes are worth guessing.
        # The HTML views count against the same scopes (courses/throttling.py).
        "attempt_write": "120/minute",
        "enrolment_code": "10/hour",
        # Per address: sign-up (HTML only). A conference hall of 280 delegates often shares one
        # address and signs up within the hour; every sign-up still needs its emailed link, so
        # this bounds the mail a script can make us send, not the accounts it can create.
        "signup": "300/hour",
        # Public certificate checks, per visitor; separate from the verification page's
        # LMS["VERIFY_RATE_PER_HOUR"].
        "certificate_verify": "60/hour",
    },
    "EXCEPTION_HANDLER": "courses.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "courses.api.schema.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "LMS API",
    "DESCRIPTION": (
        "Courses, enrolments and quizzes for delegates; cohorts, attempts and quiz statistics "
        'for trainers and HR. Errors are JSON: {"code", "message", "errors"?}; messages '
        "follow Accept-Language (Vietnamese by default, English with `en`)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["courses.api.schema.api_endpoints_only"],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Object ids in paths (courses.api.converters.IdConverter): at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    # Swagger UI from the drf-spectacular-sidecar package: no external CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Fields named "status" and "state" have several choice sets: name each set once.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "courses.api.serializers.PROGRESS_STATUSES",
        "StateEnum": "quizzes.models.Attempt.State",
        "CertificateStatusEnum": "certificates.models.Certificate.Status",
        "VerificationStatusEnum": "certificates.api.serializers.VERIFICATION_STATUSES",
        "BulkDownloadStateEnum": "certificates.models_bulk.BulkDownload.State",
    },
}

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
DEFAULT_FROM_EMAIL = "LMS <no-reply@lms.local>"

# Deploy-time LMS settings; defaults live in courses.conf.
LMS = {}
