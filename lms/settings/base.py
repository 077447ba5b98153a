"""Settings shared by every environment; dev, test and production refine them."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from courses.api.schema_settings import SCHEMA_SETTINGS

from . import csp, database, mail

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "courses",
    "quizzes",
    "certificates",
    "courses.wagtail_vi",
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
    # Delegates consent to the current privacy notice before using the LMS.
    "courses.privacy.middleware.ConsentRequiredMiddleware",
    # Records staff exports and views of personal data (courses.privacy.access_log).
    "courses.privacy.access_log.PersonalDataAccessMiddleware",
    # Last, as django-axes asks: turns a lockout into courses.lockout's response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],  # the demo's own (the API docs page)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "courses.context_processors.lms",
            ],
        },
    },
]

csp.configure(globals())

WSGI_APPLICATION = "lms.wsgi.application"

# SQLite by default so the README works anywhere; production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}
# Options by engine (WAL for SQLite, prepared statements for PostgreSQL), below those the URL
# gives (lms/settings/database.py).
DATABASES["default"]["OPTIONS"] = {
    **database.options(DATABASES["default"]["ENGINE"]),
    **DATABASES["default"].get("OPTIONS", {}),
}
if DATABASES["default"]["ENGINE"] == database.POSTGRESQL:
    # Wagtail's database search backend uses PostgreSQL's full-text indexes.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password or token is checked.
    "courses.auth.LockoutBackend",
    "courses.auth.EmailOrUsernameBackend",
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
# The demo project's own messages (the LMS apps and courses.wagtail_vi bring theirs).
LOCALE_PATHS = [PROJECT_DIR / "locale"]
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
# Lesson videos are uploaded documents (MP4/WebM, WebVTT captions), served by the site so they
# play on an offline network; browsers play them inline.
WAGTAILDOCS_EXTENSIONS = [
    "csv", "docx", "mp4", "odt", "pdf", "pptx", "txt", "vtt", "webm", "xlsx", "zip",
]  # fmt: skip
WAGTAILDOCS_MAX_UPLOAD_SIZE = 300 * 1024 * 1024
WAGTAILDOCS_INLINE_CONTENT_TYPES = [
    "application/pdf",
    "text/plain",
    "video/mp4",
    "video/webm",
    "text/vtt",
]

# No REST_FRAMEWORK setting: the LMS API (courses.api.urls) declares its own authentication,
# permissions, throttles, pagination and errors, as it must in a host's site.

# The LMS schema's settings (which its own view applies), for the demo's Swagger UI at
# /api/v1/docs/ (from drf-spectacular-sidecar: no CDN) and `manage.py spectacular`.
SPECTACULAR_SETTINGS = {
    **SCHEMA_SETTINGS,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

mail.configure(globals(), "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = "LMS <no-reply@lms.local>"

# Deploy-time LMS settings; defaults live in courses.conf.
LMS = {"SITE_NAME": _("Foreign-information training")}
