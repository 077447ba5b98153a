from . import mail
from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
mail.configure(globals(), "django.core.mail.backends.locmem.EmailBackend")
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than shared-cache memory: Django hands one in-memory connection to every
    # thread of the browser tests' live server, and two requests at once then collide ("database
    # table is locked"). With a file each thread has its own connection, under WAL.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"

# Serve static files straight from the apps; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A throwaway Open Badges signing key, so the badge pages exist in tests (tests that need no key
# override it with None).
from certificates.badges.keys import new_private_key_pem  # noqa: E402

LMS = {**LMS, "BADGE_SIGNING_KEY": new_private_key_pem().decode()}  # noqa: F405
